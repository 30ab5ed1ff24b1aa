"""The ``yolo``, ``yolo_with_images``, ``yolo_obb`` and ``yolo_obb_with_images`` exports, as label-studio-sdk's
``Converter.convert_to_yolo`` (and ``exports/yolo.py``) writes them: ``labels/<image>.txt`` per task,
``classes.txt``, ``notes.json`` and an ``images/`` folder (holding the images for the ``*_with_images``
formats, read through the request's media reader).

As the converter: a box is ``cls xc yc w h`` (normalised; rotation ignored), an oriented box (``yolo_obb``)
``cls x1 y1 ... x4 y4`` (its corners, rotated about the top-left corner in pixels), a polygon
``cls x1 y1 ...``; a region with several labels gives one line per label; a task without annotations an
empty file. With ``KeyPointLabels`` in the config the export is pose: per box ``cls xc yc w h`` then
``x y 2`` for each of its key points (``parentID``) in ``model_index`` order, ``0.0 0.0 0`` for those
missing. Label files are named after the image as the converter caches it (``<8 hex>__<stem>.txt``,
the ``images/`` name without its extension). When a task has several annotations the converter writes each
over the last, so the oldest one's lines stay; this does the same.

Beyond the converter:

- brush masks become segment lines, one per outline of the mask (Label Studio's issue #6556);
- ``classes.txt`` holds only the classes of shapes (boxes, polygons, brushes, key point skeletons), line
  *n* for class *n* (#243: the converter lists every label of the config, Choices too, and in an order that
  breaks the line-number rule as soon as a label has a ``category``); a gap left by ``category`` ids is a
  line ``unused_<n>``;
- a box's missing or non-finite number, or an oriented box or mask without its image size, is an
  ExportDataError naming the task, annotation and field (the converter skips such regions silently).

Nothing but the current task's lines is held in memory.
"""

from __future__ import annotations

import itertools
import posixpath
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from typing import Any

import orjson

from . import brush
from .converter import AnnotationItem, annotation_items
from .image_export import (
    IMAGES_FOLDER,
    ImageCopier,
    Shapes,
    box_corners,
    cached_name,
    explicit_controls,
    image_key,
    image_value,
    keypoint_order,
    labels_of,
    served_by_label_studio,
)
from .output import StagedFolder
from .writing import ExportRequest

#: control tags whose labels are classes of shapes in a YOLO export (``Labels`` too, when on an image)
_SHAPE_TAGS = ("RectangleLabels", "PolygonLabels", "BrushLabels")
_LABEL_KEYS = ("rectanglelabels", "polygonlabels", "labels")


def shape_categories(request: ExportRequest) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """The classes of shapes, numbered as the converter numbers categories (``category`` attributes keep
    their ids, the other labels take the lowest free ids in alphabetical order), sorted by id."""
    config = request.config
    labels: set[str] = set()
    ids: dict[str, int] = {}
    for control in explicit_controls(config):
        on_image = any(getattr(config.objects.get(n), "tag", None) == "Image" for n in control.to_name)
        if not (control.tag in _SHAPE_TAGS or (control.tag == "Labels" and on_image)):
            continue
        labels.update(control.labels)
        for label, attrs in control.label_attrs.items():
            try:
                ids[label] = int(attrs["category"])
            except (KeyError, TypeError, ValueError):
                continue
    used = set(ids.values())
    free = (n for n in itertools.count() if n not in used)
    ids.update(zip(sorted(labels - set(ids)), free, strict=False))
    categories: list[dict[str, Any]] = [
        {"id": i, "name": name} for name, i in sorted(ids.items(), key=lambda pair: pair[1])
    ]
    return categories, ids


