"""Every computer-vision template of Label Studio's gallery renders in a real JupyterLab and a real Chromium.

The templates are read from the ``label-studio`` wheel cached by ``tests/unit/config/test_gallery.py``.
Covered: every template whose gallery ``group`` is "Computer Vision", and every template of another group
whose task data is images only (each object tag that reads task data is an ``Image``; a ``Text`` with a
literal value, such as a legend, does not count). :func:`test_templates_are_the_gallery_selection` keeps
:data:`TEMPLATES` equal to that rule, so a new gallery template is noticed.

One JupyterLab, one page and one notebook serve the whole module. The notebook holds a setup cell and one
cell per template (create a project with the template's config, import ``LabelConfig.sample_task()`` as
its one task, show ``project.annotate()``); each test runs its own cell, so what the page logs while that
widget renders is that template's. For each template the test checks: no console or page error, no
``[data-unsupported]`` note and no "Not shown in this version" message, every image shown
(``img[data-state=ready]``; a PDF's page is one), and that the template can be used: a region drawn with its first region
control (label chip or tool button, then a drag or clicks on the surface) appears as ``[data-region]``,
a perRegion control is there for that region (selected once drawn) and takes input, a choice clicked is
selected, a star clicked with the mouse is checked, text typed into a TextArea stays. A screenshot
per template goes to ``test-artifacts/e2e/gallery-cv-<template>.png``, failing or not.

Templates that need what this version cannot show yet are in :data:`EXPECTED_FAILURES` with the missing
tag or feature; they are strict expected failures, so one that starts passing fails the run until it is
taken off the list.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Browser, Locator, Page, expect
from playwright.sync_api import Error as PlaywrightError

from labelnb.config import LabelConfig
from labelnb.widget.support import REGION_TOOLS
from tests.conftest import PageErrors
from tests.e2e.servers import ARTIFACTS, BEFORE_STOP, Server, jupyter_lab
from tests.e2e.widget_page import shot
from tests.security.test_browser_attacks import write_notebook
from tests.unit.config.test_gallery import TEMPLATE, _download

pytestmark = pytest.mark.e2e

USER = "gallery-cv@example.org"
NOTEBOOK = "gallery-cv.ipynb"
GROUP = "Computer Vision"

#: The templates covered (gallery path ``<folder>/<name>``), in the order their cells run.
TEMPLATES = (
    "community-contributions/breast-cancer-mammogram-classification",  # four images, Choices, TextArea
    "community-contributions/ocr-invoices-pre-ner-bio-format",  # images only
    "computer-vision/image-captioning",
    "computer-vision/image-classification",
    "computer-vision/inventory-tracking",
    "computer-vision/keypoints",
    "computer-vision/medical-image-classification-with-bboxes",
    "computer-vision/multipage-documents",
    "computer-vision/object-detection-with-bounding-boxes",
    "computer-vision/optical-character-recognition",
    "computer-vision/pdf_ocr",  # in the group, though its object is a Pdf
    "computer-vision/semantic-segmentation-with-masks",
    "computer-vision/semantic-segmentation-with-polygons",
    "computer-vision/visual-genome",
    "computer-vision/visual-question-answering",  # in the group: an Image and four Text questions
    "ranking-and-scoring/content-based-image-search",  # images only: a query image and three candidates
    "ranking-and-scoring/pairwise-regression",  # images only: two images and a Rating
)

#: Template -> what this version cannot show yet. The work list: remove a template once it passes.
EXPECTED_FAILURES: dict[str, str] = {}

#: What a region control's first region is drawn with: a drag, or clicks (a polygon closes on its first
#: vertex; a polyline ends with Enter).
REGION_KIND = {tag: tag.removesuffix("Labels").lower() for tag in REGION_TOOLS} | {"OcrLabels": "rectangle"}


# -- the gallery --------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def gallery() -> dict[str, dict[str, object]]:
    """Template path -> its ``config.yml``, for every template of the cached label-studio wheel."""
    found: dict[str, dict[str, object]] = {}
    with zipfile.ZipFile(_download()) as wheel:
        for entry in sorted(wheel.namelist()):
            match = TEMPLATE.match(entry)
            if match is not None:
                found[match["path"]] = yaml.safe_load(wheel.read(entry).decode("utf-8"))
    return found


def images_only(config: LabelConfig) -> bool:
    """True when every object tag that reads task data is an Image."""
    reading = [obj for obj in config.objects.values() if obj.value_key is not None]
    return bool(reading) and all(obj.tag == "Image" for obj in reading)


def short(template: str) -> str:
    return template.rsplit("/", 1)[-1]


def test_templates_are_the_gallery_selection(gallery: dict[str, dict[str, object]]) -> None:
    chosen = sorted(
        path
        for path, doc in gallery.items()
        if doc.get("group") == GROUP or images_only(LabelConfig.from_xml(str(doc["config"])))
    )
    assert chosen == sorted(TEMPLATES)
    assert set(EXPECTED_FAILURES) <= set(TEMPLATES)
    assert len({short(t) for t in TEMPLATES}) == len(TEMPLATES), "screenshot names must be unique"


# -- one JupyterLab, one page, one notebook ---------------------------------------------------------
SETUP = """\
import os
from pathlib import Path

