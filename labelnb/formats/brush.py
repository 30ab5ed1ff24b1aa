"""Label Studio's brush masks (reference C.6): the RLE codec, masks, their outlines and polygons as masks.

A ``brushlabels`` value holds ``rle``: the run-length code (thi.ng ``rle-pack``, 8-bit words) of the
image's RGBA pixels, row-major, whose alpha channel is the mask. :func:`decode_rle` and
:func:`encode_rle` are the codec; :func:`rle_to_mask` checks a value against its image size;
:func:`mask_contours` gives a mask's outer outlines as OpenCV's ``findContours`` does (label-studio-sdk's
``brush_to_coco`` uses it), :func:`brush_polygons` the same in percent of the image (for YOLO segments);
:func:`polygon_mask` draws a polygon region as a mask (for exporting polygons as PNG masks).

Outlines need OpenCV (``pip install 'labelnb[masks]'``); the rest needs only NumPy.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

Array = npt.NDArray[Any]

#: the most values one mask may hold (RGBA of a 20,000 x 20,000 image); a larger header is refused
#: before anything is allocated
MAX_VALUES = 4 * 20_000 * 20_000


class BrushError(ValueError):
    """A brush value that cannot be decoded, or that does not fit its image."""


#: the length-field sizes (in bits) of Label Studio's brush RLE, as its encoders write them
RLE_SIZES = (3, 4, 8, 16)
_LONGEST = 1 << 16  # the longest block a 16-bit length field holds


# -- Label Studio's brush RLE -------------------------------------------------------------------------


def encode_rle(values: Array) -> list[int]:
    """Label Studio's RLE (thi.ng rle-pack, 8-bit words) of a flat array of byte values, as a list of bytes.

    Runs of two or more equal values are run blocks, single values gather into literal blocks; no block
    is longer than 65,536 values.
    """
    flat = np.ascontiguousarray(values, dtype=np.uint8).ravel()
    fields: list[str] = [format(flat.size, "032b"), format(7, "05b")]
    fields.extend(format(size - 1, "04b") for size in RLE_SIZES)

    def length_field(n: int) -> str:
        for k, bits in enumerate(RLE_SIZES):
            if n - 1 < 1 << bits:
                return format(k, "02b") + format(n - 1, f"0{bits}b")
        raise AssertionError("blocks are split at 65,536 values")

    if flat.size:
        starts = np.flatnonzero(np.diff(flat)) + 1
        bounds = np.concatenate(([0], starts, [flat.size]))
        literals: list[int] = []

        def flush() -> None:
            for at in range(0, len(literals), _LONGEST):
                chunk = literals[at : at + _LONGEST]
                fields.append("0" + length_field(len(chunk)))
                fields.extend(format(v, "08b") for v in chunk)
            literals.clear()

        for start, end in zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
            value = int(flat[start])
            length = end - start
            if length == 1:
                literals.append(value)
                continue
            flush()
            while length:
                n = min(length, _LONGEST)
                fields.append("1" + length_field(n) + format(value, "08b"))
                length -= n
        flush()
    bits = "".join(fields)
    bits += "0" * (-len(bits) % 8)
    packed = np.packbits(np.frombuffer(bits.encode("ascii"), dtype=np.uint8) - ord("0"))
    return [int(b) for b in packed]


def mask_to_rle(mask: Array) -> list[int]:
    """The RLE of a 2-D mask as a brush region stores it: every pixel as RGBA, 255 where the mask is set."""
    alpha = np.where(np.asarray(mask, dtype=bool), 255, 0).astype(np.uint8)
    return encode_rle(np.repeat(alpha.ravel(), 4))


def decode_rle(rle: bytes | Sequence[int], *, expected: int | None = None) -> Array:
    """The flat byte values an RLE holds (``uint8``).

    Args:
        rle: the bytes (a ``bytes`` or the JSON list of ints).
        expected: the number of values it must hold (width x height x 4), checked before decoding.

    Raises:
        BrushError: for a header past :data:`MAX_VALUES` or ``expected``, a truncated stream, or bytes
            that are not 0 to 255.
    """
    try:
        data = np.frombuffer(bytes(rle), dtype=np.uint8)
    except (TypeError, ValueError) as exc:
        raise BrushError(f"an RLE is a list of bytes (0 to 255): {exc}") from exc
    bits = np.unpackbits(data)
    # one byte per bit as ASCII '0'/'1': int(text[a:b], 2) then reads any field in C
    text = (bits + ord("0")).tobytes()
    total = len(text)
    if total < 53:
        raise BrushError("an RLE needs its 53-bit header")
    num = int(text[0:32], 2)
    word = int(text[32:37], 2) + 1
    sizes = [int(text[37 + 4 * k : 41 + 4 * k], 2) + 1 for k in range(4)]
    if num > MAX_VALUES:
        raise BrushError(f"the RLE says {num:,} values, more than the {MAX_VALUES:,} a mask may hold")
    if expected is not None and num != expected:
        raise BrushError(f"the RLE holds {num:,} values where the image needs {expected:,}")
    if word != 8:
        raise BrushError(f"brush RLEs have 8-bit words, this one {word}-bit")
    weights = 1 << np.arange(7, -1, -1, dtype=np.uint16)
    out = np.empty(num, dtype=np.uint8)
    i, pos = 0, 53
    while i < num:
        if pos + 3 > total:
            raise BrushError(f"the RLE ends after {i:,} of its {num:,} values")
        repeat = text[pos] == 49  # '1'
        size = sizes[int(text[pos + 1 : pos + 3], 2)]
        pos += 3
        if pos + size > total:
            raise BrushError(f"the RLE ends after {i:,} of its {num:,} values")
        n = int(text[pos : pos + size], 2) + 1
        pos += size
        n = min(n, num - i)
        width = 8 if repeat else 8 * n
        if pos + width > total:
            raise BrushError(f"the RLE ends after {i:,} of its {num:,} values")
        if repeat:
            out[i : i + n] = int(text[pos : pos + 8], 2)
        else:
            out[i : i + n] = bits[pos : pos + width].reshape(n, 8) @ weights
        pos += width
        i += n
    return out


def rle_to_mask(rle: bytes | Sequence[int], width: int, height: int) -> Array:
    """The mask (``uint8``, height x width: the alpha channel, 0 to 255) of a brush value's RLE."""
    if not (isinstance(width, int) and isinstance(height, int)) or width <= 0 or height <= 0:
        raise BrushError(f"a brush mask needs a positive integer image size, not {width!r} x {height!r}")
    if width * height * 4 > MAX_VALUES:
        raise BrushError(f"an image of {width} x {height} is larger than a brush mask may be")
    values = decode_rle(rle, expected=width * height * 4)
    return values.reshape(height, width, 4)[:, :, 3]


