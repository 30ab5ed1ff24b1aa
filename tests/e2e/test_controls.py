"""Classification controls in a real JupyterLab and a real Chromium, made with the keyboard and mouse and
checked in the store against Label Studio's result shapes (reference B.4).

One JupyterLab, one page and one notebook serve the module; each test has a widget and a project of its
own. Covered so far: ``DateTime`` (date, time, date and time, month and year with a ``format``; ``min``/
``max`` refusing a submit and pointing at the control); ``Taxonomy`` (open, search, expand, pick with
``leafsOnly`` and ``maxUsages``, remove a chip); ``Markdown`` from task data through the sanitiser;
``Pairwise`` (a click on either object, or its buttons); a ``Table`` of task data; a ``Collapse`` panel holding a control;
``Chat`` (messages added as two roles, minMessages/maxMessages, editing and deleting); nested ``Choices``
with ``allowNested``; ``Filter`` on labels and on choices.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

import labelnb as lnb
from labelnb.config import LabelConfig
from tests.e2e.notebook_lab import Lab, checked_run, notebook_lab, stored_answer
from tests.e2e.widget_page import shot, wait_for

pytestmark = pytest.mark.e2e

USER = "controls@example.org"
DATETIME = """<View>
  <Text name="t" value="$t"/>
  <DateTime name="when" toName="t"/>
  <DateTime name="day" toName="t" only="date" min="2020-01-01" max="2025-12-31" required="true"/>
  <DateTime name="ym" toName="t" only="month,year" format="%B %Y" min="2010"/>
  <DateTime name="hour" toName="t" only="time"/>
</View>"""
TAXONOMY = """<View>
  <Text name="t" value="$t"/>
  <Taxonomy name="topic" toName="t" leafsOnly="true" maxUsages="2">
    <Choice value="Animal"><Choice value="Cat"/><Choice value="Dog"/></Choice>
    <Choice value="Plant"><Choice value="Tree"><Choice value="Oak"/></Choice><Choice value="Fern"/></Choice>
  </Taxonomy>
</View>"""
# the tree comes from the task, as Label Studio's dynamic labels: a list of {value, children}
DYNAMIC_TAXONOMY = """<View>
  <Text name="t" value="$t"/>
  <Taxonomy name="topic" toName="t" value="$tree"/>
</View>"""
TREE = [
    {"value": "Vehicle", "children": [{"value": "Car", "children": [{"value": "Taxi"}]}, {"value": "Bus"}]},
    {"value": "Building"},
]
MARKDOWN = """<View>
  <Text name="t" value="$t"/>
  <Markdown value="$answer"/>
  <Table name="facts" value="$facts"/>
  <Collapse>
    <Panel value="Your verdict">
      <Choices name="ok" toName="t"><Choice value="Good"/><Choice value="Bad"/></Choices>
    </Panel>
  </Collapse>
</View>"""
PAIRWISE = """<View>
  <Pairwise name="pw" toName="first,second" selectionStyle="background-color: rgb(230, 255, 230)"/>
  <Text name="first" value="$t"/>
  <Text name="second" value="$answer"/>
</View>"""
CHAT = """<View>
  <Chat name="chat" value="$dialog" messageroles="user,assistant" editable="user" minMessages="3" maxMessages="4"/>
</View>"""
NESTED = """<View>
  <Text name="t" value="$t"/>
  <Choices name="topics" toName="t" allowNested="true" choice="multiple">
    <Choice value="Travel"><Choice value="Flights"/><Choice value="Hotels"/></Choice>
    <Choice value="Food"/>
  </Choices>
</View>"""
FILTER = """<View>
  <Filter name="lf" toName="ner" minlength="2"/>
  <Labels name="ner" toName="t"><Label value="Person"/><Label value="Organization"/><Label value="Place"/></Labels>
  <Text name="t" value="$t"/>
  <Filter name="cf" toName="mood" placeholder="Find a mood"/>
  <Choices name="mood" toName="t"><Choice value="Positive"/><Choice value="Negative"/><Choice value="Neutral"/></Choices>
