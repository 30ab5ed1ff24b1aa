"""coco, coco_with_images, yolo*, voc equal label-studio-sdk's converter, and what they do beyond it.

Each parity test builds a project whose images are small PNG files in the project folder, exports it with
labelnb, and runs the SDK's ``Converter`` on the very tasks the writers read (the store's export tasks,
users as ``{id, email}``), then compares the parsed outputs. For the ``*_with_images`` formats the SDK
downloads the same files from a loopback HTTP server (it cannot copy local files), so file names are
compared without the converter's 8-hex cache prefix, which hashes the URL.
"""

from __future__ import annotations

import functools
import http.server
import json
import math
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from label_studio_sdk.converter import Converter
from label_studio_sdk.converter.utils import convert_annotation_to_yolo_obb
from PIL import Image

import labelnb as lnb
from labelnb.config import LabelConfig
from labelnb.formats.output import ExportOutput
from labelnb.formats.writing import ExportDataError, ExportRequest

SIZES = {"street.png": (64, 48), "park.png": (40, 40), "empty.png": (32, 24), "choice.png": (20, 10)}

SHAPES = """<View><Image name="image" value="$image"/>
<RectangleLabels name="box" toName="image"><Label value="Cat"/><Label value="Dog" category="7"/>
  <Label value="Bird"/></RectangleLabels>
<PolygonLabels name="poly" toName="image"><Label value="Road"/><Label value="Lake"/></PolygonLabels>
<Choices name="quality" toName="image"><Choice value="ok"/><Choice value="blurry"/></Choices>
</View>"""

KEYPOINTS = """<View><Image name="image" value="$image"/>
<RectangleLabels name="box" toName="image"><Label value="Person"/><Label value="Horse"/></RectangleLabels>
<KeyPointLabels name="kp" toName="image"><Label value="eye" model_index="1"/><Label value="nose" model_index="0"/>
  <Label value="tail" model_index="2"/></KeyPointLabels>
</View>"""


def region(
    kind: str, name: str, value: dict[str, Any], image: str, ident: str | None = None
) -> dict[str, Any]:
    w, h = SIZES[image]
    out = {"from_name": name, "to_name": "image", "type": kind, "original_width": w, "original_height": h,
           "image_rotation": 0, "value": value}  # fmt: skip
    if ident:
        out["id"] = ident
    return out


def box(label: str, x: float, y: float, w: float, h: float, image: str, rotation: float = 0, **extra: Any) -> dict[str, Any]:  # fmt: skip
    value = {"x": x, "y": y, "width": w, "height": h, "rotation": rotation, "rectanglelabels": [label]}
    return region("rectanglelabels", "box", value, image, **extra)


def polygon(label: str, points: list[list[float]], image: str) -> dict[str, Any]:
    return region("polygonlabels", "poly", {"points": points, "polygonlabels": [label]}, image)


def choice(value: str) -> dict[str, Any]:
    return {"from_name": "quality", "to_name": "image", "type": "choices", "value": {"choices": [value]}}


def write_images(folder: Path) -> None:
    (folder / "images").mkdir(parents=True, exist_ok=True)
    for k, (name, size) in enumerate(SIZES.items()):
        Image.new("RGB", size, (40 * k, 80, 120)).save(folder / "images" / name)


@pytest.fixture
def shapes_project(store_location: str, tmp_path: Path) -> lnb.Project:
    """The shapes project on each store back end; its images are not where its relative paths lead."""
    return build_shapes_project(store_location, tmp_path / "p")


@pytest.fixture
def folder_shapes_project(tmp_path: Path) -> lnb.Project:
    """The shapes project in a folder (SQLite) holding its images: relative paths lead to them."""
    return build_shapes_project(str(tmp_path / "p"), tmp_path / "p")


def build_shapes_project(location: str, images: Path) -> lnb.Project:
    """Boxes, polygons and choices on four images (written into ``images``)."""
    project = lnb.Project.create(location, SHAPES)
    write_images(images)
    s, k = "street.png", "park.png"
    project.import_tasks([
        {"data": {"image": f"images/{s}"}, "annotations": [
            {"completed_by": {"email": "ann@example.org"}, "created_at": "2024-01-01T00:00:00Z",
             "result": [box("Cat", 10, 20, 30, 40, s), box("Dog", 50.5, 5.25, 12.125, 20, s),
                        polygon("Road", [[10, 10], [80, 20], [50, 90]], s), choice("ok")]},
            {"completed_by": {"email": "ben@example.org"}, "created_at": "2024-02-01T00:00:00Z",
             "result": [box("Bird", 1, 2, 3, 4, s), polygon("Lake", [[0, 0], [100, 0], [100, 100], [0, 100]], s)]},
            {"completed_by": {"email": "cat@example.org"}, "was_cancelled": True, "result": []},
        ]},
        {"data": {"image": f"images/{k}"}, "annotations": [
            {"completed_by": {"email": "ann@example.org"},
             "result": [polygon("Road", [[12.5, 33.3], [66.6, 10.1], [90, 90], [20, 70.7]], k),
                        box("Cat", 0, 0, 100, 100, k)]},
        ]},
        {"data": {"image": "images/empty.png"}},
        {"data": {"image": "images/choice.png"}, "annotations": [{"result": [choice("blurry")]}]},
        {"data": {"image": "images/empty.png"}, "annotations": [{"result": []}]},
    ], user="ann@example.org")  # fmt: skip
    return project


