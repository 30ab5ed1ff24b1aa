"""COCO object-detection JSON into Label Studio tasks (reference C.7), and a config for it.

One task per entry of ``images`` (in image-id order), its annotations as the regions of one annotation
(or prediction): ``bbox`` → ``rectanglelabels``, each polygon of ``segmentation`` → ``polygonlabels``,
``keypoints`` → one ``keypointlabels`` per labelled point, named by the category's ``keypoints`` list
when it has one. Coordinates become percentages of ``images[].width/height``.

Beyond label-studio-sdk's importer: the box COCO derives from a polygon or from key points is not
imported as a second region (``derived_boxes=True`` brings it back), so a COCO export imported again gives
the regions it was made from; points COCO marks as not labelled (``v=0``) are left out rather than put at
the corner; crowd (RLE) segmentations are refused by name, or imported as their box with
``crowd="box"``; every number is checked, and errors name the annotation.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping
from typing import Any, Literal

import fsspec
import orjson

from labelnb.config import LabelConfig

from .datasets import (
    SHAPE_TYPES,
    attach,
    dataset_config,
    finite,
    image_reference,
    new_task,
    region,
    region_targets,
)
from .errors import TaskImportError

CrowdMode = Literal["error", "box", "skip"]


def _load(source: str, storage_options: Mapping[str, Any] | None) -> tuple[dict[str, Any], str]:
    fs, path = fsspec.core.url_to_fs(source, **dict(storage_options or {}))
    name = posixpath.basename(path)
    try:
        with fs.open(path, "rb") as fh:
            doc = orjson.loads(fh.read())
    except orjson.JSONDecodeError as exc:
        raise TaskImportError(f"not valid JSON: {exc}", source=name) from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("images"), list):
        raise TaskImportError("a COCO file is a JSON object with an 'images' list", source=name)
    for key in ("annotations", "categories"):
        if not isinstance(doc.get(key, []), list):
            raise TaskImportError(f"'{key}' must be a list", source=name)
    return doc, name


def _categories(doc: Mapping[str, Any], name: str, use_super_categories: bool) -> dict[Any, dict[str, Any]]:
    out: dict[Any, dict[str, Any]] = {}
    for i, category in enumerate(doc.get("categories", [])):
        if (
            not isinstance(category, dict)
            or "id" not in category
            or not isinstance(category.get("name"), str)
        ):
            raise TaskImportError(
                "a category needs an 'id' and a 'name'", source=name, field=f"categories[{i}]"
            )
        label = category["name"]
        if use_super_categories and category.get("supercategory"):
            label = f"{category['supercategory']}:{label}"
        points = category.get("keypoints")
        out[category["id"]] = {"label": label, "keypoints": points if isinstance(points, list) else None}
    return out


def _default_root(source: str) -> str:
    if "://" in source:
        return source.rsplit("/", 1)[0]
    return posixpath.dirname(posixpath.abspath(source))


def coco_config(
    source: str, *, use_super_categories: bool = False, storage_options: Mapping[str, Any] | None = None
) -> str:
    """A labeling config for the COCO file at ``source``: its categories (and key point names) as labels of
    a ``RectangleLabels``, plus a ``PolygonLabels`` and a ``KeyPointLabels`` when the file has polygons
    or key points."""
    doc, name = _load(source, storage_options)
    categories = _categories(doc, name, use_super_categories)
    shapes = ["box"]
    labels = [c["label"] for c in categories.values()]
    annotations = [a for a in doc.get("annotations", []) if isinstance(a, dict)]
    if any(isinstance(a.get("segmentation"), list) and a["segmentation"] for a in annotations):
        shapes.append("polygon")
    if any(a.get("keypoints") for a in annotations):
        shapes.append("keypoint")
        labels += [str(p) for c in categories.values() for p in (c["keypoints"] or [])]
    return dataset_config(labels, shapes)


def read_coco(
    source: str,
    config: LabelConfig,
    *,
    image_root: str | None = None,
    as_predictions: bool = False,
    model_version: str | None = None,
    use_super_categories: bool = False,
    point_width: float = 1.0,
    derived_boxes: bool = False,
    crowd: CrowdMode = "error",
    storage_options: Mapping[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """The tasks of the COCO file at ``source`` (a path or fsspec URL), as Label Studio import items.

    Args:
        source: the COCO JSON.
        config: the project's config; regions go to its shape controls on its one ``Image``.
        image_root: folder or URL prefix the images' ``file_name`` is relative to (default: the folder
            of ``source``).
        as_predictions: make predictions (with ``model_version``) instead of annotations.
        use_super_categories: labels read ``supercategory:name``.
        point_width: the ``width`` of key points, in percent of the image width.
        derived_boxes: also import the box of an annotation that has a polygon or key points.
        crowd: what to do with crowd annotations (RLE masks): ``"error"``, ``"box"`` (their box only) or
            ``"skip"``.
        storage_options: passed to fsspec for ``source``.

    Raises:
        TaskImportError: naming the file and the ``annotations[i]`` (or ``images[i]``) that is wrong.
    """
    if crowd not in ("error", "box", "skip"):
        raise ValueError(f"crowd must be 'error', 'box' or 'skip', not {crowd!r}")
    doc, name = _load(source, storage_options)
    targets = region_targets(config)
    categories = _categories(doc, name, use_super_categories)
    root = _default_root(source) if image_root is None else image_root

    def labels_of(control: str, labels: list[str], where: str) -> list[str]:
        known = config.controls[control]
        for label in labels:
            if known.labels and not known.dynamic_labels and label not in known.labels:
                raise TaskImportError(
                    f"label {label!r} is not one of {control!r}'s labels", source=name, field=where
                )
        return labels

    images: dict[Any, tuple[dict[str, Any], tuple[int, int]]] = {}
    for i, image in enumerate(doc["images"]):
        where = f"images[{i}]"
        if not isinstance(image, dict) or "id" not in image or not isinstance(image.get("file_name"), str):
            raise TaskImportError("an image needs an 'id' and a 'file_name'", source=name, field=where)
        width, height = finite([image.get("width"), image.get("height")], name, f"{where}.width/height")
        if width <= 0 or height <= 0:
            raise TaskImportError("an image's width and height must be positive", source=name, field=where)
        task = new_task(targets.image_key, image_reference(root, image["file_name"]))
        images[image["id"]] = (task, (int(width), int(height)))
    results: dict[Any, list[dict[str, Any]]] = {image_id: [] for image_id in images}

    for i, ann in enumerate(doc.get("annotations", [])):
        where = f"annotations[{i}]"
        if not isinstance(ann, dict):
            raise TaskImportError("an annotation is a JSON object", source=name, field=where)
        if ann.get("image_id") not in images:
            raise TaskImportError(
                f"image_id {ann.get('image_id')!r} is not in 'images'", source=name, field=f"{where}.image_id"
            )
        category = categories.get(ann.get("category_id"))
        if category is None:
            raise TaskImportError(
                f"category_id {ann.get('category_id')!r} is not in 'categories'",
                source=name,
                field=f"{where}.category_id",
            )
        _, size = images[ann["image_id"]]
        width, height = size
        ident = str(ann.get("id", i))
        out = results[ann["image_id"]]
        segmentation = ann.get("segmentation")
        is_crowd = ann.get("iscrowd") == 1 or isinstance(segmentation, dict)
        if is_crowd:
            if crowd == "error":
                raise TaskImportError(
                    "crowd annotations (RLE masks) are not imported; pass crowd='box' to keep their "
                    "boxes or crowd='skip' to leave them out",
                    source=name,
                    field=f"{where}.segmentation",
                )
            if crowd == "skip":
                continue
            segmentation = None
        polygons = segmentation if isinstance(segmentation, list) else []
        keypoints = ann.get("keypoints") or []
        for k, flat in enumerate(polygons):
            spot = f"{where}.segmentation[{k}]"
            numbers = finite(flat if isinstance(flat, list) else [flat], name, spot)
            if len(numbers) < 6 or len(numbers) % 2:
                raise TaskImportError(
                    "a polygon is a flat list of at least three x, y pairs", source=name, field=spot
                )
            control = targets.control("polygon", name, spot)
            points = [
                [x / width * 100, y / height * 100] for x, y in zip(numbers[::2], numbers[1::2], strict=True)
            ]
            value = {"points": points, "polygonlabels": labels_of(control, [category["label"]], spot)}
            out.append(region(SHAPE_TYPES["polygon"], control, targets.image, value, size, f"{ident}p{k}"))
        if keypoints:
            spot = f"{where}.keypoints"
            numbers = finite(keypoints if isinstance(keypoints, list) else [keypoints], name, spot)
            if len(numbers) % 3:
                raise TaskImportError("keypoints are x, y, visibility triples", source=name, field=spot)
            control = targets.control("keypoint", name, spot)
            names = category["keypoints"]
            if names is not None and len(names) != len(numbers) // 3:
                raise TaskImportError(
                    f"{len(numbers) // 3} key points for a category that names {len(names)}",
                    source=name,
                    field=spot,
                )
            for k in range(len(numbers) // 3):
                x, y, v = numbers[3 * k : 3 * k + 3]
                if v == 0:
                    continue  # not labelled: COCO puts it at (0, 0)
                label = str(names[k]) if names is not None else category["label"]
                value = {
                    "x": x / width * 100,
                    "y": y / height * 100,
                    "width": point_width,
                    "keypointlabels": labels_of(control, [label], spot),
                }
                if v == 1:
                    value["hidden"] = True  # labelled but not visible, as label-studio-sdk marks it
                out.append(
                    region(SHAPE_TYPES["keypoint"], control, targets.image, value, size, f"{ident}k{k}")
                )
        derived = bool(polygons or keypoints)
        if "bbox" in ann and (derived_boxes or not derived):
            spot = f"{where}.bbox"
            box = ann["bbox"]
            numbers = finite(box if isinstance(box, list) else [box], name, spot)
            if len(numbers) != 4 or numbers[2] < 0 or numbers[3] < 0:
                raise TaskImportError(
                    "a bbox is [x, y, width, height] with no negative size", source=name, field=spot
                )
            control = targets.control("box", name, spot)
            x, y, w, h = numbers
            value = {
                "x": x / width * 100,
                "y": y / height * 100,
                "width": w / width * 100,
                "height": h / height * 100,
                "rotation": 0,
                "rectanglelabels": labels_of(control, [category["label"]], spot),
            }
            out.append(region(SHAPE_TYPES["box"], control, targets.image, value, size, f"{ident}b"))

    tasks = []
    for image_id in sorted(images, key=lambda key: (str(type(key)), key)):
        task, _ = images[image_id]
        if results[image_id] or not as_predictions:
            attach(task, results[image_id], as_predictions=as_predictions, model_version=model_version)
        tasks.append(task)
    return tasks
