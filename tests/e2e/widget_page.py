"""Reading and driving labelnb widgets on a page, by the data attributes the front end promises."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from playwright.sync_api import Locator, Page, expect

from tests.e2e.servers import ARTIFACTS

T = TypeVar("T")

# The page box of code points [start, end) of a labelled text (its pieces carry their offsets in data-o):
# the first and last line boxes of a DOM range over them.
RANGE_BOXES = """([el, start, end]) => {
  const pieces = [...el.querySelectorAll('[data-o]')];
  const point = (cp) => {
    for (const p of pieces) {
      const o = Number(p.dataset.o), chars = [...p.textContent];
      if (cp >= o && cp <= o + chars.length) {
        return [p.firstChild, chars.slice(0, cp - o).join('').length];
      }
    }
    throw new Error('no piece holds code point ' + cp);
  };
  const range = document.createRange();
  range.setStart(...point(start));
  range.setEnd(...point(end));
  const rects = [...range.getClientRects()].filter((r) => r.width > 0);
  const first = rects[0], last = rects[rects.length - 1];
  return { x0: first.left, y0: first.top + first.height / 2, x1: last.right, y1: last.top + last.height / 2 };
}"""


def widgets(page: Page, count: int, timeout_ms: float = 120_000) -> list[Locator]:
    roots = page.locator(".labelnb-root")
    expect(roots).to_have_count(count, timeout=timeout_ms)
    return [roots.nth(i) for i in range(count)]


def progress(widget: Locator) -> Locator:
    return widget.locator("[data-testid=progress]")


def choice(widget: Locator, control: str, value: str) -> Locator:
    return widget.locator(f"[data-control='{control}'] [data-choice='{value}']")


def shot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path


def dark_shot(page: Page, target: Locator, name: str) -> Path:
    """A screenshot in JupyterLab's dark theme with ``target`` in view, then the light theme again."""
    run = "theme => window.jupyterapp.commands.execute('apputils:change-theme', {theme})"
    # JupyterLab's theme change can move the focus to its shell; put it back where the test left it, so the
    # keys the test presses next still reach the widget
    focused = page.evaluate_handle("() => document.activeElement")
    page.evaluate(run, "JupyterLab Dark")
    page.wait_for_function("() => document.body.dataset.jpThemeLight === 'false'", timeout=30_000)
    target.scroll_into_view_if_needed()
    page.wait_for_timeout(300)  # the theme's CSS variables settle over a frame or two
    path = shot(page, name)
    page.evaluate(run, "JupyterLab Light")
    page.wait_for_function("() => document.body.dataset.jpThemeLight === 'true'", timeout=30_000)
    focused.evaluate("el => el && el.focus && el.focus({preventScroll: true})")
    page.wait_for_function("el => !el || document.activeElement === el", arg=focused, timeout=30_000)
    return path


def assert_focus_within(root: Locator) -> None:
    """The keyboard is inside ``root`` (e.g. before a Ctrl+Enter that only the focused widget hears)."""
    assert root.evaluate("root => root.contains(document.activeElement)"), "the widget lost the focus"


def wait_for(condition: Callable[[], T | None], what: str, timeout: float = 30.0) -> T:
    """Poll ``condition`` (e.g. a query of the store) until it returns something truthy."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


class KernelFrames:
    """Counts what the page sends its kernels over websockets, e.g. the widget's media requests."""

    def __init__(self, page: Page) -> None:
        self.sent: list[bytes] = []
        page.on("websocket", self._watch)

    def _watch(self, ws: Any) -> None:
        ws.on(
            "framesent",
            lambda payload: self.sent.append(payload if isinstance(payload, bytes) else payload.encode()),
        )

    def count(self, fragment: str) -> int:
        needle = fragment.encode()
        return sum(1 for frame in self.sent if needle in frame)


class PageRequests:
    """Every URL a page's browser context asks for: documents, scripts, styles, fonts, fetches, websockets."""

    LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})

    def __init__(self, page: Page) -> None:
        self.urls: list[str] = []
        page.context.on("request", lambda request: self.urls.append(request.url))
        page.on("websocket", lambda ws: self.urls.append(ws.url))

    def off_machine(self) -> list[str]:
        """The URLs that would leave the machine (anything but loopback, data: and blob:)."""
        return [url for url in self.urls if not self.is_local(url)]

    @classmethod
    def is_local(cls, url: str) -> bool:
        parts = urlsplit(url)
        return parts.scheme in ("data", "blob", "about") or parts.hostname in cls.LOCAL_HOSTS


def drag_over_text(page: Page, text: Locator, start: int, end: int) -> None:
    """On a labelled text (``.lnb-spans``): press just inside code point ``start``, drag to just inside the
    end of code point ``end - 1``, release."""
    text.scroll_into_view_if_needed()
    box = page.evaluate(RANGE_BOXES, [text.element_handle(), start, end])
    mouse = page.mouse
    mouse.move(box["x0"] + 1, box["y0"])
    mouse.down()
    mouse.move(box["x1"] - 1, box["y1"], steps=8)
    mouse.up()
