"""What makes a job resumable after a restart: its function named ``module:qualname`` and its arguments
as JSON, both written in the row when the job is submitted."""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from typing import Any

import orjson

from labelnb.jobs.context import JobError

_NAME = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_][\w.]*$")


def _lookup(module_name: str, qualname: str) -> Any:
    value: Any = importlib.import_module(module_name)
    for part in qualname.split("."):
        value = getattr(value, part)
    return value


def function_name(fn: Callable[..., Any]) -> str | None:
    """``module:qualname`` when that name finds ``fn`` again; None for lambdas, nested functions,
    bound methods and other callables that cannot be looked up by name."""
    module_name = getattr(fn, "__module__", None)
    qualname = getattr(fn, "__qualname__", None)
    if not isinstance(module_name, str) or not isinstance(qualname, str) or "<" in qualname:
        return None
    try:
        found = _lookup(module_name, qualname)
    except (ImportError, AttributeError):
        return None
    return f"{module_name}:{qualname}" if found is fn else None


def resolve_function(name: str | None, job_id: int) -> Callable[..., Any]:
    """The function a job row names, imported again."""
    if name is None:
        raise JobError(
            f"job {job_id} cannot be resumed: its function has no importable name (a lambda or a nested "
            "function runs, but only a module-level function can be run again after a restart)"
        )
    if not _NAME.match(name):
        raise JobError(f"job {job_id} names its function as {name!r}, which is not 'module:qualname'")
    module_name, qualname = name.split(":")
    try:
        found = _lookup(module_name, qualname)
    except (ImportError, AttributeError) as exc:
        hint = " (define it again: run its cell)" if module_name == "__main__" else ""
        raise JobError(f"job {job_id}: its function {name} cannot be found{hint}: {exc}") from exc
    if not callable(found):
        raise JobError(f"job {job_id}: {name} is not a function")
    return found  # type: ignore[no-any-return]


def arguments_json(args: tuple[Any, ...], kwargs: dict[str, Any], backoff: float) -> str | None:
    """The arguments (and the retries' backoff) as JSON when JSON gives back the very same values (no
    tuples, NaN, numpy or objects); None otherwise."""
    value = {"args": list(args), "kwargs": kwargs, "backoff": float(backoff)}
    try:
        text = orjson.dumps(value)
    except TypeError:
        return None
    return text.decode() if orjson.loads(text) == value and _plain(value) else None


def _plain(value: Any) -> bool:
    """Only JSON's own types (``1 == 1.0 == True`` would let a bool or float pass as equal)."""
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    return value is None or type(value) in (str, int, float, bool)


def load_arguments(text: str | None, job_id: int) -> tuple[tuple[Any, ...], dict[str, Any], float]:
    """A row's arguments back as (args, kwargs, backoff), checked for shape."""
    if text is None:
        raise JobError(
            f"job {job_id} cannot be resumed: its arguments were not JSON-able, so they were not kept"
        )
    try:
        value = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
        raise JobError(f"job {job_id}: its stored arguments are not JSON: {exc}") from exc
    if (
        not isinstance(value, dict)
        or not isinstance(value.get("args"), list)
        or not isinstance(value.get("kwargs"), dict)
    ):
        raise JobError(f"job {job_id}: its stored arguments are not {{'args': [...], 'kwargs': {{...}}}}")
    backoff = value.get("backoff", 1.0)
    if isinstance(backoff, bool) or not isinstance(backoff, (int, float)):
        raise JobError(f"job {job_id}: its stored backoff {backoff!r} is not a number")
    return tuple(value["args"]), value["kwargs"], float(backoff)
