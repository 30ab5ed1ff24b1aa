"""Long texts with many spans, and long dialogues, in a real JupyterLab (issue 8).

The same harness as bench_editor.py: one JupyterLab server, each scenario its own project, notebook and
workspace, Playwright with a real mouse and wheel (CDP input events, one a frame), every figure with a
baseline measured in the same run, on the same page, in alternation with it.

1. ``text_spans``: a ~100 KB text (sentences of ordinary English words, names of people, places and
   organisations, a few characters beyond the Basic Multilingual Plane: emoji, mathematical letters, a CJK
   extension B character) with 1,000 predicted spans (pre-annotations, as a NER model hands them over; a
   tenth of them nested in another), ``<Labels>`` on ``<Text>``. *Load*: from the task's id appearing in
   the widget (``data-task-id``, after a Skip) to interactive: all 1,000 span tags (``[data-tag]``, one a
   span) in the DOM, then the end of the next frame; also from the Skip click, and from the task's
   message reaching the page (the widget renders a task in one go, so its id appears only once the widget
   has built the task's DOM: this one counts that work too). Baseline: the same text with no spans. The
   first such task of the session (code not yet compiled by the browser) is reported on its own.
2. ``text_select``: on that text with its 1,000 spans, a label chosen, a real mouse drag over three words
   of a sentence near the top; from the pointerup (its event time) to the new span's tag in the DOM, and to
   the end of the next frame (drawn). Baseline: the same drag on the text with no spans. The drag's frames
   are reported too; at the end one span is submitted and read back from the project (its code point
   offsets, after a non-BMP character).
3. ``dialogue``: a 500-message conversation as ``<Paragraphs layout="dialogue">`` with ``ParagraphLabels``
   and as ``<Chat>``. *Render*: from the task's id appearing (and from its message reaching the page) to
   all messages in the DOM and the next frame.
   *Scroll*: 60 wheel steps of 100 px down through it; frame intervals and the frames in which the
   scroller's ``scrollTop`` changed, as bench_editor.py's gestures. Baseline: a 20-message dialogue.

Sizes are flags (``--text-kb``, ``--spans``, ``--messages``, ``--baseline-messages``); ``--trace DIR`` writes
Chrome traces (with CPU samples) of the last load, selection and scroll of each scenario.

    cd benchmarks && ../.venv/bin/python bench_text.py --cycles 3 && ../.venv/bin/python report.py
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench_editor import Gestures, close_widget, in_lab, load_summary, open_widget, ratio, settle
from common import record
from playwright.sync_api import Browser, Page, expect

import labelnb as lnb
from tests.e2e.servers import Server
from tests.e2e.widget_page import RANGE_BOXES

CONFIGS = {
    "text": """<View>
  <Labels name="ner" toName="text">
    <Label value="PER"/><Label value="ORG"/><Label value="LOC"/><Label value="MISC"/>
  </Labels>
  <Text name="text" value="$text"/>
</View>""",
    "paragraphs": """<View>
  <ParagraphLabels name="intent" toName="dialogue"><Label value="Question"/><Label value="Answer"/></ParagraphLabels>
  <Paragraphs name="dialogue" value="$dialogue" layout="dialogue" nameKey="author" textKey="text"/>
</View>""",
    "chat": """<View>
  <Chat name="chat" value="$dialogue" messageroles="user,assistant"/>
