"""brush_to_numpy, brush_to_png, brush_to_coco, conll2003 and asr_manifest equal label-studio-sdk's output.

Each test builds a project, exports it with labelnb, and runs the SDK's ``Converter`` on the very tasks
the writers read (the store's export tasks, users as ``{id, email}``), then compares the files.
"""

from __future__ import annotations

import functools
import http.server
import io
import json
import threading
import wave
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import orjson
import pytest
from label_studio_sdk.converter import Converter
from label_studio_sdk.converter.brush import decode_rle as sdk_decode_rle
from label_studio_sdk.converter.brush import encode_rle as sdk_encode_rle
from PIL import Image

import labelnb as lnb
from labelnb.formats.brush import BrushError, decode_rle, mask_to_rle, polygon_mask, rle_to_mask
from labelnb.formats.writing import ExportDataError

BRUSH = """<View><Image name="image" value="$image"/>
<BrushLabels name="mask" toName="image"><Label value="road"/><Label value="car/truck"/></BrushLabels>
<PolygonLabels name="poly" toName="image"><Label value="road"/><Label value="sky"/></PolygonLabels>
<RectangleLabels name="box" toName="image"><Label value="sign"/></RectangleLabels>
</View>"""
W, H = 40, 30


def sdk_export(
    project: lnb.Project,
    tmp_path: Path,
    config: str,
    fmt: str,
    *,
    download: bool = False,
    only_annotated: bool = False,
) -> Path:
    """The SDK converter's output for the tasks labelnb's writers read."""
    tasks = list(project.store.iter_export_tasks(only_annotated=only_annotated, expand_users=True))
    source = tmp_path / "sdk-input.json"
    source.write_bytes(orjson.dumps(tasks))
    out = tmp_path / f"sdk-{fmt}"
    out.mkdir(exist_ok=True)
    Converter(config, str(tmp_path), download_resources=download).convert(
        str(source), str(out), fmt, is_dir=False
    )
    return out


def brush_region(mask: np.ndarray, label: str, ident: str) -> dict[str, Any]:
    return {"id": ident, "from_name": "mask", "to_name": "image", "type": "brushlabels",
            "original_width": W, "original_height": H, "image_rotation": 0,
            "value": {"format": "rle", "rle": mask_to_rle(mask), "brushlabels": [label]}}  # fmt: skip


def shapes() -> dict[str, np.ndarray]:
    yy, xx = np.mgrid[0:H, 0:W]
    disc = (xx - 12) ** 2 + (yy - 10) ** 2 < 36
    two = (xx < 5) | ((xx > 30) & (yy > 20))
    ring = ((xx - 25) ** 2 + (yy - 15) ** 2 < 81) & ((xx - 25) ** 2 + (yy - 15) ** 2 > 16)
    return {"disc": disc, "two": two, "ring": ring}


@pytest.fixture
def brush_project(store_location: str) -> lnb.Project:
    m = shapes()
    poly = {"id": "p1", "from_name": "poly", "to_name": "image", "type": "polygonlabels", "original_width": W,
            "original_height": H, "image_rotation": 0,
            "value": {"points": [[10, 10], [80, 20], [50, 90]], "polygonlabels": ["sky"]}}  # fmt: skip
    box = {"id": "r1", "from_name": "box", "to_name": "image", "type": "rectanglelabels", "original_width": W,
           "original_height": H, "image_rotation": 0,
           "value": {"x": 5, "y": 10, "width": 20, "height": 30, "rotation": 0, "rectanglelabels": ["sign"]}}  # fmt: skip
    project = lnb.Project.create(store_location, BRUSH)
    project.import_tasks([
        {"data": {"image": "images/street.png"}, "annotations": [
            {"completed_by": {"email": "ann+1@example.org"}, "created_at": "2024-01-01T00:00:00Z",
             "result": [brush_region(m["disc"], "road", "a"), brush_region(m["two"], "road", "b"),
                        brush_region(m["ring"], "car/truck", "c"), poly, box]},
            {"completed_by": {"email": "ben@example.org"}, "created_at": "2024-02-01T00:00:00Z",
             "result": [brush_region(m["ring"], "road", "d")]},
            {"completed_by": {"email": "cat@example.org"}, "was_cancelled": True, "result": []},
        ]},
        {"data": {"image": "images/empty.jpg"}},
    ], user="ann@example.org")  # fmt: skip
    return project


