"""``next_task`` latency on a large project: each call leases a task, then (untimed) the task is answered.

.venv/bin/python benchmarks/bench_next_task.py PROJECT_DIR --calls 2000 [--users 4] [--overlap 3]

Users take turns. With ``--overlap N`` the project is first configured to ask N people for each task
(``configure_queue(maximum_annotations=N)``, timed: it rewrites every task's overlap), so the calls go
through breadth first (finish tasks in progress) as well as the sequence; the figures are recorded as
``next_task_overlap`` with the number of calls each queue stage answered. The project is changed in place.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

from common import record, summary_ms

import labelnb as lnb
from labelnb.session import lease_next_choice

ANSWER = [{"from_name": "label", "to_name": "text", "type": "choices", "value": {"choices": ["pos"]}}]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("project", type=Path)
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--users", type=int, default=4)
    parser.add_argument("--overlap", type=int, default=1, help="maximum_annotations to configure first")
    args = parser.parse_args()
    project = lnb.Project.open(args.project)
    figures: dict[str, object] = {}
    if args.overlap != project.queue_settings.maximum_annotations:
        start = time.perf_counter()
        project.configure_queue(maximum_annotations=args.overlap)
        figures["configure_s"] = round(time.perf_counter() - start, 2)
    users = [f"annotator{i}" for i in range(args.users)]
    samples: list[float] = []
    stages: Counter[str] = Counter()
    for call in range(args.calls):
        user = users[call % len(users)]
        start = time.perf_counter()
        task, queue = lease_next_choice(project.store, user, project.lease_ttl)
        samples.append(time.perf_counter() - start)
        assert task is not None
        assert queue is not None
        stages[queue] += 1
        if call % 10 == 9:
            project.skip(task["id"], user=user)
        else:
            project.submit(task["id"], ANSWER, user=user)
    figures.update(tasks=len(project), users=args.users, **summary_ms(samples))
    if args.overlap > 1:
        record("next_task_overlap", {**figures, "overlap": args.overlap, "stages": dict(stages)})
    else:
        record("next_task", figures)


if __name__ == "__main__":
    main()
