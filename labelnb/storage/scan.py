"""Listing a storage: the objects under its prefix that its filter takes, each with a change marker."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from .location import Location, StorageError
from .records import StorageSettings

# Which field of an fsspec listing changes when an object's bytes change, per back end, best first:
# S3 and Azure give an ETag, GCS an md5 (and a generation that changes on every write), local files
# and memory a modification time. The size goes with it, so a marker never matches across sizes.
_MARKER_FIELDS = (
    "ETag",
    "etag",
    "md5Hash",
    "generation",
    "mtime",
    "last_modified",
    "LastModified",
    "created",
)


@dataclass(frozen=True)
class ListedObject:
    """One object a scan found: its key under the storage's URL and its change marker."""

    key: str
    marker: str | None


def change_marker(info: Mapping[str, Any]) -> str | None:
    """What tells this version of an object from another: the back end's ETag, md5 or mtime, with the size."""
    for name in _MARKER_FIELDS:
        value = info.get(name)
        if value not in (None, ""):
            return f"{info.get('size')}:{str(value).strip(chr(34))}"
    size = info.get("size")
    return None if size is None else f"{size}:"


def scan(location: Location, settings: StorageSettings, fs: Any) -> Iterator[ListedObject]:
    """The objects of a storage, in key order: files only (no folder markers), filtered by the regex,
    under the prefix only unless ``settings.recursive``."""
    pattern = re.compile(settings.regex_filter) if settings.regex_filter else None
    try:
        infos = _listing(location, settings, fs)
        found = []
        for info in infos:
            if info.get("type") not in (None, "file") or str(info.get("name", "")).endswith("/"):
                continue
            key = location.key_of(str(info["name"]))
            if not key or key.endswith("/"):
                continue
            if pattern is not None and not pattern.match(key):
                continue
            found.append(ListedObject(key, change_marker(info)))
    except StorageError:
        raise
    except FileNotFoundError as exc:
        raise StorageError(f"{location.url}: no such folder or bucket") from exc
    except PermissionError as exc:
        raise StorageError(f"{location.url}: access denied ({location.redact(str(exc))})") from exc
    except Exception as exc:  # back ends raise all kinds (ClientError, HttpError, ...)
        raise StorageError(
            f"{location.url}: cannot list ({type(exc).__name__}: {location.redact(str(exc))})"
        ) from exc
    found.sort(key=lambda listed: listed.key)
    yield from found


def _listing(location: Location, settings: StorageSettings, fs: Any) -> Any:
    """fsspec's listing of the root; an empty one for a prefix with nothing under it yet (buckets have no
    folders), an error for a missing bucket or local folder."""
    if location.protocol == "file" and not fs.isdir(location.root):
        raise StorageError(f"{location.url}: no such folder")
    try:
        if settings.recursive:
            listing = fs.find(location.root, detail=True, withdirs=False)
            return listing.values() if isinstance(listing, Mapping) else listing
        return fs.ls(location.root, detail=True)
    except FileNotFoundError:
        bucket = location.root.strip("/").split("/", 1)[0]
        if location.protocol == "file" or not fs.exists(bucket):
            raise StorageError(f"{location.url}: no such folder or bucket") from None
        return []
