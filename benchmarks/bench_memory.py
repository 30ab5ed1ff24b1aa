"""Resident memory of a fresh Python process after opening a large project and fetching one task.

Also prints the process's memory before labelnb is imported, so the figure can be read against it.

    .venv/bin/python benchmarks/bench_memory.py PROJECT_DIR
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import psutil
from common import record


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("project", type=Path)
    args = parser.parse_args()
    proc = psutil.Process(os.getpid())
    before = proc.memory_info().rss
    import labelnb as lnb

    project = lnb.Project.open(args.project)
    task = project.next_task("memory-probe")
    assert task is not None
    after = proc.memory_info().rss
    record(
        "memory",
        {
            "tasks": len(project),
            "rss_mb_after_open_and_next_task": round(after / 2**20, 1),
            "rss_mb_before_import_labelnb": round(before / 2**20, 1),
        },
    )


if __name__ == "__main__":
    main()
