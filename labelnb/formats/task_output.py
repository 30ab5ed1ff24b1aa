"""Label Studio exports: JSON, JSON_MIN, CSV and TSV, written as a stream.

Input everywhere is an iterable of tasks in Label Studio's JSON export shape (``id, data, meta,
annotations[], predictions[], ...``). JSON writes every task as given. JSON_MIN and CSV/TSV follow Label
Studio's converter: one record per non-cancelled annotation (newest first), a record with empty labels for a
task without annotations, ``annotator`` taken from ``completed_by`` (pass ``{"id": .., "email": ..}`` there
to get e-mails). The CSV is byte-for-byte what Label Studio writes (its JSON cells escape ``/`` as ``\\/``).
"""

from __future__ import annotations

import csv
import io
import json
import os
import pickle
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import IO, Any, Literal, TypeAlias, cast

import orjson

from labelnb.config import LabelConfig

from .converter import CHAT_TYPES, AnnotationItem, annotation_items, annotator, prettify

Destination: TypeAlias = "str | os.PathLike[str] | IO[bytes] | IO[str]"
TableFormat: TypeAlias = Literal["json", "json_min", "csv", "tsv"]
FORMATS: tuple[str, ...] = ("json", "json_min", "csv", "tsv")

_BATCH = 1000
_FIXED_COLUMNS = ("annotator", "annotation_id", "created_at", "updated_at", "lead_time")


def _default(value: Any) -> Any:
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    if hasattr(value, "tolist"):  # numpy scalars and arrays
        return value.tolist()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def dumps(value: Any) -> bytes:
    """Compact UTF-8 JSON via orjson.

    Non-string dict keys and integers beyond 64 bits take slower paths (orjson's options, then the
    standard library); orjson's options are not used by default because they halve its speed.
    """
    try:
        return orjson.dumps(value, default=_default)
    except orjson.JSONEncodeError:
        pass
    try:
        return orjson.dumps(value, default=_default, option=orjson.OPT_NON_STR_KEYS)
    except orjson.JSONEncodeError:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=_default)
        return text.encode("utf-8")


@contextmanager
def _byte_sink(dest: Destination) -> Iterator[Callable[[bytes], Any]]:
    if isinstance(dest, (str, os.PathLike)):
        with open(dest, "wb") as fh:
            yield fh.write
    elif isinstance(dest, io.TextIOBase):
        text = dest
        yield lambda chunk: text.write(chunk.decode("utf-8"))
    else:
        yield dest.write  # type: ignore[misc]


def _write_array(records: Iterable[Any], dest: Destination) -> int:
    """Write ``records`` as a JSON list, one record per line, in batches; return how many."""
    count = 0
    with _byte_sink(dest) as write:
        write(b"[")
        batch: list[bytes] = []
        for record in records:
            # a record given as bytes is JSON its producer already encoded (the store's raw export)
            batch.append(record if isinstance(record, bytes) else dumps(record))
            if len(batch) >= _BATCH:
                write((b"\n" if count == 0 else b",\n") + b",\n".join(batch))
                count += len(batch)
                batch.clear()
        if batch:
            write((b"\n" if count == 0 else b",\n") + b",\n".join(batch))
            count += len(batch)
        write(b"\n]\n" if count else b"]\n")
    return count


def write_json(tasks: Iterable[Mapping[str, Any] | bytes], dest: Destination) -> int:
    """Write tasks as Label Studio's JSON export (a list of task objects, every field kept as given).

    Tasks may also come as already-encoded JSON objects (``bytes``), which are written as they are.
    Streams: holds one batch of serialised tasks at a time. ``dest`` is a path or an open file (binary or
    text). Returns the number of tasks written.
    """
    return _write_array(tasks, dest)


