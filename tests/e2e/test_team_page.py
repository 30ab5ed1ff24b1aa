"""notebooks/team.ipynb in standalone Voilà for a team lead: the page shows the dashboard, the review
stream and labelling as tabs; the lead switches tabs with the mouse, reviews an annotation and labels a
task, and the store holds both under the lead's name."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

import labelnb as lnb
from tests.e2e.servers import voila
from tests.e2e.widget_page import PageRequests, choice, shot, wait_for

pytestmark = pytest.mark.e2e

CONFIG = """
<View>
  <Text name="text" value="$text"/>
  <Choices name="topic" toName="text" choice="single" showInline="true">
    <Choice value="Business"/><Choice value="Sport"/>
  </Choices>
</View>
"""


def topic(value: str) -> list[dict[str, Any]]:
    return [{"from_name": "topic", "to_name": "text", "type": "choices", "value": {"choices": [value]}}]


def test_a_leads_team_page(page: Page, tmp_path: Path) -> None:
    workdir = tmp_path / "projects"
    project = lnb.Project.create(workdir / "team-project", CONFIG, title="Headlines", user="lead")
    project.import_tasks([{"text": "Shares rose"}, {"text": "The cup final"}, {"text": "Rates unchanged"}])
    project.add_member("ann", "annotator")
    ann_answer = project.submit(1, topic("Business"), user="ann")
    project.close()
    requests = PageRequests(page)
    # server_env makes JUPYTERHUB_USER=lead: who the page's kernel says is visiting
    with voila(tmp_path, workdir, "lead", "team.ipynb") as server:
        page.goto(f"{server.url}/")
        tabs = page.locator(
            ".jupyter-widget-TabBar .lm-TabBar-tab, .widget-tab .p-TabBar-tab, .lm-TabBar-tab"
        )
        expect(tabs).to_have_count(3, timeout=120_000)
        assert [t.strip() for t in tabs.all_inner_texts()] == ["Progress", "Review", "Label"]
        board = page.locator(".labelnb-dashboard")
        expect(board.locator("[data-stat=submitted] .lnb-dash-stat-value")).to_have_text("1", timeout=60_000)
        shot(page, "team-page-progress")

        tabs.nth(1).click()
        reviewer, labeller = page.locator(".labelnb-root").nth(0), page.locator(".labelnb-root").nth(1)
        expect(reviewer.locator("[data-testid=reviewing]")).to_have_text("ann", timeout=30_000)
        shot(page, "team-page-review")
        reviewer.locator("[data-testid=submit]").click()  # Accept
        expect(reviewer.locator("[data-testid=empty]")).to_contain_text("Nothing waits", timeout=30_000)

        tabs.nth(2).click()
        expect(labeller.locator("[data-object=text]")).to_be_visible(timeout=30_000)
        task_text = labeller.locator("[data-object=text]").inner_text()
        choice(labeller, "topic", "Sport").click()
        labeller.locator("[data-testid=submit]").click()
        shot(page, "team-page-label")

        def stored() -> Any:
            check = lnb.Project.open(workdir / "team-project", user="lead")
            try:
                users = check.store.users()
                accepted = [r["reviewer"] for r in check.reviews(ann_answer)]
                mine = [
                    (t["data"]["text"], a["result"][0]["value"]["choices"])
                    for t in check.export("json")
                    for a in t["annotations"]
                    if users[a["completed_by"]] == "lead"
                ]
                return (accepted, mine) if accepted and mine else None
            finally:
                check.close()

        accepted, mine = wait_for(stored, "the lead's review and answer in the store")
        assert accepted == ["lead"]
        assert mine == [(task_text, ["Sport"])]
    assert requests.off_machine() == [], "the page reached off the machine"
