"""What the COCO, YOLO and VOC writers share: the image key, category ids, image file names, checked numbers.

These follow label-studio-sdk's converter (``Converter._get_labels``, ``keypoints.py``, its media cache
names); where the converter would crash on a bad value or silently drop it, :class:`Shapes` raises an
:class:`ExportDataError` naming the task, the annotation and the field.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import math
import posixpath
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from labelnb.config import LabelConfig

from .converter import AnnotationItem
from .writing import ExportDataError, ExportRequest

#: where the ``*_with_images`` formats put images, as the converter does
IMAGES_FOLDER = "images"


def explicit_controls(config: LabelConfig) -> list[Any]:
    """The controls the converter sees: those that name their object (``toName``), in document order."""
    return [c for c in config.controls.values() if c.to_name and not c.to_name_implied]


def image_key(config: LabelConfig) -> str:
    """The task data key holding the image (the offer rules leave exactly one for these formats)."""
    for control in explicit_controls(config):
        for name in control.to_name:
            obj = config.objects.get(name)
            if obj is not None and obj.value_key:
                return obj.value_key
    raise ValueError("this config names no image for its shapes, so it has no image export")


def flag_option(request: ExportRequest, name: str) -> bool:
    """A yes/no format option (False when not given); a ValueError for anything but a bool, so that a
    command line's ``keep_empty_images=False`` (text, not JSON) is never read as true."""
    value = request.options.get(name, False)
    if not isinstance(value, bool):
        raise ValueError(f"the option {name} is true or false, not {value!r}")
    return value


def image_value(item: AnnotationItem, key: str) -> str:
    """The task's image (``data[key]``), a non-empty string, or an ExportDataError."""
    value = (item.task.get("data") or {}).get(key)
    if not isinstance(value, str) or not value:
        raise ExportDataError(
            f"the task has no image in data[{key!r}] (found {value!r})",
            task=item.task.get("id"),
            field=f"data.{key}",
        )
    return value


# -- categories (Converter._get_labels and keypoints.py) ---------------------------------------------------


def config_categories(config: LabelConfig) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """The converter's categories of every label of every control: a label with a numeric ``category``
    attribute keeps that id, the others take the lowest free ids in alphabetical order."""
    categories: list[dict[str, Any]] = []
    ids: dict[str, int] = {}
    labels: set[str] = set()
    for control in explicit_controls(config):
        labels.update(control.labels)
        for label, attrs in control.label_attrs.items():
            raw = attrs.get("category")
            if raw is None:
                continue
            try:
                category = int(raw)
            except (TypeError, ValueError):
                continue  # the converter logs and ignores a category that is not a number
            categories.append({"id": category, "name": label})
            ids[label] = category
    used = set(ids.values())
    free = (n for n in itertools.count() if n not in used)
    for label, category in zip(sorted(labels - set(ids)), free, strict=False):
        categories.append({"id": category, "name": label})
        ids[label] = category
    return categories, ids


def labels_of(config: LabelConfig, tag: str) -> list[str]:
    """The labels of the controls of one tag (``"KeyPointLabels"``), in document order, each once."""
    out: dict[str, None] = {}
    for control in explicit_controls(config):
        if control.tag == tag:
            out.update(dict.fromkeys(control.labels))
    return list(out)


def keypoint_order(config: LabelConfig) -> list[str]:
    """Key point labels in the order of their ``model_index`` attributes (the converter's ``build_kp_order``).

    Beyond the converter, which refuses the export then: when no label has a ``model_index`` the labels
    keep the config's order.
    """
    attrs: dict[str, Mapping[str, str]] = {}
    for control in explicit_controls(config):
        if control.tag == "KeyPointLabels":
            attrs.update(control.label_attrs)
    pairs: list[tuple[int, str]] = []
    used: set[int] = set()
    for name, a in attrs.items():
        try:
            index = int(a.get("model_index"))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            continue
        if index not in used:
            pairs.append((index, name))
            used.add(index)
    if not pairs:
        return labels_of(config, "KeyPointLabels")
    return [name for _, name in sorted(pairs)]


# -- image file names ---------------------------------------------------------------------------------------


def served_by_label_studio(value: str) -> bool:
    """True for values only a Label Studio server resolves (uploads, local storage, cloud URIs): the
    converter leaves those names as they are when it cannot download them."""
    return (
        value.startswith(("s3:", "gs:", "azure-blob:", "upload", "/upload", "/data/upload"))
        or (value.startswith("/data/") and "?d=" in value)
        or (
            "storage-data/uploaded" in value
            and _url_path(value).lstrip("/").startswith("storage-data/uploaded")
        )
    )


def _url_path(value: str) -> str:
    # a plain path is its own URL path: skips urlparse for the common case (it costs more than the rest)
    if ":" not in value and "?" not in value and "#" not in value:
        return value
    return urlparse(value).path


def cached_name(value: str) -> str:
    """``images/<8 hex of md5(value)>__<file name>``: where the converter caches a downloaded image, and the
    ``file_name`` it writes for it (the hash keeps two ``a.jpg`` of different folders apart)."""
    digest = hashlib.md5(value.encode(), usedforsecurity=False).hexdigest()[:8]
    return f"{IMAGES_FOLDER}/{digest}__{posixpath.basename(_url_path(value))}"


@dataclass
class CopiedImage:
    """An image the writer copied into ``images/``: its name in the output and its size in pixels."""

    name: str
    width: int
    height: int
    channels: int


