"""Reading tasks: Label Studio JSON, JSON lines, CSV, TSV, TXT, DataFrames and Python iterables.

Every input ends as checked :class:`ImportedTask` objects (see :mod:`labelnb.formats.imported` for the
rules). Reading is lazy: tasks are produced one at a time, and a problem raises
:class:`TaskImportError` naming the file, row and field, so a store can roll the whole import back.
"""

from __future__ import annotations

import codecs
import io
import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO, Any, TypeAlias

import orjson
import pandas as pd

from labelnb.config import LabelConfig

from .dataframe import frame_to_tasks
from .errors import TaskImportError
from .frame_values import frame_dicts
from .imported import UNDEFINED_KEY, ImportedTask, TaskBuilder

TaskSource: TypeAlias = (
    "str | os.PathLike[str] | IO[bytes] | IO[str] | pd.DataFrame | Mapping[str, Any] | Iterable[Any]"
)
FILE_FORMATS: dict[str, str] = {
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".tsv": "tsv",
    ".txt": "txt",
}
STREAM_ABOVE = 64 << 20
"""JSON files larger than this (bytes) are parsed item by item instead of at once."""
_CHUNK = 4 << 20


def read_tasks(
    source: TaskSource,
    config: LabelConfig,
    *,
    format: str | None = None,
    name: str | None = None,
    validate: bool = True,
) -> Iterator[ImportedTask]:
    """Read tasks from ``source`` and check them against ``config``.

    ``source`` is a path (``.json`` list or single task, ``.jsonl``, ``.csv``, ``.tsv``, ``.txt``), an open
    file (give ``format``: ``"json"``, ``"jsonl"``, ``"csv"``, ``"tsv"`` or ``"txt"``), a DataFrame (see
    :func:`labelnb.formats.frame_to_tasks`), one task dict, or an iterable of task dicts. ``name`` is the
    source name used in error messages (default: the file name). ``validate=False`` skips the config's
    checks of data and results (the shape rules still apply).

    The path and format are checked at once; everything else as the returned iterator is consumed.

    Raises:
        TaskImportError: on the first problem, naming source, row and field.
    """
    if isinstance(source, pd.DataFrame):
        return frame_to_tasks(source, config, name=name, validate=validate)
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        name = name or path.name
        fmt = format or FILE_FORMATS.get(path.suffix.lower())
        _check_format(fmt, name)
        if not path.is_file():
            raise TaskImportError(f"no such file: {str(path)!r}; check the path", source=name)
        return _read_path(path, fmt or "", TaskBuilder(config, name, validate=validate))
    if hasattr(source, "read"):
        name = name or _file_name(source)
        fmt = format or FILE_FORMATS.get(Path(name or "").suffix.lower())
        _check_format(fmt, name)
        return _read_file(source, fmt or "", TaskBuilder(config, name, validate=validate))  # type: ignore[arg-type]
    builder = TaskBuilder(config, name, validate=validate)
    if isinstance(source, Mapping):
        return iter([builder.task(source, 1)])
    return (builder.task(item, row) for row, item in enumerate(source, 1))


def _file_name(fh: Any) -> str | None:
    raw = getattr(fh, "name", None)
    return Path(raw).name if isinstance(raw, str) else None


def _check_format(fmt: str | None, name: str | None) -> None:
    if fmt not in FILE_FORMATS.values():
        known = ", ".join(sorted(set(FILE_FORMATS)))
        what = f"format {fmt!r}" if fmt else "this file type"
        raise TaskImportError(
            f"cannot read {what}; use one of {known} or pass format='json'|'jsonl'|'csv'|'tsv'|'txt'",
            source=name,
        )


def _read_path(path: Path, fmt: str, builder: TaskBuilder) -> Iterator[ImportedTask]:
    with open(path, "rb") as fh:
        yield from _read_file(fh, fmt, builder)


def _binary(fh: IO[Any]) -> IO[bytes]:
    if isinstance(fh, io.TextIOBase):
        return io.BytesIO(fh.read().encode("utf-8"))
    return fh


def _read_file(fh: IO[Any], fmt: str, builder: TaskBuilder) -> Iterator[ImportedTask]:
    stream = _binary(fh)
    if fmt == "json":
        for row, item in _json_items(stream, builder):
            yield builder.task(item, row)
    elif fmt == "jsonl":
        yield from _jsonl(stream, builder)
    elif fmt in ("csv", "tsv"):
        yield from _delimited(stream, builder, "\t" if fmt == "tsv" else None)
    else:
        yield from _text_lines(stream, builder)