def keypoint(label: str, x: float, y: float, image: str, parent: str | None = None) -> dict[str, Any]:
    out = region("keypointlabels", "kp", {"x": x, "y": y, "width": 0.5, "keypointlabels": [label]}, image)
    out["id"] = f"k{label}{x}"
    if parent:
        out["parentID"] = parent
    return out


@pytest.fixture
def keypoint_project(store_location: str, tmp_path: Path) -> lnb.Project:
    project = lnb.Project.create(store_location, KEYPOINTS)
    write_images(tmp_path / "p")
    s, k = "street.png", "park.png"
    project.import_tasks([
        {"data": {"image": f"images/{s}"}, "annotations": [
            {"result": [box("Person", 10, 10, 40, 60, s, ident="b1"), keypoint("eye", 20, 20, s, "b1"),
                        keypoint("nose", 25.5, 30.25, s, "b1"),
                        box("Horse", 55, 10, 40, 50, s, ident="b2"), keypoint("tail", 90, 50, s, "b2")]},
        ]},
        {"data": {"image": f"images/{k}"}, "annotations": [
            {"result": [box("Horse", 5, 5, 20, 20, k, ident="b3")]},
        ]},
    ])  # fmt: skip
    return project


# -- the SDK's output ---------------------------------------------------------------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        return None