def json_min_records(tasks: Iterable[Mapping[str, Any]], config: LabelConfig) -> Iterator[dict[str, Any]]:
    """Label Studio JSON_MIN records: the task data, ``id``, one key per control with its prettified
    value, then ``annotator``, ``annotation_id``, ``created_at``, ``updated_at``, ``lead_time``
    (and ``agreement`` when the task has one).

    As in Label Studio, a control's answer replaces a data key of the same name here (only the CSV
    renames the data column ``_data_<key>``). Records share nested values with the input tasks; copy
    before changing them.
    """
    for item in annotation_items(tasks, config):
        task = item.task
        record = dict(task.get("data") or {})
        if task.get("id") is not None:
            record["id"] = task["id"]
        for name, values in item.outputs.items():
            record[name] = prettify(item.tags[name], values)
        ann = item.annotation or {}
        record["annotator"] = annotator(ann.get("completed_by", {}), int_id=True)
        record["annotation_id"] = ann.get("id")
        record["created_at"] = ann.get("created_at")
        record["updated_at"] = ann.get("updated_at")
        record["lead_time"] = ann.get("lead_time")
        if item.annotation is not None and "agreement" in task:
            record["agreement"] = task["agreement"]
        yield record


def write_json_min(tasks: Iterable[Mapping[str, Any]], config: LabelConfig, dest: Destination) -> int:
    """Write :func:`json_min_records` as a JSON list (streaming); return the number of records."""
    return _write_array(json_min_records(tasks, config), dest)


def csv_json(value: Any) -> str:
    """A list or dict cell as Label Studio's CSV writes it: compact JSON, non-ASCII kept, ``/`` as ``\\/``."""
    return dumps(value).decode("utf-8").replace("/", "\\/")


# one CSV row before the data columns are known: (task id, control cells, data cells, trailing cells)
_Row: TypeAlias = tuple[Any, dict[str, Any], dict[str, Any], dict[str, Any]]


def _csv_row(item: AnnotationItem) -> _Row:
    task = item.task
    outputs: dict[str, Any] = {}
    for name, values in item.outputs.items():
        pretty = prettify(item.tags[name], values)
        outputs[name] = pretty if isinstance(pretty, str) else csv_json(pretty)
        if item.tags[name] in CHAT_TYPES:
            outputs[f"{name}_transcript"] = _transcript(pretty)
    data = {
        key: csv_json(value) if isinstance(value, (dict, list)) else value
        for key, value in (task.get("data") or {}).items()
    }
    ann = item.annotation or {}
    tail: dict[str, Any] = {
        "annotator": annotator(ann.get("completed_by", {})),
        "annotation_id": ann.get("id"),
        "created_at": ann.get("created_at"),
        "updated_at": ann.get("updated_at"),
        "lead_time": ann.get("lead_time"),
    }
    if item.annotation is not None and "agreement" in task:
        tail["agreement"] = task["agreement"]
    if ann.get("history"):
        tail["history"] = csv_json(ann["history"])
    return task.get("id"), outputs, data, tail


def _transcript(pretty: Any) -> str:
    lines = []
    for message in pretty if isinstance(pretty, list) else ():
        if not isinstance(message, dict):
            continue
        role, content = str(message.get("role", "")), str(message.get("content", ""))
        lines.append((f"{role}: {content}" if content else f"{role}:") if role else content)
    return "\n".join(lines)


def _assemble(row: _Row, colliding: set[str]) -> dict[str, Any]:
    task_id, outputs, data, tail = row
    record: dict[str, Any] = {}
    if task_id is not None:
        record["id"] = task_id
    record.update(outputs)
    for key, value in data.items():
        record[f"_data_{key}" if key in colliding else key] = value
    record.update(tail)
    return record


def _csv_pass(
    tasks: Iterable[Mapping[str, Any]], config: LabelConfig, spool: IO[bytes]
) -> tuple[list[str], set[str]]:
    """Convert every item, pickle the rows into ``spool`` in batches; return the sorted columns and the
    data keys that collide with control names."""
    data_keys: set[str] = set()
    control_names: set[str] = set()
    columns: set[str] = set(_FIXED_COLUMNS)
    batch: list[_Row] = []
    for item in annotation_items(tasks, config):
        row = _csv_row(item)
        batch.append(row)
        if len(batch) >= _BATCH:
            pickle.dump(batch, spool, protocol=pickle.HIGHEST_PROTOCOL)
            batch = []
        if row[0] is not None:
            columns.add("id")
        data_keys.update(row[2])
        control_names.update(item.outputs)
        columns.update(row[1])
        columns.update(row[3])
    if batch:
        pickle.dump(batch, spool, protocol=pickle.HIGHEST_PROTOCOL)
    colliding = data_keys & control_names
    columns.update(f"_data_{k}" if k in colliding else k for k in data_keys)
    return sorted(columns), colliding


