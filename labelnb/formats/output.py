"""Where an export writes: a local path or any fsspec URL, as one file or as a folder of files.

A one-file format (``json``, ``csv``...) writes ``target`` itself, or ``<target>/<default name>`` when
``target`` is an existing folder or ends with ``/``. A folder format (``coco``, ``yolo``...) writes its files
under ``target``. Local files are written under a temporary name and renamed when complete, so a failed
export never leaves a half-written file where a good one was; object stores make an object visible only
when its upload completes, which gives the same guarantee there.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import IO, Any

import fsspec
from fsspec.implementations.local import LocalFileSystem


class ExportOutput:
    """A destination for one export.

    Args:
        target: a local path or an fsspec URL (``s3://bucket/out/``, ``memory://x.json``).
        storage_options: passed to fsspec for that URL (credentials come from fsspec's usual
            configuration and the environment when these are empty).
    """

    def __init__(
        self, target: str | os.PathLike[str], storage_options: Mapping[str, Any] | None = None
    ) -> None:
        text = os.fspath(target)
        if not text:
            raise ValueError("an export needs a path or URL to write to")
        self.target = text
        self.folder_hint = text.endswith(("/", os.sep))
        fs, root = fsspec.core.url_to_fs(text, **dict(storage_options or {}))
        self.fs: fsspec.AbstractFileSystem = fs
        self.root: str = root.rstrip("/") if len(root) > 1 else root
        self.local = isinstance(fs, LocalFileSystem)

    def __repr__(self) -> str:  # never shows storage options (they may hold credentials)
        return f"ExportOutput({self.target!r})"

    def file_path(self, default_name: str) -> str:
        """Where a one-file format writes: the target, or ``default_name`` inside it when it is a folder."""
        if self.folder_hint or self.fs.isdir(self.root):
            return self.join(default_name)
        return self.root

    def join(self, name: str) -> str:
        """``name`` (``labels/a.txt``) under the target folder."""
        name = name.lstrip("/")
        if not name:
            return self.root
        return f"{self.root}/{name}" if self.root != "/" else f"/{name}"

    @contextmanager
    def open(self, path: str) -> Iterator[IO[bytes]]:
        """A binary file at ``path`` (from :meth:`file_path` or :meth:`join`), in place only once complete."""
        parent = path.rsplit("/", 1)[0] if "/" in path else ""
        if parent:
            self.fs.makedirs(parent, exist_ok=True)
        if not self.local:
            with self.fs.open(path, "wb") as fh:
                yield fh
            return
        partial = f"{path}.part-{uuid.uuid4().hex[:8]}"
        try:
            with open(partial, "wb") as fh:
                yield fh
            os.replace(partial, path)
        finally:
            if os.path.exists(partial):
                os.remove(partial)

    def write_bytes(self, name: str, body: bytes) -> None:
        """One whole file ``name`` under the target folder."""
        with self.open(self.join(name)) as fh:
            fh.write(body)

    def url(self, path: str) -> str:
        """``path`` as the user would name it (with its protocol for remote files)."""
        if self.local:
            return path
        return str(self.fs.unstrip_protocol(path))
