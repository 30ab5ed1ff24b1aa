"""Every other template of Label Studio's gallery (text, documents, conversations, ranking, generative AI:
all but the computer-vision ones, which tests/e2e/test_gallery_cv.py covers, and those with audio, video
or time series) renders in a real JupyterLab and a real Chromium, and can be used.

The same recipe as the computer-vision module (one JupyterLab, one page, one notebook with a cell per
template showing ``LabelConfig.sample_task()`` data): for each template, no console or page error, no
``[data-unsupported]`` note, and one thing made with the mouse and keyboard: a span (Labels on a Text,
ParagraphLabels on Paragraphs), else the first control that takes a pick (a choice, a star, text, a
taxonomy item, a date, a pairwise side, a ranking move, a chat message). A screenshot per template goes to
``test-artifacts/e2e/gallery-nlp-<template>.png``.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator

import pytest
import yaml
from playwright.sync_api import Browser, Locator, Page, expect

from labelnb.config import LabelConfig
from tests.conftest import PageErrors
from tests.e2e.servers import ARTIFACTS, BEFORE_STOP, jupyter_lab
from tests.e2e.test_gallery_cv import (
    SETUP,
    Session,
    no_errors_between,
    quiet_notebook_settings,
    run_cell,
    short,
    try_template,
    use_control,
)
from tests.e2e.test_gallery_cv import (
    TEMPLATES as CV_TEMPLATES,
)
from tests.security.test_browser_attacks import write_notebook
from tests.unit.config.test_gallery import TEMPLATE, _download

pytestmark = pytest.mark.e2e

USER = "gallery-nlp@example.org"
NOTEBOOK = "gallery-nlp.ipynb"
#: tags this module leaves to later work (issue 9 and later: audio, video, time series)
MEDIA_TAGS = {
    "Audio",
    "AudioPlus",
    "Video",
    "TimeSeries",
    "TimelineLabels",
    "VideoRectangle",
    "TimeSeriesLabels",
}
#: template -> what this version cannot show yet (strict expected failures: remove one once it passes)
EXPECTED_FAILURES: dict[str, str] = {}
#: span controls and the objects they label spans of
SPAN_OBJECTS = {
    "Labels": ("Text", "HyperText"),
    "ParagraphLabels": ("Paragraphs",),
    "HyperTextLabels": ("HyperText",),
}


def _gallery() -> dict[str, str]:
    """Template path -> config, for the templates this module covers, in path order."""
    out: dict[str, str] = {}
    with zipfile.ZipFile(_download()) as wheel:
        for entry in sorted(wheel.namelist()):
            match = TEMPLATE.match(entry)
            if match is None or match["path"] in CV_TEMPLATES:
                continue
            xml = str(yaml.safe_load(wheel.read(entry).decode("utf-8"))["config"])
            if {node.tag for node in LabelConfig.from_xml(xml).root.iter()} & MEDIA_TAGS:
                continue
            out[match["path"]] = xml
    return out


GALLERY = _gallery()
TEMPLATES = tuple(GALLERY)


def test_the_selection_is_not_empty() -> None:
    assert len(TEMPLATES) > 20
    assert set(EXPECTED_FAILURES) <= set(TEMPLATES)
    assert len({short(t) for t in TEMPLATES}) == len(TEMPLATES)


@pytest.fixture(scope="module")
def session(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    tmp = tmp_path_factory.mktemp("gallery-nlp")
    quiet_notebook_settings(tmp / "lab-settings")
    with jupyter_lab(tmp, tmp / "projects", USER) as server:
        cells = [SETUP] + [f"show({t!r}, {GALLERY[t]!r})" for t in TEMPLATES]
        write_notebook(server.root, NOTEBOOK, *cells)
        context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="en-US")
        context.set_default_timeout(10_000)
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
            errors.errors.clear()
            yield Session(page, server, errors)
        finally:
            BEFORE_STOP.remove(errors.stop)
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            context.close()


def mark_span(page: Page, widget: Locator, config: LabelConfig) -> bool:
    """A span with the first Labels on a Text or HyperText, ParagraphLabels on Paragraphs or HyperTextLabels
    on a HyperText: a chip, then a drag."""
    control = next(
        (
            c
            for c in config.controls.values()
            if c.tag in SPAN_OBJECTS
            and c.to_name
            and all(
                config.objects.get(t) is not None and config.objects[t].tag in SPAN_OBJECTS[c.tag]
                for t in c.to_name
            )
        ),
        None,
    )
    if control is None:
        return False
    widget.locator(f"[data-label-control='{control.name}'][data-label]").first.click()
    obj = config.objects[control.to_name[0]]
    boxes = {
        "Text": f".lnb-spans[data-object='{obj.name}']",
        "HyperText": f".lnb-hypertext-doc[data-object='{obj.name}']",
        "Paragraphs": f"[data-paragraphs='{obj.name}'] [data-phrase-text]",
    }
    text = widget.locator(boxes[obj.tag]).first
    text.scroll_into_view_if_needed()
    # the first line of text itself (the box has padding): from its first characters, rightwards
    line = text.evaluate(
        """el => { const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
          let node = walk.nextNode(); while (node && !node.data.trim()) node = walk.nextNode();
          const r = document.createRange(); r.setStart(node, 0); r.setEnd(node, Math.min(node.data.length, 12));
          const b = r.getBoundingClientRect(); return { x: b.left, y: b.top + b.height / 2, w: b.width }; }"""
    )
    page.mouse.move(line["x"] + 1, line["y"])
    page.mouse.down()
    page.mouse.move(line["x"] + max(line["w"], 20), line["y"], steps=6)
    page.mouse.up()
    expect(widget.locator(".lnb-span[data-region]").first).to_be_visible()
    return True


def use_more(page: Page, box: Locator, tag: str) -> bool:
    """The controls the computer-vision module does not try."""
    if tag == "Taxonomy":
        box.locator("[data-action=taxonomy]").click()
        box.locator(".lnb-tax-tree input[type=checkbox]:not([disabled])").first.check()
        expect(box.locator("[data-picked]")).to_have_count(1)
    elif tag == "Number":
        field = box.locator("input")
        field.click()
        page.keyboard.type("1")
        expect(field).to_have_value("1")
    elif tag == "DateTime":
        first = box.locator("input[type=date], input[type=time], select").first
        if first.evaluate("el => el.tagName") == "SELECT":
            first.select_option(index=1)
        else:
            first.click()
            page.keyboard.type("01022024" if first.get_attribute("type") == "date" else "0930AM")
    elif tag == "Pairwise":
        box.locator("[data-pick=left]").click()
        expect(box.locator("[data-pick=left]")).to_have_attribute("aria-pressed", "true")
    elif tag == "Ranker":
        move = box.locator("button[data-move]:not([disabled])").first
        move.click()
    else:
        return use_control(page, box, tag)
    return True


def use_template(page: Page, widget: Locator, config: LabelConfig) -> list[str]:
    """Make one thing: a span if the template has span labels, else a pick with the first control that
    takes one, else a message in its chat."""
    if mark_span(page, widget, config):
        return ["span"]
    for control in config.controls.values():
        if control.per_region:
            continue
        box = widget.locator(f"[data-control='{control.name}']")
        if box.count() == 0:
            continue
        if use_more(page, box, control.tag):
            return [control.tag]
    chat = widget.locator("[data-chat] textarea[aria-label='New message']")
    if chat.count():
        chat.first.click()
        page.keyboard.type("Thanks!")
        page.keyboard.press("Enter")
        expect(widget.locator(".lnb-chat-msg.lnb-own")).to_have_count(1)
        return ["chat"]
    raise AssertionError("nothing in this template took a pick")


PARAMS = [
    pytest.param(
        t,
        id=short(t),
        marks=[pytest.mark.xfail(strict=True, reason=EXPECTED_FAILURES[t])] if t in EXPECTED_FAILURES else [],
    )
    for t in TEMPLATES
]


@pytest.mark.parametrize("template", PARAMS)
def test_template_renders_and_works(template: str, session: Session) -> None:
    config = LabelConfig.from_xml(GALLERY[template])
    try_template(
        session,
        TEMPLATES.index(template) + 1,
        f"gallery-nlp-{short(template)}",
        lambda widget: use_template(session.page, widget, config),
    )


def test_no_errors_between_templates(session: Session) -> None:
    no_errors_between(session)
