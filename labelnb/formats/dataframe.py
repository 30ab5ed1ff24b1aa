"""Tasks as pandas DataFrames and back.

:func:`tasks_to_frame` gives one row per task (or per result item with ``kind="regions"``) with each
control's answer as a plain value; :func:`frame_to_tasks` reads such a frame (or any frame of data
columns) back into :class:`ImportedTask` objects.

Plain values per control type (a control's latest annotation):

* Choices: the choice (``str``) for single-choice controls, ``list[str]`` for ``choice="multiple"``;
* TextArea: the text (``str``), or ``list[str]`` when there are several;
* Rating / Number: the number; DateTime: its text; Taxonomy: list of paths; Pairwise: ``"left"``/``"right"``;
  Ranker: its dict;
* region controls (Labels, RectangleLabels, Polygon, Brush, ...) and per-region answers: a list of value dicts,
  each with the region's ``id`` and, for images, ``original_width``, ``original_height`` and
  ``image_rotation`` (plus ``type`` or ``to_name`` when they differ from the control's).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from labelnb.config import ControlTag, LabelConfig

from .converter import annotator, live_annotations
from .errors import TaskImportError
from .frame_values import column_values, frame_dicts, plain, timestamps, typed_series
from .imported import ImportedTask, TaskBuilder

# control type -> key of its value that holds the answer, for controls answered without a region
VALUE_KEYS = {
    "choices": "choices",
    "textarea": "text",
    "rating": "rating",
    "number": "number",
    "datetime": "datetime",
    "taxonomy": "taxonomy",
    "pairwise": "selected",
    "ranker": "ranker",
}
_DTYPES = {"choices": "string", "textarea": "string", "rating": "Int64", "number": "Float64"}
ANNOTATION_COLUMNS = ("annotator", "annotation_id", "created_at", "updated_at", "lead_time")
RESERVED_COLUMNS = ("id", *ANNOTATION_COLUMNS)
DATA_PREFIX = "_data_"
# result-item fields kept in a region's plain dict (and put back by results_from_plain)
_ENVELOPE = ("id", "original_width", "original_height", "image_rotation")


def _region_dict(item: Mapping[str, Any], control: ControlTag) -> dict[str, Any]:
    out = dict(item.get("value") or {})
    for key in _ENVELOPE:
        if key in item:
            out[key] = item[key]
    if item.get("type") != control.type:
        out["type"] = item.get("type")
    if item.get("to_name") != ",".join(control.to_name):
        out["to_name"] = item.get("to_name")
    return out


def plain_value(control: ControlTag, items: Sequence[Mapping[str, Any]]) -> Any:
    """The plain value of one control's result items in one annotation (None when there are none)."""
    return plain_reader(control)(items)


def plain_reader(control: ControlTag) -> Callable[[Sequence[Mapping[str, Any]]], Any]:
    """:func:`plain_value` for one control, with the control's constants worked out once (for whole columns)."""
    key = VALUE_KEYS.get(control.type)
    kind = control.type
    to_name = ",".join(control.to_name)
    multiple = control.choice == "multiple"

    def read(items: Sequence[Mapping[str, Any]]) -> Any:
        if not items:
            return None
        if key is not None and len(items) == 1:
            item = items[0]
            value = item.get("value")
            # the short form only when the item holds nothing but the answer (else it would be lost)
            if (
                isinstance(value, dict)
                and len(value) == 1
                and key in value
                and item.get("type") == kind
                and item.get("to_name") == to_name
                and "original_width" not in item
                and "original_height" not in item
                and "image_rotation" not in item
            ):
                answer = value[key]
                if kind == "choices" and isinstance(answer, list):
                    return list(answer) if multiple or len(answer) != 1 else answer[0]
                if kind == "textarea" and isinstance(answer, list):
                    return answer[0] if len(answer) == 1 else list(answer)
                return answer
        return [_region_dict(item, control) for item in items]

    return read


def _is_empty(value: Any) -> bool:
    if value is None or (isinstance(value, (str, list, dict, tuple)) and len(value) == 0):
        return True
    return isinstance(value, float) and value != value


