"""The team page behind a sign-in proxy: standalone Voilà, with the proxy's user header and shared secret.

One Voilà for the module serves notebooks/team.ipynb on a project that trusts ``X-Forwarded-User``
(``project.trust_header()``), with ``LABELNB_PROXY_SECRET`` in its environment and both headers passed into
its kernels (``--VoilaConfiguration.http_header_envs``). In front of it runs a small reverse proxy written
here (tornado, in a thread; HTTP and the kernel websocket), which knows who is signed in from a signed
cookie of its own, strips whatever identity headers the browser sent and sets its own. Through the proxy a
page labels as the proxy's user; going around it to Voilà, whatever headers or query string the visitor
makes up, the page says "Who are you?" and nothing is stored.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import tornado.httpclient
import tornado.httputil
import tornado.web
import tornado.websocket
from playwright.sync_api import Browser, BrowserContext, Page, expect

import labelnb as lnb
from tests.conftest import PageErrors
from tests.e2e.servers import (
    ARTIFACTS,
    BIN,
    REPO,
    free_port,
    voila,
)
from tests.e2e.widget_page import PageRequests, choice, wait_for, widgets

pytestmark = pytest.mark.e2e

USER_HEADER = "X-Forwarded-User"
SECRET_HEADER = "X-Labelnb-Proxy-Secret"
CONFIG = """
<View>
  <Text name="text" value="$text"/>
  <Choices name="topic" toName="text" choice="single" showInline="true">
    <Choice value="Business"/>
    <Choice value="Science"/>
    <Choice value="Sport"/>
  </Choices>
