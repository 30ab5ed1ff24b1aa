"""The storages of a project as rows of the store: what each is and what each source has seen."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any, Literal

import orjson
from sqlalchemy import Connection, insert, select, update

from labelnb.store import Store
from labelnb.store import schema as s
from labelnb.store.codec import now_iso
from labelnb.store.engine import read_transaction, write_transaction

from .location import Location, StorageError

Role = Literal["source", "target"]
Mode = Literal["files", "tasks"]
#: longest presigned-URL lifetime, in minutes (S3's limit is seven days)
MAX_PRESIGN_TTL = 7 * 24 * 60
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")


@dataclass(frozen=True)
class StorageSettings:
    """How a storage is scanned and served (Label Studio's storage settings, reference F).

    Attributes:
        regex_filter: only keys matching this (``re.match`` on the key under the storage's URL, so
            anchored at the start: ``.*\\.jpg$``); empty or None takes every object.
        recursive: scan sub-folders too (Label Studio's ``recursive_scan``); otherwise only the objects
            directly under the prefix.
        mode: ``"files"``: every object is one task whose data holds the object's URL (Label Studio's
            "Treat every bucket object as a source file"); ``"tasks"``: objects are ``.json`` (a task or a
            list of tasks) or ``.jsonl`` task files.
        data_key: in files mode, the data key the URL goes in (default: the config's only data key).
        presign: hand the browser presigned URLs for this storage's media instead of sending the bytes.
        presign_ttl: how long a presigned URL lives, in minutes.
    """

    regex_filter: str | None = None
    recursive: bool = False
    mode: Mode = "files"
    data_key: str | None = None
    presign: bool = False
    presign_ttl: float = 15.0

    def check(self, role: Role) -> StorageSettings:
        """These settings, checked; a StorageError says which one is wrong."""
        if self.regex_filter is not None and not isinstance(self.regex_filter, str):
            raise StorageError(f"regex_filter must be a regular expression, not {self.regex_filter!r}")
        if self.regex_filter:
            try:
                re.compile(self.regex_filter)
            except re.error as exc:
                raise StorageError(
                    f"regex_filter {self.regex_filter!r} is not a regular expression: {exc}"
                ) from exc
        if not isinstance(self.recursive, bool):
            raise StorageError(f"recursive must be True or False, not {self.recursive!r}")
        if self.mode not in ("files", "tasks"):
            raise StorageError(f"mode must be 'files' or 'tasks', not {self.mode!r}")
        if not isinstance(self.presign, bool):
            raise StorageError(f"presign must be True or False, not {self.presign!r}")
        ttl = self.presign_ttl
        if isinstance(ttl, bool) or not isinstance(ttl, int | float) or not 0 < ttl <= MAX_PRESIGN_TTL:
            raise StorageError(
                f"presign_ttl is in minutes, more than 0 and at most {MAX_PRESIGN_TTL}: {ttl!r}"
            )
        if role == "target" and (self.mode != "files" or self.data_key or self.presign):
            raise StorageError("a target storage takes no mode, data_key or presign: annotations go there")
        return self


@dataclass(frozen=True)
class StorageRecord:
    """One storage of a project, as stored."""

    id: int
    name: str
    role: Role
    url: str
    settings: StorageSettings
    last_sync: dict[str, Any] | None
    last_sync_at: str | None
    created_at: str


def check_name(name: Any) -> str:
    if not isinstance(name, str) or not _NAME.match(name):
        raise StorageError(
            f"a storage name is 1-64 letters, digits, '_', '.' or '-', starting with a letter or digit: {name!r}"
        )
    return name


def _record(row: Any) -> StorageRecord:
    settings = StorageSettings(**orjson.loads(row.settings))
    last = orjson.loads(row.last_sync) if row.last_sync else None
    return StorageRecord(
        row.id, row.name, row.role, row.url, settings, last, row.last_sync_at, row.created_at
    )


def add_record(
    store: Store, name: str, role: Role, location: Location, settings: StorageSettings
) -> StorageRecord:
    """Store a new storage; a StorageError when the name is taken."""
    with write_transaction(store.engine) as conn:
        taken = conn.execute(
            select(s.storages.c.id).where(
                s.storages.c.project_id == store.project_id, s.storages.c.name == name
            )
        ).first()
        if taken is not None:
            raise StorageError(f"the project already has a storage called {name!r}")
        conn.execute(
            insert(s.storages).values(
                project_id=store.project_id,
                name=name,
                role=role,
                url=location.url,
                settings=orjson.dumps(asdict(settings)).decode(),
                created_at=now_iso(),
            )
        )
    return get_record(store, name)


def list_records(store: Store) -> list[StorageRecord]:
    """Every storage of the project, in the order they were added."""
    with read_transaction(store.engine) as conn:
        rows = conn.execute(
            select(s.storages).where(s.storages.c.project_id == store.project_id).order_by(s.storages.c.id)
        ).all()
    return [_record(row) for row in rows]


def get_record(store: Store, name: str) -> StorageRecord:
    """The storage called ``name``; a StorageError naming the ones there are otherwise."""
    for record in list_records(store):
        if record.name == name:
            return record
    names = ", ".join(record.name for record in list_records(store)) or "none yet"
    raise StorageError(f"no storage called {name!r}; the project's storages: {names}")


def finish_sync(
    store: Store, storage_id: int, report: Mapping[str, Any], conn: Connection | None = None
) -> None:
    """Keep a sync's summary with its storage."""
    values = {"last_sync": orjson.dumps(dict(report)).decode(), "last_sync_at": now_iso()}
    statement = update(s.storages).where(s.storages.c.id == storage_id).values(**values)
    if conn is not None:
        conn.execute(statement)
        return
    with write_transaction(store.engine) as own:
        own.execute(statement)


@dataclass(frozen=True)
class SeenObject:
    """What a source storage recorded about one object at its last sync."""

    id: int
    marker: str | None
    state: str


def seen_objects(store: Store, storage_id: int) -> dict[str, SeenObject]:
    """Every object the storage has recorded, by key."""
    o = s.storage_objects
    with read_transaction(store.engine) as conn:
        rows = conn.execute(
            select(o.c.id, o.c.key, o.c.marker, o.c.state).where(o.c.storage_id == storage_id)
        )
        return {row.key: SeenObject(row.id, row.marker, row.state) for row in rows}


def record_objects(
    conn: Connection, storage_id: int, linked: list[tuple[str, str | None, list[int]]]
) -> None:
    """Record newly imported objects (key, marker, the ids of the tasks made from it)."""
    if not linked:
        return
    stamp = now_iso()
    conn.execute(
        insert(s.storage_objects),
        [
            {
                "storage_id": storage_id,
                "key": key,
                "marker": marker,
                "task_ids": orjson.dumps(task_ids).decode(),
                "state": "present",
                "synced_at": stamp,
            }
            for key, marker, task_ids in linked
        ],
    )


def set_states(conn: Connection, changes: list[tuple[int, str]]) -> None:
    """Set the state of recorded objects: (object row id, "present" | "changed" | "vanished")."""
    if not changes:
        return
    o = s.storage_objects
    stamp = now_iso()
    for state in {state for _, state in changes}:
        ids = [row_id for row_id, wanted in changes if wanted == state]
        for start in range(0, len(ids), 500):
            conn.execute(
                update(o).where(o.c.id.in_(ids[start : start + 500])).values(state=state, synced_at=stamp)
            )


def set_markers(conn: Connection, markers: list[tuple[int, str | None]]) -> None:
    """Keep the newest change marker of objects seen to change, so the next change is told apart."""
    o = s.storage_objects
    for row_id, marker in markers:
        conn.execute(update(o).where(o.c.id == row_id).values(marker=marker))


def objects_of(store: Store, storage_id: int) -> list[dict[str, Any]]:
    """The recorded objects of a source storage: key, state, marker and task ids."""
    o = s.storage_objects
    with read_transaction(store.engine) as conn:
        rows = conn.execute(
            select(o.c.key, o.c.state, o.c.marker, o.c.task_ids, o.c.synced_at)
            .where(o.c.storage_id == storage_id)
            .order_by(o.c.id)
        ).all()
    return [
        {
            "key": r.key,
            "state": r.state,
            "marker": r.marker,
            "task_ids": orjson.loads(r.task_ids),
            "synced_at": r.synced_at,
        }
        for r in rows
    ]
