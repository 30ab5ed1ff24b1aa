"""One JupyterLab, one page and one notebook of widgets for a whole test module.

Browser test modules make their projects, then open a notebook whose first cell imports labelnb and whose
other cells each show one project's widget (``annotate``); each test uses its own widget, found by project
name in :attr:`Lab.roots`. The ``checked`` wrapper fails a test on any page or console error logged while
it ran and saves a screenshot of the page at its end.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Locator, Page

import labelnb as lnb
from tests.conftest import PageErrors
from tests.e2e.servers import ARTIFACTS, BEFORE_STOP, Server, jupyter_lab
from tests.e2e.widget_page import assert_focus_within, wait_for, widgets
from tests.security.test_browser_attacks import open_and_run, write_notebook

SETUP_CELL = (
    "import os\nfrom pathlib import Path\nimport labelnb as lnb\nroot = Path(os.environ['LABELNB_WORKDIR'])"
)


@dataclass
class Lab:
    server: Server
    workdir: Path
    page: Page
    errors: PageErrors
    #: project name -> its widget's root element
    roots: dict[str, Locator]


@contextmanager
def notebook_lab(
    browser: Browser,
    tmp: Path,
    user: str,
    notebook: str,
    projects: Iterable[str],
    *,
    annotate_args: str = "",
    viewport: tuple[int, int] = (1280, 1200),
    locale: str = "en-US",
    cells: Iterable[str] | None = None,
) -> Iterator[Lab]:
    """A JupyterLab on ``tmp`` whose page runs ``notebook``: one widget per project of ``tmp/projects``,
    shown with ``annotate(annotate_args)`` (or by ``cells`` of one's own, one widget each, in order)."""
    workdir = tmp / "projects"
    names = list(projects)
    with jupyter_lab(tmp, workdir, user) as server:
        context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]}, locale=locale)
        page = context.new_page()
        errors = PageErrors(page)
        BEFORE_STOP.append(errors.stop)
        try:
            shown = (
                list(cells)
                if cells is not None
                else [f"lnb.Project.open(root / {n!r}).annotate({annotate_args})" for n in names]
            )
            open_and_run(page, server, write_notebook(server.root, notebook, SETUP_CELL, *shown))
            roots = widgets(page, len(names))
            yield Lab(server, workdir, page, errors, dict(zip(names, roots, strict=True)))
        finally:
            BEFORE_STOP.remove(errors.stop)
            context.close()


def checked_run(lab: Lab, request: pytest.FixtureRequest) -> Iterator[Lab]:
    """The body of a module's ``checked`` fixture: the shared page, failing the test on any uncaught page
    error or console error while it ran, with a screenshot at its end."""
    lab.errors.errors.clear()
    yield lab
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    lab.page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-final.png"))
    assert lab.errors.errors == [], "errors in the page:\n" + "\n".join(lab.errors.errors)


def stored_answer(workdir: Path, name: str, task: int = 0) -> tuple[int, list[dict[str, Any]]]:
    """(how many versions the newest annotation of task number ``task`` of project ``name`` has, its
    result); (0, []) when it has none."""
    project = lnb.Project.open(workdir / name)
    try:
        annotations = list(project.export("json"))[task]["annotations"]
        if not annotations:
            return 0, []
        # the count and the result from one read: the export above may predate a submit that the history
        # sees (a test polling while the widget submits once got version 1's result with a count of 2)
        versions = project.history(annotations[-1]["id"])
        return len(versions), versions[-1]["result"]
    finally:
        project.close()


def submitted(lab: Lab, name: str, task: int = 0, versions: int = 1) -> list[dict[str, Any]]:
    """The result of a task's annotation once the kernel has stored its ``versions``-th version; fails at
    once when the widget says it refused the submit."""

    banner = lab.roots[name].locator("[data-testid=error]")

    def answer() -> list[dict[str, Any]] | None:
        count, result = stored_answer(lab.workdir, name, task)
        if count < versions and banner.count():
            raise AssertionError(f"the widget refused to submit: {banner.inner_text()}")
        return result if count >= versions else None

    return wait_for(answer, f"version {versions} of the answer to {name} task {task} in the store")


def submit_with_keys(lab: Lab, name: str, versions: int = 1) -> list[dict[str, Any]]:
    """Submit project ``name``'s widget with Ctrl+Enter, as a person does (the widget must hold the focus),
    then :func:`submitted`."""
    assert_focus_within(lab.roots[name])
    lab.page.keyboard.press("Control+Enter")
    return submitted(lab, name, versions=versions)
