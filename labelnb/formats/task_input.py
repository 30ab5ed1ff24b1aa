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
    preannotated_from: Iterable[str] = (),
) -> Iterator[ImportedTask]:
    """Read tasks from ``source`` and check them against ``config``.

    ``source`` is a path (``.json`` list or single task, ``.jsonl``, ``.csv``, ``.tsv``, ``.txt``), an open
    file (give ``format``: ``"json"``, ``"jsonl"``, ``"csv"``, ``"tsv"`` or ``"txt"``), a DataFrame (see
    :func:`labelnb.formats.frame_to_tasks`), one task dict, or an iterable of task dicts. ``name`` is the
    source name used in error messages (default: the file name). ``validate=False`` skips the config's
    checks of data and results (the shape rules still apply). ``preannotated_from`` names data fields that
    also become predictions, as Label Studio's ``preannotated_from_fields`` (see :func:`preannotated`).

    The path and format are checked at once; everything else as the returned iterator is consumed.

    Raises:
        TaskImportError: on the first problem, naming source, row and field.
    """
    fields = list(preannotated_from)
    frame = isinstance(source, pd.DataFrame)
    if fields and isinstance(source, pd.DataFrame):
        missing = [f for f in fields if f not in source.columns]
        if missing:
            raise TaskImportError(
                f"the preannotated fields {missing} are not columns of the frame", source=name
            )
        # a column named like a control is a label column (an annotation); these are data to predict from
        source = source.rename(columns={f: f"_data_{f}" for f in fields})
    tasks = _read(source, config, format, name, validate)
    if not fields:
        return tasks
    builder = TaskBuilder(config, name or _source_name(source), validate=validate)
    # a frame's empty cells (NaN, None) are left out of its rows' data: there, a missing key is no value
    return (preannotated(task, fields, builder, missing_is_empty=frame) for task in tasks)


def _source_name(source: TaskSource) -> str | None:
    if isinstance(source, (str, os.PathLike)):
        return Path(source).name
    return _file_name(source) if hasattr(source, "read") else None


def _read(
    source: TaskSource, config: LabelConfig, format: str | None, name: str | None, validate: bool
) -> Iterator[ImportedTask]:
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


def preannotated(
    task: ImportedTask, fields: list[str], builder: TaskBuilder, *, missing_is_empty: bool = False
) -> ImportedTask:
    """``task`` with one prediction per field of ``fields`` made from its data, as Label Studio's
    ``preannotated_from_fields`` does (data/functions.py reformat_predictions): the field names the control
    (``from_name``; its first ``toName`` and its type come from the config), an object value is the
    result's ``value``, anything else is wrapped as that control's value (``{"choices": [v]}``,
    ``{"text": [v]}``, ``{"rating": v}``, ...); score 1.0, model_version "preannotated". The field stays in
    the data. A field missing from a task, or naming no control, is an error naming it (Label Studio falls
    back to a Choices on "text", which then fails to load).
    """
    config = builder.config
    made: list[dict[str, Any]] = []
    for field in fields:
        if field not in task.data and not missing_is_empty:
            raise builder.error(
                f"the preannotated field {field!r} is not in this task's data", task.row, field
            )
        value = task.data.get(field)
        if value is None:
            continue
        control = config.controls.get(field)
        if control is None or not control.to_name:
            names = ", ".join(sorted(config.controls)) or "none"
            raise builder.error(
                f"the preannotated field {field!r} must be named like a control of the config ({names})",
                task.row,
                field,
            )
        if not isinstance(value, Mapping):
            key = PREANNOTATED_KEYS.get(control.type, control.type)
            scalar = control.type in PREANNOTATED_SCALARS
            value = {key: value if scalar or isinstance(value, list) else [value]}
        item = {"from_name": field, "to_name": control.to_name[0], "type": control.type, "value": dict(value)}
        prediction = {"result": [item], "score": 1.0, "model_version": "preannotated"}
        made.append(builder.prediction(prediction, len(task.predictions) + len(made), task.data, task.row))
    if made:
        task.predictions = [*task.predictions, *made]
    return task


#: value keys of preannotated fields that are not the control's type, and controls that take a bare value
PREANNOTATED_KEYS = {"textarea": "text"}
PREANNOTATED_SCALARS = frozenset({"rating", "number", "datetime"})


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
