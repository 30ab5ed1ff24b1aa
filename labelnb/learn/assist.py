"""Small deterministic assistants for interactive pre-annotation, for tests, examples and quick work.

:func:`flood_fill_segmenter` grows a region of similar colour from the positive clicks on an image and
answers with a ``brushlabels`` mask (Label Studio's RLE, reference C.6) and, optionally, its bounding box.
:func:`occurrence_assistant` widens a text selection to whole words and labels every occurrence of them.
Each returns an ``assist(task, context)`` function for ``project.annotate(assist=...)``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from PIL import Image

from labelnb.formats.brush import RLE_SIZES, encode_rle, mask_to_rle

Array = npt.NDArray[Any]
ImageSource = Image.Image | Array | str | os.PathLike[str]
AssistFunction = Callable[[dict[str, Any], dict[str, Any]], list[dict[str, Any]]]

__all__ = ["RLE_SIZES", "encode_rle", "flood_fill_segmenter", "mask_to_rle", "occurrence_assistant"]

# -- image helpers --------------------------------------------------------------------------------------


def _rgb(source: ImageSource) -> Array:
    if isinstance(source, (str, os.PathLike)):
        with Image.open(Path(source)) as opened:
            source = opened.convert("RGB")
    if isinstance(source, Image.Image):
        return np.asarray(source.convert("RGB"), dtype=np.int32)
    array = np.asarray(source)
    if array.ndim == 2:
        array = np.stack([array] * 3, axis=-1)
    if array.ndim != 3 or array.shape[2] < 3:
        raise ValueError(
            f"read_image must give an image, an RGB array or a path; got an array of shape {array.shape}"
        )
    return array[:, :, :3].astype(np.int32)


def _pixel(value: Mapping[str, Any], width: int, height: int) -> tuple[int, int]:
    """The pixel (row, column) under a point given in percent."""
    col = min(width - 1, max(0, int(float(value["x"]) / 100 * width)))
    row = min(height - 1, max(0, int(float(value["y"]) / 100 * height)))
    return row, col


def _grow(seeds: Array, allowed: Array) -> Array:
    """The pixels of ``allowed`` 4-connected to a seed (seeds outside ``allowed`` grow nothing)."""
    region: Array = seeds & allowed
    while True:
        grown: Array = region.copy()
        grown[1:, :] |= region[:-1, :]
        grown[:-1, :] |= region[1:, :]
        grown[:, 1:] |= region[:, :-1]
        grown[:, :-1] |= region[:, 1:]
        grown &= allowed
        if np.array_equal(grown, region):
            return region
        region = grown


def segment(
    rgb: Array,
    positive: list[tuple[int, int]],
    negative: list[tuple[int, int]],
    tolerance: float,
    box: tuple[int, int, int, int] | None = None,
) -> Array:
    """The mask grown from the ``positive`` pixels (row, column) of an RGB array.

    A pixel joins when it is connected to a positive pixel through pixels whose colour lies within
    ``tolerance`` (Euclidean, 0-255 per channel) of a positive pixel's colour and nearer to it than to the
    colour under every negative pixel; negative pixels themselves never join. ``box`` (row0, col0, row1,
    col1, exclusive ends) limits the mask.
    """
    height, width = rgb.shape[:2]
    seeds = np.zeros((height, width), dtype=bool)
    if not positive:
        return seeds

    def nearest(points: list[tuple[int, int]]) -> Array:
        colours = np.array([rgb[r, c] for r, c in points], dtype=np.int64)
        diff = rgb[:, :, None, :].astype(np.int64) - colours[None, None, :, :]
        nearest_distance: Array = (diff**2).sum(axis=-1).min(axis=-1)
        return nearest_distance

    near_positive = nearest(positive)
    allowed = near_positive <= tolerance**2
    if negative:
        allowed &= near_positive < nearest(negative)
        for r, c in negative:
            allowed[r, c] = False
    if box is not None:
        inside = np.zeros_like(allowed)
        inside[box[0] : box[2], box[1] : box[3]] = True
        allowed &= inside
    for r, c in positive:
        seeds[r, c] = True
    return _grow(seeds, allowed)


def flood_fill_segmenter(
    read_image: Callable[[dict[str, Any]], ImageSource],
    *,
    brush: str = "mask",
    box: str | None = None,
    label: str | None = None,
    tolerance: float = 40.0,
) -> AssistFunction:
    """An assistant that segments by colour: ``assist(task, context)`` for ``project.annotate(assist=...)``.

    ``read_image(task)`` gives the task's image (a Pillow image, an RGB array or a path). Positive key
    points seed the region, negative ones (Alt+click) hold it back (see :func:`segment`); a drawn box
    limits it and, without key points, seeds it at its centre. The answer is a ``brushlabels`` region of
    the control ``brush`` and, when ``box`` names a RectangleLabels control, the mask's bounding box. The
    label is ``label``, else the first label of the clicked items. An empty mask answers nothing.
    """

    def assist(task: dict[str, Any], context: dict[str, Any]) -> list[dict[str, Any]]:
        items = context.get("result") or []
        if not items:
            return []
        rgb = _rgb(read_image(task))
        height, width = rgb.shape[:2]
        positive: list[tuple[int, int]] = []
        negative: list[tuple[int, int]] = []
        limit: tuple[int, int, int, int] | None = None
        for item in items:
            value = item["value"]
            if item["type"].startswith("rectangle"):
                r0, c0 = _pixel(value, width, height)
                r1 = min(height, max(r0 + 1, round((value["y"] + value["height"]) / 100 * height)))
                c1 = min(width, max(c0 + 1, round((value["x"] + value["width"]) / 100 * width)))
                limit = (r0, c0, r1, c1)
            else:
                (positive if item.get("is_positive", True) else negative).append(_pixel(value, width, height))
        if not positive and limit is not None:
            positive.append(((limit[0] + limit[2]) // 2, (limit[1] + limit[3]) // 2))
        mask = segment(rgb, positive, negative, tolerance, limit)
        if not mask.any():
            return []
        first = items[0]
        clicked = first["value"].get(first["type"])
        chosen = label or (clicked[0] if isinstance(clicked, list) and clicked else None)
        labels = [chosen] if chosen else []
        common = {
            "to_name": first["to_name"],
            "original_width": width,
            "original_height": height,
            "image_rotation": 0,
        }
        out = [
            {
                "id": f"{first['id']}-mask",
                "from_name": brush,
                "type": "brushlabels",
                "value": {"format": "rle", "rle": mask_to_rle(mask), "brushlabels": labels},
                **common,
            }
        ]
        if box is not None:
            rows = np.flatnonzero(mask.any(axis=1))
            cols = np.flatnonzero(mask.any(axis=0))
            out.append(
                {
                    "id": f"{first['id']}-box",
                    "from_name": box,
                    "type": "rectanglelabels",
                    "value": {
                        "x": float(cols[0] / width * 100),
                        "y": float(rows[0] / height * 100),
                        "width": float((cols[-1] + 1 - cols[0]) / width * 100),
                        "height": float((rows[-1] + 1 - rows[0]) / height * 100),
                        "rotation": 0,
                        "rectanglelabels": labels,
                    },
                    **common,
                }
            )
        return out

    return assist


# -- text ---------------------------------------------------------------------------------------------

#: a word: letters, digits and underscores, with inner apostrophes and hyphens (``O'Neil``, ``re-run``)
WORD = r"\w+(?:['\u2019-]\w+)*"


def occurrence_assistant(
    read_text: Callable[[dict[str, Any]], str], *, labels: str, label: str | None = None, word: str = WORD
) -> AssistFunction:
    """An assistant for text: a selection (a smart span) grows to the whole words it touches, and every
    occurrence of those words in the text becomes a span of the ``labels`` control, with ``label`` or the
    selection's own label. ``read_text(task)`` gives the task's text; offsets are code points, as Label
    Studio stores them (Python's ``text[start:end]``)."""
    words = re.compile(word)

    def assist(task: dict[str, Any], context: dict[str, Any]) -> list[dict[str, Any]]:
        text = read_text(task)
        out: list[dict[str, Any]] = []
        seen: set[tuple[int, int]] = set()
        for item in context.get("result") or []:
            value = item["value"]
            if item["type"] != "labels" or not item.get("is_positive", True):
                continue
            start, end = int(value["start"]), int(value["end"])
            for match in words.finditer(text):
                if match.start() < end and match.end() > start:
                    start, end = min(start, match.start()), max(end, match.end())
            phrase = text[start:end].strip()
            if not phrase:
                continue
            chosen = label or next(iter(value.get("labels") or []), None)
            pattern = re.compile(rf"(?<!\w){re.escape(phrase)}(?!\w)")
            for n, found in enumerate(pattern.finditer(text)):
                span = (found.start(), found.end())
                if span in seen:
                    continue
                seen.add(span)
                out.append(
                    {
                        "id": f"{item['id']}-{n}",
                        "from_name": labels,
                        "to_name": item["to_name"],
                        "type": "labels",
                        "value": {
                            "start": span[0],
                            "end": span[1],
                            "text": found.group(),
                            "labels": [chosen] if chosen else [],
                        },
                    }
                )
        return out

    return assist
