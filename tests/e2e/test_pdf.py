"""A ``<Pdf>`` with ``<OcrLabels>`` in a real JupyterLab and a real Chromium, checked in the store.

One JupyterLab, one page and one notebook serve the module; each test has a widget (and a project) of its
own. The PDF is a local file made here (two pages of Helvetica text, written the way
``labelnb.config.sample.pdf_bytes`` writes its one page), in a folder the widget is allowed to read
(``media_roots``), so the kernel delivers it; pdf.js comes from the kernel's asset table. The tests use the
mouse and keyboard as a person would, then read what the kernel stored with ``lnb.Project.open``: Label
Studio's ocrlabels items, the box in percent of the page, ``value.pageIndex`` counted from 0.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

import labelnb as lnb
from labelnb.config import LabelConfig
from labelnb.config.sample import pdf_file, pdf_text
from tests.e2e.notebook_lab import Lab, checked_run, notebook_lab, stored_answer
from tests.e2e.widget_page import assert_focus_within, shot, wait_for

pytestmark = pytest.mark.e2e

USER = "reader@example.org"
CONFIG = """<View>
  <Header value="Select text to correct" size="4"/>
  <OcrLabels name="ocr" toName="pdf">
    <Label value="Typo"/><Label value="Incorrect Amount"/><Label value="Incorrect Name"/>
  </OcrLabels>
  <Pdf name="pdf" value="$pdf"/>
