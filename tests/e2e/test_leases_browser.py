"""The widget keeps the lease of the task it shows, in a real JupyterLab: with a 3-second lease the page
renews it every second, so it never runs out while the task is on screen, and another annotator is never
given that task."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy import select

import labelnb as lnb
from labelnb.store import read_transaction
from labelnb.store import schema as s
from tests.e2e.notebook_lab import Lab, checked_run, notebook_lab
from tests.e2e.widget_page import wait_for

pytestmark = pytest.mark.e2e

USER = "keeper@example.org"
CONFIG = '<View><Text name="t" value="$t"/><Choices name="c" toName="t"><Choice value="a"/></Choices></View>'
TTL_S = 3.0


@pytest.fixture(scope="module")
def lab(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    tmp = tmp_path_factory.mktemp("leases")
    project = lnb.Project.create(tmp / "projects" / "held", config=CONFIG, lease_ttl=TTL_S)
    project.import_tasks([{"t": "first"}, {"t": "second"}])
    project.close()
    with notebook_lab(browser, tmp, USER, "leases.ipynb", ["held"]) as lab:
        yield lab


@pytest.fixture
def checked(lab: Lab, request: pytest.FixtureRequest) -> Iterator[Lab]:
    yield from checked_run(lab, request)


def expiry(lab: Lab) -> float | None:
    project = lnb.Project.open(lab.workdir / "held")
    try:
        with read_transaction(project.store.engine) as conn:
            return conn.execute(
                select(s.leases.c.expires_at)
                .join(s.users, s.users.c.id == s.leases.c.user_id)
                .where(s.leases.c.task_id == 1, s.users.c.email == USER)
            ).scalar()
    finally:
        project.close()


def test_the_task_on_screen_stays_leased_while_the_widget_shows_it(checked: Lab) -> None:
    root = checked.roots["held"]
    expect(root.locator("[data-object=t]")).to_have_text("first", timeout=60_000)
    first = expiry(checked)
    assert first is not None
    # renewed: the expiry moves on, more than once
    later = wait_for(lambda: (e := expiry(checked)) is not None and e > first + 1 and e, "a renewal")
    wait_for(lambda: (e := expiry(checked)) is not None and e > later + 1, "a second renewal")
    # three leases' time after the task was shown, it is still held: another annotator gets the next one
    time.sleep(max(0.0, first + 2 * TTL_S - time.time()))
    other = lnb.Project.open(checked.workdir / "held")
    try:
        assert (other.next_task("someone-else@example.org") or {}).get("id") == 2
    finally:
        other.close()