def test_rle_decodes_as_label_studio_and_refuses_what_is_broken() -> None:
    rng = np.random.default_rng(7)
    for values in (
        rng.integers(0, 256, 5000),
        np.repeat(rng.random(3000) > 0.5, 4) * 255,
        np.zeros(70000 * 4),
    ):
        rle = sdk_encode_rle(values.astype(np.uint8))
        assert (decode_rle(rle) == sdk_decode_rle(rle)).all()
    rle = mask_to_rle(shapes()["disc"])
    assert (rle_to_mask(rle, W, H) == shapes()["disc"] * 255).all()
    for broken, message in [
        (rle[:10], "ends after"), (rle[:4], "53-bit header"), ([1, 2, 300], "0 to 255"),
        ([255, 255, 255, 255, 0xE0, 0, 0, 0], "more than"),
    ]:  # fmt: skip
        with pytest.raises(BrushError, match=message):
            decode_rle(broken)
    with pytest.raises(BrushError, match="where the image needs"):
        rle_to_mask(rle, W, H + 1)


@pytest.mark.parametrize(("fmt", "suffix"), [("brush_to_numpy", ".npy"), ("brush_to_png", ".png")])
def test_brush_masks_equal_the_converters(
    brush_project: lnb.Project, tmp_path: Path, fmt: str, suffix: str
) -> None:
    brush_project.export(fmt, tmp_path / "ours")
    theirs = sdk_export(brush_project, tmp_path, BRUSH, fmt.upper())
    names = sorted(p.name for p in (tmp_path / "ours").iterdir())
    assert names == sorted(p.name for p in theirs.iterdir())
    assert names == sorted(
        f"task-1-annotation-{a}-by-{who}-mask-{label}{suffix}"
        for a, who, label in [(1, "ann1@example.org", "road-0"), (1, "ann1@example.org", "road-1"),
                              (1, "ann1@example.org", "car-truck-0"), (2, "ben@example.org", "road-0")]
    )  # fmt: skip

    def read(path: Path) -> np.ndarray:
        return np.load(path) if suffix == ".npy" else np.asarray(Image.open(path))

    for name in names:
        ours, sdk = read(tmp_path / "ours" / name), read(theirs / name)
        assert ours.dtype == sdk.dtype, name
        assert (ours == sdk).all(), name
    disc = read(tmp_path / "ours" / f"task-1-annotation-1-by-ann1@example.org-mask-road-0{suffix}")
    assert (disc == shapes()["disc"] * 255).all()


def test_polygons_export_as_masks_on_request(brush_project: lnb.Project, tmp_path: Path) -> None:
    brush_project.export("brush_to_png", tmp_path / "out", polygons=True)
    sky = np.asarray(Image.open(tmp_path / "out" / "task-1-annotation-1-by-ann1@example.org-poly-sky-0.png"))
    assert (sky == polygon_mask([[10, 10], [80, 20], [50, 90]], W, H)).all()
    assert sky[12, 20] == 255
    assert sky[2, 2] == 0
    square = polygon_mask([[25, 25], [75, 25], [75, 75], [25, 75]], 8, 8)
    assert square.sum() == 16 * 255
    assert (square[2:6, 2:6] == 255).all()


def test_brush_to_coco_equals_the_converters(brush_project: lnb.Project, tmp_path: Path) -> None:
    brush_project.export("brush_to_coco", tmp_path / "ours")
    theirs = sdk_export(brush_project, tmp_path, BRUSH, "BRUSH_TO_COCO")
    ours_doc = json.loads((tmp_path / "ours" / "result_coco.json").read_text())
    sdk_doc = json.loads((theirs / "result_coco.json").read_text())
    for doc in (ours_doc, sdk_doc):
        doc.pop("info")
        for category in doc["categories"]:
            category.pop("color")  # the converter picks it at random
    assert ours_doc == sdk_doc
    assert (tmp_path / "ours" / "images").is_dir()
    kinds = {(a["category_id"], bool(a["segmentation"])) for a in ours_doc["annotations"]}
    assert len(ours_doc["annotations"]) >= 6
    assert len(kinds) >= 3


@pytest.mark.parametrize("fmt", ["brush_to_numpy", "brush_to_coco"])
def test_a_broken_mask_names_its_region(tmp_path: Path, store_location: str, fmt: str) -> None:
    project = lnb.Project.create(store_location, BRUSH)
    region = brush_region(shapes()["disc"], "road", "a")
    region["original_height"] = H + 2  # the RLE no longer fits its image
    project.import_tasks([{"data": {"image": "x.png"}, "annotations": [{"result": [region]}]}])
    with pytest.raises(ExportDataError, match=r"task 1, annotation 1, field 'mask\[0\]': the RLE holds"):
        project.export(fmt, tmp_path / "out")
    assert not list((tmp_path / "out").glob("*.json")) if (tmp_path / "out").exists() else True


# -- CoNLL 2003 ---------------------------------------------------------------------------------------------

NER = """<View><Text name="text" value="$text"/>
<Labels name="ner" toName="text"><Label value="PER"/><Label value="ORG"/><Label value="LOC"/></Labels>
</View>"""


def span(text: str, part: str, label: str, nth: int = 0) -> dict[str, Any]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(part, start + 1)
    return {"from_name": "ner", "to_name": "text", "type": "labels",
            "value": {"start": start, "end": start + len(part), "text": part, "labels": [label]}}  # fmt: skip


