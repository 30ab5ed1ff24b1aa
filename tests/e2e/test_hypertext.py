"""HyperText with HyperTextLabels (and Labels), made with a real mouse and keyboard in a real JupyterLab,
checked in the store against Label Studio's own values.

One JupyterLab serves the module and one notebook holds one widget per project. A HyperText span is Label
Studio's ``{start, startOffset, end, endOffset, globalOffsets: {start, end}, text, hypertextlabels}``
(LSF:regions/RichTextRegion.js serialize, tags/object/RichText/domManager.ts): XPaths from the root of the
shown document to text nodes, offsets into those nodes in UTF-16 units, global offsets counting code points
of every text node and one per ``<br>``, the text a browser's selection reads with line breaks spelled
``\\n``. What the tests compare against comes from outside the widget:

- Label Studio itself: its end-to-end test "Richtext edge cases" selects four ranges of one HTML and
  asserts what its editor serialises (``LS_EDGE``); the same four selections made here with the mouse must
  store exactly those values, and those values loaded must be drawn over the same characters and come back
  unchanged. Its example annotation ``html_document`` (an invoice, XPaths into a 39-row table, no
  globalOffsets; tests/fixtures/label_studio/html_document.json, the file as Label Studio ships it) loads
  onto "Michael", "Michael" and "Company Name" and is stored unchanged when submitted unchanged.
- The browser's own parser: for new spans the expected XPaths and offsets are computed in the page from the
  task's raw HTML parsed by ``DOMParser`` (everything kept, as Label Studio's sanitiser keeps it, but
  scripts and iframes), not from the widget's sanitised document, so a sanitiser that shifted a node would
  fail; the expected text is what the page's selection read when the mouse was released.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

import labelnb as lnb
from tests.e2e.notebook_lab import Lab, checked_run, notebook_lab, submit_with_keys
from tests.e2e.widget_page import shot

pytestmark = pytest.mark.e2e

USER = "reader@example.org"
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "label_studio" / "html_document.json"
EMOJI = "\U0001f600"  # 1 code point, 2 UTF-16 units

# Label Studio's e2e/tests/richtext-edge-cases: its config and HTML, and the values it asserts for the
# selections of global offsets [20, 28), [21, 25), [0, 28) and [11, 18), in that order
LS_EDGE_CONFIG = """<View>
    <Labels name="label" toName="html">
        <Label value="Highlight" background="rgb(255, 64, 182)" />
    </Labels>
    <HyperText name="html" value="$html" />
</View>"""
LS_EDGE_HTML = """<p>This
is an <u><span>e</span><span>x</span><span>a</span><span>m</span><span>p</span><span>l</span><span>e</span></u><br/> of 
<abbr tytle="HyperText Markup Language"><b>HTML</b></abbr>
</p>"""  # noqa: W291 (Label Studio's trailing space is part of the data)
LS_EDGE = [
    {"start": "/p[1]/text()[2]", "end": "/p[1]/abbr[1]/b[1]/text()[1]", "startOffset": 1, "endOffset": 4,
     "globalOffsets": {"start": 20, "end": 28}, "text": "of HTML", "labels": ["Highlight"]},
    {"start": "/p[1]/text()[2]", "end": "/p[1]/abbr[1]/b[1]/text()[1]", "startOffset": 2, "endOffset": 1,
     "globalOffsets": {"start": 21, "end": 25}, "text": "f H", "labels": ["Highlight"]},
    {"start": "/p[1]/text()[1]", "end": "/p[1]/abbr[1]/b[1]/text()[1]", "startOffset": 0, "endOffset": 4,
     "globalOffsets": {"start": 0, "end": 28}, "text": "This is an example\\nof HTML", "labels": ["Highlight"]},
    {"start": "/p[1]/u[1]/span[1]/text()[1]", "end": "/p[1]/u[1]/span[7]/text()[1]", "startOffset": 0,
     "endOffset": 1, "globalOffsets": {"start": 11, "end": 18}, "text": "example", "labels": ["Highlight"]},
]  # fmt: skip
LS_EDGE_SHOWN = ["of \nHTML", "f \nH", "This\nis an example of \nHTML", "example"]

# Label Studio's examples/html_document: its config, and the task with its annotation as shipped
INVOICE_CONFIG = """<View>
  <HyperTextLabels name="ner" toName="text">
    <Label value="Person" background="green"/>
    <Label value="Organization" background="blue"/>
  </HyperTextLabels>
  <HyperText name="text" value="$text"/>