def _cv2() -> Any:
    try:
        import cv2  # type: ignore[import-not-found,unused-ignore]
    except ImportError as exc:  # pragma: no cover - the test environment has it
        raise ImportError(
            "outlines of brush masks need OpenCV: pip install 'labelnb[masks]' (opencv-python-headless)"
        ) from exc
    return cv2


def mask_contours(mask: Array) -> list[Array]:
    """The outer outlines of a mask's shapes, as ``findContours(RETR_EXTERNAL, CHAIN_APPROX_SIMPLE)``
    gives them: one ``(n, 2)`` int array of pixel corners per shape, in OpenCV's order."""
    cv2 = _cv2()
    contours, _ = cv2.findContours(np.ascontiguousarray(mask, dtype=np.uint8), cv2.RETR_EXTERNAL,
                                   cv2.CHAIN_APPROX_SIMPLE)  # fmt: skip
    return [c.reshape(-1, 2) for c in contours]


def contour_box_and_area(contour: Array) -> tuple[list[int], float]:
    """OpenCV's ``boundingRect`` ``[x, y, w, h]`` and ``contourArea`` of one outline."""
    cv2 = _cv2()
    points = contour.reshape(-1, 1, 2)
    x, y, w, h = cv2.boundingRect(points)
    return [int(x), int(y), int(w), int(h)], float(cv2.contourArea(points))


def brush_polygons(value: dict[str, Any], width: int, height: int) -> list[list[list[float]]]:
    """The outlines of a brush value's mask as polygons in percent of the image (three points or more)."""
    mask = rle_to_mask(value["rle"], width, height)
    return [
        [[float(x) * 100 / width, float(y) * 100 / height] for x, y in contour.tolist()]
        for contour in mask_contours(mask)
        if len(contour) >= 3
    ]


def polygon_mask(points: Sequence[Sequence[float]], width: int, height: int) -> Array:
    """A polygon given in percent of the image, filled into a ``uint8`` mask (255 inside).

    A pixel is inside when its centre is inside the polygon (even-odd rule), as a canvas fills a path
    without antialiasing, so the mask covers what the editor drew.
    """
    poly = np.asarray(points, dtype=np.float64).reshape(-1, 2) * [width / 100, height / 100]
    if len(poly) < 3 or not np.isfinite(poly).all():
        raise BrushError("a polygon needs three or more finite points")
    mask = np.zeros((height, width), dtype=np.uint8)
    ys = np.arange(height) + 0.5
    x0, y0 = poly[:, 0], poly[:, 1]
    x1, y1 = np.roll(x0, -1), np.roll(y0, -1)
    for row, y in enumerate(ys):
        crosses = (y0 <= y) != (y1 <= y)
        if not crosses.any():
            continue
        xs = np.sort(
            x0[crosses] + (y - y0[crosses]) * (x1[crosses] - x0[crosses]) / (y1[crosses] - y0[crosses])
        )
        for left, right in zip(xs[::2], xs[1::2], strict=False):
            start = max(0, int(np.ceil(left - 0.5)))
            stop = min(width, int(np.floor(right - 0.5)) + 1)
            if stop > start:
                mask[row, start:stop] = 255
    return mask
