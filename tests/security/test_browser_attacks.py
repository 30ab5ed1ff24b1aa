"""Task data attacking the page, in a real JupyterLab and a real Chromium: nothing escapes its box.

One JupyterLab serves the whole module; each attack is a notebook written into its root, run there, and
watched from outside: a loopback HTTP listener is the beacon target and records every request path, and the
page itself is asked what covers it. A listener that saw anything, an overlay on top of the notebook or a
script that ran is a failure. The attacks go the whole way (kernel, protocol, front end), so they keep
holding whatever layer ends up refusing or cleaning the payload.
"""

from __future__ import annotations

import json
import secrets
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.servers import ARTIFACTS, Server, jupyter_lab
from tests.e2e.test_quickstart import run_all_cells
from tests.e2e.widget_page import choice, shot, wait_for, widgets

pytestmark = pytest.mark.e2e

USER = "mallory-target@example.org"


@dataclass
class Listener:
    """A loopback HTTP server that answers everything and remembers every path it was asked for."""

    url: str
    paths: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def seen(self) -> list[str]:
        with self.lock:
            return list(self.paths)

    def clear(self) -> None:
        with self.lock:
            self.paths.clear()


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    box: dict[str, Listener] = {}

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            with box["l"].lock:
                box["l"].paths.append(self.path)
            body = b"{}"
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Access-Control-Allow-Origin", "*")
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        do_GET = do_POST = do_HEAD = do_OPTIONS = _answer

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    box["l"] = Listener(f"http://127.0.0.1:{server.server_address[1]}")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield box["l"]
    server.shutdown()
    server.server_close()
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Path]]:
    tmp = tmp_path_factory.mktemp("browser-attacks")
    workdir = tmp / "projects"
    with jupyter_lab(tmp, workdir, USER) as server:
        yield server, workdir


