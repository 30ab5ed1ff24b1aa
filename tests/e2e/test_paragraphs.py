"""Paragraphs with ParagraphLabels, made with a real mouse in a real JupyterLab, checked in the store.

One JupyterLab serves the module and one notebook holds one widget per test, each on a project of its own.
A paragraphlabels span is Label Studio's ``{start, end, startOffset, endOffset, text, paragraphlabels}``
(LSF:regions/ParagraphsRegion.js; HtxParagraphs.jsx captureDocumentSelection): ``start``/``end`` are the
indexes of the first and last phrase, as strings, the offsets count code points inside those phrases (so
Python's ``phrase[startOffset:endOffset]`` is the text; the phrases hold an emoji, two UTF-16 units), and a
selection across phrases stores their pieces joined by newlines. The tests drag over the phrases' character
boxes, submit with Ctrl+Enter and read what the kernel stored with ``lnb.Project.open``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

import labelnb as lnb
from tests.e2e.notebook_lab import Lab, checked_run, notebook_lab, submit_with_keys
from tests.e2e.widget_page import dark_shot, shot

pytestmark = pytest.mark.e2e

USER = "reader@example.org"
EMOJI = "\U0001f600"  # 1 code point, 2 UTF-16 units

DIALOGUE_CONFIG = """<View>
  <ParagraphLabels name="ner" toName="dialogue">
    <Label value="Greeting" background="#2ca02c"/><Label value="Question" background="#1f77b4"/>
  </ParagraphLabels>
  <Paragraphs name="dialogue" value="$dialogue" layout="dialogue" nameKey="speaker" textKey="line"/>
</View>"""
PLAIN_CONFIG = """<View>
  <Paragraphs name="dialogue" value="$dialogue"/>
  <ParagraphLabels name="ner" toName="dialogue"><Label value="Greeting"/><Label value="Question"/></ParagraphLabels>
