"""Sample task data for any labeling config, so a config can be tried before any data is imported.

Label Studio's editor preview does the same (``label_studio/core/label_config.py``:
``get_sample_task`` -> ``generate_sample_task_without_check``, with ``generate_time_series_json`` and the
examples in ``label_studio/core/utils/schema/data_examples.json``): it takes every tag whose ``value`` (or
``valueList``) names a data field and picks a sample by tag: a URL for media, a sentence for ``Text``, a
list of ``{author, text}`` for ``Paragraphs`` (keys renamed by ``nameKey``/``textKey``), a dict for
``Table``, ``{id, title, body}`` items for ``List``, ``{"value": ...}`` options for dynamic ``Choices`` and
labels (``children`` when ``allowNested="true"``), columns named by the ``Channel`` tags and ``timeColumn``
for ``TimeSeries`` (inline when ``valueType="json"``, a CSV URL otherwise: its default valueType is url),
and for a Repeater path ``$list[{{idx}}].key`` a list of items holding ``key``. ``Video`` wins over the
other tags reading the same field.

labelnb follows those rules with its own samples, made so that they need no network: media are ``data:``
URLs built here (a 480x320 PNG drawn with zlib, a 1.2 s WAV of three tones, a one-page PDF, a 2 s WebM
clip), and text, CSV and JSON given by URL are ``data:`` URLs too. Beyond Label Studio it also fills in
the other attributes that read task data (``Header``/``Markdown``/``TextArea`` values, ``Paragraphs
audioUrl``, ``Video frameRate``, ``Ranker`` values), nested keys (``$meta.text`` -> ``{"meta": {"text":
...}}``), literal indices (``$pages[1]``), Repeater lists (:data:`REPEAT_COUNT` items) and ``Text
encoding="base64"``. The samples are fixed, so a config always gets the same sample.

Label Studio also reads a task from a ``<!-- {"data": ...} -->`` comment in the config; labelnb does not,
since the parser drops comments and such tasks mostly point at remote files.
"""

from __future__ import annotations

import base64
import copy
import csv
import io
import json
import math
import re
import struct
import sys
import wave
import zlib
from array import array
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any

from .model import Tag
from .paths import data_ref
from .tags import TAGS

#: How many items a sample list gets when a Repeater (or a ``$list[{{idx}}]`` path) iterates over it.
REPEAT_COUNT = 3
#: Size of the sample image, in pixels (width, height).
IMAGE_SIZE = (480, 320)
#: Number of distinct sample images: the n-th Image tag of a config shows image ``n % IMAGE_VARIANTS``.
IMAGE_VARIANTS = 3
#: Sample rate and length of the sample sound.
AUDIO_RATE = 8000
AUDIO_SECONDS = 1.2
#: Size, frame rate and length of the sample video (see :func:`video_bytes`).
VIDEO_SIZE = (320, 180)
VIDEO_FPS = 24
VIDEO_SECONDS = 2.0
#: Rows of a sample time series.
TIME_SERIES_POINTS = 100


# -- media ------------------------------------------------------------------------------------------
def data_url(mime: str, payload: bytes) -> str:
    """``payload`` as a base64 ``data:`` URL."""
    return f"data:{mime};base64,{base64.b64encode(payload).decode('ascii')}"


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return (
        struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    )


def _mix(a: tuple[int, int, int], b: tuple[int, int, int], t: float) -> bytes:
    return bytes(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


@lru_cache(maxsize=IMAGE_VARIANTS)
def png_bytes(variant: int = 0) -> bytes:
    """A 480x320 RGB PNG of a simple scene (sky, sun, ground, a house and a tree), so there is something
    to draw boxes, polygons and points on. ``variant`` (0, 1, 2 ...) moves the objects and recolours the
    house, so several Image tags of one config show different pictures."""
    width, height = IMAGE_SIZE
    variant %= IMAGE_VARIANTS
    horizon = height * 5 // 8
    shift = (0, 120, -90)[variant]
    house_colour = ((196, 72, 58), (60, 110, 190), (222, 170, 60))[variant]
    sun_x, sun_y, sun_r = (400, 330, 90)[variant], 64, 30
    house = (110 + shift, 250 + shift, 150, 250)  # x0, x1, y0 (eaves), y1 (ground line)
    door = (165 + shift, 195 + shift, 200)
    tree_x = (370, 60, 380)[variant]
    trunk = (tree_x - 8, tree_x + 8, 190, 262)
    crown = (tree_x, 165, 40)
    rows: list[bytes] = []

    def paint(row: bytearray, x0: int, x1: int, colour: bytes) -> None:
        x0, x1 = max(0, x0), min(width, x1)
        if x1 > x0:
            row[x0 * 3 : x1 * 3] = colour * (x1 - x0)

    def disc(row: bytearray, y: int, cx: int, cy: int, r: int, colour: bytes) -> None:
        dy = y - cy
        if abs(dy) <= r:
            half = int(math.sqrt(r * r - dy * dy))
            paint(row, cx - half, cx + half + 1, colour)

    for y in range(height):
        if y < horizon:
            background = _mix((96, 152, 222), (200, 226, 246), y / horizon)
        else:
            background = _mix((110, 170, 80), (60, 112, 48), (y - horizon) / (height - horizon))
        row = bytearray(background * width)
        disc(row, y, sun_x, sun_y, sun_r, b"\xfa\xd2\x4b")
        x0, x1, y0, y1 = house
        if y0 <= y < y1:
            paint(row, x0, x1, bytes(house_colour))
        roof_top = y0 - 60
        if roof_top <= y < y0:  # a triangle from the eaves up to the ridge
            half = (x1 - x0 + 20) * (y - roof_top) // (2 * 60)
            middle = (x0 + x1) // 2
            paint(row, middle - half, middle + half, b"\x5a\x3c\x32")
        dx0, dx1, dy0 = door
        if dy0 <= y < y1:
            paint(row, dx0, dx1, b"\x46\x2d\x1e")
        if trunk[2] <= y < trunk[3]:
            paint(row, trunk[0], trunk[1], b"\x6e\x4b\x28")
        disc(row, y, *crown, b"\x2d\x82\x37")
        rows.append(b"\x00" + bytes(row))  # filter type 0: the runs of one colour compress well anyway
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB, no interlace
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
        + _png_chunk(b"IEND", b"")
    )


#: The tones of the sample sound: (start, end) in seconds and frequency in Hz.
AUDIO_TONES = ((0.0, 0.3, 440.0), (0.4, 0.7, 554.37), (0.8, 1.1, 659.25))


@lru_cache(maxsize=1)
def wav_bytes() -> bytes:
    """A mono 16-bit WAV at 8 kHz, :data:`AUDIO_SECONDS` long: three short tones (A, C#, E) with silence
    between them, each faded in and out, so there are segments to label."""
    samples = array("h", bytes(2 * round(AUDIO_RATE * AUDIO_SECONDS)))
    fade = round(AUDIO_RATE * 0.02)
    for start, end, freq in AUDIO_TONES:
        first, last = round(start * AUDIO_RATE), round(end * AUDIO_RATE)
        for i in range(first, last):
            envelope = min(1.0, (i - first) / fade, (last - 1 - i) / fade)
            samples[i] = round(12000 * envelope * math.sin(2 * math.pi * freq * (i - first) / AUDIO_RATE))
    if sys.byteorder == "big":
        samples.byteswap()
    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(AUDIO_RATE)
        writer.writeframes(samples.tobytes())
    return out.getvalue()


