"""Checks of the ``value`` of result items: shapes per result type (B.4) and classification values.

:class:`ValueChecks` holds one method per shape (``shape_rect``, ``shape_text`` ...) and per classification
type (``type_choices``, ``type_rating`` ...); :mod:`labelnb.config.validate_result` picks which to run.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any, TypeGuard

from .control_model import js_parse_float
from .datetime_rules import datetime_problem
from .errors import ResultError
from .model import ControlTag, ObjectTag
from .paths import Missing, lookup, split_path

#: Label Studio's tolerance for a number on its step's grid (Number.jsx validateValue)
STEP_EPSILON = 1e-8

_PNG_DATA_URL = re.compile(r"data:image/png;base64,[A-Za-z0-9+/]*={0,2}")

#: Slack allowed on percent coordinates (0-100), for rounding in converters and predictions.
EPSILON = 1e-3


#: the longest XPath a HyperText span may name (a real document's are a few hundred characters at most)
MAX_XPATH = 4096


def _short(value: Any, limit: int = 80) -> str:
    """``repr(value)``, cut to ``limit`` characters (a bad value may be huge)."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[: limit - 3]}..."


def is_number(value: Any) -> TypeGuard[int | float]:
    """A finite int or float (booleans are not numbers here; nor is an int too large for a float, which
    JSON allows and ``float()`` refuses)."""
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


def brief(value: Any, limit: int = 60) -> str:
    """``repr(value)`` cut to ``limit`` characters, for messages about values from outside (an int of
    thousands of digits has no repr at all in Python 3.11)."""
    try:
        text = repr(value)
    except ValueError:
        return "a whole number of thousands of digits"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def is_int(value: Any) -> TypeGuard[int]:
    """An int that is not a boolean."""
    return isinstance(value, int) and not isinstance(value, bool)


def js_string(value: Any) -> str:
    """``String(value)`` in JavaScript, for the scalars JSON has (``1`` and ``1.0`` -> ``"1"``, ``True`` ->
    ``"true"``, ``None`` -> ``"null"``)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def closest_hint(name: str, names: Sequence[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest of ``names``, or an empty string."""
    match = difflib.get_close_matches(name, list(names), n=1, cutoff=0.5)
    return f" (did you mean {match[0]!r}?)" if match else ""


def quoted(names: Sequence[str] | set[str] | frozenset[str]) -> str:
    """Names as a readable list: ``'a', 'b'`` (or ``(none)``)."""
    return ", ".join(repr(n) for n in names) if names else "(none)"


