"""Predictions for tasks that are already stored: from a list, a DataFrame or a model's answers.

Each prediction is normalised and checked the way Label Studio imports one (``result`` in any of its
shapes, see :func:`labelnb.formats.prediction_result`; a float ``score``; a ``model_version``) and its
result is validated against the config and the task's data. A problem raises :class:`PredictionError`
naming the task, the prediction's position and the field, so the caller can refuse the whole batch.

Scores: a number is kept as a float; a NaN or infinite number is an error (it is a model's bug, and
JSON cannot hold it); text is read as a number when it is one and finite, anything else becomes None,
as Label Studio's ``float(score)``-or-None does.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import pandas as pd

from labelnb.config import LabelConfig, ResultError, TaskDataError
from labelnb.config.json_values import ID_MAX, unstorable

from .errors import PredictionError
from .imported import prediction_result

#: names a DataFrame's task id column may have, in the order they are looked for
TASK_COLUMNS = ("task", "task_id")
#: fields of a prediction the store models; other fields are kept with it as given
MODELLED = frozenset({"task", "result", "score", "model_version", "cluster"})
#: fields a prediction may carry that describe a stored prediction, not a new one: dropped
DROPPED = frozenset({"id", "project", "task_id", "created_at", "updated_at"})
#: rows read from a DataFrame at a time
FRAME_CHUNK = 10_000


def prediction_items(source: pd.DataFrame | Iterable[Mapping[str, Any]]) -> Iterator[dict[str, Any]]:
    """The predictions of ``source`` as dicts with a ``task`` id.

    ``source`` is an iterable of dicts (``{"task": 12, "result": ..., "score": 0.8, "model_version":
    "v3"}``) or a DataFrame with a ``task`` (or ``task_id``) column, a ``result`` column and optional
    ``score``, ``model_version`` and ``cluster`` columns; other columns are kept with each prediction.
    Empty cells (NaN, None) of a frame are left out.
    """
    if isinstance(source, pd.DataFrame):
        yield from _frame_items(source)
        return
    if isinstance(source, Mapping):
        raise PredictionError("give a list of predictions (dicts with a 'task' id), not one dict")
    for index, item in enumerate(source):
        if not isinstance(item, Mapping):
            raise PredictionError(
                f"a prediction must be a dict with 'task' and 'result', not {type(item).__name__}",
                index=index,
            )
        out = dict(item)
        if "task" not in out and "task_id" in out:
            out["task"] = out.pop("task_id")
        out["task"] = task_id_of(out.get("task"), index)
        yield out


def _frame_items(frame: pd.DataFrame) -> Iterator[dict[str, Any]]:
    column = next((name for name in TASK_COLUMNS if name in frame.columns), None)
    if column is None:
        raise PredictionError(
            f"the frame needs a task id column named {' or '.join(map(repr, TASK_COLUMNS))}; "
            f"it has {', '.join(map(str, frame.columns))}"
        )
    if "result" not in frame.columns:
        raise PredictionError("the frame needs a 'result' column (result items, a label or a value)")
    index = 0
    for start in range(0, len(frame), FRAME_CHUNK):
        for record in frame.iloc[start : start + FRAME_CHUNK].to_dict("records"):
            item = {str(k): v for k, v in record.items() if not _empty(v)}
            task = item.pop(column, None)
            item.pop("task_id", None)
            item["task"] = task_id_of(task, index)
            yield item
            index += 1


def _empty(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value)) if not isinstance(value, (list, dict, tuple)) else False
    except (TypeError, ValueError):
        return False


def task_id_of(value: Any, index: int | None = None, source: str | None = None) -> int:
    """``value`` as a task id, or PredictionError."""
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        task = int(value)
        if 0 < task <= ID_MAX:
            return task
    elif isinstance(value, float) and value.is_integer() and 0 < value <= ID_MAX:
        return int(value)  # a frame's id column with a gap becomes float
    raise PredictionError(
        f"'task' must be the id of a task of this project, not {value!r}",
        index=index,
        field="task",
        source=source,
    )


def score_of(
    value: Any, *, task: int | None = None, index: int | None = None, source: str | None = None
) -> float | None:
    """A prediction's score as Label Studio casts it (see the module's docstring)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, numbers.Real):
        score = float(value)
        if not math.isfinite(score):
            raise PredictionError(
                f"the score is {score!r}; a score must be a finite number (or None)",
                task=task,
                index=index,
                field="score",
                source=source,
            )
        return score
    if isinstance(value, str):
        try:
            score = float(value)
        except ValueError:
            return None
        return score if math.isfinite(score) else None
    return None


