"""Peak resident memory of a fresh kernel-like process that opens a just-imported large project and labels.

A first process imports N small text tasks and exits; a second, fresh one opens the project (the first open
after a large import is where memory peaked before), does 300 next/submit/skip calls and reports its peak
resident set (``ru_maxrss``), its resident set at the end, and, as the baseline, the same process's
resident set before it imported labelnb.

    .venv/bin/python benchmarks/bench_memory.py --tasks 1000000 [--project DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

from common import TEXT_CONFIG, record, small_text_frame

CALLS = 300


def import_project(folder: Path, tasks: int) -> None:
    import labelnb as lnb

    project = lnb.Project.create(folder, TEXT_CONFIG)
    project.import_tasks(small_text_frame(tasks))
    project.close()


def label(folder: Path) -> dict[str, float]:
    import psutil

    proc = psutil.Process(os.getpid())
    before = proc.memory_info().rss
    import labelnb as lnb

    project = lnb.Project.open(folder)
    answer = [{"from_name": "label", "to_name": "text", "type": "choices", "value": {"choices": ["pos"]}}]
    for call in range(CALLS // 3):
        for user in ("ann", "ben", "cat"):
            task = project.next_task(user)
            assert task is not None
            if call % 3 == 2:
                project.skip(task["id"], user=user)
            else:
                project.submit(task["id"], answer, user=user)
    end = proc.memory_info().rss
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
    return {
        "tasks": len(project),
        "calls": CALLS,
        "peak_rss_mb": round(peak_kb / 1024, 1),
        "rss_mb_at_end": round(end / 2**20, 1),
        "rss_mb_before_import_labelnb": round(before / 2**20, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=1_000_000)
    parser.add_argument("--project", type=Path, help="where to import (default: a temporary folder)")
    parser.add_argument("--step", choices=["import", "label"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step == "import":
        import_project(args.project, args.tasks)
        return
    if args.step == "label":
        print(json.dumps(label(args.project)))
        return
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.project or Path(scratch) / "project"
        me = [sys.executable, __file__, "--project", str(folder), "--tasks", str(args.tasks)]
        subprocess.run([*me, "--step", "import"], check=True)
        out = subprocess.run([*me, "--step", "label"], check=True, capture_output=True, text=True).stdout
        record("memory", json.loads(out.strip().splitlines()[-1]))


if __name__ == "__main__":
    main()
