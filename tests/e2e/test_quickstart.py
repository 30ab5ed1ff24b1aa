"""notebooks/quickstart.ipynb in a real JupyterLab and a real Voilà, driven by mouse and keyboard.

Each test starts its own server on a free port with a fresh project folder, labels through the widget
exactly as a person would, and then reads what the kernel stored from the project's SQLite file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

import labelnb as lnb
from tests.e2e.servers import jupyter_lab, voila
from tests.e2e.widget_page import KernelFrames, PageRequests, choice, progress, shot, widgets

pytestmark = pytest.mark.e2e

USER = "alice@example.org"
REVIEW_KEYS = {"1": "Positive", "2": "Negative", "3": "Neutral"}


def stored_choices(workdir: Path, project: str, control: str) -> dict[str, Any]:
    """{review or image: (choice, annotator)} for every annotation in a project."""
    out: dict[str, Any] = {}
    for record in lnb.Project.open(workdir / project).export("json_min"):
        if control in record:
            key = record.get("review") or Path(record["image"]).name
            out[key] = (record[control], record["annotator"])
    return out


def label_text_with_hotkeys(page: Page, widget: Locator) -> list[str]:
    """Label three reviews by keyboard only: focus, number key, Ctrl+Enter."""
    expected = []
    for step, key in enumerate(["1", "2", "3"], start=1):
        review = widget.locator("[data-object='review']").inner_text()
        widget.locator("[data-object='review']").click()  # focus the widget, as a person would
        page.keyboard.press(key)
        expect(choice(widget, "sentiment", REVIEW_KEYS[key])).to_have_attribute("data-selected", "true")
        if step == 1:
            shot(page, "lab-text-selected")
        page.keyboard.press("Control+Enter")
        expect(progress(widget)).to_contain_text(f"{step} of 5")
        expected.append((review, REVIEW_KEYS[key]))
    return [f"{review}|{label}" for review, label in expected]


def label_images_by_clicking(page: Page, widget: Locator, picks: list[str], total: int) -> list[str]:
    names = []
    for step, species in enumerate(picks, start=1):
        image = widget.locator("img[data-object='image']")
        expect(image).to_have_attribute("data-state", "ready", timeout=30_000)
        assert image.evaluate("img => img.naturalWidth") == 320
        names.append(image.evaluate("img => img.getAttribute('alt') || ''"))
        choice(widget, "species", species).click()
        if step == 1:
            shot(page, "image-selected")
        widget.locator("[data-testid=submit]").click()
        expect(progress(widget)).to_contain_text(f"{step} of {total}")
    return names


def assert_no_raw_reprs(page: Page) -> None:
    """The notebook shows widgets, tables and results, never an object's repr nobody asked for."""
    outputs = page.locator(".jp-OutputArea-output").all_inner_texts()
    assert outputs, "no cell outputs on the page"
    assert not [text for text in outputs if "<labelnb." in text or " object at 0x" in text], outputs


def run_all_cells(page: Page) -> None:
    page.wait_for_function(
        "() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
        " return w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel"
        " && w.sessionContext.session.kernel.connectionStatus === 'connected'"
        " && w.sessionContext.session.kernel.status === 'idle'; }",
        timeout=120_000,
    )
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")


def test_quickstart_in_jupyterlab(page: Page, tmp_path: Path) -> None:
    workdir = tmp_path / "projects"
    frames, requests = KernelFrames(page), PageRequests(page)
    with jupyter_lab(tmp_path, workdir, USER) as server:
        page.goto(f"{server.url}/lab/tree/quickstart.ipynb?token={server.token}")
        run_all_cells(page)
        text_widget, image_widget = widgets(page, 2)
        text_widget.scroll_into_view_if_needed()
        expect(progress(text_widget)).to_contain_text("0 of 5")
        shot(page, "lab-text-start")

        # Jupyter's own shortcuts must not fire while the widget has focus: "a" would insert a cell
        cells_before = page.locator(".jp-Notebook .jp-Cell").count()
        text_widget.locator("[data-object='review']").click()
        page.keyboard.press("a")
        page.keyboard.press("b")
        assert page.locator(".jp-Notebook .jp-Cell").count() == cells_before

        labelled = label_text_with_hotkeys(page, text_widget)

        # a hotkey pressed while focus is outside the widget does nothing to it
        page.locator("#jp-main-statusbar").click()
        page.keyboard.press("1")
        expect(text_widget.locator("[data-selected='true']")).to_have_count(0)

        image_widget.scroll_into_view_if_needed()
        label_images_by_clicking(page, image_widget, ["Cat", "Dog"], total=3)
        shot(page, "lab-image-after")
        # the second image came prefetched: the browser asked for media only when the widget first rendered
        assert frames.count('"kind":"media"') == 1
        assert frames.count('"kind":"submit"') == 5
        expect(page.locator(".jp-OutputArea-output table").first).to_be_attached()  # every cell has run
        assert_no_raw_reprs(page)

    assert requests.urls
    assert requests.off_machine() == [], "the page reached off the machine"

    reviews = stored_choices(workdir, "reviews", "sentiment")
    assert sorted(f"{k}|{v[0]}" for k, v in reviews.items()) == sorted(labelled)
    assert {annotator for _, annotator in reviews.values()} == {USER}
    pets = stored_choices(workdir, "pets", "species")
    assert pets == {"pet1.png": ("Cat", USER), "pet2.png": ("Dog", USER)}


def test_quickstart_in_voila(page: Page, tmp_path: Path) -> None:
    workdir = tmp_path / "projects"
    frames, requests = KernelFrames(page), PageRequests(page)
    with voila(tmp_path, workdir, USER, "quickstart.ipynb") as server:
        page.goto(f"{server.url}/")
        text_widget, image_widget = widgets(page, 2)
        shot(page, "voila-start")
        expected = []
        for step, label in enumerate(["Negative", "Positive", "Neutral"], start=1):
            review = text_widget.locator("[data-object='review']").inner_text()
            choice(text_widget, "sentiment", label).click()
            text_widget.locator("[data-testid=submit]").click()
            expect(progress(text_widget)).to_contain_text(f"{step} of 5")
            expected.append(f"{review}|{label}")
        image_widget.scroll_into_view_if_needed()
        label_images_by_clicking(page, image_widget, ["Cat", "Dog"], total=3)
        expect(image_widget.locator("img[data-object='image']")).to_have_attribute("data-state", "ready")
        shot(page, "voila-after")
        # a dashboard has no notebook: the widget's own words (its focused footer included) never say one
        expect(image_widget.locator(".lnb-keys-on")).to_be_visible()
        for widget in (text_widget, image_widget):
            assert "notebook" not in widget.inner_text().lower()
        assert frames.count('"kind":"media"') == 1  # later images arrived prefetched
        assert_no_raw_reprs(page)

    assert requests.urls
    assert requests.off_machine() == [], "the page reached off the machine"

    reviews = stored_choices(workdir, "reviews", "sentiment")
    assert sorted(f"{k}|{v[0]}" for k, v in reviews.items()) == sorted(expected)
    assert {annotator for _, annotator in reviews.values()} == {USER}
    pets = stored_choices(workdir, "pets", "species")
    assert pets == {"pet1.png": ("Cat", USER), "pet2.png": ("Dog", USER)}
