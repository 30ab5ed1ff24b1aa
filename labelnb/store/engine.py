"""Opening a store: the SQLAlchemy engine, SQLite's and PostgreSQL's settings, and schema migrations.

SQLite runs in WAL mode so that readers never wait for the writer and several kernels on one machine (a
Voilà server with many visitors) share one file. pysqlite's own transaction handling is switched off and
labelnb issues ``BEGIN`` itself: a connection marked ``write=True`` starts with ``BEGIN IMMEDIATE``, which
takes the write lock up front, so two processes handing out tasks can never both read "free" and then
both lease the same task.

Writers to one SQLite file first queue on an ``flock`` of a file beside it (``project.db-writers``). SQLite
makes a writer that finds the lock taken sleep and retry, in steps that grow to 100 ms, so with twenty
annotators a short write waits far longer than it takes; the kernel wakes the next ``flock`` waiter the
moment the lock is free. SQLite's own lock still guards the file: the queue only decides who goes first.

PostgreSQL gets the same guarantee from a transaction-scoped advisory lock: a write transaction's first
statement is ``pg_advisory_xact_lock`` on one key for the whole database, so write transactions run one
at a time, and each sees everything the one before it committed (READ COMMITTED reads the newest commit
at every statement). That is chosen over ``SELECT ... FOR UPDATE`` on the project row because it
serialises exactly what ``BEGIN IMMEDIATE`` does, and it also holds where there is no row to lock yet
(``Store.create`` on an empty database, the migrations) or a write touches no project row at all (users,
jobs). Readers take no lock and are never blocked; a read transaction is REPEATABLE READ, so that a read
of several statements (an export page and its children) sees one snapshot, as a WAL reader does. The
lock is released at commit or rollback, and a writer waits for it at most ``BUSY_TIMEOUT_S``, as
SQLite's busy timeout.
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
from sqlalchemy import Connection, Engine, Table, create_engine, event

try:
    import fcntl
except ImportError:  # Windows: SQLite's own busy waiting alone
    fcntl = None  # type: ignore[assignment]

#: seconds a writer waits for another process's write lock before giving up
BUSY_TIMEOUT_S = 30.0
#: the key of PostgreSQL's advisory lock that write transactions hold (any fixed 64-bit number; this one
#: spells "labelnb" in ASCII)
WRITE_LOCK_KEY = 0x6C6162656C6E62
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


def _configure_postgresql(engine: Engine) -> None:
    lock = (
        f"SET LOCAL lock_timeout = '{int(BUSY_TIMEOUT_S * 1000)}ms'; "
        f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})"
    )

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        if connection.get_execution_options().get("write", False):
            connection.exec_driver_sql(lock)  # the transaction's first statement, see the module's docstring


def create_store_engine(url: str) -> Engine:
    """An engine for ``url`` with labelnb's connection settings."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S, "check_same_thread": False})
        _configure_sqlite(engine)
        database = engine.url.database
        if fcntl is not None and database and database != ":memory:" and not database.startswith("file:"):
            _WRITER_QUEUES[engine] = _WriterQueue(f"{database}-writers")
        return engine
    engine = create_engine(url, pool_pre_ping=True)
    if engine.dialect.name == "postgresql":
        _configure_postgresql(engine)
    return engine


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A transaction that holds the write lock from its first statement (SQLite ``BEGIN IMMEDIATE``,
    PostgreSQL's advisory lock)."""
    queue = _WRITER_QUEUES.get(engine)
    with (
        queue.turn() if queue is not None else nullcontext(),
        engine.connect().execution_options(write=True) as conn,
        conn.begin(),
    ):
        yield conn


@contextmanager
def read_transaction(engine: Engine) -> Iterator[Connection]:
    """A read-only snapshot: WAL readers (PostgreSQL: REPEATABLE READ) see one consistent state and block
    nobody."""
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            conn.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        with conn.begin():
            yield conn


def fix_sequences(conn: Connection, *tables: Table) -> None:
    """Move each table's id sequence past its greatest id (PostgreSQL; a no-op on SQLite).

    Rows written with ids of their own (the bulk importer hands them out, a copy keeps them) leave
    PostgreSQL's sequences where they were, and the next insert that takes its id from the sequence would
    collide. Run inside the write transaction that wrote them: the write lock keeps other writers out
    until it commits (``setval`` itself is not rolled back; a rolled-back import only leaves a gap).
    """
    if conn.dialect.name != "postgresql":
        return
    for table in tables:
        conn.exec_driver_sql(
            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), coalesce(max(id), 0) + 1, false) "
            f"FROM {table.name}"
        )


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
