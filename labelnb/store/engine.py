"""Opening a store: the SQLAlchemy engine, SQLite's settings, and schema migrations.

SQLite runs in WAL mode so that readers never wait for the writer and several kernels on one machine (a
Voilà server with many visitors) share one file. pysqlite's own transaction handling is switched off and
labelnb issues ``BEGIN`` itself: a connection marked ``write=True`` starts with ``BEGIN IMMEDIATE``, which
takes the write lock up front, so two processes handing out tasks can never both read "free" and then
both lease the same task.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event

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


def create_store_engine(url: str) -> Engine:
    """An engine for ``url`` with labelnb's connection settings."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S, "check_same_thread": False})
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True)


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A transaction that holds the write lock from its first statement (SQLite ``BEGIN IMMEDIATE``)."""
    with engine.connect().execution_options(write=True) as conn, conn.begin():
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