</View>""",
}

# -- in the page ------------------------------------------------------------------------------------------

# Skip to the next task; times from the click, from the task id appearing, to `count` elements matching
# `selector` in the widget, to the end of the next frame (a task queued from requestAnimationFrame runs
# after that frame's style, layout and paint).
TIMED_SHOW = """
async ({ selector, count }) => {
  const root = document.querySelector('.labelnb-root');
  const before = root.dataset.taskId;
  window.__lnbMessages = [];
  const t = { click: performance.now() };
  const ready = () => {
    if (t.shown === undefined && root.dataset.taskId !== undefined && root.dataset.taskId !== before) t.shown = performance.now();
    return t.shown !== undefined && root.querySelectorAll(selector).length === count;
  };
  const done = new Promise((resolve, reject) => {
    const observer = new MutationObserver(() => {
      if (ready()) { observer.disconnect(); resolve(); }
    });
    observer.observe(root, { subtree: true, childList: true, attributes: true });
    setTimeout(() => {
      const n = root.querySelectorAll(selector).length;
      reject(new Error(`task ${root.dataset.taskId} not ready: ${JSON.stringify(t)}, ${n} of ${count} ${selector}`));
    }, 60000);
  });
  root.querySelector('[data-testid=skip]').click();
  await done;
  t.dom = performance.now();
  await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  t.frame = performance.now();
  t.id = root.dataset.taskId;
  // the task arrived in the largest kernel message between the click and the task shown
  const before_shown = window.__lnbMessages.filter(([at]) => at <= t.shown);
  t.received = before_shown.reduce((a, m) => (m[1] > a[1] ? m : a), [t.click, 0])[0];
  return t;
}
"""

# When each kernel message reaches the page (wrapping the kernel websocket's onmessage, which JupyterLab
# sets; the message is then decoded and handed to the widget): the time between it and the task shown is
# the widget's own work in the browser, the time before it the kernel's and the network's.
MESSAGES_JS = """
() => {
  const w = window.jupyterapp.shell.currentWidget;
  const ws = w.sessionContext.session.kernel._ws;
  const handler = ws.onmessage;
  window.__lnbMessages = [];
  ws.onmessage = function (evt) {
    const size = typeof evt.data === 'string' ? evt.data.length : evt.data.byteLength;
    window.__lnbMessages.push([performance.now(), size]);
    return handler.call(this, evt);
  };
}
"""

# After the drag's pointerup: its event time, the new span's tag appearing, and the end of the next frame.
SELECT_COMMIT_JS = """
() => {
  const text = document.querySelector('.lnb-spans[data-object=text]');
  const before = text.querySelectorAll('[data-tag]').length;
  const c = {};
  window.__lnbCommit = c;
  window.addEventListener('pointerup', (e) => { c.up = e.timeStamp; c.handled = performance.now(); }, { capture: true, once: true });
  const observer = new MutationObserver(() => {
    if (text.querySelectorAll('[data-tag]').length > before) {
      observer.disconnect();
      c.committed = performance.now();
      requestAnimationFrame(() => setTimeout(() => { c.drawn = performance.now(); }, 0));
    }
  });
  observer.observe(text, { childList: true, subtree: true });
}
"""

# The element the wheel scrolls over `selector` (itself, or the notebook around it), at its top; where to
# put the pointer, and how far it can scroll.
SCROLLER_JS = """
(selector) => {
  const el = document.querySelector(selector);
  const scrolls = (s) => s.scrollHeight > s.clientHeight + 1 && /(auto|scroll)/.test(getComputedStyle(s).overflowY);
  let s = el;
  while (s && !scrolls(s)) s = s.parentElement;
  s = s || document.scrollingElement;
  window.__lnbScroller = s;
  el.scrollIntoView({ block: 'start' });
  if (s === el) el.scrollTop = 0;
  const r = el.getBoundingClientRect();
  const top = Math.max(r.top, 0), bottom = Math.min(r.bottom, innerHeight);
  return { x: r.left + r.width / 2, y: (top + bottom) / 2, range: s.scrollHeight - s.clientHeight, own: s === el };
}
"""

# -- texts ------------------------------------------------------------------------------------------------


def words(line: str) -> list[str]:
    return line.split()


WORDS = words("""the a of and to in that for on with as by at from this was were is are be been has had have
report meeting season river harbour market council committee village station evening morning summer winter
road bridge school hospital library garden field farm factory office letter visit journey plan survey result
figure number share price cost value water light weather storm crowd family neighbour teacher doctor
engineer farmer driver writer reader worker student visitor officer member partner client owner
reviewed opened closed visited described announced reported discussed expected repaired delivered measured
signed crossed planned recorded noticed finished started followed welcomed carried rebuilt changed
quiet early late local small large old new long short busy narrow wide northern southern eastern western
careful recent former final annual quarterly weekly public private simple clear heavy bright
before after during under over between across along behind near without within through around""")
FIRST = words("Anna Ben Carla David Elena Farid Greta Hugo Ines Jonas Kofi Lena Mateo Nadia Oskar Priya")
LAST = words("Adams Brennan Costa Dubois Eriksen Fischer Garcia Haddad Ivanova Jensen Kowalski Larsen Moreau")
CITIES = words("Aberdeen Bergen Cork Dresden Évora Florence Graz Haarlem Innsbruck Kraków Lyon Malmö Nantes")
FIRMS = words("Northwind Bluewater Greystone Redfield Silverline Oakridge Harbourview Stonebridge")
KINDS = ["Bank", "Holdings", "Institute", "Foundation", "Railways", "Press"]
EVENTS = [
    "Winter Festival",
    "Harbour Regatta",
    "Book Fair",
    "River Marathon",
    "🚀 Launch Week",
    "Prize for \U0001d4d0lgebra",
]
# characters beyond the Basic Multilingual Plane, one every few sentences: a UTF-16 offset would be wrong
ASTRAL = ["😀", "📈", "🌧️", "👨\u200d👩\u200d👧", "\U0001d465", "𠜎", "🇳🇴", "✍🏽"]

HEADER = "Report {n:04} 📄\n\n"
# the sentence near the top that text_select selects words of (no span on it)
TARGET_SENTENCE = "The committee reviewed the quarterly figures before the meeting closed."
TARGET_WORDS = "quarterly figures before"


class Writer:
    """Builds a text of sentences, noting where each named entity lies (code point offsets)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.parts: list[str] = []
        self.at = 0
        # (start, end, label, nested: (start, end, label) or None)
        self.mentions: list[tuple[int, int, str, tuple[int, int, str] | None]] = []

    def put(self, s: str) -> None:
        self.parts.append(s)
        self.at += len(s)

    def entity(self) -> None:
        rng, start = self.rng, self.at
        kind = rng.choice(["PER", "PER", "LOC", "ORG", "ORG", "MISC"])
        nested = None
        if kind == "PER":
            self.put(f"{rng.choice(FIRST)} {rng.choice(LAST)}")
        elif kind == "LOC":
            self.put(rng.choice(CITIES))
        elif kind == "MISC":
            self.put(f"the {rng.choice(EVENTS)}")
            start += 4
        elif rng.random() < 0.5:  # an organisation named after its city: the city a span nested in it
            self.put(f"{rng.choice(KINDS)} of ")
            city = rng.choice(CITIES)
            nested = (self.at, self.at + len(city), "LOC")
            self.put(city)
        else:
            self.put(f"{rng.choice(FIRMS)} {rng.choice(KINDS)}")
        self.mentions.append((start, self.at, kind, nested))

    def sentence(self, entities: float) -> None:
        rng = self.rng
        n = rng.randint(8, 20)
        for k in range(n):
            if k:
                self.put(", " if rng.random() < 0.06 else " ")
            if rng.random() < entities / n:
                self.entity()
            else:
                word = rng.choice(WORDS)
                self.put(word.capitalize() if k == 0 else word)
            if rng.random() < 0.012:
                self.put(" " + rng.choice(ASTRAL))
        self.put(". ")

    def text(self) -> str:
        return "".join(self.parts)


