"""What a model in the loop learns from: features of tasks, and the labels people gave them."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from labelnb.learn.estimator import choice_of

#: where features come from: a data field (numbers, or text for a pipeline with a vectoriser), a function
#: of the tasks' data dicts, or ``(field, embed)``: an embedding function applied to one field's values
Features = str | Callable[[list[Mapping[str, Any]]], Any] | tuple[str, Callable[[list[Any]], Any]]


def describe(features: Features) -> str:
    if isinstance(features, str):
        return f"field {features!r}"
    if isinstance(features, tuple):
        return f"{getattr(features[1], '__name__', 'embedding')} of field {features[0]!r}"
    return getattr(features, "__name__", "features function")


def _field(datas: Sequence[Mapping[str, Any]], key: str, task_ids: Sequence[int]) -> list[Any]:
    values = []
    for task_id, data in zip(task_ids, datas, strict=True):
        if key not in data:
            raise KeyError(f"task {task_id} has no data field {key!r} to take features from")
        values.append(data[key])
    return values


def feature_matrix(features: Features, datas: Sequence[Mapping[str, Any]], task_ids: Sequence[int]) -> Any:
    """The features of these tasks, one row per task: a 2-D float array, or a list of texts when the field
    holds text (for an estimator that is a pipeline starting with a vectoriser)."""
    if isinstance(features, str):
        values = _field(datas, features, task_ids)
        if values and all(isinstance(v, str) for v in values):
            return values
        return _checked(np.asarray(values, dtype=float), features, task_ids)
    if isinstance(features, tuple):
        key, embed = features
        return _checked(
            np.asarray(embed(_field(datas, key, task_ids)), dtype=float), describe(features), task_ids
        )
    return _checked(np.asarray(features(list(datas)), dtype=float), describe(features), task_ids)


def _checked(matrix: np.ndarray[Any, Any], source: str, task_ids: Sequence[int]) -> np.ndarray[Any, Any]:
    if matrix.ndim == 1 and len(task_ids):
        matrix = matrix.reshape(len(task_ids), -1)
    if matrix.ndim != 2 or matrix.shape[0] != len(task_ids):
        raise ValueError(
            f"features from {source} must give one row per task ({len(task_ids)}), not shape {matrix.shape}"
        )
    finite = np.isfinite(matrix).all(axis=1)
    if not finite.all():
        bad = [task_ids[i] for i in np.flatnonzero(~finite)[:5]]
        raise ValueError(f"features from {source} are not finite numbers for task(s) {bad}")
    return matrix


def choice_label(result: Sequence[Mapping[str, Any]] | None, control: str) -> str | None:
    """The (first) choice a result gives for the ``control``, or None (as the estimator backend reads it)."""
    return choice_of(result or (), control)
