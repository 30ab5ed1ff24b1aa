"""The real-browser fixtures of tests/e2e, for the browser attacks in this folder."""

from tests.e2e.conftest import browser, page  # noqa: F401