def pose_categories(request: ExportRequest) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Pose classes as the converter makes them: the box labels in config order, each listing the key points."""
    points = labels_of(request.config, "KeyPointLabels")
    boxes = labels_of(request.config, "RectangleLabels")
    return [{"id": i, "name": b, "keypoints": points} for i, b in enumerate(boxes)], {
        b: i for i, b in enumerate(boxes)
    }


def _text(values: Iterable[Any]) -> str:
    return " ".join(map(str, values))  # Python's repr of floats, as the converter writes them


class _YoloWriter:
    def __init__(self, request: ExportRequest, *, obb: bool, with_images: bool) -> None:
        request.check_options(())
        self.request = request
        self.obb = obb
        self.key = image_key(request.config)
        self.pose = any(c.tag == "KeyPointLabels" for c in explicit_controls(request.config))
        if self.pose:
            self.categories, self.ids = pose_categories(request)
        else:
            self.categories, self.ids = shape_categories(request)
        self.kp_order = keypoint_order(request.config)
        self.copier = ImageCopier(request) if with_images else None
        self.lines = 0
        self.files: StagedFolder  # set by the writer function: labels/

    def label_name(self, item: AnnotationItem, value: str) -> str:
        if self.copier is not None:
            image = self.copier.copy(item, value).name
        elif served_by_label_studio(value):
            image = value  # the converter cannot cache these without a server: it keeps their names
        else:
            image = cached_name(value)
        stem = posixpath.splitext(image[image.rfind("/") + 1 :])[0]  # the basename's stem
        return f"{stem[:251]}.txt"

    def category(self, name: str) -> int:
        found = self.ids.get(name)
        if found is None:  # a label the config does not list (dynamic labels) takes the next id
            found = self.ids[name] = max(self.ids.values(), default=-1) + 1
            self.categories.append({"id": found, "name": name})
        return found

    def task(self, items: list[AnnotationItem]) -> None:
        value = image_value(items[0], self.key)
        name = self.label_name(items[0], value)
        # items come newest first and the converter writes each over the last: the oldest one with a
        # result is what stays
        kept = next((item for item in reversed(items) if item.outputs), None)
        files = self.files
        if kept is None:
            # the converter never empties a file an earlier task wrote
            if not files.exists(name):
                files.write_bytes(name, b"")
            return
        lines = self.pose_lines(kept) if self.pose else list(self.shape_lines(kept))
        self.lines += len(lines)
        body = "\n".join(lines)
        if lines and not self.pose:  # the converter ends box lines with a newline, pose lines not
            body += "\n"
        files.write_bytes(name, body.encode())

    def shape_lines(self, item: AnnotationItem) -> Iterator[str]:
        check = Shapes(item)
        for from_name, values in item.outputs.items():
            tag = item.tags.get(from_name, "")
            for k, label in enumerate(values):
                where = f"{from_name}[{k}]"
                if tag == "BrushLabels" or ("rle" in label and "brushlabels" in label):
                    yield from self.brush_lines(check, label, where)
                    continue
                names = [n for key in _LABEL_KEYS if key in label for n in label[key]]
                if not names:
                    continue
                if "rectanglelabels" in label or "labels" in label:
                    if "rectanglelabels" not in label and not all(c in label for c in ("x", "y")):
                        continue  # Labels without a box (the converter finds no coordinates either)
                    coords = (
                        self.obb_corners(check, label, where) if self.obb else self.box(check, label, where)
                    )
                elif "points" in label:
                    coords = [c / 100 for point in check.points(label, where) for c in point]
                else:
                    continue
                for n in names:
                    yield _text([self.category(n), *coords])

    def box(self, check: Shapes, label: dict[str, Any], where: str) -> list[float]:
        x, y, w, h, _ = check.box(label, where)
        return [(x + w / 2) / 100, (y + h / 2) / 100, w / 100, h / 100]

    def obb_corners(self, check: Shapes, label: dict[str, Any], where: str) -> list[float]:
        w0, h0 = check.size(label, where)
        x, y, w, h, rotation = check.box(label, where)
        x, y, w, h = x / 100 * w0, y / 100 * h0, w / 100 * w0, h / 100 * h0
        return [c for cx, cy in box_corners(x, y, w, h, rotation) for c in (cx / w0, cy / h0)]

    def brush_lines(self, check: Shapes, label: dict[str, Any], where: str) -> Iterator[str]:
        names = label.get("brushlabels") or label.get("labels") or []
        if not names or "rle" not in label:
            return
        w0, h0 = check.size(label, where)
        if not (isinstance(w0, int) and isinstance(h0, int)):
            raise check.error("a brush mask needs whole-pixel image sizes", f"{where}.original_width")
        try:
            polygons = brush.brush_polygons(label, w0, h0)
        except brush.BrushError as exc:
            raise check.error(str(exc), f"{where}.rle") from exc
        for polygon in polygons:
            coords = [c / 100 for point in polygon for c in point]
            for n in names:
                yield _text([self.category(n), *coords])

    def pose_lines(self, item: AnnotationItem) -> list[str]:
        check = Shapes(item)
        boxes: dict[Any, dict[str, Any]] = {}
        # region ids and parents live on the result items, not in their values
        links: dict[str, list[tuple[Any, Any]]] = {}
        for result in (item.annotation or {}).get("result") or ():
            if result.get("from_name") in item.outputs:
                links.setdefault(result["from_name"], []).append((result.get("id"), result.get("parentID")))
        values = [(name, k, v, links[name][k]) for name, vs in item.outputs.items() for k, v in enumerate(vs)]
        for from_name, k, label, (region_id, _) in values:
            if item.tags.get(from_name, "").lower() != "rectanglelabels":
                continue
            names = label.get("rectanglelabels") or []
            if not names or names[0] not in self.ids:
                continue  # the converter leaves out boxes of labels that are no pose class
            where = f"{from_name}[{k}]"
            x, y = check.number(label, "x", where) / 100.0, check.number(label, "y", where) / 100.0
            w, h = check.number(label, "width", where) / 100.0, check.number(label, "height", where) / 100.0
            # the converter's pose arithmetic differs from its box lines' (x/100 + w/200): kept to the bit
            base = [self.ids[names[0]], x + w / 2.0, y + h / 2.0, w, h]
            boxes[region_id] = {"base": base, "points": {}}
        for from_name, k, label, (_, parent_id) in values:
            if item.tags.get(from_name, "").lower() != "keypointlabels":
                continue
            parent = boxes.get(parent_id)
            names = label.get("keypointlabels") or []
            if parent is None or not names:
                continue
            where = f"{from_name}[{k}]"
            parent["points"][names[0]] = (check.number(label, "x", where) / 100.0,
                                          check.number(label, "y", where) / 100.0, 2)  # fmt: skip
        return [
            _text([*b["base"], *(c for name in self.kp_order for c in b["points"].get(name, (0.0, 0.0, 0)))])
            for b in boxes.values()
        ]

    def finish(self) -> int:
        output = self.request.output
        output.fs.makedirs(output.join(IMAGES_FOLDER), exist_ok=True)
        output.fs.makedirs(output.join("labels"), exist_ok=True)
        classes = self.categories if self.pose else _contiguous(self.categories)
        output.write_bytes("classes.txt", "".join(f"{c['name']}\n" for c in classes).encode())
        notes = {"categories": self.categories,
                 "info": {"year": datetime.now().year, "version": "1.0", "contributor": "Label Studio"}}  # fmt: skip
        output.write_bytes("notes.json", orjson.dumps(notes, option=orjson.OPT_INDENT_2))
        return self.lines


def _contiguous(categories: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Categories by id, a placeholder ``unused_<n>`` for each id no label has, so line n is class n."""
    by_id = {c["id"]: c for c in categories}
    top = max(by_id, default=-1)
    return [by_id.get(n, {"id": n, "name": f"unused_{n}"}) for n in range(top + 1)]


def _by_task(items: Iterable[AnnotationItem]) -> Iterator[list[AnnotationItem]]:
    for _, group in itertools.groupby(items, key=lambda item: id(item.task)):
        yield list(group)


def _writer(*, obb: bool, with_images: bool) -> Callable[[ExportRequest], int]:
    def write(request: ExportRequest) -> int:
        writer = _YoloWriter(request, obb=obb, with_images=with_images)
        with StagedFolder(request.output, "labels") as writer.files:
            for items in _by_task(annotation_items(request.counted(lean=True), request.config)):
                writer.task(items)
        return writer.finish()

    return write


write_yolo = _writer(obb=False, with_images=False)
write_yolo_with_images = _writer(obb=False, with_images=True)
write_yolo_obb = _writer(obb=True, with_images=False)
write_yolo_obb_with_images = _writer(obb=True, with_images=True)