class ImageCopier:
    """Copies each task's image into ``images/`` once (through the request's media reader) and reads its
    size; remembers the last image only, since one task's annotations come one after another."""

    def __init__(self, request: ExportRequest) -> None:
        self.request = request
        self._last: tuple[str, CopiedImage] | None = None

    def copy(self, item: AnnotationItem, value: str) -> CopiedImage:
        """The copy of ``value``, made now or for the previous annotation of the same image."""
        if self._last is not None and self._last[0] == value:
            return self._last[1]
        body = read_media(self.request, item, value)
        width, height, channels = image_header(body, item, value)
        name = cached_name(value)
        self.request.output.write_bytes(name, body)
        copied = CopiedImage(name, width, height, channels)
        self._last = (value, copied)
        return copied


def read_media(request: ExportRequest, item: AnnotationItem, value: str) -> bytes:
    """The bytes of a task's image, or an ExportDataError saying how to allow it."""
    if request.media is None:
        raise ExportDataError(
            f"cannot read the image {value!r}: this export has no media reader",
            task=item.task.get("id"),
        )
    try:
        return request.media(value)
    except Exception as exc:  # the reader's own errors (refused by the allow-list, missing...) say why
        raise ExportDataError(
            f"cannot read the image: {exc} (allow its folder or bucket with media_roots= or allow_media=)",
            task=item.task.get("id"),
        ) from exc


def image_header(body: bytes, item: AnnotationItem, value: str) -> tuple[int, int, int]:
    """Width, height and channel count of an image file (its header only)."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(body)) as image:
            return image.size[0], image.size[1], len(image.getbands())
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        raise ExportDataError(
            f"{value!r} is not an image Pillow can read: {exc}", task=item.task.get("id")
        ) from exc


# -- checked values -----------------------------------------------------------------------------------------


class Shapes:
    """Reads the numbers of one annotation's shape values, raising an ExportDataError that names the task,
    the annotation and the field for a missing or non-finite number or a missing image size."""

    def __init__(self, item: AnnotationItem) -> None:
        self.item = item

    def error(self, message: str, where: str) -> ExportDataError:
        """An ExportDataError about field ``where`` of this annotation."""
        annotation = self.item.annotation.get("id") if self.item.annotation is not None else None
        return ExportDataError(message, task=self.item.task.get("id"), annotation=annotation, field=where)

    def number(self, value: Mapping[str, Any], key: str, where: str, default: float | None = None) -> float:
        """``value[key]`` as a finite number (``default`` when it is absent and a default is given)."""
        raw = value.get(key, default)
        if _finite(raw):
            return raw  # type: ignore[no-any-return]
        raise self.error(f"{key} must be a finite number, not {raw!r}", f"{where}.{key}")

    def box(self, value: Mapping[str, Any], where: str) -> tuple[float, float, float, float, float]:
        """A box's ``x``, ``y``, ``width``, ``height`` and ``rotation`` (0 when absent), each finite."""
        get = value.get
        x: Any = get("x")
        y: Any = get("y")
        w: Any = get("width")
        h: Any = get("height")
        r: Any = get("rotation", 0.0)
        if _finite(x) and _finite(y) and _finite(w) and _finite(h) and _finite(r):
            return x, y, w, h, r
        for key in ("x", "y", "width", "height", "rotation"):
            self.number(value, key, where, default=0.0 if key == "rotation" else None)  # raises
        raise AssertionError("unreachable")

    def size(self, value: Mapping[str, Any], where: str) -> tuple[Any, Any]:
        """The image size the region was drawn on (``original_width``, ``original_height``), positive."""
        width: Any = value.get("original_width")
        height: Any = value.get("original_height")
        if _finite(width) and _finite(height) and width > 0 and height > 0:
            return width, height
        key, raw = (
            ("original_width", width) if not (_finite(width) and width > 0) else ("original_height", height)
        )
        raise self.error(
            f"a region needs its image's {key} (a positive number), not {raw!r}", f"{where}.{key}"
        )

    def points(self, value: Mapping[str, Any], where: str) -> list[tuple[float, float]]:
        """A polygon's ``points`` as finite ``(x, y)`` percent pairs."""
        raw = value.get("points")
        if not isinstance(raw, list):
            raise self.error(f"a polygon needs a list of points, not {raw!r}", f"{where}.points")
        out = []
        for k, point in enumerate(raw):
            if not (isinstance(point, (list, tuple)) and len(point) >= 2):
                raise self.error(f"a point is [x, y], not {point!r}", f"{where}.points[{k}]")
            x, y = point[0], point[1]
            for c in (x, y):
                if isinstance(c, bool) or not isinstance(c, (int, float)) or not math.isfinite(c):
                    raise self.error(f"a point is two finite numbers, not {point!r}", f"{where}.points[{k}]")
            out.append((x, y))
        return out


def _finite(raw: Any) -> bool:
    # exact type checks first: this runs for every number of every region of an export
    kind = type(raw)
    if kind is int:
        return True
    if kind is float:
        return math.isfinite(raw)
    return isinstance(raw, (int, float)) and not isinstance(raw, bool) and math.isfinite(raw)


def box_corners(x: float, y: float, w: float, h: float, degrees: float) -> list[tuple[float, float]]:
    """The four corners of a box (pixels) rotated ``degrees`` clockwise about its top-left corner, as Label
    Studio draws it: top-left, top-right, bottom-right, bottom-left."""
    theta = math.radians(degrees)
    cos, sin = math.cos(theta), math.sin(theta)
    return [
        (x, y),
        (x + w * cos, y + w * sin),
        (x + w * cos - h * sin, y + w * sin + h * cos),
        (x - h * sin, y + h * cos),
    ]
