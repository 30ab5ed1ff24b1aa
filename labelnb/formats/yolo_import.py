"""A YOLO dataset folder into Label Studio tasks (reference C.7), and a config for it.

The folder holds ``classes.txt`` (one class name per line, the line number is the class index),
``images/`` and ``labels/<image stem>.txt``. One task per image (sorted by name); each label line is a
region of the image's one annotation (or prediction):

- ``cls xc yc w h`` (centre and size as fractions of the image) → ``rectanglelabels``; a sixth value is
  the region's ``score``;
- ``cls x1 y1 x2 y2 ...`` (three or more points, YOLO's segmentation format) → ``polygonlabels``.

An image without a label file gets no annotation; an empty label file gives an empty one (a labelled image
with no objects). Beyond label-studio-sdk's importer, which reads only boxes: polygon lines, a folder on any
fsspec file system, and errors that name the label file and line.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping, Sequence
from typing import Any

import fsspec

from labelnb.config import LabelConfig

from .datasets import (
    SHAPE_TYPES,
    RegionTargets,
    attach,
    dataset_config,
    finite,
    image_reference,
    image_size,
    new_task,
    region,
    region_targets,
)
from .errors import TaskImportError

IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp", ".tif", ".tiff")


def _classes(fs: fsspec.AbstractFileSystem, folder: str) -> list[str]:
    path = f"{folder}/classes.txt"
    if not fs.isfile(path):
        raise TaskImportError(
            "a YOLO folder needs a classes.txt with one class name per line",
            source=posixpath.basename(folder) or folder,
        )
    with fs.open(path, "rb") as fh:
        text = fh.read().decode("utf-8-sig")
    return [line.strip() for line in text.splitlines() if line.strip()]


def yolo_config(folder: str, *, storage_options: Mapping[str, Any] | None = None) -> str:
    """A labeling config for the YOLO folder: its classes as labels of a ``RectangleLabels``, plus a
    ``PolygonLabels`` when a label file holds polygons."""
    fs, root = fsspec.core.url_to_fs(folder, **dict(storage_options or {}))
    root = root.rstrip("/")
    classes = _classes(fs, root)
    shapes = ["box"]
    for path in sorted(fs.glob(f"{root}/labels/*.txt")):
        with fs.open(path, "rb") as fh:
            if any(len(line.split()) > 6 for line in fh.read().decode("utf-8-sig").splitlines()):
                shapes.append("polygon")
                break
    return dataset_config(classes, shapes)


def read_yolo(
    folder: str,
    config: LabelConfig,
    *,
    image_root: str | None = None,
    image_dims: tuple[int, int] | None = None,
    as_predictions: bool = False,
    model_version: str | None = None,
    image_extensions: Sequence[str] = IMAGE_EXTENSIONS,
    storage_options: Mapping[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """The tasks of the YOLO folder at ``folder`` (a path or fsspec URL), as Label Studio import items.

    Args:
        folder: holds ``classes.txt``, ``images/`` and ``labels/``.
        config: the project's config; regions go to its shape controls on its one ``Image``.
        image_root: folder or URL prefix the image file names are relative to (default: the folder's
            ``images/``).
        image_dims: width and height of every image, when all have the same (their headers are not read).
        as_predictions: make predictions (with ``model_version``) instead of annotations.
        image_extensions: which files of ``images/`` are images.
        storage_options: passed to fsspec for ``folder``.

    Raises:
        TaskImportError: naming the label file, the line and what is wrong with it.
    """
    fs, root = fsspec.core.url_to_fs(folder, **dict(storage_options or {}))
    root = root.rstrip("/")
    targets = region_targets(config)
    classes = _classes(fs, root)
    images_dir = f"{root}/images"
    if not fs.isdir(images_dir):
        raise TaskImportError(
            "a YOLO folder needs an images/ folder", source=posixpath.basename(root) or root
        )
    if image_root is None:
        image_root = folder.rstrip("/") + "/images" if "://" in folder else images_dir
    if image_dims is not None:
        dims = finite(list(image_dims), "image_dims", "image_dims")
        if len(dims) != 2 or min(dims) <= 0:
            raise ValueError("image_dims is (width, height), both positive")
    suffixes = tuple(e.lower() for e in image_extensions)
    names = sorted(
        posixpath.basename(p) for p in fs.ls(images_dir, detail=False) if p.lower().endswith(suffixes)
    )
    tasks = []
    for image_name in names:
        task = new_task(targets.image_key, image_reference(image_root, image_name))
        label_path = f"{root}/labels/{posixpath.splitext(image_name)[0]}.txt"
        if fs.isfile(label_path):
            source = f"labels/{posixpath.basename(label_path)}"
            with fs.open(label_path, "rb") as fh:
                lines = fh.read().decode("utf-8-sig").splitlines()
            size = image_dims or image_size(fs, f"{images_dir}/{image_name}", image_name)
            result = [
                _region(line, n, classes, targets, config, size, source)
                for n, line in enumerate(lines, start=1)
                if line.strip()
            ]
            attach(task, result, as_predictions=as_predictions, model_version=model_version)
        tasks.append(task)
    return tasks


def _region(
    line: str,
    number: int,
    classes: list[str],
    targets: RegionTargets,
    config: LabelConfig,
    size: tuple[int, int],
    source: str,
) -> dict[str, Any]:
    fields = line.split()
    try:
        cls = int(fields[0])
    except ValueError:
        cls = -1
    if not 0 <= cls < len(classes):
        raise TaskImportError(
            f"class {fields[0]!r} is not a line of classes.txt (0 to {len(classes) - 1})",
            source=source,
            row=number,
        )
    values = finite(fields[1:], source, "values", row=number)
    label = classes[cls]
    if len(values) in (4, 5):
        control = targets.control("box", source, f"line {number}")
        xc, yc, w, h = values[:4]
        if w < 0 or h < 0:
            raise TaskImportError("a box has no negative width or height", source=source, row=number)
        value = {
            "x": (xc - w / 2) * 100,
            "y": (yc - h / 2) * 100,
            "width": w * 100,
            "height": h * 100,
            "rotation": 0,
            "rectanglelabels": [label],
        }
        item = region(SHAPE_TYPES["box"], control, targets.image, value, size, f"line{number}")
        if len(values) == 5:
            item["score"] = values[4]
    elif len(values) >= 6 and len(values) % 2 == 0:
        control = targets.control("polygon", source, f"line {number}")
        points = [[x * 100, y * 100] for x, y in zip(values[::2], values[1::2], strict=True)]
        value = {"points": points, "polygonlabels": [label]}
        item = region(SHAPE_TYPES["polygon"], control, targets.image, value, size, f"line{number}")
    else:
        raise TaskImportError(
            f"{len(fields)} values: a box line has 5 (6 with a score), a polygon line a class and three "
            "or more x y pairs",
            source=source,
            row=number,
        )
    known = config.controls[control]
    if known.labels and not known.dynamic_labels and label not in known.labels:
        raise TaskImportError(
            f"label {label!r} is not one of {control!r}'s labels", source=source, row=number
        )
    return item
