"""Sequential next-task selection with per-user leases (Label Studio's "Sequential sampling").

A task is open to a user when it is not yet labelled, the user has no annotation on it (a skip counts, so
a skipped task goes to others: Label Studio's default "requeue for others"), and the leases other users
hold on it plus its finished annotations leave room under its overlap. The chosen task is leased to the
user until the lease expires; asking again before then returns the same task, and submitting or skipping
releases it. The whole choice runs inside one write transaction (``BEGIN IMMEDIATE`` on SQLite, so two
processes can never both see a task free and both lease it).
"""

from __future__ import annotations

from sqlalchemy import Connection, and_, delete, exists, func, insert, select, update

from labelnb.store import schema as s

#: how long a task stays reserved for the user it was handed to, in seconds
DEFAULT_LEASE_TTL_S = 3600.0


def _open_tasks(project_id: int, user_id: int, now: float):  # type: ignore[no-untyped-def]
    t, a, lease = s.tasks, s.annotations, s.leases
    mine = exists().where(a.c.task_id == t.c.id, a.c.completed_by == user_id)
    held_by_others = (
        select(func.count())
        .where(lease.c.task_id == t.c.id, lease.c.user_id != user_id, lease.c.expires_at > now)
        .scalar_subquery()
    )
    # the task's finished annotations are t.total_annotations (skips are not counted there)
    return (
        select(t.c.id)
        .where(
            t.c.project_id == project_id,
            t.c.is_labeled.is_(False),
            ~mine,
            held_by_others + t.c.total_annotations < t.c.overlap,
        )
        .order_by(t.c.id)
    )


def next_task_id(conn: Connection, project_id: int, user_id: int, now: float, ttl: float) -> int | None:
    """Lease the next task for ``user_id`` inside ``conn``'s write transaction and return its id."""
    t, a, lease = s.tasks, s.annotations, s.leases
    # a task this user already holds, still open to them, comes back first (and its lease is renewed)
    held = conn.execute(
        select(lease.c.task_id)
        .join(t, t.c.id == lease.c.task_id)
        .where(
            lease.c.user_id == user_id,
            lease.c.expires_at > now,
            t.c.project_id == project_id,
            t.c.is_labeled.is_(False),
            ~exists().where(and_(a.c.task_id == t.c.id, a.c.completed_by == user_id)),
        )
        .order_by(lease.c.task_id)
        .limit(1)
    ).scalar()
    if held is not None:
        conn.execute(
            update(lease)
            .where(lease.c.task_id == held, lease.c.user_id == user_id)
            .values(expires_at=now + ttl)
        )
        return int(held)
    task_id = conn.execute(_open_tasks(project_id, user_id, now).limit(1)).scalar()
    if task_id is None:
        return None
    conn.execute(delete(lease).where(lease.c.task_id == task_id, lease.c.user_id == user_id))
    conn.execute(insert(lease).values(task_id=task_id, user_id=user_id, expires_at=now + ttl))
    return int(task_id)


def peek_task_ids(
    conn: Connection, project_id: int, user_id: int, now: float, after: int, count: int
) -> list[int]:
    """The ids of the next ``count`` open tasks after ``after``, without leasing them (for prefetching)."""
    t = s.tasks
    query = _open_tasks(project_id, user_id, now).where(t.c.id > after).limit(count)
    return [int(task_id) for task_id in conn.execute(query).scalars()]


def release_expired(conn: Connection, now: float) -> int:
    """Delete leases that have run out; returns how many."""
    return conn.execute(delete(s.leases).where(s.leases.c.expires_at <= now)).rowcount
