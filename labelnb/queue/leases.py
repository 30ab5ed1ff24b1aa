"""Leases: a task handed to a user is reserved for them until the lease expires.

Asking again before then gives the same task back; submitting, skipping or postponing releases it. An
expired lease reserves nothing; it is deleted when its user next takes a task, and
:func:`prune_expired_leases` deletes every expired lease of a project (a session does it when it opens),
so the leases of annotators who closed their page or whose kernel died do not pile up.
"""

from __future__ import annotations

from sqlalchemy import BindParameter, Connection, Float, Integer, bindparam, delete, insert, select, update

from labelnb.store import schema as s

#: how long a task stays reserved for the user it was handed to, in seconds
DEFAULT_LEASE_TTL_S = 3600.0

_t, _lease = s.tasks, s.leases
_PROJECT: BindParameter[int] = bindparam("project_id", type_=Integer)
_NOW: BindParameter[float] = bindparam("now", type_=Float)
# INSERT and UPDATE refuse bind parameters named like their columns, hence the lease_ prefix
_L_TASK: BindParameter[int] = bindparam("lease_task", type_=Integer)
_L_USER: BindParameter[int] = bindparam("lease_user", type_=Integer)
_L_EXPIRES: BindParameter[float] = bindparam("lease_expires", type_=Float)

_RENEW = (
    update(_lease)
    .where(_lease.c.task_id == _L_TASK, _lease.c.user_id == _L_USER)
    .values(expires_at=_L_EXPIRES)
)
_KEEP = _RENEW.where(_lease.c.expires_at > _NOW)
_DROP = delete(_lease).where(_lease.c.task_id == _L_TASK, _lease.c.user_id == _L_USER)
# this user's expired leases (ix_leases_user serves it), deleted when they take a new one
_DROP_EXPIRED_OF_USER = delete(_lease).where(_lease.c.user_id == _L_USER, _lease.c.expires_at <= _NOW)
_DROP_EXPIRED = delete(_lease).where(
    _lease.c.expires_at <= _NOW,
    _lease.c.task_id.in_(select(_t.c.id).where(_t.c.project_id == _PROJECT).scalar_subquery()),
)
_TAKE = insert(_lease).values(task_id=_L_TASK, user_id=_L_USER, expires_at=_L_EXPIRES)


def take_lease(conn: Connection, task_id: int, user_id: int, now: float, ttl: float) -> None:
    """Lease ``task_id`` to ``user_id`` until ``now + ttl`` (the caller checked there is room)."""
    lease = {"lease_task": task_id, "lease_user": user_id, "lease_expires": now + ttl}
    conn.execute(_DROP_EXPIRED_OF_USER, {"lease_user": user_id, "now": now})
    conn.execute(_DROP, lease)  # a lease of this user on the same task (expired, or it would be held)
    conn.execute(_TAKE, lease)


def extend_lease(conn: Connection, task_id: int, user_id: int, now: float, ttl: float) -> None:
    """Move the end of a lease the user holds to ``now + ttl``."""
    conn.execute(_RENEW, {"lease_task": task_id, "lease_user": user_id, "lease_expires": now + ttl})


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
