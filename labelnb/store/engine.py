"""Opening a store: the SQLAlchemy engine, SQLite's settings, and schema migrations.

SQLite runs in WAL mode so that readers never wait for the writer and several kernels on one machine (a
Voilà server with many visitors) share one file. pysqlite's own transaction handling is switched off and
labelnb issues ``BEGIN`` itself: a connection marked ``write=True`` starts with ``BEGIN IMMEDIATE``, which
takes the write lock up front, so two processes handing out tasks can never both read "free" and then
both lease the same task.

Writers to one SQLite file first queue on an ``flock`` of a file beside it (``project.db-writers``). SQLite
makes a writer that finds the lock taken sleep and retry, in steps that grow to 100 ms, so with twenty
annotators a short write waits far longer than it takes; the kernel wakes the next ``flock`` waiter the
moment the lock is free. SQLite's own lock still guards the file: the queue only decides who goes first.
"""

from __future__ import annotations

import os
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event

try:
    import fcntl
except ImportError:  # Windows: SQLite's own busy waiting alone
    fcntl = None  # type: ignore[assignment]

#: seconds a writer waits for another process's write lock before giving up
BUSY_TIMEOUT_S = 30.0
STORE_FILE = "project.db"
_MIGRATIONS = Path(__file__).with_name("migrations")


def store_url(location: str | os.PathLike[str]) -> str:
    """A store URL for a project folder, or the URL itself when given one (``sqlite:///...``, ``postgresql://``)."""
    text = os.fspath(location)
    if "://" in text:
        return text
    return f"sqlite:///{Path(text).resolve() / STORE_FILE}"


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # labelnb emits BEGIN itself, see below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(BUSY_TIMEOUT_S * 1000)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        immediate = connection.get_execution_options().get("write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class _WriterQueue:
    """The ``flock`` queue of one SQLite file's writers (see the module's docstring): re-entrant within a
    thread, shared by the threads of a process, and opened again in a forked child (a child shares its
    parent's open file and so its lock)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._lock = threading.RLock()
        self._fd: int | None = None
        self._pid = 0
        self._depth = 0

    @contextmanager
    def turn(self) -> Iterator[None]:
        with self._lock:
            if self._fd is None or self._pid != os.getpid():
                self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
                self._pid = os.getpid()
            fd = self._fd
            if self._depth == 0:
                fcntl.flock(fd, fcntl.LOCK_EX)
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0:
                    fcntl.flock(fd, fcntl.LOCK_UN)


_WRITER_QUEUES: weakref.WeakKeyDictionary[Engine, _WriterQueue] = weakref.WeakKeyDictionary()


def create_store_engine(url: str) -> Engine:
    """An engine for ``url`` with labelnb's connection settings."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S, "check_same_thread": False})
        _configure_sqlite(engine)
        database = engine.url.database
        if fcntl is not None and database and database != ":memory:" and not database.startswith("file:"):
            _WRITER_QUEUES[engine] = _WriterQueue(f"{database}-writers")
        return engine
    return create_engine(url, pool_pre_ping=True)


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A transaction that holds the write lock from its first statement (SQLite ``BEGIN IMMEDIATE``)."""
    queue = _WRITER_QUEUES.get(engine)
    with (
        queue.turn() if queue is not None else nullcontext(),
        engine.connect().execution_options(write=True) as conn,
        conn.begin(),
    ):
        yield conn


@contextmanager
def read_transaction(engine: Engine) -> Iterator[Connection]:
    """A read-only snapshot: WAL readers see one consistent state and block nobody."""
    with engine.connect() as conn, conn.begin():
        yield conn


def alembic_config(conn: Connection | None = None) -> Config:
    """Alembic's configuration for labelnb's migrations, running on ``conn`` when given."""
    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    if conn is not None:
        cfg.attributes["connection"] = conn
    return cfg


def head_revision() -> str:
    """The newest schema revision this labelnb knows."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine) -> None:
    """Bring the store's schema to the newest revision (a no-op when it is there already)."""
    if current_revision(engine) == head_revision():
        return
    with write_transaction(engine) as conn:
        command.upgrade(alembic_config(conn), "head")
