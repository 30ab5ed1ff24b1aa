"""Fixtures shared by the browser tests (tests/e2e, tests/security): headless Debian Chromium driven by Playwright;
the store back-end fixtures come from tests/pg_fixtures.py.

One Chromium serves the whole session: a second Playwright in the same process cannot start while the
first one runs.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, sync_playwright

from tests.e2e.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.e2e.servers import ARTIFACTS, BEFORE_STOP

# store_location, store_backend, new_database, postgres_server: the store tests run on SQLite and PostgreSQL
pytest_plugins = ("tests.pg_fixtures",)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


class PageErrors:
    """Uncaught errors and console errors of a page, whoever caused them (labelnb, Jupyter, Voila)."""

    def __init__(self, page: Page) -> None:
        self.errors: list[str] = []
        self.recording = True
        page.on("pageerror", lambda exc: self._add(f"uncaught: {exc}"))
        page.on("console", self._console)

    def _console(self, msg: ConsoleMessage) -> None:
        if msg.type == "error":
            self._add(f"console: {msg.text} (at {msg.location['url']}:{msg.location['lineNumber']})")

    def _add(self, text: str) -> None:
        if self.recording:
            self.errors.append(text)

    def stop(self) -> None:
        """The server goes away: what the page logs about losing it is the test's doing."""
        self.recording = False


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh page; the test fails on any uncaught page error or console error, labelnb's or not."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    pg = context.new_page()
    watch = PageErrors(pg)
    BEFORE_STOP.append(watch.stop)
    try:
        yield pg
    finally:
        BEFORE_STOP.remove(watch.stop)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}-final.png"), full_page=True)
    context.close()
    assert watch.errors == [], "errors in the page:\n" + "\n".join(watch.errors)