</View>"""

# task data is untrusted: a name that looks like markup is shown as text
MARKUP_NAME = '<b>Carol</b><img src="x" onerror="window.__pwned = 1">'
DIALOGUE = [
    {"speaker": "Alice", "line": f"Hi {EMOJI} Bob, good morning!"},
    {"speaker": "Bob", "line": f"Morning {EMOJI} Alice. How are you today?"},
    {"speaker": MARKUP_NAME, "line": "Fine, thanks. And you?"},
]
PLAIN = [{"author": p["speaker"], "text": p["line"]} for p in DIALOGUE]


def para(rid: str, value: dict[str, Any], label: str) -> dict[str, Any]:
    return {
        "id": rid,
        "from_name": "ner",
        "to_name": "dialogue",
        "type": "paragraphlabels",
        "origin": "manual",
        "value": {**value, "paragraphlabels": [label]},
    }


# as Label Studio exports them: indexes as strings; one span without its text, one with numbers
IMPORTED = [
    para("imp1", {"start": "1", "end": "1", "startOffset": 0, "endOffset": 7, "text": "Morning"}, "Greeting"),
    para("imp2", {"start": "0", "end": "2", "startOffset": 9, "endOffset": 4}, "Question"),
    para("imp3", {"start": 2, "end": 2, "startOffset": 14, "endOffset": 22, "text": "And you?"}, "Question"),
    {"from_id": "imp1", "to_id": "imp3", "type": "relation", "direction": "right"},
]

PROJECTS: dict[str, tuple[str, dict[str, Any]]] = {
    "dialogue": (DIALOGUE_CONFIG, {"dialogue": DIALOGUE}),
    "across": (PLAIN_CONFIG, {"dialogue": PLAIN}),
    "imported": (
        DIALOGUE_CONFIG,
        {
            "data": {"dialogue": DIALOGUE},
            "annotations": [{"completed_by": {"email": USER}, "result": IMPORTED}],
        },
    ),
}


def make_projects(workdir: Path) -> None:
    for name, (config, task) in PROJECTS.items():
        project = lnb.Project.create(workdir / name, config=config)
        project.import_tasks([task])
        project.close()


@pytest.fixture(scope="module")
def lab(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    tmp = tmp_path_factory.mktemp("paragraphs")
    make_projects(tmp / "projects")
    with notebook_lab(browser, tmp, USER, "paragraphs.ipynb", PROJECTS, viewport=(1280, 1000)) as lab:
        yield lab


@pytest.fixture
def checked(lab: Lab, request: pytest.FixtureRequest) -> Iterator[Lab]:
    """The shared page; the test fails on any uncaught page error or console error while it ran."""
    yield from checked_run(lab, request)


# the page boxes of code point `start` of phrase `a` and code point `end - 1` of phrase `b`
RANGE_BOXES = """([el, a, start, b, end]) => {
  const point = (phrase, cp) => {
    const box = el.querySelector(`[data-phrase-text="${phrase}"]`);
    for (const p of box.querySelectorAll('[data-o]')) {
      const o = Number(p.dataset.o), chars = [...p.textContent];
      if (cp >= o && cp <= o + chars.length) return [p.firstChild, chars.slice(0, cp - o).join('').length];
    }
    throw new Error('phrase ' + phrase + ' has no code point ' + cp);
  };
  const box = (phrase, from, to) => {
    const range = document.createRange();
    range.setStart(...point(phrase, from));
    range.setEnd(...point(phrase, to));
    return [...range.getClientRects()].filter((r) => r.width > 0);
  };
  const first = box(a, start, start + 1)[0];
  const lasts = box(b, end - 1, end);
  const last = lasts[lasts.length - 1];
  return { x0: first.left, y0: first.top + first.height / 2, x1: last.right, y1: last.top + last.height / 2 };
}"""


class ParagraphsWidget:
    def __init__(self, lab: Lab, name: str) -> None:
        self.lab = lab
        self.name = name
        self.page = lab.page
        self.root = lab.roots[name]
        self.phrases = self.root.locator(".lnb-paragraphs[data-object=dialogue]")
        self.root.scroll_into_view_if_needed()
        if "annotations" in PROJECTS[name][1]:
            # the task is labelled already, so the queue is done: Back opens it
            back = self.root.locator("[data-testid=back]")
            expect(back).to_be_enabled(timeout=60_000)
            if not self.phrases.count():
                back.click()
        expect(self.phrases).to_be_visible(timeout=60_000)

    def choose(self, label: str) -> None:
        chip = self.root.locator(f"[data-label-control=ner][data-label={label}]")
        chip.click()
        expect(chip).to_have_attribute("aria-pressed", "true")

    def drag_over(self, a: int, start: int, b: int, end: int) -> None:
        """Press just inside code point ``start`` of phrase ``a``, drag to just inside code point ``end - 1``
        of phrase ``b``, release."""
        self.phrases.scroll_into_view_if_needed()
        box = self.page.evaluate(RANGE_BOXES, [self.phrases.element_handle(), a, start, b, end])
        mouse = self.page.mouse
        mouse.move(box["x0"] + 1, box["y0"])
        mouse.down()
        mouse.move(box["x1"] - 1, box["y1"], steps=8)
        mouse.up()

    def submit(self, versions: int = 1) -> list[dict[str, Any]]:
        return submit_with_keys(self.lab, self.name, versions)


def values_of(result: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [it["value"] for it in result if it["type"] == "paragraphlabels"]


def test_dialogue_with_name_and_text_keys_labels_a_word(checked: Lab) -> None:
    w = ParagraphsWidget(checked, "dialogue")
    # the dialogue: one block per phrase with its speaker's name (text only) and colour
    names = w.phrases.locator(".lnb-phrase-name")
    expect(names).to_have_count(3)
    assert names.all_inner_texts() == [p["speaker"] for p in DIALOGUE]
    assert names.nth(2).locator("b, img").count() == 0
    assert w.page.evaluate("() => window.__pwned") is None
    colours = w.phrases.locator(".lnb-phrase").evaluate_all(
        "els => els.map((e) => e.style.getPropertyValue('--lnb-speaker'))"
    )
    assert all(colours)
    assert colours[0] != colours[1]
    assert w.root.locator(".lnb-unsupported, [data-unsupported]").count() == 0

    w.choose("Greeting")
    line = DIALOGUE[0]["line"]
    start = line.index("good")
    # a browser counts UTF-16 units: the emoji puts "good" one unit later there
    assert len(line[:start].encode("utf-16-le")) // 2 == start + 1
    w.drag_over(0, start, 0, start + 4)
    expect(w.phrases.locator(".lnb-span[data-region]")).to_have_text("good")
    shot(w.page, "paragraphs-dialogue")
    values = values_of(w.submit())
    assert values == [
        {
            "start": "0",
            "end": "0",
            "startOffset": start,
            "endOffset": start + 4,
            "text": "good",
            "paragraphlabels": ["Greeting"],
        }
    ]
    v = values[0]
    assert DIALOGUE[int(v["start"])]["line"][v["startOffset"] : v["endOffset"]] == "good"


def test_a_selection_across_two_phrases(checked: Lab) -> None:
    w = ParagraphsWidget(checked, "across")
    # the plain layout shows the default author key too, before each phrase
    expect(w.phrases.locator(".lnb-phrase-name").first).to_have_text("Alice")
    w.choose("Question")
    first, second = PLAIN[0]["text"], PLAIN[1]["text"]
    start = first.index("Bob")
    end = second.index("Alice") + len("Alice")
    w.drag_over(0, start, 1, end)
    pieces = w.phrases.locator(".lnb-span[data-region]")
    expect(pieces).to_have_count(2)
    assert pieces.all_inner_texts() == [first[start:], second[:end]]
    shot(w.page, "paragraphs-across")
    values = values_of(w.submit())
    assert values == [
        {
            "start": "0",
            "end": "1",
            "startOffset": start,
            "endOffset": end,
            "text": f"{first[start:]}\n{second[:end]}",
            "paragraphlabels": ["Question"],
        }
    ]


def test_label_studio_paragraph_spans_load_and_round_trip(checked: Lab) -> None:
    w = ParagraphsWidget(checked, "imported")
    tags = w.phrases.locator("[data-tag]")
    expect(tags).to_have_count(len(IMPORTED) - 1)
    assert sorted(tags.evaluate_all("els => els.map((e) => e.dataset.tag)")) == ["imp1", "imp2", "imp3"]
    # each span is drawn over its characters: imp1 on "Morning" of phrase 1, imp2 from phrase 0 to phrase 2
    texts = w.phrases.locator(".lnb-span").evaluate_all(
        "els => els.map((e) => [e.closest('[data-phrase-text]').dataset.phraseText, e.dataset.spans, e.textContent])"
    )
    covered: dict[str, list[tuple[str, str]]] = {}
    for phrase, ids, text in texts:
        for rid in ids.split():
            covered.setdefault(rid, []).append((phrase, text))
    assert "".join(t for _, t in covered["imp1"]) == "Morning"
    assert {p for p, _ in covered["imp2"]} == {"0", "1", "2"}
    assert "".join(t for p, t in covered["imp2"] if p == "0") == DIALOGUE[0]["line"][9:]
    assert "".join(t for p, t in covered["imp2"] if p == "2") == DIALOGUE[2]["line"][:4]
    assert "".join(t for _, t in covered["imp3"]) == "And you?"
    # the relation is an arc from the start of imp1 (phrase 1) down to imp3's (phrase 2)
    arc = w.phrases.locator(".lnb-span-arrows [data-relation='imp1>imp3'] path")
    expect(arc).to_have_count(1)
    d = [
        float(n)
        for n in (arc.get_attribute("d") or "").replace(",", " ").split()
        if n[0].isdigit() or n[0] == "-"
    ]
    starts = {
        rid: w.phrases.locator(f".lnb-span[data-spans~='{rid}']").first.evaluate(
            "(el, svg) => { const r = el.getClientRects()[0], f = svg.getBoundingClientRect();"
            " return [r.left - f.left, r.top - f.top, r.width]; }",
            w.phrases.locator(".lnb-span-arrows").element_handle(),
        )
        for rid in ("imp1", "imp3")
    }
    for (x, y), rid in (((d[0], d[1]), "imp1"), ((d[6], d[7]), "imp3")):
        left, top, width = starts[rid]
        assert left <= x <= left + width
        assert abs(y - top) < 1.5
    w.phrases.scroll_into_view_if_needed()
    shot(w.page, "paragraphs-imported")
    dark_shot(w.page, w.phrases, "paragraphs-imported-dark")
    w.phrases.click(position={"x": 2, "y": 2})  # the focus back in the widget
    result = w.submit(versions=2)
    by_id = lambda it: it.get("id", "~relation")  # noqa: E731
    assert sorted(result, key=by_id) == sorted(IMPORTED, key=by_id)
