"""A long export in a notebook shows a progress bar that ends full (and red when the export fails).

The notebook runs in a real kernel through nbclient, which keeps the final state of every widget the
kernel displayed in the notebook's metadata: that state is what the user's browser would draw.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient

WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def _run(tmp_path: Path, *sources: str) -> list[dict[str, Any]]:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True).execute(cwd=str(tmp_path))
    state = nb.metadata["widgets"][WIDGET_STATE]["state"]
    return [w["state"] for w in state.values()]


SETUP = """
import pandas as pd, labelnb as lnb
p = lnb.Project.create("p", '<View><Text name="t" value="$t"/><Choices name="c" toName="t">'
                       '<Choice value="a"/></Choices></View>')
p.import_tasks(pd.DataFrame({"t": [f"task {i}" for i in range(120)]}))
"""


def test_an_export_shows_a_bar_that_ends_full(tmp_path: Path) -> None:
    states = _run(tmp_path, SETUP, "p.export('json_min', 'out.json')")
    bars = [s for s in states if s.get("_model_name") == "FloatProgressModel"]
    labels = [s.get("value") for s in states if s.get("_model_name") == "LabelModel"]
    assert len(bars) == 1
    assert bars[0]["value"] == 1.0
    assert bars[0]["bar_style"] == "success"
    assert bars[0]["description"] == "json_min"
    assert "120 of 120" in labels
    assert (tmp_path / "out.json").stat().st_size > 0


def test_a_failed_export_leaves_a_red_bar(tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("a file where the export wants a folder")
    states = _run(tmp_path, SETUP, "p.export('csv', 'taken/out.csv')", "p.export('csv', progress=False)")
    bars = [s for s in states if s.get("_model_name") == "FloatProgressModel"]
    assert [b["bar_style"] for b in bars] == ["danger"]
    assert (tmp_path / "taken").read_text().startswith("a file")


def test_a_sync_shows_a_bar_over_the_new_objects(tmp_path: Path) -> None:
    images = tmp_path / "images"
    images.mkdir()
    for i in range(30):
        (images / f"{i:03d}.png").write_bytes(b"\x89PNG")
    states = _run(
        tmp_path,
        SETUP.replace('<Text name="t" value="$t"/>', '<Image name="t" value="$t"/>'),
        f"p.add_storage('imgs', {str(images)!r})",
        "report = p.sync('imgs')",
    )
    bars = [s for s in states if s.get("_model_name") == "FloatProgressModel"]
    labels = [s.get("value") for s in states if s.get("_model_name") == "LabelModel"]
    assert len(bars) == 1
    assert bars[0]["value"] == 1.0
    assert bars[0]["bar_style"] == "success"
    assert bars[0]["description"] == "sync imgs"
    assert "30 of 30" in labels
