"""Text spans made with a real mouse and keyboard in a real JupyterLab, checked in the store.

One JupyterLab serves the module and one notebook holds one widget per test, each on a project of its own.
Label Studio stores a span's offsets in Unicode code points (reference B.5), so Python's
``text[start:end]`` is ``value.text``; the texts here hold what UTF-16 offsets get wrong: an emoji (two
UTF-16 units), a ZWJ family (five code points, one user-perceived character), letters with combining marks
(two code points each) and CRLF line breaks (two code points). The tests select with the mouse (a press,
a drag, a release over the characters' boxes) and with the keyboard (the caret, Shift+arrows, Enter or a
label's key), submit with Ctrl+Enter, and read what the kernel stored with ``lnb.Project.open``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import Browser, expect

import labelnb as lnb
from tests.e2e.notebook_lab import Lab, checked_run, notebook_lab, submit_with_keys
from tests.e2e.widget_page import dark_shot, drag_over_text, shot, wait_for

pytestmark = pytest.mark.e2e

USER = "reader@example.org"
NER = """<View>
  <Labels name="ner" toName="text"><Label value="PER"/><Label value="ORG"/><Label value="LOC"/></Labels>
  <Text name="text" value="$text"/>
</View>"""
WORDS = """<View>
  <Labels name="ner" toName="text"><Label value="PER"/><Label value="ORG"/></Labels>
  <Text name="text" value="$text" granularity="word"/>
</View>"""
RELATED = """<View>
  <Labels name="ner" toName="text"><Label value="PER"/><Label value="ORG"/><Label value="LOC"/></Labels>
  <Text name="text" value="$text"/>
  <Relations><Relation value="works_at"/><Relation value="based_in"/></Relations>
</View>"""
# a text and an image in one task: arrows on the text move its caret, arrows on the image nudge its regions
MIXED = """<View>
  <Image name="img" value="$image"/>
  <RectangleLabels name="box" toName="img"><Label value="Cat"/></RectangleLabels>
  <Labels name="ner" toName="text"><Label value="PER"/><Label value="ORG"/></Labels>
  <Text name="text" value="$text"/>
</View>"""

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # man ZWJ woman ZWJ girl: 5 code points, 1 grapheme
EMOJI = "\U0001f600"  # 1 code point, 2 UTF-16 units
ZOE = "Zoe\u0301"  # e + combining acute accent
MOUSE_TEXT = f"Hi {EMOJI} Bob, {FAMILY} Ann and {ZOE} met Carl."
KEYS_TEXT = f"{FAMILY} Ann sa\u0301w {EMOJI} Bob today."
WORDS_TEXT = f"Hi {EMOJI} Bob-Smith met e\u0301mile today."
CRLF_TEXT = f"First {EMOJI} line\r\nsecond line\r\nthird"
RELATED_TEXT = f"{EMOJI} Ann Lee joined Acme Corp, a firm based in Paris, in May."
NESTED_TEXT = f"The {FAMILY} Bank of Northern {EMOJI} Scotland Board met in Zu\u0308rich."


def span(rid: str, text: str, sub: str, label: str, nth: int = 0) -> dict[str, Any]:
    """A Label Studio labels item over the ``nth`` occurrence of ``sub`` (offsets in code points)."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(sub, start + 1)
    end = start + len(sub)
    assert text[start:end] == sub
    return {
        "id": rid,
        "from_name": "ner",
        "to_name": "text",
        "type": "labels",
        "origin": "manual",
        "value": {"start": start, "end": end, "text": sub, "labels": [label]},
    }


# three levels of nesting and a partial overlap, as a Label Studio export holds them
NESTED = [
    span("org", NESTED_TEXT, f"Bank of Northern {EMOJI} Scotland Board", "ORG"),
    span("bank", NESTED_TEXT, f"Bank of Northern {EMOJI} Scotland", "ORG"),
    span("loc", NESTED_TEXT, f"Northern {EMOJI} Scotland", "LOC"),
    span("cross", NESTED_TEXT, "Board met in Zu\u0308rich", "LOC"),
    span("fam", NESTED_TEXT, f"{FAMILY} Bank", "PER"),
]
RECT = {
    "id": "rect1",
    "from_name": "box",
    "to_name": "img",
    "type": "rectanglelabels",
    "origin": "manual",
    "original_width": 400,
    "original_height": 200,
    "image_rotation": 0,
    "value": {
        "x": 10.0,
        "y": 10.0,
        "width": 20.0,
        "height": 30.0,
        "rotation": 0.0,
        "rectanglelabels": ["Cat"],
    },
}

