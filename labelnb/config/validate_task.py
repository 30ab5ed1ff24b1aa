"""Task data checks, compiled once per config so each call costs a few dictionary look-ups."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .analyze import DataRef
from .errors import TaskDataError
from .paths import Missing, base_key, lookup, split_path, walk

TaskChecker = Callable[[Mapping[str, Any]], None]

_MISSING: Any = object()

_TYPE_NAMES = {
    str: "a string",
    int: "a number",
    float: "a number",
    list: "a list",
    dict: "a dict (JSON object)",
    type(None): "null",
}


def _describe_types(types: tuple[type, ...]) -> str:
    names: list[str] = []
    for t in types:
        name = _TYPE_NAMES.get(t, t.__name__)
        if name not in names:
            names.append(name)
    return " or ".join(names)


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    return _TYPE_NAMES.get(type(value), type(value).__name__)


class _Check:
    """All requirements on one data key, gathered from every tag that reads it."""

    __slots__ = ("key", "parts", "rules")

    def __init__(self, key: str) -> None:
        self.key = key
        self.parts = split_path(key)
        # (accepted types, tag description) per tag; empty types accept anything.
        self.rules: list[tuple[tuple[type, ...], str]] = []

    def missing(self, at: str) -> TaskDataError:
        users = ", ".join(sorted({who for _, who in self.rules}))
        where = f" (the nested part {at!r} is absent)" if at != self.key else ""
        return TaskDataError(
            self.key,
            f'"{self.key}" key is expected in task data{where}: it is read by {users}; add it to every '
            "task's data, or change the config to read a field the tasks have",
        )

    def wrong_type(self, value: Any, types: tuple[type, ...], who: str) -> TaskDataError:
        return TaskDataError(
            self.key,
            f"{who} needs {_describe_types(types)} here, but the task has {_type_name(value)}; fix the "
            "task data or point the tag at another field",
        )


def compile_task_checker(refs: list[DataRef]) -> TaskChecker:
    """Build the function behind :meth:`LabelConfig.validate_task` from the config's data references."""
    checks: dict[str, _Check] = {}
    for ref in refs:
        types: tuple[type, ...]
        if ref.templated:
            # "$pages[{{idx}}].url" inside a Repeater: the list itself must be there.
            key, types = base_key(ref.path), (list,)
        else:
            key, types = ref.path, ref.types
        check = checks.setdefault(key, _Check(key))
        check.rules.append((types, ref.node.describe()))

    plan = [
        (
            c.key,
            c.parts if c.parts is not None and len(c.parts) > 1 else None,
            tuple(r for r in c.rules if r[0]),
            c,
        )
        for c in checks.values()
    ]

    def validate(data: Mapping[str, Any]) -> None:
        if type(data) is not dict and not isinstance(data, Mapping):
            raise TaskDataError("data", f"task data must be a dict (JSON object), not {_type_name(data)}")
        get = data.get
        for key, parts, rules, check in plan:
            value = get(key, _MISSING)
            if value is _MISSING:
                if parts is None:
                    raise check.missing(key)
                value = walk(data, parts, _MISSING)
                if value is _MISSING:
                    try:
                        lookup(data, key, parts)
                    except Missing as exc:
                        raise check.missing(exc.at) from None
            for types, who in rules:
                if not isinstance(value, types):
                    raise check.wrong_type(value, types, who)

    return validate
