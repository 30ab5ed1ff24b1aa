"""The ``coco`` and ``coco_with_images`` exports, as label-studio-sdk's ``Converter.convert_to_coco`` writes
them: ``result.json`` with ``images``, ``categories``, ``annotations`` and ``info``, and an ``images/``
folder (holding each task's image for ``coco_with_images``, read through the request's media reader).

As the converter: one image entry per annotation that holds a shape (so a task annotated twice has two),
ids counted from 0; boxes, polygons and key points (all key points of one annotation in one COCO
annotation of the ``default`` category, ordered by their labels' ``model_index``); categories from every
label of the config (``category`` attributes keep their ids, the rest in alphabetical order); tasks
without annotations are images of unknown size. Beyond it:

- a rotated box becomes the axis-aligned box of its rotated corners in pixels and a segmentation polygon
  of those 4 corners (the converter rotates in percent, wrong on any image that is not square, and fails
  on boxes of zero width: its issue #222);
- ``keep_empty_images=True`` gives every annotation an image entry, also those without shapes, with the
  image's size (from a region, else from the image file) — negative samples for training (#1470);
- a missing or non-finite number, or a shape without its image size, is an ExportDataError naming the task,
  annotation and field, where the converter crashes or drops the shape without a word.

Images and annotations go to temporary spools as tasks stream through, so memory stays bounded.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import numpy as np
import orjson

from .converter import AnnotationItem, annotation_items
from .image_export import (
    IMAGES_FOLDER,
    CopiedImage,
    ImageCopier,
    Shapes,
    box_corners,
    cached_name,
    config_categories,
    flag_option,
    image_header,
    image_key,
    image_value,
    keypoint_order,
    labels_of,
    read_media,
    served_by_label_studio,
)
from .spool import JsonArraySpool
from .writing import ExportRequest

_OPTIONS = ("keep_empty_images",)
_LABEL_KEYS = ("rectanglelabels", "polygonlabels", "keypointlabels", "labels")


def write_coco(request: ExportRequest) -> int:
    """``coco``: ``result.json`` and an empty ``images/`` folder; returns the number of COCO annotations."""
    return _write(request, with_images=False)


def write_coco_with_images(request: ExportRequest) -> int:
    """``coco_with_images``: as ``coco``, with each task's image copied into ``images/``."""
    return _write(request, with_images=True)


def coco_categories(request: ExportRequest) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """The converter's categories: every label's, key point labels merged into one ``default`` category
    (``keypoints`` listing them) whose id follows the others (``update_categories_for_keypoints``)."""
    categories, ids = config_categories(request.config)
    keypoints = labels_of(request.config, "KeyPointLabels")
    if not keypoints:
        return categories, ids
    kept = [c for c in categories if c["name"] not in keypoints]
    merged = max((c["id"] for c in kept), default=-1) + 1
    kept.append({"id": merged, "name": "default", "supercategory": "default", "keypoints": keypoints,
                 "skeleton": []})  # fmt: skip
    mapping = {c["name"]: c["id"] for c in kept[:-1]}
    mapping.update(dict.fromkeys(keypoints, merged))
    return kept, mapping


def _label_key(value: dict[str, Any]) -> str | None:
    """The converter's pick of a region's labels: the first of these keys holding any."""
    for key in _LABEL_KEYS:
        if value.get(key):
            return key
    return None


