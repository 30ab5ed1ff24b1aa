"""``next_task`` latency on a large project: each call leases a task, then (untimed) the task is answered.

.venv/bin/python benchmarks/bench_next_task.py PROJECT_DIR --calls 2000
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from common import record, summary_ms

import labelnb as lnb


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("project", type=Path)
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--users", type=int, default=4)
    args = parser.parse_args()
    project = lnb.Project.open(args.project)
    users = [f"annotator{i}" for i in range(args.users)]
    samples: list[float] = []
    for call in range(args.calls):
        user = users[call % len(users)]
        start = time.perf_counter()
        task = project.next_task(user)
        samples.append(time.perf_counter() - start)
        assert task is not None
        if call % 10 == 9:
            project.skip(task["id"], user=user)
        else:
            project.submit(task["id"], [{"from_name": "label", "to_name": "text", "type": "choices",
                                          "value": {"choices": ["pos"]}}], user=user)  # fmt: skip
    record("next_task", {"tasks": len(project), **summary_ms(samples)})


if __name__ == "__main__":
    main()
