"""TextArea and Number in a real JupyterLab and a real Chromium, used with the real keyboard and mouse and
checked in the store against Label Studio's result shapes (reference B.3, B.4).

A TextArea is an input and the entries added from it: ``{type: "textarea", value: {text: [entry, ...]}}``
(LSF tags/control/TextArea). With one row Enter adds the input's text, with more rows Shift+Enter does
(Enter is a new line); maxSubmissions hides the input when reached, skipDuplicates refuses a repeated
entry, editable="true" lets an entry be edited in place; every entry can be deleted; what is still in the
input is added when the task is submitted. perRegion="true" writes the entries of the selected region under
its id, repeating its geometry. A Number with slider="true" is a range input, stored as ``{number: N}``.
Label Studio results of these types, imported as an annotation, are shown and stored unchanged when
submitted unchanged. One JupyterLab, one page and one notebook serve the module; each test has a widget and
a project of its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Locator, expect

import labelnb as lnb
from labelnb.config import LabelConfig
from tests.e2e.notebook_lab import Lab, checked_run, notebook_lab, submitted
from tests.e2e.widget_page import assert_focus_within, dark_shot, drag_over_text, shot

pytestmark = pytest.mark.e2e

USER = "writer@example.org"
EMOJI = "\U0001f600"  # 1 code point, 2 UTF-16 units: span offsets after it count code points
TEXT = f"Hi {EMOJI} Bob met Alice at Acme."

TAGS = """<View>
  <Text name="text" value="$text"/>
  <TextArea name="tags" toName="text" maxSubmissions="3" skipDuplicates="true" placeholder="A tag, then Enter"/>
</View>"""
NOTES = """<View>
  <Text name="text" value="$text"/>
  <TextArea name="notes" toName="text" rows="3" editable="true" placeholder="Notes (Shift+Enter adds)"/>
</View>"""
PER_REGION = """<View>
  <Labels name="ner" toName="text"><Label value="PER"/><Label value="ORG"/></Labels>
  <Text name="text" value="$text"/>
  <TextArea name="note" toName="text" perRegion="true" placeholder="About this span"/>
</View>"""
SLIDER = """<View>
  <Text name="text" value="$text"/>
  <Number name="score" toName="text" slider="true" min="0" max="10" step="0.5"/>
</View>"""
IMPORTED_CONFIG = """<View>
  <Labels name="ner" toName="text"><Label value="PER"/><Label value="ORG"/></Labels>
  <Text name="text" value="$text"/>
  <TextArea name="note" toName="text" perRegion="true"/>
  <TextArea name="summary" toName="text" rows="2" editable="true"/>
  <TextArea name="answer" toName="text"/>
  <Number name="score" toName="text" slider="true" min="0" max="10" step="0.5"/>
</View>"""


def span_value(sub: str) -> dict[str, Any]:
    """Label Studio's offsets of ``sub`` in TEXT, in code points."""
    start = TEXT.index(sub)
    return {"start": start, "end": start + len(sub)}


# as Label Studio exports them: a span with a per-region TextArea sharing its id (and repeating its
# offsets), a TextArea of two entries, an older export's TextArea with a plain string, a slider's number
IMPORTED: list[dict[str, Any]] = [
    {
        "id": "sp1",
        "from_name": "ner",
        "to_name": "text",
        "type": "labels",
        "origin": "manual",
        "value": {**span_value("Bob"), "text": "Bob", "labels": ["PER"]},
    },
    {
        "id": "sp1",
        "from_name": "note",
        "to_name": "text",
        "type": "textarea",
        "origin": "manual",
        "value": {**span_value("Bob"), "text": ["a friend", "from work"]},
    },
    {
        "id": "Xr4_k-9QzT",
        "from_name": "summary",
        "to_name": "text",
        "type": "textarea",
        "origin": "manual",
        "value": {"text": ["Two people meet.", "At Acme."]},
    },
    {
        "id": "QH2yjxSYRV",
        "from_name": "answer",
        "to_name": "text",
        "type": "textarea",
        "value": {"text": "5/5"},
    },
    {
        "id": "n8Kq0pZ1aB",
        "from_name": "score",
        "to_name": "text",
        "type": "number",
        "origin": "manual",
        "value": {"number": 7.5},
    },
]

