"""Rules over controls in a real browser: ``visibleWhen`` with every ``when*`` attribute, ``required`` and
``maxUsages``, on a text with spans. Each is driven with the mouse and keyboard and checked twice: on the
page (what is shown, what is refused and where) and in the store (what was submitted).

Label Studio's semantics (mixins/Visibility.js): ``choice-selected`` / ``choice-unselected`` with
``whenTagName`` and ``whenChoiceValue``; ``region-selected`` with ``whenLabelValue``; ``no-region-selected``;
a control hidden at submit sends nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

import labelnb as lnb
from tests.e2e.notebook_lab import Lab, checked_run, notebook_lab, stored_answer
from tests.e2e.widget_page import choice, drag_over_text, shot, wait_for

pytestmark = pytest.mark.e2e

USER = "rules@example.org"
TEXT = "Ann Lee met Bob Stone at the Acme offices in Paris."
CONFIG = """<View>
  <Labels name="ner" toName="text">
    <Label value="PER" maxUsages="1"/><Label value="ORG"/>
  </Labels>
  <Text name="text" value="$text"/>
  <Choices name="kind" toName="text" required="true" requiredMessage="Pick a kind first">
    <Choice value="News"/><Choice value="Ad"/>
  </Choices>
  <View visibleWhen="choice-selected" whenTagName="kind" whenChoiceValue="News">
    <Header value="Topic"/>
    <Choices name="topic" toName="text"><Choice value="Politics"/><Choice value="Sport"/></Choices>
  </View>
  <Choices name="why" toName="text" visibleWhen="choice-unselected" whenTagName="kind" whenChoiceValue="News">
    <Choice value="Spam"/><Choice value="Other"/>
  </Choices>
  <Choices name="role" toName="text" perRegion="true" visibleWhen="region-selected" whenLabelValue="PER">
    <Choice value="Author"/><Choice value="Subject"/>
  </Choices>
  <Choices name="overall" toName="text" visibleWhen="no-region-selected">
    <Choice value="Clear"/><Choice value="Unclear"/>
  </Choices>
</View>"""
PROJECTS = ("rules",)


@pytest.fixture(scope="module")
def lab(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    tmp = tmp_path_factory.mktemp("visibility")
    project = lnb.Project.create(tmp / "projects" / "rules", config=CONFIG)
    project.import_tasks([{"text": TEXT}])
    project.close()
    with notebook_lab(browser, tmp, USER, "visibility.ipynb", PROJECTS, viewport=(1280, 1100)) as lab:
        yield lab


@pytest.fixture
def checked(lab: Lab, request: pytest.FixtureRequest) -> Iterator[Lab]:
    yield from checked_run(lab, request)


def test_visibility_required_and_max_usages(checked: Lab) -> None:
    lab = checked
    root = lab.roots["rules"]
    page = lab.page
    text = root.locator(".lnb-spans[data-object=text]")
    expect(text).to_be_visible(timeout=60_000)
    control = lambda name: root.locator(f"[data-control='{name}']")  # noqa: E731

    # nothing picked: the topic is hidden (News is not selected), why is shown (News is unselected)
    expect(control("topic")).to_have_count(0)
    expect(control("why")).to_be_visible()
    expect(control("role")).to_have_count(0)
    expect(control("overall")).to_be_visible()

    # required: the submit is refused, the message is shown at the control, nothing is stored
    text.click(position={"x": 2, "y": 2})
    page.keyboard.press("Control+Enter")
    expect(control("kind").locator(".lnb-problem")).to_have_text("Pick a kind first")
    expect(root.locator("[data-testid=error]")).to_contain_text("Pick a kind first")
    assert stored_answer(lab.workdir, "rules") == (0, [])
    shot(page, "visibility-required")

    # Ad: why stays and takes a pick; then News (single choice): topic shows, why hides
    choice(root, "kind", "Ad").click()
    expect(control("kind").locator(".lnb-problem")).to_have_count(0)
    expect(root.locator("[data-testid=error]")).to_have_count(0)  # the banner goes with its problem
    choice(root, "why", "Spam").click()
    choice(root, "kind", "News").click()
    expect(control("why")).to_have_count(0)
    expect(control("topic")).to_be_visible()
    choice(root, "topic", "Sport").click()

    # a PER span, selected once made: role shows for it (region-selected with PER), overall hides
    root.locator("[data-label-control=ner][data-label=PER]").click()
    drag_over_text(page, text, 0, len("Ann Lee"))
    person = text.locator(".lnb-span[data-label=PER]")
    expect(person).to_have_text("Ann Lee")
    expect(control("role")).to_be_visible()
    expect(control("overall")).to_have_count(0)
    choice(root, "role", "Subject").click()
    shot(page, "visibility-region-selected")
    # an ORG span selected: role is for PER only
    page.keyboard.press("Escape")
    root.locator("[data-label-control=ner][data-label=ORG]").click()
    acme = TEXT.index("Acme")
    drag_over_text(page, text, acme, acme + 4)
    expect(text.locator(".lnb-span[data-label=ORG]")).to_have_text("Acme")
    expect(control("role")).to_have_count(0)
    page.keyboard.press("Escape")  # no region selected: overall is back
    expect(control("overall")).to_be_visible()
    choice(root, "overall", "Clear").click()

    # maxUsages="1": a second PER span is refused with a notice, and not made
    root.locator("[data-label-control=ner][data-label=PER]").click()
    bob = TEXT.index("Bob Stone")
    drag_over_text(page, text, bob, bob + len("Bob Stone"))
    expect(root.locator("[data-notice=ner]")).to_be_visible()
    expect(text.locator(".lnb-span[data-label=PER]")).to_have_count(1)
    shot(page, "visibility-max-usages")

    text.click(position={"x": 2, "y": 2})
    page.keyboard.press("Control+Enter")
    count, result = wait_for(
        lambda: (a := stored_answer(lab.workdir, "rules"))[0] and a, "the annotation in the store"
    )
    assert count == 1
    by_name: dict[str, list[dict]] = {}
    for it in result:
        by_name.setdefault(it.get("from_name", it["type"]), []).append(it)
    # why was hidden at submit (News picked), so its Spam is not sent
    assert sorted(by_name) == ["kind", "ner", "overall", "role", "topic"]
    assert by_name["kind"][0]["value"] == {"choices": ["News"]}
    assert by_name["topic"][0]["value"] == {"choices": ["Sport"]}
    assert by_name["overall"][0]["value"] == {"choices": ["Clear"]}
    spans = {it["value"]["text"]: it for it in by_name["ner"]}
    assert sorted(spans) == ["Acme", "Ann Lee"]
    (role,) = by_name["role"]
    # a per-region choice carries its span's id and geometry, as Label Studio stores it
    assert role["id"] == spans["Ann Lee"]["id"]
    assert role["value"] == {"start": 0, "end": 7, "text": "Ann Lee", "choices": ["Subject"]}
    assert Path(lab.workdir / "rules" / "project.db").exists()
