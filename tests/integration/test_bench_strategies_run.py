"""bench_strategies.py runs end to end at a small size (it asserts that the least confident task comes
first, and records its figures); no timings are checked here."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"


def test_bench_strategies_runs(tmp_path: Path) -> None:
    out = tmp_path / "out"
    env = {**os.environ, "LABELNB_BENCH_OUT": str(out)}
    args = ["--tasks", "3000", "--project", str(tmp_path / "project"), "--calls", "50"]
    for _ in range(2):  # built the first time, reused the second
        subprocess.run(
            [sys.executable, "bench_strategies.py", *args],
            cwd=BENCH,
            env=env,
            check=True,
            capture_output=True,
            timeout=300,
        )
    figures = json.loads((out / "results.json").read_text())["strategies"]
    assert figures["tasks"] == 3000
    assert figures["build_s"] is None
    assert figures["next_task_uncertainty"]["n"] == 50
    assert figures["next_task_sequential"]["n"] == 50
