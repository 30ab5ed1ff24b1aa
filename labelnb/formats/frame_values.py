"""Moving values between pandas columns and plain Python (JSON-able) values, a column at a time.

Per-cell pandas indexing costs microseconds; these helpers convert whole columns with ``tolist()`` and
find missing cells with one vectorised ``isna()``, so a row costs a few hundred nanoseconds.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from itertools import repeat
from typing import Any

import numpy as np
import pandas as pd

from labelnb.config.json_values import unstorable

CHUNK_ROWS = 50_000
"""Rows converted at a time when a frame is turned into dicts (bounds the extra memory)."""


def utc_text(value: dt.datetime) -> str:
    """A timestamp as ISO 8601 text, UTC written with ``Z`` as Label Studio does."""
    if value.tzinfo is not None and value.utcoffset() == dt.timedelta(0):
        return value.replace(tzinfo=None).isoformat() + "Z"
    return value.isoformat()


def plain(value: Any) -> Any:
    """One cell as a plain Python value: numpy scalars and arrays, Timestamps and Timedeltas converted."""
    if isinstance(value, np.ndarray):
        return [plain(v) for v in value.tolist()]
    if isinstance(value, pd.Timestamp):
        return None if value is pd.NaT else utc_text(value.to_pydatetime())
    if isinstance(value, dt.datetime | dt.date):
        return utc_text(value) if isinstance(value, dt.datetime) else value.isoformat()
    if isinstance(value, pd.Timedelta | dt.timedelta):
        return value.total_seconds()
    if isinstance(value, np.generic):
        return plain(value.item())
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


_NEEDS_PLAIN = (np.ndarray, np.generic, dt.date, dt.timedelta, list)


def column_values(series: pd.Series[Any]) -> tuple[list[Any], np.ndarray[Any, Any] | None]:
    """The cells of ``series`` as plain Python values, plus the positions of missing cells (or None).

    Missing means None, NaN, NaT or ``pd.NA``; the returned list holds whatever pandas gives for those
    cells, so callers decide (drop the key, use ``""``, ...).
    """
    dtype = series.dtype
    kind = dtype.kind
    missing = series.isna().to_numpy()
    positions = np.flatnonzero(missing) if missing.any() else None
    if kind == "M":
        values: list[Any] = [None if v is pd.NaT else utc_text(v.to_pydatetime()) for v in series.tolist()]
    elif kind == "m":
        values = [None if v is pd.NaT else v.total_seconds() for v in series.tolist()]
    else:
        values = series.tolist()
        if kind == "O" or isinstance(dtype, pd.CategoricalDtype):
            for i, v in enumerate(values):
                if isinstance(v, _NEEDS_PLAIN):
                    values[i] = plain(v)
    return values, positions


# what pandas' infer_dtype says of an object column whose values need no look one by one
_PLAIN_OBJECT_KINDS = frozenset({"string", "empty", "boolean", "date", "datetime", "time"})


def unstorable_cell(frame: pd.DataFrame) -> tuple[int, str, str] | None:
    """The first cell of ``frame`` that cannot be stored as JSON, as ``(position, column, problem)``.

    Missing cells (NaN, None, NaT) are not values and pass; infinities, NaN inside lists and dicts, and
    values JSON has no form for do not. Float columns are checked with one vectorised test.
    """
    for j, name in enumerate(frame.columns):
        series = frame.iloc[:, j]
        kind = series.dtype.kind
        if kind == "f":
            bad = np.flatnonzero(np.isinf(series.to_numpy(dtype=float, na_value=np.nan)))
            if len(bad):
                value = series.iloc[int(bad[0])]
                return int(bad[0]), str(name), f"is {float(value)!r}, which JSON cannot hold"
        elif kind == "c":
            return 0, str(name), "holds complex numbers, which JSON cannot hold"
        elif kind == "O":
            if pd.api.types.infer_dtype(series, skipna=True) in _PLAIN_OBJECT_KINDS:
                continue  # decided in C: every value is text (or a date, a whole number...) or missing
            missing = series.isna().to_numpy()
            for position, value in enumerate(series.tolist()):
                if missing[position] or type(value) is str:
                    continue
                found = unstorable(value, str(name))
                if found is not None:
                    return position, found[0], found[1]
    return None


def frame_dicts(
    frame: pd.DataFrame, keys: Sequence[str], *, fill: Any = None, drop_missing: bool = True
) -> Iterator[dict[str, Any]]:
    """One dict per row of ``frame`` (columns in order, renamed to ``keys``), chunk by chunk.

    Missing cells are left out of the row's dict when ``drop_missing``, else set to ``fill``.
    """
    total = len(frame)
    for start in range(0, total, CHUNK_ROWS):
        chunk = frame.iloc[start : start + CHUNK_ROWS]
        columns: list[list[Any]] = []
        holes: list[tuple[str, np.ndarray[Any, Any]]] = []
        for j, key in enumerate(keys):
            values, positions = column_values(chunk.iloc[:, j])
            if positions is not None:
                if drop_missing:
                    holes.append((key, positions))
                else:
                    for p in positions.tolist():
                        values[p] = fill
            columns.append(values)
        # every column has len(chunk) values, so plain zip() is exact (and cheaper than strict=True)
        rows = list(map(dict, map(zip, repeat(keys), zip(*columns))))  # noqa: B905
        for key, positions in holes:
            for p in positions.tolist():
                del rows[p][key]
        yield from rows


def typed_series(values: list[Any], name: str, preferred: str | None = None) -> pd.Series[Any]:
    """A column from Python values with a nullable dtype when every value fits one.

    ``preferred`` (``"string"``, ``"Int64"``, ``"Float64"``, ``"boolean"``) is tried first; otherwise
    the dtype is picked from the values' types; mixed values, lists and dicts give ``object``.
    """
    kinds = {type(v) for v in values if v is not None}
    dtype: str | None = None
    if not kinds:
        dtype = preferred or "object"
    elif kinds == {str}:
        dtype = "string"
    elif kinds == {bool}:
        dtype = "boolean"
    elif kinds == {int}:
        dtype = "Float64" if preferred == "Float64" else "Int64"
    elif kinds <= {int, float}:
        dtype = "Float64"
    if dtype is None or dtype == "object":
        return pd.Series(values, name=name, dtype=object)
    try:
        return pd.Series(values, name=name, dtype=dtype)
    except (TypeError, ValueError, OverflowError):
        return pd.Series(values, name=name, dtype=object)


def timestamps(values: list[Any], name: str) -> pd.Series[Any]:
    """ISO 8601 texts as a UTC datetime column; left as text when some value does not parse."""
    try:
        # without the cache: it costs more than it saves, even on a column of one repeated value
        parsed = pd.to_datetime(values, utc=True, format="ISO8601", cache=False)
    except (TypeError, ValueError, OverflowError):
        return typed_series(values, name)
    if parsed.dtype != "datetime64[ns, UTC]":
        parsed = parsed.as_unit("us") if parsed.unit != "us" else parsed
    return pd.Series(parsed, name=name)
