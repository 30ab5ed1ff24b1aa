"""Syncing storages: new objects of a source become tasks; annotated tasks go to a target.

A source sync lists the storage, compares the listing with the objects it recorded before and imports
the new ones in batches. Each batch's tasks and the rows that link its objects to them are written in one
transaction, so a sync cut off anywhere (a closed laptop, a killed kernel) leaves whole batches behind and
the next sync takes up where it stopped: no object ever becomes tasks twice. Beyond Label Studio, which
assumes bucket objects never change, the sync reports objects whose bytes changed (their ETag, md5 or
mtime moved) and objects that vanished; their tasks stay as they are.

A target receives one ``<task id>.json`` per annotated task: the task with its annotations, in Label
Studio's export shape (its "save task to storage" layout), written whenever an annotation is stored and
all at once by a full sync.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import orjson

from labelnb.config import LabelConfig
from labelnb.formats import task_input
from labelnb.formats.errors import TaskImportError
from labelnb.formats.imported import ImportedTask
from labelnb.store import Store
from labelnb.store.engine import write_transaction

from . import records
from .location import Location, StorageError
from .records import StorageRecord
from .scan import ListedObject, scan

#: objects per import transaction: big enough to be fast, small enough that an interruption loses little
SYNC_BATCH = 2_000
#: largest task file a tasks-mode source reads
MAX_TASK_FILE_BYTES = 256 * 1024 * 1024
#: task-file suffixes and the reader format each means
TASK_FILE_FORMATS = {".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl"}
#: keys a report shows per list in its summary (the store keeps every object's state)
SUMMARY_KEYS = 20

Progress = Callable[[int, int], None]


def _no_progress(done: int, total: int) -> None:
    return None


@dataclass
class SyncReport:
    """What a sync did.

    Attributes:
        storage: the storage's name.
        listed: objects the scan found (after the filter).
        added: keys of the objects that became tasks in this sync.
        tasks_created: tasks made from them.
        changed: keys of objects already imported whose bytes differ from the last sync's.
        vanished: keys of objects imported before that are no longer there.
        returned: keys of objects that had vanished and are back.
        errors: objects that could not be imported, with the reason (a later sync tries them again).
        exported: for a target, the tasks written.
    """

    storage: str
    listed: int = 0
    added: list[str] = field(default_factory=list)
    tasks_created: int = 0
    changed: list[str] = field(default_factory=list)
    vanished: list[str] = field(default_factory=list)
    returned: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    exported: int = 0

    @property
    def status(self) -> str:
        """Label Studio's words: ``completed`` or ``completed_with_errors``."""
        return "completed_with_errors" if self.errors else "completed"

    def summary(self) -> dict[str, Any]:
        """Counts and the first few keys of each list: what the storage keeps as its last sync."""
        out: dict[str, Any] = {
            "status": self.status,
            "listed": self.listed,
            "tasks_created": self.tasks_created,
        }
        for name in ("added", "changed", "vanished", "returned"):
            keys: list[str] = getattr(self, name)
            out[name] = len(keys)
            if keys:
                out[f"{name}_keys"] = keys[:SUMMARY_KEYS]
        out["errors"] = len(self.errors)
        if self.errors:
            out["error_keys"] = dict(list(self.errors.items())[:SUMMARY_KEYS])
        if self.exported:
            out["exported"] = self.exported
        return out

    def __repr__(self) -> str:
        if self.exported:
            return f"<SyncReport {self.storage}: {self.exported} tasks written>"
        parts = [f"{self.listed} listed", f"{len(self.added)} new ({self.tasks_created} tasks)"]
        parts += [
            f"{len(getattr(self, n))} {n}" for n in ("changed", "vanished", "returned") if getattr(self, n)
        ]
        if self.errors:
            parts.append(f"{len(self.errors)} errors")
        return f"<SyncReport {self.storage}: {', '.join(parts)}>"


# -- sources --------------------------------------------------------------------------------------