class _CocoWriter:
    def __init__(self, request: ExportRequest, with_images: bool) -> None:
        request.check_options(_OPTIONS)
        self.request = request
        self.with_images = with_images
        self.keep_empty = flag_option(request, "keep_empty_images")
        self.key = image_key(request.config)
        self.categories, self.category_ids = coco_categories(request)
        self.kp_order = keypoint_order(request.config)
        self.images = JsonArraySpool()
        self.annotations = JsonArraySpool()
        self.copier = ImageCopier(request) if with_images else None

    def close(self) -> None:
        self.images.close()
        self.annotations.close()

    def file_name(self, value: str) -> str:
        if self.with_images or not served_by_label_studio(value):
            return cached_name(value)
        return value  # the converter keeps what only a Label Studio server can resolve

    def category(self, name: str) -> int:
        found = self.category_ids.get(name)
        if found is None:  # a label the config does not list (dynamic labels): the next id, as the converter
            found = self.category_ids[name] = len(self.categories)
            self.categories.append({"id": found, "name": name})
        return found

    def add_image(self, image_id: int, width: Any, height: Any, file_name: str) -> None:
        self.images.add({"width": width, "height": height, "id": image_id, "file_name": file_name})

    def item(self, item: AnnotationItem) -> None:
        value = image_value(item, self.key)
        image_id = self.images.count
        file_name = self.file_name(value)
        copied: CopiedImage | None = None
        width: Any = None
        height: Any = None
        if self.copier is not None:
            copied = self.copier.copy(item, value)
            width, height = copied.width, copied.height
            self.add_image(image_id, width, height, file_name)
        if item.outputs:
            self.shapes(item, image_id, file_name, width, height)
        elif not width and not self.keep_empty:
            self.add_image(image_id, None, None, file_name)  # the converter's entry for an empty task
        if self.keep_empty and self.images.count == image_id:
            w, h = self.empty_image_size(item, value)
            self.add_image(image_id, w, h, file_name)

    def empty_image_size(self, item: AnnotationItem, value: str) -> tuple[Any, Any]:
        for values in item.outputs.values():
            for v in values:
                if v.get("original_width") and v.get("original_height"):
                    return v["original_width"], v["original_height"]
        width, height, _ = image_header(read_media(self.request, item, value), item, value)
        return width, height

    def shapes(self, item: AnnotationItem, image_id: int, file_name: str, width: Any, height: Any) -> None:
        check = Shapes(item)
        keypoints: list[tuple[dict[str, Any], str]] = []
        for from_name, values in item.outputs.items():
            for k, label in enumerate(values):
                where = f"{from_name}[{k}]"
                key = _label_key(label)
                if key is None:
                    continue  # no label: the converter skips the region
                is_box = "rectanglelabels" in label or "labels" in label
                has_box = "x" in label and "y" in label and "width" in label and "height" in label
                real_shape = (is_box and has_box) or (not is_box and key != "labels")
                if not height or not width:
                    if "original_width" not in label or "original_height" not in label:
                        if real_shape:
                            check.size(label, where)  # raises: a shape without its image size
                        continue
                    width, height = check.size(label, where)
                    self.add_image(image_id, width, height, file_name)
                category_id = self.category(label[key][0])
                if is_box:
                    if has_box:
                        self.box(check, label, where, image_id, category_id, check.size(label, where))
                elif "polygonlabels" in label:
                    self.polygon(check, label, where, image_id, category_id, width, height)
                elif "keypointlabels" in label:
                    keypoints.append((label, where))
        if keypoints:
            self.keypoints(check, keypoints, image_id)

    def box(
        self, check: Shapes, label: dict[str, Any], where: str, image_id: int, category_id: int,
        size: tuple[Any, Any],
    ) -> None:  # fmt: skip
        w0, h0 = size
        x, y, w, h, rotation = check.box(label, where)
        x, y, w, h = x * w0 / 100, y * h0 / 100, w * w0 / 100, h * h0 / 100
        segmentation: list[list[float]] = []
        area = w * h
        if rotation:
            corners = box_corners(x, y, w, h, rotation)
            xs, ys = [c[0] for c in corners], [c[1] for c in corners]
            x, y = min(xs), min(ys)
            w, h = max(xs) - x, max(ys) - y
            segmentation = [[c for corner in corners for c in corner]]
        self.annotations.add({"id": self.annotations.count, "image_id": image_id, "category_id": category_id,
                              "segmentation": segmentation, "bbox": [x, y, w, h], "ignore": 0, "iscrowd": 0,
                              "area": area})  # fmt: skip

    def polygon(
        self, check: Shapes, label: dict[str, Any], where: str, image_id: int, category_id: int, width: Any,
        height: Any,
    ) -> None:  # fmt: skip
        points = check.points(label, where)
        if not points:
            raise check.error("a polygon needs points", f"{where}.points")
        absolute = [(x / 100 * width, y / 100 * height) for x, y in points]
        xs, ys = [p[0] for p in absolute], [p[1] for p in absolute]
        # the shoelace formula as the converter computes it (numpy), so areas agree to the last bit
        area = float(0.5 * np.abs(np.dot(xs, np.roll(ys, 1)) - np.dot(ys, np.roll(xs, 1))))
        x0, y0 = min(xs), min(ys)
        self.annotations.add({"id": self.annotations.count, "image_id": image_id, "category_id": category_id,
                              "segmentation": [[c for p in absolute for c in p]],
                              "bbox": [x0, y0, max(xs) - x0, max(ys) - y0], "ignore": 0, "iscrowd": 0,
                              "area": area})  # fmt: skip

    def keypoints(self, check: Shapes, found: list[tuple[dict[str, Any], str]], image_id: int) -> None:
        order = self.kp_order
        flat = [0] * (3 * len(order))
        for label, where in found:
            w0, h0 = check.size(label, where)
            x = check.number(label, "x", where) / 100 * w0
            y = check.number(label, "y", where) / 100 * h0
            for name in label["keypointlabels"]:
                if name in order:
                    at = 3 * order.index(name)
                    flat[at : at + 3] = [round(x), round(y), 2]
        seen = [i for i in range(len(order)) if flat[3 * i + 2] > 0]
        if seen:
            xs, ys = [flat[3 * i] for i in seen], [flat[3 * i + 1] for i in seen]
            bbox = [min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)]
        else:
            bbox = [0, 0, 0, 0]
        self.annotations.add({"id": self.annotations.count, "image_id": image_id,
                              "category_id": self.category_ids.get(order[0], 0) if order else 0,
                              "keypoints": flat, "num_keypoints": len(seen), "bbox": bbox, "iscrowd": 0})  # fmt: skip

    def finish(self) -> int:
        output = self.request.output
        output.fs.makedirs(output.join(IMAGES_FOLDER), exist_ok=True)
        now = datetime.now()
        info = {"year": now.year, "version": "1.0", "description": "", "contributor": "Label Studio", "url": "",
                "date_created": str(now)}  # fmt: skip
        with output.open(output.join("result.json")) as out:
            out.write(b'{\n"images": [')
            self.images.copy_to(out)
            out.write(b'\n],\n"categories": ' + orjson.dumps(self.categories, option=orjson.OPT_INDENT_2))
            out.write(b',\n"annotations": [')
            count = self.annotations.count
            self.annotations.copy_to(out)
            out.write(b'\n],\n"info": ' + orjson.dumps(info, option=orjson.OPT_INDENT_2) + b"\n}\n")
        return count


def _write(request: ExportRequest, *, with_images: bool) -> int:
    writer = _CocoWriter(request, with_images)
    try:
        for item in annotation_items(request.counted(lean=True), request.config):
            writer.item(item)
        return writer.finish()
    finally:
        writer.close()