def write_notebook(root: Path, name: str, *sources: str) -> str:
    cells = [
        {"cell_type": "code", "metadata": {}, "source": src, "outputs": [], "execution_count": None}
        for src in sources
    ]
    notebook = {
        "cells": cells,
        "metadata": {
            "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    (root / name).write_text(json.dumps(notebook))
    return name


def open_and_run(page: Page, server: Server, notebook: str) -> None:
    """Open ``notebook`` alone (a workspace of its own: the server's default one would bring back the
    notebooks of earlier tests) and run all its cells once it is the current document."""
    workspace = notebook.removesuffix(".ipynb")
    page.goto(f"{server.url}/lab/workspaces/{workspace}/tree/{notebook}?token={server.token}")
    page.wait_for_function(
        "name => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
        " return !!(w && w.context && w.context.path === name); }",
        arg=notebook,
        timeout=120_000,
    )
    run_all_cells(page)


def requests_after_settling(page: Page, listener: Listener) -> list[str]:
    """What the listener saw once the page has had every chance to reach it.

    The page goes idle, then asks the listener for one last, known path itself: anything the widget's
    content was going to request was requested before that, so once the sentinel has arrived the list is
    complete.
    """
    page.wait_for_load_state("networkidle")
    sentinel = f"/sentinel-{secrets.token_hex(4)}"
    page.evaluate("url => { new Image().src = url; }", listener.url + sentinel)
    wait_for(lambda: sentinel in listener.seen(), "the sentinel request to reach the listener")
    return [p for p in listener.seen() if not p.startswith("/sentinel-")]


# which points of the page outside the box of task HTML (`sel`) its content covers
OVERLAY_PROBE = """(sel) => {
  const w = window.innerWidth, h = window.innerHeight;
  const points = [[w / 2, h / 2], [4, 4], [w - 4, 4], [4, h - 4], [w - 4, h - 4], [w / 2, 40]];
  // JupyterLab's panels contain their content, so a fixed overlay covers the notebook area, not the window
  const main = document.querySelector('#jp-main-dock-panel');
  if (main) {
    const r = main.getBoundingClientRect();
    points.push([r.left + 8, r.top + 8], [r.right - 8, r.top + 8], [r.left + 8, r.bottom - 8], [r.right - 8, r.bottom - 8]);
  }
  return points.map(([x, y]) => {
    const el = document.elementFromPoint(x, y);
    // a point the box itself lies over is no overlay; one outside the box that still hits it is
    const box = el && el.closest(sel), r = box && box.getBoundingClientRect();
    const outside = !!r && (x < r.left || x > r.right || y < r.top || y > r.bottom);
    return { x, y, inside: outside, what: el ? el.tagName + '.' + el.className : null };
  });
}"""

# dangerous markup left in the boxes of task HTML (`sel`) of a widget
INJECTED_LEFTOVERS = """([root, sel]) => {
  const text = root.querySelectorAll(sel);
  const bad = [];
  for (const box of text) {
    for (const el of box.querySelectorAll('*')) {
      const tag = el.tagName.toLowerCase();
      if (['style', 'link', 'meta', 'base', 'form', 'input', 'button', 'select', 'textarea', 'iframe', 'frame',
           'object', 'embed', 'svg', 'math', 'script', 'video'].includes(tag)) bad.push(tag);
      for (const a of el.attributes) {
        const n = a.name.toLowerCase();
        if (n === 'style' || n === 'href' || n === 'srcset' || n === 'background' || n === 'poster' ||
            n.startsWith('on') || (n === 'src' && !a.value.startsWith('data:image/png'))) bad.push(tag + '[' + n + ']');
      }
      const cs = getComputedStyle(el);
      if (cs.position === 'fixed' || cs.position === 'absolute') bad.push(tag + ' position:' + cs.position);
    }
  }
  return bad;
}"""

DOT_PNG = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="


def overlay_html(beacon: str) -> str:
    return (
        "<b>Pick</b> <i>me</i> <img src='" + DOT_PNG + "' alt='dot'>"
        '<div style="position:fixed;inset:0;z-index:99999;background:white;font-size:40px">'
        f'<a href="{beacon}/login">Log in</a> to continue</div>'
        f'<img src="{beacon}/beacon">'
        f'<img srcset="{beacon}/srcset 1x, {beacon}/srcset2 2x">'
        f'<link rel="prefetch" href="{beacon}/prefetch"><link rel="stylesheet" href="{beacon}/stylesheet">'
        f'<span style="background:url({beacon}/css-background)">bg</span>'
        f"<style>@import url({beacon}/css-import); .jp-Notebook {{ display: none }}</style>"
        f"<img src=x onerror=\"fetch('{beacon}/onerror')\">"
        f'<svg onload="fetch(\'{beacon}/svg-onload\')"><image href="{beacon}/svg-image"/></svg>'
        f'<form action="{beacon}/form"><input name="password"><button formaction="{beacon}/formaction">Go</button>'
        "</form>"
        f'<iframe src="{beacon}/iframe"></iframe><video poster="{beacon}/poster"></video>'
        f'<table background="{beacon}/table-background"><tr><td>cell</td></tr></table>'
    )


def test_choice_html_from_task_data_stays_in_its_box(
    page: Page, lab: tuple[Server, Path], listener: Listener
) -> None:
    server, _ = lab
    listener.clear()
    html = overlay_html(listener.url)
    config = '<View><Text name="t" value="$text"/><Choices name="c" toName="t" value="$opts"/></View>'
    tasks = [{"text": "Which one?", "opts": [{"value": "x", "html": html}, {"value": "plain"}]}]
    notebook = write_notebook(
        server.root,
        "attack-choice-html.ipynb",
        "import os\nfrom pathlib import Path\nimport labelnb as lnb\n"
        f"folder = Path(os.environ['LABELNB_WORKDIR']) / 'choice-html'\n"
        f"project = lnb.Project.create(folder, config={config!r})\n"
        f"project.import_tasks({tasks!r})\n"
        "project.annotate()",
    )
    open_and_run(page, server, notebook)
    (widget,) = widgets(page, 1)
    button = choice(widget, "c", "x")
    expect(button).to_be_visible(timeout=60_000)
    expect(choice(widget, "c", "plain")).to_be_visible()
    expect(button).to_contain_text("Log in")  # the words are there, as text
    # the harmless part of the markup survives
    expect(button.locator(".lnb-choice-text b")).to_have_text("Pick")
    expect(button.locator(".lnb-choice-text img[alt=dot]")).to_have_count(1)
    widget.scroll_into_view_if_needed()

    seen = requests_after_settling(page, listener)
    covered = [p for p in page.evaluate(OVERLAY_PROBE, ".lnb-choice-text") if p["inside"]]
    leftovers = page.evaluate(INJECTED_LEFTOVERS, [widget.element_handle(), ".lnb-choice-text"])
    shot(page, "security-choice-html")
    assert seen == [], f"the page reached the beacon listener: {seen}"
    assert covered == [], f"injected content covers the page at {covered}"
    assert leftovers == [], f"dangerous markup reached the page: {leftovers}"
    # the notebook is still there and usable: the stylesheet's display:none did not apply
    expect(page.locator(".jp-Notebook")).to_be_visible()
    button.click()
    expect(button).to_have_attribute("data-selected", "true")


def hypertext_attack(beacon: str) -> str:
    """Everything of overlay_html and more that a HyperText's HTML could try: scripts, handlers, links that
    run or navigate, frames, plug-ins, media, refreshes, a base URL, and the mutation-XSS shapes of foreign
    content (a <style> inside <math> or <svg> that a second parse would turn into markup)."""
    pwn = "window.__pwned = '{}'; try {{ top.__pwned = '{}'; }} catch (e) {{}}"
    return (
        "<p>Label <b>these words</b> here.</p>"
        + overlay_html(beacon)
        + f"<script>{pwn.format('script', 'script')}; fetch('{beacon}/script')</script>"
        + f'<a href="javascript:{pwn.format("js-link", "js-link")}">js link</a> '
        + f'<a href="{beacon}/navigate" target="_top">beacon link</a> '
        + f'<a href="data:text/html,&lt;script&gt;{pwn.format("data", "data")}&lt;/script&gt;">data link</a>'
        + f'<iframe srcdoc="&lt;script&gt;{pwn.format("srcdoc", "srcdoc")}&lt;/script&gt;"></iframe>'
        + f'<math><mtext><table><mglyph><style><img src={beacon}/math-style onerror="{pwn.format("m", "m")}">'
        + "</style></mglyph></table></mtext></math>"
        + f'<svg><style><img src="{beacon}/svg-style" onerror="{pwn.format("s", "s")}"></style></svg>'
        + f'<object data="{beacon}/object"></object><embed src="{beacon}/embed">'
        + f'<audio src="{beacon}/audio" autoplay></audio><picture><source srcset="{beacon}/source"><img></picture>'
        + f'<input type="image" src="{beacon}/input-image"><isindex action="{beacon}/isindex">'
        + f'<meta http-equiv="refresh" content="0;url={beacon}/refresh"><base href="{beacon}/base/">'
        + f'<details open ontoggle="{pwn.format("toggle", "toggle")}">details</details>'
        + f'<body onload="{pwn.format("body", "body")}" background="{beacon}/body-bg">'
        + f"<noscript><img src={beacon}/noscript></noscript><template><img src={beacon}/template></template>"
        + f'<lnb-stub data-lnb-tag="p" onclick="{pwn.format("stub", "stub")}">fake stub</lnb-stub>'
    )


def test_hypertext_from_task_data_runs_nothing_and_fetches_nothing(
    page: Page, lab: tuple[Server, Path], listener: Listener
) -> None:
    """A HyperText shows the task's HTML through the one sanitiser profile (its HyperText mode keeps node
    counts with inert stubs): nothing in it runs, loads, navigates or covers the page, as a document
    (the default) or inline, with clickable links or without; and it stays usable: a span can be made."""
    server, _ = lab
    listener.clear()
    html = hypertext_attack(listener.url)
    config = (
        '<View><HyperTextLabels name="ner" toName="page,inline"><Label value="X"/></HyperTextLabels>'
        '<HyperText name="page" value="$html"/><HyperText name="inline" value="$html" inline="true" '
        'clickableLinks="true"/></View>'
    )
    notebook = write_notebook(
        server.root,
        "attack-hypertext.ipynb",
        "import os\nfrom pathlib import Path\nimport labelnb as lnb\n"
        "folder = Path(os.environ['LABELNB_WORKDIR']) / 'hypertext'\n"
        f"project = lnb.Project.create(folder, config={config!r})\n"
        f"project.import_tasks([{{'html': {html!r}}}])\n"
        "project.annotate()",
    )
    open_and_run(page, server, notebook)
    (widget,) = widgets(page, 1)
    docs = widget.locator(".lnb-hypertext-doc")
    expect(docs).to_have_count(2, timeout=60_000)
    for doc in (docs.nth(0), docs.nth(1)):
        expect(doc.locator("b", has_text="these words")).to_be_visible()
        expect(doc).to_contain_text("Log in")  # the words are there, as text
    page.evaluate(
        "() => { window.__opened = []; window.open = (...a) => { window.__opened.push(a); return null; }; }"
    )
    # links never run; without clickableLinks none opens; with it only http(s) would
    for doc in (docs.nth(0), docs.nth(1)):
        for name in ("js link", "data link"):
            doc.get_by_text(name, exact=True).click()
    docs.nth(0).get_by_text("beacon link", exact=True).click()
    docs.nth(0).get_by_text("fake stub").dispatch_event("click")  # a stub lays out no box of its own
    widget.scroll_into_view_if_needed()

    seen = requests_after_settling(page, listener)
    covered = [p for p in page.evaluate(OVERLAY_PROBE, ".lnb-hypertext-doc") if p["inside"]]
    leftovers = page.evaluate(INJECTED_LEFTOVERS, [widget.element_handle(), ".lnb-hypertext-doc"])
    # no span is drawn yet: every attribute is the sanitiser's, on an element the profile allows
    allowed = [
        "alt",
        "title",
        "lang",
        "dir",
        "colspan",
        "rowspan",
        "scope",
        "datetime",
        "src",
        "referrerpolicy",
    ]
    extras = docs.evaluate_all(
        "(docs, allowed) => docs.flatMap((d) => [...d.querySelectorAll('*')].flatMap((el) =>"
        " el.getAttributeNames().filter((a) => !(el.localName === 'lnb-stub' ? ['data-lnb-tag', 'hidden']"
        " : allowed).includes(a)).map((a) => el.localName + '[' + a + ']')))",
        allowed,
    )
    shot(page, "security-hypertext")
    assert seen == [], f"the page reached the beacon listener: {seen}"
    assert covered == [], f"injected content covers the page at {covered}"
    assert leftovers == [], f"dangerous markup reached the page: {leftovers}"
    assert [e for e in extras if not e.startswith("span[")] == [], (
        f"attributes from the task reached the page: {extras}"
    )
    assert page.evaluate("() => window.__pwned === undefined"), page.evaluate("() => window.__pwned")
    assert page.evaluate("() => window.__opened") == []
    expect(page.locator(".jp-Notebook")).to_be_visible()
    # and it is a HyperText still: a drag over the words makes a span
    widget.locator("[data-label-control=ner][data-label=X]").click()
    words = docs.nth(0).locator("b", has_text="these words")
    box = words.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + 1, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] - 1, box["y"] + box["height"] / 2, steps=6)
    page.mouse.up()
    expect(docs.nth(0).locator(".lnb-span[data-region]")).to_have_text("these words")
    assert requests_after_settling(page, listener) == []