</View>
"""
# hop-by-hop headers (RFC 9110 7.6.1) and the length, which the proxy's HTTP client sets itself. Host goes
# through, as nginx's `proxy_set_header Host $host` does: Jupyter's websocket checks Origin against it
NOT_FORWARDED = {
    "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
    "transfer-encoding", "upgrade", "content-length",
}  # fmt: skip


def identity_header(name: str) -> bool:
    """Whether ``name`` would reach the kernel as one of the identity variables (however it is spelt)."""
    spelt = name.lower().replace("_", "-")
    return spelt in (USER_HEADER.lower(), SECRET_HEADER.lower())


# -- the sign-in proxy ------------------------------------------------------------------------------------


class ProxyBase:
    """What both handlers share: who is signed in (the proxy's own signed cookie) and the headers to send."""

    request: tornado.httputil.HTTPServerRequest
    settings: dict[str, Any]
    get_signed_cookie: Any

    def signed_in(self) -> str | None:
        value = self.get_signed_cookie("proxy_user")
        return value.decode() if value else None

    def upstream_headers(self, user: str) -> dict[str, str]:
        headers = {
            name: value
            for name, value in self.request.headers.get_all()
            if name.lower() not in NOT_FORWARDED and not identity_header(name)
        }
        headers[USER_HEADER] = user
        headers[SECRET_HEADER] = self.settings["proxy_secret"]
        return headers


class LoginHandler(tornado.web.RequestHandler):
    """The proxy's sign-in: in real life an identity provider's; here ``/_proxy/login?user=<name>``."""

    def get(self) -> None:
        self.set_signed_cookie("proxy_user", self.get_argument("user"), httponly=True)
        self.redirect("/")


class HTTPProxy(ProxyBase, tornado.web.RequestHandler):
    SUPPORTED_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")

    async def _forward(self) -> None:
        user = self.signed_in()
        if user is None:
            raise tornado.web.HTTPError(401, "sign in first")
        body = self.request.body if self.request.method in ("POST", "PUT", "PATCH") else None
        response = await tornado.httpclient.AsyncHTTPClient().fetch(
            self.settings["upstream"] + self.request.uri,
            method=self.request.method,
            headers=self.upstream_headers(user),
            body=body,
            follow_redirects=False,
            raise_error=False,
            decompress_response=False,
            request_timeout=180,
        )
        self.set_status(response.code, response.reason)
        self._headers = tornado.httputil.HTTPHeaders()  # only the upstream's headers
        for name, value in response.headers.get_all():
            if name.lower() not in NOT_FORWARDED:
                self.add_header(name, value)
        if response.body:
            self.write(response.body)

    get = post = put = patch = delete = options = head = _forward  # type: ignore[assignment]


class WebSocketProxy(ProxyBase, tornado.websocket.WebSocketHandler):
    """A kernel's websocket, message by message, in the subprotocol Voilà picks of those the page offers."""

    upstream: tornado.websocket.WebSocketClientConnection | None = None
    pumping: asyncio.Task[None] | None = None  # Voilà's messages to the page

    async def get(self, *args: Any, **kwargs: Any) -> None:
        user = self.signed_in()
        if user is None:
            raise tornado.web.HTTPError(401, "sign in first")
        offered = self.request.headers.get("Sec-WebSocket-Protocol", "")
        url = self.settings["upstream"].replace("http://", "ws://", 1) + self.request.uri
        self.upstream = await tornado.websocket.websocket_connect(
            tornado.httpclient.HTTPRequest(url, headers=self.upstream_headers(user)),
            subprotocols=[p.strip() for p in offered.split(",") if p.strip()] or None,
        )
        await super().get(*args, **kwargs)

    def select_subprotocol(self, subprotocols: list[str]) -> str | None:
        return self.upstream.selected_subprotocol if self.upstream is not None else None

    def upstream_headers(self, user: str) -> dict[str, str]:
        headers = super().upstream_headers(user)
        for name in list(headers):  # the websocket handshake is the client library's own
            if name.lower().startswith("sec-websocket"):
                del headers[name]
        return headers

    def open(self, *args: Any, **kwargs: Any) -> None:
        self.pumping = asyncio.ensure_future(self._pump())

    async def _pump(self) -> None:
        assert self.upstream is not None
        while (message := await self.upstream.read_message()) is not None:
            try:
                await self.write_message(message, binary=isinstance(message, bytes))
            except tornado.websocket.WebSocketClosedError:
                break
        self.close()

    async def on_message(self, message: str | bytes) -> None:
        if self.upstream is not None:
            await self.upstream.write_message(message, binary=isinstance(message, bytes))

    def on_close(self) -> None:
        if self.upstream is not None:
            self.upstream.close()


class SignInProxy:
    """The proxy on a free loopback port, its event loop in a thread of its own."""

    def __init__(self, upstream: str, secret: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.app = tornado.web.Application(
            [
                (r"/_proxy/login", LoginHandler),
                (r"/api/kernels/[^/]+/channels", WebSocketProxy),
                (r"/.*", HTTPProxy),
            ],
            cookie_secret=secrets.token_hex(32),
            upstream=upstream,
            proxy_secret=secret,
            websocket_max_message_size=64 * 1024 * 1024,
        )
        self._ready = threading.Event()
        self._thread = threading.Thread(target=asyncio.run, args=(self._serve(),), daemon=True)

    async def _serve(self) -> None:
        server = self.app.listen(self.port, address="127.0.0.1")
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        self._ready.set()
        await self._stop.wait()
        server.stop()

    def __enter__(self) -> SignInProxy:
        self._thread.start()
        self._ready.wait(timeout=10)
        return self

    def __exit__(self, *exc: object) -> None:
        self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(timeout=15)


# -- Voilà behind it --------------------------------------------------------------------------------------


@dataclass
class Deployment:
    voila: str  # Voilà itself, which only the proxy should reach
    proxy: str
    project: Path


def voila_env(project: Path, secret: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "JPY_", "LABELNB_", "HTTP_"))}
    env.update(
        PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
        PYTHONPATH=str(REPO),  # the kernels import this checkout's labelnb
        PYTHONUNBUFFERED="1",
        LABELNB_TEAM_PROJECT=str(project),
        LABELNB_PROXY_SECRET=secret,  # the kernels inherit it; the proxy sends the same
    )
    return env


def make_project(path: Path) -> None:
    project = lnb.Project.create(path, config=CONFIG, title="Behind a proxy", maximum_annotations=2)
    project.import_tasks([{"text": f"Headline number {i}."} for i in range(1, 6)])
    project.trust_header(USER_HEADER, secret_header=SECRET_HEADER, secret_env="LABELNB_PROXY_SECRET")
    project.close()


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    tmp = tmp_path_factory.mktemp("proxy")
    project = tmp / "team-project"
    make_project(project)
    secret = secrets.token_urlsafe(32)
    headers = [f"--VoilaConfiguration.http_header_envs=['{USER_HEADER}','{SECRET_HEADER}']"]
    with (
        voila(tmp, project, "", "team.ipynb", env=voila_env(project, secret), extra_args=headers) as server,
        SignInProxy(server.url, secret) as proxy,
    ):
        yield Deployment(server.url, proxy.url, project)


