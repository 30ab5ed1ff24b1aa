"""labelnb's Jupyter server extension: enabled by installing labelnb, and effective in a real server."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

INNER = Path(__file__).with_name("serverext_inner.py")


def test_installing_labelnb_enables_the_extension() -> None:
    listing = subprocess.run(
        [str(Path(sys.executable).parent / "jupyter"), "server", "extension", "list"],
        capture_output=True, text=True, check=True, timeout=120,
    )  # fmt: skip
    lines = (listing.stdout + listing.stderr).splitlines()
    assert any("labelnb.serverext" in line and "enabled" in line for line in lines), lines


def test_kernel_websockets_send_without_delay() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "pytest_jupyter.jupyter_server", "-q", "-p", "no:cacheprovider",
         str(INNER)],
        capture_output=True, text=True, timeout=300, cwd=INNER.parents[2],
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 passed" in run.stdout