</View>"""
PROJECTS = ("draw", "roundtrip", "broken")
PDF_NAME = "two-pages.pdf"
TOL = 0.5  # percent of the page: a CSS pixel is about 0.13 % of its width here

PAGE_W, PAGE_H = 612, 792  # US letter, in points
#: (page, font size, x, baseline from the top, text); page 2's amount line is the one the test boxes
LINES = [
    (0, 24, 72, 90, "First page"),
    (0, 12, 72, 140, "Nothing to correct here."),
    (1, 24, 72, 90, "Second page"),
    (1, 14, 72, 192, "Total due: 1,250.00 EUR"),
    (1, 12, 72, 400, "Contact: Maria Lopez"),
]
#: a box around page 2's amount line, in percent of the page (the line is 14 pt tall at 192 pt from the top)
BOX = {"x": 10.0, "y": 21.5, "width": 40.0, "height": 5.0}


def two_page_pdf() -> bytes:
    """A two-page PDF (US letter) of the lines in :data:`LINES`, in the standard Helvetica."""
    streams = [
        "\n".join(
            f"BT /F1 {size} Tf {x} {PAGE_H - top} Td ({pdf_text(text)}) Tj ET"
            for page, size, x, top, text in LINES
            if page == n
        ).encode("latin-1")
        for n in range(2)
    ]
    return pdf_file(streams, PAGE_W, PAGE_H)


def ocr_item(rid: str, page: int, labels: list[str], **value: Any) -> dict[str, Any]:
    return {
        "id": rid,
        "from_name": "ocr",
        "to_name": "pdf",
        "type": "ocrlabels",
        "origin": "manual",
        "value": {"rotation": 0, **value, "ocrlabels": labels, "pageIndex": page},
    }


# Label Studio ocrlabels results, one on each page, as an export holds them
ANNOTATED = [
    ocr_item("onfirst", 0, ["Typo"], x=11.0, y=9.0, width=30.0, height=4.5, ocrtext="First page"),
    ocr_item("onsecond", 1, ["Incorrect Amount"], x=11.5, y=22.0, width=38.25, height=4.0),
]


def make_projects(workdir: Path) -> Path:
    docs = workdir / "docs"
    docs.mkdir(parents=True)
    (docs / PDF_NAME).write_bytes(two_page_pdf())
    pdf = str(docs / PDF_NAME)
    for name in PROJECTS:
        project = lnb.Project.create(workdir / name, config=CONFIG)
        if name == "roundtrip":
            project.import_tasks(
                [
                    {
                        "data": {"pdf": pdf},
                        "annotations": [{"completed_by": {"email": USER}, "result": ANNOTATED}],
                    }
                ]
            )
        elif name == "broken":
            garbage = base64.b64encode(b"%PDF-1.4\nthis is not a PDF at all\n%%EOF\n").decode()
            project.import_tasks([{"pdf": f"data:application/pdf;base64,{garbage}"}])
        else:
            project.import_tasks([{"pdf": pdf}])
        project.close()
    return docs


# -- the page --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def lab(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    tmp = tmp_path_factory.mktemp("pdf")
    make_projects(tmp / "projects")
    with notebook_lab(
        browser,
        tmp,
        USER,
        "pdf.ipynb",
        PROJECTS,
        viewport=(1280, 1400),
        annotate_args="media_roots=[root / 'docs']",
    ) as lab:
        yield lab


@pytest.fixture
def checked(lab: Lab, request: pytest.FixtureRequest) -> Iterator[Lab]:
    """The shared page; the test fails on any uncaught page error or console error while it ran."""
    yield from checked_run(lab, request)


NEXT_FRAMES = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"


class PdfWidget:
    """One widget's PDF: its pager, and the page surface addressed in percent of the page (zoom 1)."""

    def __init__(self, lab: Lab, name: str) -> None:
        self.page = lab.page
        self.root = lab.roots[name]
        self.pdf = self.root.locator("[data-pdf=pdf]")
        self.frame = self.root.locator(".lnb-surface[data-object=pdf]")
        self.root.scroll_into_view_if_needed()

    def expect_page(self, index: int, count: int = 2) -> None:
        """Page ``index`` (0-based) is drawn and shown, with its number in the pager."""
        expect(self.pdf).to_have_attribute("data-page-index", str(index), timeout=60_000)
        expect(self.pdf.locator("[data-page-label]")).to_have_text(f"Page {index + 1} / {count}")
        image = self.root.locator("img[data-object=pdf]")
        expect(image).to_have_attribute("data-state", "ready", timeout=60_000)
        natural, shown = image.evaluate("img => [img.naturalWidth, img.getBoundingClientRect().width]")
        assert natural >= 2 * shown, f"the page is drawn at {natural} px for {shown} px on screen: not crisp"

    def go(self, which: str) -> None:
        self.pdf.locator(f"[data-page={which}]").click()

    def box(self) -> dict[str, float]:
        self.frame.scroll_into_view_if_needed()

        def settled() -> dict[str, float] | None:
            before = self.frame.bounding_box()
            self.page.evaluate(NEXT_FRAMES)
            return before if before is not None and before == self.frame.bounding_box() else None

        return wait_for(settled, "the page to stop moving", timeout=10)

    def at(self, x: float, y: float) -> tuple[float, float]:
        b = self.box()
        point = b["x"] + x / 100 * b["width"], b["y"] + y / 100 * b["height"]
        size = self.page.viewport_size
        assert size is not None
        assert 0 <= point[1] <= size["height"], f"page point ({x} %, {y} %) is off the screen"
        return point

    def drag(self, a: tuple[float, float], b: tuple[float, float]) -> None:
        start, end = self.at(*a), self.at(*b)
        mouse = self.page.mouse
        mouse.move(*start)
        mouse.down()
        mouse.move(*end, steps=10)
        mouse.up()

    def choose(self, label: str) -> None:
        chip = self.root.locator(f"[data-label-control=ocr][data-label='{label}']")
        chip.click()
        expect(chip).to_have_attribute("aria-pressed", "true")

    def submit(self) -> None:
        assert_focus_within(self.root)
        self.page.keyboard.press("Control+Enter")


def submitted(lab: Lab, name: str, versions: int = 1) -> list[dict[str, Any]]:
    banner = lab.roots[name].locator("[data-testid=error]")

    def answer() -> list[dict[str, Any]] | None:
        count, result = stored_answer(lab.workdir, name)
        if count < versions and banner.count():
            raise AssertionError(f"the widget refused to submit: {banner.inner_text()}")
        return result if count >= versions else None

    return wait_for(answer, f"version {versions} of the answer to {name} in the store")


# -- the tests -------------------------------------------------------------------------------------------


