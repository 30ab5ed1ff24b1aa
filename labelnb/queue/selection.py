"""What a user means by ``tasks=``: the task ids of a selection to label (or to rank).

A selection is any of:

* task ids: a list, tuple, set, range or NumPy array of whole numbers;
* a DataFrame (a slice of ``project.tasks_frame()``): its ``id`` column, or its index when it is named ``id``;
* a Series: a boolean mask over the task frame (by index; labels missing from the mask count as False),
  the values of a Series named ``id`` (or of whole numbers), or the index of a Series whose index is
  named ``id``;
* a pandas query string (``"status == 'unlabeled' and prediction_score < 0.6"``) or a function of the
  task frame returning any of the above, both applied to the frame ``frame_factory()`` gives.

The ids keep the order they were given in (rows of arrays a model supplies line up with them).
:func:`check_known` then refuses ids that are not tasks of the project.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

IdArray = npt.NDArray[np.int64]
FrameFactory = Callable[[], pd.DataFrame]
Selection = Any  # see the module's docstring for what it may be

#: how many offending ids an error names before "and N more"
_NAMED_IN_ERRORS = 10


class SelectionError(ValueError):
    """A ``tasks=`` selection that names no task, an unknown task, or is of a kind labelnb cannot read."""


def _name_some(ids: Iterable[Any]) -> str:
    shown = list(ids)
    head = ", ".join(str(i) for i in shown[:_NAMED_IN_ERRORS])
    return head + (f" and {len(shown) - _NAMED_IN_ERRORS} more" if len(shown) > _NAMED_IN_ERRORS else "")


def _whole_numbers(values: Any, where: str) -> IdArray:
    """``values`` as int64 ids, refusing booleans, fractions, NaN, infinities and non-numbers."""
    if isinstance(values, pd.Series | pd.Index):
        if pd.api.types.is_integer_dtype(values.dtype) and not values.isna().any():
            return values.to_numpy(dtype=np.int64)  # Int64 (tasks_frame's id) and plain integers alike
        values = values.to_numpy(dtype=object)
    if isinstance(values, list) and any(isinstance(v, bool | np.bool_) for v in values):
        values = np.array(values, dtype=object)  # NumPy would read True as 1
    array = np.asarray(values)
    if array.ndim != 1:
        raise SelectionError(f"{where}: task ids must be one-dimensional, not of shape {array.shape}")
    if array.dtype.kind == "u" and len(array) and array.max() > np.iinfo(np.int64).max:
        raise SelectionError(f"{where}: task id {array.max()} is out of range")
    if array.dtype.kind in "iu":
        return array.astype(np.int64)
    if array.dtype.kind == "f":
        whole = np.isfinite(array) & (array == np.round(array))
        if whole.all():
            return array.astype(np.int64)
        raise SelectionError(
            f"{where}: task ids must be whole numbers; got {_name_some(repr(v) for v in array[~whole].tolist())}"
        )
    bad: list[Any] = []
    out = np.empty(len(array), dtype=np.int64)
    for n, value in enumerate(array.tolist()):
        if isinstance(value, bool) or value is None:
            bad.append(value)
        elif isinstance(value, int) and -(2**63) <= value < 2**63:
            out[n] = value
        elif isinstance(value, float) and np.isfinite(value) and value.is_integer():
            out[n] = int(value)
        else:
            bad.append(value)
    if bad:
        raise SelectionError(
            f"{where}: task ids must be whole numbers; got {_name_some(repr(b) for b in bad)}"
        )
    return out


def _frame(frame_factory: FrameFactory | None, what: str) -> pd.DataFrame:
    if frame_factory is None:
        raise SelectionError(
            f"{what} is applied to the task frame (project.tasks_frame()), which is not available here; "
            "pass task ids instead"
        )
    frame = frame_factory()
    if not isinstance(frame, pd.DataFrame):
        raise SelectionError(f"the task frame must be a DataFrame, not {type(frame).__name__}")
    return frame


def _ids_of_frame(frame: pd.DataFrame, where: str) -> IdArray:
    if "id" in frame.columns:
        return _whole_numbers(frame["id"], f"{where}: column 'id'")
    if frame.index.name == "id":
        return _whole_numbers(frame.index, f"{where}: index 'id'")
    raise SelectionError(
        f"{where}: a DataFrame selects tasks by its 'id' column or an index named 'id'; this one has "
        f"neither (columns: {_name_some(frame.columns)})"
    )


def _masked(mask: pd.Series, frame_factory: FrameFactory | None, where: str) -> IdArray:
    frame = _frame(frame_factory, "a boolean mask")
    if mask.isna().any():
        raise SelectionError(f"{where}: a boolean mask may not hold missing values")
    outside = mask.index.difference(frame.index)
    if len(outside):
        raise SelectionError(
            f"{where}: the mask's index has labels that are not rows of the task frame: {_name_some(outside)}"
        )
    keep = mask.reindex(frame.index, fill_value=False).to_numpy(dtype=bool)
    return _ids_of_frame(frame[keep], where)


def _ids_of_series(series: pd.Series, frame_factory: FrameFactory | None, where: str) -> IdArray:
    if pd.api.types.is_bool_dtype(series.dtype):
        return _masked(series, frame_factory, where)
    if series.name == "id" or pd.api.types.is_integer_dtype(series.dtype):
        return _whole_numbers(series, where)
    if series.index.name == "id":
        return _whole_numbers(series.index, f"{where}: index 'id'")
    raise SelectionError(
        f"{where}: a Series selects tasks as a boolean mask, by its values when it is named 'id' or holds "
        f"whole numbers, or by its index when that is named 'id'; this one (named {series.name!r}, "
        f"{series.dtype}) is none of these"
    )


def _resolve(tasks: Selection, frame_factory: FrameFactory | None, applied: bool) -> IdArray:
    where = "tasks=" if not applied else "tasks= (the result of the query or function)"
    if isinstance(tasks, pd.DataFrame):
        return _ids_of_frame(tasks, where)
    if isinstance(tasks, pd.Series):
        return _ids_of_series(tasks, frame_factory, where)
    if isinstance(tasks, pd.Index):
        return _whole_numbers(tasks, where)
    if isinstance(tasks, str):
        if applied:
            raise SelectionError(f"{where}: a query must select rows, not give another query")
        frame = _frame(frame_factory, "a query string")
        try:
            selected = frame.query(tasks)
        except Exception as exc:  # pandas raises many kinds for a bad expression
            raise SelectionError(f"tasks={tasks!r}: the query failed on the task frame: {exc}") from exc
        return _ids_of_frame(selected, f"tasks={tasks!r}")
    if callable(tasks):
        if applied:
            raise SelectionError(f"{where}: a function must select rows, not give another function")
        frame = _frame(frame_factory, "a function selection")
        return _resolve(tasks(frame), frame_factory, applied=True)
    if isinstance(tasks, np.ndarray) and tasks.dtype == bool:
        frame = _frame(frame_factory, "a boolean mask")
        if tasks.shape != (len(frame),):
            raise SelectionError(
                f"{where}: a boolean array must have one entry per row of the task frame ({len(frame)}), "
                f"not shape {tasks.shape}"
            )
        return _ids_of_frame(frame[tasks], where)
    if isinstance(tasks, set | frozenset):
        return np.sort(_whole_numbers(list(tasks), where))
    if isinstance(tasks, range | list | tuple | np.ndarray):
        return _whole_numbers(list(tasks) if isinstance(tasks, range | tuple) else tasks, where)
    raise SelectionError(
        f"tasks= must be task ids, a DataFrame or Series (a slice of project.tasks_frame()), a boolean "
        f"mask, a query string or a function of the task frame; not {type(tasks).__name__}"
    )


def select_task_ids(tasks: Selection, frame_factory: FrameFactory | None = None) -> IdArray:
    """The ids a ``tasks=`` selection names, in its order (see the module's docstring).

    ``frame_factory`` gives the task frame masks, queries and functions apply to (``Project.tasks_frame``);
    it is called only for those. An empty selection is a :class:`SelectionError`.
    """
    ids = _resolve(tasks, frame_factory, applied=False)
    if len(ids) == 0:
        raise SelectionError("tasks= selects no task; the selection is empty")
    return ids


def check_known(ids: IdArray, known: IdArray) -> None:
    """Refuse ids that are not in ``known`` (the project's task ids, ascending), naming them."""
    unknown = ids[~np.isin(ids, known)]
    if len(unknown):
        unique = np.unique(unknown)
        raise SelectionError(
            f"tasks= names {len(unique)} task id(s) that are not in this project: {_name_some(unique.tolist())}"
        )


def selection_digest(ids: IdArray) -> str:
    """A short digest of the set of ids (order and repeats do not count)."""
    unique = np.unique(np.asarray(ids, dtype=np.int64))
    return hashlib.blake2b(unique.astype("<i8").tobytes(), digest_size=10).hexdigest()
