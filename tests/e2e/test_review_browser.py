"""The review stream in a real JupyterLab: a reviewer rejects one annotation with a comment and fixes
another with the mouse and keyboard; the annotator, labelling on the same page, gets the rejected task
back first with the reviewer's comment and corrects it. The store holds each step under its own name."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

import labelnb as lnb
from tests.e2e.notebook_lab import Lab, checked_run, notebook_lab
from tests.e2e.widget_page import choice, dark_shot, shot, wait_for

pytestmark = pytest.mark.e2e

CONFIG = """
<View>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text">
    <Choice value="Positive"/><Choice value="Negative"/>
  </Choices>
</View>
"""


def picked(value: str) -> list[dict[str, Any]]:
    return [{"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": [value]}}]


@pytest.fixture(scope="module")
def lab(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    tmp = tmp_path_factory.mktemp("review")
    project = lnb.Project.create(tmp / "projects" / "team", CONFIG, user="lead")
    project.import_tasks([{"text": "I loved it"}, {"text": "Terrible service"}, {"text": "Fine, I guess"}])
    project.add_member("rita", "reviewer")
    project.add_member("ann", "annotator")
    project.add_member("bob", "annotator")
    project.submit(1, picked("Negative"), user="ann")  # wrong: rita sends it back
    project.submit(2, picked("Positive"), user="bob")  # wrong: rita fixes it
    project.close()
    cells = [
        "lnb.Project.open(root / 'team', user='rita').review()",
        "lnb.Project.open(root / 'team', user='ann').annotate()",
    ]
    with notebook_lab(browser, tmp, "lead", "review.ipynb", ["rita", "ann"], cells=cells) as lab:
        yield lab


@pytest.fixture
def checked(lab: Lab, request: pytest.FixtureRequest) -> Iterator[Lab]:
    yield from checked_run(lab, request)


def stored(lab: Lab, task_id: int) -> list[dict[str, Any]]:
    project = lnb.Project.open(lab.workdir / "team", user="lead")
    try:
        users = project.store.users()
        return [
            {**a, "completed_by": users[a["completed_by"]], "reviews": project.reviews(a["id"])}
            for a in project.annotations(task_id)
        ]
    finally:
        project.close()


def test_reject_fix_and_the_annotator_corrects(checked: Lab) -> None:
    page = checked.page
    rita, ann = checked.roots["rita"], checked.roots["ann"]
    bar = rita.locator("[data-testid=review-bar]")
    expect(bar.locator("[data-testid=reviewing]")).to_have_text("ann", timeout=60_000)
    expect(rita.locator("[data-testid=submit]")).to_have_text("Accept")
    expect(rita.locator("[data-testid=reject]")).to_be_disabled()  # no comment yet
    rita.locator("[data-testid=review-comment]").click()
    page.keyboard.type("It is a happy review")
    shot(page, "review-reject-comment")
    rita.locator("[data-testid=reject]").click()
    (first,) = wait_for(
        lambda: [a for a in stored(checked, 1) if a["last_action"] == "rejected"] or None, "the rejection"
    )
    assert first["completed_by"] == "ann"
    assert [(r["reviewer"], r["verdict"], r["comment"]) for r in first["reviews"]] == [
        ("rita", "rejected", "It is a happy review")
    ]

    # bob's annotation is next: rita changes the choice and accepts, which stores her fix
    expect(bar.locator("[data-testid=reviewing]")).to_have_text("bob", timeout=30_000)
    choice(rita, "sentiment", "Negative").click()
    rita.locator("[data-testid=submit]").click()
    (second,) = wait_for(
        lambda: [a for a in stored(checked, 2) if a["last_action"] == "fixed_and_accepted"] or None, "the fix"
    )
    assert second["completed_by"] == "bob"
    assert second["result"][0]["value"]["choices"] == ["Negative"]
    expect(rita.locator("[data-testid=empty]")).to_contain_text(
        "Nothing waits for your review", timeout=30_000
    )
    expect(rita.locator("[data-testid=empty]")).to_contain_text("2 of 2 annotations are reviewed")

    # ann labels task 3; the next thing she gets is her rejected task 1, with rita's comment
    expect(ann.locator("[data-object=text]")).to_have_text("Fine, I guess", timeout=30_000)
    choice(ann, "sentiment", "Positive").click()
    ann.locator("[data-testid=submit]").click()
    rejected = ann.locator("[data-testid=rejected]")
    expect(rejected).to_contain_text("Sent back by rita:", timeout=30_000)
    expect(rejected).to_contain_text("It is a happy review")
    expect(ann.locator("[data-object=text]")).to_have_text("I loved it")
    rejected.scroll_into_view_if_needed()
    shot(page, "review-sent-back")
    dark_shot(page, rejected, "review-sent-back-dark")
    choice(ann, "sentiment", "Negative").click()  # untick the wrong choice
    choice(ann, "sentiment", "Positive").click()
    ann.locator("[data-testid=submit]").click()
    (corrected,) = wait_for(
        lambda: [a for a in stored(checked, 1) if a["last_action"] == "updated"] or None, "the correction"
    )
    assert corrected["result"][0]["value"]["choices"] == ["Positive"]
    assert corrected["completed_by"] == "ann"
