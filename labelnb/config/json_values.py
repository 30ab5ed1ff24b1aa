"""What may be stored: values that JSON (and Label Studio's importer) can read back exactly.

Python and pandas hold values JSON has no words for: NaN and infinities, integers beyond 64 bits, strings
with lone surrogates, sets and other objects. Stored as they are they either vanish (orjson writes NaN as
``null``), break the store's insert, or make an export that no JSON parser reads. Everything that enters
a project (imported tasks, submissions, drafts, widget messages) is checked here first, so the error can
name the row and field instead.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

#: the integers orjson (the store's JSON writer) can write
JSON_INT_MIN = -(2**63)
JSON_INT_MAX = 2**64 - 1
#: the integers an SQL id column (SQLite's INTEGER, PostgreSQL's BIGINT) holds
ID_MAX = 2**63 - 1

_DATES = (dt.datetime, dt.date, dt.time)


def _join(prefix: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{prefix}[{key}]"
    return f"{prefix}.{key}" if prefix else str(key)


def unstorable(value: Any, path: str = "") -> tuple[str, str] | None:
    """The first part of ``value`` that cannot be stored as JSON, as ``(path, problem)``, or None.

    ``path`` names the place the way errors do (``data.scores[2]``, ``result[0].value.x``).
    """
    kind = type(value)
    if kind is str:
        if value.isascii():
            return None
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return path, "is text with an unpaired surrogate, which is not valid Unicode"
        return None
    if value is None or kind is bool:
        return None
    if kind is float:
        return None if math.isfinite(value) else (path, f"is {value!r}, which JSON cannot hold")
    if kind is int:
        if JSON_INT_MIN <= value <= JSON_INT_MAX:
            return None
        return path, f"is {value}, an integer too large to store (at most 64 bits)"
    if kind is dict or isinstance(value, Mapping):
        for key, item in value.items():
            if isinstance(key, str):
                if unstorable(key) is not None:
                    return path, "has a key with an unpaired surrogate, which is not valid Unicode"
            elif not isinstance(key, (int, bool)):
                return path, f"has a key of type {type(key).__name__}; keys must be text"
            found = unstorable(item, _join(path, str(key)))
            if found is not None:
                return found
        return None
    if kind is list or kind is tuple:
        for index, item in enumerate(value):
            found = unstorable(item, _join(path, index))
            if found is not None:
                return found
        return None
    return _other(value, path)


def _other(value: Any, path: str) -> tuple[str, str] | None:
    """Subclasses of the JSON types, numpy values and dates (which the store's writer accepts)."""
    if isinstance(value, str):
        return unstorable(str(value), path)
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return unstorable(int(value), path)
    if isinstance(value, float):
        return unstorable(float(value), path)
    if isinstance(value, _DATES):
        return None
    tolist = getattr(value, "tolist", None)  # numpy scalars and arrays
    if callable(tolist) and type(value).__module__ == "numpy":
        return unstorable(tolist(), path)
    if isinstance(value, list | tuple):
        return unstorable(list(value), path)
    return path, f"is a {type(value).__name__}, which cannot be stored as JSON"


def check_storable(value: Any, what: str) -> None:
    """Raise ``ValueError`` naming the place when ``value`` cannot be stored as JSON."""
    found = unstorable(value, "")
    if found is not None:
        where, problem = found
        raise ValueError(f"{what}{'.' + where if where and not where.startswith('[') else where} {problem}")


def lead_time_problem(value: Any) -> str | None:
    """Why ``value`` is not a lead time (None or a finite, non-negative number of seconds), or None."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return f"lead_time must be a number of seconds, not {value!r}"
    if not math.isfinite(value) or value < 0:
        return f"lead_time must be a finite, non-negative number of seconds, not {value!r}"
    return None


def id_problem(value: Any, what: str) -> str | None:
    """Why an integer id (a user or annotation id) cannot be stored, or None."""
    if isinstance(value, int) and not isinstance(value, bool) and not 0 < value <= ID_MAX:
        return f"{what} {value} is out of range (ids are 1 to {ID_MAX})"
    return None