</View>"""
PROJECTS = {
    "datetime": DATETIME,
    "taxonomy": TAXONOMY,
    "dynamic_taxonomy": DYNAMIC_TAXONOMY,
    "markdown": MARKDOWN,
    "pairwise": PAIRWISE,
    "chat": CHAT,
    "nested": NESTED,
    "filter": FILTER,
}


#: a model's answer in Markdown, with raw HTML a page must not run or load
ANSWER = (
    "## Steps\n\n1. Open the **file**\n2. Run `make`\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
    '[docs](https://example.org/docs) <img src="https://example.org/beacon.png"> '
    '<script>window.__pwned = 1</script><b onclick="window.__pwned = 2">bold</b>'
)


#: a record a Table shows, keys sorted case-insensitively; markup in it is text
FACTS = {"total": 58.4, "Customer": "<b>Maria</b>", "items": [1, 2], "address": {"city": "Zürich"}}


#: the conversation a Chat starts from (markup in it is text)
DIALOG = [{"role": "user", "content": "Can you help me <b>plan</b> a trip?"}]


def stored(workdir: Path, name: str) -> list[dict[str, Any]] | None:
    count, result = stored_answer(workdir, name)
    return result if count else None


@pytest.fixture(scope="module")
def lab(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    tmp = tmp_path_factory.mktemp("controls")
    for name, config in PROJECTS.items():
        project = lnb.Project.create(tmp / "projects" / name, config=config)
        project.import_tasks(
            [{"t": "When did it happen?", "answer": ANSWER, "facts": FACTS, "dialog": DIALOG, "tree": TREE}]
        )
        project.close()
    with notebook_lab(browser, tmp, USER, "controls.ipynb", PROJECTS) as lab:
        yield lab


@pytest.fixture
def checked(lab: Lab, request: pytest.FixtureRequest) -> Iterator[Lab]:
    yield from checked_run(lab, request)


def type_into(page: Page, field: Locator, keys: str) -> None:
    """Click a date or time input's first segment and type, as a person does (en-US: mm/dd/yyyy, hh:mm AM)."""
    box = field.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 8, box["y"] + box["height"] / 2)
    page.keyboard.type(keys)


def test_datetime_parts_are_typed_and_stored_as_label_studio_writes_them(checked: Lab) -> None:
    lab = checked
    root = lab.roots["datetime"]
    root.scroll_into_view_if_needed()
    part = lambda control, which: root.locator(f"[data-control={control}] [data-part={which}]")  # noqa: E731

    type_into(lab.page, part("when", "date"), "05221991")
    type_into(lab.page, part("when", "time"), "0917AM")
    type_into(lab.page, part("day", "date"), "06152019")  # before min
    expect(root.locator("[data-control=day] [data-date-problem]")).to_have_text("must be 2020-01-01 or later")
    part("ym", "month").select_option(label="July")
    part("ym", "year").select_option(label="2023")
    type_into(lab.page, part("hour", "time"), "0230PM")
    shot(lab.page, "controls-datetime")

    # submit refuses the date before min, says why by the control, and stores nothing
    root.locator("[data-testid=submit]").click()
    expect(root.locator("[data-testid=error]")).to_contain_text('"day" must be 2020-01-01 or later')
    expect(root.locator("[data-control=day]")).to_have_attribute("data-invalid", "true")
    assert stored(lab.workdir, "datetime") is None

    type_into(lab.page, part("day", "date"), "06152023")
    expect(root.locator("[data-control=day] [data-date-problem]")).to_have_count(0)
    root.locator("[data-testid=submit]").click()
    result = wait_for(lambda: stored(lab.workdir, "datetime"), "the DateTime answer in the store")
    values = {it["from_name"]: it["value"] for it in result}
    assert values == {
        "when": {"datetime": "1991-05-22T09:17"},
        "day": {"datetime": "2023-06-15"},
        "ym": {"datetime": "July 2023"},
        "hour": {"datetime": "14:30"},
    }
    assert {it["type"] for it in result} == {"datetime"}
    assert all(it["to_name"] == "t" for it in result)
    LabelConfig.from_xml(DATETIME).validate_result(result, {"t": "When did it happen?"})


