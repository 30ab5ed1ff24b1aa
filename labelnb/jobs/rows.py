"""The ``jobs`` table's reads and writes. Each write is one short transaction (a labeller's next write
waits for it at most a moment), and every status change is conditional on the status it leaves, so two
processes racing (a cancel and a start, a late worker and a retry) cannot both win.

Status: ``queued`` -> ``running`` -> ``done`` / ``failed`` / ``cancelled``; ``running`` -> ``queued`` again
when a failed attempt will be retried; ``queued`` / ``running`` -> ``interrupted`` when the owning process
is gone; ``failed`` / ``interrupted`` / ``cancelled`` -> ``queued`` when retried by hand.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, Row, insert, select, update

from labelnb.store import read_transaction, write_transaction
from labelnb.store import schema as s
from labelnb.store.codec import now_epoch, now_iso

STATUSES = ("queued", "running", "done", "failed", "cancelled", "interrupted")
ACTIVE = ("queued", "running")
FINISHED = ("done", "failed", "cancelled")
#: what a hand-made retry may start again
RETRYABLE = ("failed", "interrupted", "cancelled")

j = s.jobs


def insert_job(
    engine: Engine,
    project_id: int,
    kind: str,
    function: str | None,
    arguments: str | None,
    max_retries: int,
    owner: str,
) -> int:
    with write_transaction(engine) as conn:
        key = conn.execute(
            insert(j).values(
                project_id=project_id,
                kind=kind,
                status="queued",
                function=function,
                arguments=arguments,
                max_retries=max_retries,
                owner=owner,
                heartbeat_at=now_epoch(),
                created_at=now_iso(),
            )
        ).inserted_primary_key
    assert key is not None
    return int(key[0])


def read(engine: Engine, job_id: int, project_id: int | None = None) -> Row[Any] | None:
    query = select(j).where(j.c.id == job_id)
    if project_id is not None:
        query = query.where(j.c.project_id == project_id)
    with read_transaction(engine) as conn:
        return conn.execute(query).first()


def status_of(engine: Engine, job_id: int) -> tuple[str, bool] | None:
    """(status, cancel_requested), the two things a running job's function polls."""
    with read_transaction(engine) as conn:
        row = conn.execute(select(j.c.status, j.c.cancel_requested).where(j.c.id == job_id)).first()
    return None if row is None else (str(row[0]), bool(row[1]))


def list_rows(engine: Engine, project_id: int) -> list[Row[Any]]:
    with read_transaction(engine) as conn:
        return list(conn.execute(select(j).where(j.c.project_id == project_id).order_by(j.c.id)))


def _update(engine: Engine, job_id: int, where: Any, **values: Any) -> bool:
    with write_transaction(engine) as conn:
        changed = conn.execute(update(j).where(j.c.id == job_id, where).values(**values)).rowcount
    return bool(changed)


def start(engine: Engine, job_id: int, owner: str) -> int | None:
    """queued -> running for ``owner``; the attempt's number, or None when the job is no longer queued
    (cancelled meanwhile, or started by someone else)."""
    with write_transaction(engine) as conn:
        changed = conn.execute(
            update(j)
            .where(j.c.id == job_id, j.c.status == "queued")
            .values(
                status="running",
                attempts=j.c.attempts + 1,
                owner=owner,
                heartbeat_at=now_epoch(),
                started_at=now_iso(),
                message=None,
            )
        ).rowcount
        if not changed:
            return None
        return int(conn.execute(select(j.c.attempts).where(j.c.id == job_id)).scalar_one())


def _this_attempt(attempt: int) -> Any:
    # a worker's last word counts only while the row is still its run: not after a retry started anew
    return (j.c.attempts == attempt) & j.c.status.in_(("running", "interrupted"))


def progress(
    engine: Engine, job_id: int, attempt: int, done: float, total: float | None, message: str | None
) -> bool:
    values: dict[str, Any] = {"done": done, "total": total, "heartbeat_at": now_epoch()}
    if message is not None:
        values["message"] = message
    return _update(engine, job_id, (j.c.attempts == attempt) & (j.c.status == "running"), **values)