def long_text(kb: float, spans: int, seed: int = 8) -> tuple[str, list[dict[str, Any]]]:
    """About ``kb`` KB of text (UTF-8) after HEADER and TARGET_SENTENCE, and ``spans`` spans as Label
    Studio's ``labels`` results: a random choice of the entities in it, some with a nested one."""
    rng = random.Random(seed)
    w = Writer(rng)
    w.put(HEADER.format(n=0) + TARGET_SENTENCE + "\n\n")
    # enough entities that `spans` of them is a choice: about 1.4 for each span wanted
    per_sentence = max(0.2, spans * 1.4 / max(1.0, kb * 1000 / 110))
    size = 0
    while size < kb * 1000:
        for _ in range(rng.randint(3, 7)):
            w.sentence(per_sentence)
        w.parts[-1] = w.parts[-1].rstrip() + "\n\n"
        w.at = sum(len(p) for p in w.parts)
        size = len(w.text().encode())
    text = w.text()
    chosen = rng.sample(w.mentions, len(w.mentions))
    items: list[dict[str, Any]] = []
    for start, end, label, nested in chosen:
        if len(items) >= spans:
            break
        items.append(span_item(text, len(items), start, end, label))
        if nested and len(items) < spans:
            items.append(span_item(text, len(items), *nested))
    assert len(items) == spans, f"only {len(items)} entities for {spans} spans"
    items.sort(key=lambda i: (i["value"]["start"], -i["value"]["end"]))
    return text, items


def span_item(text: str, n: int, start: int, end: int, label: str) -> dict[str, Any]:
    return {"id": f"s{n:04}", "from_name": "ner", "to_name": "text", "type": "labels", "score": 0.9,
            "value": {"start": start, "end": end, "text": text[start:end], "labels": [label]}}  # fmt: skip