def new_region_id() -> str:
    """A 10-character region id from ``[A-Za-z0-9_-]``, the form Label Studio's editor generates."""
    return secrets.token_urlsafe(8)[:10]


def results_from_plain(control: ControlTag, value: Any) -> list[dict[str, Any]]:
    """Result items for ``control`` from a plain value (the inverse of :func:`plain_value`).

    Raises:
        ValueError: the value does not fit the control.
    """
    to_name = ",".join(control.to_name)
    value = plain(value)
    if isinstance(value, dict) and not (control.type == "ranker" and "ranker" not in value):
        value = [value]
    if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        out = []
        for region in value:
            region = dict(region)
            item: dict[str, Any] = {
                "id": region.pop("id", None) or new_region_id(),
                "from_name": control.name,
            }
            item["to_name"] = region.pop("to_name", to_name)
            item["type"] = region.pop("type", control.type)
            for key in _ENVELOPE[1:]:
                if key in region:
                    item[key] = region.pop(key)
            item["value"] = region
            out.append(item)
        return out
    answer_key = VALUE_KEYS.get(control.type)
    if answer_key is None:
        raise ValueError(
            f"{control.tag} {control.name!r} takes a list of region dicts (value fields such as "
            f"'start'/'end' or 'x'/'y'/'width'/'height' plus the label list), not {type(value).__name__}"
        )
    answer: Any = value
    if control.type in ("choices", "textarea"):
        if isinstance(value, str):
            answer = [value]
        elif not isinstance(value, list):
            raise ValueError(f"{control.tag} {control.name!r} takes text or a list of texts, not {value!r}")
    elif control.type == "rating" and isinstance(value, float) and value.is_integer():
        answer = int(value)
    return [{"id": new_region_id(), "from_name": control.name, "to_name": to_name, "type": control.type,
             "value": {answer_key: answer}}]  # fmt: skip


def _latest(task: Mapping[str, Any], which: str) -> Sequence[Mapping[str, Any] | None]:
    live = live_annotations(task) or []
    if not live:
        return [None]
    return live if which == "all" else live[:1]


def _data_column(key: str, controls: Mapping[str, Any]) -> str:
    return f"{DATA_PREFIX}{key}" if key in controls or key in RESERVED_COLUMNS else key


def tasks_to_frame(
    tasks: Iterable[Mapping[str, Any]],
    config: LabelConfig,
    kind: Literal["tasks", "regions"] = "tasks",
    annotations: Literal["latest", "all"] = "latest",
) -> pd.DataFrame:
    """A DataFrame of export tasks.

    ``kind="tasks"``: one row per task with ``id``, the data columns, one column per control holding the
    plain value (see the module docs) of the task's latest non-cancelled annotation, then ``annotator``,
    ``annotation_id``, ``created_at``, ``updated_at`` (UTC datetimes) and ``lead_time``. Tasks without
    annotations have missing values there. A data key equal to a control or one of these column names is
    renamed ``_data_<key>``. ``annotations="all"`` gives one row per non-cancelled annotation instead.

    ``kind="regions"``: one row per result item of those annotations: ``task_id``, ``annotation_id``,
    ``annotator``, ``region_id``, ``from_name``, ``to_name``, ``type``, the value's fields as columns
    (``x``, ``y``, ``width``, ``height``, ``start``, ``end``, ``text``, ``rectanglelabels``, ...),
    ``original_width``, ``original_height`` and ``value`` (the whole dict).
    """
    if kind == "regions":
        return _regions_frame(tasks, config, annotations)
    if kind != "tasks":
        raise ValueError(f"kind must be 'tasks' or 'regions', not {kind!r}")
    columns = TaskColumns()
    for task in tasks:
        data = task.get("data") or {}
        for ann in _latest(task, annotations):
            columns.id.append(task.get("id"))
            columns.data.append(data)
            if ann is None:
                for column in columns.annotation_columns():
                    column.append(None)
                continue
            who = ann.get("completed_by")
            columns.result.append(ann.get("result"))
            columns.annotator.append(None if who is None else annotator(who))
            columns.annotation_id.append(ann.get("id"))
            columns.created_at.append(ann.get("created_at"))
            columns.updated_at.append(ann.get("updated_at"))
            columns.lead_time.append(ann.get("lead_time"))
    return pages_to_frame([columns], config)


