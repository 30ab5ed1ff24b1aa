"""`pip wheel` from a tree with no built front end runs the npm build and ships it, with the migrations."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_a_wheel_built_from_source_carries_the_widget_bundle(tmp_path: Path) -> None:
    files = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"], cwd=REPO, check=True, capture_output=True, text=True
    ).stdout.split()
    source = tmp_path / "src"
    for name in files:
        if (REPO / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, source / name)
    assert not (source / "labelnb" / "static").exists()
    out = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(source)],
        check=True,
        capture_output=True,
        timeout=900,
    )
    (wheel,) = out.glob("labelnb-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {"labelnb/static/widget.js", "labelnb/static/widget.css", "labelnb/static/dashboard.js"} <= names
    assert "labelnb/store/migrations/versions/0001_initial.py" in names
    assert "labelnb/store/migrations/script.py.mako" in names
    # installing the wheel enables labelnb's Jupyter server extension
    assert "labelnb-0.1.0.data/data/etc/jupyter/jupyter_server_config.d/labelnb.json" in names
    assert not any(name.startswith(("js/", "tests/", "node_modules/")) for name in names)
    bundle = zipfile.ZipFile(wheel).read("labelnb/static/widget.js")
    assert b"labelnb-root" in bundle  # the real front end, not a placeholder