def check_prediction(
    item: Mapping[str, Any],
    config: LabelConfig,
    data: Mapping[str, Any] | None,
    *,
    index: int | None = None,
    model_version: str | None = None,
    source: str | None = None,
    validate: bool = True,
) -> dict[str, Any]:
    """One prediction for a stored task, normalised and checked.

    ``item`` has a ``task`` id (see :func:`prediction_items`); ``data`` is that task's data, or None when
    the project has no such task. ``model_version`` is used when the item has none (then
    ``"undefined"``). ``validate=False`` skips the config's checks of the result (shapes still count).

    Returns ``{"task", "result" (a list), "score", "model_version", "cluster"?, ...}`` with the item's
    other fields kept.

    Raises:
        PredictionError: naming task, position and field.
    """
    task = task_id_of(item.get("task"), index, source)

    def error(message: str, field: str | None = None) -> PredictionError:
        return PredictionError(message, task=task, index=index, field=field, source=source)

    if data is None:
        raise error("this project has no such task; add the task first (project.import_tasks)", "task")
    if "result" not in item:
        raise error("a prediction needs a 'result' (result items, one value object, a label or a number)")
    try:
        result = prediction_result(item["result"], config)
    except ValueError as exc:
        raise error(str(exc), "result") from exc
    found = unstorable(result, "result")
    if found is not None:
        raise error(f"{found[0]} {found[1]}", found[0])
    if validate and result:
        try:
            config.validate_result(result, data)
        except ResultError as exc:
            field = "result" if exc.index is None else f"result[{exc.index}]"
            raise error(exc.message, f"{field}.{exc.field}" if exc.field else field) from exc
        except TaskDataError as exc:
            raise error(f"the task's data does not fit the config: {exc}", "result") from exc
    out: dict[str, Any] = {
        "task": task,
        "result": result,
        "score": score_of(item.get("score"), task=task, index=index, source=source),
        "model_version": _model_version(item.get("model_version"), model_version, error),
    }
    cluster = item.get("cluster")
    if cluster is not None:
        if isinstance(cluster, bool) or not isinstance(cluster, numbers.Integral):
            raise error(f"cluster must be a whole number, not {cluster!r}", "cluster")
        out["cluster"] = int(cluster)
    for key, value in item.items():
        if key in MODELLED or key in DROPPED:
            continue
        found = unstorable(value, key)
        if found is not None:
            raise error(f"{found[0]} {found[1]}", found[0])
        out[key] = value
    return out


def _model_version(value: Any, default: str | None, error: Any) -> str:
    if value is None or value == "":
        return default or "undefined"
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise error(f"model_version must be text, not {value!r}", "model_version")
    return value


def answer_items(
    task_ids: list[int], answers: Any, *, source: str | None = None
) -> list[tuple[int, dict[str, Any]]]:
    """A model's answers for ``task_ids`` (one entry per task, in order) as ``(position among the task's
    predictions, prediction item)`` pairs.

    Each entry is a prediction dict (``{"result", "score"?, "model_version"?}``), a list of them (several
    predictions for one task), or None (no prediction). The task ids come from the request, never from
    the answer.

    Raises:
        PredictionError: the answers are not a list of one entry per task, or an entry has another shape.
    """
    if not isinstance(answers, list):
        raise PredictionError(
            f"the model must answer with a list (one entry per task), not {type(answers).__name__}",
            source=source,
        )
    if len(answers) != len(task_ids):
        raise PredictionError(
            f"the model answered {len(answers)} entries for {len(task_ids)} tasks; give one per task",
            source=source,
        )
    items: list[tuple[int, dict[str, Any]]] = []
    for task, entry in zip(task_ids, answers, strict=True):
        for index, prediction in enumerate(entry if isinstance(entry, list) else [entry]):
            if prediction is None and not isinstance(entry, list):
                continue
            if not isinstance(prediction, Mapping):
                raise PredictionError(
                    "a prediction must be a dict with a 'result', not "
                    f"{type(prediction).__name__}; answer a dict (such as {{'result': 'pos'}}) or a list "
                    "of dicts per task",
                    task=task,
                    index=index,
                    source=source,
                )
            items.append((index, {**prediction, "task": task}))
    return items