def numbered(text: str, n: int) -> str:
    """The text with its header's number ``n`` (the same length: every offset stays)."""
    head = HEADER.format(n=0)
    assert text.startswith(head)
    return HEADER.format(n=n) + text[len(head) :]


def text_task(text: str, spans: list[dict[str, Any]]) -> dict[str, Any]:
    if not spans:
        return {"data": {"text": text}}
    return {
        "data": {"text": text},
        "predictions": [{"result": spans, "score": 0.9, "model_version": "bench"}],
    }


def dialogue(messages: int, seed: int = 9) -> list[dict[str, str]]:
    """A support conversation of ``messages`` phrases: {author, text}, one to three sentences each."""
    rng = random.Random(seed)
    out = []
    for k in range(messages):
        w = Writer(rng)
        for _ in range(rng.randint(1, 3)):
            w.sentence(0.3)
        out.append({"author": "Customer" if k % 2 == 0 else "Agent", "text": w.text().strip()})
    return out


def dialogue_task(kind: str, phrases: list[dict[str, str]]) -> dict[str, Any]:
    if kind == "chat":
        roles = {"Customer": "user", "Agent": "assistant"}
        return {"data": {"dialogue": [{"role": roles[p["author"]], "content": p["text"]} for p in phrases]}}
    return {"data": {"dialogue": phrases}}


# -- the page ---------------------------------------------------------------------------------------------


def show(page: Page, selector: str, count: int) -> dict[str, float]:
    """Skip to the next task and time it until ``count`` elements match ``selector``."""
    settle(page)
    # the widget's top in view, as the annotator sees it (a scroll through the last dialogue may have left
    # it out of view, where the browser skips laying out the notebook's cell)
    page.evaluate("() => document.querySelector('.labelnb-root').scrollIntoView({ block: 'start' })")
    t = page.evaluate(TIMED_SHOW, {"selector": selector, "count": count})
    return {"from_shown_ms": t["frame"] - t["shown"], "from_click_ms": t["frame"] - t["click"],
            "from_received_ms": t["frame"] - t["received"], "shown_to_dom_ms": t["dom"] - t["shown"],
            "id": int(t["id"])}  # fmt: skip


def open_page(browser: Browser, server: Server, name: str, project: Path, ready: str) -> Page:
    """The project's widget on a page of its own (bench_editor.open_widget), its kernel messages timed."""
    page = open_widget(browser, server, name, project, project, ready=ready)
    page.evaluate(MESSAGES_JS)
    return page


def make_project(tmp: Path, name: str, config: str, tasks: list[dict[str, Any]]) -> Path:
    folder = tmp / name
    project = lnb.Project.create(folder, config, f"text bench: {name}")
    project.import_tasks(tasks)
    project.close()
    return folder


def stored_values(project: Path, task_id: int) -> list[dict[str, Any]]:
    """The result values of the task's annotation in the store, once the kernel has written it."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        check = lnb.Project.open(project)
        stored = check.annotations(task_id)
        check.close()
        if stored:
            return [dict(item["value"]) for item in stored[0]["result"]]
        time.sleep(0.2)
    raise TimeoutError(f"no annotation of task {task_id} in {project}")


def load_figures(
    loads: dict[str, list[dict[str, float]]], big: tuple[str, str], base: tuple[str, str]
) -> dict[str, Any]:
    """The loads of kind ``big[0]`` and of its baseline ``base[0]`` (named ``big[1]``, ``base[1]`` in the
    figures): from the task shown, from the click, from the task's message; the first such task alone."""
    out: dict[str, Any] = {}
    for frm in ("shown", "click", "received"):
        for kind, name in (big, base):
            out[f"load_{name}_from_{frm}"] = load_summary(loads[kind], f"from_{frm}_ms")
    shown = (out[f"load_{big[1]}_from_shown"], out[f"load_{base[1]}_from_shown"])
    out["load_ratio"] = ratio(shown[0]["median_ms"], shown[1]["median_ms"])
    out[f"load_{big[1]}_first_task_from_shown_ms"] = round(loads["first"][0]["from_shown_ms"], 1)
    return out


def median_of(samples: list[float]) -> dict[str, float]:
    return {"median_ms": round(statistics.median(samples), 1), "min_ms": round(min(samples), 1),
            "max_ms": round(max(samples), 1), "n": len(samples)}  # fmt: skip


