"""The benchmark scripts run end to end at a small size and write the figures the README table shows.

This guards the scripts against rot; it asserts no timings (those belong in benchmarks/ only). The browser
benchmarks (bench_editor.py, bench_text.py) are left out: they need JupyterLab and Chromium, and
bench_text.py takes about 45 s even at its smallest sizes; the browser test modules cover what they drive.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"


def run(script: str, *args: str, out: Path) -> None:
    env = {**os.environ, "LABELNB_BENCH_OUT": str(out)}
    subprocess.run(
        [sys.executable, script, *args], cwd=BENCH, env=env, check=True, capture_output=True, timeout=300
    )


def test_benchmarks_produce_the_readme_figures(tmp_path: Path) -> None:
    out = tmp_path / "out"
    project = tmp_path / "project"
    run("bench_import.py", "--tasks", "3000", "--keep", str(project), out=out)
    run("bench_next_task.py", str(project), "--calls", "50", out=out)
    run("bench_next_task.py", str(project), "--calls", "60", "--overlap", "3", "--users", "3", out=out)
    run("bench_memory.py", "--tasks", "3000", out=out)
    run("bench_export.py", "--annotations", "500", out=out)
    run("bench_export_memory.py", "--annotations", "300", "--formats", "json,csv", out=out)
    run("bench_export_speed.py", "--annotations", "200", out=out)
    run("bench_agreement.py", "--annotations", "400", "--store", out=out)
    run("bench_dashboard.py", "--annotations", "400", out=out)
    run("bench_team.py", "--annotators", "3", "--each", "5", "--store", "sqlite", out=out)
    run(
        "bench_learning.py",
        "--seeds",
        "2",
        "--budget",
        "30",
        "--n",
        "20",
        "--strategies",
        "random,margin",
        out=out,
    )
    run("bench_jobs.py", "--tasks", "200", "--cycles", "20", "--jobs", "1", out=out)
    run("bench_postgres.py", "--tasks", "500", "--calls", "20", out=out)
    results = json.loads((out / "results.json").read_text())
    assert results["import"]["tasks"] == 3000
    assert results["next_task"]["n"] == 50
    assert results["next_task_overlap"]["overlap"] == 3
    assert results["next_task_overlap"]["stages"]["Breadth first queue"] > 0
    assert results["memory"]["tasks"] == 3000
    assert results["memory"]["calls"] == 300
    assert results["export"]["annotations"] == 500
    assert results["export_memory"]["annotations"] == 300
    assert results["export_memory"]["csv"]["peak_rss_mb"] > 0
    assert results["export_speed"]["annotations"] == 200
    assert results["export_speed"]["yolo"]["ratio_sdk_to_labelnb"] > 0
    assert results["learning"]["margin"]["reached"].endswith("/2")
    assert (out / "learning_curves.png").stat().st_size > 0
    assert results["jobs"]["cycles"] == 20
    assert results["agreement"]["annotations"] == 400
    assert results["agreement"]["project_agreement_s"] > 0
    assert results["dashboard"]["annotations"] == 400
    assert results["team_sqlite"]["team"]["submissions"] == 15  # every annotator labelled their share
    assert results["postgres"]["postgresql"]["next_and_submit"]["n"] == 20
    assert results["postgres"]["copy_sqlite_to_postgresql_s"] > 0
    env = {**os.environ, "LABELNB_BENCH_OUT": str(out)}
    table = subprocess.run(
        [sys.executable, "report.py"], cwd=BENCH, env=env, check=True, capture_output=True, text=True
    ).stdout
    assert table.count("\n| ") >= 6
    assert "next_task" in table
    assert "box annotations to `csv`" in table
    assert "label-studio-sdk's converter" in table
    assert "3 annotators in separate processes on one sqlite store" in table
    assert "agreement over 400 annotations" in table
    assert "team dashboard over 400 annotations" in table
