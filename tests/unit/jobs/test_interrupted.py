"""Jobs whose process is gone are found interrupted when a project is opened; live ones are left alone."""

from __future__ import annotations

import subprocess
import sys

from sqlalchemy import update

from labelnb.jobs import Job, mark_interrupted
from labelnb.jobs import rows as job_rows
from labelnb.jobs.owner import Owner, hostname, owner_gone, this_process
from labelnb.store import Store
from labelnb.store import schema as s
from labelnb.store.codec import now_epoch


def ended_pid() -> int:
    """The pid of a process that has just exited."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def job_owned_by(store: Store, owner: str, status: str = "running", heartbeat_at: float | None = None) -> int:
    job_id = job_rows.insert_job(store.engine, store.project_id, "work", None, None, 0, owner)
    with store.engine.begin() as conn:
        conn.execute(
            update(s.jobs)
            .where(s.jobs.c.id == job_id)
            .values(status=status, heartbeat_at=heartbeat_at if heartbeat_at is not None else now_epoch())
        )
    return job_id


def test_owners_that_are_gone_and_owners_that_live(store: Store) -> None:
    me = this_process()
    here = hostname()
    dead = job_owned_by(store, f"{here}:{ended_pid()}:1")
    reused = job_owned_by(store, f"{here}:{me.pid}:{me.start}0")  # our pid, another start time
    queued_dead = job_owned_by(store, f"{here}:{ended_pid()}:1", status="queued")
    mine = job_owned_by(store, str(me))
    far_fresh = job_owned_by(store, "elsewhere:1:1")
    far_stale = job_owned_by(store, "elsewhere:1:1", heartbeat_at=now_epoch() - 3600)
    unreadable_stale = job_owned_by(store, "garbage", heartbeat_at=now_epoch() - 3600)
    finished = job_owned_by(store, f"{here}:{ended_pid()}:1", status="done")

    assert mark_interrupted(store, stale_after=60) == 5
    status = {job_id: Job(store.engine, store.project_id, job_id).status for job_id in range(1, finished + 1)}
    assert status == {
        dead: "interrupted",
        reused: "interrupted",
        queued_dead: "interrupted",
        mine: "running",
        far_fresh: "running",
        far_stale: "interrupted",
        unreadable_stale: "interrupted",
        finished: "done",
    }
    error = Job(store.engine, store.project_id, dead).error
    assert error is not None
    assert "ended before it finished" in error
    assert mark_interrupted(store, stale_after=60) == 0


def test_owner_text_round_trips_and_checks_start_time() -> None:
    me = this_process()
    assert Owner.parse(str(me)) == me
    assert me.is_alive_here()
    assert Owner.parse("no pid here") is None
    assert not owner_gone(str(me), None, now_epoch(), 60)
    assert owner_gone(f"{hostname()}:{me.pid}:not-my-start", None, now_epoch(), 60)