def test_conll_equals_the_converters_byte_for_byte(tmp_path: Path, store_location: str) -> None:
    one = "Ada Lovelace met Charles Babbage in London, didn't she?"
    two = "Über-cool café in São Paulo: Acme Inc. (ACME) hired Zoë."
    project = lnb.Project.create(store_location, NER)
    project.import_tasks([
        {"data": {"text": one}, "annotations": [
            {"result": [span(one, "Ada Lovelace", "PER"), span(one, "London", "LOC"),
                        span(one, "Charles Bab", "PER")], "created_at": "2024-01-01T00:00:00Z"},
            {"result": [span(one, "Lovelace met", "ORG")], "created_at": "2024-03-01T00:00:00Z"},
        ]},
        {"data": {"text": two}, "annotations": [
            {"result": [span(two, "São Paulo", "LOC"), span(two, "Acme Inc.", "ORG"), span(two, "Zoë", "PER"),
                        span(two, "ACME", "ORG")]},
        ]},
        {"data": {"text": "Nobody   labelled   this one."}},
    ])  # fmt: skip
    project.export("conll2003", tmp_path / "ours.conll")
    theirs = sdk_export(project, tmp_path, NER, "CONLL2003")
    ours = (tmp_path / "ours.conll").read_bytes()
    assert ours == (theirs / "result.conll").read_bytes()
    text = ours.decode()
    assert "Ada -X- _ B-PER\nLovelace -X- _ I-PER\n" in text
    assert "São -X- _ B-LOC\nPaulo -X- _ I-LOC\n" in text
    assert text.count("-DOCSTART-") == 1
    assert text.count("\n\n") == 4


# -- ASR manifest -------------------------------------------------------------------------------------------

ASR = '<View><Audio name="audio" value="$audio"/><TextArea name="transcript" toName="audio"/></View>'


def wav(seconds: float, rate: int = 8000) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as f:
        f.setnchannels(1)
        f.setsampwidth(2)
        f.setframerate(rate)
        f.writeframes(b"\0\0" * int(seconds * rate))
    return buffer.getvalue()


@pytest.fixture
def audio_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A real HTTP server on loopback serving a folder: the converter downloads audio, as in Label Studio."""
    folder = tmp_path / "served"
    folder.mkdir()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/", folder
    server.shutdown()
    server.server_close()


def test_asr_manifest_equals_the_converters(
    tmp_path: Path, store_location: str, audio_server: tuple[str, Path]
) -> None:
    base, folder = audio_server
    (folder / "a.wav").write_bytes(wav(1.5))
    (folder / "b.wav").write_bytes(wav(0.25, rate=16000))
    project = lnb.Project.create(store_location, ASR, allow_media=[base])
    said = {"from_name": "transcript", "to_name": "audio", "type": "textarea"}
    project.import_tasks([
        {"data": {"audio": base + "a.wav"}, "annotations": [
            {"completed_by": {"email": "ann@example.org"}, "result": [{**said, "value": {"text": ["hello world"]}}]}]},
        {"data": {"audio": base + "b.wav"}, "annotations": [
            {"completed_by": {"email": "ben@example.org"}, "result": [{**said, "value": {"text": ["good bye"]}}]}]},
        {"data": {"audio": base + "a.wav"}},
    ])  # fmt: skip
    project.export("asr_manifest", tmp_path / "ours")
    theirs = sdk_export(project, tmp_path, ASR, "ASR_MANIFEST", download=True, only_annotated=True)
    ours_lines = [json.loads(line) for line in (tmp_path / "ours" / "manifest.json").read_text().splitlines()]
    sdk_lines = [json.loads(line) for line in (theirs / "manifest.json").read_text().splitlines()]
    assert ours_lines == sdk_lines
    assert ours_lines[0] == {"audio_filepath": "audio/a.wav", "duration": 1.5, "text": "hello world",
                             "annotator": "ann@example.org"}  # fmt: skip
    assert (tmp_path / "ours" / "audio" / "b.wav").read_bytes() == wav(0.25, rate=16000)


def test_asr_audio_outside_the_media_roots_is_refused(tmp_path: Path, store_location: str) -> None:
    project = lnb.Project.create(store_location, ASR)
    (tmp_path / "secret.wav").write_bytes(wav(1))
    project.import_tasks([{"data": {"audio": str(tmp_path / "secret.wav")}, "annotations": [
        {"result": [{"from_name": "transcript", "to_name": "audio", "type": "textarea",
                     "value": {"text": ["x"]}}]}]}])  # fmt: skip
    with pytest.raises(ExportDataError, match=r"task 1, field 'data\.audio'"):
        project.export("asr_manifest", tmp_path / "out")
    assert not (tmp_path / "out" / "audio" / "secret.wav").exists()
