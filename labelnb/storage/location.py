"""Where a storage lives: a local folder or a bucket prefix, opened through fsspec.

A location is kept as a canonical URL (``s3://bucket/prefix/``, ``gs://...``, ``az://container/prefix/``,
``file:///abs/folder/``) and nothing else: credentials come from fsspec's usual configuration (its config
files, ``FSSPEC_*`` variables, the cloud SDKs' environment and credential files) or from
``storage_options`` the caller passes, which are held in memory only. No message this module makes
contains a value of those options.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from labelnb.storage.media import protocol_of
from labelnb.storage.secrets import redact

#: protocols a storage may use, by canonical name (``abfs``/``abfss`` are ``az``, ``gcs`` is ``gs``)
STORAGE_PROTOCOLS = ("file", "s3", "gs", "az", "memory")


class StorageError(ValueError):
    """A storage that cannot be added, reached or synced; its message never holds a credential."""


@dataclass(frozen=True)
class Location:
    """A storage's place: its canonical URL, protocol and the fsspec path of its root.

    ``options`` are the fsspec storage options to reach it (endpoint, credentials): kept in memory for
    this session, never stored, never shown (``repr`` leaves them out).
    """

    url: str
    protocol: str
    root: str
    options: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def parse(
        cls,
        url: str | os.PathLike[str],
        options: Mapping[str, Any] | None = None,
        *,
        base: Path | None = None,
    ) -> Location:
        """The location a user named: a local folder (relative to ``base``), or an fsspec URL."""
        text = os.fspath(url)
        if not isinstance(text, str) or not text.strip():
            raise StorageError("a storage needs a folder or a URL such as s3://bucket/prefix/")
        text = text.strip()
        if "::" in text:
            raise StorageError(
                f"{redact(text, options)}: a storage is one folder or bucket, not a chained URL"
            )
        protocol = protocol_of(text)
        if protocol in ("", "file"):
            raw = text.split("://", 1)[1] if protocol else text
            if protocol and not raw.startswith("/"):
                raise StorageError(f"{text}: file URLs name absolute folders (file:///path/)")
            path = Path(raw).expanduser()
            if not path.is_absolute():
                if base is None:
                    raise StorageError(f"{text}: use an absolute folder for a project without a folder")
                path = base / path
            folder = path.resolve()
            return cls(
                f"file://{folder.as_posix().rstrip('/')}/", "file", folder.as_posix(), dict(options or {})
            )
        if protocol not in STORAGE_PROTOCOLS:
            raise StorageError(
                f"{redact(text, options)}: storages are local folders, s3://, gs://, az:// (abfs://) or "
                f"memory:// URLs, not {protocol}://"
            )
        rest = text.split("://", 1)[1]
        if "@" in rest.split("/", 1)[0]:
            raise StorageError(
                f"{redact(text, options)}: credentials never go in a storage URL; use fsspec's configuration, "
                "the environment or storage_options"
            )
        if "?" in rest or "#" in rest:
            raise StorageError(f"{redact(text, options)}: a storage URL has no query or fragment")
        parts = [part for part in rest.split("/") if part]
        if not parts:
            raise StorageError(f"{text}: name a bucket (or container), as in {protocol}://bucket/prefix/")
        if any(part in (".", "..") for part in parts):
            raise StorageError(f"{text}: '.' and '..' are not allowed in a storage URL")
        if protocol == "memory":
            return cls(f"memory://{'/'.join(parts)}/", protocol, "/" + "/".join(parts), dict(options or {}))
        return cls(f"{protocol}://{'/'.join(parts)}/", protocol, "/".join(parts), dict(options or {}))

    def with_options(self, options: Mapping[str, Any] | None) -> Location:
        """The same place reached with other storage options."""
        return Location(self.url, self.protocol, self.root, dict(options or {}))

    def filesystem(self, *, signing: bool = False) -> Any:
        """An fsspec filesystem for this location (fsspec's configuration fills what ``options`` leave out).

        With ``signing=True``, one set up to presign URLs: for S3 with Signature Version 4 (botocore
        would otherwise presign with the deprecated version 2, which newer regions refuse), unless the
        options choose a version.
        """
        import fsspec

        options = dict(self.options)
        if signing and self.protocol == "s3":
            config = dict(options.get("config_kwargs") or {})
            config.setdefault("signature_version", "s3v4")
            options["config_kwargs"] = config
        try:
            # a fresh instance: a cached one keeps its listings, and a sync must see the bucket as it is now
            return fsspec.filesystem(self.protocol, skip_instance_cache=True, **options)
        except ImportError as exc:
            package = {"s3": "s3fs", "gs": "gcsfs", "az": "adlfs"}.get(self.protocol, self.protocol)
            raise StorageError(
                f"{self.url}: reading {self.protocol}:// needs the {package} package "
                "(pip install 'labelnb[cloud]')"
            ) from exc
        except Exception as exc:  # a back end refusing its options says why, maybe with their values
            raise StorageError(
                f"{self.url}: cannot connect ({type(exc).__name__}: {self.redact(str(exc))})"
            ) from exc

    def key_url(self, key: str) -> str:
        """The URL (or, for local folders, the absolute path) of an object, from its key under the root."""
        if self.protocol == "file":
            return f"{self.root.rstrip('/')}/{key}"
        return self.url + key

    def path_of(self, key: str) -> str:
        """The fsspec path of an object under the root."""
        return f"{self.root.rstrip('/')}/{key}"

    def key_of(self, path: str) -> str:
        """An object's key under the root, from the path the filesystem listed."""
        root = self.root.strip("/")
        stripped = path.strip("/")
        if self.protocol == "file":
            stripped = path.lstrip("/")
        if not stripped.startswith(root + "/"):
            raise StorageError(f"{self.url}: the listing gave {path!r}, outside the storage")
        return stripped[len(root) + 1 :]

    def redact(self, text: str) -> str:
        """``text`` without any of this location's secrets."""
        return redact(text, self.options)
