"""What a background job's progress reports cost a labeller: ``next_task`` + ``submit`` latency while jobs
in other processes report progress as fast as they can (written at most five times a second per job,
each one tiny transaction), against the same jobs busy without reporting (the baseline: the same CPU
load), and with no jobs at all.

.venv/bin/python benchmarks/bench_jobs.py --tasks 2000 --cycles 300 --jobs 2
"""

from __future__ import annotations

import argparse
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

from common import TEXT_CONFIG, record, small_text_frame, summary_ms

import labelnb as lnb

ANSWER = [{"from_name": "label", "to_name": "text", "type": "choices", "value": {"choices": ["pos"]}}]


def spin(ctx: lnb.JobContext, stop_file: str, report: bool) -> int:
    """Loop until ``stop_file`` exists, reporting progress each time round when ``report``; the rounds."""
    stop = Path(stop_file)
    rounds = 0
    while True:
        rounds += 1
        if report:
            ctx.progress(rounds, None, f"round {rounds}")
        if rounds % 1000 == 0 and stop.exists():
            return rounds


def label_beside_jobs(project: lnb.Project, args: argparse.Namespace, tmp: str, report: bool) -> list[float]:
    stop = Path(tmp) / f"stop-{report}"
    jobs = [project.runner.submit("spin", spin, str(stop), report) for _ in range(args.jobs)]
    while not all(job.refresh().status == "running" for job in jobs):
        time.sleep(0.05)
    samples = label(project, args.cycles, f"beside-{report}")
    stop.touch()
    for job in jobs:
        job.result(timeout=300)
    return samples


def label(project: lnb.Project, cycles: int, user: str) -> list[float]:
    samples = []
    for _ in range(cycles):
        start = time.perf_counter()
        task = project.next_task(user)
        assert task is not None
        project.submit(task["id"], ANSWER, user=user)
        samples.append(time.perf_counter() - start)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=2000)
    parser.add_argument("--cycles", type=int, default=300)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        project = lnb.Project.create(Path(tmp) / "p", TEXT_CONFIG)
        project.import_tasks(small_text_frame(args.tasks))
        alone = label(project, args.cycles, "alone")
        with ProcessPoolExecutor(args.jobs, mp_context=get_context("spawn")) as pool:
            project.set_executor(pool)
            busy = label_beside_jobs(project, args, tmp, report=False)
            reporting = label_beside_jobs(project, args, tmp, report=True)
        project.close()
    quiet, loaded, noisy = summary_ms(alone), summary_ms(busy), summary_ms(reporting)
    record(
        "jobs",
        {
            "cycles": args.cycles,
            "jobs": args.jobs,
            "alone_p50_ms": quiet["p50_ms"],
            "busy_jobs_p50_ms": loaded["p50_ms"],
            "busy_jobs_p95_ms": loaded["p95_ms"],
            "reporting_jobs_p50_ms": noisy["p50_ms"],
            "reporting_jobs_p95_ms": noisy["p95_ms"],
            "p50_ratio_to_busy": round(noisy["p50_ms"] / loaded["p50_ms"], 2),
            "p95_ratio_to_busy": round(noisy["p95_ms"] / loaded["p95_ms"], 2),
        },
    )


if __name__ == "__main__":
    main()