# name -> (config, task); one widget (and project) per test, in the notebook's order
PROJECTS: dict[str, tuple[str, dict[str, Any]]] = {
    "mouse": (NER, {"text": MOUSE_TEXT}),
    "keys": (NER, {"text": KEYS_TEXT}),
    "words": (WORDS, {"text": WORDS_TEXT}),
    "crlf": (NER, {"text": CRLF_TEXT}),
    "related": (RELATED, {"text": RELATED_TEXT}),
    "nested": (
        NER,
        {"data": {"text": NESTED_TEXT}, "annotations": [{"completed_by": {"email": USER}, "result": NESTED}]},
    ),
    "mixed": (
        MIXED,
        {
            "data": {"text": KEYS_TEXT, "image": "pic.png"},
            "annotations": [{"completed_by": {"email": USER}, "result": [RECT]}],
        },
    ),
}


def make_projects(workdir: Path) -> None:
    for name, (config, task) in PROJECTS.items():
        folder = workdir / name
        project = lnb.Project.create(folder, config=config)
        Image.new("RGB", (400, 200), (200, 215, 235)).save(folder / "pic.png")
        project.import_tasks([task])
        project.close()


# -- the page --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def lab(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    tmp = tmp_path_factory.mktemp("text-spans")
    make_projects(tmp / "projects")
    with notebook_lab(browser, tmp, USER, "text-spans.ipynb", PROJECTS, viewport=(1280, 1000)) as lab:
        yield lab


@pytest.fixture
def checked(lab: Lab, request: pytest.FixtureRequest) -> Iterator[Lab]:
    """The shared page; the test fails on any uncaught page error or console error while it ran."""
    yield from checked_run(lab, request)


class TextWidget:
    def __init__(self, lab: Lab, name: str) -> None:
        self.lab = lab
        self.name = name
        self.page = lab.page
        self.root = lab.roots[name]
        self.text = self.root.locator(".lnb-spans[data-object=text]")
        self.root.scroll_into_view_if_needed()
        if "annotations" in PROJECTS[name][1]:
            # the task is labelled already, so the queue is done: Back opens it
            back = self.root.locator("[data-testid=back]")
            expect(back).to_be_enabled(timeout=60_000)
            if not self.text.count():
                back.click()
        expect(self.text).to_be_visible(timeout=60_000)
        self.value: str = PROJECTS[name][1].get("text") or PROJECTS[name][1]["data"]["text"]

    def choose(self, label: str) -> None:
        chip = self.root.locator(f"[data-label-control=ner][data-label={label}]")
        chip.click()
        expect(chip).to_have_attribute("aria-pressed", "true")

    def hotkey(self, label: str) -> str:
        key = self.root.locator(f"[data-label-control=ner][data-label={label}] kbd").inner_text()
        assert key, f"{label} has no hotkey"
        return key

    def drag_over(self, start: int, end: int) -> None:
        drag_over_text(self.page, self.text, start, end)

    def caret(self) -> int:
        return int(self.text.locator(".lnb-caret").get_attribute("data-caret") or "-1")

    def keyboard_selection(self) -> str:
        return "".join(self.text.locator(".lnb-ksel").all_inner_texts())

    # a key press returns once the page took it; the widget draws its caret right after, so wait for it
    def expect_caret(self, at: int) -> None:
        expect(self.text.locator(".lnb-caret")).to_have_attribute("data-caret", str(at))

    def expect_keyboard_selection(self, text: str) -> None:
        wait_for(lambda: self.keyboard_selection() == text, f"the keyboard selection {text!r}", timeout=5)

    def submit(self, versions: int = 1) -> list[dict[str, Any]]:
        return submit_with_keys(self.lab, self.name, versions)


