"""bench_sync.py runs end to end at a small size against a real moto server and records its figures (no
timings are asserted: those belong in benchmarks/)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"


def test_bench_sync_records_the_readme_figures(tmp_path: Path) -> None:
    env = {**os.environ, "LABELNB_BENCH_OUT": str(tmp_path)}
    subprocess.run(
        [sys.executable, "bench_sync.py", "--objects", "300"],
        cwd=BENCH, env=env, check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    figures = json.loads((tmp_path / "results.json").read_text())["sync"]
    assert figures["objects"] == 300
    assert figures["sync_objects_per_s"] > 0
    assert figures["ratio_to_listing"] > 0
    report = subprocess.run(
        [sys.executable, "report.py"], cwd=BENCH, env=env, check=True, capture_output=True, text=True
    )
    assert "sync of 300 objects from moto's S3 server" in report.stdout
