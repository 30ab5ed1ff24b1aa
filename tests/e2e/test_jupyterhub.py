"""The team page (notebooks/team.ipynb) served by a real JupyterHub with deploy/jupyterhub_config.py.

One hub for the module: configurable-http-proxy in front, the dummy authenticator, every user's single-user
server on Voilà's team page, all on loopback. Two people sign in in two browser contexts at once, label by
clicking, and the shared project store (a SQLite folder both users' servers write) must hold each one's
annotations under their own hub name, never the other's.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

import labelnb as lnb
from tests.conftest import PageErrors
from tests.e2e.servers import ARTIFACTS, BIN, REPO, copy_notebooks, free_port
from tests.e2e.widget_page import PageRequests, choice, wait_for, widgets

pytestmark = pytest.mark.e2e

CONFIG = REPO / "deploy" / "jupyterhub_config.py"
NODE_BIN = REPO / "node_modules" / ".bin"
PAGE = "voila/render/team.ipynb"
# what each person answers on every task: any annotation stored with the other's answer is a mix-up
ANSWERS = {"alice": "Business", "bob": "Sport"}
TASKS_EACH = 2


@dataclass
class Hub:
    url: str  # the proxy's public URL, no trailing slash
    store: Path  # LABELNB_TEAM_PROJECT: the team's project folder
    log: Path


def hub_env(tmp: Path, notebooks: Path, store: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "JPY_", "LABELNB_"))}
    env.update(
        PATH=os.pathsep.join([str(BIN), str(NODE_BIN), env.get("PATH", "")]),
        # the single-user servers and their kernels import this checkout's labelnb (the spawner keeps it)
        PYTHONPATH=str(REPO),
        PYTHONUNBUFFERED="1",
        LABELNB_HUB_AUTHENTICATOR="dummy",
        LABELNB_HUB_SPAWNER="simple",
        LABELNB_HUB_HOMES=str(tmp / "home" / "{username}"),
        LABELNB_HUB_NOTEBOOKS=str(notebooks),
        LABELNB_TEAM_PROJECT=str(store),
    )
    return env


def hub_command(tmp: Path, port: int, *options: str) -> list[str]:
    """``jupyterhub`` with deploy/jupyterhub_config.py on free ports, its database and secrets in ``tmp``."""
    return [
        str(BIN / "jupyterhub"), "-f", str(CONFIG), f"--JupyterHub.port={port}",
        "--JupyterHub.hub_ip=127.0.0.1", f"--JupyterHub.hub_port={free_port()}",
        f"--ConfigurableHTTPProxy.api_url=http://127.0.0.1:{free_port()}",
        f"--JupyterHub.db_url=sqlite:///{tmp / 'jupyterhub.sqlite'}",
        f"--JupyterHub.cookie_secret_file={tmp / 'jupyterhub_cookie_secret'}",
        f"--ConfigurableHTTPProxy.pid_file={tmp / 'proxy.pid'}",
        *options,
    ]  # fmt: skip


def stop_hub(proc: subprocess.Popen[bytes]) -> list[str]:
    """Stop the hub as its operator would (SIGTERM: it stops the servers it spawned and its proxy, which run
    in sessions of their own); the processes still alive afterwards, which are then killed."""
    try:
        family = psutil.Process(proc.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        family = []
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)
    _, alive = psutil.wait_procs(family, timeout=15)
    left = [" ".join(p.cmdline()[:3]) for p in alive if p.is_running()]
    for p in alive:
        p.kill()
    return left


def wait_hub(url: str, proc: subprocess.Popen[bytes], log: Path, timeout: float = 90.0) -> None:
    """Until the hub answers through its proxy: the proxy is up first and says 404 or 503 until the hub
    has added its route."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"jupyterhub exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if "version" in json.loads(response.read()):
                    return
        except (OSError, ValueError):
            pass
        time.sleep(0.2)
    raise TimeoutError(f"no hub at {url} within {timeout}s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    tmp = tmp_path_factory.mktemp("hub")
    notebooks = copy_notebooks(tmp)
    store = tmp / "team-store"
    port = free_port()
    log = tmp / "jupyterhub.log"
    cmd = hub_command(tmp, port, "--JupyterHub.ip=127.0.0.1")
    with log.open("wb") as out:
        proc = subprocess.Popen(
            cmd,
            cwd=tmp,
            env=hub_env(tmp, notebooks, store),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    left: list[str] = []
    try:
        base = f"http://127.0.0.1:{port}"
        wait_hub(f"{base}/hub/api", proc, log)
        yield Hub(base, store, log)
    finally:
        left = stop_hub(proc)
    assert left == [], f"still running after the hub stopped: {left}"


def sign_in(browser: Browser, hub: Hub, user: str) -> tuple[BrowserContext, Page, PageErrors, PageRequests]:
    """A browser context of its own for ``user``: the hub's login form, then the page the spawner opens."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors, requests = PageErrors(page), PageRequests(page)
    page.goto(f"{hub.url}/hub/login")
    page.locator("input[name=username]").fill(user)
    page.locator("input[name=password]").fill(secrets.token_hex(8))  # the dummy authenticator takes any
    page.locator("[type=submit]").click()
    return context, page, errors, requests


def team_widget(page: Page, user: str) -> Locator:
    """The widget on ``user``'s Voilà page, behind the hub's spawn page and the notebook's first run."""
    (widget,) = widgets(page, 1, timeout_ms=180_000)
    expect(page).to_have_url(f"{page.url.split('/user/')[0]}/user/{user}/{PAGE}")
    expect(widget.locator("[data-testid=user]")).to_have_text(user)
    return widget


def stored(store: Path) -> list[tuple[int, str, str]]:
    """(task id, annotator, topic) of every annotation in the team's project, read from its store file."""
    project = lnb.Project.open(store)
    try:
        records = project.export("json_min")
    finally:
        project.close()
    return sorted((r["id"], r["annotator"], r["topic"]) for r in records if r.get("annotation_id"))


def answer(widget: Locator, user: str, hub: Hub, count_before: int) -> None:
    """Click ``user``'s answer and Submit, as a person would; wait until the store holds one more annotation
    and the widget shows the next task."""
    task_text = widget.locator("[data-object='text']").inner_text()
    choice(widget, "topic", ANSWERS[user]).click()
    expect(choice(widget, "topic", ANSWERS[user])).to_have_attribute("data-selected", "true")
    widget.locator("[data-testid=submit]").click()
    wait_for(lambda: len(stored(hub.store)) > count_before, f"{user}'s answer in the store")
    expect(widget.locator("[data-object='text']")).not_to_have_text(task_text)


def test_two_people_label_through_the_hub_under_their_own_names(browser: Browser, hub: Hub) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    people: dict[str, tuple[BrowserContext, Page, PageErrors, PageRequests]] = {}
    pages: dict[str, Locator] = {}
    try:
        # alice's page makes the demo project (LABELNB_TEAM_PROJECT names an empty folder), then bob signs
        # in and his page opens it; from then on both pages stay open
        for user in ANSWERS:
            people[user] = sign_in(browser, hub, user)
            pages[user] = team_widget(people[user][1], user)
        for user, (_, page, _, _) in people.items():
            expect(pages[user].locator("[data-testid=progress]")).to_contain_text("of 20 done")
            page.screenshot(path=str(ARTIFACTS / f"hub-{user}-start.png"))

        # the two label in turns, both pages open: the same tasks (overlap 2), each answer its own
        done = 0
        for _ in range(TASKS_EACH):
            for user in ANSWERS:
                answer(pages[user], user, hub, done)
                done += 1
        for user, (_, page, _, _) in people.items():
            page.screenshot(path=str(ARTIFACTS / f"hub-{user}-after.png"))

        rows = stored(hub.store)
        assert len(rows) == TASKS_EACH * len(ANSWERS)
        for user, topic in ANSWERS.items():
            mine = [(task, t) for task, who, t in rows if who == user]
            assert mine == [(task, topic) for task in range(1, TASKS_EACH + 1)], rows
        assert {who for _, who, _ in rows} == set(ANSWERS)

        # one person's server is not another's: alice's browser is refused bob's page
        _, alice_page, alice_errors, _ = people["alice"]
        alice_errors.stop()  # the refusal is a 403 page, which the browser logs as an error
        response = alice_page.goto(f"{hub.url}/user/bob/{PAGE}")
        assert response is not None
        assert response.status == 403
        expect(alice_page.locator(".labelnb-root")).to_have_count(0)
        alice_page.screenshot(path=str(ARTIFACTS / "hub-alice-refused-bob.png"))

        for user, (_, _, errors, requests) in people.items():
            assert errors.errors == [], f"errors in {user}'s page:\n" + "\n".join(errors.errors)
            assert requests.off_machine() == [], f"{user}'s page reached off the machine"
    finally:
        for context, *_ in people.values():
            context.close()


def test_the_dummy_sign_in_refuses_a_hub_others_can_reach(tmp_path: Path) -> None:
    """Without --JupyterHub.ip=127.0.0.1 the hub would listen on every address: the config stops it first."""
    env = hub_env(tmp_path, copy_notebooks(tmp_path), tmp_path / "team-store")
    proc = subprocess.Popen(
        hub_command(tmp_path, free_port()),
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        output, _ = proc.communicate(timeout=60)
    finally:
        left = stop_hub(proc)  # only if it did start after all
    assert proc.returncode != 0
    assert b"the dummy authenticator is for tests, not for a hub on all addresses" in output
    assert left == []