@dataclass
class TaskColumns:
    """Tasks laid out by column, one row per (task, annotation) pair: what :func:`columns_to_frame` reads.

    Every list has one entry per row. ``data`` holds the tasks' data dicts and ``result`` the annotation's
    result items; a row without an annotation has None in ``result`` and the columns after it.
    ``annotator`` is the annotator as a DataFrame shows it (an e-mail, or a user id as text).
    """

    id: list[Any] = field(default_factory=list)
    data: list[Mapping[str, Any]] = field(default_factory=list)
    result: list[Sequence[Mapping[str, Any]] | None] = field(default_factory=list)
    annotator: list[str | None] = field(default_factory=list)
    annotation_id: list[Any] = field(default_factory=list)
    created_at: list[Any] = field(default_factory=list)
    updated_at: list[Any] = field(default_factory=list)
    lead_time: list[Any] = field(default_factory=list)

    def annotation_columns(self) -> tuple[list[Any], ...]:
        """The columns that describe a row's annotation."""
        return (self.result, self.annotator, self.annotation_id, self.created_at, self.updated_at,
                self.lead_time)  # fmt: skip


class _FrameBuilder:
    """The columns of a ``kind="tasks"`` frame, filled page by page so that each page's dicts die young."""

    def __init__(self, config: LabelConfig) -> None:
        self.controls = config.controls
        self.readers = {name: plain_reader(control) for name, control in self.controls.items()}
        self.rows = 0
        self.data: dict[str, list[Any]] = {}  # data key -> cells, in order of first appearance
        self.answers: dict[str, list[Any]] = {name: [] for name in self.controls}
        self.fields: dict[str, list[Any]] = {name: [] for name in ("id", *ANNOTATION_COLUMNS)}

    def add(self, page: TaskColumns) -> None:
        size = len(page.id)
        self._add_data(page.data, size)
        self._add_answers(page.result, size)
        for name in self.fields:
            self.fields[name].extend(getattr(page, name))
        self.rows += size

    def _add_data(self, datas: Sequence[Mapping[str, Any]], size: int) -> None:
        keys: dict[str, None] = {}
        # most tasks share one key layout: look at each distinct layout once
        for layout in dict.fromkeys(map(tuple, datas)):
            keys.update(dict.fromkeys(layout))
        for key in keys:
            if key not in self.data:
                self.data[key] = [None] * self.rows
            self.data[key].extend([d.get(key) for d in datas])
        for key, cells in self.data.items():
            if key not in keys:
                cells.extend([None] * size)

    def _add_answers(self, results: Sequence[Sequence[Mapping[str, Any]] | None], size: int) -> None:
        start = self.rows
        answers, readers = self.answers, self.readers
        for cells in answers.values():
            cells.extend([None] * size)
        for row, items in enumerate(results, start):
            if not items:
                continue
            if len(items) == 1:  # the common case: one answer, nothing to group
                name = items[0].get("from_name")
                if name in answers:
                    answers[name][row] = readers[name](items)
                continue
            grouped: dict[Any, list[Mapping[str, Any]]] = {}
            for item in items:
                grouped.setdefault(item.get("from_name"), []).append(item)
            for name, group in grouped.items():
                if name in answers:
                    answers[name][row] = readers[name](group)

    def frame(self) -> pd.DataFrame:
        fields = self.fields
        frame: dict[str, pd.Series[Any]] = {"id": typed_series(fields["id"], "id", "Int64")}
        for key, cells in self.data.items():
            name = _data_column(key, self.controls)
            frame[name] = typed_series(cells, name)
        for name, control in self.controls.items():
            frame[name] = typed_series(self.answers[name], name, _DTYPES.get(control.type))
        frame["annotator"] = typed_series(fields["annotator"], "annotator", "string")
        frame["annotation_id"] = typed_series(fields["annotation_id"], "annotation_id", "Int64")
        frame["created_at"] = timestamps(fields["created_at"], "created_at")
        frame["updated_at"] = timestamps(fields["updated_at"], "updated_at")
        frame["lead_time"] = typed_series(fields["lead_time"], "lead_time", "Float64")
        return pd.DataFrame(frame, index=pd.RangeIndex(self.rows))