@pytest.fixture
def image_server(tmp_path: Path) -> Iterator[str]:
    """A loopback HTTP server over the project folder, so the converter can download the images."""
    handler = functools.partial(_QuietHandler, directory=str(tmp_path / "p"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def sdk_export(
    project: lnb.Project, tmp_path: Path, fmt: str, *, base_url: str | None = None, download: bool = False
) -> Path:
    """The converter's output for the tasks labelnb's writers read (images at ``base_url`` when given)."""
    tasks = list(project.store.iter_export_tasks(expand_users=True))
    if base_url:
        for task in tasks:
            task["data"]["image"] = base_url + task["data"]["image"]
    source = tmp_path / "sdk-input.json"
    source.write_bytes(orjson.dumps(tasks))
    out = tmp_path / f"sdk-{fmt}"
    out.mkdir(exist_ok=True)
    Converter(project.config.xml, str(tmp_path), download_resources=download).convert(
        str(source), str(out), fmt.upper(), is_dir=False
    )
    return out


_CACHE_PREFIX = re.compile(r"^images/[0-9a-f]{8}__")


def coco_doc(folder: Path, *, unhash: bool = False) -> dict[str, Any]:
    doc = json.loads((folder / "result.json").read_text())
    info = doc.pop("info")
    assert info.pop("date_created")
    assert info.pop("year") >= 2024
    doc["info"] = info
    if unhash:
        for image in doc["images"]:
            image["file_name"] = _CACHE_PREFIX.sub("images/", image["file_name"])
    return doc


# -- COCO ---------------------------------------------------------------------------------------------------


def test_coco_equals_the_converters(shapes_project: lnb.Project, tmp_path: Path) -> None:
    shapes_project.export("coco", tmp_path / "ours")
    ours, theirs = coco_doc(tmp_path / "ours"), coco_doc(sdk_export(shapes_project, tmp_path, "coco"))
    assert ours == theirs
    assert (tmp_path / "ours" / "images").is_dir()
    # what the comparison covers: two entries for the twice-annotated image, boxes and polygons, the
    # Dog label's category attribute, the task without annotations as an image of unknown size
    assert [i["id"] for i in ours["images"]] == list(range(len(ours["images"])))
    assert len([i for i in ours["images"] if i["file_name"].endswith("street.png")]) == 2
    assert {c["name"]: c["id"] for c in ours["categories"]}["Dog"] == 7
    assert {bool(a["segmentation"]) for a in ours["annotations"]} == {True, False}
    assert len(ours["annotations"]) == 7
    assert {"width": None, "height": None} in [{k: i[k] for k in ("width", "height")} for i in ours["images"]]


def test_coco_key_points_equal_the_converters(keypoint_project: lnb.Project, tmp_path: Path) -> None:
    keypoint_project.export("coco", tmp_path / "ours")
    ours, theirs = coco_doc(tmp_path / "ours"), coco_doc(sdk_export(keypoint_project, tmp_path, "coco"))
    assert ours == theirs
    default = next(c for c in ours["categories"] if c["name"] == "default")
    assert default["keypoints"] == ["eye", "nose", "tail"]
    points = next(a for a in ours["annotations"] if "keypoints" in a)
    # ordered by model_index: nose (0), eye (1), tail (2), in pixels of the 64 x 48 image
    assert points["keypoints"] == [16, 15, 2, 13, 10, 2, 58, 24, 2]
    assert points["num_keypoints"] == 3


def test_coco_with_images_equals_the_converters(
    folder_shapes_project: lnb.Project, tmp_path: Path, image_server: str
) -> None:
    folder_shapes_project.export("coco_with_images", tmp_path / "ours")
    theirs = sdk_export(folder_shapes_project, tmp_path, "coco_with_images", base_url=image_server)
    ours_doc = coco_doc(tmp_path / "ours", unhash=True)
    assert ours_doc == coco_doc(theirs, unhash=True)
    copied = sorted(p.name for p in (tmp_path / "ours" / "images").iterdir())
    assert sorted(name.split("__", 1)[1] for name in copied) == sorted(SIZES)
    assert sorted(
        name.split("__", 1)[1] for name in (p.name for p in (theirs / "images").iterdir())
    ) == sorted(SIZES)
    for name in copied:
        original = tmp_path / "p" / "images" / name.split("__", 1)[1]
        assert (tmp_path / "ours" / "images" / name).read_bytes() == original.read_bytes()
    # every image has its real size, also the one without annotations
    assert all(i["width"] and i["height"] for i in ours_doc["images"])


def test_coco_rotated_boxes_are_the_bounds_of_their_corners(tmp_path: Path) -> None:
    project = lnb.Project.create(tmp_path / "p", SHAPES)
    s = "street.png"  # 64 x 48: not square, where the converter's rotation in percent goes wrong
    project.import_tasks([{"data": {"image": f"images/{s}"}, "annotations": [{"result": [
        box("Cat", 30, 20, 20, 10, s, rotation=30), box("Dog", 50, 50, 0, 10, s, rotation=90),
        box("Bird", 10, 10, 20, 20, s),
    ]}]}])  # fmt: skip
    project.export("coco", tmp_path / "ours")
    doc = coco_doc(tmp_path / "ours")
    rotated, thin, plain = doc["annotations"]
    for ann, value in ((rotated, (30, 20, 20, 10, 30)), (thin, (50, 50, 0, 10, 90))):
        x, y, w, h, r = value
        corners = convert_annotation_to_yolo_obb(
            {
                "x": x,
                "y": y,
                "width": w,
                "height": h,
                "rotation": r,
                "original_width": 64,
                "original_height": 48,
            },
            normalize=False,
        )  # the SDK's own corners, in pixels
        xs, ys = [c[0] for c in corners], [c[1] for c in corners]
        assert ann["bbox"] == pytest.approx([min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)])
        assert ann["segmentation"] == [pytest.approx([c for corner in corners for c in corner])]
        assert ann["area"] == pytest.approx(w * 64 / 100 * h * 48 / 100)
    assert plain["bbox"] == [6.4, 4.8, 12.8, 9.6]
    assert plain["segmentation"] == []
    # the converter rotates in percent, so its box is off on this image, and a thin box breaks it
    x, y, w, h = Converter.rotated_rectangle({"x": 30, "y": 20, "width": 20, "height": 10, "rotation": 30})
    assert [x * 0.64, y * 0.48, w * 0.64, h * 0.48] != pytest.approx(rotated["bbox"], abs=0.5)
    with pytest.raises(ZeroDivisionError):
        sdk_export(project, tmp_path, "coco")


def test_coco_keeps_empty_images_on_request(folder_shapes_project: lnb.Project, tmp_path: Path) -> None:
    folder_shapes_project.export("coco", tmp_path / "default")
    folder_shapes_project.export("coco", tmp_path / "kept", keep_empty_images=True)
    default, kept = coco_doc(tmp_path / "default"), coco_doc(tmp_path / "kept")
    names = [i["file_name"].split("__")[1] for i in kept["images"]]
    # one entry per annotation (two for street.png) and per task without any; the choice-only annotation
    # and the empty ones are there, each with its size read from the image file
    assert names == ["street.png", "street.png", "park.png", "empty.png", "choice.png", "empty.png"]
    assert [(i["width"], i["height"]) for i in kept["images"]] == [SIZES[n] for n in names]
    assert "choice.png" not in [i["file_name"].split("__")[1] for i in default["images"]]
    assert kept["annotations"] == default["annotations"]


def test_coco_refuses_unknown_options(shapes_project: lnb.Project, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"unknown option.*keep_empty"):
        shapes_project.export("coco", tmp_path / "out", keep_empty=True)
    with pytest.raises(ValueError, match="keep_empty_images is true or false, not 'False'"):
        shapes_project.export("coco", tmp_path / "out", keep_empty_images="False")


def test_coco_writes_to_an_fsspec_url(folder_shapes_project: lnb.Project, tmp_path: Path) -> None:
    import fsspec

    folder_shapes_project.export("coco_with_images", "memory://exports/coco/")
    fs = fsspec.filesystem("memory")
    doc = json.loads(fs.cat("/exports/coco/result.json"))
    folder_shapes_project.export("coco_with_images", tmp_path / "local")
    assert doc["annotations"] == coco_doc(tmp_path / "local")["annotations"]
    assert len(fs.ls("/exports/coco/images")) == len(SIZES)


def test_a_box_without_its_image_size_names_the_task(tmp_path: Path) -> None:
    project = lnb.Project.create(tmp_path / "p", SHAPES)
    bad = box("Cat", 1, 2, 3, 4, "street.png")
    del bad["original_width"]
    project.import_tasks([
        {"data": {"image": "images/street.png"}, "annotations": [{"result": [box("Dog", 1, 1, 1, 1, "street.png")]}]},
        {"data": {"image": "images/park.png"}, "annotations": [{"result": [bad]}]},
    ])  # fmt: skip
    with pytest.raises(ExportDataError, match=r"task 2, annotation 2, field 'box\[0\]\.original_width'"):
        project.export("coco", tmp_path / "out")
    assert not (tmp_path / "out" / "result.json").exists()


def run_writer(fmt: str, tasks: list[dict[str, Any]], config: str, out: Path) -> None:
    from labelnb.formats.catalog import FORMATS

    FORMATS[fmt].write(ExportRequest(tasks, LabelConfig.from_xml(config), ExportOutput(str(out))))


@pytest.mark.parametrize("fmt", ["coco", "yolo", "yolo_obb", "voc"])
def test_a_box_with_nan_names_the_task(tmp_path: Path, fmt: str) -> None:
    bad = box("Cat", math.nan, 2, 3, 4, "street.png")
    tasks = [{"id": 41, "data": {"image": "a.png"}, "annotations": [{"id": 9, "result": [bad]}]}]
    with pytest.raises(
        ExportDataError, match=r"task 41, annotation 9, field 'box\[0\]\.x': x must be a finite"
    ):
        run_writer(fmt, tasks, SHAPES, tmp_path / "out")


# -- YOLO ---------------------------------------------------------------------------------------------------

PLAIN = SHAPES.replace('<Label value="Dog" category="7"/>', '<Label value="Dog"/>').replace(
    '<Choices name="quality" toName="image"><Choice value="ok"/><Choice value="blurry"/></Choices>\n', ""
)


def files(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by its relative path."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def unhashed(found: dict[str, bytes]) -> dict[str, bytes]:
    return {re.sub(r"(^|/)[0-9a-f]{8}__", r"\1", name): body for name, body in found.items()}


def notes(folder: Path) -> dict[str, Any]:
    doc = json.loads((folder / "notes.json").read_text())
    assert doc["info"].pop("year") >= 2024
    return dict(doc)


def plain_project(tmp_path: Path) -> lnb.Project:
    """The shapes project's tasks under a config without Choices or category attributes."""
    source = lnb.Project.open(tmp_path / "p")
    project = lnb.Project.create(tmp_path / "plain", PLAIN)
    write_images(tmp_path / "plain")
    tasks = list(source.store.iter_export_tasks(expand_users=True))
    for task in tasks:
        for annotation in task["annotations"]:
            annotation["result"] = [r for r in annotation["result"] if r["from_name"] != "quality"]
            annotation["completed_by"] = annotation["completed_by"]["email"]
            for key in ("id", "task", "project"):
                annotation.pop(key, None)
        for key in ("id", "project", "inner_id"):
            task.pop(key, None)
    project.import_tasks(tasks)
    return project


@pytest.mark.parametrize("fmt", ["yolo", "yolo_obb"])
def test_yolo_equals_the_converters(folder_shapes_project: lnb.Project, tmp_path: Path, fmt: str) -> None:
    project = plain_project(tmp_path)
    project.export(fmt, tmp_path / "ours")
    theirs = sdk_export(project, tmp_path, fmt)
    ours_files, sdk_files = files(tmp_path / "ours"), files(theirs)
    ours_files.pop("notes.json"), sdk_files.pop("notes.json")
    assert ours_files == sdk_files
    assert notes(tmp_path / "ours") == notes(theirs)
    assert (tmp_path / "ours" / "images").is_dir()
    # what the comparison covers: an empty file for the task without annotations, the oldest of the two
    # annotations of street.png (as the converter leaves it), boxes and polygons
    labels = {
        name.split("__")[1]: body.decode() for name, body in ours_files.items() if name.startswith("labels/")
    }
    assert labels["empty.txt"] == ""
    assert len(labels["street.txt"].splitlines()) == 3
    assert ours_files["classes.txt"] == b"Bird\nCat\nDog\nLake\nRoad\n"
    widths = {len(line.split()) for body in labels.values() for line in body.splitlines()}
    assert widths == ({5, 7, 9} if fmt == "yolo" else {7, 9})


def test_yolo_classes_hold_only_shape_classes_in_line_order(
    shapes_project: lnb.Project, tmp_path: Path
) -> None:
    shapes_project.export("yolo", tmp_path / "ours")
    theirs = sdk_export(shapes_project, tmp_path, "yolo")
    classes = (tmp_path / "ours" / "classes.txt").read_text().splitlines()
    # Dog keeps its category 7; the converter adds the Choices' labels and puts Dog on line 0 (#243)
    assert classes == ["Bird", "Cat", "Lake", "Road", "unused_4", "unused_5", "unused_6", "Dog"]
    assert "ok" in (theirs / "classes.txt").read_text().splitlines()
    sdk_names = {c["id"]: c["name"] for c in notes(theirs)["categories"]}

    def named(folder: Path, name_of: Any) -> dict[str, list[list[str]]]:
        return {
            name: [[name_of(int(line.split()[0])), *line.split()[1:]] for line in body.decode().splitlines()]
            for name, body in files(folder).items()
            if name.startswith("labels/")
        }

    assert named(tmp_path / "ours", lambda n: classes[n]) == named(theirs, lambda n: sdk_names[n])


def test_yolo_with_images_equals_the_converters(
    folder_shapes_project: lnb.Project, tmp_path: Path, image_server: str
) -> None:
    folder_shapes_project.export("yolo_with_images", tmp_path / "ours")
    theirs = sdk_export(folder_shapes_project, tmp_path, "yolo_with_images", base_url=image_server)
    ours_files, sdk_files = unhashed(files(tmp_path / "ours")), unhashed(files(theirs))
    (
        ours_files.pop("notes.json"),
        sdk_files.pop("notes.json"),
        ours_files.pop("classes.txt"),
        sdk_files.pop("classes.txt"),
    )
    assert ours_files == sdk_files
    assert sorted(n for n in ours_files if n.startswith("images/")) == sorted(f"images/{n}" for n in SIZES)
    # each label file is named after its image's copy, as YOLO pairs them
    for name in (p.name for p in (tmp_path / "ours" / "labels").iterdir()):
        assert list((tmp_path / "ours" / "images").glob(name.replace(".txt", ".*")))


def test_yolo_obb_of_rotated_boxes_equals_the_converters(tmp_path: Path) -> None:
    project = lnb.Project.create(tmp_path / "p", PLAIN)
    s = "street.png"
    project.import_tasks([{"data": {"image": f"images/{s}"}, "annotations": [{"result": [
        box("Cat", 30, 20, 20, 10, s, rotation=30), box("Dog", 50, 50, 0, 10, s, rotation=90),
        box("Bird", 10, 10, 20, 20, s, rotation=359.5),
    ]}]}])  # fmt: skip
    project.export("yolo_obb", tmp_path / "ours")
    theirs = sdk_export(project, tmp_path, "yolo_obb")
    ours_files = files(tmp_path / "ours")
    sdk_files = files(theirs)
    ours_files.pop("notes.json"), sdk_files.pop("notes.json")
    assert ours_files == sdk_files
    assert len(next(v for k, v in ours_files.items() if k.startswith("labels/")).splitlines()) == 3


def test_yolo_pose_equals_the_converters(keypoint_project: lnb.Project, tmp_path: Path) -> None:
    keypoint_project.export("yolo", tmp_path / "ours")
    theirs = sdk_export(keypoint_project, tmp_path, "yolo")
    ours_files, sdk_files = files(tmp_path / "ours"), files(theirs)
    ours_files.pop("notes.json"), sdk_files.pop("notes.json")
    assert ours_files == sdk_files
    assert notes(tmp_path / "ours") == notes(theirs)
    street = next(v for k, v in ours_files.items() if k.endswith("street.txt")).decode().splitlines()
    # a box, then nose (model_index 0), eye (1) and tail (2): the person has no tail
    assert street[0].split()[5:] == ["0.255", "0.3025", "2", "0.2", "0.2", "2", "0.0", "0.0", "0"]


BRUSH_BOXES = """<View><Image name="image" value="$image"/>
<RectangleLabels name="box" toName="image"><Label value="Cat"/></RectangleLabels>
<BrushLabels name="mask" toName="image"><Label value="Road"/></BrushLabels>
</View>"""


def test_yolo_writes_brush_masks_as_segments(tmp_path: Path) -> None:
    import cv2
    import numpy as np

    from labelnb.formats.brush import mask_to_rle

    w, h = SIZES["street.png"]
    yy, xx = np.mgrid[0:h, 0:w]
    mask = ((xx - 15) ** 2 + (yy - 12) ** 2 < 64) | ((xx > 40) & (yy > 30))
    project = lnb.Project.create(tmp_path / "p", BRUSH_BOXES)
    stroke = region("brushlabels", "mask", {"format": "rle", "rle": mask_to_rle(mask), "brushlabels": ["Road"]},
                    "street.png")  # fmt: skip
    project.import_tasks([{"data": {"image": "images/street.png"}, "annotations": [
        {"result": [box("Cat", 10, 20, 30, 40, "street.png"), stroke]}]}])  # fmt: skip
    assert "yolo" in project.export_formats()
    project.export("yolo", tmp_path / "ours")
    lines = next((tmp_path / "ours" / "labels").iterdir()).read_text().splitlines()
    assert (tmp_path / "ours" / "classes.txt").read_text() == "Cat\nRoad\n"
    assert lines[0] == "0 0.25 0.4 0.3 0.4"
    contours, _ = cv2.findContours(mask.astype(np.uint8) * 255, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    expected = sorted([c / s for point in contour.reshape(-1, 2).tolist() for c, s in zip(point, (w, h), strict=True)]
                      for contour in contours)  # fmt: skip
    segments = sorted([float(v) for v in line.split()[1:]] for line in lines[1:])
    assert [line.split()[0] for line in lines[1:]] == ["1", "1"]
    assert segments == [pytest.approx(e) for e in expected]


def test_yolo_writes_to_an_fsspec_url(shapes_project: lnb.Project, tmp_path: Path) -> None:
    import fsspec

    shapes_project.export("yolo", "memory://exports/yolo/")
    shapes_project.export("yolo", tmp_path / "local")
    fs = fsspec.filesystem("memory")
    remote = {p.split("/exports/yolo/")[1]: fs.cat(p) for p in fs.find("/exports/yolo")}
    local = files(tmp_path / "local")
    remote.pop("notes.json"), local.pop("notes.json")
    assert remote == local


def test_an_oriented_box_without_its_image_size_names_the_task(tmp_path: Path) -> None:
    project = lnb.Project.create(tmp_path / "p", PLAIN)
    bad = box("Cat", 1, 2, 3, 4, "street.png")
    del bad["original_height"]
    project.import_tasks([{"data": {"image": "images/street.png"}, "annotations": [{"result": [bad]}]}])
    project.export("yolo", tmp_path / "plain")  # plain YOLO boxes need no image size
    with pytest.raises(ExportDataError, match=r"task 1, annotation 1, field 'box\[0\]\.original_height'"):
        project.export("yolo_obb", tmp_path / "out")


def test_yolo_refuses_unknown_options(shapes_project: lnb.Project, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown option"):
        shapes_project.export("yolo", tmp_path / "out", split_labelers=True)


# -- VOC ----------------------------------------------------------------------------------------------------


def test_voc_equals_the_converters(shapes_project: lnb.Project, tmp_path: Path) -> None:
    shapes_project.export("voc", tmp_path / "ours")
    theirs = sdk_export(shapes_project, tmp_path, "voc")
    ours_files = files(tmp_path / "ours")
    assert ours_files == files(theirs)
    assert (tmp_path / "ours" / "images").is_dir()
    # what the comparison covers: street (its oldest annotation: Cat and Dog) and park; no file for the
    # task without annotations, the empty one or the one with only a choice
    assert sorted(name.split("__")[1] for name in ours_files) == ["park.xml", "street.xml"]
    street = next(body for name, body in ours_files.items() if name.endswith("street.xml")).decode()
    assert "<name>Cat</name>" in street
    assert "<name>Dog</name>" in street
    assert "<name>Bird</name>" not in street
    assert "<xmin>6</xmin>" in street
    assert "<annotator>ann@example.org</annotator>" in street


def test_voc_with_images_equals_the_converters(
    folder_shapes_project: lnb.Project, tmp_path: Path, image_server: str
) -> None:
    (tmp_path / "p" / "images" / "park.png").write_bytes(b"")  # replaced by an RGBA image: depth 4
    Image.new("RGBA", SIZES["park.png"]).save(tmp_path / "p" / "images" / "park.png")
    folder_shapes_project.export("voc", tmp_path / "ours", with_images=True)
    theirs = sdk_export(folder_shapes_project, tmp_path, "voc", base_url=image_server, download=True)
    ours_files = unhashed(files(tmp_path / "ours"))
    sdk_files = {name: re.sub(rb"[0-9a-f]{8}__", b"", body) for name, body in unhashed(files(theirs)).items()}
    ours_files = {name: re.sub(rb"[0-9a-f]{8}__", b"", body) for name, body in ours_files.items()}
    assert ours_files == sdk_files
    assert sorted(n for n in ours_files if n.startswith("images/")) == sorted(f"images/{n}" for n in SIZES)
    assert b"<depth>4</depth>" in ours_files["Annotations/park.xml"]


def test_voc_rotated_boxes_are_the_bounds_of_their_corners(tmp_path: Path) -> None:
    project = lnb.Project.create(tmp_path / "p", PLAIN)
    s = "street.png"
    project.import_tasks([{"data": {"image": f"images/{s}"}, "annotations": [{"result": [
        box("Cat", 30, 20, 20, 10, s, rotation=30)]}]}])  # fmt: skip
    project.export("voc", tmp_path / "ours")
    xml_text = next((tmp_path / "ours" / "Annotations").iterdir()).read_text()
    corners = convert_annotation_to_yolo_obb(
        {"x": 30, "y": 20, "width": 20, "height": 10, "rotation": 30, "original_width": 64,
         "original_height": 48}, normalize=False)  # fmt: skip
    xs, ys = [c[0] for c in corners], [c[1] for c in corners]
    left, top = int(min(xs)), int(min(ys))
    for tag, n in (("xmin", left), ("ymin", top), ("xmax", left + int(max(xs) - min(xs))),
                   ("ymax", top + int(max(ys) - min(ys)))):  # fmt: skip
        assert f"<{tag}>{n}</{tag}>" in xml_text
    sdk = next((sdk_export(project, tmp_path, "voc") / "Annotations").iterdir()).read_text()
    assert "<xmin>19</xmin>" in sdk  # the converter ignores the rotation: int(30% of 64)
    assert "<xmin>19</xmin>" not in xml_text


def test_voc_takes_the_image_size_from_any_region(tmp_path: Path) -> None:
    project = lnb.Project.create(tmp_path / "p", SHAPES)
    s = "street.png"
    project.import_tasks([{"data": {"image": f"images/{s}"}, "annotations": [{"result": [
        choice("ok"), box("Cat", 10, 20, 30, 40, s)]}]}])  # fmt: skip
    project.export("voc", tmp_path / "ours")
    assert not list(
        (sdk_export(project, tmp_path, "voc") / "Annotations").iterdir()
    )  # the converter drops it
    xml_text = next((tmp_path / "ours" / "Annotations").iterdir()).read_text()
    assert "<width>64</width>" in xml_text
    assert "<name>Cat</name>" in xml_text


def test_voc_box_without_its_image_size_names_the_task(tmp_path: Path) -> None:
    project = lnb.Project.create(tmp_path / "p", PLAIN)
    bad = box("Cat", 1, 2, 3, 4, "street.png")
    del bad["original_width"]
    project.import_tasks([{"data": {"image": "images/street.png"}, "annotations": [{"result": [bad]}]}])
    with pytest.raises(ExportDataError, match=r"task 1, annotation 1, field 'box\[0\]\.original_width'"):
        project.export("voc", tmp_path / "out")


def test_voc_refuses_unknown_options_and_writes_to_an_fsspec_url(
    shapes_project: lnb.Project, tmp_path: Path
) -> None:
    import fsspec

    with pytest.raises(ValueError, match="unknown option"):
        shapes_project.export("voc", tmp_path / "out", images=True)
    shapes_project.export("voc", "memory://exports/voc/")
    shapes_project.export("voc", tmp_path / "local")
    fs = fsspec.filesystem("memory")
    remote = {p.split("/exports/voc/")[1]: fs.cat(p) for p in fs.find("/exports/voc")}
    assert remote == files(tmp_path / "local")


@pytest.mark.parametrize("fmt", ["coco_with_images", "yolo_with_images"])
def test_an_image_that_cannot_be_read_names_the_task(tmp_path: Path, fmt: str) -> None:
    project = lnb.Project.create(tmp_path / "p", PLAIN)
    write_images(tmp_path / "p")
    project.import_tasks([
        {"data": {"image": "images/street.png"}, "annotations": [{"result": [box("Cat", 1, 1, 1, 1, "street.png")]}]},
        {"data": {"image": "images/missing.png"}},
        {"data": {"image": "/etc/hostname"}},
    ])  # fmt: skip
    with pytest.raises(ExportDataError, match=r"task 2: cannot read the image: .*missing\.png.*media_roots="):
        project.export(fmt, tmp_path / "out")
    (tmp_path / "p" / "images" / "missing.png").write_bytes(b"not a png")
    with pytest.raises(ExportDataError, match=r"task 2: 'images/missing.png' is not an image"):
        project.export(fmt, tmp_path / "out")
    Image.new("RGB", (4, 4)).save(tmp_path / "p" / "images" / "missing.png")
    with pytest.raises(ExportDataError, match=r"task 3: cannot read the image"):  # outside the media roots
        project.export(fmt, tmp_path / "out")


def test_yolo_labels_appear_whole_or_not_at_all(shapes_project: lnb.Project, tmp_path: Path) -> None:
    shapes_project.export("yolo", tmp_path / "out")
    first = files(tmp_path / "out")
    shapes_project.export("yolo", tmp_path / "out")  # into the folder of the first: files move in one by one
    assert files(tmp_path / "out") == first
    assert [p.name for p in (tmp_path / "out").iterdir() if ".part" in p.name] == []
    broken = lnb.Project.create(tmp_path / "broken", PLAIN)
    bad = box("Cat", 1, 2, 3, 4, "street.png")
    del bad["original_width"]
    broken.import_tasks([
        {"data": {"image": "images/street.png"}, "annotations": [{"result": [box("Dog", 1, 1, 1, 1, "street.png")]}]},
        {"data": {"image": "images/park.png"}, "annotations": [{"result": [bad]}]},
    ])  # fmt: skip
    with pytest.raises(ExportDataError):
        broken.export("yolo_obb", tmp_path / "failed")
    assert [p.name for p in (tmp_path / "failed").iterdir()] == []  # not even the first task's file


@pytest.mark.parametrize("start_after", [2000, 0], ids=["in-process", "writer-process"])
def test_staged_folder_keeps_the_last_write_of_a_name_and_fails_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, start_after: int
) -> None:
    from labelnb.formats.file_writer import FileWriter
    from labelnb.formats.output import ExportOutput, StagedFolder

    monkeypatch.setattr(FileWriter, "START_AFTER", start_after)
    count = 1007
    with StagedFolder(ExportOutput(tmp_path / "out"), "labels") as folder:
        for k in range(count):
            folder.write_bytes(f"{k % 100}.txt", f"{k}\n".encode())  # later writes of a name win
        assert folder.exists("99.txt")  # written by now, by whichever process writes
        assert not folder.exists("nothing.txt")
        folder.write_bytes("sub/last.txt", b"x")
    labels = tmp_path / "out" / "labels"
    assert sorted(int(p.stem) for p in labels.glob("*.txt")) == list(range(100))
    assert {p.read_text() for p in labels.glob("*.txt")} == {f"{k}\n" for k in range(count - 100, count)}
    assert (labels / "sub" / "last.txt").read_bytes() == b"x"

    # a write that cannot be made (a folder stands where the file goes) fails the whole folder
    def write_over_a_folder() -> None:
        with StagedFolder(ExportOutput(tmp_path / "bad"), "labels") as folder:
            folder.write_bytes("taken/a.txt", b"")
            for k in range(count):
                folder.write_bytes("taken" if k == 5 else f"{k}.txt", b"y")

    with pytest.raises(IsADirectoryError) as raised:
        write_over_a_folder()
    assert raised.value.filename.endswith("/taken")
    assert list((tmp_path / "bad").iterdir()) == []


def test_the_writer_process_stops_with_its_export(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import psutil

    from labelnb.formats.file_writer import FileWriter

    monkeypatch.setattr(FileWriter, "START_AFTER", 0)
    me = psutil.Process()
    before = {p.pid for p in me.children()}
    # closed: everything written, the child gone
    writer = FileWriter()
    writer.write(str(tmp_path / "a.txt"), b"a")
    child = psutil.Process(next(p.pid for p in me.children() if p.pid not in before))
    writer.close()
    assert (tmp_path / "a.txt").read_bytes() == b"a"
    assert not child.is_running() or child.status() == psutil.STATUS_ZOMBIE
    # aborted (the export failed): the child is killed and reaped, whatever it had left
    writer = FileWriter()
    writer.write(str(tmp_path / "b.txt"), b"b")
    writer.abort()
    assert {p.pid for p in me.children()} == before
    # its parent gone (the kernel died): the child reads the end of its input and exits by itself
    writer = FileWriter()
    writer.write(str(tmp_path / "c.txt"), b"c")
    writer.sync()
    orphan = writer._child
    assert orphan is not None
    assert orphan.stdin is not None
    orphan.stdin.close()
    assert orphan.wait(timeout=30) == 0
    assert (tmp_path / "c.txt").read_bytes() == b"c"
    writer.abort()


def test_yolo_through_the_writer_process_equals_in_process(
    shapes_project: lnb.Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from labelnb.formats.file_writer import FileWriter

    shapes_project.export("yolo", tmp_path / "here")
    monkeypatch.setattr(FileWriter, "START_AFTER", 1)
    shapes_project.export("yolo", tmp_path / "there")
    assert files(tmp_path / "there") == files(tmp_path / "here")
