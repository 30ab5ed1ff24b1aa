"""Every image result type drawn with a real mouse and keyboard in a real JupyterLab, checked in the store.

One JupyterLab serves the module and one notebook holds one widget per test, each on a project of its own
(made here, with a 400x300 picture drawn by Pillow into the project folder, so the kernel serves it). The
tests press, drag, click and type on the image surface as a person would, by the data attributes the front
end promises, and then read what the kernel stored with ``lnb.Project.open``: Label Studio's result items,
coordinates in percent of the original image (reference B.3/B.4), brush masks in Label Studio's RLE (C.6),
checked against label-studio-sdk's own decoder.
"""

from __future__ import annotations

import base64
import io
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from label_studio_sdk.converter.brush import decode_rle, mask2rle
from PIL import Image, ImageDraw
from playwright.sync_api import Browser, Locator, expect

import labelnb as lnb
from labelnb.config import LabelConfig
from tests.e2e.notebook_lab import Lab, checked_run, notebook_lab, submitted
from tests.e2e.widget_page import assert_focus_within, shot, wait_for

pytestmark = pytest.mark.e2e

USER = "painter@example.org"
W, H = 400, 300  # the picture's natural size
CONFIG = """<View>
  <RectangleLabels name="box" toName="img" canRotate="true"><Label value="Cat"/><Label value="Dog"/></RectangleLabels>
  <PolygonLabels name="poly" toName="img"><Label value="Road"/></PolygonLabels>
  <EllipseLabels name="ell" toName="img"><Label value="Ball"/></EllipseLabels>
  <KeyPointLabels name="kp" toName="img"><Label value="Nose"/></KeyPointLabels>
  <VectorLabels name="vec" toName="img"><Label value="Lane"/></VectorLabels>
  <BrushLabels name="brush" toName="img"><Label value="Sky"/></BrushLabels>
  <BitmaskLabels name="bits" toName="img"><Label value="Leaf"/></BitmaskLabels>
  <Rectangle name="plain" toName="img"/>
  <Image name="img" value="$image"/>
  <Relations><Relation value="near"/><Relation value="far"/></Relations>
</View>"""
# the label hotkeys the control model hands out, in config order (Label Studio's automatic 1, 2, 3, ...)
HOTKEY = {"Cat": "1", "Dog": "2"}
# one widget (and project) per test, in the notebook's order
PROJECTS = ("draw", "brush", "bitmask", "edit", "relations", "roundtrip", "zoom")
TOL = 1.0  # percent of the image: a CSS pixel is about 0.15 % here


# -- the projects --------------------------------------------------------------------------------------


def draw_picture(path: Path) -> None:
    """A 400x300 scene with a grid, so a screenshot shows where things are."""
    im = Image.new("RGB", (W, H), (214, 228, 240))
    d = ImageDraw.Draw(im)
    for x in range(0, W, 40):
        d.line([(x, 0), (x, H)], fill=(160, 170, 190))
    for y in range(0, H, 30):
        d.line([(0, y), (W, y)], fill=(160, 170, 190))
    d.ellipse([250, 150, 350, 250], fill=(240, 200, 120))
    d.rectangle([40, 200, 140, 280], fill=(150, 190, 140))
    im.save(path)


def brush_mask() -> np.ndarray:
    mask = np.zeros((H, W), dtype=np.uint8)
    mask[200:260, 30:150] = 255
    mask[220:240, 150:200] = 255
    return mask


