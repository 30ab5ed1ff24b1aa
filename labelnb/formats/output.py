"""Where an export writes: a local path or any fsspec URL, as one file or as a folder of files.

A one-file format (``json``, ``csv``...) writes ``target`` itself, or ``<target>/<default name>`` when
``target`` is an existing folder or ends with ``/``. A folder format (``coco``, ``yolo``...) writes its files
under ``target``. Local files are written under a temporary name and renamed when complete, so a failed
export never leaves a half-written file where a good one was; object stores make an object visible only
when its upload completes, which gives the same guarantee there.
"""

from __future__ import annotations

import itertools
import os
import shutil
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from typing import IO, Any

import fsspec
from fsspec.implementations.local import LocalFileSystem

from .file_writer import FileWriter


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
        self._made: set[str] = set()  # folders already made (a YOLO export writes one file per image)
        self._token = uuid.uuid4().hex[:8]
        self._count = itertools.count()

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

    def _make_parent(self, path: str) -> None:
        parent = path.rsplit("/", 1)[0] if "/" in path else ""
        if parent and parent not in self._made:
            self.fs.makedirs(parent, exist_ok=True)
            self._made.add(parent)

    @contextmanager
    def open(self, path: str) -> Iterator[IO[bytes]]:
        """A binary file at ``path`` (from :meth:`file_path` or :meth:`join`), in place only once complete."""
        self._make_parent(path)
        if not self.local:
            with self.fs.open(path, "wb") as fh:
                yield fh
            return
        partial = f"{path}.part-{self._token}-{next(self._count)}"
        try:
            with open(partial, "wb") as fh:
                yield fh
            os.replace(partial, path)
        except BaseException:
            with suppress(FileNotFoundError):
                os.remove(partial)
            raise

    def write_bytes(self, name: str, body: bytes) -> None:
        """One whole file ``name`` under the target folder."""
        with self.open(self.join(name)) as fh:
            fh.write(body)

    def url(self, path: str) -> str:
        """``path`` as the user would name it (with its protocol for remote files)."""
        if self.local:
            return path
        return str(self.fs.unstrip_protocol(path))


class StagedFolder:
    """Many files of one folder (``labels/`` of a YOLO export), made whole before they appear.

    On a local disk the files go straight (no temporary name each) into a hidden sibling folder, which
    becomes the folder in one rename when the export succeeds (or whose files move in one by one when the
    folder is already there) and is deleted when it fails; :meth:`exists` then sees only this export's
    files. Local files are written by a :class:`~labelnb.formats.file_writer.FileWriter` (a second process
    once there are many). On an object store each file is uploaded in place, as
    :meth:`ExportOutput.write_bytes` does.
    """

    def __init__(self, output: ExportOutput, name: str) -> None:
        self.output = output
        self.name = name
        self.final = output.join(name)
        self.folder = f"{self.final}.part-{output._token}" if output.local else self.final
        self._made: set[str] = set()
        self._writer = FileWriter()

    def __enter__(self) -> StagedFolder:
        self.output.fs.makedirs(self.folder, exist_ok=True)
        self._made.add(self.folder)
        return self

    def __exit__(self, kind: object, *rest: object) -> None:
        if not self.output.local:
            return
        if kind is not None:  # the export failed: none of its files appear
            self._writer.abort()
            shutil.rmtree(self.folder, ignore_errors=True)
            return
        try:
            self._writer.close()
        except BaseException:  # a write failed
            shutil.rmtree(self.folder, ignore_errors=True)
            raise
        try:
            os.rename(self.folder, self.final)  # fails when the folder is already there
        except OSError:
            os.makedirs(self.final, exist_ok=True)
            for base, _, names in os.walk(self.folder):
                target = os.path.join(self.final, os.path.relpath(base, self.folder))
                os.makedirs(target, exist_ok=True)
                for n in names:
                    os.replace(os.path.join(base, n), os.path.join(target, n))
            shutil.rmtree(self.folder, ignore_errors=True)

    def write_bytes(self, name: str, body: bytes) -> None:
        """One whole file ``name`` (``a.txt``, ``sub/a.txt``) in the folder."""
        if not self.output.local:
            self.output.write_bytes(f"{self.name}/{name}", body)
            return
        path = f"{self.folder}/{name}"
        parent = path.rsplit("/", 1)[0]
        if parent not in self._made:
            os.makedirs(parent, exist_ok=True)  # before the writer needs it
            self._made.add(parent)
        self._writer.write(path, body)

    def exists(self, name: str) -> bool:
        """Whether this export (locally) or anyone (remotely) wrote ``name`` in the folder."""
        if self.output.local:
            self._writer.sync()  # rare (tasks without a result): what was given must be on disk first
        return bool(self.output.fs.exists(f"{self.folder}/{name}"))