def pdf_text(text: str) -> str:
    """``text`` as a PDF string literal's content (backslashes and parentheses escaped)."""
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def pdf_file(streams: list[bytes], width: int = 612, height: int = 792) -> bytes:
    """A PDF with one page (``width`` x ``height`` points) per content stream, each able to draw in the
    standard Helvetica as ``/F1``: the catalog, the page tree, the pages, their streams, the font, and the
    cross-reference table."""
    pages = len(streams)
    font = 3 + 2 * pages
    kids = " ".join(f"{3 + 2 * n} 0 R" for n in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
    ]
    for n, stream in enumerate(streams):
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {width} {height}] "
            f"/Resources << /Font << /F1 {font} 0 R >> >> /Contents {4 + 2 * n} 0 R >>".encode()
        )
        objects.append(
            b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream"
        )
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


@lru_cache(maxsize=1)
def pdf_bytes() -> bytes:
    """A one-page PDF (US letter) with a title and a few lines of Helvetica text."""
    lines = [
        (24, "Sample document"),
        (12, "This page stands in for your own PDF files."),
        (12, "Invoice 2024-0117 was issued by Northwind Labs on 12 March 2024."),
        (12, "Total due: 1,250.00 EUR, payable within 30 days."),
        (12, "Contact: Maria Lopez, accounts department."),
    ]
    ops = ["BT", "72 720 Td"]
    for size, text in lines:
        ops += [f"/F1 {size} Tf", f"({pdf_text(text)}) Tj", f"0 -{size * 2} Td"]
    ops.append("ET")
    return pdf_file(["\n".join(ops).encode("latin-1")])


def video_bytes() -> bytes:
    """A 2 s WebM (VP8, 320x180, 24 frames per second, no sound): a red box crossing a flat landscape.

    A video cannot be drawn with the standard library the way the image and the sound are, so this one is
    stored: it was encoded once with OpenCV's bundled FFmpeg (``cv2.VideoWriter(path,
    cv2.VideoWriter_fourcc(*"VP80"), 24, (320, 180))``, 48 frames of a sky ``(135, 206, 235)`` over grass
    ``(70, 150, 90)`` from row 117, a sun disc at (280, 35) radius 18 and a 60x45 box whose left edge goes
    from x=20 to x=240). WebM/VP8 plays in every browser, Chromium builds without proprietary codecs too.
    """
    return base64.b64decode("".join(_WEBM_BASE64))


# -- text samples -----------------------------------------------------------------------------------
_TEXTS = (
    "On a rainy Tuesday in March, Maria Lopez flew from Lisbon to Toronto to meet the engineers of "
    'Northwind Labs. The team showed her a prototype that sorts recycled plastic by colour. "It is not '
    'perfect yet, but it learns fast," she said after the demo. The company plans to open a second plant '
    "in Montreal next spring.",
    "I bought this kettle two weeks ago and it already feels like part of the kitchen. It boils a full "
    "litre in under three minutes and the handle stays cool. The lid is a bit stiff, though, and the "
    "blue light is far too bright at night. Overall I would buy it again.",
    "Hello, my order 58213 arrived yesterday but one of the two chairs is missing. The box was sealed and "
    "the delivery note lists both. Could you send the second chair or refund it? I am at home every "
    "morning this week.",
)
_HTML = (
    "<h2>Sample page</h2><p>This HTML stands in for your own pages. Select words in it to label them, for "
    "example <b>Northwind Labs</b> or <i>Lisbon</i>.</p><ul><li>Founded in 2019 in Porto.</li>"
    "<li>Makes machines that sort recycled plastic.</li><li>Employs 140 people.</li></ul>"
    "<p>Contact: Maria Lopez, head of engineering.</p>"
)
_DIALOGUE = (
    ("Alice", "Hi Bob, did the parcel arrive?"),
    ("Bob", "It did, this morning. The box was a bit crushed, though."),
    ("Alice", "Oh no. Is everything inside all right?"),
    ("Bob", "Yes, the lamp works fine. Thanks for sending it!"),
)
_CHAT = (
    "Hi! Can you help me plan a weekend trip to Lisbon?",
    "Of course. Do you prefer museums, food or walking around the old town?",
    "Mostly food, and maybe one museum.",
    "Then start in Alfama on Saturday, have lunch at a tasca, and visit the Tile Museum on Sunday morning.",
)
_LIST_ITEMS = (
    ("Sample: Plant a tree", "Trees cool the street in summer and give birds a place to nest."),
    ("Sample: Fix the bike lane", "A safer lane on Main Street would let more children cycle to school."),
    ("Sample: Open a library branch", "The nearest library is a forty minute walk from the north estate."),
)
_TABLE = {
    "Order": "A-1042",
    "Customer": "Maria Lopez",
    "Items": 3,
    "Total": 58.4,
    "Status": "shipped",
}
_OPTIONS = ("Option A", "Option B", "Option C")
_NESTED_OPTIONS = (("Group A", ("A.1", "A.2")), ("Group B", ("B.1", "B.2", "B.3")))
_LABEL_OPTIONS = (("Label A", "#e6194b"), ("Label B", "#3cb44b"), ("Label C", "#4363d8"))


def _options(node: Tag) -> list[dict[str, Any]]:
    """Options for a control whose labels come from task data (``value="$field"``)."""
    if node.tag == "Taxonomy" or (node.attrs.get("allowNested") or "").strip().lower() == "true":
        return [
            {"value": group, "children": [{"value": child} for child in children]}
            for group, children in _NESTED_OPTIONS
        ]
    if node.tag == "Choices":
        return [{"value": value} for value in _OPTIONS]
    return [{"value": value, "background": colour} for value, colour in _LABEL_OPTIONS]


def _paragraphs(node: Tag) -> list[dict[str, Any]]:
    name_key = node.attrs.get("nameKey") or "author"
    text_key = node.attrs.get("textKey") or "text"
    synced = "audioUrl" in node.attrs or "sync" in node.attrs
    step = AUDIO_SECONDS / len(_DIALOGUE)
    phrases: list[dict[str, Any]] = []
    for index, (author, text) in enumerate(_DIALOGUE):
        phrase: dict[str, Any] = {name_key: author, text_key: text}
        if synced:  # times within the sample sound, for Paragraphs played along with an Audio tag
            phrase["start"] = round(index * step, 3)
            phrase["end"] = round((index + 1) * step, 3)
        phrases.append(phrase)
    return phrases


def _chat(node: Tag) -> list[dict[str, Any]]:
    roles = [r.strip() for r in (node.attrs.get("messageroles") or "").split(",") if r.strip()]
    if len(roles) < 2:
        roles = ["user", "assistant"]
    return [{"role": roles[i % len(roles)], "content": text} for i, text in enumerate(_CHAT)]


def _list_items() -> list[dict[str, Any]]:
    return [
        {"id": f"item_{i}", "title": title, "body": body} for i, (title, body) in enumerate(_LIST_ITEMS, 1)
    ]


# -- time series ------------------------------------------------------------------------------------
_DIRECTIVE = re.compile(r"%([-_0^#]?)([a-zA-Z%])")
# The smallest unit a time format shows decides the step between samples (as Label Studio's
# ``_get_smallest_time_freq`` does), so that consecutive times differ.
_STEPS = (
    (frozenset("SsQLfTrXc"), "second"),
    (frozenset("MR"), "minute"),
    (frozenset("HIklp"), "hour"),
    (frozenset("deajAuwxDFU"), "day"),
    (frozenset("mbBh"), "month"),
    (frozenset("YyGC"), "year"),
)
# Time formats Label Studio itself translates (``generate_time_series_json``).
_JAVA_FORMATS = {"yyyy-MM-dd": "%Y-%m-%d"}
_EPOCH = datetime(1970, 1, 1)


