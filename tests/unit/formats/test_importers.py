"""COCO and YOLO datasets into tasks, checked against label-studio-sdk's importers on the same input."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import fsspec
import pytest
from label_studio_sdk.converter.imports.coco import convert_coco_to_ls
from label_studio_sdk.converter.imports.yolo import convert_yolo_to_ls
from PIL import Image

import labelnb as lnb
from labelnb.config import LabelConfig
from labelnb.formats import (
    TaskImportError,
    coco_config,
    read_coco,
    read_yolo,
    yolo_config,
)

BOXES = """<View><Image name="image" value="$image"/>
<RectangleLabels name="label" toName="image"><Label value="cat"/><Label value="dog"/></RectangleLabels>
<PolygonLabels name="polygon" toName="image"><Label value="cat"/><Label value="dog"/></PolygonLabels>
<KeyPointLabels name="keypoint" toName="image"><Label value="cat"/><Label value="dog"/>
  <Label value="nose"/><Label value="eye"/></KeyPointLabels>
</View>"""


def regions(task: dict[str, Any], kind: str = "annotations") -> list[tuple[Any, ...]]:
    """A task's regions without what importers make up (ids, control names): type, labels and geometry."""
    out = []
    for item in task.get(kind, [{}])[0].get("result", []):
        value = dict(item["value"])
        labels = value.pop(item["type"])
        geometry = {k: v for k, v in value.items() if k != "rotation"}
        out.append((item["type"], tuple(labels), json.dumps(geometry, sort_keys=True), item.get("score")))
    return sorted(out)


def close(a: list[tuple[Any, ...]], b: list[tuple[Any, ...]]) -> bool:
    def numbers(rows: list[tuple[Any, ...]]) -> list[float]:
        flat: list[float] = []

        def walk(v: Any) -> None:
            if isinstance(v, dict):
                for key in sorted(v):
                    walk(v[key])
            elif isinstance(v, list):
                for x in v:
                    walk(x)
            elif isinstance(v, (int, float)) and not isinstance(v, bool):
                flat.append(float(v))

        for row in rows:
            walk(json.loads(row[2]))
        return flat

    same_shape = [(r[0], r[1], r[3]) for r in a] == [(r[0], r[1], r[3]) for r in b]
    return same_shape and all(
        math.isclose(x, y, abs_tol=1e-6) for x, y in zip(numbers(a), numbers(b), strict=True)
    )


# -- YOLO ------------------------------------------------------------------------------------------------


@pytest.fixture
def yolo_folder(tmp_path: Path) -> Path:
    root = tmp_path / "yolo"
    (root / "images").mkdir(parents=True)
    (root / "labels").mkdir()
    (root / "classes.txt").write_text("cat\ndog\n")
    Image.new("RGB", (640, 480)).save(root / "images" / "a.jpg")
    Image.new("RGB", (200, 100)).save(root / "images" / "b.png")
    Image.new("RGB", (50, 50)).save(root / "images" / "c.jpg")
    Image.new("RGB", (60, 60)).save(root / "images" / "d.jpg")
    (root / "labels" / "a.txt").write_text("0 0.5 0.5 0.25 0.5\n1 0.1 0.2 0.1 0.1 0.875\n")
    (root / "labels" / "b.txt").write_text("1 0.25 0.75 0.5 0.5\n")
    (root / "labels" / "d.txt").write_text("")  # labelled: nothing in it
    return root


