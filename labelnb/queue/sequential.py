"""Sequential next-task selection with per-user leases (Label Studio's "Sequential sampling").

A task is open to a user when it is not yet labelled, the user has no annotation on it (a skip counts, so
a skipped task goes to others: Label Studio's default "requeue for others"), and the leases other users
hold on it plus its finished annotations leave room under its overlap. The chosen task is leased to the
user until the lease expires; asking again before then returns the same task, and submitting or skipping
releases it. An expired lease reserves nothing; it is deleted when its user next takes a task, and
:func:`prune_expired_leases` deletes every expired lease of a project (a session does it when it opens), so
the leases of annotators who closed their page or whose kernel died do not pile up. The whole choice runs inside one write transaction (``BEGIN IMMEDIATE`` on SQLite, so two
processes can never both see a task free and both lease it).

The statements are built once, with bind parameters, because ``next_task`` is on the labeller's hot path.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BindParameter,
    Connection,
    Float,
    Integer,
    Select,
    bindparam,
    delete,
    exists,
    func,
    insert,
    select,
    update,
)

from labelnb.store import schema as s

#: how long a task stays reserved for the user it was handed to, in seconds
DEFAULT_LEASE_TTL_S = 3600.0

_t, _a, _lease, _qi = s.tasks, s.annotations, s.leases, s.queue_items
_PROJECT: BindParameter[int] = bindparam("project_id", type_=Integer)
_USER: BindParameter[int] = bindparam("user_id", type_=Integer)
_NOW: BindParameter[float] = bindparam("now", type_=Float)
_QUEUE: BindParameter[int] = bindparam("queue_id", type_=Integer)

_answered_by_user = exists().where(_a.c.task_id == _t.c.id, _a.c.completed_by == _USER)
_held_by_others = (
    select(func.count())
    .where(_lease.c.task_id == _t.c.id, _lease.c.user_id != _USER, _lease.c.expires_at > _NOW)
    .scalar_subquery()
)


def _is_open() -> tuple[Any, ...]:
    # t.total_annotations counts the task's finished annotations (skips are not counted there)
    return (
        _t.c.project_id == _PROJECT,
        _t.c.is_labeled.is_(False),
        ~_answered_by_user,
        _held_by_others + _t.c.total_annotations < _t.c.overlap,
    )


def _open_tasks() -> Select[int]:
    return select(_t.c.id).where(*_is_open()).order_by(_t.c.id)


def _open_in_queue() -> Select[int]:
    """Open tasks of a stored queue (labelnb.queue.ranking) in its order."""
    return (
        select(_t.c.id)
        .select_from(_qi.join(_t, _t.c.id == _qi.c.task_id))
        .where(_qi.c.queue_id == _QUEUE, *_is_open())
        .order_by(_qi.c.position)
    )


_FIRST_OPEN = _open_tasks().limit(1)
_FIRST_OPEN_IN_QUEUE = _open_in_queue().limit(1)
_PEEK = _open_tasks().where(_t.c.id > bindparam("after")).limit(bindparam("count"))
_PEEK_IN_QUEUE = (
    _open_in_queue()
    .where(
        _qi.c.position
        > select(_qi.c.position)
        .where(_qi.c.queue_id == _QUEUE, _qi.c.task_id == bindparam("after"))
        .scalar_subquery()
    )
    .limit(bindparam("count"))
)
_HELD = (
    select(_lease.c.task_id)
    .join(_t, _t.c.id == _lease.c.task_id)
    .where(
        _lease.c.user_id == _USER,
        _lease.c.expires_at > _NOW,
        _t.c.project_id == _PROJECT,
        _t.c.is_labeled.is_(False),
        ~_answered_by_user,
    )
    .order_by(_lease.c.task_id)
    .limit(1)
)
# in a stored queue, only a held task of that queue comes back
_HELD_IN_QUEUE = _HELD.where(exists().where(_qi.c.queue_id == _QUEUE, _qi.c.task_id == _t.c.id))
# INSERT and UPDATE refuse bind parameters named like their columns, hence the lease_ prefix
_L_TASK: BindParameter[int] = bindparam("lease_task", type_=Integer)
_L_USER: BindParameter[int] = bindparam("lease_user", type_=Integer)
_L_EXPIRES: BindParameter[float] = bindparam("lease_expires", type_=Float)
_RENEW = (
    update(_lease)
    .where(_lease.c.task_id == _L_TASK, _lease.c.user_id == _L_USER)
    .values(expires_at=_L_EXPIRES)
)
_DROP = delete(_lease).where(_lease.c.task_id == _L_TASK, _lease.c.user_id == _L_USER)
# this user's expired leases (ix_leases_user serves it), deleted when they take a new one
_DROP_EXPIRED_OF_USER = delete(_lease).where(_lease.c.user_id == _L_USER, _lease.c.expires_at <= _NOW)
_DROP_EXPIRED = delete(_lease).where(
    _lease.c.expires_at <= _NOW,
    _lease.c.task_id.in_(select(_t.c.id).where(_t.c.project_id == _PROJECT).scalar_subquery()),
)
_TAKE = insert(_lease).values(task_id=_L_TASK, user_id=_L_USER, expires_at=_L_EXPIRES)


def next_task_id(
    conn: Connection,
    project_id: int,
    user_id: int,
    now: float,
    ttl: float,
    queue_id: int | None = None,
) -> int | None:
    """Lease the next task for ``user_id`` inside ``conn``'s write transaction and return its id.

    With ``queue_id`` the task comes from that stored queue (a ranking or a selection), in its order;
    without, from all of the project's tasks by id.
    """
    params = {"project_id": project_id, "user_id": user_id, "now": now, "queue_id": queue_id}
    # a task this user already holds, still open to them, comes back first (and its lease is renewed)
    held = conn.execute(_HELD if queue_id is None else _HELD_IN_QUEUE, params).scalar()
    if held is not None:
        conn.execute(_RENEW, {"lease_task": held, "lease_user": user_id, "lease_expires": now + ttl})
        return int(held)
    task_id = conn.execute(_FIRST_OPEN if queue_id is None else _FIRST_OPEN_IN_QUEUE, params).scalar()
    if task_id is None:
        return None
    lease = {"lease_task": task_id, "lease_user": user_id, "lease_expires": now + ttl}
    conn.execute(_DROP_EXPIRED_OF_USER, {"lease_user": user_id, "now": now})
    conn.execute(_DROP, lease)  # a lease of this user on the same task (expired, or it would be held)
    conn.execute(_TAKE, lease)
    return int(task_id)


_KEEP = (
    update(_lease)
    .where(_lease.c.task_id == _L_TASK, _lease.c.user_id == _L_USER, _lease.c.expires_at > _NOW)
    .values(expires_at=_L_EXPIRES)
)


def renew_lease(conn: Connection, task_id: int, user_id: int, now: float, ttl: float) -> bool:
    """Extend ``user_id``'s lease on ``task_id`` to ``now + ttl`` if they still hold it; whether they did.

    A lease that ran out is not taken back: someone else may hold the task by now.
    """
    params = {"lease_task": task_id, "lease_user": user_id, "lease_expires": now + ttl, "now": now}
    return bool(conn.execute(_KEEP, params).rowcount)


def release_lease(conn: Connection, task_id: int, user_id: int) -> None:
    """Give the task back to the queue (the user closed the widget without answering)."""
    conn.execute(_DROP, {"lease_task": task_id, "lease_user": user_id})


def prune_expired_leases(conn: Connection, project_id: int, now: float) -> int:
    """Delete the leases of ``project_id`` that expired by ``now``; how many there were."""
    return int(conn.execute(_DROP_EXPIRED, {"project_id": project_id, "now": now}).rowcount)


def peek_task_ids(
    conn: Connection,
    project_id: int,
    user_id: int,
    now: float,
    after: int,
    count: int,
    queue_id: int | None = None,
) -> list[int]:
    """The ids of the next ``count`` open tasks after ``after``, without leasing them (for prefetching)."""
    params = {
        "project_id": project_id,
        "user_id": user_id,
        "now": now,
        "after": after,
        "count": count,
        "queue_id": queue_id,
    }
    statement = _PEEK if queue_id is None else _PEEK_IN_QUEUE
    return [int(task_id) for task_id in conn.execute(statement, params).scalars()]
