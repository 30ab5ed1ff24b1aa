"""Label Studio results of each text, document and control type load into the widget and are stored
unchanged, in a real JupyterLab and a real Chromium.

Each project holds one task with an imported annotation whose result is written exactly as Label Studio
writes it (reference B.3/B.4 and the annotation JSON of Label Studio's editor examples,
web/libs/editor/src/examples/: named_entity, datetime, taxonomy, ranker_buckets, pairwise):
``labels`` spans on a Text (after non-BMP characters, so the offsets count code points), ``relation``
items with a direction and labels, ``taxonomy`` paths (nested three deep), nested ``choices``
(allowNested), ``rating``, ``datetime`` of every kind of ``only`` (and a ``format``, and perRegion on
spans), ``ranker`` (rank mode, and Buckets with the list's column ``_``), ``pairwise`` and ``chatmessage``.

A test opens its task with Back (the queue is done: the task is labelled), checks that every result is
shown where it belongs (a span over its characters, a taxonomy item ticked, a date in its input, a ranker
item in its column, the picked side, the added chat messages), submits it unchanged and compares what
the kernel stored with what was imported, item for item (ids, from_name/to_name/type/value; key order
aside), and checks it with ``LabelConfig.validate_result``. Then it touches the annotation (one edit),
undoes that edit and submits again: a codec that rewrites on touch shows there.

The ranker_buckets example has no ``id``, as Label Studio's docs write results: Label Studio's editor gives
such an item an id when it loads it and stores that id (Annotation.deserializeSingleResult), and so does the
widget; that id, the same in every later version, is the one difference allowed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Locator, expect

import labelnb as lnb
from labelnb.config import LabelConfig
from tests.e2e.notebook_lab import Lab, checked_run, notebook_lab, stored_answer
from tests.e2e.servers import ARTIFACTS
from tests.e2e.widget_page import wait_for

pytestmark = pytest.mark.e2e

USER = "roundtrip@example.org"
Item = dict[str, Any]

# -- text: spans, relations, taxonomy, nested choices, rating ------------------------------------------

SMILE = "\U0001f642"  # 1 code point, 2 UTF-16 units
SCIENTIST = "\U0001f469\u200d\U0001f52c"  # woman ZWJ microscope: 3 code points, 5 UTF-16 units
BANK = "\U0001f3e6"
TEXT = (
    f"{SMILE} {SCIENTIST} Zo\u00eb Adams works at {BANK} Acme Bank in Z\u00fcrich. {SMILE} Bob lives in Bern."
)
TEXT_CONFIG = """<View>
  <Labels name="ner" toName="text">
    <Label value="PER" background="#d62728"/><Label value="ORG" background="#1f77b4"/>
    <Label value="LOC" background="#2ca02c"/>
  </Labels>
  <Text name="text" value="$text"/>
  <Relations><Relation value="works at"/><Relation value="lives in"/></Relations>
  <Taxonomy name="topic" toName="text">
    <Choice value="Business"/>
    <Choice value="Science">
      <Choice value="Biology"><Choice value="Genetics"/><Choice value="Ecology"/></Choice>
      <Choice value="Physics"/>
    </Choice>
    <Choice value="Travel"/>
  </Taxonomy>
  <Choices name="kind" toName="text" allowNested="true" choice="multiple">
    <Choice value="News"><Choice value="Local"/><Choice value="World"/></Choice>
    <Choice value="Opinion"/>
  </Choices>
  <Rating name="stars" toName="text" maxRating="5"/>