import labelnb as lnb
from labelnb.config import LabelConfig

WORK = Path(os.environ["LABELNB_WORKDIR"])


def show(template, xml):
    project = lnb.Project.create(WORK / template.replace("/", "--"), config=xml)
    project.import_tasks([LabelConfig.from_xml(xml).sample_task()])
    return project.annotate()
"""


@dataclass
class Session:
    page: Page
    server: Server
    errors: PageErrors
    #: where each test's errors start and end in ``errors.errors``: what lies outside was logged between
    windows: list[tuple[int, int]] = field(default_factory=list)


def quiet_notebook_settings(settings: Path) -> None:
    """Every cell stays in the page (no windowing), so cell n is the n-th ``.jp-Cell``."""
    target = settings / "@jupyterlab" / "notebook-extension"
    target.mkdir(parents=True, exist_ok=True)
    (target / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))


def wait_kernel_idle(page: Page) -> None:
    page.wait_for_function(
        "() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
        " const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;"
        " return !!k && k.connectionStatus === 'connected' && k.status === 'idle'; }",
        timeout=120_000,
    )


def run_cell(page: Page, index: int) -> None:
    """Run cell ``index`` of the current notebook and wait until its execution has finished."""
    wait_kernel_idle(page)
    page.evaluate(
        "async i => { const nb = window.jupyterapp.shell.currentWidget.content;"
        " nb.activeCellIndex = i; nb.deselectAll();"
        " await window.jupyterapp.commands.execute('notebook:run-cell'); }",
        index,
    )
    wait_kernel_idle(page)


def cell(page: Page, index: int) -> Locator:
    return page.locator(".jp-Notebook .jp-Cell").nth(index)


@pytest.fixture(scope="module")
def session(
    browser: Browser, gallery: dict[str, dict[str, object]], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Session]:
    tmp = tmp_path_factory.mktemp("gallery-cv")
    quiet_notebook_settings(tmp / "lab-settings")  # the folder jupyter_lab() takes its settings from
    with jupyter_lab(tmp, tmp / "projects", USER) as server:
        cells = [SETUP] + [f"show({t!r}, {str(gallery[t]['config'])!r})" for t in TEMPLATES]
        write_notebook(server.root, NOTEBOOK, *cells)
        context = browser.new_context(viewport={"width": 1280, "height": 1000})
        context.set_default_timeout(10_000)  # a control that is not there fails fast
        page = context.new_page()
        errors = PageErrors(page)
        BEFORE_STOP.append(errors.stop)
        try:
            workspace = NOTEBOOK.removesuffix(".ipynb")
            page.goto(f"{server.url}/lab/workspaces/{workspace}/tree/{NOTEBOOK}?token={server.token}")
            page.wait_for_function(
                "name => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
                " return !!(w && w.context && w.context.path === name); }",
                arg=NOTEBOOK,
                timeout=120_000,
            )
            expect(page.locator(".jp-Notebook .jp-Cell")).to_have_count(len(cells), timeout=60_000)
            run_cell(page, 0)
            if errors.errors:
                pytest.fail("errors while opening the notebook:\n" + "\n".join(errors.errors), pytrace=False)
            errors.errors.clear()
            yield Session(page, server, errors)
        finally:
            BEFORE_STOP.remove(errors.stop)
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / "gallery-cv-final.png"), full_page=True)
            context.close()


# -- using a template ---------------------------------------------------------------------------------
def draw_region(page: Page, widget: Locator, config: LabelConfig) -> None:
    """Draw one region with the config's first region control, and see it appear."""
    control = next(c for c in config.controls.values() if c.tag in REGION_TOOLS)
    if control.tag.endswith("Labels"):  # a chip per label (dynamic labels come from the task)
        widget.locator(f"[data-label-control='{control.name}'][data-label]").first.click()
    else:
        widget.locator(f"[data-tool='{control.name}']").click()
    surface = widget.locator(f".lnb-surface[data-object='{control.to_name[0]}']")
    surface.scroll_into_view_if_needed()
    box = surface.bounding_box()
    assert box is not None, "the image surface has no box"

    def at(fx: float, fy: float) -> tuple[float, float]:
        return box["x"] + box["width"] * fx, box["y"] + box["height"] * fy

    kind = REGION_KIND[control.tag]
    if kind in ("rectangle", "ellipse", "brush"):
        page.mouse.move(*at(0.3, 0.3))
        page.mouse.down()
        for step in range(1, 9):
            page.mouse.move(*at(0.3 + 0.04 * step, 0.3 + 0.04 * step))
        page.mouse.up()
    elif kind == "keypoint":
        page.mouse.click(*at(0.5, 0.5))
    else:  # polygon, vector: click the vertices, then close on the first one (or end with Enter)
        points = [at(0.3, 0.3), at(0.65, 0.3), at(0.5, 0.65)]
        for x, y in points:
            page.mouse.click(x, y)
            page.wait_for_timeout(80)  # no double click
        if kind == "polygon":
            page.mouse.click(*points[0])
        else:
            page.keyboard.press("Enter")
    expect(widget.locator("[data-region]")).to_have_count(1)


