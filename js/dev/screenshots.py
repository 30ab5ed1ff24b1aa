"""Screenshots of the widget harness in Chromium (a look-and-feel check, not a test).

Run from the repository root after `npm run build`:
    .venv/bin/python js/dev/screenshots.py [out_dir]
Serves the repository on a free loopback port, opens js/dev/harness.html per scenario, interacts a little,
and writes PNGs (default: test-artifacts/frontend/).
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import socket
import sys
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from tests.e2e.chromium import CHROMIUM_ARGS as ARGS  # noqa: E402  (one list of Chromium flags for the repo)


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    handler = functools.partial(Quiet, directory=str(ROOT))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    t = threading.Thread(target=httpd.serve_forever, daemon=True)
    t.start()
    try:
        yield f"http://127.0.0.1:{port}/js/dev/harness.html"
    finally:
        httpd.shutdown()
        httpd.server_close()


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "test-artifacts" / "frontend"
    out.mkdir(parents=True, exist_ok=True)
    errors: list[str] = []
    with serve() as base, sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 980, "height": 900}, device_scale_factor=1)
        page.on("pageerror", lambda e: errors.append(f"pageerror: {e}"))
        page.on(
            "console",
            lambda m: errors.append(f"console.{m.type}: {m.text} {m.location}")
            if m.type == "error" and "favicon" not in str(m.location)
            else None,
        )

        def open_(query: str) -> None:
            page.goto(f"{base}?{query}")
            page.wait_for_function("window.__ready === true")
            page.wait_for_selector(".labelnb-root")

        def shot(name: str) -> None:
            page.locator("#cell").screenshot(path=str(out / f"{name}.png"))
            print("wrote", out / f"{name}.png")

        root = ".labelnb-root"

        # 1. text task: hotkeys (focus first), a click, stars, a number and a note
        for theme in ("light", "dark"):
            open_(f"scenario=text&theme={theme}")
            shot(f"text-{theme}-initial")
            page.click(f'{root} [data-object="review"]')  # clicking content focuses the widget
            page.keyboard.press("1")
            page.keyboard.press("f")
            page.keyboard.press("s")
            page.click(f'{root} [data-control="stars"] [data-rating="4"]')
            page.fill(f'{root} [data-control="price"] input', "32.5")
            page.fill(f'{root} [data-control="notes"] textarea', "Great food, slow bill.")
            page.keyboard.press("Enter")  # back to the widget root
            page.mouse.move(0, 0)
            shot(f"text-{theme}-labelled")

        # Choice html is sanitised (DOMPurify, real DOM), task text is never HTML
        open_("scenario=text")
        html = page.inner_html(f'{root} [data-choice="Ambience"] .lnb-choice-text')
        print("sanitised choice html:", html)
        assert "<i>" in html and "onmouseover" not in html and "<script" not in html, html
        assert "javascript:" not in html, html
        assert page.evaluate("window.__pwned") is None
        assert page.locator(f'{root} [data-object="review"] img').count() == 0

        # Jupyter shortcuts must not see keys: listen on document and press some
        open_("scenario=text")
        page.evaluate("window.__leaked = []; document.addEventListener('keydown', e => window.__leaked.push(e.key))")
        page.click(f'{root} [data-object="review"]')
        for key in ["a", "b", "d", "d", "Enter", "Shift+Enter", "2"]:
            page.keyboard.press(key)
        leaked = page.evaluate("window.__leaked")
        focused = page.evaluate("document.activeElement.classList.contains('labelnb-root')")
        print("keys that reached document:", leaked, "| root focused:", focused)
        assert leaked == [], leaked
        # Ctrl+Enter submits and the next task appears, focus stays in the widget
        page.keyboard.press("Control+Enter")
        page.wait_for_selector(f'{root}[data-task-id="102"]')
        still = page.evaluate("!!document.activeElement.closest('.labelnb-root')")
        sent = page.evaluate("window.__sent.filter(m => m.kind === 'submit')")
        print("submitted:", sent, "| focus kept:", still)
        by_name = {r["from_name"]: r["value"] for r in sent[0]["result"]}
        assert by_name == {"sentiment": {"choices": ["Neutral"]}, "topics": {"choices": ["Ambience"]}}, by_name
        page.keyboard.press("3")
        shot("text-after-submit")

        # required: submit with nothing chosen
        open_("scenario=text")
        page.click(f'{root} [data-testid="submit"]')
        shot("text-required")

        # 2. image task: bytes pushed by the fake kernel as media messages
        open_("scenario=image&delay=1500")
        shot("image-loading")
        page.wait_for_selector(f'{root} img[data-object="img"][data-state="ready"]')
        page.click(f'{root} [data-choice="Cat"]')
        page.select_option(f'{root} [data-control="quality"] select', label="Sharp")
        page.mouse.move(0, 0)
        shot("image")
        page.click(f'{root} [data-testid="submit"]')
        page.wait_for_selector(f'{root}[data-task-id="8"] img[data-state="ready"]')
        page.click(f'{root} [data-testid="skip"]')
        page.wait_for_selector(f'{root}[data-task-id="9"] [data-object="img"][data-state="error"]')
        page.mouse.move(0, 0)
        shot("image-media-error")

        # 3. empty queue
        open_("scenario=empty")
        shot("empty")
        open_("scenario=empty&theme=dark")
        shot("empty-dark")

        # 4. a refused submit shows the kernel's error
        open_("scenario=error")
        page.click(f'{root} [data-choice="Positive"]')
        page.click(f'{root} [data-testid="submit"]')
        page.wait_for_selector(f'{root} [data-testid="error"]')
        page.mouse.move(0, 0)
        shot("error-banner")

        # busy state mid-request
        open_("scenario=text&latency=4000")
        page.click(f'{root} [data-choice="Negative"]')
        page.click(f'{root} [data-testid="submit"]')
        page.mouse.move(0, 0)
        shot("text-busy")

        browser.close()
    if errors:
        print("\n".join(errors))
        raise SystemExit(1)


if __name__ == "__main__":
    main()