def test_taxonomy_items_are_picked_from_the_tree_and_stored_as_paths(checked: Lab) -> None:
    lab = checked
    root = lab.roots["taxonomy"]
    root.scroll_into_view_if_needed()
    control = root.locator("[data-control=topic]")
    item = lambda path: control.locator(f"[data-path='{path}'] > .lnb-tax-row")  # noqa: E731
    control.locator("[data-action=taxonomy]").click()
    # leafsOnly: a branch has no checkbox to tick
    expect(item("Animal").locator("input")).to_be_disabled()
    item("Animal").locator("[data-action=expand]").click()
    item("Animal/Dog").locator("input").check()
    # search: typed, the match shows with its ancestors opened
    search = control.locator("input[type=search]")
    search.click()
    lab.page.keyboard.type("oa")
    expect(item("Plant/Tree/Oak")).to_be_visible()
    expect(item("Animal")).to_have_count(0)
    item("Plant/Tree/Oak").locator("input").check()
    # maxUsages=2: a third is refused with a notice
    search.fill("")
    item("Animal/Cat").locator("input").click()
    expect(item("Animal/Cat").locator("input")).not_to_be_checked()
    expect(control.locator("[role=status]")).to_have_text("at most 2 items may be picked")
    expect(control.locator("[data-picked]")).to_have_count(2)
    shot(lab.page, "controls-taxonomy")
    # the remove button of a chip takes its item away, then Cat may be picked
    control.locator("[data-picked='Animal/Dog'] button").click()
    item("Animal/Cat").locator("input").check()
    expect(control.locator("[data-picked]")).to_have_count(2)
    root.locator("[data-testid=submit]").click()
    result = wait_for(lambda: stored(lab.workdir, "taxonomy"), "the Taxonomy answer in the store")
    assert len(result) == 1
    assert result[0]["type"] == "taxonomy"
    assert result[0]["from_name"] == "topic"
    assert result[0]["value"] == {"taxonomy": [["Plant", "Tree", "Oak"], ["Animal", "Cat"]]}
    LabelConfig.from_xml(TAXONOMY).validate_result(result, {"t": "x"})


def test_taxonomy_from_task_data_is_picked_from_its_tree(checked: Lab) -> None:
    lab = checked
    root = lab.roots["dynamic_taxonomy"]
    root.scroll_into_view_if_needed()
    control = root.locator("[data-control=topic]")
    item = lambda path: control.locator(f"[data-path='{path}'] > .lnb-tax-row")  # noqa: E731
    control.locator("[data-action=taxonomy]").click()
    expect(item("Building")).to_be_visible()
    item("Vehicle").locator("[data-action=expand]").click()
    item("Vehicle/Car").locator("[data-action=expand]").click()
    item("Vehicle/Car/Taxi").locator("input").check()
    item("Vehicle/Bus").locator("input").check()  # without leafsOnly a branch or a leaf may be picked
    expect(control.locator("[data-picked]")).to_have_count(2)
    root.locator("[data-testid=submit]").click()
    result = wait_for(lambda: stored(lab.workdir, "dynamic_taxonomy"), "the Taxonomy answer in the store")
    assert [it["value"] for it in result] == [{"taxonomy": [["Vehicle", "Car", "Taxi"], ["Vehicle", "Bus"]]}]
    LabelConfig.from_xml(DYNAMIC_TAXONOMY).validate_result(result, {"t": "x", "tree": TREE})