def png_data_url(mask: np.ndarray) -> str:
    """Label Studio's bitmask value: a PNG of the image's size, black and opaque where the mask is set."""
    rgba = np.zeros((*mask.shape, 4), dtype=np.uint8)
    rgba[..., 3] = mask
    out = io.BytesIO()
    Image.fromarray(rgba, "RGBA").save(out, "PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def png_alpha(url: str) -> np.ndarray:
    head, _, body = url.partition(",")
    assert head == "data:image/png;base64", head
    with Image.open(io.BytesIO(base64.b64decode(body))) as im:
        assert im.size == (W, H), im.size
        return np.asarray(im.convert("RGBA"))[..., 3]


def item(rid: str, control: str, rtype: str, value: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "id": rid,
        "from_name": control,
        "to_name": "img",
        "type": rtype,
        "origin": "manual",
        "original_width": W,
        "original_height": H,
        "image_rotation": 0,
        "value": value,
        **extra,
    }


# Label Studio results of every image type, as an export holds them (reference B.3, B.4, C.6)
ANNOTATED = [
    item(
        "rot30",
        "box",
        "rectanglelabels",
        {"x": 20.0, "y": 15.0, "width": 30.0, "height": 20.0, "rotation": 30.0, "rectanglelabels": ["Cat"]},
        meta={"text": ["a rotated cat"]},
    ),
    item(
        "poly1",
        "poly",
        "polygonlabels",
        {"points": [[60.0, 10.0], [90.0, 15.0], [80.0, 40.0]], "closed": True, "polygonlabels": ["Road"]},
    ),
    item(
        "ell1",
        "ell",
        "ellipselabels",
        {"x": 75.0, "y": 66.0, "radiusX": 12.5, "radiusY": 16.0, "rotation": 0.0, "ellipselabels": ["Ball"]},
    ),
    item(
        "kp1",
        "kp",
        "keypointlabels",
        {"x": 35.0, "y": 30.0, "width": 1.0, "keypointlabels": ["Nose"]},
        parentID="rot30",
    ),
    item(
        "vec1",
        "vec",
        "vectorlabels",
        {
            "vertices": [
                {"id": "va", "x": 55.0, "y": 50.0, "isBezier": False},
                {"id": "vb", "x": 65.0, "y": 58.0, "isBezier": False, "prevPointId": "va"},
                {"id": "vc", "x": 70.0, "y": 45.0, "isBezier": False, "prevPointId": "vb"},
            ],
            "closed": False,
            "vectorlabels": ["Lane"],
        },
    ),
    item(
        "mask1",
        "brush",
        "brushlabels",
        {"format": "rle", "rle": mask2rle(brush_mask()), "brushlabels": ["Sky"]},
    ),
    item(
        "bits1",
        "bits",
        "bitmasklabels",
        {"imageDataURL": png_data_url(brush_mask()[::-1].copy()), "bitmasklabels": ["Leaf"]},
    ),
    item("plain1", "plain", "rectangle", {"x": 5.0, "y": 5.0, "width": 10.0, "height": 8.0, "rotation": 0.0}),
    {"from_id": "rot30", "to_id": "ell1", "type": "relation", "direction": "bi", "labels": ["near"]},
]

PREDICTED = [
    {
        "id": "pbox",
        "from_name": "box",
        "to_name": "img",
        "type": "rectanglelabels",
        "score": 0.91,
        "original_width": W,
        "original_height": H,
        "image_rotation": 0,
        "value": {
            "x": 12.5,
            "y": 20.0,
            "width": 25.0,
            "height": 30.0,
            "rotation": 0.0,
            "rectanglelabels": ["Dog"],
        },
    },
    {
        "id": "ppoly",
        "from_name": "poly",
        "to_name": "img",
        "type": "polygonlabels",
        "score": 0.42,
        "original_width": W,
        "original_height": H,
        "image_rotation": 0,
        "value": {
            "points": [[60.0, 60.0], [90.0, 65.0], [75.0, 90.0]],
            "closed": True,
            "polygonlabels": ["Road"],
        },
    },
    {  # a score inside the value, as Label Studio's docs also write it
        "id": "pell",
        "from_name": "ell",
        "to_name": "img",
        "type": "ellipselabels",
        "original_width": W,
        "original_height": H,
        "image_rotation": 0,
        "value": {
            "x": 30.0,
            "y": 75.0,
            "radiusX": 8.0,
            "radiusY": 10.0,
            "rotation": 0.0,
            "ellipselabels": ["Ball"],
            "score": 0.66,
        },
    },
    {"from_id": "pbox", "to_id": "ppoly", "type": "relation", "direction": "right"},
]


def make_projects(workdir: Path) -> None:
    for name in PROJECTS:
        folder = workdir / name
        project = lnb.Project.create(folder, config=CONFIG)
        draw_picture(folder / "scene.png")
        if name == "roundtrip":
            project.import_tasks(
                [
                    {
                        "data": {"image": "scene.png"},
                        "annotations": [{"completed_by": {"email": USER}, "result": ANNOTATED}],
                    },
                    {
                        "data": {"image": "scene.png"},
                        "predictions": [{"model_version": "v7", "score": 0.87, "result": PREDICTED}],
                    },
                ]
            )
        else:
            project.import_tasks([{"image": "scene.png"}])
        project.close()


def stored_tasks(workdir: Path, name: str) -> list[dict[str, Any]]:
    project = lnb.Project.open(workdir / name)
    try:
        return list(project.export("json"))
    finally:
        project.close()


# -- the page --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def lab(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    tmp = tmp_path_factory.mktemp("image-tools")
    make_projects(tmp / "projects")
    with notebook_lab(browser, tmp, USER, "image-tools.ipynb", PROJECTS, viewport=(1280, 1100)) as lab:
        yield lab


@pytest.fixture
def checked(lab: Lab, request: pytest.FixtureRequest) -> Iterator[Lab]:
    """The shared page; the test fails on any uncaught page error or console error while it ran."""
    yield from checked_run(lab, request)


NEXT_FRAMES = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


class ImageWidget:
    """One widget's image surface, addressed in percent of the original image (at zoom 1 and no pan)."""

    def __init__(self, lab: Lab, name: str) -> None:
        self.page = lab.page
        self.root = lab.roots[name]
        self.frame = self.root.locator(".lnb-surface[data-object=img]")
        self.root.scroll_into_view_if_needed()
        expect(self.root.locator("img[data-object=img]")).to_have_attribute(
            "data-state", "ready", timeout=60_000
        )
        assert self.root.locator("img[data-object=img]").evaluate("img => img.naturalWidth") == W

    def box(self) -> dict[str, float]:
        """The frame's box on the page, once it has stayed put for two animation frames."""
        self.frame.scroll_into_view_if_needed()

        def settled() -> dict[str, float] | None:
            before = self.frame.bounding_box()
            self.page.evaluate(NEXT_FRAMES)
            return before if before is not None and before == self.frame.bounding_box() else None

        return wait_for(settled, "the image to stop moving on the page", timeout=10)

    def at(self, x: float, y: float) -> tuple[float, float]:
        """The page point of image point (x %, y %)."""
        b = self.box()
        return b["x"] + x / 100 * b["width"], b["y"] + y / 100 * b["height"]

    def click(self, x: float, y: float) -> None:
        self.page.mouse.click(*self.at(x, y))

    def drag(self, a: tuple[float, float], b: tuple[float, float], steps: int = 8) -> None:
        """Press at image point a, move to b in steps, release (page coordinates computed once)."""
        start, end = self.at(*a), self.at(*b)
        self.drag_page(start, end, steps)

    def drag_page(self, start: tuple[float, float], end: tuple[float, float], steps: int = 8) -> None:
        mouse = self.page.mouse
        mouse.move(*start)
        mouse.down()
        mouse.move(*end, steps=steps)
        mouse.up()

    def center_of(self, locator: Locator) -> tuple[float, float]:
        """The page point at the middle of something drawn on the image (a handle)."""
        self.box()  # in view and settled
        box = locator.bounding_box()
        assert box is not None
        return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2

    def choose(self, control: str, label: str) -> None:
        chip = self.root.locator(f"[data-label-control={control}][data-label={label}]")
        chip.click()
        expect(chip).to_have_attribute("aria-pressed", "true")

    def region(self, kind: str, label: str | None = None) -> Locator:
        selector = f"[data-region][data-kind={kind}]" + (
            f"[data-label='{label}']" if label is not None else ""
        )
        return self.frame.locator(selector)

    def region_id(self, kind: str, label: str | None = None) -> str:
        found = self.region(kind, label)
        expect(found).to_have_count(1)
        rid = found.get_attribute("data-region")
        assert rid
        return rid

    def handle(self, handle: str) -> Locator:
        return self.frame.locator(f"[data-handle='{handle}']")

    def shape_attrs(self, rid: str, tag: str, *names: str) -> dict[str, str | None]:
        el = self.frame.locator(f"[data-region='{rid}'] {tag}")
        return {n: el.get_attribute(n) for n in names}

    def submit(self) -> None:
        """Ctrl+Enter, with the focus inside the widget (as it is after drawing)."""
        assert_focus_within(self.root)
        self.page.keyboard.press("Control+Enter")

    def expect_done(self) -> None:
        """The widget's last task answered: the "all done" screen (the page's layout settles with it)."""
        expect(self.root.locator("[data-testid=empty]")).to_be_visible()


def only(items: list[dict[str, Any]], rtype: str) -> dict[str, Any]:
    found = [it for it in items if it.get("type") == rtype]
    assert len(found) == 1, f"{len(found)} items of type {rtype} in {items}"
    return found[0]


def close(actual: float, expected: float, tol: float = TOL) -> bool:
    return abs(actual - expected) <= tol


def assert_near(value: dict[str, Any], tol: float = TOL, **expected: float) -> None:
    """Each named number of ``value`` within ``tol`` of what is expected."""
    off = {
        k: (value.get(k), e) for k, e in expected.items() if not close(float(value.get(k, math.inf)), e, tol)
    }
    assert not off, f"(got, expected) {off} in {value}"


def assert_points(points: list[list[float]], expected: list[tuple[float, float]], tol: float = TOL) -> None:
    assert len(points) == len(expected), (points, expected)
    for i, ((x, y), (ex, ey)) in enumerate(zip(points, expected, strict=True)):
        assert_near({f"x{i}": x, f"y{i}": y}, tol, **{f"x{i}": ex, f"y{i}": ey})


def assert_image_envelope(it: dict[str, Any], control: str, rtype: str) -> None:
    assert it["from_name"] == control, it
    assert it["to_name"] == "img", it
    assert it["type"] == rtype, it
    assert it["origin"] == "manual", it
    assert (it["original_width"], it["original_height"], it["image_rotation"]) == (W, H, 0), it
    assert isinstance(it["id"], str), it
    assert it["id"], it


def rect_center(v: dict[str, Any]) -> tuple[float, float]:
    """The centre (px) of a Label Studio rectangle: x, y the top-left corner, rotated about it (clockwise)."""
    x, y, w, h = v["x"] / 100 * W, v["y"] / 100 * H, v["width"] / 100 * W, v["height"] / 100 * H
    a = math.radians(v["rotation"])
    return x + w / 2 * math.cos(a) - h / 2 * math.sin(a), y + w / 2 * math.sin(a) + h / 2 * math.cos(a)


# -- the tests ---------------------------------------------------------------------------------------------


def test_draw_every_image_type(checked: Lab) -> None:
    lab = checked
    w = ImageWidget(lab, "draw")
    w.choose("box", "Cat")
    w.drag((10, 10), (40, 35))
    expect(w.region("rectangle", "Cat")).to_have_count(1)

    w.choose("poly", "Road")
    for x, y in [(55, 10), (85, 12), (80, 40)]:
        w.click(x, y)
    w.click(55, 10)  # the first vertex again closes it
    expect(w.region("polygon", "Road")).to_have_count(1)

    w.choose("ell", "Ball")
    w.drag((25, 62), (35, 77))  # from the centre out
    expect(w.region("ellipse", "Ball")).to_have_count(1)

    w.choose("kp", "Nose")
    w.click(50, 55)
    expect(w.region("keypoint", "Nose")).to_have_count(1)

    w.choose("vec", "Lane")
    for x, y in [(62, 60), (72, 80), (92, 70)]:
        w.click(x, y)
    w.page.keyboard.press("Enter")  # ends the polyline open
    expect(w.region("vector", "Lane")).to_have_count(1)

    w.choose("brush", "Sky")
    w.drag((5, 92), (40, 95), steps=12)
    expect(w.region("brush", "Sky")).to_have_count(1)

    tool = w.root.locator("[data-tool=plain]")
    tool.click()
    expect(tool).to_have_attribute("aria-pressed", "true")
    w.drag((42, 72), (55, 85))
    expect(w.region("rectangle", "")).to_have_count(1)

    listed = w.root.locator("[data-region-list=img] [data-region-item]")
    expect(listed).to_have_count(7)
    shot(lab.page, "image-tools-drawn")
    fit_width = w.box()["width"]  # the image on screen at zoom 1
    ids = {kind: w.region_id(kind) for kind in ("polygon", "ellipse", "keypoint", "vector", "brush")}
    ids["box"] = w.region_id("rectangle", "Cat")
    ids["plain"] = w.region_id("rectangle", "")
    # a region without labels is named by its kind, once
    assert w.root.locator(f"[data-region-item='{ids['plain']}'] .lnb-region-pick").inner_text().split() == [
        "7",
        "box",
    ]
    w.submit()

    result = submitted(lab, "draw")
    w.expect_done()
    assert len(result) == 7, result
    assert len({it["id"] for it in result}) == 7, result
    LabelConfig.from_xml(CONFIG).validate_result(result, {"image": "scene.png"})

    box = only(result, "rectanglelabels")
    assert_image_envelope(box, "box", "rectanglelabels")
    assert box["id"] == ids["box"]
    v = box["value"]
    assert v["rectanglelabels"] == ["Cat"]
    assert set(v) == {"x", "y", "width", "height", "rotation", "rectanglelabels"}
    assert_near(v, x=10, y=10, width=30, height=25)
    assert v["rotation"] == 0

    poly = only(result, "polygonlabels")
    assert_image_envelope(poly, "poly", "polygonlabels")
    assert poly["id"] == ids["polygon"]
    v = poly["value"]
    assert set(v) == {"points", "closed", "polygonlabels"}, v
    assert v["polygonlabels"] == ["Road"]
    assert v["closed"] is True, v
    assert len(v["points"]) == 3, v  # the closing click adds no vertex
    assert_points(v["points"], [(55, 10), (85, 12), (80, 40)])

    ell = only(result, "ellipselabels")
    assert_image_envelope(ell, "ell", "ellipselabels")
    assert ell["id"] == ids["ellipse"]
    v = ell["value"]
    assert set(v) == {"x", "y", "radiusX", "radiusY", "rotation", "ellipselabels"}, v
    assert v["ellipselabels"] == ["Ball"]
    assert_near(v, x=25, y=62, radiusX=10, radiusY=15)
    assert v["rotation"] == 0

    kp = only(result, "keypointlabels")
    assert_image_envelope(kp, "kp", "keypointlabels")
    assert kp["id"] == ids["keypoint"]
    v = kp["value"]
    assert set(v) == {"x", "y", "width", "keypointlabels"}, v
    assert v["keypointlabels"] == ["Nose"]
    assert_near(v, x=50, y=55)
    # as Label Studio: the control's strokeWidth (default 2 screen px) in percent of the fitted width
    assert close(v["width"], 2 / fit_width * 100, 0.01), (v, fit_width)

    vec = only(result, "vectorlabels")
    assert_image_envelope(vec, "vec", "vectorlabels")
    assert vec["id"] == ids["vector"]
    v = vec["value"]
    assert set(v) == {"vertices", "closed", "vectorlabels"}, v
    assert v["vectorlabels"] == ["Lane"]
    assert v["closed"] is False, v
    assert len(v["vertices"]) == 3, v
    assert_points([[p["x"], p["y"]] for p in v["vertices"]], [(62, 60), (72, 80), (92, 70)])

    brush = only(result, "brushlabels")
    assert_image_envelope(brush, "brush", "brushlabels")
    assert brush["id"] == ids["brush"]
    v = brush["value"]
    assert set(v) == {"format", "rle", "brushlabels"}, v
    assert v["format"] == "rle"
    assert v["brushlabels"] == ["Sky"]
    alpha = decode_rle(v["rle"]).reshape(H, W, 4)[:, :, 3]
    ys, xs = np.nonzero(alpha)
    # the stroke went from (5 %, 92 %) to (40 %, 95 %): the mask covers that band and nothing else
    assert xs.min() < 0.05 * W + 2, xs.min()
    assert xs.max() > 0.40 * W - 2, xs.max()
    assert ys.min() > 0.80 * H, ys.min()
    assert alpha[round(0.93 * H), round(0.2 * W)] > 0

    plain = only(result, "rectangle")
    assert_image_envelope(plain, "plain", "rectangle")
    assert plain["id"] == ids["plain"]
    v = plain["value"]
    assert set(v) == {"x", "y", "width", "height", "rotation"}, v  # a bare tool stores no labels
    assert_near(v, x=42, y=72, width=13, height=13)


CANVAS_ALPHA = """canvas => {
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let out = '';
  for (let i = 3; i < data.length; i += 4) out += String.fromCharCode(data[i]);
  return { width: canvas.width, height: canvas.height, alpha: btoa(out) };
}"""


def canvas_alpha(canvas: Locator) -> np.ndarray:
    got = canvas.evaluate(CANVAS_ALPHA)
    assert (got["width"], got["height"]) == (W, H), "the brush canvas is not at the image's natural size"
    return np.frombuffer(base64.b64decode(got["alpha"]), dtype=np.uint8).reshape(H, W)


def test_brush_mask_is_stored_pixel_exact(checked: Lab) -> None:
    lab = checked
    w = ImageWidget(lab, "brush")
    w.choose("brush", "Sky")
    size = w.root.locator("input[data-brush-size]")
    before = int(size.input_value())
    size.focus()
    for _ in range(10):
        lab.page.keyboard.press("ArrowRight")
    expect(size).to_have_value(str(before + 10))

    w.drag((10, 20), (60, 30), steps=15)
    # a second stroke with the same label while the mask is selected paints on the same region
    w.drag((30, 45), (34, 75), steps=10)
    masks = w.frame.locator(".lnb-brush-layer canvas[data-region]")
    expect(masks).to_have_count(1)
    eraser = w.root.locator("[data-eraser]")
    eraser.click()
    expect(eraser).to_have_attribute("aria-pressed", "true")
    w.drag((45, 5), (45, 45), steps=10)  # cut the first stroke in two
    expect(masks).to_have_count(1)
    expect(w.frame.locator("[data-preview=brush]")).to_have_count(0)

    gap = (round(0.255 * H), round(0.45 * W))  # on the first stroke's path, where the eraser went through

    def painted() -> list[np.ndarray] | None:
        alpha = canvas_alpha(masks)
        return [alpha] if alpha[gap] == 0 and alpha.any() else None

    (alpha,) = wait_for(painted, "the erased stroke on the brush canvas")
    rid = masks.get_attribute("data-region")
    # hidden and shown again from the region list, the mask is drawn as it was
    hide = w.root.locator(f"[data-region-item='{rid}'] [data-action=hide]")
    hide.click()
    expect(masks).to_have_count(0)
    hide.click()
    expect(masks).to_have_count(1)
    wait_for(lambda: np.array_equal(canvas_alpha(masks), alpha), "the shown mask on its canvas", timeout=5)
    eraser.click()  # back to painting; nothing else changes
    w.submit()

    result = submitted(lab, "brush")
    w.expect_done()
    assert len(result) == 1, result
    brush = result[0]
    assert_image_envelope(brush, "brush", "brushlabels")
    assert brush["id"] == rid
    assert brush["value"]["format"] == "rle"
    LabelConfig.from_xml(CONFIG).validate_result(result, {"image": "scene.png"})
    stored = decode_rle(brush["value"]["rle"]).reshape(H, W, 4)[:, :, 3]
    assert np.array_equal(stored > 0, alpha > 0), (
        f"the stored mask differs from the painted one in {int(np.sum((stored > 0) != (alpha > 0)))} pixels"
    )
    assert set(np.unique(stored)) <= {0, 255}
    count = int(np.sum(stored > 0))
    assert 1500 < count < 20_000, count  # two strokes some 20 px wide, less the cut
    # under both strokes' paths; the cut and the far corners are empty
    for x, y in [(12, 20.5), (30, 24), (58, 29.5), (31, 50), (33.5, 70)]:
        assert stored[round(y / 100 * H), round(x / 100 * W)] > 0, (x, y)
    assert stored[gap] == 0
    assert stored[: round(0.1 * H)].sum() == 0
    assert stored[round(0.85 * H) :].sum() == 0
    assert stored[:, round(0.7 * W) :].sum() == 0


def test_bitmask_is_stored_as_a_png_of_the_painted_pixels(checked: Lab) -> None:
    lab = checked
    w = ImageWidget(lab, "bitmask")
    w.choose("bits", "Leaf")
    w.drag((20, 30), (70, 40), steps=15)
    masks = w.frame.locator(".lnb-brush-layer canvas[data-region]")
    expect(masks).to_have_count(1)
    alpha = wait_for(lambda: [a] if (a := canvas_alpha(masks)).any() else None, "the painted bitmask")[0]
    w.submit()

    result = submitted(lab, "bitmask")
    w.expect_done()
    (bits,) = result
    assert_image_envelope(bits, "bits", "bitmasklabels")
    assert set(bits["value"]) == {"imageDataURL", "bitmasklabels"}, bits["value"]
    LabelConfig.from_xml(CONFIG).validate_result(result, {"image": "scene.png"})
    stored = png_alpha(bits["value"]["imageDataURL"])
    assert np.array_equal(stored > 0, alpha > 0), int(np.sum((stored > 0) != (alpha > 0)))
    assert 1000 < int(np.sum(stored > 0)) < 20_000
    assert stored[round(0.35 * H), round(0.45 * W)] > 0  # under the stroke
    assert stored[round(0.9 * H)].sum() == 0


def test_edit_move_resize_rotate_undo_delete_relabel_vertices(checked: Lab) -> None:
    lab = checked
    w = ImageWidget(lab, "edit")
    keyboard = lab.page.keyboard
    w.choose("box", "Cat")
    w.drag((10, 10), (40, 40))
    rid = w.region_id("rectangle", "Cat")

    def rect() -> dict[str, float | str | None]:
        attrs = w.shape_attrs(rid, "rect", "x", "y", "width", "height", "transform")
        return {k: (float(v) if v is not None and k != "transform" else v) for k, v in attrs.items()}

    def expect_rect(x: float, y: float, width: float, height: float, rotated: bool) -> None:
        def ok() -> bool:
            r = rect()
            return (
                close(float(r["x"] or 0), x, 2)
                and close(float(r["y"] or 0), y, 2)
                and close(float(r["width"] or 0), width, 2)
                and close(float(r["height"] or 0), height, 2)
                and (r["transform"] is not None) == rotated
            )

        wait_for(ok, f"the rectangle at {(x, y, width, height, rotated)}, it is {rect()}", timeout=5)

    expect_rect(40, 30, 120, 90, rotated=False)  # natural px
    # move: drag the body from its middle by (+10 %, +5 %)
    w.drag((25, 25), (35, 30))
    expect_rect(80, 45, 120, 90, rotated=False)
    # resize: the south-east corner from (50 %, 45 %) to (60 %, 55 %)
    w.drag_page(w.center_of(w.handle("se")), w.at(60, 55))
    expect_rect(80, 45, 160, 120, rotated=False)
    # rotate: the knob sits above the top edge; point it 30 degrees clockwise about the centre (160, 105) px
    center = (160, 105)
    aim = (center[0] + 80 * math.cos(math.radians(-60)), center[1] + 80 * math.sin(math.radians(-60)))
    w.drag_page(w.center_of(w.handle("rotate")), w.at(aim[0] / W * 100, aim[1] / H * 100), steps=12)
    wait_for(lambda: rect()["transform"] is not None, "the rectangle to turn", timeout=5)
    rotated = rect()
    shot(lab.page, "image-tools-edit-rotated")

    keyboard.press("Control+z")  # the rotation
    keyboard.press("Control+z")  # the resize
    expect_rect(80, 45, 120, 90, rotated=False)
    keyboard.press("Control+Shift+z")  # the resize again
    expect_rect(80, 45, 160, 120, rotated=False)
    keyboard.press("Control+y")  # and the rotation
    wait_for(lambda: rect() == rotated, "the rotation to come back", timeout=5)

    # Escape drops the selection; a click on the rectangle selects it again; its label hotkey relabels it
    handles = w.frame.locator(f"[data-handle-region='{rid}']")
    keyboard.press("Escape")
    expect(handles).to_have_count(0)
    w.click(center[0] / W * 100, center[1] / H * 100)
    expect(handles.first).to_be_attached()
    assert rect() == rotated, "a click without a drag moved the rectangle"
    keyboard.press(HOTKEY["Dog"])
    expect(w.region("rectangle", "Dog")).to_have_count(1)
    expect(w.region("rectangle", "Cat")).to_have_count(0)

    # delete: a new ellipse is selected once drawn; Delete removes it
    w.choose("ell", "Ball")
    w.drag((80, 75), (88, 85))
    expect(w.region("ellipse")).to_have_count(1)
    keyboard.press("Delete")
    expect(w.region("ellipse")).to_have_count(0)

    # a triangle closed with a double click on its last vertex; a vertex added by dragging an edge's
    # midpoint, one removed by Alt+click
    w.choose("poly", "Road")
    for x, y in [(70, 10), (95, 10)]:
        w.click(x, y)
    lab.page.mouse.dblclick(*w.at(95, 40))
    pid = w.region_id("polygon", "Road")
    w.drag_page(w.center_of(w.handle("m:0")), w.at(82.5, 3))
    expect(w.handle("v:3")).to_have_count(1)  # four vertices now
    w.handle("v:2").click(modifiers=["Alt"])  # the old second vertex (95, 10)
    expect(w.handle("v:3")).to_have_count(0)
    expect(w.handle("v:2")).to_have_count(1)
    shot(lab.page, "image-tools-edited")
    w.submit()

    result = submitted(lab, "edit")
    w.expect_done()
    LabelConfig.from_xml(CONFIG).validate_result(result, {"image": "scene.png"})
    assert sorted(it["type"] for it in result) == ["polygonlabels", "rectanglelabels"], result
    box = only(result, "rectanglelabels")
    assert box["id"] == rid
    assert_image_envelope(box, "box", "rectanglelabels")
    v = box["value"]
    assert v["rectanglelabels"] == ["Dog"]
    assert_near(v, width=40, height=40)  # rotation keeps the size
    assert abs(v["rotation"] - 30) < 2, v
    # Label Studio's x, y are the top-left corner, the rotation about it: the centre stayed where it was
    cx, cy = rect_center(v)
    assert_near({"cx": cx, "cy": cy}, 2, cx=center[0], cy=center[1])
    poly = only(result, "polygonlabels")
    assert poly["id"] == pid
    assert_image_envelope(poly, "poly", "polygonlabels")
    points = poly["value"]["points"]
    assert len(points) == 3, points
    assert_points(points, [(70, 10), (82.5, 3), (95, 40)])


def test_relations_link_label_direction(checked: Lab) -> None:
    lab = checked
    w = ImageWidget(lab, "relations")
    w.choose("box", "Cat")
    w.drag((10, 10), (30, 35))
    w.choose("ell", "Ball")
    w.drag((70, 60), (80, 75))
    box, ell = w.region_id("rectangle", "Cat"), w.region_id("ellipse", "Ball")

    row = w.root.locator(f"[data-region-item='{box}']")
    row.locator(".lnb-region-pick").click()
    expect(row).to_have_class("lnb-region-item lnb-selected")
    link = row.locator("[data-action=link]")
    link.click()
    expect(link).to_have_attribute("aria-pressed", "true")
    w.click(70, 60)  # the ellipse
    relation = w.root.locator("[data-relation-item]")
    expect(relation).to_have_count(1)
    expect(w.frame.locator("[data-relation]")).to_have_count(1)  # the arrow on the image
    relation.locator("[data-relation-label=far]").click()
    expect(relation.locator("[data-relation-label=far]")).to_have_attribute("aria-pressed", "true")
    relation.locator("[data-action=direction]").click()  # right -> left
    expect(relation.locator("[data-action=direction]")).to_have_text("←")
    shot(lab.page, "image-tools-relation")
    w.submit()

    result = submitted(lab, "relations")
    w.expect_done()
    LabelConfig.from_xml(CONFIG).validate_result(result, {"image": "scene.png"})
    relations = [it for it in result if it["type"] == "relation"]
    assert relations == [
        {"from_id": box, "to_id": ell, "type": "relation", "direction": "left", "labels": ["far"]}
    ]
    assert {it["id"] for it in result if it["type"] != "relation"} == {box, ell}


def test_round_trip_of_stored_results_and_predictions(checked: Lab) -> None:
    lab = checked
    w = ImageWidget(lab, "roundtrip")
    listing = w.root.locator("[data-region-list=img]")
    # the queue's head is the task with predictions, shown as pre-annotations
    pbox = listing.locator("[data-region-item=pbox]")
    expect(pbox).to_contain_text("prediction")
    expect(pbox.locator("[data-score]")).to_have_text("0.91")
    expect(listing.locator("[data-region-item=ppoly] [data-score]")).to_have_text("0.42")
    expect(listing.locator("[data-region-item=pell] [data-score]")).to_have_text("0.66")
    expect(w.frame.locator("[data-region=pbox].lnb-predicted")).to_have_count(1)
    shot(lab.page, "image-tools-predictions")

    # Back: the task with the imported annotation, every region shown as it was stored
    w.root.locator("[data-testid=back]").click()
    for it in ANNOTATED:
        if it["type"] != "relation":
            expect(listing.locator(f"[data-region-item='{it['id']}']")).to_have_count(1)
    expect(w.frame.locator("[data-region=rot30] rect")).to_have_attribute("transform", "rotate(30 80 45)")
    mask = w.frame.locator(".lnb-brush-layer canvas[data-region=mask1]")
    wait_for(
        lambda: np.array_equal(canvas_alpha(mask) > 0, brush_mask() > 0), "the imported mask on its canvas"
    )
    expect(w.root.locator("[data-relation-item]")).to_have_count(1)
    shot(lab.page, "image-tools-imported")
    w.frame.click(position={"x": 2, "y": 2})  # focus the widget, on a bare spot
    w.submit()
    annotated = submitted(lab, "roundtrip", task=0, versions=2)
    assert annotated == ANNOTATED
    LabelConfig.from_xml(CONFIG).validate_result(annotated, {"image": "scene.png"})

    # then the queue's head again: submitted unchanged, the predictions are stored as they came
    expect(listing.locator("[data-region-item=pbox]")).to_have_count(1)
    w.submit()
    predicted = submitted(lab, "roundtrip", task=1)
    w.expect_done()
    expected = [dict(it, origin="prediction") if it["type"] != "relation" else it for it in PREDICTED]
    assert predicted == expected


def test_zoom_keeps_percent_of_the_original(checked: Lab) -> None:
    lab = checked
    w = ImageWidget(lab, "zoom")
    keyboard, mouse = lab.page.keyboard, lab.page.mouse
    w.click(50, 50)  # focus the widget (no tool: nothing is drawn)
    keyboard.press("Control+=")
    expect(w.frame).to_have_attribute("data-zoom", "1.250")
    w.root.locator("[data-zoom=fit]").click()
    expect(w.frame).to_have_attribute("data-zoom", "1.000")

    # Ctrl+wheel at the top-left corner: zooms in there, the corner stays put
    b = w.box()
    mouse.move(b["x"] + 4, b["y"] + 4)  # (4 px in: a wheel right on the edge may miss the frame)
    keyboard.down("Control")
    mouse.wheel(0, -350)
    keyboard.up("Control")
    wait_for(lambda: float(w.frame.get_attribute("data-zoom") or 1) > 1.9, "the wheel to zoom in", timeout=5)
    zoom = float(w.frame.get_attribute("data-zoom") or 1)
    anchor_x, anchor_y = 400 / b["width"], 400 / b["height"]  # the wheel's point, in percent of the frame
    pan_x, pan_y = anchor_x * (1 - zoom), anchor_y * (1 - zoom)

    def image_point(sx: float, sy: float) -> tuple[float, float]:
        """The image point (percent) under frame point (sx %, sy %) at this zoom."""
        return (sx - pan_x) / zoom, (sy - pan_y) / zoom

    w.choose("box", "Cat")
    w.drag((20, 20), (70, 60))  # frame percent: inside the top-left quarter of the image
    rid = w.region_id("rectangle", "Cat")
    shot(lab.page, "image-tools-zoomed")
    w.root.locator("[data-zoom=fit]").click()
    expect(w.frame).to_have_attribute("data-zoom", "1.000")
    x0, y0 = image_point(20, 20)
    x1, y1 = image_point(70, 60)
    attrs = w.shape_attrs(rid, "rect", "x", "width")
    assert close(float(attrs["x"] or 0) / W * 100, x0, 0.5), attrs
    w.submit()

    result = submitted(lab, "zoom")
    w.expect_done()
    v = only(result, "rectanglelabels")["value"]
    assert_near(v, 0.5, x=x0, y=y0, width=x1 - x0, height=y1 - y0)
    assert v["x"] + v["width"] < 50, v  # in the top-left quarter, where the mouse went
    assert v["y"] + v["height"] < 50, v
