"""Several processes asking one store for tasks at once never get the same task (or, with an overlap of 3,
never more than three hold one, and never one person twice), and annotators killed with SIGKILL midway
lose nothing that was stored and leave the store sound. On SQLite (one file) and on PostgreSQL (each
process on connections of its own)."""

from __future__ import annotations

import multiprocessing as mp
import os
import random
import signal
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from labelnb.queue import configure_queue, next_task_id, prune_expired_leases
from labelnb.store import Store, schema, store_url, write_transaction
from labelnb.store.codec import now_epoch

CONFIG = '<View><Text name="t" value="$text"/></View>'
WORKERS = 6
TASKS_EACH = 15


class _Item:
    def __init__(self, n: int) -> None:
        self.data = {"n": n}
        self.meta = None
        self.extra: dict[str, object] = {}
        self.annotations: list[dict[str, object]] = []
        self.predictions: list[dict[str, object]] = []


def _worker(url: str, user: str, start: mp.synchronize.Event, out: mp.Queue) -> None:  # type: ignore[type-arg]
    store = Store.open(url)
    start.wait()
    got = []
    for _ in range(TASKS_EACH):
        with write_transaction(store.engine) as conn:
            uid = Store.user_id(conn, user)
            task_id = next_task_id(conn, store.project_id, uid, now_epoch(), 3600)
            assert task_id is not None
            # answering releases the lease and moves on, as the widget does
            store.write_annotation(
                task_id, uid, [{"by": user}], lead_time=None, was_cancelled=False, conn=conn
            )
        got.append(task_id)
    out.put((user, got))


def test_processes_never_share_a_task(store_location: str) -> None:
    url = store_url(store_location)
    store = Store.create(url, "race", CONFIG)
    store.import_tasks([_Item(n) for n in range(WORKERS * TASKS_EACH)], user="setup")
    ctx = mp.get_context("spawn")
    start, out = ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(url, f"user{i}", start, out)) for i in range(WORKERS)]
    for proc in procs:
        proc.start()
    start.set()
    results = [out.get(timeout=120) for _ in procs]
    for proc in procs:
        proc.join(timeout=60)
        assert proc.exitcode == 0
    handed_out = [task for _, tasks in results for task in tasks]
    assert len(handed_out) == WORKERS * TASKS_EACH
    assert len(set(handed_out)) == len(handed_out), "a task was handed to two processes"
    assert store.progress() == (WORKERS * TASKS_EACH, WORKERS * TASKS_EACH)
    assert all(len(store.annotations(task)) == 1 for task in handed_out)


# -- annotators killed midway ----------------------------------------------------------------------------

KILL_WORKERS = 8
KILLED = 3
KILL_TTL_S = 1.5


def _log(path: Path, *fields: object) -> None:
    """One line per event, on disk before the worker goes on (a SIGKILL loses at most a torn last line)."""
    with path.open("a") as f:
        f.write(" ".join(str(x) for x in fields) + "\n")
        f.flush()
        os.fsync(f.fileno())


def _annotator(url: str, user: str, log: Path, start: mp.synchronize.Event, tasks: int) -> None:  # type: ignore[type-arg]
    """Lease, work a little, submit; until every task is labelled (tasks held by the dead come back)."""
    store = Store.open(url)
    rng = random.Random(user)
    start.wait()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        with write_transaction(store.engine) as conn:
            uid = Store.user_id(conn, user)
            now = now_epoch()
            task_id = next_task_id(conn, store.project_id, uid, now, KILL_TTL_S)
        if task_id is None:
            if store.progress()[0] == tasks:
                return
            time.sleep(0.05)  # the rest is leased, to the living or the dead
            continue
        _log(log, "lease", task_id, now, now + KILL_TTL_S)
        time.sleep(rng.uniform(0.002, 0.02))  # labelling
        with write_transaction(store.engine) as conn:
            # a submit that comes after its own lease ran out may find the task done by someone else
            store.write_annotation(
                task_id, uid, [{"by": user}], lead_time=None, was_cancelled=False, conn=conn
            )
            done = now_epoch()
        _log(log, "submit", task_id, done)


def _events(log: Path) -> list[list[str]]:
    lines = log.read_text().split("\n") if log.exists() else []
    return [line.split() for line in lines if line.endswith(tuple("0123456789")) and len(line.split()) >= 3]


