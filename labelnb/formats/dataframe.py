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
from collections.abc import Iterable, Iterator, Mapping, Sequence
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
    if not items:
        return None
    key = VALUE_KEYS.get(control.type)
    if key is not None and len(items) == 1:
        item = items[0]
        value = item.get("value") or {}
        if (
            item.get("type") == control.type
            and list(value) == [key]
            and not any(k in item for k in _ENVELOPE[1:])
            and item.get("to_name") == ",".join(control.to_name)
        ):
            answer = value[key]
            if control.type == "choices" and isinstance(answer, list):
                if control.choice == "multiple" or len(answer) != 1:
                    return list(answer)
                return answer[0]
            if control.type == "textarea" and isinstance(answer, list):
                return answer[0] if len(answer) == 1 else list(answer)
            return answer
    return [_region_dict(item, control) for item in items]


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
    controls = config.controls
    ids: list[Any] = []
    datas: list[Mapping[str, Any]] = []
    answers: dict[str, list[Any]] = {name: [] for name in controls}
    meta: dict[str, list[Any]] = {name: [] for name in ANNOTATION_COLUMNS}
    for task in tasks:
        data = task.get("data") or {}
        for ann in _latest(task, annotations):
            ids.append(task.get("id"))
            datas.append(data)
            if ann is None:
                for column in (*answers.values(), *meta.values()):
                    column.append(None)
                continue
            grouped: dict[str, list[Mapping[str, Any]]] = {}
            for item in ann.get("result") or ():
                grouped.setdefault(item.get("from_name"), []).append(item)
            for name, control in controls.items():
                answers[name].append(plain_value(control, grouped.get(name, ())))
            who = ann.get("completed_by")
            meta["annotator"].append(None if who is None else annotator(who))
            for field in ANNOTATION_COLUMNS[1:]:
                meta[field].append(ann.get(field if field != "annotation_id" else "id"))
    keys: dict[str, None] = {}
    for data in datas:
        keys.update(dict.fromkeys(data))
    columns: dict[str, pd.Series[Any]] = {"id": typed_series(ids, "id", "Int64")}
    for key in keys:
        name = _data_column(key, controls)
        columns[name] = typed_series([d.get(key) for d in datas], name)
    for name, control in controls.items():
        columns[name] = typed_series(answers[name], name, _DTYPES.get(control.type))
    columns["annotator"] = typed_series(meta["annotator"], "annotator", "string")
    columns["annotation_id"] = typed_series(meta["annotation_id"], "annotation_id", "Int64")
    columns["created_at"] = timestamps(meta["created_at"], "created_at")
    columns["updated_at"] = timestamps(meta["updated_at"], "updated_at")
    columns["lead_time"] = typed_series(meta["lead_time"], "lead_time", "Float64")
    return pd.DataFrame(columns, index=pd.RangeIndex(len(ids)))


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
        return (builder.task(d, i) for i, d in enumerate(frame_dicts(frame, names), 1))
    labels = _label_columns(names, config)
    if not labels:
        return _data_only(frame, names, builder)
    return _labelled(frame, names, labels, builder)


def _holds_dicts(series: pd.Series[Any]) -> bool:
    values = series.dropna()
    return len(values) > 0 and isinstance(values.iloc[0], dict)


def _data_only(frame: pd.DataFrame, names: list[str], builder: TaskBuilder) -> Iterator[ImportedTask]:
    """The fast path: every column is data; one dict per row and one config check."""
    yield from builder.data_tasks(frame_dicts(frame, builder.keys(names, 1)))


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
