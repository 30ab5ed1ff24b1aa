"""The team dashboard in standalone Voilà, where the page cannot run code in its kernel: the widget's own
refresh message still reaches the kernel, and a new annotation submitted from Python shows after Refresh.
Nothing the page loads leaves the machine."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

import labelnb as lnb
from tests.e2e.notebook_lab import SETUP_CELL
from tests.e2e.servers import voila
from tests.e2e.test_dashboard import CONFIG, answers, box, quality, submitted_counts
from tests.e2e.widget_page import PageRequests, shot

pytestmark = pytest.mark.e2e


def write_notebook(path: Path, *sources: str) -> None:
    cells = [
        {"cell_type": "code", "metadata": {}, "source": s, "outputs": [], "execution_count": None}
        for s in sources
    ]
    kernel = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    path.write_text(
        json.dumps({"cells": cells, "metadata": {"kernelspec": kernel}, "nbformat": 4, "nbformat_minor": 5})
    )


def test_dashboard_refreshes_in_voila(page: Page, tmp_path: Path) -> None:
    workdir = tmp_path / "projects"
    project = lnb.Project.create(workdir / "team", config=CONFIG)
    project.import_tasks([{"image": f"img{i}.png"} for i in range(8)])
    ids = answers(project)
    project.close()
    notebook = tmp_path / "team-dashboard.ipynb"  # outside the served copy of notebooks/: given by its path
    write_notebook(notebook, SETUP_CELL, "lnb.dashboard(lnb.Project.open(root / 'team'), refresh_every=0)")
    requests = PageRequests(page)
    with voila(tmp_path, workdir, "lead@example.org", str(notebook)) as server:
        page.goto(f"{server.url}/")
        board = page.locator(".labelnb-dashboard")
        expect(board.locator("[data-panel=users] g.lnb-dash-user-row")).to_have_count(2, timeout=120_000)
        assert submitted_counts(board) == {"al@example.org": "4", "bo@example.org": "3"}
        again = lnb.Project.open(workdir / "team")
        try:
            again.submit(ids[5], [quality("ok"), box("Dog", 40)], "al@example.org")
        finally:
            again.close()
        board.locator(".lnb-dash-refresh").click()
        expect(board.locator("[data-stat=submitted] .lnb-dash-stat-value")).to_have_text("8", timeout=20_000)
        assert submitted_counts(board) == {"al@example.org": "5", "bo@example.org": "3"}
        expect(board.locator(".lnb-dash-error")).to_have_count(0)
        shot(page, "dashboard-voila")
    assert requests.off_machine() == [], "the page reached off the machine"
