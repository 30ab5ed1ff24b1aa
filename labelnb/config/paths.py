"""References to task data inside attribute values: ``"$image"``, ``"$meta.text"``, ``"$pages[0].url"``."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

# A whole attribute value that names a data field: "$key", "$a.b", "$list[{{idx}}].text", "$list[0]".
_REF = re.compile(r"\$(\w+(?:\.\w+|\[[^\]\[]*\])*)")
_SEGMENT = re.compile(r"\.?(\w+)|\[(\d+)\]")


def data_ref(value: str | None) -> str | None:
    """The data path named by an attribute value such as ``"$image"`` (``"image"``), else ``None``."""
    if not value or value[0] != "$":
        return None
    match = _REF.fullmatch(value)
    return match.group(1) if match else None


def base_key(path: str) -> str:
    """The key to require in task data for ``path``: the part before any ``[index]``."""
    cut = path.find("[")
    return path if cut < 0 else path[:cut]


def split_path(path: str) -> tuple[str | int, ...] | None:
    """Split ``"a.b[0].c"`` into ``("a", "b", 0, "c")``; ``None`` if the path holds a template such as
    ``{{idx}}`` or is otherwise not a plain path."""
    parts: list[str | int] = []
    pos = 0
    while pos < len(path):
        match = _SEGMENT.match(path, pos)
        if match is None or match.end() == pos:
            return None
        name, index = match.groups()
        parts.append(name if name is not None else int(index))
        pos = match.end()
    return tuple(parts)


class Missing(LookupError):
    """Raised by :func:`lookup` when the path is not in the data; ``.at`` is the missing part."""

    def __init__(self, at: str) -> None:
        super().__init__(at)
        self.at = at


def walk(data: Any, parts: tuple[str | int, ...], default: Any = None) -> Any:
    """Follow ``parts`` through nested dicts and lists; ``default`` when a step is missing."""
    current = data
    for part in parts:
        if type(part) is int:
            if type(current) is not list or part >= len(current):
                return default
        elif (type(current) is not dict and not isinstance(current, Mapping)) or part not in current:
            return default
        current = current[part]
    return current


def _missing_part(data: Any, parts: tuple[str | int, ...]) -> str:
    walked = ""
    current = data
    for part in parts:
        if isinstance(part, int):
            walked += f"[{part}]"
            if not isinstance(current, list) or part >= len(current):
                return walked
        else:
            walked = f"{walked}.{part}" if walked else part
            if not isinstance(current, Mapping) or part not in current:
                return walked
        current = current[part]
    return walked


def lookup(data: Mapping[str, Any], path: str, parts: tuple[str | int, ...] | None = None) -> Any:
    """The value at ``path`` in ``data``.

    A literal top-level key equal to ``path`` wins (data keys may contain dots); otherwise the path is
    followed through nested dicts and lists. Raises :class:`Missing` when it is not there.
    """
    if path in data:
        return data[path]
    if parts is None:
        parts = split_path(path)
    if parts is None or len(parts) < 2:
        raise Missing(path)
    value = walk(data, parts, _ABSENT)
    if value is _ABSENT:
        raise Missing(_missing_part(data, parts))
    return value


_ABSENT: Any = object()


class Templates:
    """Matches concrete names such as ``labels_3`` against Repeater templates such as ``labels_{{idx}}``."""

    def __init__(self, names: Sequence[str], flags: Sequence[str]) -> None:
        self._patterns: list[tuple[re.Pattern[str], str, list[str]]] = []
        flags = sorted({f for f in flags if f}, key=len, reverse=True)
        if not flags:
            return
        splitter = re.compile("|".join(re.escape(f) for f in flags))
        for name in names:
            order = splitter.findall(name)
            if not order:
                continue
            pieces = splitter.split(name)
            regex = r"(\d+)".join(re.escape(p) for p in pieces)
            self._patterns.append((re.compile(regex), name, order))

    def match(self, concrete: str) -> tuple[str, dict[str, str]] | None:
        """The template ``concrete`` was made from and the flag values, or ``None``."""
        for pattern, template, order in self._patterns:
            found = pattern.fullmatch(concrete)
            if found is None:
                continue
            mapping: dict[str, str] = {}
            for flag, value in zip(order, found.groups(), strict=True):
                if mapping.setdefault(flag, value) != value:
                    break
            else:
                return template, mapping
        return None


def substitute(name: str, mapping: Mapping[str, str]) -> str:
    """Replace Repeater flags in ``name`` by their values."""
    for flag, value in mapping.items():
        name = name.replace(flag, value)
    return name