def test_yolo_boxes_equal_label_studio_sdks_import(yolo_folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "sdk.json"
    convert_yolo_to_ls(str(yolo_folder), str(out), image_root_url="/x", image_ext=".jpg,.png")
    theirs = {Path(t["data"]["image"]).name: t for t in json.loads(out.read_text())}
    ours = {
        Path(t["data"]["image"]).name: t for t in read_yolo(str(yolo_folder), LabelConfig.from_xml(BOXES))
    }
    assert sorted(ours) == sorted(theirs) == ["a.jpg", "b.png", "c.jpg", "d.jpg"]
    for name, task in ours.items():
        assert ("annotations" in task) == ("annotations" in theirs[name]), name
        assert close(regions(task), regions(theirs[name])), name
        for item in task.get("annotations", [{}])[0].get("result", []):
            assert (item["original_width"], item["original_height"]) == Image.open(
                yolo_folder / "images" / name
            ).size
    assert [r[3] for r in regions(ours["a.jpg"])] == [None, 0.875]
    assert ours["d.jpg"]["annotations"] == [{"result": [], "ground_truth": False}]
    assert ours["a.jpg"]["data"]["image"] == f"{yolo_folder}/images/a.jpg"


def test_yolo_polygons_predictions_and_a_project(yolo_folder: Path, store_location: str) -> None:
    (yolo_folder / "labels" / "c.txt").write_text("0 0.1 0.1 0.9 0.1 0.5 0.8\n")
    project = lnb.Project.create(store_location, yolo_config(str(yolo_folder)), media_roots=[yolo_folder])
    assert [c.tag for c in project.config.controls.values()] == ["RectangleLabels", "PolygonLabels"]
    report = project.import_yolo(yolo_folder, as_predictions=True, model_version="yolov8n")
    assert report.tasks == 4
    tasks = {Path(t["data"]["image"]).name: t for t in project.export("json")}
    polygon = tasks["c.jpg"]["predictions"][0]["result"][0]
    assert polygon["value"]["points"] == [[10.0, 10.0], [90.0, 10.0], [50.0, 80.0]]
    assert polygon["value"]["polygonlabels"] == ["cat"]
    assert tasks["a.jpg"]["predictions"][0]["model_version"] == "yolov8n"
    assert all(not t["annotations"] for t in tasks.values())


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("2 0.5 0.5 0.1 0.1", "class '2' is not a line of classes.txt"),
        ("x 0.5 0.5 0.1 0.1", "class 'x'"),
        ("0 0.5 0.5 0.1", "4 values"),
        ("0 0.5 nan 0.1 0.1", "'nan' is not a finite number"),
        ("0 0.5 0.5 -0.1 0.1", "no negative width"),
        ("0 0.1 0.1 0.2 0.2 0.3 0.3 0.4", "8 values"),
    ],
)
def test_a_bad_yolo_line_names_its_file_and_line_and_stores_nothing(
    yolo_folder: Path, store_location: str, line: str, message: str
) -> None:
    (yolo_folder / "labels" / "b.txt").write_text(f"1 0.25 0.75 0.5 0.5\n\n{line}\n")
    project = lnb.Project.create(store_location, BOXES)
    with pytest.raises(TaskImportError, match=message) as caught:
        project.import_yolo(yolo_folder)
    assert str(caught.value).startswith("labels/b.txt, row 3")
    assert len(project) == 0


def test_yolo_folder_needs_its_classes_and_a_config_with_boxes(yolo_folder: Path, tmp_path: Path) -> None:
    polygons_only = BOXES.replace('<RectangleLabels name="label" toName="image"><Label value="cat"/>'
                                  '<Label value="dog"/></RectangleLabels>', "")  # fmt: skip
    with pytest.raises(TaskImportError, match="no RectangleLabels on the Image 'image'"):
        read_yolo(str(yolo_folder), LabelConfig.from_xml(polygons_only))
    (yolo_folder / "classes.txt").unlink()
    with pytest.raises(TaskImportError, match=r"classes\.txt"):
        read_yolo(str(yolo_folder), LabelConfig.from_xml(BOXES))


def test_yolo_reads_an_fsspec_folder(yolo_folder: Path) -> None:
    fs = fsspec.filesystem("memory")
    for path in yolo_folder.rglob("*"):
        if path.is_file():
            fs.pipe(f"/ds/{path.relative_to(yolo_folder)}", path.read_bytes())
    tasks = read_yolo("memory://ds", LabelConfig.from_xml(BOXES))
    assert [t["data"]["image"] for t in tasks][:2] == ["memory://ds/images/a.jpg", "memory://ds/images/b.png"]
    assert tasks[0]["annotations"][0]["result"][0]["original_width"] == 640


# -- COCO ------------------------------------------------------------------------------------------------