def test_markdown_from_task_data_renders_through_the_sanitiser(checked: Lab) -> None:
    lab = checked
    root = lab.roots["markdown"]
    root.scroll_into_view_if_needed()
    md = root.locator(".lnb-markdown")
    expect(md.locator("h2")).to_have_text("Steps")
    expect(md.locator("ol li")).to_have_count(2)
    expect(md.locator("ol li").first.locator("strong")).to_have_text("file")
    expect(md.locator("code")).to_have_text("make")
    expect(md.locator("table td")).to_have_count(2)
    # the link stays as text that goes nowhere; no image, script or handler got through
    expect(md.locator("a")).to_have_text("docs")
    assert md.locator("a").get_attribute("href") is None
    expect(md.locator("script, img[src]")).to_have_count(0)  # an <img> may stay, with nothing to load
    assert md.locator("b").get_attribute("onclick") is None
    md.locator("b").click()
    assert lab.page.evaluate("() => window.__pwned") is None
    table = root.locator("[data-table=facts]")
    expect(table.locator("tbody tr")).to_have_count(4)
    assert [r.split("\t") for r in table.locator("tbody tr").all_inner_texts()] == [
        ["address", '{"city":"Zürich"}'],
        ["Customer", "<b>Maria</b>"],
        ["items", "[1,2]"],
        ["total", "58.4"],
    ]
    expect(table.locator("b")).to_have_count(0)
    # the choices sit in a closed panel: opened with a click on its title
    expect(root.locator("[data-choice=Good]")).to_have_count(0)
    root.locator(".lnb-panel-title", has_text="Your verdict").click()
    shot(lab.page, "controls-markdown")
    root.locator("[data-choice=Good]").click()
    root.locator("[data-testid=submit]").click()
    result = wait_for(lambda: stored(lab.workdir, "markdown"), "the answer about the Markdown")
    assert [it["value"] for it in result] == [{"choices": ["Good"]}]


def test_pairwise_picks_an_object_by_clicking_it(checked: Lab) -> None:
    lab = checked
    root = lab.roots["pairwise"]
    root.scroll_into_view_if_needed()
    first = root.locator("[data-pairwise=pw][data-side=left]")
    second = root.locator("[data-pairwise=pw][data-side=right]")
    second.locator(".lnb-text").click()
    expect(second).to_have_attribute("data-picked", "true")
    assert second.evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(230, 255, 230)"
    first.locator(".lnb-text").click()  # the other one: the pick moves
    expect(first).to_have_attribute("data-picked", "true")
    expect(second).not_to_have_attribute("data-picked", "true")
    first.locator(".lnb-text").click()  # the picked one again: no pick
    expect(first).not_to_have_attribute("data-picked", "true")
    root.locator("[data-control=pw] [data-pick=right]").click()  # the button, as from the keyboard
    expect(second).to_have_attribute("data-picked", "true")
    shot(lab.page, "controls-pairwise")
    root.locator("[data-testid=submit]").click()
    result = wait_for(lambda: stored(lab.workdir, "pairwise"), "the Pairwise answer in the store")
    assert len(result) == 1
    item = result[0]
    assert (item["type"], item["from_name"], item["to_name"]) == ("pairwise", "pw", "pw")
    assert item["value"] == {"selected": "right"}
    LabelConfig.from_xml(PAIRWISE).validate_result(result, {"t": "a", "answer": "b"})