def spans_of(result: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(
        (it["value"] for it in result if it["type"] == "labels"), key=lambda v: (v["start"], v["end"])
    )


def assert_python_slices(text: str, values: list[dict[str, Any]]) -> None:
    for v in values:
        assert text[v["start"] : v["end"]] == v["text"], v


def test_mouse_selection_after_emoji_zwj_and_combining_marks(checked: Lab) -> None:
    w = TextWidget(checked, "mouse")
    w.choose("PER")
    start = MOUSE_TEXT.index("met")
    # a browser counts UTF-16 units: the emoji and the family would put "met" 1 + 3 units later
    assert MOUSE_TEXT.encode("utf-16-le").decode("utf-16-le").index("met") == start
    assert len(MOUSE_TEXT[:start].encode("utf-16-le")) // 2 == start + 4
    w.drag_over(start, start + 3)
    expect(w.text.locator(".lnb-span[data-region]")).to_have_text("met")
    w.page.keyboard.press("Escape")  # deselect the span: ORG's chip would relabel it
    w.choose("ORG")
    carl = MOUSE_TEXT.index("Carl")
    w.drag_over(carl, carl + 4)
    shot(w.page, "text-spans-mouse")
    values = spans_of(w.submit())
    assert values == [
        {"start": start, "end": start + 3, "text": "met", "labels": ["PER"]},
        {"start": carl, "end": carl + 4, "text": "Carl", "labels": ["ORG"]},
    ]
    assert_python_slices(MOUSE_TEXT, values)


def test_keyboard_caret_and_shift_arrows(checked: Lab) -> None:
    w = TextWidget(checked, "keys")
    keyboard = w.page.keyboard
    w.text.focus()
    expect(w.text.locator(".lnb-caret")).to_have_attribute("data-caret", "0")
    keyboard.press("ArrowRight")  # the whole ZWJ family in one press: five code points
    w.expect_caret(5)
    keyboard.press("ArrowRight")
    keyboard.press("Shift+Control+ArrowRight")
    w.expect_keyboard_selection("Ann")
    keyboard.press("Enter")  # no label chosen: the widget says so and makes nothing
    expect(w.root.locator("[data-notice=ner]")).to_contain_text("Choose a label")
    keyboard.press(w.hotkey("PER"))  # a label's key labels the selection
    expect(w.text.locator(".lnb-span[data-region]")).to_have_text("Ann")
    w.expect_keyboard_selection("")
    keyboard.press("Escape")  # deselect the new span

    # "sáw" (a combining mark) grapheme by grapheme, then Enter with ORG chosen
    w.choose("ORG")
    w.text.focus()  # the caret is where the last span ended
    w.expect_caret(9)
    keyboard.press("ArrowRight")
    for _ in range(3):
        keyboard.press("Shift+ArrowRight")
    w.expect_keyboard_selection("sa\u0301w")
    w.text.press("Enter")
    # and "Bob" after the emoji, backwards with Alt+Shift+ArrowLeft from the end of "Bob"
    keyboard.press("Escape")
    w.text.focus()
    for _ in range(6):  # space, emoji, space, B, o, b
        keyboard.press("ArrowRight")
    keyboard.press("Shift+Alt+ArrowLeft")
    w.expect_keyboard_selection("Bob")
    keyboard.press("Enter")
    shot(w.page, "text-spans-keyboard")
    values = spans_of(w.submit())
    ann, saw, bob = (KEYS_TEXT.index(s) for s in ("Ann", "sa\u0301w", "Bob"))
    assert values == [
        {"start": ann, "end": ann + 3, "text": "Ann", "labels": ["PER"]},
        {"start": saw, "end": saw + 4, "text": "sa\u0301w", "labels": ["ORG"]},
        {"start": bob, "end": bob + 3, "text": "Bob", "labels": ["ORG"]},
    ]
    assert_python_slices(KEYS_TEXT, values)


def test_word_granularity_widens_to_whole_words(checked: Lab) -> None:
    w = TextWidget(checked, "words")
    w.choose("PER")
    smith = WORDS_TEXT.index("Smith")
    w.drag_over(smith + 1, smith + 3)  # "mi"
    expect(w.text.locator(".lnb-span[data-region]")).to_have_text("Smith")
    w.page.keyboard.press("Escape")
    emile = WORDS_TEXT.index("e\u0301mile")
    w.drag_over(emile + 3, emile + 5)  # "il" of émile
    expect(w.text.locator(".lnb-span[data-region]")).to_have_count(2)
    values = spans_of(w.submit())
    assert values == [
        {"start": smith, "end": smith + 5, "text": "Smith", "labels": ["PER"]},
        {"start": emile, "end": emile + 6, "text": "e\u0301mile", "labels": ["PER"]},
    ]
    assert_python_slices(WORDS_TEXT, values)


def test_crlf_line_breaks_show_and_count_two_code_points(checked: Lab) -> None:
    w = TextWidget(checked, "crlf")
    # the text shows its three lines
    height = w.text.evaluate(
        "el => el.getBoundingClientRect().height / parseFloat(getComputedStyle(el).lineHeight)"
    )
    assert height >= 3
    w.choose("LOC")
    start = CRLF_TEXT.index("line")
    end = CRLF_TEXT.index("second") + 3
    w.drag_over(start, end)  # "line\r\nsec", across the line break
    drawn = w.text.locator(".lnb-span[data-region]")
    expect(drawn).to_have_count(1)
    assert drawn.evaluate("el => el.textContent") == "line\r\nsec"
    assert drawn.evaluate("el => el.getClientRects().length") >= 2  # drawn on both lines
    shot(w.page, "text-spans-crlf")
    values = spans_of(w.submit())
    assert values == [{"start": start, "end": end, "text": "line\r\nsec", "labels": ["LOC"]}]
    assert_python_slices(CRLF_TEXT, values)


def test_nested_and_overlapping_spans_load_draw_and_round_trip(checked: Lab) -> None:
    w = TextWidget(checked, "nested")
    tags = w.text.locator("[data-tag]")
    expect(tags).to_have_count(len(NESTED))
    assert sorted(tags.evaluate_all("els => els.map((e) => e.dataset.tag)")) == sorted(
        it["id"] for it in NESTED
    )
    # each span keeps one line (level) along its length: the three nested spans and the crossing one differ
    loc = NESTED_TEXT.index("Northern")
    levels = w.text.locator(f"[data-o='{loc}']").evaluate(
        "el => getComputedStyle(el).backgroundImage.split('linear-gradient').length - 1"
    )
    assert levels == 1 + 3  # the fill and one line for each of org, bank and loc
    # clicking a tag selects that span, even the outermost
    w.text.locator("[data-tag=org]").click()
    expect(w.root.locator("[data-region-item=org] .lnb-region-pick")).to_have_attribute(
        "aria-pressed", "true"
    )
    w.page.keyboard.press("Escape")
    w.text.scroll_into_view_if_needed()
    shot(w.page, "text-spans-nested")
    dark_shot(w.page, w.text, "text-spans-nested-dark")
    w.text.click(position={"x": 2, "y": 2})  # the focus back in the widget
    result = w.submit(versions=2)
    assert sorted(result, key=lambda it: it["id"]) == sorted(NESTED, key=lambda it: it["id"])


def test_arrows_move_the_caret_on_text_and_nudge_on_the_image(checked: Lab) -> None:
    w = TextWidget(checked, "mixed")
    keyboard = w.page.keyboard
    expect(w.root.locator("img[data-object=img]")).to_have_attribute("data-state", "ready", timeout=60_000)
    item = w.root.locator("[data-region-item=rect1] .lnb-region-pick")
    item.click()  # the rectangle is selected
    expect(item).to_have_attribute("aria-pressed", "true")
    w.text.focus()
    keyboard.press("ArrowRight")  # the caret moves; the rectangle stays
    keyboard.press("ArrowRight")
    w.expect_caret(6)
    shape = w.root.locator("[data-region=rect1] rect")
    expect(shape).to_have_attribute("x", "40")  # 10 % of 400 px: not nudged
    item.click()  # now the image's keys: one nudge of one image pixel
    expect(item).to_be_focused()
    keyboard.press("ArrowRight")
    expect(shape).to_have_attribute("x", "41")
    w.expect_caret(6)
    w.text.focus()
    keyboard.press("Shift+Control+ArrowRight")
    w.expect_keyboard_selection("Ann")
    keyboard.press(w.hotkey("PER"))
    result = w.submit(versions=2)
    rect = next(it for it in result if it["type"] == "rectanglelabels")
    assert rect["value"]["x"] == pytest.approx(10.0 + 100 / 400)  # one image pixel of 400
    assert rect["value"]["y"] == pytest.approx(10.0)
    ann = KEYS_TEXT.index("Ann")
    assert spans_of(result) == [{"start": ann, "end": ann + 3, "text": "Ann", "labels": ["PER"]}]


ARC_ENDS = """svg => [...svg.querySelectorAll('[data-relation]')].map((g) => {
  const d = g.querySelector('path').getAttribute('d').match(/-?[0-9.]+/g).map(Number);
  const frame = svg.getBoundingClientRect();
  return { key: g.dataset.relation, from: [d[0] + frame.left, d[1] + frame.top], to: [d[6] + frame.left, d[7] + frame.top],
           heads: g.querySelectorAll('polygon').length, label: g.querySelector('text')?.textContent ?? '' };
})"""


def first_piece_box(w: TextWidget, rid: str) -> dict[str, float]:
    return w.text.locator(f".lnb-span[data-spans~='{rid}']").first.evaluate(
        "el => { const r = el.getClientRects()[0]; return { left: r.left, top: r.top, width: r.width }; }"
    )


def test_relations_between_spans_are_drawn_in_the_text(checked: Lab) -> None:
    w = TextWidget(checked, "related")
    keyboard = w.page.keyboard
    ids: dict[str, str] = {}
    for label, word in (("PER", "Ann Lee"), ("ORG", "Acme Corp"), ("LOC", "Paris")):
        w.choose(label)
        start = RELATED_TEXT.index(word)
        w.drag_over(start, start + len(word))
        piece = w.text.locator(f".lnb-span[data-label={label}]")
        expect(piece).to_have_text(word)
        ids[word] = piece.get_attribute("data-region") or ""
        keyboard.press("Escape")  # deselect, so the next chip chooses a label instead of relabelling
    arrows = w.text.locator(".lnb-span-arrows [data-relation]")
    expect(arrows).to_have_count(0)

    # Label Studio's key: Alt+R with a span selected, then a click on the other span
    w.text.locator(f"[data-tag='{ids['Ann Lee']}']").click()
    keyboard.press("Alt+r")
    expect(w.root.locator(f"[data-region-item='{ids['Ann Lee']}'] [data-action=link]")).to_have_attribute(
        "aria-pressed", "true"
    )
    acme = first_piece_box(w, ids["Acme Corp"])
    w.page.mouse.click(acme["left"] + acme["width"] / 2, acme["top"] + 6)
    expect(arrows).to_have_count(1)
    # the region list's link button, then a click on the span in the text
    w.root.locator(f"[data-region-item='{ids['Acme Corp']}'] [data-action=link]").click()
    w.text.locator(f".lnb-span[data-spans~='{ids['Paris']}']").click()
    expect(arrows).to_have_count(2)

    # each arc runs from the start of its first span to the start of the other, a head at the end
    svg = w.text.locator(".lnb-span-arrows")
    arcs = {a["key"]: a for a in svg.evaluate(ARC_ENDS)}
    for a, b in (("Ann Lee", "Acme Corp"), ("Acme Corp", "Paris")):
        arc = arcs.get(f"{ids[a]}>{ids[b]}")
        assert arc is not None, (arcs.keys(), ids)
        start, end = first_piece_box(w, ids[a]), first_piece_box(w, ids[b])
        assert start["left"] <= arc["from"][0] <= start["left"] + start["width"]
        assert end["left"] <= arc["to"][0] <= end["left"] + end["width"]
        assert abs(arc["from"][1] - start["top"]) < 1.5
        assert abs(arc["to"][1] - end["top"]) < 1.5
        assert arc["heads"] == 1

    # a label and the direction, from the relation list: the arc shows both
    first = w.root.locator("[data-relation-item]").filter(
        has_text="PER"
    )  # rows name their ends by index and label
    first.locator("[data-relation-label=works_at]").click()
    first.locator("[data-action=direction]").click()  # right -> left
    first.locator("[data-action=direction]").click()  # left -> bi
    key = f"{ids['Ann Lee']}>{ids['Acme Corp']}"
    drawn = svg.locator(f"[data-relation='{key}']")
    expect(drawn.locator("text")).to_have_text("works_at")
    expect(drawn.locator("polygon")).to_have_count(2)
    w.text.scroll_into_view_if_needed()
    shot(w.page, "text-spans-relations")
    dark_shot(w.page, w.text, "text-spans-relations-dark")
    # JupyterLab re-attaches the cell on a theme switch (the text has no boxes for a frame): arcs stay
    expect(arrows).to_have_count(2)

    # undo takes the last change back (bi -> left); a deleted span takes its relation with it
    w.text.click(position={"x": 2, "y": 2})
    keyboard.press("Control+z")
    expect(drawn.locator("polygon")).to_have_count(1)
    w.root.locator(f"[data-region-item='{ids['Paris']}'] [data-action=delete]").click()
    expect(arrows).to_have_count(1)
    w.text.click(position={"x": 2, "y": 2})
    result = w.submit()
    relations = [it for it in result if it["type"] == "relation"]
    assert relations == [
        {
            "from_id": ids["Ann Lee"],
            "to_id": ids["Acme Corp"],
            "type": "relation",
            "direction": "left",
            "labels": ["works_at"],
        }
    ]
    assert {v["text"] for v in spans_of(result)} == {"Ann Lee", "Acme Corp"}
