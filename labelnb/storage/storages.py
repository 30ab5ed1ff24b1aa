"""A project's storages in one place: adding them, syncing them, their media and their targets.

:class:`Storages` is what :class:`labelnb.Project` holds. It keeps each storage's ``storage_options``
(credentials, endpoints) in memory for this session only: the store has the location and the scan
settings, never a secret, so a project shared with others carries none.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from labelnb.config import LabelConfig
from labelnb.store import Store

from . import records, sync
from .location import Location, StorageError
from .records import Role, StorageRecord, StorageSettings
from .sync import Progress, SyncReport

# (store URL, storage name) -> fsspec options given in this process (never stored, never shown): a job
# that pushes annotations to a target finds them here, since a job's arguments are kept in the store
_OPTIONS: dict[tuple[str, str], dict[str, Any]] = {}


class Storages:
    """The storages of one project (see :meth:`labelnb.Project.add_storage`)."""

    def __init__(self, store: Store, config: LabelConfig, folder: Path | None) -> None:
        self.store = store
        self.config = config
        self.folder = folder

    def _set(self, name: str, options: Mapping[str, Any] | None) -> None:
        _OPTIONS[(self.store.url, name)] = dict(options or {})

    def __repr__(self) -> str:
        return f"<Storages: {', '.join(r.name for r in self.records()) or 'none'}>"

    # -- adding and listing -------------------------------------------------------------------------

    def add(
        self,
        name: str,
        url: str | os.PathLike[str],
        *,
        role: Role = "source",
        storage_options: Mapping[str, Any] | None = None,
        **settings: Any,
    ) -> StorageRecord:
        """Add a storage; ``settings`` are :class:`StorageSettings` fields. It is checked (the location
        must be reachable and, for a source in files mode, the config must say which data key the URLs
        go in) before anything is stored."""
        records.check_name(name)
        if role not in ("source", "target"):
            raise StorageError(f"a storage's role is 'source' or 'target', not {role!r}")
        unknown = sorted(set(settings) - set(StorageSettings.__dataclass_fields__))
        if unknown:
            raise StorageError(f"unknown storage setting(s) {', '.join(unknown)}")
        checked = StorageSettings(**settings).check(role)
        location = Location.parse(url, storage_options, base=self.folder)
        if role == "source" and checked.mode == "files":
            sync._data_key(self.config, checked.data_key, name)
        fs = location.filesystem()
        if role == "source" and location.protocol == "file" and not fs.isdir(location.root):
            raise StorageError(f"{location.url}: no such folder")
        record = records.add_record(self.store, name, role, location, checked)
        if storage_options:
            self._set(name, storage_options)
        return record

    def records(self) -> list[StorageRecord]:
        return records.list_records(self.store)

    def get(self, name: str) -> StorageRecord:
        return records.get_record(self.store, name)

    def frame(self) -> pd.DataFrame:
        """One row per storage: name, role, url, settings and the last sync's counts."""
        rows = []
        for r in self.records():
            last = r.last_sync or {}
            rows.append(
                {
                    "name": r.name,
                    "role": r.role,
                    "url": r.url,
                    "mode": r.settings.mode if r.role == "source" else None,
                    "regex_filter": r.settings.regex_filter,
                    "recursive": r.settings.recursive,
                    "presign": r.settings.presign,
                    "last_sync_at": r.last_sync_at,
                    "status": last.get("status"),
                    "tasks_created": last.get("tasks_created"),
                    "changed": last.get("changed"),
                    "vanished": last.get("vanished"),
                    "exported": last.get("exported"),
                }
            )
        columns = ["name", "role", "url", "mode", "regex_filter", "recursive", "presign", "last_sync_at",
                   "status", "tasks_created", "changed", "vanished", "exported"]  # fmt: skip
        return pd.DataFrame(rows, columns=columns)

    def objects(self, name: str) -> pd.DataFrame:
        """The objects a source storage has seen: key, state (present, changed, vanished), task ids."""
        record = self.get(name)
        return pd.DataFrame(
            records.objects_of(self.store, record.id),
            columns=["key", "state", "marker", "task_ids", "synced_at"],
        )

    def set_options(self, name: str, storage_options: Mapping[str, Any] | None) -> None:
        """Reach storage ``name`` with these fsspec options from now on, in this session."""
        self.get(name)
        self._set(name, storage_options)

    def location(self, record: StorageRecord, storage_options: Mapping[str, Any] | None = None) -> Location:
        options = (
            storage_options if storage_options is not None else _OPTIONS.get((self.store.url, record.name))
        )
        return Location.parse(record.url, options)

    # -- syncing ------------------------------------------------------------------------------------

    def sync(
        self,
        name: str,
        *,
        user: str,
        storage_options: Mapping[str, Any] | None = None,
        progress: Progress | None = None,
        check: Callable[[], None] = lambda: None,
    ) -> SyncReport:
        """Sync one storage: a source imports its new objects, a target receives every annotated task."""
        record = self.get(name)
        if storage_options is not None:
            self._set(name, storage_options)
        location = self.location(record)
        kwargs: dict[str, Any] = {"check": check}
        if progress is not None:
            kwargs["progress"] = progress
        if record.role == "target":
            return sync.sync_target(self.store, record, location, **kwargs)
        return sync.sync_source(self.store, self.config, record, location, user=user, **kwargs)

    def targets(self) -> list[StorageRecord]:
        return [r for r in self.records() if r.role == "target"]

    def push(self, task_ids: Iterable[int]) -> int:
        """Write these tasks to every target storage; returns the number of files written."""
        ids = list(task_ids)
        return sum(sync.push_tasks(self.store, r, self.location(r), ids) for r in self.targets())

    # -- media --------------------------------------------------------------------------------------

    def media_access(self) -> tuple[list[str], list[str], list[tuple[str, dict[str, Any]]]]:
        """What the sources add to the media allow-list: local roots, URL prefixes, and the fsspec options
        to read each prefix with."""
        roots: list[str] = []
        allow: list[str] = []
        options: list[tuple[str, dict[str, Any]]] = []
        for record in self.records():
            if record.role != "source":
                continue
            location = self.location(record)
            if location.protocol == "file":
                roots.append(location.root)
                continue
            allow.append(location.url)
            if location.options:
                options.append((location.url, dict(location.options)))
        return roots, allow, options

    def presigner(self) -> Callable[[str], str | None] | None:
        """A function from a media value to a presigned URL when a presigning source holds it, or None
        when no source presigns."""
        signing = [(r, self.location(r)) for r in self.records() if r.role == "source" and r.settings.presign]
        signing = [(r, loc) for r, loc in signing if loc.protocol not in ("file", "memory")]
        if not signing:
            return None
        filesystems: dict[str, Any] = {}

        def presign(value: str) -> str | None:
            for record, location in signing:
                if not value.startswith(location.url):
                    continue
                fs = filesystems.get(record.name)
                if fs is None:
                    fs = filesystems[record.name] = location.filesystem(signing=True)
                key = value[len(location.url) :]
                if any(part in (".", "..", "") for part in key.split("/")):
                    return None
                seconds = int(record.settings.presign_ttl * 60)
                try:
                    return str(fs.sign(location.path_of(key), expiration=seconds))
                except Exception as exc:  # gcsfs without a service-account key cannot sign, for one
                    raise StorageError(
                        f"{value}: storage {record.name!r} cannot presign ({type(exc).__name__}: "
                        f"{location.redact(str(exc))}); add it with presign=False to send the bytes instead"
                    ) from exc
            return None

        return presign


def push_job(ctx: Any, project_id: int, task_ids: list[int]) -> int:
    """A job (``labelnb.jobs``) that writes tasks to every target storage of a project; returns the number
    of files written. Its arguments hold no options: those given in this process are looked up."""
    store = Store(ctx.engine, project_id)
    config = LabelConfig.from_xml(store.info().label_config)
    return Storages(store, config, None).push(task_ids)