def _data_key(config: LabelConfig, wanted: str | None, storage: str) -> str:
    keys = list(config.data_keys)
    if wanted is not None:
        if wanted not in keys:
            raise StorageError(
                f"storage {storage!r}: data_key {wanted!r} is not a data key of the config ({', '.join(keys)})"
            )
        return wanted
    if len(keys) != 1:
        raise StorageError(
            f"storage {storage!r}: the config has {len(keys)} data keys ({', '.join(keys) or 'none'}); "
            "say which one the object URLs go in with data_key="
        )
    return keys[0]


def files_mode_key(config: LabelConfig, record: StorageRecord) -> str:
    """The data key a files-mode source puts object URLs in (checked against the config)."""
    return _data_key(config, record.settings.data_key, record.name)


def _task_file_tasks(location: Location, fs: Any, key: str, config: LabelConfig) -> list[ImportedTask]:
    """The tasks of one task file (a StorageError or TaskImportError naming it when it is not one)."""
    url = location.key_url(key)
    suffix = "." + key.rsplit(".", 1)[-1].lower() if "." in key.rsplit("/", 1)[-1] else ""
    fmt = TASK_FILE_FORMATS.get(suffix)
    if fmt is None:
        raise StorageError(
            f"{url}: a task storage reads .json and .jsonl files; use regex_filter to leave others out"
        )
    try:
        with fs.open(location.path_of(key), "rb") as handle:
            body = handle.read(MAX_TASK_FILE_BYTES + 1)
    except Exception as exc:
        raise StorageError(
            f"{url}: cannot be read ({type(exc).__name__}: {location.redact(str(exc))})"
        ) from exc
    if len(body) > MAX_TASK_FILE_BYTES:
        raise StorageError(f"{url}: larger than {MAX_TASK_FILE_BYTES // (1024 * 1024)} MiB")
    return list(task_input.read_tasks(io.BytesIO(body), config, format=fmt, name=url))


def sync_source(
    store: Store,
    config: LabelConfig,
    record: StorageRecord,
    location: Location,
    *,
    user: str,
    progress: Progress = _no_progress,
    batch_size: int | None = None,
    check: Callable[[], None] = lambda: None,
) -> SyncReport:
    """Import the storage's new objects as tasks and report what changed or vanished (see the module).

    ``progress(done, total)`` follows the objects; ``check()`` runs between batches (a job's
    cancellation check). A StorageError when the storage cannot be listed; objects that cannot be
    imported are named in the report's ``errors`` and left for the next sync.
    """
    if record.role != "source":
        raise StorageError(
            f"storage {record.name!r} is a target: annotations go to it, tasks do not come from it"
        )
    settings = record.settings
    data_key = files_mode_key(config, record) if settings.mode == "files" else None
    fs = location.filesystem()
    listed = list(scan(location, settings, fs))
    seen = records.seen_objects(store, record.id)
    report = SyncReport(record.name, listed=len(listed))
    new: list[ListedObject] = []
    states: list[tuple[int, str]] = []
    markers: list[tuple[int, str | None]] = []
    present: set[str] = set()
    for obj in listed:
        present.add(obj.key)
        before = seen.get(obj.key)
        if before is None:
            new.append(obj)
            continue
        moved = obj.marker is not None and before.marker is not None and obj.marker != before.marker
        if before.state == "vanished":
            report.returned.append(obj.key)
            states.append((before.id, "changed" if moved else "present"))
        elif moved:
            report.changed.append(obj.key)
            states.append((before.id, "changed"))
        if moved:
            markers.append((before.id, obj.marker))
    for key, before in seen.items():
        if key not in present and before.state != "vanished":
            report.vanished.append(key)
            states.append((before.id, "vanished"))
    total = len(new)
    batch_size = batch_size or SYNC_BATCH
    progress(0, total)
    for start in range(0, total, batch_size):
        check()
        _import_batch(
            store, config, record, location, fs, new[start : start + batch_size], data_key, user, report
        )
        progress(min(start + batch_size, total), total)
    with write_transaction(store.engine) as conn:
        records.set_states(conn, states)
        records.set_markers(conn, markers)
        records.finish_sync(store, record.id, report.summary(), conn)
    return report