def mark_span(page: Page, widget: Locator, config: LabelConfig) -> None:
    """Mark a span with the config's first Labels on a Text: a label chip, then a mouse drag over the text."""
    control = next(c for c in config.controls.values() if c.tag == "Labels" and c.to_name)
    widget.locator(f"[data-label-control='{control.name}'][data-label]").first.click()
    text = widget.locator(f".lnb-spans[data-object='{control.to_name[0]}']")
    text.scroll_into_view_if_needed()
    box = text.bounding_box()
    assert box is not None, "the text has no box"
    y = box["y"] + min(box["height"] / 2, 12)
    page.mouse.move(box["x"] + 3, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.3, y, steps=6)
    page.mouse.up()
    expect(text.locator(".lnb-span[data-region]").first).to_be_visible()


def use_control(page: Page, box: Locator, tag: str) -> bool:
    """Use one classification control shown in ``box``: pick a choice, click a star, type text. False
    when there is nothing of that kind to try."""
    if tag == "Choices":
        pick = box.locator("[data-choice]").first
        pick.click()
        expect(pick).to_have_attribute("data-selected", "true")
    elif tag == "Rating":
        star = box.locator("[data-rating='3']")
        star.scroll_into_view_if_needed()
        where = star.bounding_box()
        assert where is not None, "the star has no box"
        # the mouse, as a person clicks: over the star first, then press (no retries, no forcing)
        page.mouse.move(where["x"] + where["width"] / 2, where["y"] + where["height"] / 2)
        page.mouse.down()
        page.mouse.up()
        expect(star).to_have_attribute("aria-checked", "true")
    elif tag == "TextArea":
        # its input: a line with rows="1" (the default), a box with more; submitted, the text is an entry
        text = box.locator("[data-entry-input]")
        text.fill("a house and a tree")
        expect(text).to_have_value("a house and a tree")
    else:
        return False
    return True


