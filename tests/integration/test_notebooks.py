"""Every example notebook runs from top to bottom in a fresh kernel and shows its widgets.

The browser tests drive some of them by hand (tests/e2e); this one makes sure none of them is broken as a
script: each runs in a copy of notebooks/ with its projects written to a temporary folder.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


@pytest.mark.parametrize("name", sorted(p.name for p in NOTEBOOKS.glob("*.ipynb")))
def test_the_notebook_runs_and_shows_its_widgets(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOKS, copy, ignore=shutil.ignore_patterns("*-projects", ".ipynb_checkpoints"))
    monkeypatch.setenv("LABELNB_WORKDIR", str(tmp_path / "projects"))
    nb = nbformat.read(copy / name, as_version=4)
    NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(copy)}}
    ).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    assert any(WIDGET_VIEW in o.get("data", {}) for o in outputs), "the notebook shows no widget"
    assert os.listdir(tmp_path / "projects"), "the notebook made no project"
