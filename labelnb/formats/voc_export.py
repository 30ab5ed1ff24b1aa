"""The ``voc`` export (Pascal VOC), as label-studio-sdk's ``Converter.convert_to_voc`` writes it: one
``Annotations/<image>.xml`` per annotated task and an ``images/`` folder, which holds the images with
``with_images=True`` (the converter's ``download_resources``; read through the request's media reader, and
the XML's ``depth`` is then the image's channel count, 3 otherwise).

As the converter: boxes only (``rectanglelabels``, or ``labels`` on a rectangle), the first label of each
as its ``name``, pixel corners truncated to integers (``xmax = xmin + int(width)``); the image size is the
regions' ``original_width``/``original_height``; the file is named after the image as the converter caches
it (``<8 hex>__<stem>.xml``); tasks without annotations get no file; when a task has several annotations
each is written over the last, so the oldest one's stays. Beyond it:

- a rotated box is written as the bounds of its rotated corners (the converter ignores the rotation);
- the image size comes from the first region that has one (the converter looks at the first result only,
  and drops the whole task without a word when that is a Choices answer);
- a box's missing or non-finite number, or a box in a task where no region gives the image size, is an
  ExportDataError naming the task, annotation and field.
"""

from __future__ import annotations

import itertools
import posixpath
import xml.dom.minidom
from collections.abc import Iterator
from typing import Any

from .converter import AnnotationItem, annotation_items
from .image_export import (
    IMAGES_FOLDER,
    ImageCopier,
    Shapes,
    box_corners,
    cached_name,
    flag_option,
    image_key,
    image_value,
    served_by_label_studio,
)
from .writing import ExportRequest

_OPTIONS = ("with_images",)


def _annotator(item: AnnotationItem) -> str:
    completed_by = (item.annotation or {}).get("completed_by", {})
    if isinstance(completed_by, dict):
        return str(completed_by.get("email") or "")
    return str(completed_by)


class _VocWriter:
    def __init__(self, request: ExportRequest) -> None:
        request.check_options(_OPTIONS)
        self.request = request
        self.key = image_key(request.config)
        self.copier = ImageCopier(request) if flag_option(request, "with_images") else None
        self.written = 0

    def task(self, items: list[AnnotationItem]) -> None:
        value = image_value(items[0], self.key)
        depth = 3
        if self.copier is not None:
            copied = self.copier.copy(items[0], value)
            image, depth = copied.name, copied.channels
        elif served_by_label_studio(value):
            image = value  # the converter cannot cache these without a server: it keeps their names
        else:
            image = cached_name(value)
        image_name = posixpath.basename(image)
        # items come newest first and the converter writes each over the last: the oldest one stays
        documents = [doc for item in items if (doc := self.document(item, image_name, depth)) is not None]
        if documents:
            name = f"Annotations/{posixpath.splitext(image_name)[0]}.xml"
            self.request.output.write_bytes(name, documents[-1])
            self.written += 1

    def document(self, item: AnnotationItem, image_name: str, depth: int) -> bytes | None:
        if not item.outputs:
            return None
        check = Shapes(item)
        values = [(f"{name}[{k}]", v) for name, vs in item.outputs.items() for k, v in enumerate(vs)]
        boxes = list(self.boxes(values))
        sized = next(((w, v) for w, v in values if "original_width" in v and "original_height" in v), None)
        if sized is None:
            if boxes:
                check.size(boxes[0][1], boxes[0][0])  # raises: a box needs its image's size
            return None  # nothing but answers without a size: no file, as the converter
        width, height = check.size(sized[1], sized[0])
        doc = xml.dom.minidom.getDOMImplementation().createDocument(None, "annotation", None)
        root = doc.documentElement

        def child(parent: Any, tag: str, text: str | None = None) -> Any:
            node = doc.createElement(tag)
            if text is not None:
                node.appendChild(doc.createTextNode(text))
            parent.appendChild(node)
            return node

        child(root, "folder", IMAGES_FOLDER)
        child(root, "filename", image_name)
        source = child(root, "source")
        for tag, text in (("database", "MyDatabase"), ("annotation", "COCO2017"), ("image", "flickr"),
                          ("flickrid", "NULL"), ("annotator", _annotator(item))):  # fmt: skip
            child(source, tag, text)
        owner = child(root, "owner")
        child(owner, "flickrid", "NULL")
        child(owner, "name", "Label Studio")
        size = child(root, "size")
        child(size, "width", str(width))
        child(size, "height", str(height))
        child(size, "depth", str(depth))
        child(root, "segmented", "0")
        for where, value in boxes:
            xmin, ymin, xmax, ymax = self.corners(check, value, where, width, height)
            obj = child(root, "object")
            child(obj, "name", str(value["rectanglelabels" if "rectanglelabels" in value else "labels"][0]))
            child(obj, "pose", "Unspecified")
            child(obj, "truncated", "0")
            child(obj, "difficult", "0")
            bndbox = child(obj, "bndbox")
            for tag, n in (("xmin", xmin), ("ymin", ymin), ("xmax", xmax), ("ymax", ymax)):
                child(bndbox, tag, str(n))
        return bytes(doc.toprettyxml(indent="", newl="\n", encoding="utf-8"))

    @staticmethod
    def boxes(values: list[tuple[str, dict[str, Any]]]) -> Iterator[tuple[str, dict[str, Any]]]:
        for where, value in values:
            key = (
                "rectanglelabels" if "rectanglelabels" in value else ("labels" if "labels" in value else None)
            )
            if key is None or not value[key]:
                continue
            if key == "labels" and not all(c in value for c in ("x", "y")):
                continue  # Labels without a box
            yield where, value

    @staticmethod
    def corners(
        check: Shapes, value: dict[str, Any], where: str, width: Any, height: Any
    ) -> tuple[int, int, int, int]:
        x = check.number(value, "x", where) / 100 * width
        y = check.number(value, "y", where) / 100 * height
        w = check.number(value, "width", where) / 100 * width
        h = check.number(value, "height", where) / 100 * height
        rotation = check.number(value, "rotation", where, default=0.0)
        if rotation:
            points = box_corners(x, y, w, h, rotation)
            xs, ys = [p[0] for p in points], [p[1] for p in points]
            x, y, w, h = min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)
        left, top = int(x), int(y)
        return left, top, left + int(w), top + int(h)


def write_voc(request: ExportRequest) -> int:
    """``voc``: ``Annotations/*.xml`` and ``images/``; returns the number of XML files written."""
    writer = _VocWriter(request)
    for folder in (IMAGES_FOLDER, "Annotations"):
        request.output.fs.makedirs(request.output.join(folder), exist_ok=True)
    items = annotation_items(request.counted(), request.config)
    for _, group in itertools.groupby(items, key=lambda item: id(item.task)):
        writer.task(list(group))
    return writer.written
