"""Writers to one SQLite file queue on an flock beside it, so a waiting writer wakes when the lock is free
instead of sleeping in SQLite's busy handler."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import text

from labelnb.store import Store, store_url, write_transaction
from labelnb.store.engine import read_transaction

CONFIG = '<View><Text name="t" value="$t"/></View>'
TRY_LOCK = """
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDWR)
try:
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
except BlockingIOError:
    print("taken")
else:
    print("free")
"""


def lock_state(path: Path) -> str:
    return subprocess.run(
        [sys.executable, "-c", TRY_LOCK, str(path)], capture_output=True, text=True, check=True
    ).stdout.strip()


def test_a_write_transaction_holds_the_writers_lock_and_reads_do_not(tmp_path: Path) -> None:
    store = Store.create(store_url(tmp_path), "q", CONFIG)
    lock = tmp_path / "project.db-writers"
    with write_transaction(store.engine) as conn:
        conn.execute(text("SELECT 1"))
        assert lock.exists()
        assert lock_state(lock) == "taken"
    assert lock_state(lock) == "free"
    with read_transaction(store.engine):
        assert lock_state(lock) == "free"
    store.close()


def test_a_forked_child_takes_its_own_turn(tmp_path: Path) -> None:
    store = Store.create(store_url(tmp_path), "q", CONFIG)
    with write_transaction(store.engine):
        pass  # the parent opened its lock file
    pid = os.fork()
    if pid == 0:  # the child: its turn must not be the parent's
        code = 1
        try:
            with write_transaction(store.engine):
                fd = os.open(tmp_path / "project.db-writers", os.O_RDWR)
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    code = 0  # another open file (the test's) cannot take it: the child holds it
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    store.close()