</View>"""


def span(rid: str, sub: str, label: str) -> Item:
    """A Label Studio ``labels`` item over ``sub`` in TEXT (offsets in code points), as the editor writes it."""
    start = TEXT.index(sub)
    return {
        "value": {"start": start, "end": start + len(sub), "text": sub, "labels": [label]},
        "id": rid,
        "from_name": "ner",
        "to_name": "text",
        "type": "labels",
        "origin": "manual",
    }


SPANS = [
    span("zoe_Ad4ms", "Zo\u00eb Adams", "PER"),
    span("acme-B4nk", f"{BANK} Acme Bank", "ORG"),
    span("zUr1ch", "Z\u00fcrich", "LOC"),
    span("b0b", "Bob", "PER"),
    span("bern_", "Bern", "LOC"),
]
ZOE, ACME, ZURICH, BOB, BERN = (s["id"] for s in SPANS)
TEXT_RESULT: list[Item] = [
    *SPANS,
    {"from_id": ZOE, "to_id": ACME, "type": "relation", "direction": "right", "labels": ["works at"]},
    {"from_id": BERN, "to_id": BOB, "type": "relation", "direction": "left", "labels": ["lives in"]},
    {"from_id": ACME, "to_id": ZURICH, "type": "relation", "direction": "bi"},
    {
        "id": "1qI949lEoK",
        "from_name": "topic",
        "to_name": "text",
        "type": "taxonomy",
        "origin": "manual",
        "value": {"taxonomy": [["Business"], ["Science", "Biology", "Genetics"], ["Science", "Physics"]]},
    },
    {
        "id": "kInd_01",
        "from_name": "kind",
        "to_name": "text",
        "type": "choices",
        "origin": "manual",
        "value": {"choices": [["News"], ["News", "Local"], ["News", "World"], ["Opinion"]]},
    },
    {"id": "st4rs", "from_name": "stars", "to_name": "text", "type": "rating", "value": {"rating": 4}},
]

# -- dates: every `only`, a format, perRegion on spans (LSF example "datetime") ---------------------------

BIO = "Albert Einstein (14 March 1879 \u2013 18 April 1955) won the 1921 Nobel Prize in Physics."
DATES_CONFIG = """<View>
  <Labels name="label" toName="text"><Label value="birth"/><Label value="death"/></Labels>
  <Text name="text" value="$text"/>
  <DateTime name="when" toName="text"/>
  <DateTime name="day" toName="text" only="date"/>
  <DateTime name="clock" toName="text" only="time"/>
  <DateTime name="ym" toName="text" only="month,year" min="1900"/>
  <DateTime name="year" toName="text" only="year" min="1800"/>
  <DateTime name="full" toName="text" format="%d.%m.%Y %H:%M"/>
  <View visibleWhen="region-selected">
    <DateTime name="date" toName="text" perRegion="true" only="date" format="%Y-%m-%d"/>
  </View>
</View>"""


def bio_span(rid: str, sub: str, label: str) -> tuple[Item, Item]:
    """A span and its perRegion date, which repeats the span's geometry (reference B.3)."""
    start = BIO.index(sub)
    where = {"start": start, "end": start + len(sub), "text": sub}
    date = "1879-03-14" if label == "birth" else "1955-04-18"
    return (
        {
            "value": {**where, "labels": [label]},
            "id": rid,
            "from_name": "label",
            "to_name": "text",
            "type": "labels",
        },
        {
            "value": {**where, "datetime": date},
            "id": rid,
            "from_name": "date",
            "to_name": "text",
            "type": "datetime",
        },
    )


def when(rid: str, name: str, value: str) -> Item:
    return {"value": {"datetime": value}, "id": rid, "from_name": name, "to_name": "text", "type": "datetime"}


BIRTH, BIRTH_DATE = bio_span("NLn3WDm6w2", "14 March 1879", "birth")
DEATH, DEATH_DATE = bio_span("7vVaxtYJIc", "18 April 1955", "death")
DATES_RESULT: list[Item] = [
    BIRTH,
    BIRTH_DATE,
    DEATH,
    DEATH_DATE,
    when("w1", "when", "1991-05-22T09:17"),
    when("w2", "day", "1879-03-14"),
    when("w3", "clock", "09:45"),
    when("w4", "ym", "1955-04-01"),
    when("w5", "year", "1921-01-01"),
    when("xiMzVHO9fw", "full", "24.06.2022 17:01"),
]

# -- ranker: rank mode, and Buckets with the list's own column "_" --------------------------------------