def heartbeat(engine: Engine, job_id: int, attempt: int) -> bool:
    return _update(
        engine,
        job_id,
        (j.c.attempts == attempt) & (j.c.status == "running"),
        heartbeat_at=now_epoch(),
    )


def heartbeat_owned(engine: Engine, owner: str) -> None:
    """The queued jobs a runner holds say it is still there."""
    with write_transaction(engine) as conn:
        conn.execute(
            update(j).where(j.c.owner == owner, j.c.status == "queued").values(heartbeat_at=now_epoch())
        )


def finish(engine: Engine, job_id: int, attempt: int, status: str, **values: Any) -> bool:
    """running -> done, failed or cancelled (``values``: result, error, done, total, message)."""
    assert status in FINISHED
    return _update(engine, job_id, _this_attempt(attempt), status=status, finished_at=now_iso(), **values)


def requeue(engine: Engine, job_id: int, attempt: int, error: str, owner: str, message: str) -> bool:
    """running -> queued after a failed attempt that will be retried, held again by the runner."""
    return _update(
        engine,
        job_id,
        _this_attempt(attempt),
        status="queued",
        error=error,
        message=message,
        owner=owner,
        heartbeat_at=now_epoch(),
    )


def fail_unstarted(engine: Engine, job_id: int, error: str) -> bool:
    """queued or running -> failed when the executor itself gave up (the job could not be sent, or the
    worker process died)."""
    return _update(
        engine, job_id, j.c.status.in_(ACTIVE), status="failed", error=error, finished_at=now_iso()
    )


def interrupt_queued(engine: Engine, job_id: int, error: str) -> bool:
    """queued -> interrupted: the runner that held it stops (``job.retry()`` runs it again)."""
    return _update(
        engine, job_id, j.c.status == "queued", status="interrupted", error=error, finished_at=now_iso()
    )


def request_cancel(engine: Engine, job_id: int) -> str | None:
    """Cancel: a queued job ends at once, a running one is asked to stop. The status after, or None
    when there is no such job."""
    with write_transaction(engine) as conn:
        row = conn.execute(select(j.c.status).where(j.c.id == job_id)).first()
        if row is None:
            return None
        if row[0] == "queued":
            conn.execute(
                update(j)
                .where(j.c.id == job_id)
                .values(status="cancelled", cancel_requested=True, finished_at=now_iso())
            )
            return "cancelled"
        if row[0] == "running":
            conn.execute(update(j).where(j.c.id == job_id).values(cancel_requested=True))
        return str(row[0])


def reset_for_retry(engine: Engine, job_id: int, owner: str, max_retries: int | None = None) -> bool:
    """failed, interrupted or cancelled -> queued, held by ``owner``, with its last run's traces cleared."""
    values: dict[str, Any] = {
        "status": "queued",
        "owner": owner,
        "heartbeat_at": now_epoch(),
        "cancel_requested": False,
        "error": None,
        "result": None,
        "done": 0,
        "total": None,
        "message": None,
        "started_at": None,
        "finished_at": None,
    }
    if max_retries is not None:
        values["max_retries"] = max_retries
    return _update(engine, job_id, j.c.status.in_(RETRYABLE), **values)


def _same(column: Any, value: Any) -> Any:
    return column.is_(None) if value is None else column == value


def mark_interrupted(
    engine: Engine, project_id: int, gone: Callable[[str | None, float | None], bool]
) -> list[int]:
    """Queued and running jobs whose owner ``gone(owner, heartbeat_at)`` says has ended become
    interrupted. The ids changed."""
    with read_transaction(engine) as conn:
        candidates = list(
            conn.execute(
                select(j.c.id, j.c.status, j.c.owner, j.c.heartbeat_at).where(
                    j.c.project_id == project_id, j.c.status.in_(ACTIVE)
                )
            )
        )
    changed = []
    for job_id, status, owner, beat in candidates:
        if not gone(owner, beat):
            continue
        # only if nothing moved since it was read (the owner may have just finished it)
        if _update(
            engine,
            job_id,
            (j.c.status == status) & _same(j.c.owner, owner) & _same(j.c.heartbeat_at, beat),
            status="interrupted",
            error=f"interrupted: the process that held it ({owner or 'unknown'}) ended before it finished",
            finished_at=now_iso(),
        ):
            changed.append(int(job_id))
    return changed