def csv_rows(
    tasks: Iterable[Mapping[str, Any]], config: LabelConfig
) -> tuple[list[str], Iterator[dict[str, Any]]]:
    """The CSV export as (sorted column names, row dicts), before quoting.

    The tasks are read once; rows wait in a temporary file (in memory while small) because the columns
    are only known after the last task.
    """
    # closed by the rows() generator (or below on failure), not by a with-block here
    spool = tempfile.SpooledTemporaryFile(max_size=64 << 20)  # noqa: SIM115
    try:
        columns, colliding = _csv_pass(tasks, config, spool)
    except BaseException:
        spool.close()
        raise

    def rows() -> Iterator[dict[str, Any]]:
        with spool:
            spool.seek(0)
            while True:
                try:
                    batch = pickle.load(spool)
                except EOFError:
                    return
                for row in batch:
                    yield _assemble(row, colliding)

    return columns, rows()


def write_csv(
    tasks: Iterable[Mapping[str, Any]], config: LabelConfig, dest: Destination, sep: str = ","
) -> int:
    """Write Label Studio's CSV export (``sep="\\t"`` for TSV); return the number of rows.

    Columns are sorted; list and dict cells are compact JSON; text cells are quoted
    (``csv.QUOTE_NONNUMERIC``); a data key equal to a control name becomes ``_data_<key>``.
    """
    columns, rows = csv_rows(tasks, config)
    with _text_sink(dest) as out:
        writer = csv.writer(out, delimiter=sep, quoting=csv.QUOTE_NONNUMERIC)
        writer.writerow(columns)
        count = 0
        batch: list[list[Any]] = []
        for record in rows:
            batch.append([record.get(c, "") for c in columns])
            if len(batch) >= _BATCH:
                writer.writerows(batch)
                count += len(batch)
                batch.clear()
        writer.writerows(batch)
        count += len(batch)
    return count


def write_tsv(tasks: Iterable[Mapping[str, Any]], config: LabelConfig, dest: Destination) -> int:
    """:func:`write_csv` with tabs: Label Studio's TSV export."""
    return write_csv(tasks, config, dest, sep="\t")


@contextmanager
def _text_sink(dest: Destination) -> Iterator[IO[str]]:
    if isinstance(dest, (str, os.PathLike)):
        with open(dest, "w", encoding="utf-8", newline="") as fh:
            yield fh
    elif isinstance(dest, io.TextIOBase):
        yield dest
    else:
        binary = cast("IO[bytes]", dest)
        wrapper = io.TextIOWrapper(binary, encoding="utf-8", newline="", write_through=True)
        try:
            yield wrapper
            wrapper.flush()
        finally:
            wrapper.detach()


def export(
    format: TableFormat, tasks: Iterable[Mapping[str, Any]], config: LabelConfig, dest: Destination
) -> int:
    """Write ``tasks`` in one of :data:`FORMATS` to ``dest``; return the number of tasks/records/rows."""
    if format == "json":
        return write_json(tasks, dest)
    if format == "json_min":
        return write_json_min(tasks, config, dest)
    if format == "csv":
        return write_csv(tasks, config, dest)
    if format == "tsv":
        return write_tsv(tasks, config, dest)
    raise ValueError(f"unknown export format {format!r}; choose one of {', '.join(FORMATS)}")


def export_text(format: TableFormat, tasks: Iterable[Mapping[str, Any]], config: LabelConfig) -> str:
    """The export file's content as text (for small exports returned instead of written)."""
    buffer = io.BytesIO()
    export(format, tasks, config, buffer)
    return buffer.getvalue().decode("utf-8")


def export_records(
    format: TableFormat, tasks: Iterable[Mapping[str, Any]], config: LabelConfig
) -> list[dict[str, Any]]:
    """The export as Python records: tasks (json), json_min records, or CSV/TSV row dicts."""
    if format == "json":
        return [dict(task) for task in tasks]
    if format == "json_min":
        return list(json_min_records(tasks, config))
    if format in ("csv", "tsv"):
        return list(csv_rows(tasks, config)[1])
    raise ValueError(f"unknown export format {format!r}; choose one of {', '.join(FORMATS)}")