RANKER_CONFIG = """<View>
  <List name="results" value="$items" title="Search results"/>
  <Ranker name="rank" toName="results"/>
  <List name="picks" value="$items" title="Search results"/>
  <Ranker name="pick" toName="picks">
    <Bucket name="relevant" title="Relevant"/>
    <Bucket name="biased" title="Biased"/>
  </Ranker>
  <List name="examples" value="$items" title="Search Results"/>
  <Ranker name="bucketed" toName="examples">
    <Bucket name="best" title="Best results"/>
    <Bucket name="ads" title="Paid results"/>
  </Ranker>
</View>"""
ITEMS = [
    {"id": "blog", "title": "10 tips to write a better function", "body": "Nothing worse than that."},
    {"id": "mdn", "title": "Arrow function expressions", "body": "A compact alternative."},
    {"id": "wiki", "title": "Arrow (computer science)", "body": "A type class."},
]
RANKED = {"rank": ["mdn", "wiki", "blog"]}
PICKED = {"_": ["wiki"], "relevant": ["mdn"], "biased": ["blog"]}
RANKER_RESULT: list[Item] = [
    {
        "id": "rAnk3r",
        "from_name": "rank",
        "to_name": "results",
        "type": "ranker",
        "origin": "manual",
        "value": {"ranker": RANKED},
    },
    {
        "id": "p1ck",
        "from_name": "pick",
        "to_name": "picks",
        "type": "ranker",
        "origin": "manual",
        "value": {"ranker": PICKED},
    },
    # LSF example "ranker_buckets", as it is: no id, no "_" (Label Studio's editor gives such an item an
    # id when it loads it, Annotation.deserializeSingleResult, and stores that id)
    {
        "from_name": "bucketed",
        "to_name": "examples",
        "type": "ranker",
        "value": {"ranker": {"best": ["mdn"], "ads": ["blog"]}},
    },
]

# -- pairwise (LSF example "pairwise") and chat messages ---------------------------------------------

PAIRWISE_CONFIG = """<View>
  <Pairwise name="pw" toName="text1,text2"/>
  <Text name="text1" value="$text1"/>
  <Text name="text2" value="$text2"/>
</View>"""
PAIRWISE_RESULT: list[Item] = [
    {
        "from_name": "pw",
        "id": "Dx_aB91ISN",
        "to_name": "pw",
        "type": "pairwise",
        "value": {"selected": "right"},
    },
]
CHAT_CONFIG = """<View>
  <Chat name="chat" value="$dialog" messageroles="user,assistant" editable="user"/>
</View>"""
DIALOG = [{"role": "user", "content": "Plan a trip to Lisbon, please."}]


def message(rid: str, role: str, content: str, at: int) -> Item:
    return {
        "id": rid,
        "from_name": "chat",
        "to_name": "chat",
        "type": "chatmessage",
        "origin": "manual",
        "value": {"chatmessage": {"role": role, "content": content, "createdAt": at}},
    }


CHAT_RESULT: list[Item] = [
    message("m_As1st", "assistant", f"Sure {SMILE} three days?", 1717430400123),
    message("m_Us3r", "user", "Yes, in May.", 1717430460456),
]

# project name -> (config, task data, imported result)
PROJECTS: dict[str, tuple[str, dict[str, Any], list[Item]]] = {
    "text": (TEXT_CONFIG, {"text": TEXT}, TEXT_RESULT),
    "dates": (DATES_CONFIG, {"text": BIO}, DATES_RESULT),
    "ranker": (RANKER_CONFIG, {"items": ITEMS}, RANKER_RESULT),
    "pairwise": (
        PAIRWISE_CONFIG,
        {"text1": "Death remembered.", "text2": "Life is but breath."},
        PAIRWISE_RESULT,
    ),
    "chat": (CHAT_CONFIG, {"dialog": DIALOG}, CHAT_RESULT),
}