COCO: dict[str, Any] = {
    "images": [
        {"id": 1, "file_name": "one.jpg", "width": 640, "height": 480},
        {"id": 2, "file_name": "two.jpg", "width": 100, "height": 200},
        {"id": 3, "file_name": "empty.jpg", "width": 10, "height": 10},
    ],
    "categories": [{"id": 0, "name": "cat"}, {"id": 7, "name": "dog", "supercategory": "animal"}],
    "annotations": [
        {"id": 10, "image_id": 1, "category_id": 0, "bbox": [64, 48, 320, 240], "iscrowd": 0},
        {"id": 11, "image_id": 1, "category_id": 7, "bbox": [10, 10, 50, 50], "iscrowd": 0,
         "segmentation": [[10, 10, 60, 10, 60, 60], [0, 0, 5, 0, 5, 5]]},
        {"id": 12, "image_id": 2, "category_id": 0, "bbox": [0, 0, 10, 10], "iscrowd": 0,
         "keypoints": [50, 100, 2, 25, 50, 1]},
    ],
}  # fmt: skip


def write_coco(tmp_path: Path, doc: dict[str, Any] = COCO) -> Path:
    path = tmp_path / "coco" / "instances.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(doc))
    return path


def test_coco_equals_label_studio_sdks_import(tmp_path: Path) -> None:
    source = write_coco(tmp_path)
    convert_coco_to_ls(str(source), str(tmp_path / "sdk.json"), image_root_url="/x/")
    theirs = json.loads((tmp_path / "sdk.json").read_text())
    ours = read_coco(str(source), LabelConfig.from_xml(BOXES), derived_boxes=True)
    assert [Path(t["data"]["image"]).name for t in ours] == ["one.jpg", "two.jpg", "empty.jpg"]
    assert [Path(t["data"]["image"]).name for t in theirs] == ["one.jpg", "two.jpg", "empty.jpg"]
    for mine, sdk in zip(ours, theirs, strict=True):
        assert close(regions(mine), regions(sdk)), mine["data"]
    assert ours[0]["data"]["image"] == f"{source.parent}/one.jpg"


def test_coco_leaves_out_the_boxes_coco_derives_and_unlabelled_points(tmp_path: Path) -> None:
    doc = json.loads(json.dumps(COCO))
    doc["categories"][0]["keypoints"] = ["nose", "eye"]
    doc["annotations"][2]["keypoints"] = [50, 100, 2, 0, 0, 0]
    tasks = read_coco(str(write_coco(tmp_path, doc)), LabelConfig.from_xml(BOXES))
    assert [r[:2] for r in regions(tasks[0])] == [
        ("polygonlabels", ("dog",)), ("polygonlabels", ("dog",)), ("rectanglelabels", ("cat",))
    ]  # fmt: skip
    assert [(r[0], r[1]) for r in regions(tasks[1])] == [("keypointlabels", ("nose",))]
    assert json.loads(regions(tasks[1])[0][2]) == {"x": 50.0, "y": 50.0, "width": 1.0}
    assert tasks[2]["annotations"] == [{"result": [], "ground_truth": False}]


def test_a_coco_file_makes_its_config_and_imports_with_super_categories(
    tmp_path: Path, store_location: str
) -> None:
    source = write_coco(tmp_path)
    project = lnb.Project.create(store_location, coco_config(str(source), use_super_categories=True))
    assert [c.tag for c in project.config.controls.values()] == [
        "RectangleLabels", "PolygonLabels", "KeyPointLabels"
    ]  # fmt: skip
    project.import_coco(source, use_super_categories=True, as_predictions=True, model_version="gt")
    exported = project.export("json")
    assert len(exported) == 3
    labels = {
        lab for t in exported for p in t["predictions"] for r in p["result"] for lab in r["value"][r["type"]]
    }
    assert labels == {"cat", "animal:dog"}
    assert not exported[2]["predictions"]  # no empty prediction for an image without objects


