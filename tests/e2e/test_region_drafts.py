"""Regions drawn but not submitted survive a page reload and a kernel restart, in a real JupyterLab.

The widget saves a draft a second after the last edit. A reloaded page renders the widget again from the
kernel's traits, and a restarted kernel builds it from the store: both must show the box that was drawn,
where it was drawn, and submitting it then stores exactly that box.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.request import Request, urlopen

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

import labelnb as lnb
from tests.e2e.servers import Server, jupyter_lab
from tests.e2e.widget_page import shot, wait_for, widgets
from tests.security.test_browser_attacks import open_and_run, write_notebook

pytestmark = pytest.mark.e2e

USER = "drafter@example.org"
CONFIG = """<View>
  <Image name="img" value="$image"/>
  <RectangleLabels name="box" toName="img"><Label value="Car"/><Label value="Tree"/></RectangleLabels>
</View>"""


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Path]]:
    tmp = tmp_path_factory.mktemp("region-drafts")
    workdir = tmp / "projects"
    with jupyter_lab(tmp, workdir, USER) as server:
        yield server, workdir


def shut_down_kernels(server: Server) -> None:
    """Stop every kernel of the server through its REST API, and wait until none is left."""
    api = f"{server.url}/api/kernels?token={server.token}"
    for kernel in json.loads(urlopen(api).read()):
        request = Request(f"{server.url}/api/kernels/{kernel['id']}?token={server.token}", method="DELETE")
        urlopen(request).read()
    wait_for(lambda: json.loads(urlopen(api).read()) == [] or None, "the kernels to stop")


def drafts(project_dir: Path) -> list[dict[str, Any]]:
    tasks = list(lnb.Project.open(project_dir).export("json"))
    return [d for t in tasks for d in t.get("drafts", [])]


def box_of(items: list[dict[str, Any]]) -> dict[str, Any]:
    boxes = [it for it in items if it.get("type") == "rectanglelabels"]
    assert len(boxes) == 1, items
    return boxes[0]


def test_a_drawn_box_survives_a_reload_and_a_kernel_restart(page: Page, lab: tuple[Server, Path]) -> None:
    server, workdir = lab
    project_dir = workdir / "drafts"
    media = workdir / "media"
    media.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (400, 300), (90, 140, 200)).save(media / "street.png")
    name = write_notebook(
        server.root,
        "drafts.ipynb",
        "import labelnb as lnb, pathlib\n"
        f"folder = pathlib.Path({str(project_dir)!r})\n"
        "if folder.exists():\n"
        "    p = lnb.Project.open(folder)\n"
        "else:\n"
        f"    p = lnb.Project.create(folder, {CONFIG!r})\n"
        f"    p.import_tasks([{{'image': {str(media / 'street.png')!r}}}])\n"
        f"p.annotate(user={USER!r}, media_roots=[{str(media)!r}])",
    )
    open_and_run(page, server, name)
    (widget,) = widgets(page, 1)
    surface = widget.locator(".lnb-surface[data-object='img']")
    expect(widget.locator("img[data-object='img']")).to_have_attribute("data-state", "ready", timeout=30_000)

    widget.locator("[data-label-control='box'][data-label='Tree']").click()
    b = surface.bounding_box()
    assert b is not None
    page.mouse.move(b["x"] + b["width"] * 0.25, b["y"] + b["height"] * 0.2)
    page.mouse.down()
    page.mouse.move(b["x"] + b["width"] * 0.6, b["y"] + b["height"] * 0.7, steps=8)
    page.mouse.up()
    expect(widget.locator("[data-region][data-label='Tree']")).to_have_count(1)

    # the draft reaches the store a quiet second later
    draft = wait_for(lambda: drafts(project_dir), "the draft with the box to be stored")
    drawn = box_of(draft[0]["result"])
    assert drawn["value"]["x"] == pytest.approx(25, abs=1)
    assert drawn["value"]["width"] == pytest.approx(35, abs=1)

    # a page reload renders the widget from the kernel's traits: the box is there (the notebook is saved
    # first, as a person's would be, so that its output, the widget's view, is in the file)
    page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
    page.wait_for_function("() => !window.jupyterapp.shell.currentWidget.context.model.dirty", timeout=30_000)
    page.reload()
    page.wait_for_function("() => !!document.querySelector('.labelnb-root')", timeout=120_000)
    (widget,) = widgets(page, 1)
    expect(widget.locator("[data-region][data-label='Tree']")).to_have_count(1, timeout=30_000)
    shot(page, "drafts-after-reload")

    # a new kernel builds the widget from the store: the box is still there. The notebook is closed (its
    # outputs cleared and saved, so no view points at the old kernel's widget), its kernel shut down, and
    # the notebook opened and run again.
    page.evaluate("() => window.jupyterapp.commands.execute('editmenu:clear-all')")
    page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
    page.wait_for_function("() => !window.jupyterapp.shell.currentWidget.context.model.dirty", timeout=30_000)
    page.evaluate("() => window.jupyterapp.commands.execute('application:close-all')")
    shut_down_kernels(server)
    open_and_run(page, server, name)
    (widget,) = widgets(page, 1)
    expect(widget.locator("[data-region][data-label='Tree']")).to_have_count(1, timeout=30_000)
    shot(page, "drafts-after-restart")

    widget.locator("[data-region-item]").first.locator(".lnb-region-pick").click()
    page.keyboard.press("Control+Enter")

    def stored() -> list[dict[str, Any]]:
        project = lnb.Project.open(project_dir)
        return [a for a in project.annotations(1) if not a.get("was_cancelled")]

    (annotation,) = wait_for(stored, "the submitted annotation")
    assert box_of(annotation["result"]) == drawn
