"""notebooks/assist.ipynb in a real JupyterLab: auto-annotate with the real mouse. A click on the ball asks
the kernel's segmenter, whose mask appears as an editable predicted region; an Alt+click on the brick it
leaked into shrinks it; the submitted annotation holds a brushlabels item whose RLE Label Studio decodes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from label_studio_sdk.converter.brush import decode_rle
from playwright.sync_api import Locator, Page, expect

import labelnb as lnb
from tests.e2e.servers import jupyter_lab
from tests.e2e.test_quickstart import run_all_cells
from tests.e2e.widget_page import shot, wait_for, widgets

pytestmark = pytest.mark.e2e

USER = "seg@example.org"
W, H = 480, 320  # the notebook's first picture: ball (60..220, 80..240), brick (200..330, 130..190)
BALL = (140, 160)
BRICK = (290, 160)

# the pixels of the mask drawn on the widget's brush canvas (what the user sees)
MASK_PIXELS = """canvas => {
  const data = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  let n = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n += 1;
  return n;
}"""


def at(surface: Locator, x: int, y: int) -> dict[str, float]:
    """Where picture pixel (x, y) is inside the surface element, in CSS px."""
    box = surface.bounding_box()
    assert box is not None
    return {"x": x / W * box["width"], "y": y / H * box["height"]}


def stored(workdir: Path) -> list[dict[str, Any]] | None:
    project = lnb.Project.open(workdir / "assist-shapes")
    try:
        tasks = [t for t in project.export("json") if t["annotations"]]
        return tasks[0]["annotations"][0]["result"] if tasks else None
    finally:
        project.close()


def test_click_alt_click_and_submit_a_mask(page: Page, tmp_path: Path) -> None:
    workdir = tmp_path / "projects"
    with jupyter_lab(tmp_path, workdir, USER) as server:
        page.set_viewport_size({"width": 1280, "height": 1100})
        page.goto(f"{server.url}/lab/tree/assist.ipynb?token={server.token}")
        run_all_cells(page)
        (widget,) = widgets(page, 1)
        # every cell has run (the regions table is drawn below the widget): nothing moves the picture any
        # more while the mouse clicks on it
        expect(page.locator(".jp-OutputArea-output")).to_have_count(4, timeout=60_000)
        expect(widget.locator("img.lnb-image[data-state=ready]")).to_have_count(1, timeout=60_000)
        surface = widget.locator(".lnb-surface[data-object=image]")
        surface.scroll_into_view_if_needed()

        toggle = widget.locator("[data-testid=assist-toggle]")
        expect(toggle).to_have_attribute("aria-pressed", "false")
        toggle.click()
        expect(toggle).to_have_attribute("aria-pressed", "true")
        widget.locator("[data-label-control=click][data-label=Ball]").click()

        # a click on the ball: the mask of the ball and of the brick touching it (orange is near red)
        surface.click(position=at(surface, *BALL))
        mask = widget.locator("canvas.lnb-brush[data-region]")
        expect(mask).to_have_count(1, timeout=30_000)
        expect(widget.locator("[data-testid=assist-busy]")).to_have_count(0)
        rows = widget.locator("[data-region-item]")
        expect(rows).to_have_count(2)  # the mask and its box
        expect(rows.locator(".lnb-origin-prediction")).to_have_count(2)
        marks = widget.locator("[data-assist-marks=image] .lnb-assist-point")
        expect(marks).to_have_count(1)
        grown = wait_for(lambda: mask.evaluate(MASK_PIXELS) or None, "the mask drawn on its canvas")
        shot(page, "assist-one-click")

        # Alt+click on the brick leaves it out: the new answer replaces the old one, and it is smaller
        surface.click(position=at(surface, *BRICK), modifiers=["Alt"])
        expect(marks).to_have_count(2)
        expect(widget.locator("[data-assist-marks=image] [data-positive=false]")).to_have_count(1)

        def shrunk() -> int | None:
            canvases = widget.locator("canvas.lnb-brush[data-region]")
            if canvases.count() != 1:
                return None
            n = canvases.evaluate(MASK_PIXELS)
            return n if 0 < n < grown * 0.8 else None

        wait_for(shrunk, "the mask shrunk by the negative click")
        expect(rows).to_have_count(2)
        expect(widget.locator("[data-testid=error]")).to_have_count(0)
        widget.locator(".lnb-assist-bar").scroll_into_view_if_needed()
        screenshot = shot(page, "assist-negative-click")
        assert screenshot.stat().st_size > 0

        # Escape ends the object (the marks go, the regions stay), Ctrl+Enter submits
        page.keyboard.press("Escape")
        expect(marks).to_have_count(0)
        expect(rows).to_have_count(2)
        page.keyboard.press("Control+Enter")
        result = wait_for(lambda: stored(workdir), "the first picture's annotation in the store")

    brushes = [item for item in result if item["type"] == "brushlabels"]
    boxes = [item for item in result if item["type"] == "rectanglelabels"]
    assert len(brushes) == 1
    assert len(boxes) == 1
    brush = brushes[0]
    assert (brush["from_name"], brush["to_name"], brush["value"]["brushlabels"]) == (
        "mask",
        "image",
        ["Ball"],
    )
    assert (brush["original_width"], brush["original_height"]) == (W, H)
    pixels = decode_rle(brush["value"]["rle"])
    assert pixels.size == W * H * 4
    alpha = np.asarray(pixels).reshape(H, W, 4)[:, :, 3] > 0
    assert alpha[BALL[1], BALL[0]]
    assert not alpha[BRICK[1], BRICK[0]]
    assert not alpha[10, 10]
    # the box is the ball's: 160 px wide, not the ball and the brick together
    assert boxes[0]["value"]["width"] == pytest.approx(161 / W * 100, abs=1.5)