def _format_time(moment: datetime, fmt: str) -> str:
    """``moment`` written with a strftime/d3-time-format pattern (d3's ``%L``, ``%Q`` and ``%s`` too)."""

    def one(match: re.Match[str]) -> str:
        flag, directive = match.groups()
        if directive == "%":
            return "%"
        if directive == "L":
            return f"{moment.microsecond // 1000:03d}"
        if directive == "Q":
            return str(round((moment - _EPOCH).total_seconds() * 1000))
        if directive == "s":
            return str(round((moment - _EPOCH).total_seconds()))
        try:
            return moment.strftime(f"%{flag}{directive}")
        except ValueError:
            return match.group(0)

    return _DIRECTIVE.sub(one, fmt)


def _advance(start: datetime, unit: str, count: int) -> datetime:
    if unit == "month":
        year, month = divmod(start.month - 1 + count, 12)
        return start.replace(year=start.year + year, month=month + 1)
    if unit == "year":
        return start.replace(year=start.year + count)
    return start + timedelta(**{f"{unit}s": count})


def _times(fmt: str | None) -> list[Any]:
    """The time column: 0, 1, 2 ... without a format; else times from 2020-01-01, one step apart."""
    if fmt:
        fmt = _JAVA_FORMATS.get(fmt.strip(), fmt)
    if not fmt or "%" not in fmt:
        return list(range(TIME_SERIES_POINTS))
    shown = {directive for _, directive in _DIRECTIVE.findall(fmt)}
    unit = next((name for directives, name in _STEPS if shown & directives), "day")
    start = datetime(2020, 1, 1)
    times: list[Any] = []
    seen: set[str] = set()
    for index in range(TIME_SERIES_POINTS):
        text = _format_time(_advance(start, unit, index), fmt)
        if text in seen:  # the format cycles (e.g. only %H): stop before times repeat
            break
        seen.add(text)
        times.append(text)
    return times


def _signal(channel: int, points: int) -> list[float]:
    """A smooth wave with a little ripple and a level shift two thirds in (a change point to find)."""
    values = []
    for i in range(points):
        value = math.sin(2 * math.pi * i / 40 + channel) * (1 + 0.5 * channel)
        value += 0.25 * math.sin(2 * math.pi * i * (channel + 1) / 7.3)
        if i >= points * 2 // 3:
            value += 1.5
        values.append(round(value, 4))
    return values


def _time_series(node: Tag) -> dict[str, list[Any]] | str:
    time_column = (node.attrs.get("timeColumn") or "").strip() or None
    columns: list[str] = []
    for child in node.iter():
        column = (child.attrs.get("column") or "").strip() if child.tag == "Channel" else ""
        if column and column != time_column and column not in columns:
            columns.append(column)
    times = _times(node.attrs.get("timeFormat"))
    signals = {column: _signal(i, len(times)) for i, column in enumerate(columns)}
    value_type = (node.attrs.get("valueType") or "url").strip().lower()
    if value_type == "json":
        table: dict[str, list[Any]] = {time_column: times} if time_column else {}
        table.update(signals)
        return table
    sep = node.attrs.get("sep") or ","
    if len(sep) != 1:
        sep = ","
    named = [c for c in (time_column, *columns) if c]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=sep, lineterminator="\n")
    if named and all(c.isdigit() for c in named):
        # a headless CSV: the config names columns by their 0-based index
        width = max(int(c) for c in named) + 1
        by_index = {int(c): values for c, values in signals.items()}
        spare = _signal(len(columns), len(times))
        for row in range(len(times)):
            cells: list[Any] = []
            for index in range(width):
                if time_column is not None and index == int(time_column):
                    cells.append(times[row])
                else:
                    cells.append(by_index.get(index, spare)[row])
            writer.writerow(cells)
    else:
        writer.writerow([time_column, *columns] if time_column else columns)
        for row in range(len(times)):
            cells = [times[row]] if time_column else []
            writer.writerow(cells + [signals[c][row] for c in columns])
    return data_url("text/csv", out.getvalue().encode("utf-8"))


# -- which value each reference gets ---------------------------------------------------------------
@dataclass(frozen=True)
class _Ref:
    """Attribute ``attr`` of ``node`` reads ``$path``; the data there must be one of ``types`` (any if empty)."""

    path: str
    attr: str
    node: Tag
    types: tuple[type, ...]


@dataclass
class _Counters:
    """How many samples of each kind were handed out, so a second Text tag gets another text."""

    seen: dict[str, int] = field(default_factory=dict)

    def next(self, kind: str) -> int:
        count = self.seen.get(kind, 0)
        self.seen[kind] = count + 1
        return count


def _is_url(node: Tag, default: str = "text") -> bool:
    return (node.attrs.get("valueType") or default).strip().lower() == "url"


def _text(node: Tag, counters: _Counters) -> str:
    text = _TEXTS[counters.next("text") % len(_TEXTS)]
    if _is_url(node):
        return data_url("text/plain;charset=utf-8", text.encode("utf-8"))
    if (node.attrs.get("encoding") or "").strip().lower() in ("base64", "base64unicode"):
        return base64.b64encode(text.encode("utf-8")).decode("ascii")
    return text


def _json_or_url(node: Tag, value: Any) -> Any:
    if _is_url(node, "json"):
        return data_url("application/json", json.dumps(value, ensure_ascii=False).encode("utf-8"))
    return value


def _value(ref: _Ref, counters: _Counters) -> Any:
    """The sample for one reference, by tag and attribute."""
    node, tag, attr = ref.node, ref.node.tag, ref.attr
    if tag == "Repeater":
        return [_HOLE] * REPEAT_COUNT
    if tag == "Video":
        return VIDEO_FPS if attr == "frameRate" else data_url("video/webm", video_bytes())
    if tag in ("Audio", "AudioPlus") or (tag == "Paragraphs" and attr == "audioUrl"):
        return data_url("audio/wav", wav_bytes())
    if tag == "Image":
        if attr == "valueList":
            return [data_url("image/png", png_bytes(i)) for i in range(REPEAT_COUNT)]
        return data_url("image/png", png_bytes(counters.next("image")))
    if tag == "Text":
        return _text(node, counters)
    if tag == "HyperText":
        return data_url("text/html;charset=utf-8", _HTML.encode("utf-8")) if _is_url(node) else _HTML
    if tag == "Paragraphs":
        return _json_or_url(node, _paragraphs(node))
    if tag == "TimeSeries":
        return _time_series(node)
    if tag == "Table":
        return _json_or_url(node, dict(_TABLE))
    if tag in ("List", "Ranker"):
        return _list_items()
    if tag == "Pdf":
        return data_url("application/pdf", pdf_bytes())
    if tag == "Chat":
        return _chat(node)
    if TAGS[tag].label_child is not None and attr == "value":
        return _options(node)
    if tag == "Markdown":
        return "**Sample** text in *Markdown*."
    if tag == "TextArea":
        return "Sample text to edit"
    words = re.sub(r"[_\W]+", " ", ref.path.rsplit(".", 1)[-1]).strip()
    return f"Sample {words}".strip() if tag == "Header" else "Sample"


def _rank(ref: _Ref) -> int:
    """Which reference picks the sample when several read one path: object values first, Video above all
    (as in Label Studio's ``extract_data_types``), then the rest in document order."""
    if TAGS[ref.node.tag].kind == "object" and ref.attr in ("value", "valueList"):
        return 0 if ref.node.tag == "Video" else 1
    return 2