@pytest.fixture(scope="module")
def lab(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    tmp = tmp_path_factory.mktemp("ls-roundtrip")
    for name, (config, data, result) in PROJECTS.items():
        LabelConfig.from_xml(config).validate_result(result, data)  # the imports are valid to begin with
        project = lnb.Project.create(tmp / "projects" / name, config=config)
        project.import_tasks(
            [{"data": data, "annotations": [{"completed_by": {"email": USER}, "result": result}]}]
        )
        project.close()
    with notebook_lab(browser, tmp, USER, "ls-roundtrip.ipynb", PROJECTS, viewport=(1280, 1000)) as lab:
        yield lab


@pytest.fixture
def checked(lab: Lab, request: pytest.FixtureRequest) -> Iterator[Lab]:
    yield from checked_run(lab, request)


def canonical(result: list[Item]) -> list[Item]:
    """The items in a fixed order (Label Studio does not care about their order; dicts compare by key)."""
    return sorted(
        result,
        key=lambda it: repr(
            (it.get("type"), it.get("id"), it.get("from_name"), it.get("from_id"), it.get("to_id"))
        ),
    )


class Widget:
    """One project's widget, on its imported annotation."""

    def __init__(self, lab: Lab, name: str, shown: str) -> None:
        self.lab = lab
        self.name = name
        self.page = lab.page
        self.root = lab.roots[name]
        self.config, self.data, self.imported = PROJECTS[name]
        self.shown = self.root.locator(shown)
        self.versions = 1  # the imported one
        #: the ids the widget gave the imported items that had none, by from_name
        self.given: dict[str, str] = {}
        self.open()

    def open(self) -> None:
        """Back to the task: the queue is done, it is labelled."""
        self.root.scroll_into_view_if_needed()
        back = self.root.locator("[data-testid=back]")
        expect(back).to_be_enabled(timeout=60_000)
        back.click()
        expect(self.shown.first).to_be_visible(timeout=30_000)

    def shot(self, name: str) -> None:
        """A screenshot of the whole widget (taller than the window too) in test-artifacts/e2e/."""
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.root.screenshot(path=str(ARTIFACTS / f"{name}.png"))

    def focus(self) -> None:
        """The keyboard in the widget, on a bare spot of it (for Ctrl+Z)."""
        self.root.focus()

    def undo(self) -> None:
        self.focus()
        self.page.keyboard.press("Control+z")

    def submit(self) -> list[Item]:
        """Submit with the button; the new version of the answer the kernel stored."""
        self.root.locator("[data-testid=submit]").click()
        self.versions += 1
        banner = self.root.locator("[data-testid=error]")

        def answer() -> list[Item] | None:
            count, result = stored_answer(self.lab.workdir, self.name)
            if count < self.versions and banner.count():
                raise AssertionError(f"the widget refused to submit: {banner.inner_text()}")
            return result if count >= self.versions else None

        return wait_for(answer, f"version {self.versions} of the answer to {self.name} in the store")

    def assert_stored_unchanged(self) -> None:
        """Stored as imported; an item that came without an id has one now, the same in every version."""
        result = self.submit()
        idless = {it["from_name"] for it in self.imported if "id" not in it and it["type"] != "relation"}
        for it in result:
            if it.get("from_name") in idless:
                given = self.given.setdefault(it["from_name"], it["id"])
                assert isinstance(given, str), it
                assert given, it
                assert it["id"] == given, it
        bare = [
            {k: v for k, v in it.items() if not (k == "id" and it.get("from_name") in idless)}
            for it in result
        ]
        assert canonical(bare) == canonical(self.imported)
        LabelConfig.from_xml(self.config).validate_result(result, self.data)


def spans_shown(text: Locator) -> dict[str, str]:
    """Span id -> the text drawn under it (its pieces joined)."""
    pieces = text.locator(".lnb-span").evaluate_all("els => els.map((e) => [e.dataset.spans, e.textContent])")
    out: dict[str, str] = {}
    for ids, piece in pieces:
        for rid in ids.split():
            out[rid] = out.get(rid, "") + piece
    return out


def test_spans_relations_taxonomy_nested_choices_and_rating(checked: Lab) -> None:
    w = Widget(checked, "text", ".lnb-spans[data-object=text]")
    text = w.shown
    # each span over its characters (code points after the emoji and the ZWJ sequence)
    assert spans_shown(text) == {s["id"]: s["value"]["text"] for s in SPANS}
    for s in SPANS:
        expect(text.locator(f"[data-tag='{s['id']}']")).to_have_text(s["value"]["labels"][0])
    # the relations, each with its direction and labels
    relations = w.root.locator("[data-relation-item]")
    expect(relations).to_have_count(3)
    ends = {(it["from_id"], it["to_id"]): it for it in TEXT_RESULT if it["type"] == "relation"}
    arrows = {"right": "\u2192", "left": "\u2190", "bi": "\u2194"}
    for (a, b), it in ends.items():
        row = w.root.locator(f"[data-relation-item='{a}>{b}']")
        expect(row.locator("[data-action=direction]")).to_have_text(arrows[it["direction"]])
        on = row.locator(".lnb-relation-label.lnb-active")
        assert on.all_inner_texts() == it.get("labels", [])
    # the taxonomy items, nested ones too, as chips and ticked in the tree
    topic = w.root.locator("[data-control=topic]")
    picked = topic.locator("[data-picked]").evaluate_all("els => els.map((e) => e.dataset.picked)")
    assert picked == ["Business", "Science/Biology/Genetics", "Science/Physics"]
    topic.locator("[data-action=taxonomy]").click()
    topic.locator("[data-path='Science'] > .lnb-tax-row [data-action=expand]").click()
    topic.locator("[data-path='Science/Biology'] > .lnb-tax-row [data-action=expand]").click()
    tick = lambda path: topic.locator(f"[data-path='{path}'] > .lnb-tax-row input")  # noqa: E731
    for path in ("Business", "Science/Biology/Genetics", "Science/Physics"):
        expect(tick(path)).to_be_checked()
    for path in ("Travel", "Science", "Science/Biology", "Science/Biology/Ecology"):
        expect(tick(path)).not_to_be_checked()

    # nested choices: the branch and its leaves on
    def kind(path: str) -> Locator:
        return w.root.locator(f"[data-control=kind] [data-path='{path}'] > .lnb-nested-row .lnb-choice")

    for path in ("News", "News/Local", "News/World", "Opinion"):
        expect(kind(path)).to_have_attribute("aria-checked", "true")
    # four stars of five
    stars = w.root.locator("[data-control=stars] [data-rating]")
    expect(stars.nth(3)).to_have_attribute("aria-checked", "true")
    expect(w.root.locator("[data-control=stars] .lnb-star.lnb-on")).to_have_count(4)
    text.scroll_into_view_if_needed()
    w.shot("ls-roundtrip-text")
    topic.locator("[data-action=taxonomy]").click()  # closed again
    w.assert_stored_unchanged()

    # touched and undone: a span deleted (with its two relations), a taxonomy item removed, a choice off
    w.open()
    w.root.locator(f"[data-region-item='{ACME}'] [data-action=delete]").click()
    expect(text.locator(f"[data-tag='{ACME}']")).to_have_count(0)
    expect(relations).to_have_count(1)
    w.undo()
    expect(text.locator(f"[data-tag='{ACME}']")).to_have_count(1)
    expect(relations).to_have_count(3)
    topic.locator("[data-picked='Science/Physics'] button").click()
    expect(topic.locator("[data-picked]")).to_have_count(2)
    w.undo()
    expect(topic.locator("[data-picked]")).to_have_count(3)
    kind("News/Local").click()
    expect(kind("News")).to_have_attribute("aria-checked", "mixed")
    w.undo()
    expect(kind("News")).to_have_attribute("aria-checked", "true")
    w.assert_stored_unchanged()


def test_datetimes_of_every_kind_and_per_region(checked: Lab) -> None:
    w = Widget(checked, "dates", ".lnb-spans[data-object=text]")
    part = lambda control, which: w.root.locator(f"[data-control={control}] [data-part={which}]")  # noqa: E731
    assert spans_shown(w.shown) == {BIRTH["id"]: "14 March 1879", DEATH["id"]: "18 April 1955"}
    expect(part("when", "date")).to_have_value("1991-05-22")
    expect(part("when", "time")).to_have_value("09:17")
    expect(part("day", "date")).to_have_value("1879-03-14")
    expect(part("day", "time")).to_have_count(0)
    expect(part("clock", "time")).to_have_value("09:45")
    expect(part("clock", "date")).to_have_count(0)
    expect(part("ym", "month")).to_have_value("4")
    expect(part("ym", "year")).to_have_value("1955")
    expect(part("year", "year")).to_have_value("1921")
    expect(part("full", "date")).to_have_value("2022-06-24")
    expect(part("full", "time")).to_have_value("17:01")
    # the perRegion date shows with its span
    for region, value in ((BIRTH["id"], "1879-03-14"), (DEATH["id"], "1955-04-18")):
        w.root.locator(f"[data-region-item='{region}'] .lnb-region-pick").click()
        expect(
            w.root.locator(f"[data-control=date][data-region-for='{region}'] [data-part=date]")
        ).to_have_value(value)
    w.shot("ls-roundtrip-dates")
    w.page.keyboard.press("Escape")
    w.assert_stored_unchanged()

    # touched and undone: a year picked, a month picked
    w.open()
    part("year", "year").select_option("1950")
    part("ym", "month").select_option("7")
    expect(part("ym", "month")).to_have_value("7")
    w.undo()
    w.undo()
    expect(part("year", "year")).to_have_value("1921")
    expect(part("ym", "month")).to_have_value("4")
    w.assert_stored_unchanged()


def test_ranker_in_rank_mode_and_with_buckets(checked: Lab) -> None:
    w = Widget(checked, "ranker", "[data-ranker]")
    column = lambda ranker, col: w.root.locator(f"[data-ranker={ranker}] [data-column='{col}'] [data-item]")  # noqa: E731
    order = lambda ranker, col: column(ranker, col).evaluate_all("els => els.map((e) => e.dataset.item)")  # noqa: E731
    expect(column("rank", "rank")).to_have_count(3)
    assert order("rank", "rank") == RANKED["rank"]
    for col, ids in PICKED.items():
        assert order("pick", col) == ids, col
    # the example without an id: its buckets, the item it leaves out in the list's column
    for col, ids in {"_": ["wiki"], "best": ["mdn"], "ads": ["blog"]}.items():
        assert order("bucketed", col) == ids, col
    w.shot("ls-roundtrip-ranker")
    w.assert_stored_unchanged()

    # touched and undone: an item moved up, one moved into another bucket (in both bucket boards)
    w.open()
    w.root.locator("[data-ranker=rank] [data-item=wiki] [data-move=up]").click()
    wait_for(lambda: order("rank", "rank") == ["wiki", "mdn", "blog"], "wiki on top")
    w.root.locator("[data-ranker=pick] [data-item=wiki] [data-move=right]").click()
    wait_for(lambda: order("pick", "relevant") == ["mdn", "wiki"], "wiki among the relevant")
    w.root.locator("[data-ranker=bucketed] [data-item=wiki] [data-move=right]").click()
    wait_for(lambda: order("bucketed", "best") == ["mdn", "wiki"], "wiki among the best of the example")
    for _ in range(3):
        w.undo()
    wait_for(
        lambda: (
            order("rank", "rank") == RANKED["rank"]
            and order("pick", "_") == ["wiki"]
            and order("bucketed", "_") == ["wiki"]
        ),
        "the boards back",
    )
    w.assert_stored_unchanged()


def test_pairwise_pick(checked: Lab) -> None:
    w = Widget(checked, "pairwise", "[data-pairwise=pw]")
    right = w.root.locator("[data-pairwise=pw][data-side=right]")
    left = w.root.locator("[data-pairwise=pw][data-side=left]")
    expect(right).to_have_attribute("data-picked", "true")
    expect(left).not_to_have_attribute("data-picked", "true")
    expect(w.root.locator("[data-pick=right]")).to_have_attribute("aria-pressed", "true")
    w.shot("ls-roundtrip-pairwise")
    w.assert_stored_unchanged()

    w.open()
    w.root.locator("[data-pick=left]").click()
    expect(left).to_have_attribute("data-picked", "true")
    w.undo()
    expect(right).to_have_attribute("data-picked", "true")
    w.assert_stored_unchanged()


def test_chat_messages(checked: Lab) -> None:
    w = Widget(checked, "chat", "[data-chat=chat]")
    chat = w.shown
    msgs = chat.locator(".lnb-chat-msg")
    expect(msgs).to_have_count(1 + len(CHAT_RESULT))
    own = chat.locator(".lnb-chat-msg.lnb-own")
    shown = own.evaluate_all(
        "els => els.map((e) => [e.dataset.role, e.querySelector('.lnb-chat-text').textContent])"
    )
    assert shown == [
        [m["value"]["chatmessage"]["role"], m["value"]["chatmessage"]["content"]] for m in CHAT_RESULT
    ]
    w.shot("ls-roundtrip-chat")
    w.assert_stored_unchanged()

    w.open()
    own.nth(0).locator("[data-action=delete-message]").click()
    expect(own).to_have_count(1)
    w.undo()
    expect(own).to_have_count(2)
    w.assert_stored_unchanged()