def evil_svg(beacon: str) -> str:
    hit = (
        "fetch('{b}/svg-{w}', {{mode: 'no-cors'}}); window.__pwned = '{w}';"
        " try {{ top.document.title = 'PWNED-{w}'; top.__pwned = '{w}'; }} catch (e) {{}}"
    )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'width="240" height="120" onload="{hit.format(b=beacon, w="onload")}">'
        '<rect width="240" height="120" fill="#2563eb"/>'
        '<circle cx="120" cy="60" r="40" fill="#f59e0b"/>'
        f'<image href="{beacon}/svg-href" xlink:href="{beacon}/svg-xlink-href" width="20" height="20"/>'
        f"<script>{hit.format(b=beacon, w='script')}</script>"
        "</svg>"
    )


def test_svg_media_never_runs_as_a_document(page: Page, lab: tuple[Server, Path], listener: Listener) -> None:
    server, _ = lab
    listener.clear()
    config = (
        "<View><Image name='img' value='$image'/>"
        "<Choices name='c' toName='img'><Choice value='a'/></Choices></View>"
    )
    notebook = write_notebook(
        server.root,
        "attack-svg.ipynb",
        "import os\nfrom pathlib import Path\nimport labelnb as lnb\n"
        "folder = Path(os.environ['LABELNB_WORKDIR']) / 'svg-image'\n"
        f"project = lnb.Project.create(folder, config={config!r})\n"
        f"(folder / 'evil.svg').write_text({evil_svg(listener.url)!r})\n"
        "project.import_tasks([{'image': str(folder / 'evil.svg')}])\n"
        "project.annotate(media_roots=[folder])",
    )
    open_and_run(page, server, notebook)
    (widget,) = widgets(page, 1)
    image = widget.locator("img[data-object=img]")
    expect(image).to_have_attribute("data-state", "ready", timeout=60_000)
    widget.scroll_into_view_if_needed()
    assert image.evaluate("img => img.naturalWidth") > 0
    src = image.get_attribute("src")
    assert src is not None
    assert src.startswith("blob:"), src
    served = page.evaluate("url => fetch(url).then(r => r.blob()).then(b => b.type)", src)
    shot(page, "security-svg-widget")
    assert served == "image/png", f"the widget's image is {served}, not a rasterised PNG"
    assert page.evaluate("() => window.__pwned === undefined") is True
    assert "PWNED" not in page.title()
    assert requests_after_settling(page, listener) == []

    # what a person gets with "open image in new tab": an image document, in which nothing runs
    alone = page.context.new_page()
    try:
        alone.goto(src)
        alone.wait_for_load_state("load")
        state = alone.evaluate(
            "() => ({type: document.contentType, pwned: window.__pwned ?? null, title: document.title,"
            " svg: document.documentElement.namespaceURI === 'http://www.w3.org/2000/svg'})"
        )
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        alone.screenshot(path=str(ARTIFACTS / "security-svg-alone.png"))
        assert state["type"] == "image/png", f"the blob URL opens as {state}"
        assert state["svg"] is False, state
        assert state["pwned"] is None, state
        assert "PWNED" not in state["title"], state
        assert requests_after_settling(page, listener) == []
    finally:
        alone.close()