def _accepts(refs: list[_Ref], value: Any) -> bool:
    return all(not r.types or (isinstance(value, r.types) and not isinstance(value, bool)) for r in refs)


# -- putting values at their paths -----------------------------------------------------------------
class _Hole:
    """A list item not filled yet (a Repeater's list before its items' fields are set)."""

    def __repr__(self) -> str:
        return "<hole>"

    def __deepcopy__(self, memo: dict[int, Any]) -> _Hole:
        return self  # one marker, found by identity


_HOLE: Any = _Hole()
_SEGMENT = re.compile(r"\.?(\w+)|\[([^\]\[]*)\]")
Segment = str | int | None  # a key, a literal index, or None: every item ("[{{idx}}]")


def _segments(path: str) -> list[Segment] | None:
    parts: list[Segment] = []
    pos = 0
    while pos < len(path):
        match = _SEGMENT.match(path, pos)
        if match is None or match.end() == pos:
            return None
        name, index = match.groups()
        if name is not None:
            parts.append(name)
        else:
            parts.append(int(index) if index.strip().isdigit() else None)
        pos = match.end()
    return parts


def _container(next_segment: Segment) -> dict[str, Any] | list[Any]:
    return {} if isinstance(next_segment, str) else []


def _place(target: Any, segments: list[Segment], value: Any) -> bool:
    """Put ``value`` at ``segments`` below ``target``, making dicts and lists on the way; False when
    something of another shape is already in the way. Values already there are kept."""
    head, rest = segments[0], segments[1:]
    if isinstance(head, str):
        if not isinstance(target, dict):
            return False
        current = target.get(head, _HOLE)
        if not rest:
            if current is _HOLE:
                target[head] = copy.deepcopy(value)
            return True
        if current is _HOLE:
            current = target[head] = _container(rest[0])
        return _place(current, rest, value)
    if not isinstance(target, list):
        return False
    wanted = (REPEAT_COUNT if not target else len(target)) if head is None else head + 1
    target.extend([_HOLE] * (wanted - len(target)))
    # every item gets the value: the one the path names, and the others so the list looks alike
    indices = [i for i, item in enumerate(target) if item is _HOLE or head is None or i == head]
    placed = True
    for index in indices:
        if not rest:
            if target[index] is _HOLE:
                target[index] = copy.deepcopy(value)
            continue
        if target[index] is _HOLE:
            target[index] = _container(rest[0])
        placed = _place(target[index], rest, value) and placed
    return placed