</View>"""
INVOICE = json.loads(FIXTURE.read_text(encoding="utf-8"))

NER_CONFIG = """<View>
  <HyperTextLabels name="ner" toName="page">
    <Label value="PER" background="#2ca02c"/><Label value="ORG" background="#1f77b4"/><Label value="LOC"/>
  </HyperTextLabels>
  <HyperText name="page" value="$html"{attrs}/>
</View>"""
# HTML written inside the HyperText tag is its value, as in Label Studio (core/Tree.tsx); the task's "html"
# holds the same HTML only so that the test's model of it can compute the expected paths
WRITTEN_HTML = "<p>Call <b>Ann Lee</b> at <i>Acme</i> today.</p>"
WRITTEN_CONFIG = f"""<View>
  <HyperTextLabels name="ner" toName="page"><Label value="PER"/><Label value="ORG"/></HyperTextLabels>
  <HyperText name="page">{WRITTEN_HTML}</HyperText>
</View>"""
NESTED_HTML = (
    f"<h3>Board {EMOJI} news</h3><p>The <b>Bank of <i>Northern</i> Scotland</b> board met Ann "
    "in <a>Zürich</a>.</p><table><tr><td>Alice <b>Smith</b></td><td>Acme <i>Corp</i> Ltd</td></tr></table>"
)
# what this profile drops but Label Studio keeps, around the words to label: a form and its fields, a style
# sheet, an svg with text, a head element; the XPaths must still count them as Label Studio does
STUBS_HTML = (
    "<title>Doc</title><form><p>Alice <input value=x> <b>Smith</b></p><select><option>one</option></select>"
    "</form><style>p { color: red }</style><svg><text>svg words</text></svg><p>met <u>Bob</u> in Oslo</p>"
)
LINKS_HTML = (
    '<p>Read <a href="https://example.org/page?a=1">the page</a>, not <a href="javascript:window.__pwned=1">'
    "this</a> or <a href='/relative'>that</a>.</p>"
)

# name -> (config, task)
PROJECTS: dict[str, tuple[str, dict[str, Any]]] = {
    "edge": (LS_EDGE_CONFIG, {"html": LS_EDGE_HTML}),
    "edge_loaded": (
        LS_EDGE_CONFIG,
        {
            "data": {"html": LS_EDGE_HTML},
            "annotations": [
                {
                    "completed_by": {"email": USER},
                    "result": [
                        {
                            "id": f"ls{i}",
                            "from_name": "label",
                            "to_name": "html",
                            "type": "labels",
                            "value": v,
                        }
                        for i, v in enumerate(LS_EDGE)
                    ],
                }
            ],
        },
    ),
    "invoice": (
        INVOICE_CONFIG,
        {
            "data": INVOICE["data"],
            "annotations": [{"completed_by": {"email": USER}, "result": INVOICE["annotations"][0]["result"]}],
        },
    ),
    "nested": (NER_CONFIG.format(attrs=""), {"html": NESTED_HTML}),
    "written": (WRITTEN_CONFIG, {"html": WRITTEN_HTML}),
    "click": (NER_CONFIG.format(attrs=""), {"html": f"<p>Hi {EMOJI} <b>Bob</b> and Ann</p>"}),
    "keyboard": (NER_CONFIG.format(attrs=""), {"html": f"<p>Hi {EMOJI} <b>Bob</b> and Ann</p>"}),
    "stubs": (NER_CONFIG.format(attrs=""), {"html": STUBS_HTML}),
    "stubs_inline": (NER_CONFIG.format(attrs=' inline="true"'), {"html": STUBS_HTML}),
    "links": (NER_CONFIG.format(attrs=' clickableLinks="true"'), {"html": LINKS_HTML}),
    "no_links": (NER_CONFIG.format(attrs=""), {"html": LINKS_HTML}),
}


def make_projects(workdir: Path) -> None:
    for name, (config, task) in PROJECTS.items():
        project = lnb.Project.create(workdir / name, config=config)
        project.import_tasks([task])
        project.close()


@pytest.fixture(scope="module")
def lab(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    tmp = tmp_path_factory.mktemp("hypertext")
    make_projects(tmp / "projects")
    with notebook_lab(browser, tmp, USER, "hypertext.ipynb", PROJECTS, viewport=(1280, 1000)) as lab:
        # what the page's selection reads when a mouse button is released, before the widget sees it
        lab.page.evaluate(
            "() => window.addEventListener('mouseup', () => { window.__released = String(getSelection()); }, true)"
        )
        yield lab


@pytest.fixture
def checked(lab: Lab, request: pytest.FixtureRequest) -> Iterator[Lab]:
    yield from checked_run(lab, request)


# -- in the page -----------------------------------------------------------------------------------------

# Label Studio's coordinates over the task's HTML as a browser parses it (for the tests' expectations):
# global offsets of every text node (code points) and <br>, and each text node's XPath
LS_MODEL = """([html, inline]) => {
  const doc = new DOMParser().parseFromString(inline ? '' : html, 'text/html');
  let root = doc.body;
  if (inline) { root = doc.createElement('div'); root.setHTMLUnsafe(html); }
  root.querySelectorAll('script, iframe').forEach((el) => el.remove());
  const comments = doc.createTreeWalker(root, NodeFilter.SHOW_COMMENT), dead = [];
  for (let c = comments.nextNode(); c; c = comments.nextNode()) dead.push(c);
  dead.forEach((c) => c.remove());
  root.normalize();
  const blocks = [];
  let at = 0;
  const walk = (parent, prefix) => {
    const ranks = {};
    for (const child of parent.childNodes) {
      const name = child.nodeType === 3 ? 'text()' : child.nodeName.toLowerCase();
      ranks[name] = (ranks[name] || 0) + 1;
      const path = `${prefix}/${name}[${ranks[name]}]`;
      if (child.nodeType === 3) {
        const size = [...child.data].length;
        blocks.push({ path, start: at, end: at + size, data: child.data });
        at += size;
      } else if (child.nodeName === 'BR') at += 1;
      else walk(child, path);
    }
  };
  walk(root, '');
  return { blocks, length: at };
}"""

# the boxes of global offsets [start, end) in the shown document (counted over its text nodes and <br>s)
GLOBAL_BOXES = """([doc, start, end]) => {
  const points = [];
  const walk = document.createTreeWalker(doc, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
  let at = 0;
  const find = (g, side) => {
    let pos = 0;
    const w = document.createTreeWalker(doc, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
    for (let n = w.nextNode(); n; n = w.nextNode()) {
      if (n.nodeType === 1) { if (n.nodeName === 'BR') pos += 1; continue; }
      const cps = [...n.data];
      const inside = side === 'start' ? g >= pos && g < pos + cps.length : g > pos && g <= pos + cps.length;
      if (inside) return [n, cps.slice(0, g - pos).join('').length];
      pos += cps.length;
    }
    throw new Error('no text node holds global offset ' + g);
  };
  const [sn, so] = find(start, 'start');
  const [en, eo] = find(end, 'end');
  const first = document.createRange(); first.setStart(sn, so); first.setEnd(sn, so + [...sn.data.slice(so)][0].length);
  const lastLen = [...en.data.slice(0, eo)].pop().length;
  const last = document.createRange(); last.setStart(en, eo - lastLen); last.setEnd(en, eo);
  const a = first.getBoundingClientRect(), b = last.getBoundingClientRect();
  return { x0: a.left, y0: a.top + a.height / 2, x1: b.right, y1: b.top + b.height / 2 };
}"""


class HyperTextWidget:
    def __init__(self, lab: Lab, name: str) -> None:
        self.lab = lab
        self.name = name
        self.page = lab.page
        self.root = lab.roots[name]
        self.doc = self.root.locator(".lnb-hypertext-doc")
        self.root.scroll_into_view_if_needed()
        task = PROJECTS[name][1]
        if "annotations" in task:
            # the task is answered already, so the queue is done: Back opens it
            back = self.root.locator("[data-testid=back]")
            expect(back).to_be_enabled(timeout=60_000)
            if not self.doc.count():
                back.click()
        expect(self.doc).to_be_visible(timeout=60_000)
        data = task.get("data", task)
        self.html: str = data.get("html", data.get("text"))
        self.inline = 'inline="true"' in PROJECTS[name][0]

    def choose(self, label: str, control: str = "ner") -> None:
        chip = self.root.locator(f"[data-label-control={control}][data-label={label}]")
        chip.click()
        expect(chip).to_have_attribute("aria-pressed", "true")

    def drag(self, start: int, end: int) -> None:
        """Press just inside the character at global offset ``start``, drag to just inside the end of the
        character before ``end``, release."""
        self.doc.scroll_into_view_if_needed()
        box = self.page.evaluate(GLOBAL_BOXES, [self.doc.element_handle(), start, end])
        mouse = self.page.mouse
        mouse.move(box["x0"] + 1, box["y0"])
        mouse.down()
        mouse.move(box["x1"] - 1, box["y1"], steps=8)
        mouse.up()

    def released(self) -> str:
        """What the page's selection read when the mouse was last released, line breaks as Label Studio spells them."""
        text = self.page.evaluate("() => window.__released")
        return text.replace("\r", "\\n").replace("\n", "\\n")

    def model(self) -> dict[str, Any]:
        return self.page.evaluate(LS_MODEL, [self.html, self.inline])

    def expected(
        self, start: int, end: int, text: str, labels: list[str], key: str = "hypertextlabels"
    ) -> dict[str, Any]:
        """The value Label Studio stores for global offsets [start, end) of this task's HTML (its model)."""
        blocks = self.model()["blocks"]
        a = next(b for b in blocks if b["start"] <= start < b["end"])
        z = next(b for b in blocks if b["start"] < end <= b["end"])

        def units(b: dict[str, Any], g: int) -> int:
            return len("".join(list(b["data"])[: g - b["start"]]).encode("utf-16-le")) // 2

        return {
            "start": a["path"],
            "startOffset": units(a, start),
            "end": z["path"],
            "endOffset": units(z, end),
            "globalOffsets": {"start": start, "end": end},
            "text": text,
            key: labels,
        }

    def global_of(self, sub: str, nth: int = 0) -> tuple[int, int]:
        """Global offsets of the ``nth`` occurrence of ``sub`` inside one text node of the task's HTML."""
        seen = 0
        for b in self.model()["blocks"]:
            at = -1
            while True:
                at = b["data"].find(sub, at + 1)
                if at < 0:
                    break
                if seen == nth:
                    start = b["start"] + len(list(b["data"][:at]))
                    return start, start + len(list(sub))
                seen += 1
        raise AssertionError(f"{sub!r} is in no text node of {self.name}")

    def shown(self, region: str) -> str:
        """The characters drawn as region ``region``."""
        return "".join(self.doc.locator(f".lnb-span[data-spans~='{region}']").all_text_contents())

    def submit(self, versions: int = 1) -> list[dict[str, Any]]:
        return submit_with_keys(self.lab, self.name, versions)


def values(result: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [it["value"] for it in result]


# -- tests -----------------------------------------------------------------------------------------------


def test_label_studios_edge_case_made_with_the_mouse_stores_label_studios_values(checked: Lab) -> None:
    w = HyperTextWidget(checked, "edge")
    w.choose("Highlight", control="label")  # it stays chosen
    for v in LS_EDGE:
        w.drag(v["globalOffsets"]["start"], v["globalOffsets"]["end"])
        w.page.keyboard.press("Escape")  # deselect the new span: the next chip click would relabel it
    expect(w.doc.locator("[data-tag]")).to_have_count(4)
    shot(w.page, "hypertext-edge-made")
    result = w.submit()
    assert [(it["type"], it["from_name"], it["to_name"]) for it in result] == [
        ("labels", "label", "html")
    ] * 4
    assert values(result) == LS_EDGE


def test_label_studios_edge_case_values_load_onto_the_same_characters_and_come_back_unchanged(
    checked: Lab,
) -> None:
    w = HyperTextWidget(checked, "edge_loaded")
    for i, shown in enumerate(LS_EDGE_SHOWN):
        assert w.shown(f"ls{i}") == shown
    shot(w.page, "hypertext-edge-loaded")
    w.doc.click(position={"x": 2, "y": 2})
    result = w.submit(versions=2)
    assert result == PROJECTS["edge_loaded"][1]["annotations"][0]["result"]


def test_label_studios_html_document_example_loads_and_is_stored_unchanged(checked: Lab) -> None:
    w = HyperTextWidget(checked, "invoice")
    original = INVOICE["annotations"][0]["result"]
    for item in original:
        assert w.shown(item["id"]) == item["value"]["text"]
    # on the cells the XPaths name: row 11's third and fifth cells, row 3's third
    cells = w.doc.evaluate(
        """(doc, ids) => ids.map((id) => { const td = doc.querySelector(`[data-spans~="${id}"]`).closest('td');
             return [[...td.parentElement.parentElement.children].indexOf(td.parentElement) + 1,
                     [...td.parentElement.children].filter((c) => c.tagName === 'TD').indexOf(td) + 1]; })""",
        [it["id"] for it in original],
    )
    assert cells == [[11, 3], [11, 5], [3, 3]]
    w.root.evaluate("el => el.scrollIntoView({block: 'start'})")
    shot(w.page, "hypertext-invoice-loaded")
    w.doc.click(position={"x": 2, "y": 2})
    stored = w.submit(versions=2)
    assert stored == original
    assert json.dumps(stored) == json.dumps(original)  # the same keys in the same order, "source" included


def test_a_mouse_selection_across_cells_and_into_nested_elements(checked: Lab) -> None:
    w = HyperTextWidget(checked, "nested")
    # from inside <b> of one cell to inside <i> of the next
    smith, _ = w.global_of("Smith")
    _, corp = w.global_of("Corp")
    w.choose("ORG")
    w.drag(smith + 2, corp - 1)  # "ith" ... "Cor"
    across = w.released()
    expect(w.doc.locator(".lnb-span[data-region]").first).to_be_visible()
    w.page.keyboard.press("Escape")
    # from plain text of a paragraph into the <i> nested in a <b>
    the, _ = w.global_of("The")
    _, northern = w.global_of("Northern")
    w.choose("LOC")
    w.drag(the, northern)
    into = w.released()
    w.page.keyboard.press("Escape")
    # nested and overlapping: "Bank of Northern Scotland" inside the span just made, "Northern" inside both
    bank, _ = w.global_of("Bank of ")
    _, scotland = w.global_of(" Scotland")
    w.choose("ORG")
    w.drag(bank, scotland)
    w.page.keyboard.press("Escape")
    north = w.global_of("Northern")
    w.choose("PER")
    w.drag(*north)
    expect(w.doc.locator("[data-tag]")).to_have_count(4)
    w.root.scroll_into_view_if_needed()
    shot(w.page, "hypertext-nested")
    stored = values(w.submit())
    assert stored == [
        w.expected(smith + 2, corp - 1, across, ["ORG"]),
        w.expected(the, northern, into, ["LOC"]),
        w.expected(bank, scotland, "Bank of Northern Scotland", ["ORG"]),
        w.expected(*north, "Northern", ["PER"]),
    ]
    assert across.startswith("ith")
    assert across.endswith("Cor")
    assert "Acme" in across
    assert into == "The Bank of Northern"


def test_html_written_inside_the_tag_is_shown_and_labelled(checked: Lab) -> None:
    w = HyperTextWidget(checked, "written")
    expect(w.doc.locator("b")).to_have_text("Ann Lee")
    expect(w.doc).to_have_text("Call Ann Lee at Acme today.")
    ann = w.global_of("Ann Lee")
    w.choose("PER")
    w.drag(*ann)
    expect(w.doc.locator(".lnb-span[data-region]")).to_have_text("Ann Lee")
    assert values(w.submit()) == [w.expected(*ann, "Ann Lee", ["PER"])]


def test_a_span_is_selected_by_a_click_deleted_with_delete_and_back_with_undo(checked: Lab) -> None:
    w = HyperTextWidget(checked, "click")
    bob = w.global_of("Bob")
    w.choose("PER")
    w.drag(*bob)
    piece = w.doc.locator(".lnb-span[data-region]")
    expect(piece).to_have_text("Bob")
    selected = re.compile(r"\blnb-selected\b")
    expect(piece).to_have_class(selected)  # a new span is selected
    w.page.keyboard.press("Escape")
    expect(piece).not_to_have_class(selected)
    piece.click()
    expect(piece).to_have_class(selected)
    expect(w.root.locator(".lnb-region-item.lnb-selected")).to_have_count(1)
    w.page.keyboard.press("Delete")
    expect(piece).to_have_count(0)
    w.page.keyboard.press("Control+z")
    expect(piece).to_have_text("Bob")
    assert values(w.submit()) == [w.expected(*bob, "Bob", ["PER"])]


def test_the_keyboard_selects_and_labels(checked: Lab) -> None:
    w = HyperTextWidget(checked, "keyboard")
    keyboard = w.page.keyboard
    ann = w.global_of("Ann")
    bob = w.global_of("Bob")
    caret = w.root.locator(".lnb-ht-caret")
    # a click puts the caret before "Ann"; Shift+Ctrl+arrow selects to the word's end (the text's end too)
    box = w.page.evaluate(GLOBAL_BOXES, [w.doc.element_handle(), ann[0], ann[1]])
    w.page.mouse.click(box["x0"] + 1, box["y0"])
    keyboard.press("Shift+Control+ArrowRight")
    expect(caret).to_have_attribute("data-caret", str(ann[1]))
    assert w.page.evaluate("() => String(getSelection())") == "Ann"
    keyboard.press("Enter")  # no label chosen: the widget asks for one and makes nothing
    expect(w.root.locator("[data-notice=ner]")).to_contain_text("Choose a label")
    keyboard.press(w.root.locator("[data-label-control=ner][data-label=LOC] kbd").inner_text())
    expect(w.doc.locator(".lnb-span[data-region]")).to_have_text("Ann")
    # back to "Bob" from where the span ended: Left over "Ann", the spaces and "and" (8 characters), then
    # three Shift+Left, out of the text node into the <b>
    keyboard.press("Escape")
    w.doc.focus()
    for _ in range(8):
        keyboard.press("ArrowLeft")
    expect(caret).to_have_attribute("data-caret", str(bob[1]))
    for _ in range(3):
        keyboard.press("Shift+ArrowLeft")
    assert w.page.evaluate("() => String(getSelection())") == "Bob"
    w.root.locator("[data-label-control=ner][data-label=PER]").click()  # a chip labels the pending selection
    expect(w.doc.locator(".lnb-span[data-region]")).to_have_count(2)
    shot(w.page, "hypertext-keyboard")
    assert values(w.submit()) == [w.expected(*ann, "Ann", ["LOC"]), w.expected(*bob, "Bob", ["PER"])]


@pytest.mark.parametrize("name", ["stubs", "stubs_inline"])
def test_what_the_profile_drops_still_counts_as_label_studio_counts_it(checked: Lab, name: str) -> None:
    w = HyperTextWidget(checked, name)
    # the form's fields and the style sheet are not shown, nor is any markup of them left to run
    leftovers = w.doc.evaluate(
        "doc => [...doc.querySelectorAll('form, input, select, style, svg, title')].length"
    )
    assert leftovers == 0
    expect(w.doc).not_to_contain_text("color: red", use_inner_text=True)
    expect(w.doc).not_to_contain_text("svg words", use_inner_text=True)
    expect(w.doc).to_contain_text("Alice Smith", use_inner_text=True)
    smith = w.global_of("Smith")
    bob = w.global_of("Bob")
    w.choose("PER")
    w.drag(*smith)
    w.page.keyboard.press("Escape")
    w.drag(*bob)
    stored = values(w.submit())
    assert stored == [w.expected(*smith, "Smith", ["PER"]), w.expected(*bob, "Bob", ["PER"])]
    # the head's title counts only inline, as in Label Studio (a document's head is not its body there)
    title = next((b for b in w.model()["blocks"] if b["data"] == "Doc"), None)
    assert (title is not None) == (name == "stubs_inline")


def test_links_open_only_with_clickable_links_and_only_http(checked: Lab) -> None:
    page = checked.page
    page.evaluate(
        "() => { window.__opened = []; window.open = (...args) => { window.__opened.push(args); return null; }; }"
    )
    quiet = HyperTextWidget(checked, "no_links")
    quiet.doc.get_by_text("the page").click()
    assert page.evaluate("() => window.__opened") == []
    w = HyperTextWidget(checked, "links")
    w.doc.get_by_text("this").click()
    w.doc.get_by_text("that").click()
    assert page.evaluate("() => window.__opened") == []
    w.doc.get_by_text("the page").click()
    assert page.evaluate("() => window.__opened") == [
        ["https://example.org/page?a=1", "_blank", "noopener,noreferrer"]
    ]
    assert page.evaluate("() => window.__pwned === undefined")
    assert w.doc.locator("[href]").count() == 0
    # a link is text too: a selection over it becomes a span (and does not open it)
    w.choose("ORG")
    w.drag(*w.global_of("the page"))
    expect(w.doc.locator(".lnb-span[data-region]")).to_have_text("the page")
    assert len(page.evaluate("() => window.__opened")) == 1
