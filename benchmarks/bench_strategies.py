"""Ranking a large project by uncertainty, and ``next_task`` from the ranked queue.

Builds (or reuses) a project of N text tasks, each with one prediction of model version ``v1`` whose
score is a seeded random number, then measures:

* ``rank_s``: ranking every task by least confidence into a stored queue (read the scores, sort, write
  the queue), from nothing, and ``rerank_s`` replacing it after the current model version changed;
* ``reuse_ms``: asking for the same ranking again when nothing changed (the fingerprint check that every
  ``next_task(strategy=...)`` does);
* ``next_task(strategy="uncertainty")`` latency over ``--calls`` calls, each answered (untimed) as in
  bench_next_task, against plain sequential ``next_task`` in the same run as the baseline.

    .venv/bin/python benchmarks/bench_strategies.py --tasks 1000000 --project /tmp/lnb-strategies-1m
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
from common import TEXT_CONFIG, record, summary_ms, timer
from sqlalchemy import update

import labelnb as lnb
from labelnb.queue import ranking
from labelnb.store import schema, write_transaction
from labelnb.store.codec import dumps

CHUNK = 100_000
ANSWER = [{"from_name": "label", "to_name": "text", "type": "choices", "value": {"choices": ["pos"]}}]


def build(folder: Path, tasks: int) -> lnb.Project:
    project = lnb.Project.create(folder, TEXT_CONFIG, "bench strategies")
    scores = np.random.default_rng(7).random(tasks)
    for start in range(0, tasks, CHUNK):
        project.import_tasks(
            [
                {
                    "data": {"text": f"task {i}: a short sentence to label"},
                    "predictions": [{"result": ANSWER, "score": float(scores[i]), "model_version": "v1"}],
                }
                for i in range(start, min(tasks, start + CHUNK))
            ],
            user="bench",
        )
    return project


def set_current_version(project: lnb.Project, version: str | None) -> None:
    settings = {**project.store.info().settings, "model_version": version}
    if version is None:
        del settings["model_version"]
    with write_transaction(project.store.engine) as conn:
        conn.execute(update(schema.projects).values(settings=dumps(settings)))


def timed_calls(project: lnb.Project, calls: int, users: list[str], strategy: str | None) -> list[float]:
    samples: list[float] = []
    for call in range(calls):
        user = users[call % len(users)]
        start = time.perf_counter()
        task = project.next_task(user, strategy=strategy)
        samples.append(time.perf_counter() - start)
        assert task is not None
        if call % 10 == 9:
            project.skip(task["id"], user=user)
        else:
            project.submit(task["id"], ANSWER, user=user)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=1_000_000)
    parser.add_argument(
        "--project", type=Path, required=True, help="built here when missing (keep it in /tmp)"
    )
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--users", type=int, default=4)
    args = parser.parse_args()
    built_s = None
    if (args.project / "project.db").exists():
        project = lnb.Project.open(args.project)
    else:
        with timer() as t:
            project = build(args.project, args.tasks)
        built_s = t["seconds"]
    tasks = len(project)
    with write_transaction(project.store.engine) as conn:  # every run ranks from nothing
        conn.execute(schema.queue_items.delete())
        conn.execute(schema.queues.delete())
    set_current_version(project, None)  # ranked by the newest prediction's version
    with timer() as t:
        queue_id = project.rank("uncertainty")
    rank_s = t["seconds"]
    order = ranking.queue_task_ids(project.store, queue_id)
    reuse: list[float] = []
    for _ in range(50):
        start = time.perf_counter()
        assert project.rank("uncertainty") == queue_id
        reuse.append(time.perf_counter() - start)
    set_current_version(project, "v1")  # a learner made v1 current: the ranking is rebuilt
    with timer() as t:
        assert project.rank("uncertainty") == queue_id
    rerank_s = t["seconds"]

    users = [f"annotator{i}" for i in range(args.users)]
    first = project.next_task(users[0], strategy="uncertainty")
    assert first is not None
    assert first["id"] == int(order[0])
    project.store.engine.dispose()
    baseline = timed_calls(project, args.calls, [f"seq{i}" for i in range(args.users)], None)
    ranked = timed_calls(project, args.calls, users, "uncertainty")
    ranked_ms, baseline_ms = summary_ms(ranked), summary_ms(baseline)
    record(
        "strategies",
        {
            "tasks": tasks,
            "build_s": None if built_s is None else round(built_s, 1),
            "rank_s": round(rank_s, 2),
            "rerank_s": round(rerank_s, 2),
            "reuse_ms": summary_ms(reuse),
            "next_task_uncertainty": ranked_ms,
            "next_task_sequential": baseline_ms,
            "p99_ratio_to_sequential": round(ranked_ms["p99_ms"] / baseline_ms["p99_ms"], 2),
        },
    )


if __name__ == "__main__":
    main()