def test_a_box_drawn_on_page_two_is_stored_as_label_studio_ocrlabels(checked: Lab) -> None:
    lab = checked
    w = PdfWidget(lab, "draw")
    w.expect_page(0)
    expect(w.pdf.locator("[data-page=prev]")).to_be_disabled()
    w.choose("Incorrect Amount")
    w.go("next")
    w.expect_page(1)
    expect(w.pdf.locator("[data-page=next]")).to_be_disabled()
    a = (BOX["x"], BOX["y"])
    b = (BOX["x"] + BOX["width"], BOX["y"] + BOX["height"])
    w.drag(a, b)
    region = w.frame.locator("[data-region][data-kind=rectangle]")
    expect(region).to_have_count(1)
    expect(region).to_have_attribute("data-label", "Incorrect Amount")
    listing = w.root.locator("[data-region-list=pdf] [data-region-item]")
    expect(listing).to_have_count(1)
    expect(listing).to_contain_text("1,250.00")  # the row shows the text under the box
    shot(lab.page, "pdf-draw")
    # the first page has no box of its own; back on page 2 the box is still there
    w.go("prev")
    w.expect_page(0)
    expect(w.frame.locator("[data-region]")).to_have_count(0)
    expect(w.root.locator("[data-region-list=pdf] [data-region-item]")).to_have_count(0)
    w.go("next")
    w.expect_page(1)
    expect(region).to_have_count(1)
    w.submit()

    (item,) = submitted(lab, "draw")
    assert item["type"] == "ocrlabels"
    assert (item["from_name"], item["to_name"]) == ("ocr", "pdf")
    value = item["value"]
    assert value["ocrlabels"] == ["Incorrect Amount"]
    assert value["pageIndex"] == 1
    for key in ("x", "y", "width", "height"):
        assert abs(value[key] - BOX[key]) <= TOL, (key, value[key], BOX[key])
    assert value["rotation"] == 0
    assert value["ocrtext"] == "Total due: 1,250.00 EUR"
    # nothing an image result has: a page has no original_width or image_rotation
    assert set(item) == {"id", "from_name", "to_name", "type", "origin", "value"}
    assert item["origin"] == "manual"
    LabelConfig.from_xml(CONFIG).validate_result([item], {"pdf": "x.pdf"})


def test_imported_ocrlabels_show_on_their_own_pages_and_come_back_unchanged(checked: Lab) -> None:
    lab = checked
    w = PdfWidget(lab, "roundtrip")
    # the only task is answered: the "all done" screen, and Back to the stored answer
    expect(w.root.locator("[data-testid=empty]")).to_be_visible(timeout=60_000)
    w.root.locator("[data-testid=back]").click()
    w.expect_page(0)
    expect(w.frame.locator("[data-region]")).to_have_count(1)
    expect(w.frame.locator("[data-region=onfirst]")).to_have_attribute("data-label", "Typo")
    listing = w.root.locator("[data-region-list=pdf]")
    expect(listing.locator("[data-region-item]")).to_have_count(1)
    expect(listing.locator("[data-region-item=onfirst]")).to_contain_text("First page")
    shot(lab.page, "pdf-imported-page1")
    w.go("next")
    w.expect_page(1)
    expect(w.frame.locator("[data-region]")).to_have_count(1)
    expect(w.frame.locator("[data-region=onsecond]")).to_have_attribute("data-label", "Incorrect Amount")
    expect(listing.locator("[data-region-item]")).to_have_count(1)
    expect(listing.locator("[data-region-item=onsecond]")).to_have_count(1)
    shot(lab.page, "pdf-imported-page2")
    w.frame.click(position={"x": 3, "y": 3})  # focus the widget, on a bare spot
    w.submit()
    assert submitted(lab, "roundtrip", versions=2) == ANNOTATED


def test_a_file_that_is_not_a_pdf_says_so_in_the_widget(checked: Lab) -> None:
    lab = checked
    root = lab.roots["broken"]
    root.scroll_into_view_if_needed()
    alert = root.locator("[data-pdf=pdf][data-state=error]")
    expect(alert).to_be_visible(timeout=60_000)
    expect(alert).to_have_attribute("role", "alert")
    expect(alert).to_contain_text("Could not open the PDF")
    expect(alert).to_contain_text("not a valid PDF file")
    expect(root.locator("img[data-object=pdf]")).to_have_count(0)
    shot(lab.page, "pdf-broken")