def _strip_bom(raw: bytes) -> bytes:
    return raw[3:] if raw.startswith(codecs.BOM_UTF8) else raw


def _json_items(fh: IO[bytes], builder: TaskBuilder) -> Iterator[tuple[int, Any]]:
    head = fh.read(STREAM_ABOVE + 1)
    if len(head) <= STREAM_ABOVE:
        try:
            doc = orjson.loads(_strip_bom(head))
        except orjson.JSONDecodeError as exc:
            raise builder.error(
                f"not valid JSON ({exc}); the file must hold a list of tasks or one task", None
            ) from exc
        if isinstance(doc, list):
            yield from enumerate(doc, 1)
        elif isinstance(doc, dict):
            yield 1, doc
        else:
            raise builder.error("the JSON must be a list of tasks or one task object", None)
        return
    yield from _json_stream(head, fh, builder)


_SPACE = re.compile(r"[ \t\n\r]*")


def _json_stream(head: bytes, fh: IO[bytes], builder: TaskBuilder) -> Iterator[tuple[int, Any]]:
    """Items of a large JSON list, decoded one at a time (a lone object is read whole)."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    parser = json.JSONDecoder()
    buf = decoder.decode(head)
    eof = False
    want = _CHUNK

    def more() -> bool:
        nonlocal buf, eof, want
        if eof:
            return False
        chunk = fh.read(want)
        eof = not chunk
        buf += decoder.decode(chunk, final=eof)
        return bool(chunk)

    pos = _SPACE.match(buf).end()  # type: ignore[union-attr]
    if buf[pos : pos + 1] == "{":
        while more():
            pass
        yield 1, _whole(buf, builder)
        return
    if buf[pos : pos + 1] != "[":
        raise builder.error("the JSON must be a list of tasks or one task object", None)
    pos += 1
    row = 0
    expect_item = True
    while True:
        pos = _SPACE.match(buf, pos).end()  # type: ignore[union-attr]
        if pos >= len(buf):
            if not more():
                raise builder.error(f"the JSON list ends too early, after item {row}", None)
            continue
        char = buf[pos]
        if char == "]" and (row == 0 or not expect_item):
            return
        if not expect_item:
            if char != ",":
                raise builder.error(f"expected ',' or ']' after item {row} of the JSON list", row)
            pos += 1
            expect_item = True
            continue
        try:
            item, end = parser.raw_decode(buf, pos)
        except json.JSONDecodeError as exc:
            if more():
                buf, pos = buf[pos:], 0
                want *= 2
                continue
            raise builder.error(f"item {row + 1} is not valid JSON: {exc.msg}", row + 1) from exc
        want = _CHUNK
        row += 1
        expect_item = False
        yield row, item
        pos = end
        if pos > _CHUNK:
            buf, pos = buf[pos:], 0


def _whole(text: str, builder: TaskBuilder) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise builder.error(f"not valid JSON ({exc})", None) from exc


def _jsonl(fh: IO[bytes], builder: TaskBuilder) -> Iterator[ImportedTask]:
    for line_no, line in enumerate(fh, 1):
        if line_no == 1:
            line = _strip_bom(line)
        if not line.strip():
            continue
        try:
            item = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            raise builder.error(f"not valid JSON ({exc}); write one task object per line", line_no) from exc
        yield builder.task(item, line_no)


def _delimited(fh: IO[bytes], builder: TaskBuilder, sep: str | None) -> Iterator[ImportedTask]:
    raw = _strip_bom(fh.read())
    if sep is None:
        first = raw.split(b"\n", 1)[0]
        sep = ";" if first.count(b";") > first.count(b",") else ","
    try:
        frame = pd.read_csv(io.BytesIO(raw), sep=sep)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, ValueError) as exc:
        found = re.search(r"\bline (\d+)", str(exc))
        raise builder.error(
            f"cannot read the table ({exc}); check the separator, quoting and number of fields",
            int(found.group(1)) if found else None,
        ) from exc
    builder.storable_frame(frame, 2)  # the header is line 1
    keys = builder.keys([str(c) for c in frame.columns], 2)
    # the header is line 1, so the first task is on line 2
    yield from builder.data_tasks(frame_dicts(frame, keys, fill="", drop_missing=False), 2)


def _text_lines(fh: IO[bytes], builder: TaskBuilder) -> Iterator[ImportedTask]:
    try:
        text = _strip_bom(fh.read()).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise builder.error(f"the text file is not UTF-8 ({exc}); save it as UTF-8", None) from exc
    (key,) = builder.keys([UNDEFINED_KEY], 1)
    yield from builder.data_tasks(({key: line} for line in text.splitlines()), 1)