def test_chat_messages_are_added_edited_and_stored_as_chatmessage_results(checked: Lab) -> None:
    lab = checked
    root = lab.roots["chat"]
    root.scroll_into_view_if_needed()
    chat = root.locator("[data-chat=chat]")
    box = chat.locator("textarea[aria-label='New message']")
    expect(chat.locator(".lnb-chat-msg")).to_have_count(1)
    expect(chat.locator(".lnb-chat-msg b")).to_have_count(0)  # the data's markup stays text
    box.click()
    lab.page.keyboard.type("Hello")
    lab.page.keyboard.press("Enter")  # Enter sends
    expect(chat.locator(".lnb-chat-msg")).to_have_count(2)
    expect(box).to_have_value("")
    # minMessages=3: two are too few to submit
    root.locator("[data-testid=submit]").click()
    expect(root.locator("[data-testid=error]")).to_contain_text("needs at least 3 messages")
    assert stored(lab.workdir, "chat") is None
    chat.locator("[data-chat-role]").select_option("assistant")
    box.click()
    lab.page.keyboard.type("Sure, where to?")
    chat.locator("[data-action=send-message]").click()
    box.click()
    lab.page.keyboard.type("Lisbon")
    lab.page.keyboard.press("Enter")
    # maxMessages=4: full, the box says so and takes no more
    expect(chat.locator(".lnb-chat-msg")).to_have_count(4)
    expect(box).to_be_disabled()
    # the assistant's message cannot be edited (editable="user"); the user's can
    own = chat.locator(".lnb-chat-msg.lnb-own")
    expect(own.nth(1).locator("[data-action=edit-message]")).to_have_count(0)
    own.nth(0).locator("[data-action=edit-message]").click()
    edit = own.nth(0).locator("textarea")
    edit.fill("")
    edit.click()
    lab.page.keyboard.type("Hello again")
    lab.page.keyboard.press("Enter")
    expect(own.nth(0).locator(".lnb-chat-text")).to_have_text("Hello again")
    own.nth(2).locator("[data-action=delete-message]").click()  # "Lisbon" goes
    expect(chat.locator(".lnb-chat-msg")).to_have_count(3)
    expect(box).to_be_enabled()
    shot(lab.page, "controls-chat")
    root.locator("[data-testid=submit]").click()
    result = wait_for(lambda: stored(lab.workdir, "chat"), "the chat messages in the store")
    assert [it["value"]["chatmessage"]["role"] for it in result] == ["user", "assistant"]
    assert [it["value"]["chatmessage"]["content"] for it in result] == ["Hello again", "Sure, where to?"]
    for it in result:
        assert (it["type"], it["from_name"], it["to_name"]) == ("chatmessage", "chat", "chat")
        assert isinstance(it["value"]["chatmessage"]["createdAt"], int)
    LabelConfig.from_xml(CHAT).validate_result(result, {"dialog": DIALOG})


def test_nested_choices_store_paths_from_the_top(checked: Lab) -> None:
    lab = checked
    root = lab.roots["nested"]
    root.scroll_into_view_if_needed()
    choice = lambda path: root.locator(f"[data-path='{path}'] > .lnb-nested-row .lnb-choice")  # noqa: E731
    choice("Travel").click()  # a branch picks everything under it
    expect(choice("Travel/Flights")).to_have_attribute("aria-checked", "true")
    expect(choice("Travel/Hotels")).to_have_attribute("aria-checked", "true")
    choice("Travel/Flights").click()  # one leaf off: the branch is partly picked
    expect(choice("Travel")).to_have_attribute("aria-checked", "mixed")
    choice("Food").click()
    shot(lab.page, "controls-nested-choices")
    root.locator("[data-testid=submit]").click()
    result = wait_for(lambda: stored(lab.workdir, "nested"), "the nested choices in the store")
    assert [it["value"] for it in result] == [{"choices": [["Travel", "Hotels"], ["Food"]]}]
    LabelConfig.from_xml(NESTED).validate_result(result, {"t": "x"})


def test_filter_narrows_labels_and_choices_and_enter_picks_the_first(checked: Lab) -> None:
    lab = checked
    root = lab.roots["filter"]
    root.scroll_into_view_if_needed()
    chips = root.locator("[data-label-control=ner]")
    expect(chips).to_have_count(3)
    root.locator("[data-filter=ner]").click()
    lab.page.keyboard.type("P")  # below minlength=2: all shown
    expect(chips).to_have_count(3)
    lab.page.keyboard.type("l")
    expect(chips).to_have_count(1)
    expect(chips).to_have_attribute("data-label", "Place")
    lab.page.keyboard.press("Enter")  # picks it, and the box empties
    expect(root.locator("[data-label-control=ner][data-label=Place]")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(root.locator("[data-filter=ner]")).to_have_value("")
    expect(chips).to_have_count(3)
    choices = root.locator("[data-control=mood] [data-choice]")
    root.locator("[data-filter=mood]").click()
    lab.page.keyboard.type("neg")  # Label Studio's default minlength is 3
    expect(choices).to_have_count(1)
    shot(lab.page, "controls-filter")
    lab.page.keyboard.press("Enter")
    expect(root.locator("[data-control=mood] [data-choice=Negative]")).to_have_attribute(
        "data-selected", "true"
    )
    expect(choices).to_have_count(3)
    root.locator("[data-testid=submit]").click()
    result = wait_for(lambda: stored(lab.workdir, "filter"), "the filtered choice in the store")
    assert [it["value"] for it in result] == [{"choices": ["Negative"]}]
