"""Job functions for the jobs tests: module-level, so process pools, Dask and a restarted kernel find them
by name (``tests.jobs_work:...``)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text

from labelnb.jobs import JobContext

POLL_S = 0.01


def add(ctx: JobContext, a: int, b: int) -> int:
    return a + b


def count_to(ctx: JobContext, n: int) -> int:
    for i in range(n):
        ctx.check()
        ctx.progress(i + 1, n, f"item {i + 1}")
    return n


def wait_for_file(ctx: JobContext, gate: str, steps: int = 4) -> str:
    """Report ``steps`` units of progress, then wait (checking for cancellation) until ``gate`` exists."""
    for i in range(steps):
        ctx.progress(i + 1, steps * 2, "before the gate")
    while not Path(gate).exists():
        ctx.check()
        time.sleep(POLL_S)
    ctx.progress(steps * 2, steps * 2, "through the gate")
    return Path(gate).read_text()


def slow_sum(ctx: JobContext, numbers: list[int], gate: str) -> int:
    """Sum ``numbers`` one by one; after the first half wait for ``gate`` (the restart test kills the
    process there)."""
    total = 0
    for i, number in enumerate(numbers):
        if i == len(numbers) // 2:
            while not Path(gate).exists():
                ctx.check()
                time.sleep(POLL_S)
        total += number
        ctx.progress(i + 1, len(numbers))
    return total


def flaky(ctx: JobContext, failures: int) -> int:
    """Fail the first ``failures`` runs of the job, then return the run's number."""
    if ctx.attempt <= failures:
        raise ValueError(f"run {ctx.attempt} fails on purpose")
    return ctx.attempt


def fails(ctx: JobContext, message: str) -> None:
    raise ValueError(message)


def returns_object(ctx: JobContext) -> Any:
    return {1, 2, 3}


def where_am_i(ctx: JobContext) -> int:
    import os

    return os.getpid()


def record_status_changes(engine: Engine) -> None:
    """A trigger that logs every job's status changes, in order, whichever process makes them."""
    with engine.begin() as conn:
        conn.execute(
            text(
                "CREATE TABLE IF NOT EXISTS job_log (seq INTEGER PRIMARY KEY, job_id INTEGER, status TEXT, "
                "message TEXT)"
            )
        )
        conn.execute(
            text(
                "CREATE TRIGGER IF NOT EXISTS job_log_insert AFTER INSERT ON jobs BEGIN "
                "INSERT INTO job_log (job_id, status, message) VALUES (new.id, new.status, new.message); END"
            )
        )
        conn.execute(
            text(
                "CREATE TRIGGER IF NOT EXISTS job_log_update AFTER UPDATE OF status ON jobs "
                "WHEN old.status IS NOT new.status BEGIN "
                "INSERT INTO job_log (job_id, status, message) VALUES (new.id, new.status, new.message); END"
            )
        )


def status_history(engine: Engine, job_id: int) -> list[str]:
    with engine.connect() as conn:
        found = conn.execute(text("SELECT status FROM job_log WHERE job_id = :j ORDER BY seq"), {"j": job_id})
        return [row[0] for row in found]


def message_history(engine: Engine, job_id: int) -> list[str | None]:
    with engine.connect() as conn:
        found = conn.execute(
            text("SELECT message FROM job_log WHERE job_id = :j ORDER BY seq"), {"j": job_id}
        )
        return [row[0] for row in found]


def dies(ctx: JobContext) -> None:
    """The worker process ends at once, as when it is killed."""
    import os

    os._exit(3)
