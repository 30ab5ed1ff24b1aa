"""The team dashboard in a real JupyterLab: two annotators' work drawn as SVG bars, label bars in the
config's colours, the agreement heat map with the kernel's values; a new annotation submitted from Python
shows after Refresh (and by itself on a dashboard that refreshes every two seconds). Screenshots in the
light and the dark theme."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Locator, expect
from sqlalchemy import select, update

import labelnb as lnb
from labelnb.store import schema
from labelnb.team import progress
from tests.conftest import PageErrors
from tests.e2e.notebook_lab import SETUP_CELL, Lab
from tests.e2e.servers import ARTIFACTS, BEFORE_STOP, jupyter_lab
from tests.e2e.widget_page import dark_shot, shot
from tests.security.test_browser_attacks import open_and_run, write_notebook

pytestmark = pytest.mark.e2e

CONFIG = """
<View>
  <Image name="img" value="$image"/>
  <RectangleLabels name="box" toName="img">
    <Label value="Cat" background="#e8590c"/><Label value="Dog" background="#1c7ed6"/><Label value="Bird"/>
  </RectangleLabels>
  <Choices name="quality" toName="img"><Choice value="ok"/><Choice value="blurry"/></Choices>
</View>
"""
LEAD = "lead@example.org"


def box(label: str, x: float) -> dict[str, Any]:
    value = {"x": x, "y": 10, "width": 20, "height": 20, "rotation": 0, "rectanglelabels": [label]}
    return {"from_name": "box", "to_name": "img", "type": "rectanglelabels", "value": value}


def quality(value: str) -> dict[str, Any]:
    return {"from_name": "quality", "to_name": "img", "type": "choices", "value": {"choices": [value]}}


def answers(project: lnb.Project) -> list[int]:
    """al@ answers tasks 1-4, bo@ tasks 1-3 and skips task 5; returns the task ids."""
    ids = [task["id"] for task in project.store.iter_tasks()]
    for task, value, label in zip(
        ids[:4], ["ok", "ok", "blurry", "ok"], ["Cat", "Dog", "Cat", "Cat"], strict=True
    ):
        project.submit(task, [quality(value), box(label, 10)], "al@example.org", 6.0)
    for task, value in zip(ids[:3], ["ok", "blurry", "blurry"], strict=True):
        project.submit(task, [quality(value), box("Cat", 12)], "bo@example.org", 9.0)
    project.skip(ids[4], "bo@example.org")
    return ids


CROWD = [f"annotator{n:02d}@example.org" for n in range(12)]


def crowd(workdir: Path) -> None:
    """Twelve annotators over three days (their answers' times set in the store): hourly areas, eight
    series and the others summed, a 12 x 12 heat map."""
    project = lnb.Project.create(workdir / "crowd", config=CONFIG)
    project.import_tasks([{"image": f"img{i}.png"} for i in range(30)])
    ids = [task["id"] for task in project.store.iter_tasks()]
    for n, user in enumerate(CROWD):
        for k, task in enumerate(ids[: 6 + 2 * n]):
            value = "ok" if (k + n) % 3 else "blurry"
            project.submit(task, [quality(value), box(["Cat", "Dog", "Bird"][(k * n) % 3], 10)], user)
    # each annotator works in sessions of four hours, two answers an hour, ten hours apart
    a, u = schema.annotations, schema.users
    with project.store.engine.begin() as conn:
        found = conn.execute(
            select(a.c.id, u.c.email).join(u, u.c.id == a.c.completed_by).order_by(a.c.id)
        ).all()
        done: dict[str, int] = {}
        for annotation_id, email in found:
            n, k = CROWD.index(email), done.get(email, 0)
            done[email] = k + 1
            hour = (n * 5 + k // 2 + (k // 8) * 10) % 72
            stamp = f"2026-11-{20 + hour // 24:02d}T{hour % 24:02d}:{(k * 13) % 60:02d}:00.000000Z"
            conn.execute(update(a).where(a.c.id == annotation_id).values(created_at=stamp))
    project.close()


@pytest.fixture(scope="module")
def lab(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    tmp = tmp_path_factory.mktemp("dashboard")
    workdir = tmp / "projects"
    project = lnb.Project.create(workdir / "team", config=CONFIG)
    project.import_tasks([{"image": f"img{i}.png"} for i in range(8)])
    answers(project)
    project.close()
    crowd(workdir)
    with jupyter_lab(tmp, workdir, LEAD) as server:
        context = browser.new_context(viewport={"width": 1280, "height": 1400})
        page = context.new_page()
        errors = PageErrors(page)
        BEFORE_STOP.append(errors.stop)
        try:
            cells = [
                "board = lnb.dashboard(lnb.Project.open(root / 'team'), refresh_every=0)\nboard",
                "lnb.dashboard(lnb.Project.open(root / 'team'), refresh_every=2)",
                "lnb.dashboard(lnb.Project.open(root / 'crowd'), control='quality', refresh_every=0)",
            ]
            open_and_run(page, server, write_notebook(server.root, "dashboard.ipynb", SETUP_CELL, *cells))
            boards = page.locator(".labelnb-dashboard")
            try:
                expect(boards).to_have_count(3, timeout=120_000)
            except AssertionError:
                shot(page, "dashboard-not-rendered")
                raise AssertionError(f"no dashboards; page errors: {errors.errors}") from None
            expect(boards.nth(0).locator("[data-panel=users]")).to_be_visible(timeout=60_000)
            yield Lab(
                server,
                workdir,
                page,
                errors,
                {"manual": boards.nth(0), "auto": boards.nth(1), "crowd": boards.nth(2)},
            )
        finally:
            BEFORE_STOP.remove(errors.stop)
            context.close()


@pytest.fixture
def checked(lab: Lab, request: pytest.FixtureRequest) -> Iterator[Lab]:
    lab.errors.errors.clear()
    yield lab
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    lab.page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-final.png"), full_page=True)
    assert lab.errors.errors == [], "errors in the page:\n" + "\n".join(lab.errors.errors)


def submitted_counts(board: Locator) -> dict[str, str]:
    """Each annotator's submitted count as the bars' labels say it (SVG text: text_content, not inner_text)."""
    rows = board.locator("[data-panel=users] g.lnb-dash-user-row")
    counts = {}
    for i in range(rows.count()):
        row = rows.nth(i)
        counts[row.get_attribute("data-user") or ""] = (
            row.locator(".lnb-dash-submitted-count").text_content() or ""
        )
    return counts


def open_project(workdir: Path) -> lnb.Project:
    return lnb.Project.open(workdir / "team")


def test_bars_labels_and_agreement_show_the_kernel_numbers(checked: Lab) -> None:
    board = checked.roots["manual"]
    users = board.locator("[data-panel=users] svg")
    expect(users.locator("rect[data-kind=submitted]")).to_have_count(2)
    expect(users.locator("rect[data-kind=skipped]")).to_have_count(1)  # bo's skip; al skipped nothing
    assert submitted_counts(board) == {"al@example.org": "4", "bo@example.org": "3"}
    expect(users.locator(".lnb-dash-skipped-count")).to_have_text(["+1"])
    expect(board.locator("[data-stat=submitted] .lnb-dash-stat-value")).to_have_text("7")
    expect(board.locator("[data-stat=skipped] .lnb-dash-stat-value")).to_have_text("1")
    expect(board.locator("[data-stat=annotators] .lnb-dash-stat-value")).to_have_text("2")
    expect(board.locator("[data-stat=review] .lnb-dash-stat-value")).to_have_text("7")
    # labels: the kernel's counts, one bar per used label, in the config's colours
    project = open_project(checked.workdir)
    try:
        labels = progress.label_progress(project.store, project.config)
        matrix = progress.agreement_matrix(project.agreement, project.config)
        columns = int((progress.throughput(project.store)["annotations"] > 0).sum())
    finally:
        project.close()
    box_panel = board.locator("[data-panel=labels] [data-control=box]")
    for row in labels[labels["control"] == "box"].itertuples():
        label_row = box_panel.locator(f"[data-label={row.label}]")
        expect(label_row.locator("text.lnb-dash-value")).to_have_text(str(row.count))
        expect(label_row.locator("rect.lnb-dash-label-bar")).to_have_count(1 if row.count else 0)
    expect(box_panel.locator("[data-label=Cat] rect.lnb-dash-label-bar")).to_have_attribute("fill", "#e8590c")
    expect(box_panel.locator("[data-label=Dog] rect.lnb-dash-label-bar")).to_have_attribute("fill", "#1c7ed6")
    # agreement: the first measurable control (box, F1 of matched regions), values as the kernel has them
    heat = board.locator("[data-panel=agreement]")
    expect(heat.locator(".lnb-dash-panel-title")).to_contain_text(f"{matrix.attrs['control']}:")
    cell = heat.locator("[data-a='al@example.org'][data-b='bo@example.org'] .lnb-dash-heat-value")
    expect(cell).to_have_text(f"{matrix.loc['al@example.org', 'bo@example.org']:.2f}")
    # throughput: one column piece per user and minute with annotations
    expect(board.locator("[data-panel=throughput] rect.lnb-dash-column")).to_have_count(columns)
    board.scroll_into_view_if_needed()
    shot(checked.page, "dashboard-light")
    dark_shot(checked.page, board, "dashboard-dark")


def test_refresh_shows_an_annotation_submitted_from_python(checked: Lab) -> None:
    board = checked.roots["manual"]
    auto = checked.roots["auto"]
    assert submitted_counts(board)["bo@example.org"] == "3"
    project = open_project(checked.workdir)
    try:
        task = [t["id"] for t in project.store.iter_tasks()][3]
        project.submit(task, [quality("ok"), box("Bird", 30)], "bo@example.org", 4.0)
    finally:
        project.close()
    # the dashboard that refreshes every 2 s shows it by itself
    expect(auto.locator("[data-stat=submitted] .lnb-dash-stat-value")).to_have_text("8", timeout=20_000)
    # the other one only when asked
    expect(board.locator("[data-stat=submitted] .lnb-dash-stat-value")).to_have_text("7")
    board.locator(".lnb-dash-refresh").click()
    expect(board.locator("[data-stat=submitted] .lnb-dash-stat-value")).to_have_text("8", timeout=20_000)
    assert submitted_counts(board) == {"al@example.org": "4", "bo@example.org": "4"}
    bird = board.locator("[data-panel=labels] [data-control=box] [data-label=Bird]")
    expect(bird.locator("text.lnb-dash-value")).to_have_text("1")
    expect(bird.locator("rect.lnb-dash-label-bar")).to_have_count(1)
    expect(board.locator(".lnb-dash-refresh")).to_be_enabled()
    expect(board.locator(".lnb-dash-error")).to_have_count(0)


def test_a_crowd_of_annotators_over_days(checked: Lab) -> None:
    board = checked.roots["crowd"]
    board.scroll_into_view_if_needed()
    expect(board.locator("[data-panel=users] g.lnb-dash-user-row")).to_have_count(len(CROWD))
    throughput = board.locator("[data-panel=throughput]")
    # three days of hours: areas, the eight most active annotators and the other four summed
    series = throughput.locator("g.lnb-dash-series")
    expect(series).to_have_count(9)
    expect(series.last).to_have_attribute("data-user", "4 others")
    expect(throughput.locator("polygon.lnb-dash-area")).to_have_count(9)
    expect(throughput.locator(".lnb-dash-legend")).to_contain_text("per hour, UTC")
    heat = board.locator("[data-panel=agreement]")
    expect(heat.locator("g.lnb-dash-heat-row")).to_have_count(len(CROWD))
    expect(heat.locator(".lnb-dash-panel-title")).to_contain_text("quality: Cohen's kappa")
    project = lnb.Project.open(checked.workdir / "crowd")
    try:
        matrix = progress.agreement_matrix(project.agreement, project.config, "quality")
    finally:
        project.close()
    first, last = CROWD[0], CROWD[-1]
    cell = heat.locator(f"[data-a='{first}'][data-b='{last}'] .lnb-dash-heat-value")
    expect(cell).to_have_text(f"{matrix.loc[first, last]:.2f}")
    element_shots(checked, board, "dashboard-crowd")


def element_shots(lab: Lab, board: Locator, name: str) -> None:
    """Screenshots of the whole dashboard, in the light and in the dark theme."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = lab.page
    before = page.viewport_size
    # tall enough for the whole widget: JupyterLab's notebook scrolls inside the page, so an element
    # taller than the viewport would come out cut
    page.set_viewport_size({"width": 1280, "height": 3200})
    board.scroll_into_view_if_needed()
    board.screenshot(path=str(ARTIFACTS / f"{name}-light.png"))
    change = "theme => window.jupyterapp.commands.execute('apputils:change-theme', {theme})"
    lab.page.evaluate(change, "JupyterLab Dark")
    lab.page.wait_for_function("() => document.body.dataset.jpThemeLight === 'false'", timeout=30_000)
    expect(board).to_have_css("background-color", "rgb(33, 33, 33)")  # the dark theme's --jp-layout-color1
    board.screenshot(path=str(ARTIFACTS / f"{name}-dark.png"))
    lab.page.evaluate(change, "JupyterLab Light")
    lab.page.wait_for_function("() => document.body.dataset.jpThemeLight === 'true'", timeout=30_000)
    if before is not None:
        page.set_viewport_size(before)
