"""Turning Label Studio task items into checked :class:`ImportedTask` objects.

The rules are Label Studio's import rules: an item without a truthy ``data`` is itself the data, the
placeholder key ``$undefined$`` (from one-column files) becomes the config's only data key, imported
annotations default to ``ground_truth=True``, predictions get their ``result`` normalised, a float
``score`` and a ``model_version``. Everything else a user brings (ids, timestamps, ``meta``, unknown keys
of tasks, annotations, predictions and result items) is kept as given.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from labelnb.config import LabelConfig, ResultError, TaskDataError
from labelnb.config.json_values import id_problem, lead_time_problem, unstorable

from .errors import TaskImportError
from .frame_values import unstorable_cell

UNDEFINED_KEY = "$undefined$"
"""The data key Label Studio gives one-column inputs (TXT lines, single files) before renaming it."""

# control type -> Python types a bare prediction value may have for it (Label Studio's single-valued tags)
_BARE_VALUE_TYPES: dict[str, tuple[type, ...]] = {
    "choices": (str,),
    "textarea": (str,),
    "rating": (int,),
    "number": (int, float),
}
_SCALAR_CONTROLS = frozenset({"rating", "number"})
# controls whose value key is not their type
_VALUE_KEYS = {"textarea": "text", "pairwise": "selected"}


@dataclass(slots=True)
class ImportedTask:
    """One task ready for a store: checked ``data`` plus what came with it.

    Attributes:
        data: the task data (keys as the config's ``$keys``).
        annotations: annotation dicts; each has a ``result`` list, ``ground_truth``, ``was_cancelled`` and
            ``lead_time``; ``completed_by`` is as given (null, a user id, an e-mail or ``{"email": ...}``).
        predictions: prediction dicts with a list ``result``, a float-or-None ``score`` and ``model_version``.
        meta: the task's ``meta`` (a dict or list) or None.
        extra: every other top-level key of the item (``id``, ``created_at``, ``drafts``, unknown keys...).
        row: where the task came from (see :class:`TaskImportError`), for messages raised later.
    """

    data: dict[str, Any]
    annotations: list[dict[str, Any]] = field(default_factory=list)
    predictions: list[dict[str, Any]] = field(default_factory=list)
    meta: dict[str, Any] | list[Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    row: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """The task as a Label Studio import item (``extra`` keys first, then ``data``, ...)."""
        out: dict[str, Any] = dict(self.extra)
        out["data"] = self.data
        if self.meta is not None:
            out["meta"] = self.meta
        out["annotations"] = self.annotations
        out["predictions"] = self.predictions
        return out


def prediction_result(result: Any, config: LabelConfig) -> list[dict[str, Any]]:
    """Normalise a prediction's ``result`` the way Label Studio does on import.

    A list is returned as is (every item must be a dict). A dict is a bare ``value``: it is wrapped in one
    result item for the first control (config order) whose type is a key of the dict (failing that, whose
    value key is: ``text`` for TextArea, ``selected`` for Pairwise). A string or number is wrapped for the
    first single-valued control that takes it: Choices get ``{"choices": [value]}``, TextArea
    ``{"text": [value]}``, Rating and Number the value itself. (Label Studio writes ``{<type>: [value]}``
    for all four, which its own editor cannot read for TextArea, Rating and Number.)

    Raises:
        ValueError: the result fits none of these shapes or no control of the config.
    """
    if isinstance(result, list):
        for i, item in enumerate(result):
            if not isinstance(item, dict):
                raise ValueError(f"result item {i} is a {type(item).__name__}; each item must be an object")
        return result
    if isinstance(result, dict):
        for control in config.controls.values():
            if control.type in result:
                return [_wrapped(control.name, control.to_name, control.type, result)]
        for control in config.controls.values():
            if _VALUE_KEYS.get(control.type) in result:
                return [_wrapped(control.name, control.to_name, control.type, result)]
        types = sorted({c.type for c in config.controls.values()})
        raise ValueError(
            f"a result given as one value object needs a key naming a control type of the config "
            f"({', '.join(types) or 'none'}); give a list of result items instead"
        )
    if isinstance(result, (str, int, float)) and not isinstance(result, bool):
        for control in config.controls.values():
            accepted = _BARE_VALUE_TYPES.get(control.type)
            if accepted and isinstance(result, accepted):
                value = result if control.type in _SCALAR_CONTROLS else [result]
                key = _VALUE_KEYS.get(control.type, control.type)
                return [_wrapped(control.name, control.to_name, control.type, {key: value})]
        raise ValueError(
            f"a bare {type(result).__name__} result needs a Choices or TextArea (text) or a Rating or "
            "Number (numbers) control in the config; give a list of result items instead"
        )
    raise ValueError(f"result must be a list of result items, not {type(result).__name__}")


def _wrapped(name: str, to_name: tuple[str, ...], kind: str, value: dict[str, Any]) -> dict[str, Any]:
    return {"from_name": name, "to_name": ",".join(to_name), "type": kind, "value": value}


def _score(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        score = float(value)
    except (TypeError, ValueError):
        return None
    return score if math.isfinite(score) else None


class TaskBuilder:
    """Checks and normalises task items of one source against one config."""

    __slots__ = ("_only_key", "config", "source", "validate")

    def __init__(self, config: LabelConfig, source: str | None = None, *, validate: bool = True) -> None:
        self.config = config
        self.source = source
        self.validate = validate
        keys = list(config.data_keys)
        self._only_key = keys[0] if len(keys) == 1 else None

    def error(self, message: str, row: int | None, field: str | None = None) -> TaskImportError:
        """A :class:`TaskImportError` located in this builder's source."""
        return TaskImportError(message, source=self.source, row=row, field=field)

    def keys(self, names: list[str], row: int | None = None) -> list[str]:
        """Column names of a table with ``$undefined$`` renamed (checked once instead of per row)."""
        if UNDEFINED_KEY not in names:
            return names
        return list(self._rename_undefined(dict.fromkeys(names), row))

    def data_tasks(self, datas: Iterable[dict[str, Any]], first_row: int = 1) -> Iterator[ImportedTask]:
        """Tasks from bare data dicts whose keys are final (see :meth:`keys`): the fast path of tables."""
        if not self.validate:
            for row, data in enumerate(datas, first_row):
                yield ImportedTask(data, [], [], None, {}, row)
            return
        validate = self.config.validate_task
        for row, data in enumerate(datas, first_row):
            try:
                validate(data)
            except TaskDataError as exc:
                raise self.error(exc.message, row, exc.field) from exc
            yield ImportedTask(data, [], [], None, {}, row)

    def data(self, data: dict[str, Any], row: int | None) -> dict[str, Any]:
        """Rename ``$undefined$`` and check ``data`` against the config; return the (maybe new) dict."""
        if UNDEFINED_KEY in data:
            data = self._rename_undefined(data, row)
        if self.validate:
            try:
                self.config.validate_task(data)
            except TaskDataError as exc:
                raise self.error(exc.message, row, exc.field) from exc
        return data

    def _rename_undefined(self, data: dict[str, Any], row: int | None) -> dict[str, Any]:
        key = self._only_key
        if key is None:
            keys = list(self.config.data_keys)
            raise self.error(
                f"this input has one unnamed column, but the config reads {len(keys)} data keys "
                f"({', '.join(keys) or 'none'}); give the data as named fields (JSON objects or a CSV "
                "with a header) or use a config with exactly one $key",
                row,
                UNDEFINED_KEY,
            )
        if key in data:
            raise self.error(
                f"the item has both {UNDEFINED_KEY!r} and {key!r}; keep one of them", row, UNDEFINED_KEY
            )
        return {(key if k == UNDEFINED_KEY else k): v for k, v in data.items()}

    def storable(self, value: Any, row: int | None, path: str = "") -> None:
        """Refuse a value JSON cannot hold (NaN, infinities, huge integers, ...), naming row and field."""
        found = unstorable(value, path)
        if found is not None:
            where, problem = found
            raise self.error(f"{where or 'the task'} {problem}", row, where or None)

    def storable_frame(self, frame: Any, first_row: int = 1) -> None:
        """:meth:`storable` for every cell of a DataFrame (``first_row``: the row number of its first row)."""
        found = unstorable_cell(frame)
        if found is not None:
            position, where, problem = found
            raise self.error(f"{where} {problem}", first_row + position, where)

    def task(self, item: Any, row: int | None) -> ImportedTask:
        """Check one Label Studio task item (or a bare data dict) and return it as an ImportedTask."""
        if not isinstance(item, Mapping):
            raise self.error(
                f"a task must be a JSON object, not {type(item).__name__}; wrap values as "
                '{"data": {"<key>": ...}}',
                row,
            )
        self.storable(item, row)
        if not item.get("data"):
            return ImportedTask(self.data(dict(item), row), row=row)
        raw = item["data"]
        if not isinstance(raw, dict):
            raise self.error(
                f"'data' must be an object mapping data keys to values, not {type(raw).__name__}",
                row,
                "data",
            )
        data = self.data(raw, row)
        meta = item.get("meta")
        if meta is not None and not isinstance(meta, (dict, list)):
            raise self.error(f"'meta' must be an object or a list, not {type(meta).__name__}", row, "meta")
        annotations = [
            self.annotation(a, i, data, row) for i, a in enumerate(self._list(item, "annotations", row))
        ]
        predictions = [
            self.prediction(p, i, data, row) for i, p in enumerate(self._list(item, "predictions", row))
        ]
        extra = {k: v for k, v in item.items() if k not in _TASK_KEYS}
        return ImportedTask(data, annotations, predictions, meta, extra, row)

    def _list(self, item: Mapping[str, Any], key: str, row: int | None) -> list[Any]:
        value = item.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.error(f"{key!r} must be a list of objects, not {type(value).__name__}", row, key)
        return value

    def annotation(
        self, annotation: Any, index: int, data: dict[str, Any], row: int | None
    ) -> dict[str, Any]:
        """Check one imported annotation; return a copy with Label Studio's import defaults filled in."""
        where = f"annotations[{index}]"
        if not isinstance(annotation, dict):
            raise self.error(
                f"an annotation must be an object with a 'result' list, not {type(annotation).__name__}",
                row,
                where,
            )
        if "result" not in annotation:
            raise self.error(
                "the annotation has no 'result'; add one (a list of result items, [] for none)", row, where
            )
        result = annotation["result"]
        if not isinstance(result, list):
            raise self.error(
                f"'result' must be a list of result items, not {type(result).__name__}",
                row,
                f"{where}.result",
            )
        who = annotation.get("completed_by")
        if who is not None and (isinstance(who, (bool, float)) or not isinstance(who, (int, str, dict))):
            raise self.error(
                f"completed_by must be null, a user id, an e-mail or {{'email': ...}}, not {who!r}",
                row,
                f"{where}.completed_by",
            )
        self._check_fields(annotation, row, where)
        # the store reads a user id from an int, a digit string or {"id": ...}: each must fit an id column
        user_id = who.get("id") if isinstance(who, dict) else who
        if isinstance(user_id, str) and user_id.isdigit():
            user_id = int(user_id)
        problem = id_problem(user_id, "completed_by")
        if problem is None and isinstance(annotation.get("id"), int):
            problem = id_problem(annotation["id"], "the annotation id")
        if problem is None:
            problem = lead_time_problem(annotation.get("lead_time"))
        if problem is not None:
            raise self.error(problem, row, where)
        import_id = annotation.get("import_id")
        if import_id is not None and (
            isinstance(import_id, bool) or not isinstance(import_id, int) or id_problem(import_id, "")
        ):
            raise self.error(f"import_id must be an id (a whole number), not {import_id!r}", row, where)
        self._check_result(result, data, row, f"{where}.result")
        out = dict(annotation)
        if out.get("ground_truth") is None:
            out["ground_truth"] = True
        if out.get("was_cancelled") is None:
            out["was_cancelled"] = False
        out.setdefault("lead_time", None)
        return out

    def prediction(
        self, prediction: Any, index: int, data: dict[str, Any], row: int | None
    ) -> dict[str, Any]:
        """Check one imported prediction; return a copy with result, score and model_version normalised."""
        where = f"predictions[{index}]"
        if not isinstance(prediction, dict) or "result" not in prediction:
            raise self.error(
                "a prediction must be an object with a 'result' (a list of result items)", row, where
            )
        try:
            result = prediction_result(prediction["result"], self.config)
        except ValueError as exc:
            raise self.error(str(exc), row, f"{where}.result") from exc
        self._check_fields(prediction, row, where)
        cluster = prediction.get("cluster")
        if cluster is not None and (isinstance(cluster, bool) or not isinstance(cluster, (int, str))):
            raise self.error(f"cluster must be a number or text, not {cluster!r}", row, f"{where}.cluster")
        self._check_result(result, data, row, f"{where}.result")
        out = dict(prediction)
        out["result"] = result
        out["score"] = _score(prediction.get("score"))
        if not out.get("model_version"):
            out["model_version"] = "undefined"
        return out

    def _check_fields(self, item: Mapping[str, Any], row: int | None, where: str) -> None:
        for key in ("created_at", "updated_at"):
            stamp = item.get(key)
            if stamp is not None and not isinstance(stamp, str):
                raise self.error(
                    f"{key} must be a timestamp as text (ISO 8601), not {stamp!r}", row, f"{where}.{key}"
                )

    def _check_result(self, result: list[Any], data: dict[str, Any], row: int | None, where: str) -> None:
        for i, item in enumerate(result):
            if not isinstance(item, dict):
                raise self.error(
                    f"a result item must be an object, not {type(item).__name__}", row, f"{where}[{i}]"
                )
        if not self.validate or not result:
            return
        try:
            self.config.validate_result(result, data)
        except ResultError as exc:
            field = where if exc.index is None else f"{where}[{exc.index}]"
            if exc.field:
                field = f"{field}.{exc.field}"
            raise self.error(exc.message, row, field) from exc


_TASK_KEYS = frozenset({"data", "annotations", "predictions", "meta"})