class ValueChecks:
    """Shape and value checks for one result list; ``data`` is the task data when known.

    ``draft`` relaxes the rules that unfinished work may break for a moment (a single-choice control
    with two picks on the way to one, a number typed past its range); shapes, names, labels, coordinates
    and offsets are checked all the same.
    """

    def __init__(self, data: Mapping[str, Any] | None, *, draft: bool = False) -> None:
        self.data = data
        self.draft = draft

    # -- helpers ------------------------------------------------------------------------------------
    def fail(self, index: int, field: str | None, message: str) -> ResultError:
        return ResultError(message, index, field)

    def number(self, i: int, value: Mapping[str, Any], key: str, *, required: bool = True) -> float | None:
        if key not in value:
            if required:
                raise self.fail(i, f"value.{key}", f"value.{key} is missing; this result type needs it")
            return None
        got = value[key]
        if not is_number(got):
            raise self.fail(i, f"value.{key}", f"value.{key} must be a number, not {brief(got)}")
        return float(got)

    def integer(
        self, i: int, value: Mapping[str, Any], key: str, *, required: bool = True, where: str = "value"
    ) -> int | None:
        field = f"{where}.{key}"
        if key not in value:
            if required:
                raise self.fail(i, field, f"{field} is missing; this result type needs it")
            return None
        got = value[key]
        if not is_int(got) or got < 0:
            raise self.fail(i, field, f"{field} must be a whole number >= 0, not {_short(got)}")
        return int(got)

    def percent(self, i: int, field: str, got: Any, low: float = 0.0) -> float:
        if not is_number(got):
            raise self.fail(i, field, f"{field} must be a number (percent of the image), not {got!r}")
        if not low - EPSILON <= got <= 100 + EPSILON:
            raise self.fail(
                i,
                field,
                f"{field}={got} is outside 0-100; image coordinates are percentages of the image size "
                "(px = value / 100 * original_width)",
            )
        return float(got)

    def text_list(self, i: int, value: Mapping[str, Any], key: str, *, nested: bool = False) -> list[Any]:
        got = value.get(key)
        if not isinstance(got, list):
            raise self.fail(i, f"value.{key}", f"value.{key} must be a list of strings, not {got!r}")
        for pos, entry in enumerate(got):
            if isinstance(entry, str):
                continue
            if nested and isinstance(entry, list) and all(isinstance(e, str) for e in entry):
                continue
            raise self.fail(i, f"value.{key}[{pos}]", f"value.{key}[{pos}] must be a string, not {entry!r}")
        return got

    def data_value(self, obj: ObjectTag) -> Any:
        """The task data shown by ``obj``, or ``None`` when no data was given or it is absent."""
        if self.data is None or obj.value_key is None or split_path(obj.value_key) is None:
            return None
        try:
            return lookup(self.data, obj.value_key)
        except Missing:
            return None

    def region_geometry(self, i: int, value: Mapping[str, Any]) -> None:
        """Per-region results repeat their region's geometry; check it when it is there."""
        for key in ("x", "y", "width", "height"):
            if key in value:
                self.percent(i, f"value.{key}", value[key])

    # shapes ------------------------------------------------------------------------------------------
    def shape_rect(self, i: int, value: Mapping[str, Any], obj: ObjectTag | None) -> None:
        got = {k: self.percent(i, f"value.{k}", value.get(k)) for k in ("x", "y", "width", "height")}
        rotation = self.number(i, value, "rotation", required=False)
        if rotation is not None and not -360 <= rotation <= 360:
            raise self.fail(
                i, "value.rotation", f"value.rotation={rotation} must be between -360 and 360 degrees"
            )
        if not rotation:
            for start, size in (("x", "width"), ("y", "height")):
                if got[start] + got[size] > 100 + EPSILON:
                    raise self.fail(
                        i,
                        f"value.{size}",
                        f"value.{start} + value.{size} = {got[start] + got[size]:g} goes past the image edge (100)",
                    )

    def shape_ellipse(self, i: int, value: Mapping[str, Any], obj: ObjectTag | None) -> None:
        self.percent(i, "value.x", value.get("x"))
        self.percent(i, "value.y", value.get("y"))
        self.percent(i, "value.radiusX", value.get("radiusX"))
        self.percent(i, "value.radiusY", value.get("radiusY"))
        self.number(i, value, "rotation", required=False)

    def shape_polygon(self, i: int, value: Mapping[str, Any], obj: ObjectTag | None) -> None:
        points = value.get("points")
        if not isinstance(points, list) or not points:
            raise self.fail(
                i, "value.points", f"value.points must be a non-empty list of [x, y] pairs, not {points!r}"
            )
        for pos, point in enumerate(points):
            if not isinstance(point, (list, tuple)) or len(point) != 2:
                raise self.fail(
                    i, f"value.points[{pos}]", f"value.points[{pos}] must be an [x, y] pair, not {point!r}"
                )
            self.percent(i, f"value.points[{pos}][0]", point[0])
            self.percent(i, f"value.points[{pos}][1]", point[1])
        if "closed" in value and not isinstance(value["closed"], bool):
            raise self.fail(i, "value.closed", "value.closed must be true or false")

    def shape_keypoint(self, i: int, value: Mapping[str, Any], obj: ObjectTag | None) -> None:
        self.percent(i, "value.x", value.get("x"))
        self.percent(i, "value.y", value.get("y"))
        if "width" in value:
            self.percent(i, "value.width", value["width"])

    def shape_brush(self, i: int, value: Mapping[str, Any], obj: ObjectTag | None) -> None:
        if "rle" not in value and isinstance(value.get("maskDataURL"), str):
            return
        fmt = value.get("format", "rle")
        if fmt != "rle":
            raise self.fail(i, "value.format", f"value.format must be 'rle', not {fmt!r}")
        rle = value.get("rle")
        if not isinstance(rle, list) or not all(type(b) is int and 0 <= b <= 255 for b in rle):
            raise self.fail(i, "value.rle", "value.rle must be a list of bytes (whole numbers 0-255)")

    def shape_bitmask(self, i: int, value: Mapping[str, Any], obj: ObjectTag | None) -> None:
        # Label Studio writes canvas.toDataURL("image/png"); anything else (another type, a remote URL) is
        # refused, since the widget draws it
        url = value.get("imageDataURL")
        if not isinstance(url, str) or not _PNG_DATA_URL.fullmatch(url):
            raise self.fail(
                i,
                "value.imageDataURL",
                "value.imageDataURL must be a PNG data URL (data:image/png;base64,...)",
            )

    def shape_vector(self, i: int, value: Mapping[str, Any], obj: ObjectTag | None) -> None:
        vertices = value.get("vertices")
        if not isinstance(vertices, list):
            raise self.fail(
                i, "value.vertices", f"value.vertices must be a list of {{x, y}} points, not {vertices!r}"
            )
        for pos, vertex in enumerate(vertices):
            if not isinstance(vertex, Mapping):
                raise self.fail(i, f"value.vertices[{pos}]", "each vertex must be an object {x, y}")
            self.percent(i, f"value.vertices[{pos}].x", vertex.get("x"))
            self.percent(i, f"value.vertices[{pos}].y", vertex.get("y"))
        if "closed" in value and not isinstance(value["closed"], bool):
            raise self.fail(i, "value.closed", "value.closed must be true or false")

    def shape_videorect(self, i: int, value: Mapping[str, Any], obj: ObjectTag | None) -> None:
        sequence = value.get("sequence")
        if not isinstance(sequence, list):
            raise self.fail(
                i, "value.sequence", f"value.sequence must be a list of keyframes, not {sequence!r}"
            )
        for pos, frame in enumerate(sequence):
            where = f"value.sequence[{pos}]"
            if not isinstance(frame, Mapping):
                raise self.fail(i, where, f"{where} must be a keyframe object")
            number = frame.get("frame")
            if not is_int(number) or number < 1:
                raise self.fail(
                    i, f"{where}.frame", f"{where}.frame must be a frame number >= 1, not {number!r}"
                )
            for key in ("x", "y", "width", "height"):
                self.percent(i, f"{where}.{key}", frame.get(key))
            if "enabled" in frame and not isinstance(frame["enabled"], bool):
                raise self.fail(i, f"{where}.enabled", f"{where}.enabled must be true or false")
            for key in ("rotation", "time"):
                if key in frame and not is_number(frame[key]):
                    raise self.fail(i, f"{where}.{key}", f"{where}.{key} must be a number")
        self.integer(i, value, "framesCount", required=False)
        self.number(i, value, "duration", required=False)

    def shape_timeline(self, i: int, value: Mapping[str, Any], obj: ObjectTag | None) -> None:
        ranges = value.get("ranges")
        if not isinstance(ranges, list) or not ranges:
            raise self.fail(
                i, "value.ranges", "value.ranges must be a non-empty list of {start, end} frame ranges"
            )
        for pos, span in enumerate(ranges):
            where = f"value.ranges[{pos}]"
            if not isinstance(span, Mapping):
                raise self.fail(i, where, f"{where} must be an object {{start, end}}")
            start, end = span.get("start"), span.get("end")
            if not is_number(start) or not is_number(end) or start < 0 or end < start:
                raise self.fail(i, where, f"{where} must have numbers 0 <= start <= end, not {dict(span)!r}")

    def shape_text(self, i: int, value: Mapping[str, Any], obj: ObjectTag | None) -> None:
        start = self.integer(i, value, "start")
        end = self.integer(i, value, "end")
        assert start is not None
        assert end is not None
        if end < start:
            raise self.fail(i, "value.end", f"value.end ({end}) is before value.start ({start})")
        if "text" in value and not isinstance(value["text"], str):
            raise self.fail(i, "value.text", "value.text must be the labeled text (a string)")
        if obj is None or obj.tag != "Text":
            return
        if (obj.value_type or "text") != "text" or obj.node.attrs.get("encoding", "none") != "none":
            return
        text = self.data_value(obj)
        if not isinstance(text, str):
            return
        size = len(text)
        if end > size:
            raise self.fail(
                i,
                "value.end",
                f"value.end ({end}) is past the end of the text ({size} characters); offsets count Unicode "
                "code points, as Python str indexing does",
            )
        if "text" in value and value["text"] != text[start:end]:
            raise self.fail(
                i,
                "value.text",
                f"value.text {value['text']!r} differs from the task text at [{start}:{end}] "
                f"({text[start:end]!r}); offsets count Unicode code points, not UTF-16 units",
            )

    def shape_hypertext(self, i: int, value: Mapping[str, Any], obj: ObjectTag | None) -> None:
        """Label Studio's HyperText span (LSF:regions/RichTextRegion.js): XPaths to text nodes from the
        root of the shown document, UTF-16 offsets into those nodes, optional code point globalOffsets."""
        for key in ("start", "end"):
            path = value.get(key)
            if not isinstance(path, str) or not path.startswith("/") or len(path) > MAX_XPATH:
                raise self.fail(
                    i,
                    f"value.{key}",
                    f"value.{key} must be an XPath from the document's root such as '/p[1]/text()[1]' "
                    f"(at most {MAX_XPATH} characters), not {_short(path)}",
                )
        start_offset = self.integer(i, value, "startOffset")
        end_offset = self.integer(i, value, "endOffset")
        assert start_offset is not None
        assert end_offset is not None
        if value["start"] == value["end"] and end_offset < start_offset:
            raise self.fail(
                i,
                "value.endOffset",
                f"value.endOffset ({end_offset}) is before value.startOffset ({start_offset}) in the same text node",
            )
        offsets = value.get("globalOffsets")
        if offsets is not None:
            if not isinstance(offsets, Mapping):
                raise self.fail(
                    i, "value.globalOffsets", "value.globalOffsets must be an object {start, end}"
                )
            start = self.integer(i, offsets, "start", where="value.globalOffsets")
            end = self.integer(i, offsets, "end", where="value.globalOffsets")
            assert start is not None
            assert end is not None
            if end < start:
                raise self.fail(
                    i,
                    "value.globalOffsets",
                    f"value.globalOffsets.end ({end}) is before its start ({start})",
                )
        if "text" in value and not isinstance(value["text"], str):
            raise self.fail(i, "value.text", "value.text must be the labeled text (a string)")

    def shape_paragraph(self, i: int, value: Mapping[str, Any], obj: ObjectTag | None) -> None:
        indices = []
        for key in ("start", "end"):
            got = value.get(key)
            # Label Studio writes the indexes as strings of digits ("2"); str.isdigit() alone also takes
            # "²" or "٣", which int() refuses or reads as another number
            if isinstance(got, str) and got.isascii() and got.isdigit():
                got = int(got)
            if not is_int(got) or got < 0:
                raise self.fail(
                    i, f"value.{key}", f"value.{key} must be a paragraph index (whole number), not {got!r}"
                )
            indices.append(got)
        if indices[1] < indices[0]:
            raise self.fail(i, "value.end", "value.end is a paragraph before value.start")
        start_offset = self.integer(i, value, "startOffset", required=False)
        end_offset = self.integer(i, value, "endOffset", required=False)
        if (
            indices[0] == indices[1]
            and start_offset is not None
            and end_offset is not None
            and end_offset < start_offset
        ):
            raise self.fail(
                i, "value.endOffset", "value.endOffset is before value.startOffset in the same paragraph"
            )
        if "text" in value and not isinstance(value["text"], str):
            raise self.fail(i, "value.text", "value.text must be the labeled text (a string)")
        if obj is not None:
            phrases = self.data_value(obj)
            if isinstance(phrases, list) and indices[1] >= len(phrases):
                raise self.fail(
                    i,
                    "value.end",
                    f"value.end ({indices[1]}) is past the last paragraph ({len(phrases) - 1})",
                )

    def shape_audio(self, i: int, value: Mapping[str, Any], obj: ObjectTag | None) -> None:
        start = self.number(i, value, "start")
        end = self.number(i, value, "end")
        assert start is not None
        assert end is not None
        if start < 0 or end < start:
            raise self.fail(
                i, "value.end", f"audio regions need 0 <= start <= end (seconds), got {start}..{end}"
            )
        if "channel" in value and not is_int(value["channel"]):
            raise self.fail(i, "value.channel", "value.channel must be a whole number")

    def shape_timeseries(self, i: int, value: Mapping[str, Any], obj: ObjectTag | None) -> None:
        for key in ("start", "end"):
            got = value.get(key)
            if not (is_number(got) or isinstance(got, str)):
                raise self.fail(
                    i, f"value.{key}", f"value.{key} must be a time (number or formatted string), not {got!r}"
                )
        start, end = value["start"], value["end"]
        if is_number(start) and is_number(end) and end < start:
            raise self.fail(i, "value.end", f"value.end ({end}) is before value.start ({start})")
        if "instant" in value and not isinstance(value["instant"], bool):
            raise self.fail(i, "value.instant", "value.instant must be true or false")

    # types -------------------------------------------------------------------------------------------
    def type_choices(
        self, i: int, value: Mapping[str, Any], control: ControlTag, obj: ObjectTag | None
    ) -> None:
        choices = self.text_list(i, value, "choices", nested=True)
        if not choices and not self.draft:
            raise self.fail(i, "value.choices", "value.choices is empty; leave the result out instead")
        # Label Studio counts the top-level choices picked (Choices.jsx checkResultLength): with allowNested
        # a picked branch lists its children too, as paths one step longer
        top = sum(1 for entry in choices if not isinstance(entry, list) or len(entry) == 1)
        if control.single and top > 1 and not self.draft:
            raise self.fail(
                i,
                "value.choices",
                f'control {control.name!r} takes a single choice (choice="{control.choice}"), got '
                f'{top}; set choice="multiple" to allow more',
            )
        if control.dynamic_labels:
            return
        for pos, entry in enumerate(choices):
            path = tuple(entry) if isinstance(entry, list) else (entry,)
            for label in path:
                if label not in control.labels:
                    raise self.fail(
                        i,
                        f"value.choices[{pos}]",
                        f"choice {label!r} is not offered by {control.name!r}: {quoted(control.labels)}"
                        f"{closest_hint(label, control.labels)}",
                    )

    def type_taxonomy(
        self, i: int, value: Mapping[str, Any], control: ControlTag, obj: ObjectTag | None
    ) -> None:
        paths = value.get("taxonomy")
        if not isinstance(paths, list):
            raise self.fail(
                i, "value.taxonomy", "value.taxonomy must be a list of paths such as [['Animal', 'Cat']]"
            )
        for pos, path in enumerate(paths):
            if not isinstance(path, list) or not path or not all(isinstance(p, str) for p in path):
                raise self.fail(
                    i,
                    f"value.taxonomy[{pos}]",
                    f"value.taxonomy[{pos}] must be a non-empty list of strings, not {path!r}",
                )
            if control.dynamic_labels or not control.label_paths:
                continue
            if tuple(path) not in control.label_paths:
                raise self.fail(
                    i,
                    f"value.taxonomy[{pos}]",
                    f"{path!r} is not a path in the taxonomy of {control.name!r}; each item lists the choices "
                    "from the root down to the picked one",
                )

    def type_ocrlabels(
        self, i: int, value: Mapping[str, Any], control: ControlTag, obj: ObjectTag | None
    ) -> None:
        """A box on a PDF page (its x, y, width, height are checked as a rectangle's): ``pageIndex`` is the
        0-based page it is on, ``ocrtext`` the text under it; both optional, as in Label Studio."""
        if "pageIndex" in value:
            got = value["pageIndex"]
            if not is_int(got) or got < 0:
                raise self.fail(
                    i,
                    "value.pageIndex",
                    f"value.pageIndex must be a whole number >= 0 (the page, counted from 0), not {got!r}",
                )
        if "ocrtext" in value and not isinstance(value["ocrtext"], str):
            raise self.fail(
                i,
                "value.ocrtext",
                f"value.ocrtext must be a string (the text under the box), not {value['ocrtext']!r}",
            )

    def type_textarea(
        self, i: int, value: Mapping[str, Any], control: ControlTag, obj: ObjectTag | None
    ) -> None:
        if isinstance(value.get("text"), str):
            return
        self.text_list(i, value, "text")

    def type_number(
        self, i: int, value: Mapping[str, Any], control: ControlTag, obj: ObjectTag | None
    ) -> None:
        got = self.number(i, value, "number")
        assert got is not None
        low, high = control.min, control.max
        if self.draft:
            return
        if (isinstance(low, float) and got < low) or (isinstance(high, float) and got > high):
            raise self.fail(
                i, "value.number", f"value.number {got:g} is outside {control.name!r}'s range {low}..{high}"
            )
        # Number.jsx validateValue: on the grid of `step` from min (or 0), within 1e-8
        step = js_parse_float(control.node.get("step"))
        if step and step > 0 and math.isfinite(step):
            basis = low if isinstance(low, float) else 0.0
            nearest = math.floor((got - basis) / step + 0.5) * step + basis
            if abs(got - nearest) > STEP_EPSILON:
                raise self.fail(
                    i,
                    "value.number",
                    f"value.number {got:g} is not on {control.name!r}'s step of {step:g}"
                    + (f" from {basis:g}" if basis else ""),
                )

    def type_rating(
        self, i: int, value: Mapping[str, Any], control: ControlTag, obj: ObjectTag | None
    ) -> None:
        got = value.get("rating")
        top = control.max_rating or 5
        if not (is_int(got) or (is_number(got) and float(got).is_integer())):
            raise self.fail(i, "value.rating", f"value.rating must be a whole number 0..{top}, not {got!r}")
        if not 0 <= got <= top:
            raise self.fail(
                i, "value.rating", f"value.rating {got} is outside 0..{top} (maxRating of {control.name!r})"
            )

    def type_datetime(
        self, i: int, value: Mapping[str, Any], control: ControlTag, obj: ObjectTag | None
    ) -> None:
        got = value.get("datetime")
        if not isinstance(got, str) or not got:
            raise self.fail(i, "value.datetime", f"value.datetime must be a date/time string, not {got!r}")
        problem = datetime_problem(control, got)
        if problem is not None:
            raise self.fail(i, "value.datetime", f"value.datetime {got!r} of {control.name!r} {problem}")

    def type_pairwise(
        self, i: int, value: Mapping[str, Any], control: ControlTag, obj: ObjectTag | None
    ) -> None:
        got = value.get("selected")
        if got not in ("left", "right"):
            raise self.fail(i, "value.selected", f"value.selected must be 'left' or 'right', not {got!r}")

    def type_ranker(
        self, i: int, value: Mapping[str, Any], control: ControlTag, obj: ObjectTag | None
    ) -> None:
        ranking = value.get("ranker")
        if not isinstance(ranking, Mapping):
            raise self.fail(
                i, "value.ranker", "value.ranker must be an object {list or bucket name: [item ids]}"
            )
        allowed = {control.name, "_", *control.buckets}
        # Label Studio's List keys its items by String(id) and stores those strings: a task's ``"id": 1`` is
        # ranked as "1" (tags/object/List.jsx updateValue)
        known_ids: set[str] | None = None
        if obj is not None:
            items = self.data_value(obj)
            if isinstance(items, list) and all(isinstance(it, Mapping) and "id" in it for it in items):
                known_ids = {js_string(it["id"]) for it in items}
        for key, ids in ranking.items():
            if key not in allowed:
                raise self.fail(
                    i,
                    f"value.ranker.{key}",
                    f"{key!r} is not a bucket of {control.name!r}; use one of {quoted(sorted(allowed))}",
                )
            if not isinstance(ids, list) or not all(isinstance(x, str) or is_int(x) for x in ids):
                raise self.fail(i, f"value.ranker.{key}", "each bucket must be a list of item ids")
            if known_ids is not None:
                for item_id in ids:
                    if js_string(item_id) not in known_ids:
                        raise self.fail(
                            i, f"value.ranker.{key}", f"item id {item_id!r} is not in the task's list"
                        )