def pages_to_frame(pages: Iterable[TaskColumns], config: LabelConfig) -> pd.DataFrame:
    """The ``kind="tasks"`` frame of :func:`tasks_to_frame` from tasks already laid out by column, in pages
    (each page is read once and may be dropped as soon as the next one is asked for)."""
    builder = _FrameBuilder(config)
    for page in pages:
        builder.add(page)
    return builder.frame()


_REGION_COLUMNS = ("task_id", "annotation_id", "annotator", "region_id", "from_name", "to_name", "type")


def _regions_frame(tasks: Iterable[Mapping[str, Any]], config: LabelConfig, which: str) -> pd.DataFrame:
    rows: list[tuple[Any, ...]] = []
    values: list[dict[str, Any]] = []
    sizes: list[tuple[Any, Any]] = []
    for task in tasks:
        for ann in _latest(task, which):
            if ann is None:
                continue
            who = ann.get("completed_by")
            who = None if who is None else annotator(who)
            for item in ann.get("result") or ():
                value = item.get("value")
                if value is None and item.get("type") == "relation":
                    value = {k: item[k] for k in ("from_id", "to_id", "direction", "labels") if k in item}
                rows.append(
                    (task.get("id"), ann.get("id"), who, item.get("id"), item.get("from_name"),
                     item.get("to_name"), item.get("type"))
                )  # fmt: skip
                values.append(value if isinstance(value, dict) else {})
                sizes.append((item.get("original_width"), item.get("original_height")))
    fixed = list(zip(*rows, strict=True)) if rows else [() for _ in _REGION_COLUMNS]
    columns: dict[str, pd.Series[Any]] = {}
    for name, cells in zip(_REGION_COLUMNS, fixed, strict=True):
        preferred = "Int64" if name in ("task_id", "annotation_id") else "string"
        columns[name] = typed_series(list(cells), name, preferred)
    keys: dict[str, None] = {}
    for value in values:
        keys.update(dict.fromkeys(value))
    reserved = {*_REGION_COLUMNS, "original_width", "original_height", "value"}
    for key in keys:
        if key not in reserved:
            columns[key] = typed_series([v.get(key) for v in values], key)
    columns["original_width"] = typed_series([s[0] for s in sizes], "original_width", "Int64")
    columns["original_height"] = typed_series([s[1] for s in sizes], "original_height", "Int64")
    columns["value"] = pd.Series(values, name="value", dtype=object)
    return pd.DataFrame(columns, index=pd.RangeIndex(len(rows)))


def _label_columns(names: Sequence[str], config: LabelConfig) -> list[str]:
    data_keys = set(config.data_keys)
    present = set(names)
    return [
        n
        for n in names
        if n in config.controls and not (n in data_keys and f"{DATA_PREFIX}{n}" not in present)
    ]


def frame_to_tasks(
    frame: pd.DataFrame, config: LabelConfig, *, name: str | None = None, validate: bool = True
) -> Iterator[ImportedTask]:
    """Tasks from a DataFrame, one per row (``row`` in errors is the 1-based row position).

    Columns named like a control of the config are label columns holding plain values (see the module
    docs): a row with any of them filled gets one annotation built from them, with ``annotator`` (an
    e-mail or a user id), ``annotation_id``, ``created_at``, ``updated_at`` and ``lead_time`` taken from
    those columns when present, and ``id`` kept as the task's ``id``; ``_data_<key>`` columns give data
    key ``<key>``. A frame without label columns is all data (as a Label Studio CSV import), including
    any ``id`` or ``created_at`` column. A column ``data`` holding dicts means one Label Studio task
    per row (``data``, ``annotations``, ``predictions``, ``meta``, ... columns).

    Missing cells (None, NaN, NaT, ``pd.NA``) are left out of ``data`` (so the config's check reports a
    missing required key), numpy scalars become Python numbers and datetimes ISO 8601 text. ``name``
    names the frame in error messages; ``validate=False`` skips the config's checks.
    """
    names = [str(c) for c in frame.columns]
    if len(set(names)) != len(names):
        duplicated = sorted({n for n in names if names.count(n) > 1})
        raise TaskImportError(
            f"the frame has duplicate column names {duplicated}; rename them first", source=name
        )
    builder = TaskBuilder(config, name, validate=validate)
    if "data" in names and _holds_dicts(frame.iloc[:, names.index("data")]):
        return (builder.task(d, i) for i, d in enumerate(frame_dicts(frame, names), 1))  # each checked
    builder.storable_frame(frame)
    labels = _label_columns(names, config)
    if not labels:
        return _data_only(frame, names, builder)
    return _labelled(frame, names, labels, builder)


