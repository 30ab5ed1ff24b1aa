"""What the COCO and YOLO importers share: where regions go, image sizes, generated configs.

An object-detection dataset becomes one task per image, ``{<image key>: <image reference>}``, with the
dataset's objects as regions of one annotation (or prediction). The regions go to the controls of the
project's config that draw on its ``Image``: boxes to a ``RectangleLabels``, polygons to a
``PolygonLabels``, points to a ``KeyPointLabels``. Without a config, :func:`dataset_config` writes one.
"""

from __future__ import annotations

import math
import posixpath
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import quoteattr

import fsspec

from labelnb.config import LabelConfig

from .errors import TaskImportError

#: the result types a dataset's objects become, by shape
SHAPE_TYPES = {"box": "rectanglelabels", "polygon": "polygonlabels", "keypoint": "keypointlabels"}
_SHAPE_TAGS = {"box": "RectangleLabels", "polygon": "PolygonLabels", "keypoint": "KeyPointLabels"}


@dataclass(frozen=True)
class RegionTargets:
    """The image object and, per shape, the control its regions go to (absent shapes have no control)."""

    image: str
    image_key: str
    controls: Mapping[str, str]

    def control(self, shape: str, source: str, where: str) -> str:
        """The control for ``shape``; a TaskImportError naming ``where`` when the config has none."""
        found = self.controls.get(shape)
        if found is None:
            raise TaskImportError(
                f"the dataset holds a {shape}, and the labeling config has no {_SHAPE_TAGS[shape]} on "
                f"the Image {self.image!r} to put it in",
                source=source,
                field=where,
            )
        return found


def region_targets(config: LabelConfig) -> RegionTargets:
    """Where a dataset's regions go in ``config``: its one ``Image`` and its shape controls on it."""
    images = [o for o in config.objects.values() if o.tag == "Image" and not o.value_list]
    if len(images) != 1 or images[0].value_key is None:
        raise ValueError(
            "importing a COCO or YOLO dataset needs a labeling config with exactly one Image object "
            f'(with value="$image" or similar); this one has {len(images)}'
        )
    image = images[0]
    assert image.value_key is not None  # checked above
    controls: dict[str, str] = {}
    for control in config.controls.values():
        if image.name not in control.to_name:
            continue
        for shape, result_type in SHAPE_TYPES.items():
            if control.type == result_type:
                controls.setdefault(shape, control.name)
    return RegionTargets(image.name, image.value_key, controls)


def dataset_config(labels: Iterable[str], shapes: Iterable[str] = ("box",), *, image: str = "image") -> str:
    """A labeling config for a dataset: one ``Image`` and a labels control per shape with ``labels``.

    ``shapes`` are among ``"box"``, ``"polygon"`` and ``"keypoint"``; the controls are called ``label``
    (boxes), ``polygon`` and ``keypoint``.
    """
    names = {"box": "label", "polygon": "polygon", "keypoint": "keypoint"}
    label_tags = "".join(f"\n    <Label value={quoteattr(label)}/>" for label in dict.fromkeys(labels))
    body = "".join(
        f'\n  <{_SHAPE_TAGS[s]} name="{names[s]}" toName="{image}">{label_tags}\n  </{_SHAPE_TAGS[s]}>'
        for s in dict.fromkeys(shapes)
    )
    return f'<View>\n  <Image name="{image}" value="${image}"/>{body}\n</View>\n'


def finite(values: Sequence[Any], source: str, where: str, *, row: int | None = None) -> list[float]:
    """``values`` as floats; a TaskImportError when one is not a finite number."""
    out: list[float] = []
    for value in values:
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = math.nan
        if isinstance(value, bool) or not math.isfinite(number):
            raise TaskImportError(f"{value!r} is not a finite number", source=source, row=row, field=where)
        out.append(number)
    return out


def image_reference(root: str, name: str) -> str:
    """``name`` under ``root`` (a folder path or URL prefix), with one slash between them."""
    if not root:
        return name
    return f"{root.rstrip('/')}/{name.lstrip('/')}"


def image_size(fs: fsspec.AbstractFileSystem, path: str, source: str) -> tuple[int, int]:
    """Width and height of the image at ``path``, from its header (Pillow reads no pixels for this)."""
    from PIL import Image, UnidentifiedImageError

    try:
        with fs.open(path, "rb") as fh, Image.open(fh) as im:
            width, height = im.size
    except (OSError, UnidentifiedImageError) as exc:
        raise TaskImportError(
            f"cannot read the size of the image {posixpath.basename(path)!r}: {exc}", source=source
        ) from exc
    return int(width), int(height)


def new_task(image_key: str, reference: str) -> dict[str, Any]:
    """A task item for one image."""
    return {"data": {image_key: reference}}


def attach(
    task: dict[str, Any], result: list[dict[str, Any]], *, as_predictions: bool, model_version: str | None
) -> None:
    """Put ``result`` on ``task`` as its one annotation or prediction."""
    if as_predictions:
        prediction: dict[str, Any] = {"result": result}
        if model_version:
            prediction["model_version"] = model_version
        task["predictions"] = [prediction]
    else:
        task["annotations"] = [{"result": result, "ground_truth": False}]


def region(
    result_type: str,
    from_name: str,
    to_name: str,
    value: dict[str, Any],
    size: tuple[int, int],
    ident: str,
) -> dict[str, Any]:
    """A result item as Label Studio stores an image region."""
    return {
        "id": ident,
        "type": result_type,
        "from_name": from_name,
        "to_name": to_name,
        "original_width": size[0],
        "original_height": size[1],
        "image_rotation": 0,
        "value": value,
    }
