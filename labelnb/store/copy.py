"""Copy a whole store to another one (``labelnb copy SRC DST``): SQLite to PostgreSQL and back.

Every table of :mod:`labelnb.store.schema` is copied row for row with its ids, in an order where each row
comes after the rows it points at: projects, users, tasks, annotations and their versions, drafts,
predictions, leases, queues and their items, jobs, model versions, events, storages and their objects,
members and reviews. Rows are streamed in batches from one read snapshot of the source, so a big project
never sits in memory whole. The destination is written in one write transaction, schema included: a
copy that fails anywhere leaves it as it was (a SQLite file the copy created is removed). Afterwards the
destination's id sequences (PostgreSQL) are moved past the copied ids.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

from alembic import command
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, Engine, Table, func, select
from sqlalchemy.engine import make_url

from labelnb.store import schema as s
from labelnb.store.engine import (
    STORE_FILE,
    alembic_config,
    create_store_engine,
    fix_sequences,
    head_revision,
    read_transaction,
    store_url,
    upgrade,
    write_transaction,
)
from labelnb.store.importer import RowWriter
from labelnb.store.store import StoreError

#: rows read and written at a time
COPY_BATCH = 2_000


@dataclass
class CopyReport:
    """How many rows of each table were copied."""

    rows: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.rows.values())

    def __str__(self) -> str:
        counts = ", ".join(f"{name} {count}" for name, count in self.rows.items() if count)
        return f"{self.total} rows copied ({counts})"


def copied_tables() -> list[Table]:
    """The tables a copy writes, parents before the tables that point at them."""
    return list(s.metadata.sorted_tables)


def copy_store(
    source: str | os.PathLike[str], destination: str | os.PathLike[str], *, batch: int = COPY_BATCH
) -> CopyReport:
    """Copy the store at ``source`` (a project folder or store URL) into ``destination``, which must hold
    no data (a new folder, a missing file, an empty database or one with labelnb's empty schema).

    Raises :class:`StoreError` when the source holds no project or the destination is not empty; nothing
    is written to the destination then, nor when anything else fails midway.
    """
    if "://" not in os.fspath(source) and not (Path(source) / STORE_FILE).exists():
        # opening it would make an empty store there
        raise StoreError(f"{os.fspath(source)} holds no labelnb project (no {STORE_FILE})")
    source_url, destination_url = store_url(source), store_url(destination)
    made_file = _sqlite_file_to_make(destination)
    source_engine = create_store_engine(source_url)
    destination_engine = create_store_engine(destination_url)
    try:
        upgrade(source_engine)  # as opening it would: the copy has the newest schema
        return _copy(
            source_engine, destination_engine, shown_location(source), shown_location(destination), batch
        )
    except BaseException:
        destination_engine.dispose()
        if made_file is not None:  # nothing was committed to it: leave no empty store behind
            for suffix in ("", "-wal", "-shm", "-writers"):  # -writers: see engine.py
                with suppress(FileNotFoundError):
                    Path(f"{made_file}{suffix}").unlink()
        raise
    finally:
        source_engine.dispose()
        destination_engine.dispose()


def shown_location(location: str | os.PathLike[str]) -> str:
    """A location as a message may show it: a URL without its password."""
    text = os.fspath(location)
    if "://" not in text:
        return text
    return make_url(text).render_as_string(hide_password=True)


def _sqlite_file_to_make(destination: str | os.PathLike[str]) -> Path | None:
    """For a project folder (made if missing) whose store file does not exist yet: that file."""
    text = os.fspath(destination)
    if "://" in text:
        return None
    folder = Path(text)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / STORE_FILE
    return None if path.exists() else path


def _copy(
    source: Engine, destination: Engine, source_name: str, destination_name: str, batch: int
) -> CopyReport:
    report = CopyReport()
    tables = copied_tables()
    with read_transaction(source) as reading, write_transaction(destination) as writing:
        if not reading.execute(select(func.count()).select_from(s.projects)).scalar_one():
            raise StoreError(f"{source_name} holds no project to copy")
        _prepare_destination(writing, destination_name)
        for table in tables:
            report.rows[table.name] = 0
            writer = RowWriter(writing, table, [column.name for column in table.columns])
            for rows in _batches(reading, table, batch):
                writer.write(rows)
                report.rows[table.name] += len(rows)
        fix_sequences(writing, *(table for table in tables if _has_id_sequence(table)))
    return report


def _prepare_destination(conn: Connection, name: str) -> None:
    """Bring the destination's schema to the newest revision (in the copy's transaction) and check that
    it holds no rows."""
    if MigrationContext.configure(conn).get_current_revision() != head_revision():
        command.upgrade(alembic_config(conn), "head")
    for table in copied_tables():
        count = conn.execute(select(func.count()).select_from(table)).scalar_one()
        if count:
            raise StoreError(
                f"{name} is not empty (its table {table.name} has {count} rows): "
                "copy into a new folder or an empty database"
            )


def _batches(conn: Connection, table: Table, size: int) -> Iterator[list[tuple[object, ...]]]:
    """The table's rows in primary-key order, ``size`` at a time, as tuples in the table's column order
    (a server-side cursor on PostgreSQL: the rows are never all in memory). SQLAlchemy's types read them,
    so SQLite's 0/1 arrive as the booleans PostgreSQL wants."""
    query = select(table).order_by(*table.primary_key.columns)
    result = conn.execution_options(yield_per=size).execute(query)
    for part in result.partitions(size):
        yield [tuple(row) for row in part]


def _has_id_sequence(table: Table) -> bool:
    keys = list(table.primary_key.columns)
    return len(keys) == 1 and keys[0].name == "id"