@pytest.fixture
def context(browser: Browser, request: pytest.FixtureRequest) -> Iterator[tuple[BrowserContext, Page]]:
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    errors = PageErrors(page)
    requests = PageRequests(page)
    yield ctx, page
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-final.png"), full_page=True)
    ctx.close()
    assert errors.errors == [], "errors in the page:\n" + "\n".join(errors.errors)
    assert requests.off_machine() == [], "the page reached off the machine"


def annotations(project: Path) -> list[tuple[int, str, str]]:
    """(task id, annotator, topic) of every annotation stored, read from the project's store file."""
    opened = lnb.Project.open(project)
    try:
        records = opened.export("json_min")
    finally:
        opened.close()
    return sorted((r["id"], r["annotator"], r["topic"]) for r in records if r.get("annotation_id"))


def who_are_you(page: Page) -> None:
    """The page shows labelnb's "who are you" notice and no widget."""
    expect(page.locator(".labelnb-notice")).to_contain_text("Who are you", timeout=120_000)
    expect(page.locator(".labelnb-root")).to_have_count(0)


# -- the tests --------------------------------------------------------------------------------------------


def test_through_the_proxy_the_page_labels_as_the_proxys_user(
    deployment: Deployment, context: tuple[BrowserContext, Page]
) -> None:
    ctx, page = context
    # what the browser claims is thrown away by the proxy: only its sign-in counts
    ctx.set_extra_http_headers({USER_HEADER: "mallory", SECRET_HEADER: "a guess"})
    before = annotations(deployment.project)
    page.goto(f"{deployment.proxy}/_proxy/login?user=carol")
    (widget,) = widgets(page, 1)
    expect(widget.locator("[data-testid=user]")).to_have_text("carol")
    choice(widget, "topic", "Science").click()
    expect(choice(widget, "topic", "Science")).to_have_attribute("data-selected", "true")
    page.screenshot(path=str(ARTIFACTS / "proxy-carol-selected.png"))
    widget.locator("[data-testid=submit]").click()
    after = wait_for(
        lambda: (rows := annotations(deployment.project)) != before and rows, "carol's answer in the store"
    )
    assert [row for row in after if row not in before] == [(1, "carol", "Science")]
    expect(widget.locator("[data-object='text']")).to_have_text("Headline number 2.")


@pytest.mark.parametrize(
    ("query", "headers"),
    [
        pytest.param("", {}, id="no-headers"),
        pytest.param("", {USER_HEADER: "mallory"}, id="user-header-without-secret"),
        pytest.param("", {USER_HEADER: "mallory", SECRET_HEADER: "a guess"}, id="wrong-secret"),
        pytest.param("", {USER_HEADER: "mallory", SECRET_HEADER: ""}, id="empty-secret"),
        pytest.param("", {"X-Forwarded_User": "mallory"}, id="look-alike-header-name"),
        pytest.param("?user=mallory", {}, id="user-in-the-query-string"),
        pytest.param(
            "?user=mallory&JUPYTERHUB_USER=mallory", {USER_HEADER: "mallory"}, id="query-and-header"
        ),
    ],
)
def test_around_the_proxy_there_is_no_identity(
    deployment: Deployment, context: tuple[BrowserContext, Page], query: str, headers: dict[str, str]
) -> None:
    ctx, page = context
    ctx.set_extra_http_headers(headers)
    before = annotations(deployment.project)
    page.goto(f"{deployment.voila}/{query}")
    who_are_you(page)
    assert "mallory" not in page.locator("body").inner_text()
    assert annotations(deployment.project) == before


def test_the_proxy_turns_away_who_has_not_signed_in(
    deployment: Deployment, context: tuple[BrowserContext, Page]
) -> None:
    _, page = context
    response = page.request.get(f"{deployment.proxy}/", headers={USER_HEADER: "mallory"})
    assert response.status == 401