def _fill_holes(value: Any) -> Any:
    if value is _HOLE:
        return {}
    if isinstance(value, dict):
        return {key: _fill_holes(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_fill_holes(item) for item in value]
    return value


def _references(root: Tag) -> list[_Ref]:
    """Every attribute in the tree that reads task data, in document order (as the config analysis finds
    them: :attr:`TagSpec.data_attrs` holding a ``$path``)."""
    refs: list[_Ref] = []
    for node in root.iter():
        spec = TAGS.get(node.tag)
        if spec is None:
            continue
        for attr, types in spec.data_attrs.items():
            path = data_ref(node.attrs.get(attr))
            if path is not None:
                refs.append(_Ref(path, attr, node, types))
    return refs


def sample_data(root: Tag) -> dict[str, Any]:
    """Task data for the config tree ``root``: a plausible value at every path the config reads.

    The result passes :meth:`LabelConfig.validate_task` and :meth:`LabelConfig.for_task`. It is built
    anew on each call (the media bytes are cached) and is the same every time for the same tree.
    """
    groups: dict[str, list[_Ref]] = {}
    for ref in _references(root):
        groups.setdefault(ref.path, []).append(ref)
    counters = _Counters()
    chosen: list[tuple[str, list[Segment], Any]] = []
    for path, refs in groups.items():
        segments = _segments(path)
        if not segments:
            continue
        value: Any = _HOLE
        for ref in sorted(refs, key=_rank):
            candidate = _value(ref, counters)
            if value is _HOLE:
                value = candidate  # the fallback when no sample suits every reader
            if _accepts(refs, candidate):
                value = candidate
                break
        chosen.append((path, segments, value))
    data: dict[str, Any] = {}
    # shallow paths first, so "$items" (a Repeater list) exists before "$items[{{idx}}].text" fills it
    for path, segments, value in sorted(chosen, key=lambda item: len(item[1])):
        if not _place(data, segments, value) and all(isinstance(s, str) for s in segments):
            # "$meta" is text but "$meta.text" is read too: a literal "meta.text" key serves the second
            data.setdefault(path, copy.deepcopy(value))
    filled: dict[str, Any] = _fill_holes(data)
    return filled


#: The sample video (see :func:`video_bytes`), base64.
_WEBM_BASE64 = (
    "GkXfo59ChoEBQveBAULygQRC84EIQoKEd2VibUKHgQJChYECGFOAZwEAAAAAACcLEU2bdLpNu4tTq4QVSalmU6yBoU27i1OrhBZU"
    "rmtTrIHYTbuMU6uEElTDZ1OsggEcTbuMU6uEHFO7a1Osgia97AEAAAAAAABZAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
    "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAVSalmsirXsYMPQkBNgI1M"
    "YXZmNTkuMjcuMTAwV0GNTGF2ZjU5LjI3LjEwMESJiECfQAAAAAAAFlSua7+uAQAAAAAAADbXgQFzxYiMAAzaDd+SnJyBACK1nIN1"
    "bmSIgQCGhVZfVlA4g4EBI+ODhAJ7yGrgh7CCAUC6gbQSVMNn2XNzoGPAgGfImkWjh0VOQ09ERVJEh41MYXZmNTkuMjcuMTAwc3Oz"
    "Y8CLY8WIjAAM2g3fkpxnyKJFo4hEVVJBVElPTkSHlDAwOjAwOjAyLjAwMDAwMDAwMAAAH0O2dVMQ54EAo0R2gQAAgBAlAJ0BKkAB"
    "tAAARwiFhYiFhIgBohDfPf+2gwgFoOq4/YvxA7gSC3Ffwt/dL+yfJ3Zv5F9p/2j/pOZC8F/z38fP7T7zf4D+APYA/oZ/SPyS/sHC"
    "B/jn8T/r3+A99HpAf5N/S/V1/u3sA/qT7AP6e+i//nv8B8EP66f7z/V/AT/LP5zvgPYLnOG/AebrzP/sUKFLBQBB6wLKBqAIPWBZ"
    "QNQA+c7cOFYzWtuxTbLRhRQBB6wLI4BPrZ02Jhoo0XrKBqAIPVHjLlTa3HEekryhy0CuHuA6fpRYXrKBqADcwiFkcL1lA1AEK0f9"
    "NnMWF6ygZ4qmF2TaAmUtujarG0bbQ3yXMoq/PIy9dAfe0N8yEuDUAQesCygagCD1gWUDUAQesCygagCD1gWUDUAQesCygagAoP79"
    "mYkDLOFqjGEjjRyxiv9rmJ+1fT18xY3mDh5PLFiDVS9X2fmg9QkTzcuAytZh2MmyPeI0TnnGdg61Vrm+VGpjbB/VGb0Osix+F6VW"
    "tEqaoMjn3jLoT2Faij8gDPVEfxpBbcPKYzg2rt+HrTMXas96ekPhSPWOqyzRDcWpsP7x9Lv94R9xNMrJnDmr8BNi6HipeIstT261"
    "y8PFhySU/gIykugxFsm2qwdgqmlJjdUXh2qwIokCh36KBdXR3jma7OApJtgsJrm1fDRE/nV7EhY82O1RBs+uvR2PYzKhaIY1SUth"
    "VNhQqxp1zcAMCH7PwqXoA71D6UKUO4eXPXq1rjVV9eAdqzUyffPKJ1AlPVdj4Kn+rh5aQyEB7srB7P2czpefmE6LH91QAtty7BXp"
    "KzbhYzBbM40YQbZI0GQl7VvOYOHHwTr0XKHrmlyXmFE+iWCYSI8Ex1e8zpRRYVNhBKMfEkx8stjbbcvPwj5nmyYjWwlkz+euHzI7"
    "srcJDsOy2fSIxkSvoljYdNZicdwIfkSUlg0lI+w+HSxTEgmckOoLzjdbtKO3iRNI9X+WqiF1yeXAuuvMDkWnjOzGcZ+vneez2FB7"
    "nRslHWvzzA4iVDG+l2pffn6c8I8a/3IhNsVeeHe0f/Y6ZyBCrX11n4jYGXObSDgRHFn1cBf3ZlALnfkyDlXIYGYHe72T6XBRvQkL"
    "w4sE2WoVhx6sXcuUKO5AJuROyfFCUEc+S4g+7ZGA3kU72uQ6b1XRovogqs9skKiLt7OrXEZP+GP//yVE3/mjH9QUivn1NKYGt2Be"
    "uRQyqlz5ljgpfBrReCkafJ0E8cddaEmgwfnl2LBcbf8Rm65HEU8F64uevw385LtpXRmEd7vkPkXzVkpzIaLsdTdh/s5Hhu/ULFTZ"
    "oIcVbC+Ebf/JkuEtVwWQOqPy1q4iPtY7/+Xp/3Db/1IOwn8wxoxiDVcyOj6LLKcf9AwjP/+oMMXZPdZzuTeVWB7GkYg+oAIqWa/n"
    "dDltUH+rzGp4r0ElRwIoFftP/GwP/gAPVqGWskf0JjGHZ3oyxX97BHv2cj/AEzQhgxpcM+rfGxdDt/YP5IwncsM+rN7gz2qrDGoT"
    "VPzlIACj8YEAKgDRBQAFEA0QAMBOG+PWhDDvxAGjv250Q4nNQs08bNNIyLQ80qcrHAiRIkiRLHgOU2WgfrxwfJyhGebKHfTqtMai"
    "0BqwUg8qvvkVSDfZfaWeciGBeD81VYY1Cap+crKVQRAZXo/5YZ9Wb3BntUwAo0C/gQBTAJEHAAUQDRAAwERd9K527RACMAn3/gcO"
    "sVihatjyL6TWX5JrSV4Tgw0sgaxBHfVDjacMG2gQaNGaNG50/ZLe8H4XJbcg06BHwa5lyZFsu039BWlgXUeVnW/8hK/r70CthuUg"
    "wwnJxK4yfVuDKEV2trbJUvcXzfygE/uR7T4mxvZkawQzaHdsOdyelwrxGBHBabY4A7kp0tkdOEJOGeuJ/MG1L+Cvrv3LDPqze4M9"
    "qqwxqE1T85WUqgiAykCjQIqBAH0AsQYABRANEADAANNFPD9Com7xY8I3uAhCVjXyPWXNHg070VR4NO9Fdwc6zVtGRorRWitkgSfB"
    "CyCC/gZTzAFyZdloBEmxeN2iAqHL+1gAZH/alWRA/FYZGiQjIF1UAPatFdhsVa3fN8IFWi239q0poFUJqn5yspVBEBlej/lhn1Zv"
    "cGe1TACj1YEApwDRBQAFEA0QAMBsYkxGG9yAwZqajCvYsZx5E4TrKsaQFXbAHthzJDGiIjMzNwx96Q8gxQZ3eLzAClPJVFjxMIrq"
    "hhNru/7CK6oYTa7v+wiup4CjQJ6BANAA8QYABRANEADAatxL/2IquclxzpMEHLhDOeD9Vd90ekQjwN0GwmIQatr7mnNF+rwYZmZm"
    "ZpsdCZ5KgMUGW87BGYXWJ/Z/mdCnxnxB93/T7xW7/69H//82tJSkYf3FWkC2WnwJy3fqLKekhmrs48yHFQe8c1vGiZ7MucaWgbQk"
    "8v8ZDrOYI+8C3YtcWuLXFri1xa4tcWuLXFrfAKPQgQD6AJEFAAUQDRAAwADOA7w/QfkQIgLSAODZvmmoIyVpNGStJpNiFpQyIhmZ"
    "kYzwgfBMxQZn3HVu1+mBsWezVZqs1WarNVmqzVZqs1WapgCj0YEBJACRBQAFEA0QowADOw7+gAfsUatuBfQeQ4+mw4zDYAOa6gT+"
    "V0y5IiIiIiNLLAAB4MUGXW35Niz/RNdavaHy7sZ2M7GdjOxnYzsZ2M7EAKNAtIEBTQAxBwAFEA0QAMA+ExgUDWEL/4AImCf8ABcS"
    "EB1cb0Pv6v4kmxKQkRhkWhIjDIUE41snJEiIjMzNv61nqODFBltR8FDMEmXvqCyGQxDEKaVh7lpw/KvPBSW0zMPJRF+00/ZbFr0R"
    "Bqv/jTUhaTs294bZyyVj7LVwt3hwphokZzMyFWtq2EM2auaSqbQWne1eKCHEtMc2jnFgDIqJhMWkwDYZMMmGTDJhkwyYZMMmGTDA"
    "AKPOgQF3ALEFAAUQDRAAwADMgXh/QXM4qkssVhZHbxSO2UiKYziUFe5OOt8IREIiER72HPGoAMUGZ9osNt1CgtxYZMMmGTDJhkwy"
    "YZMMmGAAo8uBAaEAUQUABRANEADAAMyDv6ABt6ttgDWdSXCWAlU2DcuOG5cfqecMyGZDMiSvn/o4xQZn3HVu1UKC3FhkwyYZMMmG"
    "TDJhkwyYYACjQKyBAcoAkQYABRANEADAANEF/6ACgBbjwCiCAiuqlThTt/N8WIA4+OQ8wCCP+hwwK4DbMiKrPFiA9cDZoMUGW1DH"
    "QigAlKjmS+cZWZogYRZGlvQoC9UNu1filwdCon/hKN5Bqd56e2tx5CHtQ5zhDwDMlvb/ck4j6yqtGlgbkcTPxwrG+19IPMlWuIGE"
    "AYkUkdBcBc0ll63MMZXtD5d2M7GdjOxnYzsZ2M7GdiAAo0RdgQH0gHAkAJ0BKkABtAAARwiFhYiFhIgBohDfPf+nwLPE1l+Rfgp2"
    "7D8uOfhX+2f9J613Xftf+1f9AzFjwr8L/nv4+f2n6Qc4D+hn87/ID+q8IH+M/xX+tf4D3z+kB/k39L9W/+7ewD+pPsA/p76Nf+k/"
    "t/wV/rl/vP9X8Av8p/nO+A9guc4b8B5uvM/+xQdVaoDvm11K3vrqVvfXUre+uVFc6XkMRRiT3cSMmupW99dSt1K3ZwgH5xR3iFb3"
    "11K3vrlSA8eCAU5DY4DzVpoYFuOLnIwGS9dSt766ljv00aDi0/EaOMZegVlxdSt76roRESEUkC2IDup6iFiTXJPr2AwGAwGAwGAw"
    "GAwGVQd82upW99dSt766lb311K3vrqVvfXUre+upW99dSt766lb3vgD+/ZmBQuCI7SCMZsnr7B/eqXux+S46TPpkrmX8+SYcdMkt"
    "WmfzQeoSJ5uXAZWqHAJK1uLxFiQpB358GwyI7KDhn7vOjCBam/qxzUnMkNGay8gKk7vOLMDN/mQiPtknpG9rjf6u7Vb6Ccs+Df6K"
    "fJ2srNkTIxzqfuIos16Po64VFgKPFoXPpGZTU+sF8R45ZpJEeqZ1X94LJN7ICUZic9ACOMWa65Jdl47Eb8Za7FmtaNzCEOD0KI7Z"
    "Vwwv2V81cBk+OCwmubV8NET+dXsSFjzY7VEFXcv5G2+G1PM/2XLu1dMNsf4LSJOPKzgNu6yAtylV5tSp8eFB+Qinlxry2NNieZ++"
    "C5+smEMBbIBjuR3BfE2DHBbDFuRQ2pvZ+zmdLz8wnRY/uqAFtuU4c6Xtz7jvDgzOFcQA3PqEYC30Xsz2f+js86ECzB+syIqKn8et"
    "ei0e8WRcVn/HH71kOfgZVEBD/Yv28a8VOwGQ/k4xoy5m+en89cPmR3ZW4SHYdls+kRjImyF/LXO1ot1jHMSg/GmC8Il6uuY61nuU"
    "pPIxubr7vHGQbOO2ap/qHp7kXv777/tGxZmgScV5estvv60zv+Mfs1gnVbeUASUt1CO7QegnsgcYGbs0BA4C6vOBsi9pzk3CdBsU"
    "Zx+f8U6CI00qMBBlQ8d5qE6GRJV1pNb3aAJzix0iIMId/UAz4sgB/mPiNcV/H3ygECBx0vKjwDPJQZPihKCOfLakPQOhH2XXdJ+9"
    "IixXbMP6TfbKDHZH8AzRExqWG/2Lv//JUTf+aNEnSvMnNrtmiPqntrUBKM2doam7u4zuq6DcQgMBIcdYJEdtYEXWIpGwMowPK+j0"
    "+ckvcP5yXbSujMI73fIfMNclq0giBENjNxEQ1/2ckCR15X44Mgbt0hd2R89kO/5Ml0wI5NqNWc+g9pnN//y9P+4bf+pBxfJ//zhg"
    "n4gZ//zhgn+o6ZK0kKTm8OR7/+oMkVexWwdMM7eRMvdTJmmKXQ5KDyPkyPc/BX7T/xsD/4AFc1z8cxNcc9cVZvh2YXv/G49oVmN2"
    "lqaJ9QOToSzEtsaIsn+iH/iaNhkWfIFPC8FiAKPsgQIeAPEFAAUQDRAAwE5J4YqB2lfEAYI94KWJqB0MNKBMKAMalRzAcKUtbeBi"
    "IzRGySPhstQAfABdfCMC+J3nbOhZWMox6bZFiM65ExvgNrRLoAJ74hrVM+vyyUwtgZFnyBTwvBZdGslMLX8Ao0CtgQJHALEHAAUQ"
    "DRAAwD//m9HkA/0AIoEfv+Bs7zcfHILyJXAgVgXkVpmwaABRWaxZgDj29vYkZC301yniqzPnR5E/rQB4FkUnZJAjsJmAK9NUC1n9"
    "5A13iNZiup/F23hY0+4nxcBx7aGfg27EEFmTwr+7tHNOv1c+8eCzAsIct+VfgWFvfWpxWvJxQIgWvclB4u1xWxXEusbibfZ6ydoh"
    "/4mjYZFnyBTwvBZdGkCj0IECcQDRBQAFEA0QAMBsCEtwi4C5n0Twzj8h+4mSHx9med8txMXAbRr93jAhEIiIkyJxSvGAlzH3zHXX"
    "dN3yy6E/hmiy1i5ny5Qr0c5L5RDAo8qBApsA0QQABRANEADAAMvBf6ABUv+6DsQfp/1PT/8tGlY3VBAQQiERFqVA2iDG4quQOZge"
    "A+2LpEry/OS+URX5fsUm5V3p3xcwAKPzgQLEADEGAAUQDRAAwD9ABFT8rfgLiMfKMUakUKpscRuaAMIqGyYEVDee0zes/RLqhku0"
    "sgrkeYDG4LxaXDyJR/j5jYNhOOuoh7cxpaXtVhmeYheoegK9HcfVCJN+FVpqAeYCnfKIr8v2KTcq7074uZ8toKPLgQLuAJEFAAUQ"
    "DRAAwADLwXk/QVKirhHdpV3mT46L5ppNLT0ZsV8ZD8moIQiEREzHms2MxuB7uTDl8uv8yCLTodG5L5RFfl+xSbfAo8WBAxgAsQQA"
    "BRANEKMAAy8F/oAFS/7oOxBuSMoRsDIsmENYDwIQiIRI70OvKMbkcg439GPdw7FwroC1thV3p3xcz5coVcCjQN+BA0EA0QcABRAN"
    "EADAakhgB/ECQAfwBugH8QF7bFvhZDAZrRw40+An6MNpKhMPB+FFLAZDeQRG6GPfy4hzuzM0riaiKRDG2MzsARgv/yK/4Muv9cv5"
    "u8oUf4TntNqbXbPgf34WnFr+1qKPdH0/+5G385s5F1WVwObOFcnBh3zcY10jjq8jfGcwRpE9i28JucXDq/stZysagln/mAbfVy3H"
    "xSOurC04tf2RCCoJMTVD0QbBoDwI0U6NqOTNS0yEpcMMTkevZkIoKhacVHOsCsqC1aCz3MncaWrQWe5k7iQAo9GBA2sA8QUABRAN"
    "EADAAMpDuT9Bc3I2aIrcYTImy3qImtqiga978UDXvfiz+yhBjIYy7sDY8hjG3fuIOlivaFXBEgO3KXs4OVRIbRFcUpmUDACjxIED"
    "lQCxBAAFEA0QAMAAywF/oAFR7/nDtIzjXefGv7qx1ywjQIQiERYOfwXAxtgLT59a3Q09zjvaCz3MncaWrQWe5gAAo0CPgQO+AHEG"
    "AAUQDRAAwELmd6od2EqyIE/qKQTtTn0kmnf0lIBIF+ML3BAvxhe9CcLzGADDMzXaypgmwMbaqPlozui4hsJfzjbuG5K4XQeObHD1"
    "zbmHkkZCedxUhhGqVYX5E1L8aSaC11cIhht13TBej11a6LSQuGEyMK4U6jut3vSvE+ijYlq4tEoEUbEtW8AfQ7Z1UifnggPoo0Rl"
    "gQAAgDAkAJ0BKkABtAAARwiFhYiFhIgBohDe/HP5UP6r+GfdPQo4t+GH7n/2L5CbN/IvtP+0f9JzIXgv+e/j5/afeb/AfwB7AH9D"
    "P6R+SX9g4QP8c/if9e/wHvo9ID/Jv6X6uv929gH9SfYB/T30X/89/gPgh/XT/ef6v4Cf5Z/Od8B7Bc5w34DzdeZ/9igV/mQEZddO"
    "XF5noCMuunLi8yjp2Beuwr9fy9853a3M9ARl10j0RXIj0SXYSpAW5W5noCMgrCNcEApw8sZ3TlxM1+wy5bFFcE/SLAFuVuZ5wZtJ"
    "QE9ARl105ckQ+yXsU7hv1z0vk9dLQo8fR50g+cdA9wRyYlIAT9PZ07VFtbmegIy66cuLzPQEZddOXF5noCMuunLi8z0BGXXTlxeZ"
    "6AbA/v2ZgXDofAXp7hs9SNNn/a5iftX09fMWN5g4eTyxYg1UvV9n5oPUJE83LgMrTgQtuKnK1+kaXwqMqEAaZUI1LPw04X881CDf"
    "L5umsuq9kDWWdHNN6BIGnsPOii0x/92Ebc6EBV+fSHUF+3KD2GhMFemYF267z1FyCQz1FaWYbbQ1Tewv3qePxqsHH2Ti6KSNqHJt"
    "bHncbhHnf9RjVUzlYu9dBiLZNtVomMurDt6eSw6sqgPQIErnPmC6ujvHM12cBSTbBYTXNq+GiJ/Or2JCx5sdqiDes05YvTmtmjsy"
    "RqmexBz6XmmDTyw1GZ+MCfhUvQB3qH0rnH77zhTG41qixjaeA7Vmpk++ecTqBKeq7HwVP9XDy0hkID3ZWD2fs5nS8/MJ0WP7qgBb"
    "bn2CvSVm3CxmB1ggJ0Y5IqhH/8Jta79TSwmECP6NFvCtJapEod/riFES6nS695nSiivJO6Ly2Bu0YjnwYTvPOiNmIryuHR5N89P5"
    "64fMjuytwkOw7LZ9IjGRKmCgRVzrslz1gMoCf926wLjmzIHZuI3zFXOfuIOyXrz2ke4ByOH+qIZL95icmo5SyfsKa03J70rT5+Dt"
    "6bpcIG+x8G1Q3SLqdUTRpMq/TZq4mFL1s9+2kUsRV54d7R/9jpnIEKtfXWfiNgZc5tIN7NoTHPP31UK5oPd+FUzeTHFugC5q1QPC"
    "bCOu7ZteIKc8I05BV74MKSIR7rMBcjJ8UJQRz5Juj7tkYDeRTva5DoudhWiGhER5oKr0kWOC6dNmk/4Y///JUTf+aMeHx7DRY89n"
    "cPD1OoHO8AX0vHDHaz5TnDRjfVUhuE3fsISLIZ14BCV8KXXXrT8ULL9QZvN4mMdf/nJdtK6Mwjvd8h8ghpGbxGGemQ8Uyf7OR4sC"
    "yakYRbeiSp2hKqj/yZLhcIeM3lMJEHCSJDsym//5en/cNv/Ug4uyYLRhvGDhp1ood6rER/cLd7//qDD9I+UQ9xcSRqyknsjZWIkD"
    "PXbvO4jP8a1raQWdv6WcumpTY+H5S/jYH/wAHNzSR+ZKPypsLM6zDGj/tLDq8gwctRa47xpgFXnR2W3nUDqXoEre9sYquByKjykA"
    "o0DbgQAqAJEHAAUQDRAAwE4ht4WZS2Sf81qKoXbmt1QELmIJXZyiWkqaArqvb+svKDKIIcYGUQQ2yt9QT7AwzSTtabTTgGu0ajPp"
    "Owe2DztnQsrGSTq0KdZUlMLi5yfEG0WqnEASWx+DlIxvvyOpoHJuqn0mOV3vtGgkVeYkGCxEP7YjrUj4DT7iGTliHZ6LkrLNYIv/"
    "mCt/joCeL8u510D2uTrjLTnWG/VDRP/o5lK7vxX9VcM0aO5E5G5H46swnYFsHQkgrwUPiV7IXYzJ2UYY9pU8vQJW97YxVQAAo9+B"
    "AFMAsQUABRANEADAAM4CPP9B10qWH1AAaWzYxQRN5XbltCB3JQgerh/kSBhERIi9AHCIZ4mKA8G6Aut6QK3oR9h1tgHFy6ZZKbyu"
    "xQIgo3zy9Alb3tjFVwORUeUgAKNAf4EAfQBRBgAFEA0QAMAAzIU8P0HZDlHL9hDvoFA2FfT+h0kYC10j8GAtdI/wtpf47gjKhngO"
    "xwTugG8rUcTffSfHaP8G7iE5cZexFzOPTbD//O77q0E5Mo02MptH+mYggdi64tEKP/JEKTbcoZ/YAWvGQmuIz0DGDKMMe0qeIACj"
    "QLKBAKcAEQcABRANEADADh1Q76PLZSTle1+qJBhevqHStMLsc+QBQ7gCigqUO4AooOr2hPmFukrkKqwOU28GfgDG1lhgbOh2Xlw+"
    "5vXqzURBdb93alVhodjkZ5aF2avxS4OeXNPUQW1DU1rYAV4iaAFMbGfgQjhMjbj2cgHgeaRH6YRaMt168d5y8l158FufI2P2xWWU"
    "bIVfpzEU/wNBDm1mbwtylHOb/13QQjY9sYquByGAo9aBANAAEQUABRANEADAAMyBf6ABc99hbbl+pGy76ravpI6KqjLMwHAgQiEu"
    "cJ/AoMbV2Asz28KoIvLMkp6cb2BV3edcYDTxC1rv1orACtDyyE1xGegUAKPKgQD6AJEFAAUQDRAAwGwISYBhVbl173sWCongQWSC"
    "PXsMeLnhjxcuJ3EQWBAhCn/yCJYAxuRy+4fWHRDP1HM+Mo6BM8sK+b9KsACjQJ2BASQAUQcABRANEKMBpDmAeKAEMCPz/Ap1pZAz"
    "hMU7n0LrTTnz0GGhgDCwbEzgCiP3z56IW1fI++lChlf58dQJAMbYnE3kH0Ksgc/kSnHp5CIyBtk8XwzaDIb+GnRkWkB3qGmS7LmJ"
    "PUEgaK1lm5tHLZDEtkoAgiDh6IxArS4XMnEEfjAkcV3pfNbfbsJeNiAbfiAVpwib4BNaKsAAo8iBAU0A0QQABRANEADAbCZKVI3c"
    "gH38ADhs+yI2W3GvtK+efKRFxwEIijCkIoDG35Bu+qpdDPq2U0ul8wN6FwRZC6HB5ZqIMACj4IEBdwDxBQAFEA0QAMAAykI6H4FR"
    "u16nOkjLXYK+F/F04frECp2O5AqdkgvPk2cBCEYzO3X8gMbgtF8/WGzgNSSn8np8RvGS5VsAvtzpkLW1+2zckUOXgdWfa4oImBlo"
    "AKO/gQGhAHEFAAUQDRAAwADGhrw/QXHnbPth7z3PTX6DZs5KqM4ozsEXqSHBDCkG1nPPOWDG5HnnFWagqSUMWTgAo7SBAcoAMQQA"
    "BRANEADAAMXBf6AAqgAGMWjlNla2j86AdSIAggrDmGkAxuR6ViKEVFkLoTAAo0RLgQH0gHAjAJ0BKkABtAAARwiFhYiFhIgBohAZ"
    "masvyL8FO3Yflxz8K/2z/pPWu679r/2r/oGYseFfhf89/Hz+0/SDnAf0M/nf5Af1XhA/xn+K/1r/Ae+f0gP8m/pfq3/3b2Af1J9g"
    "H9PfRr/0n9v+Cv9cv95/q/gF/lP853wHsFznDfgPN15n/2J//9sbdEmNuiTG3RJjbokxt0LxXOl0eK+1/L3znbtqPdxxHu3PvSni"
    "/JACkbJJIYTG3RJia2I1NFk0omQ6Mu2o90j3J3aBmxcn7P0uiTG3RJjreLU14j3ccR7uU0aQ0kiY4f4U7WW0x0uelG/QM/SQfSgy"
    "YQ84i8MIl7Mj10SY26JMbdEmNuiTG3RJjbokxt0SY26JMbdEmNuiTG3RJjWA/v2Zd6IjdKzzlYeYFsfTnETXwpPhL4PvypbDivvy"
    "FU9TJAtv5oPUJE83LgMrSFtPfVYwIxTSoudrDTnQWPs8yOxy9plkvFB/5N4KUfz8+TRtzUAWqRlJRqmdoNxvf4vIo2HQXkyjS+bz"
    "beUHsNCYK9MwLt13nqLkEhnqK0sw22hqm9haUziI5PeDhi18cs0p/DBJAdkKFAVP1FNJZNukaxEeiX8QyO3gpV/xzWhhXUd4HkcO"
    "XhF9QfDC/ZXzVwGT44LCa5tXw0RP51exIWPNjtUQVdy/kbb4bU8z/Zcu7V0w2x/gtIk48rOA27rIC3KVXm1Knx4UH5CKeXGvLY02"
    "J5n74Ln6yYQwFsgGO5HcF8TYMcFsMW5FDam9n7OZ0vPzCdFj+6oAW25Thzpe3PuO8ODM4VxADc+oRgLfRezPZ/6OzzoQLMH6zIio"
    "qfx616LR7xZFxWf8cfvWQ5+BlUQEP9i/bxrxU7AZD+TjGjLmb56fz1w+ZHdlbhIdh2Wz6RGMibIX8tc7Wi3WMcxKD8aYLwiXq65j"
    "rWe5Sk8jG5uvu8cZBs47Zqn+oenuRe/vvv+0bFmaBJxXl6y2+/rTO/4x+zWCdVt5QBJS3UI7tB52pFG4h6Hd18QiJdGmR22YIt3Q"
    "cOMkr3iNmyOScrWMMBtFq2kMGTeD9kzO7/uDgjHU6oIBb5YOwkOMwNGv50uGtVRObAz/XuNM/oTBe6zAXIyfFCUEc+W1IegdCPsu"
    "u6T96RFiu2Yf0m+2UGOyP4BmiJjUsN/sXf/+Som/80ZzkI4f78zmTVvYnQ8c7zzB2hqbu7jO6roNxCAtQUQPuwR21gRdYikUAkIw"
    "sy6PeOBded/zku2ldGYR3u+Q+Uyb9ZQuedD9/clXFn/s5HzV2Iyvt0hv3dSEYGSR4n/yZLpgRxm58AEmEa9Dpp//V6f9w2/9SDXV"
    "P//OGCfiBn//OGCf6jpkfBOMyz0V9//1Bj5WnUZU0LCM0SKHBZHHYF0OSg8j5Mj3MSL+0/8bA/+ABLoY1axSiTP29FU0eQqI6jJB"
    "AGNZtvA7b0iBnTB4WEKtKLKXsjyAAKNA94ECHgBxCAAFEA0QAMBN4d1Ukz/gKNAfxAkAH8AboB/EBfMxfUARxnJtLo2fj5zH6OvO"
    "cGboJRLzDEkQCLKKAYY5X9dxTT9Jhk/kZehdefQARhEod9Oq0xp6Mh3fCMgG+iqDgjmZ2AIwX/5Ff8GXX+uX83eUKP8Jz2m1Nrtn"
    "wP78LTi1/avAtBpIH+FD+AbOOmUwadTozXBM0TyS+AFu4oWOfzumoDWiM8n4Qi27U6bGzt03zjd3in/yDTrpfpeoOocfk0oxOFps"
    "TiMieduhjeNeTDdutTIKPbJfI/N0kCJ9E9QQvMhUqyU//BjLCkRzGQI2AwOlVACjyIECRwAxBQAFEA0QAMBrNkmAYtyAdf/0wrXM"
    "QMDZEbrGkRAAFrsALFmzUEIQTihAdI4HJaGshAwPpSTQ+psEUQOlW9gJ69qAAKPCgQJxADEFAAUQDRAAwADIAXk/QOv7+I6nyLap"
    "/PP+zPLi4HlejG4p1gDQYCdcanYmkF9lYd1d0EQ3zIswNuTbtQAAo0CDgQKbABEGAAUQDRAAwD+M1eqHU2KsiA6/veiUuqe3Ou99"
    "JN8iBXDCe0QK4YT3wm+N1HEJ4aFI+sbdD9jWLG2Lnv13L6pKmOmxSoENB5qOYSVAhuS7hpT2maIC+WOtLFaLLzQq1h32ciBR+BJ8"
    "n01ycX4YTcWt9fbwmwSBmIPcZJUCYACju4ECxAARBQAFEA0QAMAAxcX/oAExsAJD/rb6VmJa2xgVR6BVHmCccdMiBtewlFYAxtwS"
    "1UnUW8zRLDAAo72BAu4AEQUABRANEADAAMaBeT9Ayf4AwtP2H+zUtWSQR4JfriZo+4ma0GgTuo8VlMbdD6q+s564QsrISqgAo0CT"
    "gQMYAJEGAAUQDRCjAZs7QP//dSWHPpKiGRyf3/6Jp+0/UQn2XPnTrB3DCPKDuGEdnKNiVt8oeiKER8DG1bNyZa4zO/+gs8FR8eBT"
    "t/1r73gz6i5EV5NBPiAqCuNGl7XJX3dcXfL37b89TXm8tmqFhpDd3hSCCZLBfuNCtwJidfCKy3TLs8ohL0UWjciLjMA24wAAo8eB"
    "A0EAUQUAARANEADAAMdFP6ABUfv54ka9d1cYKvHpsIsMJNyLDCToNRHyqGyFEKGAxtVGmpfq3VluOdOi9t9qN3TxuLcAAKNAkoED"
    "awDRBgAFEA0QAMAXYCEH4NcTBlspbnU/6zd9Qr5AnDdOGFnIZgAwmhRLgCh75vYjwIhTHcUKSSbvoYDG1hV9ok1zZH3GMMk91gUq"
    "ATf1bj/7RCisZGnN0sWVGfAxekIH+kjRcfsNvJPw3hJrhUCmXK/RZ+F6EMohi7a7rhErOO1v0EgUhVaophUb8mOby0AAo72BA5UA"
    "EQUABRANEADAAMaBeT9Ayf4AwtP49Znkl+R6mnn/Wh751oe+dVFjmxL/AMbUkwQpX7+R4E4td8AAo9GBA74AEQUABRANEADAAMXF"
    "PcDBL7/9eqwnUNUUmhdGoYQukIUNXO6O6YlF6H3ZOMbV0g7bvml+A//tXnjHRKajGLf7Pcrfpe7PXkJFmtJvLQAcU7trybuPs4EA"
    "t4r3gQHxggF68IEDu5GzggH0t4v3gQHxggF68IIJ3ruQs4ID6LeK94EB8YIUkPCBBLuRs4IF3LeL94EB8YIUkPCCCUk="
)