@pytest.mark.parametrize(("overlap", "tasks"), [(1, 300), (3, 120)])
def test_annotators_killed_midway_lose_nothing_and_never_share_a_lease(
    tmp_path: Path, store_location: str, overlap: int, tasks: int
) -> None:
    url = store_url(store_location)
    store = Store.create(url, "kill", CONFIG)
    configure_queue(store, maximum_annotations=overlap)
    store.import_tasks([_Item(n) for n in range(tasks)], user="setup")
    ctx = mp.get_context("spawn")
    start = ctx.Event()
    logs = [tmp_path / f"user{i}.log" for i in range(KILL_WORKERS)]
    procs = [
        ctx.Process(target=_annotator, args=(url, f"user{i}", logs[i], start, tasks))
        for i in range(KILL_WORKERS)
    ]
    for proc in procs:
        proc.start()
    start.set()
    # kill some annotators once they have worked a little: mid-sleep, mid-transaction, wherever they are
    rng = random.Random(7)
    for i in range(KILLED):
        deadline = time.monotonic() + 60
        while not _events(logs[i]) and time.monotonic() < deadline:
            time.sleep(0.002)
        time.sleep(rng.uniform(0.0, 0.05))
        os.kill(procs[i].pid or 0, signal.SIGKILL)
    assert store.progress()[0] < tasks, "the annotators were killed after the work was done"
    for proc in procs:
        proc.join(timeout=150)
    assert [p.exitcode for p in procs] == [-signal.SIGKILL] * KILLED + [0] * (KILL_WORKERS - KILLED)

    events = {f"user{i}": _events(log) for i, log in enumerate(logs)}
    # never more annotators than the overlap hold a task at once: each lease lasts until its submit or its
    # expiry; and no one is handed a task twice
    held: dict[int, list[tuple[float, float, str]]] = {}
    for user, evs in events.items():
        leased: dict[int, tuple[float, float]] = {}
        handed = [int(ev[1]) for ev in evs if ev[0] == "lease"]
        assert len(handed) == len(set(handed)), f"{user} was handed a task twice"
        for ev in evs:
            task = int(ev[1])
            if ev[0] == "lease":
                leased[task] = (float(ev[2]), float(ev[3]))
            elif ev[0] == "submit" and task in leased:
                begin, expiry = leased.pop(task)
                held.setdefault(task, []).append((begin, min(expiry, float(ev[2])), user))
        for task, (begin, expiry) in leased.items():  # never submitted: held until it expired
            held.setdefault(task, []).append((begin, expiry, user))
    for task, spans in held.items():
        assert _most_at_once(spans) <= overlap, f"task {task} leased to more than {overlap} at once: {spans}"

    # every submission that returned is stored, and the overlap holds: that many annotations a task, by
    # different people
    submitted = {(user, int(ev[1])) for user, evs in events.items() for ev in evs if ev[0] == "submit"}
    stored = {(a["by"], task) for task in range(1, tasks + 1) for a in _results(store, task)}
    assert submitted <= stored
    assert store.progress() == (tasks, tasks)
    for task in range(1, tasks + 1):
        people = [a["completed_by"] for a in store.annotations(task)]
        assert len(people) == overlap
        assert len(set(people)) == overlap
    with write_transaction(store.engine) as conn:
        assert prune_expired_leases(conn, store.project_id, now_epoch() + KILL_TTL_S) >= 0
        if conn.dialect.name == "sqlite":
            assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        else:  # the killed processes' connections are gone, and their transactions with them
            assert (
                conn.execute(
                    text(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in%'"
                    )
                ).scalar()
                == 0
            )
        assert conn.execute(select(func.count()).select_from(schema.leases)).scalar() == 0


def _most_at_once(spans: list[tuple[float, float, str]]) -> int:
    """The most spans (begin, end) that overlap at one moment; one that ends as another begins does not."""
    moments = sorted([(end, -1) for _, end, _ in spans] + [(begin, 1) for begin, _, _ in spans])
    most = now = 0
    for _, step in moments:  # at equal times the end (-1) sorts first
        now += step
        most = max(most, now)
    return most


def _results(store: Store, task: int) -> list[dict[str, str]]:
    return [item for a in store.annotations(task) for item in a["result"]]