def use_controls(page: Page, widget: Locator, config: LabelConfig) -> list[str]:
    """Use the template: draw a region with its first region control, then use the first control of each
    other kind (a perRegion one for the region just drawn, which is selected). What was done, for the
    report."""
    done: list[str] = []
    controls = list(config.controls.values())
    region = None
    if any(c.tag in REGION_TOOLS for c in controls):
        draw_region(page, widget, config)
        region = widget.locator("[data-region]").get_attribute("data-region")
        done.append("region")
    elif any(c.tag == "Labels" and all(config.objects[t].tag == "Text" for t in c.to_name) for c in controls):
        mark_span(page, widget, config)
        done.append("span")
    for control in sorted(controls, key=lambda c: not c.per_region):
        kind = f"{control.tag} perRegion" if control.per_region else control.tag
        if kind in done:
            continue
        if control.per_region:
            assert region is not None, f"{control.name} is perRegion, but the template draws no region"
            box = widget.locator(f"[data-control='{control.name}'][data-region-for='{region}']")
        else:
            box = widget.locator(f"[data-control='{control.name}']")
        if use_control(page, box, control.tag):
            done.append(kind)
    return done


def shown_images(config: LabelConfig) -> int:
    """How many images the widget shows at once (a ``valueList`` shows one page at a time, and so does a
    ``Pdf``: pdf.js draws the page, which the image surface shows as an image)."""
    return sum(1 for obj in config.objects.values() if obj.tag in ("Image", "Pdf"))


PARAMS = [
    pytest.param(
        template,
        id=short(template),
        marks=[pytest.mark.xfail(strict=True, reason=EXPECTED_FAILURES[template])]
        if template in EXPECTED_FAILURES
        else [],
    )
    for template in TEMPLATES
]


def try_template(
    session: Session,
    index: int,
    shot_name: str,
    use: Callable[[Locator], object],
    shown: Callable[[Locator], None] | None = None,
) -> None:
    """Run template cell ``index``, check its widget (``shown`` adds checks of what it shows), use it, and
    fail with everything that went wrong: notes, "not shown" messages, the use, and page errors logged
    meanwhile. A screenshot goes to ``test-artifacts/e2e/<shot_name>.png`` whatever happens."""
    page, errors = session.page, session.errors.errors
    start = len(errors)
    problems: list[str] = []  # everything wrong with the template, not only the first thing
    try:
        run_cell(page, index)
        widget = cell(page, index).locator(".labelnb-root")
        expect(widget).to_have_count(1, timeout=60_000)
        widget.scroll_into_view_if_needed()
        if shown is not None:
            shown(widget)
        notes = widget.locator("[data-unsupported]").evaluate_all(
            "els => els.map(el => el.textContent.trim())"
        )
        problems += [f"note: {note}" for note in notes]
        messages = widget.locator(".lnb-message").all_inner_texts()
        problems += [f"status: {text}" for text in messages if "Not shown in this version" in text]
        try:
            use(widget)
        except (AssertionError, PlaywrightError) as exc:
            problems.append(f"using it: {str(exc).strip().splitlines()[0]}")
        page.wait_for_timeout(150)  # late errors of this widget are this template's
        widget.evaluate("el => el.scrollIntoView({block: 'start'})")  # the screenshot starts at its top
    finally:
        try:
            shot(page, shot_name)
        finally:
            session.windows.append((start, len(errors)))
    problems += [f"page: {text}" for text in errors[start:]]
    assert problems == [], f"{shot_name}:\n" + "\n".join(problems)


def no_errors_between(session: Session) -> None:
    """Whatever the page logged outside the templates' own tests (late errors, the kernel, JupyterLab)."""
    session.page.wait_for_timeout(300)
    errors = session.errors.errors
    inside = {i for start, end in session.windows for i in range(start, end)}
    outside = [text for i, text in enumerate(errors) if i not in inside]
    assert outside == [], "errors in the page:\n" + "\n".join(outside)


@pytest.mark.parametrize("template", PARAMS)
def test_template_renders_and_works(
    template: str, session: Session, gallery: dict[str, dict[str, object]]
) -> None:
    config = LabelConfig.from_xml(str(gallery[template]["config"]))

    def images_shown(widget: Locator) -> None:
        images = widget.locator("img[data-state=ready]")
        expect(images).to_have_count(shown_images(config), timeout=30_000)
        widths = images.evaluate_all("imgs => imgs.map(img => img.naturalWidth)")
        assert all(width > 0 for width in widths), f"images without pixels: {widths}"

    try_template(
        session,
        TEMPLATES.index(template) + 1,  # cell 0 is the setup
        f"gallery-cv-{short(template)}",
        lambda widget: use_controls(session.page, widget, config),
        images_shown,
    )


def test_no_errors_between_templates(session: Session) -> None:
    no_errors_between(session)