@pytest.mark.parametrize(
    ("change", "message", "where"),
    [
        (lambda d: d["annotations"][1].update(image_id=99), "image_id 99 is not in 'images'", "annotations[1].image_id"),
        (lambda d: d["annotations"][0].update(category_id=3), "category_id 3", "annotations[0].category_id"),
        (lambda d: d["annotations"][0].update(bbox=[1, 2, 3]), "a bbox is", "annotations[0].bbox"),
        (lambda d: d["annotations"][0].update(bbox=[1, 2, -3, 4]), "no negative size", "annotations[0].bbox"),
        (lambda d: d["annotations"][1]["segmentation"][0].append(1), "pairs", "annotations[1].segmentation[0]"),
        (lambda d: d["annotations"][2].update(keypoints=[1, 2]), "triples", "annotations[2].keypoints"),
        (lambda d: d["images"][1].update(width=0), "positive", "images[1]"),
        (lambda d: d["images"][1].update(width="wide"), "'wide' is not a finite", "images[1].width/height"),
        (lambda d: d["annotations"][0].update(iscrowd=1, segmentation={"counts": [1, 2], "size": [4, 4]}),
         "crowd annotations", "annotations[0].segmentation"),
    ],
)  # fmt: skip
def test_a_bad_coco_annotation_is_named_and_nothing_is_stored(
    tmp_path: Path, store_location: str, change: Any, message: str, where: str
) -> None:
    doc = json.loads(json.dumps(COCO))
    change(doc)
    project = lnb.Project.create(store_location, BOXES)
    with pytest.raises(TaskImportError, match=message) as caught:
        project.import_coco(write_coco(tmp_path, doc))
    assert caught.value.field == where
    assert caught.value.source == "instances.json"
    assert len(project) == 0


def test_coco_nan_in_json_and_crowd_options(tmp_path: Path) -> None:
    source = tmp_path / "nan.json"
    source.write_text(json.dumps(COCO).replace("[64, 48, 320, 240]", "[64, NaN, 320, 240]"))
    with pytest.raises(TaskImportError, match="not valid JSON"):
        read_coco(str(source), LabelConfig.from_xml(BOXES))
    doc = json.loads(json.dumps(COCO))
    doc["annotations"][0].update(iscrowd=1, segmentation={"counts": "abc", "size": [480, 640]})
    config = LabelConfig.from_xml(BOXES)
    boxed = read_coco(str(write_coco(tmp_path, doc)), config, crowd="box")
    skipped = read_coco(str(write_coco(tmp_path, doc)), config, crowd="skip")
    assert ("rectanglelabels", ("cat",)) in [r[:2] for r in regions(boxed[0])]
    assert ("rectanglelabels", ("cat",)) not in [r[:2] for r in regions(skipped[0])]


def test_a_label_the_config_lacks_is_named(tmp_path: Path) -> None:
    doc = json.loads(json.dumps(COCO))
    doc["categories"][1]["name"] = "horse"
    with pytest.raises(TaskImportError, match="label 'horse' is not one of 'polygon'"):
        read_coco(str(write_coco(tmp_path, doc)), LabelConfig.from_xml(BOXES))


def test_a_coco_export_imported_back_gives_the_same_regions(tmp_path: Path, store_location: str) -> None:
    """Regions → COCO (this project's own coco export) → regions again."""
    config = BOXES[: BOXES.index("<KeyPointLabels")] + "</View>"  # COCO files key points apart
    project = lnb.Project.create(store_location, config)
    box = {"x": 10.0, "y": 20.0, "width": 30.0, "height": 40.0, "rotation": 0, "rectanglelabels": ["dog"]}
    polygon = {"points": [[10.0, 10.0], [50.0, 12.5], [30.0, 60.0]], "polygonlabels": ["cat"]}
    size = {"original_width": 800, "original_height": 600, "image_rotation": 0, "to_name": "image"}
    project.import_tasks([
        {"data": {"image": "photos/a.jpg"}, "annotations": [{"result": [
            {"id": "b1", "from_name": "label", "type": "rectanglelabels", "value": box, **size},
            {"id": "p1", "from_name": "polygon", "type": "polygonlabels", "value": polygon, **size},
        ]}]},
    ])  # fmt: skip
    project.export("coco", tmp_path / "coco")
    again = read_coco(str(tmp_path / "coco" / "result.json"), LabelConfig.from_xml(config))
    assert len(again) == 1
    original = regions(project.export("json")[0])
    assert len(original) == 2
    assert close(regions(again[0]), original)
