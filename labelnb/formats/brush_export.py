"""The brush exports: ``brush_to_numpy``, ``brush_to_png`` (one mask file per brush region) and
``brush_to_coco`` (masks as COCO polygons), as label-studio-sdk's converter writes them.

Masks files are named ``task-<id>-annotation-<id>-by-<e-mail>-<from_name>-<labels>-<n>`` (``.npy`` or
``.png``; ``n`` counts the regions of one control and labels within an annotation), each the mask's alpha
channel as ``uint8``. Beyond the converter: ``polygons=True`` also draws polygon regions into masks of
their own (Label Studio's issue #4193), and a brush value that does not decode or does not fit its image
is an error naming the task, the annotation and the region, where the converter writes a wrong file or
skips it silently.

Each writer keeps one annotation's masks at a time; ``brush_to_coco`` keeps the categories and spools
images and annotations to temporary files until it writes the JSON.
"""

from __future__ import annotations

import io
import posixpath
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import numpy as np
import orjson

from . import brush
from .converter import AnnotationItem, annotation_items, annotator
from .spool import JsonArraySpool
from .writing import ExportDataError, ExportRequest

#: extensions the converter takes for an image path in task data (``brush_to_coco``)
_IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".gif", ".bmp")


def _email(completed_by: Any) -> str:
    email = completed_by.get("email", "") if isinstance(completed_by, dict) else str(completed_by)
    return "".join(c for c in (email or "") if c.isalnum() or c in "@.")


def _size(value: Mapping[str, Any], item: AnnotationItem, where: str) -> tuple[int, int]:
    width, height = value.get("original_width"), value.get("original_height")
    if not (isinstance(width, int) and isinstance(height, int)) or width <= 0 or height <= 0:
        raise ExportDataError(
            "a brush or polygon region needs its image's original_width and original_height",
            task=item.task.get("id"),
            annotation=_annotation_id(item),
            field=where,
        )
    return width, height


def _annotation_id(item: AnnotationItem) -> Any:
    return item.annotation.get("id") if item.annotation is not None else None


def annotation_masks(item: AnnotationItem, *, polygons: bool = False) -> Iterator[tuple[str, brush.Array]]:
    """``(name, mask)`` for each brush region of one annotation (and polygon region, with ``polygons``),
    named ``<from_name>-<labels>-<n>`` as the converter names them."""
    counters: dict[str, int] = {}
    for from_name, values in item.outputs.items():
        tag = item.tags.get(from_name, "").lower()
        for k, value in enumerate(values):
            where = f"{from_name}[{k}]"
            if tag in ("brushlabels", "labels") and "rle" in value:
                key = tag
                width, height = _size(value, item, where)
                try:
                    mask = brush.rle_to_mask(value["rle"], width, height)
                except brush.BrushError as exc:
                    raise ExportDataError(
                        str(exc), task=item.task.get("id"), annotation=_annotation_id(item), field=where
                    ) from exc
            elif polygons and tag in ("polygonlabels", "polygon") and "points" in value:
                key = "polygonlabels"
                width, height = _size(value, item, where)
                try:
                    mask = brush.polygon_mask(value["points"], width, height)
                except (brush.BrushError, ValueError, TypeError) as exc:
                    raise ExportDataError(
                        f"cannot draw this polygon: {exc}",
                        task=item.task.get("id"),
                        annotation=_annotation_id(item),
                        field=where,
                    ) from exc
            else:
                continue
            labels: list[Any] = value[key] if isinstance(value.get(key), list) else ["no_label"]
            name = f"{from_name}-{'-'.join(str(label) for label in labels)}"
            n = counters.get(name, 0)
            counters[name] = n + 1
            yield f"{name}-{n}", mask


def _mask_writer(suffix: str, encode: Callable[[brush.Array], bytes]) -> Callable[[ExportRequest], int]:
    def write(request: ExportRequest) -> int:
        request.check_options(("polygons",))
        polygons = bool(request.options.get("polygons", False))
        written = 0
        for item in annotation_items(request.counted(), request.config):
            if item.annotation is None:
                continue
            prefix = (
                f"task-{item.task.get('id')}-annotation-{item.annotation.get('id')}-by-"
                f"{_email(item.annotation.get('completed_by', {}))}"
            )
            for name, mask in annotation_masks(item, polygons=polygons):
                safe = name.replace("/", "-").replace("\\", "-")
                request.output.write_bytes(f"{prefix}-{safe}{suffix}", encode(mask))
                written += 1
        return written

    return write


def _npy(mask: brush.Array) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, mask)
    return buffer.getvalue()


def _png(mask: brush.Array) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(mask).save(buffer, format="PNG")
    return buffer.getvalue()


write_brush_numpy = _mask_writer(".npy", _npy)
write_brush_png = _mask_writer(".png", _png)


# -- brush_to_coco ----------------------------------------------------------------------------------------