def _holds_dicts(series: pd.Series[Any]) -> bool:
    values = series.dropna()
    return len(values) > 0 and isinstance(values.iloc[0], dict)


def _data_only(frame: pd.DataFrame, names: list[str], builder: TaskBuilder) -> Iterator[ImportedTask]:
    """The fast path: every column is data; one dict per row and one config check."""
    controls = builder.config.controls
    # as with label columns: `_data_<key>` is data key <key> where <key> names a control
    keys = [
        n[len(DATA_PREFIX) :] if n.startswith(DATA_PREFIX) and n[len(DATA_PREFIX) :] in controls else n
        for n in names
    ]
    yield from builder.data_tasks(frame_dicts(frame, builder.keys(keys, 1)))


def _labelled(
    frame: pd.DataFrame, names: list[str], labels: list[str], builder: TaskBuilder
) -> Iterator[ImportedTask]:
    config = builder.config
    data_keys = set(config.data_keys)
    reserved = [n for n in RESERVED_COLUMNS if n in names and n not in data_keys]
    data_cols = [n for n in names if n not in labels and n not in reserved]
    data_keys_out = [
        n[len(DATA_PREFIX) :] if n.startswith(DATA_PREFIX) and n[len(DATA_PREFIX) :] in config.controls else n
        for n in data_cols
    ]
    picked = frame.iloc[:, [names.index(n) for n in data_cols]]
    extra = {n: column_values(frame.iloc[:, names.index(n)])[0] for n in (*labels, *reserved)}
    missing = {n: _missing(frame.iloc[:, names.index(n)]) for n in (*labels, *reserved)}
    for i, data in enumerate(frame_dicts(picked, data_keys_out)):
        row = i + 1
        data = builder.data(data, row)
        cells = {n: (None if i in missing[n] else extra[n][i]) for n in reserved}
        results: list[dict[str, Any]] = []
        for name in labels:
            value = extra[name][i]
            if i in missing[name] or _is_empty(value):
                continue
            try:
                results.extend(results_from_plain(config.controls[name], value))
            except ValueError as exc:
                raise builder.error(str(exc), row, name) from exc
        task_extra = {} if cells.get("id") is None else {"id": _whole_number(cells["id"])}
        annotations = []
        if results:
            raw = _annotation(results, cells)
            annotations.append(builder.annotation(raw, 0, data, row))
        yield ImportedTask(data, annotations, [], None, task_extra, row)


def _missing(series: pd.Series[Any]) -> set[int]:
    return set(np.flatnonzero(series.isna().to_numpy()).tolist())


def _whole_number(value: Any) -> Any:
    """An integral float (from a float column with gaps) as int; anything else unchanged."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _annotation(results: list[dict[str, Any]], cells: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"result": results}
    who = _whole_number(cells.get("annotator"))
    if isinstance(who, str):
        out["completed_by"] = int(who) if who.isdigit() else {"email": who}
    elif who is not None:
        out["completed_by"] = who
    if cells.get("annotation_id") is not None:
        out["id"] = _whole_number(cells["annotation_id"])
    for key in ("created_at", "updated_at", "lead_time"):
        if cells.get(key) is not None:
            out[key] = cells[key]
    return out