PROJECTS: dict[str, tuple[str, dict[str, Any]]] = {
    "tags": (TAGS, {"text": TEXT}),
    "notes": (NOTES, {"text": TEXT}),
    "per_region": (PER_REGION, {"text": TEXT}),
    "slider": (SLIDER, {"text": TEXT}),
    "imported": (
        IMPORTED_CONFIG,
        {"data": {"text": TEXT}, "annotations": [{"completed_by": {"email": USER}, "result": IMPORTED}]},
    ),
}

#: Label Studio's region ids: nanoid(10) over [A-Za-z0-9_-]
RESULT_ID = re.compile(r"^[A-Za-z0-9_-]{10}$")


@pytest.fixture(scope="module")
def lab(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    tmp = tmp_path_factory.mktemp("textarea")
    for name, (config, task) in PROJECTS.items():
        project = lnb.Project.create(tmp / "projects" / name, config=config)
        project.import_tasks([task])
        project.close()
    with notebook_lab(browser, tmp, USER, "textarea.ipynb", PROJECTS) as lab:
        yield lab


@pytest.fixture
def checked(lab: Lab, request: pytest.FixtureRequest) -> Iterator[Lab]:
    yield from checked_run(lab, request)


def entries(control: Locator) -> list[str]:
    """The entries a TextArea shows, in order (an entry being edited: what its field holds)."""
    out: list[str] = []
    for entry in control.locator(".lnb-ta-entry").all():
        text = entry.locator(".lnb-ta-text")
        out.append(text.inner_text() if text.count() else entry.locator(".lnb-ta-edit").input_value())
    return out


def textarea(lab: Lab, project: str, name: str) -> tuple[Locator, Locator, Locator]:
    """The widget of ``project`` (scrolled into view), its TextArea ``name`` and that one's input."""
    root = lab.roots[project]
    root.scroll_into_view_if_needed()
    control = root.locator(f"[data-control={name}]")
    return root, control, control.locator("[data-entry-input]")


def expect_entries(control: Locator, expected: list[str]) -> None:
    """Wait until the TextArea shows exactly these entries (none being edited), newlines and all."""
    texts = control.locator(".lnb-ta-entry .lnb-ta-text")
    if expected:
        expect(texts).to_have_text(expected)
    expect(control.locator(".lnb-ta-entry")).to_have_count(len(expected))
    assert entries(control) == expected


def has_focus(target: Locator) -> bool:
    return bool(target.evaluate("el => el === document.activeElement"))


def submit(lab: Lab, name: str, versions: int = 1) -> list[dict[str, Any]]:
    """Ctrl+Enter with the keyboard inside the widget, then what the kernel stored."""
    root = lab.roots[name]
    assert_focus_within(root)
    lab.page.keyboard.press("Control+Enter")
    return submitted(lab, name, versions=versions)


def check_item(item: dict[str, Any], from_name: str, rtype: str, value: dict[str, Any]) -> None:
    """One result item of Label Studio's shape: a fresh nanoid(10) id, the control, "manual", this value."""
    assert RESULT_ID.match(item["id"]), item
    assert {k: v for k, v in item.items() if k != "id"} == {
        "from_name": from_name,
        "to_name": "text",
        "type": rtype,
        "origin": "manual",
        "value": value,
    }


def test_entries_are_added_with_enter_up_to_max_submissions(checked: Lab) -> None:
    lab = checked
    keyboard = lab.page.keyboard
    root, control, field = textarea(lab, "tags", "tags")
    expect(field).to_have_attribute("placeholder", "A tag, then Enter")
    field.click()
    keyboard.type("Cute")
    keyboard.press("Enter")
    expect(control.locator(".lnb-ta-entry")).to_have_count(1)
    expect(field).to_have_value("")
    assert has_focus(field), "the input keeps the keyboard for the next entry"
    # skipDuplicates: the same text in other letters is refused, said by the control, and kept to be changed
    keyboard.type("cUTE")
    keyboard.press("Enter")
    expect(control.locator("[data-notice=tags]")).to_have_text(
        "There is already an entry with that text. Please enter unique text."
    )
    expect(field).to_have_value("cUTE")
    keyboard.press("Control+A")
    keyboard.type("Fluffy")
    expect(control.locator("[data-notice=tags]")).to_have_count(0)
    keyboard.press("Enter")
    keyboard.type("Small")
    shot(lab.page, "textarea-tags-typing")
    keyboard.press("Enter")
    # maxSubmissions="3": the input goes, and the keyboard is the widget's again
    expect_entries(control, ["Cute", "Fluffy", "Small"])
    expect(field).to_have_count(0)
    assert has_focus(root), "the keyboard went to the page when the input went"
    shot(lab.page, "textarea-tags-full")
    result = submit(lab, "tags")
    assert len(result) == 1
    check_item(result[0], "tags", "textarea", {"text": ["Cute", "Fluffy", "Small"]})
    LabelConfig.from_xml(TAGS).validate_result(result, {"text": TEXT})


def test_editable_entries_are_edited_in_place_and_deleted(checked: Lab) -> None:
    lab = checked
    keyboard = lab.page.keyboard
    root, control, field = textarea(lab, "notes", "notes")
    field.click()
    # rows="3": Enter is a new line, Shift+Enter adds
    keyboard.type("first line")
    keyboard.press("Enter")
    keyboard.type("second line")
    keyboard.press("Shift+Enter")
    expect_entries(control, ["first line\nsecond line"])
    keyboard.type("to be deleted")
    control.locator("[data-action=add-entry]").click()  # the Add button: shown for several rows
    expect(field).to_have_value("")
    assert has_focus(field)
    keyboard.type("third")
    keyboard.press("Shift+Enter")
    expect_entries(control, ["first line\nsecond line", "to be deleted", "third"])

    # editable: ✎ opens the entry in place; Shift+Enter saves it and gives the keyboard back
    control.locator("[data-entry='0'] [data-action=edit-entry]").click()
    edit = control.locator("[data-entry='0'] .lnb-ta-edit")
    expect(edit).to_be_focused()
    keyboard.press("Control+A")
    keyboard.type("first, fixed")
    shot(lab.page, "textarea-notes-editing")
    keyboard.press("Shift+Enter")
    expect(control.locator("[data-entry='0'] .lnb-ta-text")).to_have_text("first, fixed")
    assert has_focus(root)
    # Escape leaves an entry as it was
    control.locator("[data-entry='2'] [data-action=edit-entry]").click()
    expect(control.locator("[data-entry='2'] .lnb-ta-edit")).to_be_focused()  # keys go there from now
    keyboard.type(" and more")
    keyboard.press("Escape")
    expect(control.locator("[data-entry='2'] .lnb-ta-text")).to_have_text("third")
    # ✕ deletes one
    control.locator("[data-entry='1'] [data-action=delete-entry]").click()
    expect_entries(control, ["first, fixed", "third"])
    # typed and not added: an entry when the task is submitted (Ctrl+Enter from the input itself)
    field.click()
    keyboard.type("left in the box")
    shot(lab.page, "textarea-notes")
    dark_shot(lab.page, control, "textarea-notes-dark")
    result = submit(lab, "notes")
    assert len(result) == 1
    check_item(result[0], "notes", "textarea", {"text": ["first, fixed", "third", "left in the box"]})
    LabelConfig.from_xml(NOTES).validate_result(result, {"text": TEXT})


def drag_over(lab: Lab, text: Locator, sub: str) -> None:
    """Select ``sub`` of TEXT with the mouse: press on its first character, drag to its last, release."""
    where = span_value(sub)
    drag_over_text(lab.page, text, where["start"], where["end"])


def test_per_region_textarea_writes_the_entries_of_the_selected_span(checked: Lab) -> None:
    lab = checked
    keyboard = lab.page.keyboard
    root = lab.roots["per_region"]
    root.scroll_into_view_if_needed()
    text = root.locator(".lnb-spans[data-object=text]")
    note = root.locator("[data-control=note]")
    expect(note).to_have_count(0)  # no region selected: nothing to write about
    root.locator("[data-label-control=ner][data-label=PER]").click()
    drag_over(lab, text, "Bob")
    bob = text.locator(".lnb-span[data-region]").first.get_attribute("data-region")
    assert bob
    expect(note).to_have_attribute("data-region-for", bob)  # the new span is selected
    note.locator("[data-entry-input]").click()
    keyboard.type("a friend")
    keyboard.press("Enter")
    keyboard.type("from work")
    keyboard.press("Enter")
    expect_entries(note, ["a friend", "from work"])
    keyboard.press("Escape")  # the input gives the keyboard back ...
    keyboard.press("Escape")  # ... and the widget drops the selection (ORG's chip would relabel Bob)
    expect(note).to_have_count(0)
    root.locator("[data-label-control=ner][data-label=ORG]").click()
    drag_over(lab, text, "Acme")
    acme = next(
        r
        for r in text.locator(".lnb-span[data-region]").evaluate_all("els => els.map(e => e.dataset.region)")
        if r != bob
    )
    expect(note).to_have_attribute("data-region-for", acme)
    expect_entries(note, [])  # each region has entries of its own
    note.locator("[data-entry-input]").click()
    keyboard.type("a company")
    keyboard.press("Enter")
    # back to Bob: his entries again
    text.locator(f".lnb-span[data-region='{bob}']").first.click()
    expect(note).to_have_attribute("data-region-for", bob)
    expect_entries(note, ["a friend", "from work"])
    shot(lab.page, "textarea-per-region")
    result = submit(lab, "per_region")
    notes = {it["id"]: it for it in result if it["type"] == "textarea"}
    spans = {it["id"]: it for it in result if it["type"] == "labels"}
    assert set(notes) == set(spans) == {bob, acme}
    assert spans[bob]["value"] == {**span_value("Bob"), "text": "Bob", "labels": ["PER"]}
    # the item shares the span's id and repeats its offsets; its own `text` is the entries (LS Result.serialize)
    assert notes[bob] == {
        "id": bob,
        "from_name": "note",
        "to_name": "text",
        "type": "textarea",
        "origin": "manual",
        "value": {**span_value("Bob"), "text": ["a friend", "from work"]},
    }
    assert notes[acme]["value"] == {**span_value("Acme"), "text": ["a company"]}
    LabelConfig.from_xml(PER_REGION).validate_result(result, {"text": TEXT})


def test_number_slider_moves_with_the_mouse_and_the_arrow_keys(checked: Lab) -> None:
    lab = checked
    mouse, keyboard = lab.page.mouse, lab.page.keyboard
    root = lab.roots["slider"]
    root.scroll_into_view_if_needed()
    slider = root.locator("[data-control=score] input[type=range]")
    shown = root.locator("[data-control=score] .lnb-slider-value")
    expect(shown).to_have_text("\u2013")  # no value yet: a dash
    assert (slider.get_attribute("min"), slider.get_attribute("max"), slider.get_attribute("step")) == (
        "0",
        "10",
        "0.5",
    )
    box = slider.bounding_box()
    assert box is not None
    middle = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    mouse.click(*middle)  # the middle of min..max
    expect(shown).to_have_text("5")
    # a drag past the right end stops at max
    mouse.move(*middle)
    mouse.down()
    mouse.move(box["x"] + box["width"] + 40, middle[1], steps=10)
    mouse.up()
    expect(shown).to_have_text("10")
    expect(slider).to_be_focused()
    # the arrows move it by its step (never anything else the widget has keys for)
    for _ in range(3):
        keyboard.press("ArrowLeft")
    expect(shown).to_have_text("8.5")
    keyboard.press("ArrowDown")
    keyboard.press("ArrowUp")
    keyboard.press("ArrowUp")
    expect(shown).to_have_text("9")
    keyboard.press("Home")
    expect(shown).to_have_text("0")
    keyboard.press("ArrowRight")
    expect(shown).to_have_text("0.5")
    shot(lab.page, "number-slider")
    result = submit(lab, "slider")
    assert len(result) == 1
    check_item(result[0], "score", "number", {"number": 0.5})
    LabelConfig.from_xml(SLIDER).validate_result(result, {"text": TEXT})


def test_label_studio_textarea_and_number_results_load_and_round_trip(checked: Lab) -> None:
    lab = checked
    root = lab.roots["imported"]
    root.scroll_into_view_if_needed()
    # the task is labelled already, so the queue is done: Back opens it
    back = root.locator("[data-testid=back]")
    expect(back).to_be_enabled(timeout=60_000)
    back.click()
    text = root.locator(".lnb-spans[data-object=text]")
    expect(text).to_be_visible()
    summary = root.locator("[data-control=summary]")
    expect(summary.locator(".lnb-ta-entry")).to_have_count(2)
    expect_entries(summary, ["Two people meet.", "At Acme."])
    expect_entries(root.locator("[data-control=answer]"), ["5/5"])  # an older export's plain string
    expect(root.locator("[data-control=score] .lnb-slider-value")).to_have_text("7.5")
    expect(root.locator("[data-control=score] input[type=range]")).to_have_value("7.5")
    # the span's per-region entries show while it is selected
    note = root.locator("[data-control=note]")
    expect(note).to_have_count(0)
    text.locator(".lnb-span[data-region=sp1]").first.click()
    expect(note).to_have_attribute("data-region-for", "sp1")
    expect_entries(note, ["a friend", "from work"])
    shot(lab.page, "textarea-imported")
    dark_shot(lab.page, root, "textarea-imported-dark")
    result = submit(lab, "imported", versions=2)
    assert result == IMPORTED