def _import_batch(
    store: Store,
    config: LabelConfig,
    record: StorageRecord,
    location: Location,
    fs: Any,
    batch: list[ListedObject],
    data_key: str | None,
    user: str,
    report: SyncReport,
) -> None:
    """Import one batch of new objects and record them, in one transaction."""
    tasks: list[ImportedTask] = []
    counts: list[tuple[ListedObject, int]] = []
    for obj in batch:
        if data_key is not None:
            tasks.append(ImportedTask({data_key: location.key_url(obj.key)}))
            counts.append((obj, 1))
            continue
        try:
            found = _task_file_tasks(location, fs, obj.key, config)
        except (StorageError, TaskImportError) as exc:
            report.errors[obj.key] = str(exc)
            continue
        tasks.extend(found)
        counts.append((obj, len(found)))

    def link(conn: Any, task_ids: list[int]) -> None:
        linked: list[tuple[str, str | None, list[int]]] = []
        at = 0
        for obj, count in counts:
            linked.append((obj.key, obj.marker, task_ids[at : at + count]))
            at += count
        records.record_objects(conn, record.id, linked)

    imported = store.import_tasks(tasks, user, within=link)
    report.added.extend(obj.key for obj, _ in counts)
    report.tasks_created += imported.tasks


# -- targets --------------------------------------------------------------------------------------


def task_document(store: Store, task_id: int) -> dict[str, Any] | None:
    """One task with its annotations and predictions, as Label Studio's export writes it; None if gone."""
    task = store.get_task(task_id)
    if task is None:
        return None
    return {**task, "annotations": store.annotations(task_id)}


def _write(fs: Any, location: Location, key: str, body: bytes) -> None:
    path = location.path_of(key)
    try:
        if location.protocol == "file":
            fs.makedirs(location.root, exist_ok=True)
        with fs.open(path, "wb") as handle:
            handle.write(body)
    except Exception as exc:
        raise StorageError(
            f"{location.key_url(key)}: cannot be written ({type(exc).__name__}: {location.redact(str(exc))})"
        ) from exc


def push_tasks(store: Store, record: StorageRecord, location: Location, task_ids: Iterable[int]) -> int:
    """Write these tasks to a target storage (``<id>.json`` each); returns how many were written."""
    if record.role != "target":
        raise StorageError(
            f"storage {record.name!r} is a source: tasks come from it, annotations do not go to it"
        )
    fs = location.filesystem()
    written = 0
    for task_id in task_ids:
        document = task_document(store, task_id)
        if document is None:
            continue
        _write(fs, location, f"{task_id}.json", orjson.dumps(document, option=orjson.OPT_INDENT_2))
        written += 1
    return written


def sync_target(
    store: Store,
    record: StorageRecord,
    location: Location,
    *,
    progress: Progress = _no_progress,
    check: Callable[[], None] = lambda: None,
) -> SyncReport:
    """Write every annotated task to a target storage (a full re-sync), page by page."""
    if record.role != "target":
        raise StorageError(f"storage {record.name!r} is a source: a sync imports from it")
    fs = location.filesystem()
    done, _ = store.progress()
    report = SyncReport(record.name)
    progress(0, done)
    for task in store.iter_export_tasks(only_annotated=True):
        if report.exported % 500 == 0:
            check()
        _write(fs, location, f"{task['id']}.json", orjson.dumps(task, option=orjson.OPT_INDENT_2))
        report.exported += 1
        progress(report.exported, max(done, report.exported))
    records.finish_sync(store, record.id, report.summary())
    return report


def iter_task_files(location: Location) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """The task documents a target holds (key, parsed JSON), for checks and tests."""
    fs = location.filesystem()
    for path in sorted(fs.find(location.root)):
        if path.endswith(".json"):
            with fs.open(path, "rb") as handle:
                yield location.key_of(path), json.loads(handle.read())