def test_a_config_style_styles_its_own_widget_only(
    page: Page, lab: tuple[Server, Path], listener: Listener
) -> None:
    """A config's <Style> applies inside its widget, scoped: it cannot hide or restyle the notebook, style
    another widget, pin a box over the page, or fetch anything (@import, url(), @font-face)."""
    server, _ = lab
    listener.clear()
    beacon = listener.url
    css = (
        f"@import url({beacon}/css-import);"
        f"@font-face {{ font-family: Evil; src: url({beacon}/font) }}"
        "body { background: rgb(1, 2, 3) }"
        ".jp-Notebook, .jp-Cell { display: none }"
        ".lnb-header { color: rgb(200, 10, 20); background-image: url(" + beacon + "/bg) }"
        ".lnb-view { position: fixed; inset: 0; z-index: 99999 }"
    )
    styled = f'<View><Style>{css}</Style><Header value="Styled"/><Text name="t" value="$text"/></View>'
    plain = '<View><Header value="Plain"/><Text name="t" value="$text"/></View>'
    notebook = write_notebook(
        server.root,
        "attack-config-style.ipynb",
        "import os\nfrom pathlib import Path\nimport labelnb as lnb\n"
        "root = Path(os.environ['LABELNB_WORKDIR'])\n"
        "def show(name, xml):\n"
        "    project = lnb.Project.create(root / name, config=xml)\n"
        "    project.import_tasks([{'text': 'hello'}])\n"
        "    return project.annotate()\n",
        f"show('styled', {styled!r})",
        f"show('plain', {plain!r})",
    )
    open_and_run(page, server, notebook)
    first, second = widgets(page, 2)
    expect(first.locator(".lnb-header")).to_have_text("Styled", timeout=60_000)
    expect(second.locator(".lnb-header")).to_have_text("Plain", timeout=60_000)
    color = "el => getComputedStyle(el).color"
    # inside its widget the rule applies (so the test would see a leak if scoping were wrong)...
    assert first.locator(".lnb-header").evaluate(color) == "rgb(200, 10, 20)"
    # ...and nowhere else
    assert second.locator(".lnb-header").evaluate(color) != "rgb(200, 10, 20)"
    assert page.evaluate("() => getComputedStyle(document.body).backgroundColor") != "rgb(1, 2, 3)"
    expect(page.locator(".jp-Notebook")).to_be_visible()
    assert first.locator(".lnb-view").first.evaluate("el => getComputedStyle(el).position") != "fixed"
    seen = requests_after_settling(page, listener)
    shot(page, "security-config-style")
    assert seen == [], f"the config's CSS reached the beacon listener: {seen}"