TAGS = ".lnb-spans[data-object=text] [data-tag]"
TRACE_CATEGORIES = [
    "devtools.timeline",
    "disabled-by-default-devtools.timeline",
    "v8.execute",
    "blink",
    "toplevel",
    "disabled-by-default-v8.cpu_profiler",
]


@contextmanager
def traced(browser: Browser, page: Page, folder: Path | None, name: str) -> Iterator[None]:
    """A Chrome trace of what runs inside (to ``folder/name.json``; nothing when ``folder`` is None)."""
    if folder is None:
        yield
        return
    folder.mkdir(parents=True, exist_ok=True)
    browser.start_tracing(page=page, path=str(folder / f"{name}.json"), categories=TRACE_CATEGORIES)
    try:
        yield
    finally:
        browser.stop_tracing()


# -- scenarios --------------------------------------------------------------------------------------------


def long_text_page(
    browser: Browser, server: Server, tmp: Path, args: argparse.Namespace, name: str
) -> tuple[str, list[dict[str, Any]], list[str], Path, Page]:
    """A project of the long text in turns without spans and with them (a first one with them after the
    opening task), and its widget's page."""
    text, spans = long_text(args.text_kb, args.spans)
    kinds = ["none", "first"] + ["none", "many"] * args.cycles
    tasks = [text_task(numbered(text, n), [] if k == "none" else spans) for n, k in enumerate(kinds)]
    project = make_project(tmp, name, CONFIGS["text"], tasks)
    return (
        text,
        spans,
        kinds,
        project,
        open_page(browser, server, f"text_{name}", project, ".lnb-spans[data-object=text]"),
    )


def bench_spans(browser: Browser, server: Server, tmp: Path, args: argparse.Namespace) -> dict[str, Any]:
    text, spans, kinds, _, page = long_text_page(browser, server, tmp, args, "spans")
    loads: dict[str, list[dict[str, float]]] = {"none": [], "many": [], "first": []}
    for n, kind in enumerate(kinds[1:], 1):
        with traced(browser, page, args.trace if n == len(kinds) - 1 else None, "text_spans_load"):
            loads[kind].append(show(page, TAGS, 0 if kind == "none" else len(spans)))
    close_widget(page, server)
    return {
        "text_kb": round(len(text.encode()) / 1000, 1),
        "code_points": len(text),
        "non_bmp": sum(1 for c in text if ord(c) > 0xFFFF),
        "spans": len(spans),
        **load_figures(loads, ("many", "spans"), ("none", "0")),
    }


def bench_select(browser: Browser, server: Server, tmp: Path, args: argparse.Namespace) -> dict[str, Any]:
    text, spans, kinds, project, page = long_text_page(browser, server, tmp, args, "select")
    start = text.index(TARGET_SENTENCE) + TARGET_SENTENCE.index(TARGET_WORDS)
    end = start + len(TARGET_WORDS)
    commits: dict[str, list[dict[str, float]]] = {"none": [], "many": [], "first": []}
    drags = {kind: Gestures(page, "selection") for kind in ("none", "many", "first")}
    task_id = 0
    for kind in kinds[1:]:
        count = 0 if kind == "none" else len(spans)
        task_id = show(page, TAGS, count)["id"]
        chip = page.locator("[data-label-control=ner][data-label=MISC]")
        if chip.get_attribute("aria-pressed") != "true":
            chip.click()
        settle(page)
        text_box = page.locator(".lnb-spans[data-object=text]")
        text_box.scroll_into_view_if_needed()
        text_box.evaluate("el => { el.scrollTop = 0; }")
        box = page.evaluate(RANGE_BOXES, [text_box.element_handle(), start, end])
        page.evaluate(SELECT_COMMIT_JS)
        (x0, y0), (x1, y1) = (box["x0"] + 1, box["y0"]), (box["x1"] - 1, box["y1"])
        moves = 20
        with traced(browser, page, args.trace if kind == "many" else None, "text_select"):
            drags[kind].path(
                [(x0 + (x1 - x0) * k / moves, y0 + (y1 - y0) * k / moves) for k in range(moves + 1)]
            )
            page.wait_for_function("() => window.__lnbCommit.drawn !== undefined", timeout=30_000)
        try:
            page.wait_for_function("() => window.__lnbCommit.drawn !== undefined", timeout=30_000)
        except Exception as exc:
            raise RuntimeError(f"no span made: {page.evaluate('() => window.__lnbCommit')}") from exc
        c = page.evaluate("() => window.__lnbCommit")
        commits[kind].append({"committed_ms": c["committed"] - c["up"], "drawn_ms": c["drawn"] - c["up"],
                              "handler_ms": c["committed"] - c["handled"]})  # fmt: skip
        expect(page.locator(TAGS)).to_have_count(count + 1)
    # the last span made is stored as Label Studio's labels value, in code points
    page.locator("[data-testid=submit]").click()
    made = [v for v in stored_values(project, task_id) if v["labels"] == ["MISC"] and v["start"] < 200]
    close_widget(page, server)
    assert len(made) == 1, made
    value = made[0]
    assert value["text"] == TARGET_WORDS, value
    assert (value["start"], value["end"]) == (start, end), value
    out: dict[str, Any] = {"spans": len(spans), "selected": TARGET_WORDS, "stored_start": value["start"]}
    for kind, name in (("many", "spans"), ("none", "0")):
        out[f"up_to_span_in_dom_{name}"] = median_of([c["committed_ms"] for c in commits[kind]])
        out[f"up_to_span_drawn_{name}"] = median_of([c["drawn_ms"] for c in commits[kind]])
        out[f"drag_{name}"] = drags[kind].summary()
    out["first_task_up_to_span_drawn_ms"] = round(commits["first"][0]["drawn_ms"], 1)
    out["drawn_ratio"] = ratio(
        out["up_to_span_drawn_spans"]["median_ms"], out["up_to_span_drawn_0"]["median_ms"]
    )
    return out


