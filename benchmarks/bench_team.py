"""Many annotators on one store: 20 separate processes label through the headless API (``next_task`` then
``submit``, each a member of a team project, so every call checks its role), against one annotator alone in
the same run. Figures: submissions per second over the whole team, and ``next_task`` p50/p99 per call.

.venv/bin/python benchmarks/bench_team.py [--annotators 20] [--each 100] [--store sqlite|postgresql|both]

PostgreSQL runs on a throwaway server the benchmark starts from Debian's packages (``tests/pg.py``), or on
``--postgres-url``. Each store gets a fresh project of ``annotators x each`` tasks (overlap 1), once for the
team and once for the lone annotator.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from common import TEXT_CONFIG, record, small_text_frame, summary_ms

import labelnb as lnb

ANSWER = [{"from_name": "label", "to_name": "text", "type": "choices", "value": {"choices": ["pos"]}}]
REPO = Path(__file__).resolve().parents[1]


def _annotate(location: str, user: str, each: int, ready: Any, start: Any, out: Any) -> None:
    """One annotator's process: say it is ready, wait for the start, then take and answer up to ``each``
    tasks."""
    project = lnb.Project.open(location, user=user)
    latencies: list[float] = []
    ready.put(user)
    start.wait()
    began = time.perf_counter()
    submitted = 0
    while submitted < each:
        asked = time.perf_counter()
        task = project.next_task()
        latencies.append(time.perf_counter() - asked)
        if task is None:
            break
        project.submit(task["id"], ANSWER)
        submitted += 1
    out.put((submitted, began, time.perf_counter(), latencies))
    project.close()


def make_project(location: str, tasks: int, annotators: int) -> None:
    project = lnb.Project.create(location, TEXT_CONFIG, title="team bench", user="lead")
    project.import_tasks(small_text_frame(tasks))
    for i in range(annotators):
        project.add_member(f"annotator{i}", "annotator")
    project.close()


def run_team(location: str, annotators: int, each: int) -> dict[str, Any]:
    """``annotators`` processes labelling at once; their combined rate and latencies."""
    ctx = mp.get_context("spawn")  # each process opens its own engine, as separate kernels do
    ready, start, out = ctx.Queue(), ctx.Event(), ctx.Queue()
    workers = [
        ctx.Process(target=_annotate, args=(location, f"annotator{i}", each, ready, start, out))
        for i in range(annotators)
    ]
    for worker in workers:
        worker.start()
    for _ in workers:  # everyone has imported labelnb and opened the project: the race starts together
        ready.get(timeout=300)
    start.set()
    results = [out.get(timeout=600) for _ in workers]
    for worker in workers:
        worker.join(timeout=60)
        if worker.exitcode != 0:
            raise RuntimeError(f"an annotator process failed (exit code {worker.exitcode})")
    submitted = sum(r[0] for r in results)
    elapsed = max(r[2] for r in results) - min(r[1] for r in results)
    latencies = [s for r in results for s in r[3]]
    return {"submissions": submitted, "seconds": round(elapsed, 2), "per_s": round(submitted / elapsed, 1),
            **{k: round(v, 2) for k, v in summary_ms(latencies).items()}}  # fmt: skip


@contextmanager
def sqlite_store(tmp: Path) -> Iterator[Callable[[str], str]]:
    yield lambda name: str(tmp / name)


@contextmanager
def postgres_store(url: str | None) -> Iterator[Callable[[str], str]]:
    if url is not None:
        base = url.rsplit("/", 1)[0]
        yield lambda name: f"{base}/{name}"
        return
    sys.path.insert(0, str(REPO))
    from tests.pg import PostgresServer  # the tests' throwaway server

    with PostgresServer() as server:
        yield lambda _name: server.new_database()


def measure(backend: str, stores: Callable[[str], str], annotators: int, each: int) -> dict[str, Any]:
    team_location, alone_location = stores("team"), stores("alone")
    make_project(team_location, annotators * each, annotators)
    make_project(alone_location, each, 1)
    alone = run_team(alone_location, 1, each)
    team = run_team(team_location, annotators, each)
    figures = {
        "backend": backend,
        "annotators": annotators,
        "alone": alone,
        "team": team,
        "throughput_ratio": round(team["per_s"] / alone["per_s"], 2),
        "p99_ratio": round(team["p99_ms"] / alone["p99_ms"], 2),
    }
    record(f"team_{backend}", figures)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--annotators", type=int, default=20)
    parser.add_argument("--each", type=int, default=100, help="tasks each annotator labels")
    parser.add_argument("--store", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--postgres-url", default=None, help="an existing server's database URL")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="labelnb-team-") as tmp:
        if args.store in ("sqlite", "both"):
            with sqlite_store(Path(tmp)) as stores:
                measure("sqlite", stores, args.annotators, args.each)
        if args.store in ("postgresql", "both"):
            with postgres_store(args.postgres_url) as stores:
                measure("postgresql", stores, args.annotators, args.each)


if __name__ == "__main__":
    main()
