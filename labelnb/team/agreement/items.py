"""Reading the answer out of one result item's ``value``, checked: choices, a rating, a box or polygon,
a text span.

These readers know nothing of tasks or annotators: a bad value raises :class:`BadValue` with the field
inside the item (``.value.x``), and the caller, who knows the task, the annotator and the item's place
in the result, turns it into the error the user sees. So the common case (a good item) builds no
strings at all, which matters at a few hundred thousand items.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from typing import Any

from .geometry import Point, box_polygon

Box = tuple[float, float, float, float]


class BadValue(Exception):
    """A bad field of a result item: ``field`` is its path inside the item, such as ``.value.x``."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.message, self.field = message, field


def number(value: Mapping[str, Any], key: str, where: str, default: float | None = None) -> float:
    """``value[key]`` as a finite number (not a bool); ``where`` is the path of ``value``."""
    raw = value.get(key, default)
    kind = type(raw)
    if (kind is float and math.isfinite(raw)) or kind is int:  # exact types first: the common case
        return float(raw)
    if isinstance(raw, (int, float)) and not isinstance(raw, bool) and math.isfinite(raw):
        return float(raw)
    raise BadValue(f"{key} must be a finite number, not {raw!r}", f"{where}.{key}")


def mapping(raw: Any, where: str, what: str = "value") -> Mapping[str, Any]:
    """``raw`` when it is an object (a dict or another mapping)."""
    if type(raw) is dict or isinstance(raw, Mapping):
        return raw
    raise BadValue(f"{what} must be an object, not {type(raw).__name__}", where)


def choices(value: Mapping[str, Any], single: bool, name: str) -> tuple[Hashable, ...]:
    """The chosen values (a nested choice as its path, a tuple); more than one is an error when
    ``single``."""
    chosen = value.get("choices")
    if type(chosen) is not list:
        raise BadValue(f"choices must be a list, not {chosen!r:.60}", ".value.choices")
    out: list[Hashable] = []
    for choice in chosen:
        if type(choice) is str:
            out.append(choice)
        elif isinstance(choice, list) and all(isinstance(part, str) for part in choice):
            out.append(tuple(choice))  # a nested choice: its path from the root
        else:
            raise BadValue(
                f"a choice must be a string (or a path of strings), not {choice!r:.60}", ".value.choices"
            )
    if single and len(out) > 1:
        raise BadValue(f"single-choice control {name!r} has {len(out)} choices", ".value.choices")
    return tuple(out)


def labels(value: Mapping[str, Any], result_type: str) -> list[Hashable]:
    """A region's or span's labels (``value[<type>]``, or ``value["labels"]`` for a generic Labels
    control); ``[None]`` for an unlabelled one (Rectangle, Polygon), which matches unlabelled ones."""
    key = result_type if result_type in value else "labels"
    found = value.get(key)
    if found is None:
        return [None]
    if type(found) is list and len(found) == 1 and type(found[0]) is str:
        return found  # the common case: one label
    if not isinstance(found, list) or not all(isinstance(label, str) for label in found):
        raise BadValue(f"{key} must be a list of strings, not {found!r:.60}", f".value.{key}")
    return list(dict.fromkeys(found)) or [None]


def shape(
    item: Mapping[str, Any], value: Mapping[str, Any], result_type: str
) -> tuple[Box, list[Point] | None]:
    """A box's or polygon's bounding box (x0, y0, x1, y1 in percent) and, unless it is an upright box,
    its outline."""
    if result_type.startswith("rectangle"):
        x, y = number(value, "x", ".value"), number(value, "y", ".value")
        w, h = number(value, "width", ".value"), number(value, "height", ".value")
        rotation = number(value, "rotation", ".value", default=0.0)
        if rotation % 360 == 0:
            return (min(x, x + w), min(y, y + h), max(x, x + w), max(y, y + h)), None
        corners = box_polygon(x, y, w, h, rotation, _aspect(item))
    else:
        points = value.get("points")
        if not isinstance(points, list):
            raise BadValue(f"points must be a list of [x, y], not {points!r:.60}", ".value.points")
        corners = []
        isfinite = math.isfinite
        for k, point in enumerate(points):
            if type(point) is list and len(point) == 2:
                px, py = point
                if type(px) is float and type(py) is float and isfinite(px) and isfinite(py):
                    corners.append((px, py))  # the common case, checked without building anything
                    continue
            corners.append(_point(point, k))
    if not corners:
        return (0.0, 0.0, 0.0, 0.0), corners
    xs, ys = [c[0] for c in corners], [c[1] for c in corners]
    return (min(xs), min(ys), max(xs), max(ys)), corners


def _point(point: Any, k: int) -> Point:
    """Polygon point ``k`` as ``(x, y)``, checked: a pair of finite numbers."""
    where = f".value.points[{k}]"
    if not isinstance(point, (list, tuple)) or len(point) != 2:
        raise BadValue(f"a point must be [x, y], not {point!r:.60}", where)
    return number({"x": point[0]}, "x", where), number({"y": point[1]}, "y", where)


def span(value: Mapping[str, Any], result_type: str) -> tuple[float, float]:
    """A text span's start and end: code-point offsets (``globalOffsets`` for HyperText)."""
    source, where = value, ".value"
    if result_type == "hypertextlabels" or not isinstance(value.get("start"), (int, float)):
        offsets = value.get("globalOffsets")
        if not isinstance(offsets, Mapping):
            raise BadValue(
                "a HyperText span needs globalOffsets {start, end} (code points in the whole text) to be compared",
                ".value.globalOffsets",
            )
        source, where = offsets, ".value.globalOffsets"
    start, end = number(source, "start", where), number(source, "end", where)
    if end < start:
        raise BadValue(f"the span ends ({end:g}) before it starts ({start:g})", f"{where}.end")
    return start, end


def item_index(item: Mapping[str, Any]) -> int:
    """The image of a multi-image task a region is on (``item_index``, 0 when absent)."""
    index = item.get("item_index", 0)
    if index is None or type(index) is int:
        return index or 0
    if isinstance(index, bool) or not isinstance(index, int):
        raise BadValue(f"item_index must be an integer, not {index!r}", ".item_index")
    return index


def _aspect(item: Mapping[str, Any]) -> float:
    """The image's width over its height, when the item says its size (else 1: a square image)."""
    width, height = item.get("original_width"), item.get("original_height")
    if isinstance(width, (int, float)) and isinstance(height, (int, float)) and width > 0 and height > 0:
        return float(width) / float(height)
    return 1.0