def bench_dialogue(browser: Browser, server: Server, tmp: Path, args: argparse.Namespace) -> dict[str, Any]:
    long, short = dialogue(args.messages), dialogue(args.baseline_messages, seed=10)
    kinds = ["short", "first"] + ["short", "long"] * args.cycles
    out: dict[str, Any] = {"messages": args.messages, "baseline_messages": args.baseline_messages}
    shown = {"paragraphs": ".lnb-paragraphs [data-phrase]", "chat": ".lnb-chat-log .lnb-chat-msg"}
    for tag, selector in shown.items():
        tasks = [dialogue_task(tag, short if k == "short" else long) for k in kinds]
        project = make_project(tmp, tag, CONFIGS[tag], tasks)
        page = open_page(browser, server, f"dialogue_{tag}", project, selector.split()[0])
        loads: dict[str, list[dict[str, float]]] = {"short": [], "long": [], "first": []}
        scrolls = {"short": Gestures(page, "scroll"), "long": Gestures(page, "scroll")}
        ranges: dict[str, float] = {}
        for kind in kinds[1:]:
            n = len(short if kind == "short" else long)
            trace = args.trace if kind == "long" else None
            with traced(browser, page, trace, f"dialogue_{tag}_load"):
                loads[kind].append(show(page, selector, n))
            if kind == "first":
                continue
            where = page.evaluate(SCROLLER_JS, selector.split()[0])
            ranges[kind] = where["range"]
            with traced(browser, page, trace, f"dialogue_{tag}_scroll"):
                scrolls[kind].wheel((where["x"], where["y"]), [(0, 100)] * 60)
        close_widget(page, server)
        out[tag] = {
            **load_figures(loads, ("long", "long"), ("short", "short")),
            "scroll_long": scrolls["long"].summary(),
            "scroll_short": scrolls["short"].summary(),
            "scroll_range_px": ranges,
            "scroller_is_the_object": bool(where["own"]),
        }
    return out


SCENARIOS = {"spans": bench_spans, "select": bench_select, "dialogue": bench_dialogue}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cycles", type=int, default=3, help="alternations of each figure and its baseline")
    parser.add_argument("--only", choices=sorted(SCENARIOS), action="append", help="run only these scenarios")
    parser.add_argument("--text-kb", type=float, default=100, help="size of the long text (UTF-8 KB)")
    parser.add_argument("--spans", type=int, default=1000, help="spans predicted on the long text")
    parser.add_argument("--messages", type=int, default=500, help="messages of the long dialogue")
    parser.add_argument("--baseline-messages", type=int, default=20, help="messages of the short dialogue")
    parser.add_argument(
        "--trace", type=Path, help="write Chrome traces of the last load, select and scroll here"
    )
    args = parser.parse_args()
    in_lab(args.only or list(SCENARIOS), lambda name, browser, server, tmp: record(f"text_{name}", SCENARIOS[name](browser, server, tmp, args)))  # fmt: skip


if __name__ == "__main__":
    main()
