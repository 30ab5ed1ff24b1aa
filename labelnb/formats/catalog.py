"""Every export format, and which of them a labeling config offers (Label Studio's rules, reference C.3).

A format is an :class:`ExportFormat`: a name (``"coco"``), how it lays out its output (one file, or a
folder of files) and a writer that takes an :class:`ExportRequest`. Writers are pure: they read the
request's task iterable once, in order, and write through its :class:`ExportOutput`; they never hold the
whole project (a million annotations stream through in pages), and they report progress per task.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from labelnb.config import LabelConfig

from . import asr, brush_export, coco_export, conll, task_output, voc_export, yolo_export
from .writing import ExportFormat, ExportRequest, counted


def _one_file(fmt: task_output.TableFormat) -> Callable[[ExportRequest], int]:
    def write(request: ExportRequest) -> int:
        request.check_options(())
        path = request.output.file_path(FORMATS[fmt].default_name)
        with request.output.open(path) as fh:
            if fmt == "json" and request.encoded_json is not None:
                return task_output.write_json(counted(request.encoded_json, request.progress), fh)
            return task_output.export(fmt, request.counted(), request.config, fh)

    return write


FORMATS: dict[str, ExportFormat] = {
    "json": ExportFormat(
        "json", "JSON", "Label Studio's JSON: every task with its data, annotations and predictions.",
        "file", "result.json", _one_file("json"),
    ),
    "json_min": ExportFormat(
        "json_min", "JSON-MIN", "One record per annotation: the task's data and each control's value.",
        "file", "result.json", _one_file("json_min"),
    ),
    "csv": ExportFormat(
        "csv", "CSV", "One row per annotation, one column per data key and per control.",
        "file", "result.csv", _one_file("csv"),
    ),
    "tsv": ExportFormat(
        "tsv", "TSV", "As CSV, with tabs between the columns.", "file", "result.tsv", _one_file("tsv"),
    ),
    "conll2003": ExportFormat(
        "conll2003", "CoNLL 2003", "Tokens with BIO tags of the text spans, for named entity recognition.",
        "file", "result.conll", conll.write_conll,
    ),
    "coco": ExportFormat(
        "coco", "COCO", "Boxes, polygons and key points of images as COCO's JSON (result.json).",
        "folder", "result.json", coco_export.write_coco,
    ),
    "coco_with_images": ExportFormat(
        "coco_with_images", "COCO with images", "COCO's JSON with each task's image copied into images/.",
        "folder", "result.json", coco_export.write_coco_with_images,
    ),
    "yolo": ExportFormat(
        "yolo", "YOLO", "labels/*.txt per image (boxes, polygons and masks as segments, or pose), classes.txt.",
        "folder", "", yolo_export.write_yolo,
    ),
    "yolo_with_images": ExportFormat(
        "yolo_with_images", "YOLO with images", "YOLO labels with each task's image copied into images/.",
        "folder", "", yolo_export.write_yolo_with_images,
    ),
    "yolo_obb": ExportFormat(
        "yolo_obb", "YOLO OBB", "YOLO oriented boxes: the 4 corners of each (rotated) box.",
        "folder", "", yolo_export.write_yolo_obb,
    ),
    "yolo_obb_with_images": ExportFormat(
        "yolo_obb_with_images", "YOLO OBB with images", "YOLO oriented boxes with each task's image in images/.",
        "folder", "", yolo_export.write_yolo_obb_with_images,
    ),
    "voc": ExportFormat(
        "voc", "Pascal VOC XML", "Annotations/*.xml per image with its boxes (images/ with with_images=True).",
        "folder", "", voc_export.write_voc,
    ),
    "brush_to_numpy": ExportFormat(
        "brush_to_numpy", "Brush masks to NumPy", "One .npy mask per brush region.",
        "folder", "", brush_export.write_brush_numpy,
    ),
    "brush_to_png": ExportFormat(
        "brush_to_png", "Brush masks to PNG", "One .png mask per brush region.",
        "folder", "", brush_export.write_brush_png,
    ),
    "brush_to_coco": ExportFormat(
        "brush_to_coco", "Brush masks to COCO", "Brush regions as COCO polygons, with polygons and boxes.",
        "folder", "result_coco.json", brush_export.write_brush_coco,
    ),
    "asr_manifest": ExportFormat(
        "asr_manifest", "ASR manifest", "NeMo's speech-recognition manifest: audio, duration, transcript.",
        "folder", "manifest.json", asr.write_asr_manifest,
    ),
}  # fmt: skip


def export_format(name: str) -> ExportFormat:
    """The format called ``name`` (any case); a ValueError listing the known ones otherwise."""
    found = FORMATS.get(name.lower()) if isinstance(name, str) else None
    if found is None:
        raise ValueError(f"unknown export format {name!r}; choose one of {', '.join(FORMATS)}")
    return found


# -- which formats a config offers (label-studio-sdk's Converter._get_supported_formats) ----------------

_ALWAYS = ("json", "json_min", "csv", "tsv")


@dataclass(frozen=True)
class _Shape:
    """What the offer rules look at: the control tags with an explicit toName, the object tags they
    point to, and whether any of those is a multi-image (``valueList``) object."""

    controls: frozenset[str]
    objects: frozenset[str]
    data_keys: int
    multi_image: bool


def _shape(config: LabelConfig) -> _Shape:
    controls: set[str] = set()
    objects: set[str] = set()
    keys: set[str] = set()
    multi = False
    for control in config.controls.values():
        if control.to_name_implied or not control.to_name:
            continue  # Label Studio's converter only sees controls that name their object
        controls.add(control.tag)
        for name in control.to_name:
            obj = config.objects.get(name)
            if obj is None:
                continue
            keys.add(obj.value)
            multi = multi or obj.value_list
            if obj.tag == "Text" and obj.value_type == "url":
                continue  # the converter ignores Text objects that hold URLs
            objects.add(obj.tag)
    return _Shape(frozenset(controls), frozenset(objects), len(keys), multi)


def _offers(shape: _Shape, name: str) -> bool:
    c, o = shape.controls, shape.objects
    boxes = "RectangleLabels" in c or ("Rectangle" in c and "Labels" in c)
    if name in _ALWAYS:
        return True
    if name == "conll2003":
        return "Text" in o and "Labels" in c
    if name == "voc":
        return not shape.multi_image and "Image" in o and boxes
    if name in ("coco", "coco_with_images", "yolo", "yolo_with_images", "yolo_obb", "yolo_obb_with_images"):
        keypoints_only = "KeyPointLabels" in c and "RectangleLabels" not in c
        if keypoints_only and name in ("coco", "coco_with_images", "yolo", "yolo_with_images"):
            return False  # the category map comes from the boxes' labels
        if name.startswith("yolo_obb") and "Video" in o and "TimelineLabels" in c:
            return False
        shapes = ("Image" in o and bool({"RectangleLabels", "PolygonLabels", "KeyPointLabels"} & c)) or (
            "Labels" in c and bool({"Rectangle", "PolygonLabels", "KeyPointLabels"} & c)
        )
        return not shape.multi_image and shapes
    if name.startswith("brush_to_"):
        return "Image" in o and ("BrushLabels" in c or ("Brush" in c and "Labels" in c))
    if name == "asr_manifest":
        return bool({"Audio", "AudioPlus"} & o) and "TextArea" in c
    return False


#: every format the rules know, in Label Studio's order (some may not be registered in FORMATS)
_RULED = (
    "json", "json_min", "csv", "tsv", "conll2003", "coco", "coco_with_images", "yolo", "yolo_with_images",
    "yolo_obb", "yolo_obb_with_images", "voc", "brush_to_numpy", "brush_to_png", "brush_to_coco",
    "asr_manifest",
)  # fmt: skip


def offered_by_rules(config: LabelConfig) -> list[str]:
    """The formats Label Studio's rules offer for ``config`` (reference C.3), registered or not.

    A config with more than one data key offers only the table-like formats; the others need the object
    and control tags their output is made of (COCO needs an image and boxes, polygons or keypoints...).
    """
    shape = _shape(config)
    if shape.data_keys > 1:
        return list(_ALWAYS)
    return [name for name in _RULED if _offers(shape, name)]


def offered_formats(config: LabelConfig) -> list[str]:
    """The registered formats offered for ``config``, in :data:`FORMATS` order."""
    ruled = set(offered_by_rules(config))
    return [name for name in FORMATS if name in ruled]