def _category_color(index: int) -> str:
    # the converter picks a random colour; a fixed one per category keeps exports reproducible
    golden = (index * 0.618033988749895) % 1.0
    r, g, b = (int(255 * (0.35 + 0.6 * ((golden + shift) % 1.0))) for shift in (0.0, 0.33, 0.66))
    return f"#{r:02x}{g:02x}{b:02x}"


def _polygon_annotation(
    points: list[list[float]], width: int, height: int
) -> tuple[list[int], list[int], int]:
    pixels = [[round(x * width / 100), round(y * height / 100)] for x, y in points]
    contour = np.asarray(pixels, dtype=np.float32)
    box, area = brush.contour_box_and_area(contour)
    return [c for p in pixels for c in p], box, int(area)


def write_brush_coco(request: ExportRequest) -> int:
    """``result_coco.json``: brush regions as polygons (one COCO annotation per outline), polygons and
    boxes as they are; an (empty) ``images/`` folder as the converter leaves."""
    request.check_options(())
    categories: dict[str, int] = {}
    category_list: list[dict[str, Any]] = []
    images, annotations = JsonArraySpool(), JsonArraySpool()
    annotation_id = 0
    for image_id, item in enumerate(annotation_items(request.counted(), request.config)):
        data = item.task.get("data") or {}
        path = next(
            (v for v in data.values() if isinstance(v, str) and v.lower().endswith(_IMAGE_EXTENSIONS)), None
        )
        if path is None or not item.outputs:
            continue
        info: dict[str, Any] = {"id": image_id, "file_name": posixpath.basename(path), "path": path,
                                "width": None, "height": None}  # fmt: skip
        who = annotator(item.annotation.get("completed_by", {}) if item.annotation else {}) or "unknown"
        valid = False
        for from_name, values in item.outputs.items():
            tag = item.tags.get(from_name, "").lower()
            for k, value in enumerate(values):
                where = f"{from_name}[{k}]"
                if info["width"] is None and "original_width" in value:
                    info["width"], info["height"] = value["original_width"], value.get("original_height")
                key = next((key for key in ("brushlabels", "polygonlabels", "rectanglelabels", "labels")
                            if key in value), None)  # fmt: skip
                if key is None:
                    continue
                for label in value[key]:
                    if label not in categories:
                        categories[label] = len(categories) + 1
                        category_list.append({"id": categories[label], "name": label, "supercategory": "",
                                              "color": _category_color(len(categories)), "metadata": {}})  # fmt: skip
                    common = {"image_id": image_id, "category_id": categories[label]}
                    if key == "brushlabels" and "rle" in value:
                        width, height = _size(value, item, where)
                        try:
                            mask = brush.rle_to_mask(value["rle"], width, height)
                        except brush.BrushError as exc:
                            raise ExportDataError(
                                str(exc),
                                task=item.task.get("id"),
                                annotation=_annotation_id(item),
                                field=where,
                            ) from exc
                        for contour in brush.mask_contours(mask):
                            if len(contour) < 3:
                                continue
                            box, area = brush.contour_box_and_area(contour)
                            annotations.add({"id": annotation_id, **common,
                                             "segmentation": [contour.ravel().tolist()], "area": int(area),
                                             "bbox": box, "iscrowd": 0, "annotator": who})  # fmt: skip
                            annotation_id += 1
                            valid = True
                    elif key == "polygonlabels" and "points" in value:
                        width, height = _size(value, item, where)
                        flat, box, area = _polygon_annotation(value["points"], width, height)
                        annotations.add({"id": annotation_id, **common, "segmentation": [flat], "area": area,
                                         "bbox": box, "iscrowd": 0, "annotator": who})  # fmt: skip
                        annotation_id += 1
                        valid = True
                    elif tag == "rectanglelabels" or key == "labels":
                        needed = ("x", "y", "width", "height", "original_width", "original_height")
                        if not all(n in value for n in needed):
                            continue  # the converter skips such boxes too
                        w0, h0 = value["original_width"], value["original_height"]
                        x, y = value["x"] * w0 / 100, value["y"] * h0 / 100
                        w, h = value["width"] * w0 / 100, value["height"] * h0 / 100
                        annotations.add({"id": annotation_id, **common, "segmentation": [], "area": w * h,
                                         "bbox": [x, y, w, h], "iscrowd": 0, "annotator": who})  # fmt: skip
                        annotation_id += 1
                        valid = True
        if info["width"] is not None and info["height"] is not None and valid:
            images.add(info)
    request.output.fs.makedirs(request.output.join("images"), exist_ok=True)
    with request.output.open(request.output.join("result_coco.json")) as out:
        out.write(b'{\n"images": [')
        images.copy_to(out)
        out.write(b'\n],\n"annotations": [')
        annotations.copy_to(out)
        out.write(
            b"\n],\n" + orjson.dumps({"categories": category_list, "info": _coco_info()})[1:-1] + b"\n}"
        )
    return annotation_id


def _coco_info() -> dict[str, Any]:
    from datetime import datetime

    now = datetime.now()
    return {"year": now.year, "version": "1.0", "description": "Converted from Label Studio",
            "contributor": "Label Studio Converter", "date_created": str(now)}  # fmt: skip
