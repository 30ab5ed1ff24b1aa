"""Several processes asking one SQLite store for tasks at once never get the same task."""

from __future__ import annotations

import multiprocessing as mp
from pathlib import Path

from labelnb.queue import next_task_id
from labelnb.store import Store, store_url, write_transaction
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


def test_processes_never_share_a_task(tmp_path: Path) -> None:
    url = store_url(tmp_path)
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
