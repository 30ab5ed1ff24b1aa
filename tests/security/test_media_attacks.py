"""Task data attacking the kernel through media values: file reads and outbound connections.

Each attack goes the way a browser would send it: a task whose ``$image`` is the attack, shown in the
widget (:class:`tests.kernel_browser.Browser` plays the front end), the browser asking for its media. The
kernel must answer with a media error and no bytes, and must not connect anywhere: a loopback listener
records every connection, and a socket guard records every connection attempt of the process.
"""

from __future__ import annotations

import socket
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import labelnb as lnb
from tests.kernel_browser import Browser, open_widget

CONFIG = """
<View>
  <Image name="image" value="$image"/>
  <Choices name="kind" toName="image"><Choice value="cat"/><Choice value="dog"/></Choices>
</View>
"""
SECRET = b"root:x:0:0:the secret the kernel must not send"


class Listener:
    """A TCP listener on loopback that counts the connections it accepts."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


@pytest.fixture
def attempts(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every outbound connection the process tries while the test runs (none is made)."""
    tried: list[Any] = []
    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: Any) -> Any:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            tried.append(address)
            raise ConnectionRefusedError("the test forbids outbound connections")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    monkeypatch.setattr(socket.socket, "connect_ex", guarded)
    return tried


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "outside" / "passwd"
    path.parent.mkdir()
    path.write_bytes(SECRET)
    with zipfile.ZipFile(tmp_path / "outside" / "secret.zip", "w") as archive:
        archive.writestr("passwd", SECRET)
    return path


def show(tmp_path: Path, value: str, **options: Any) -> Browser:
    """A project with one task whose image is ``value``, in a widget, after the browser asked for it."""
    folder = tmp_path / f"project{len(list(tmp_path.glob('project*')))}"
    project = lnb.Project.create(folder, CONFIG)
    project.import_tasks([{"image": value}, {"image": value + "#2"}])
    browser = open_widget(project, **options)
    assert browser.widget.task["media"] == [value], "the kernel must answer for this value, not the browser"
    assert browser.send("media", values=[value])["ok"] is True
    return browser


def refused(browser: Browser, value: str) -> str:
    assert value not in browser.media(), f"{value} was served"
    assert all(SECRET not in bytes(b) for _, buffers in browser.received for b in buffers)
    errors = browser.media_errors()
    assert value in errors, f"{value}: no media error was sent"
    # and the stored answer is not affected: the submission is saved and says so
    answer = browser.send("submit", task_id=browser.widget.task["id"], result=[])
    assert answer["ok"] is True
    return errors[value]


FILE_READS = [
    "{secret}",
    "file://{secret}",
    "file://localhost{secret}",
    "local://{secret}",
    "simplecache::file://{secret}",
    "filecache::file://{secret}",
    "blockcache::file://{secret}",
    "zip://passwd::file://{zip}",
    "tar://passwd::file://{zip}",
    "{root}/../outside/passwd",
    "../outside/passwd",
]


@pytest.mark.parametrize("template", FILE_READS)
def test_task_data_cannot_read_files_outside_the_roots(
    tmp_path: Path, secret: Path, template: str, attempts: list[Any]
) -> None:
    root = tmp_path / "media"
    root.mkdir()
    value = template.format(secret=secret, zip=secret.parent / "secret.zip", root=root)
    browser = show(tmp_path, value, media_roots=[root])
    message = refused(browser, value)
    assert "allowed roots" in message or "not allowed" in message
    assert attempts == []


def test_a_symlink_inside_a_root_cannot_lead_out(tmp_path: Path, secret: Path) -> None:
    root = tmp_path / "media"
    root.mkdir()
    (root / "cat.png").symlink_to(secret)
    value = str(root / "cat.png")
    assert "allowed roots" in refused(show(tmp_path, value, media_roots=[root]), value)


def test_allowed_wrappers_still_hold_local_targets_to_the_roots(tmp_path: Path, secret: Path) -> None:
    root = tmp_path / "media"
    root.mkdir()
    value = f"zip://passwd::file://{secret.parent / 'secret.zip'}"
    browser = show(tmp_path, value, media_roots=[root], allow_media=["zip", "simplecache"])
    assert "allowed roots" in refused(browser, value)


def test_the_project_store_is_never_media(tmp_path: Path) -> None:
    value = "project.db"  # relative paths start at the project folder, which is a root
    assert "never served" in refused(show(tmp_path, value), value)


CONNECTIONS = [
    "webhdfs://127.0.0.1:{port}/user/x.png",
    "ftp://127.0.0.1:{port}/x.png",
    "sftp://127.0.0.1:{port}/x.png",
    "smb://127.0.0.1:{port}/share/x.png",
    "simplecache::http://127.0.0.1:{port}/x.png",
    "zip://x.png::http://127.0.0.1:{port}/x.zip",
    "blockcache::https://127.0.0.1:{port}/x.png",
    "github://owner:repo@main/x.png",
    "gist://0123456789abcdef/x.png",
    "s3://bucket/x.png",
    "gs://bucket/x.png",
    "az://container/x.png",
    "hf://datasets/x/y.png",
    "dropbox://x.png",
    "reference://x.png",
]


@pytest.mark.parametrize("template", CONNECTIONS)
def test_task_data_cannot_make_the_kernel_connect_out(
    tmp_path: Path, listener: Listener, attempts: list[Any], template: str
) -> None:
    value = template.format(port=listener.port)
    message = refused(show(tmp_path, value), value)
    assert "allow_media" in message  # the message says how to allow it
    assert listener.connections == 0
    assert attempts == []


def test_http_goes_to_the_browser_and_the_kernel_never_fetches_it(
    tmp_path: Path, listener: Listener, attempts: list[Any]
) -> None:
    value = f"http://127.0.0.1:{listener.port}/cat.png"
    project = lnb.Project.create(tmp_path / "web", CONFIG)
    project.import_tasks([{"image": value}])
    browser = open_widget(project)
    assert browser.widget.task["media"] == []  # the browser loads it
    assert browser.send("media", values=[value])["ok"] is True  # asking anyway gets nothing
    assert browser.media() == {}
    assert listener.connections == 0
    assert attempts == []


def test_an_allowed_bucket_does_not_open_its_neighbours(tmp_path: Path) -> None:
    import fsspec

    fs = fsspec.filesystem("memory")
    fs.pipe("/photos/cat.png", b"\x89PNG\r\n\x1a\nfine")
    fs.pipe("/private/key.png", SECRET)
    project = lnb.Project.create(tmp_path / "bucket", CONFIG, allow_media=["memory://photos/"])
    project.import_tasks([{"image": "memory://photos/cat.png"}, {"image": "memory://private/key.png"}])
    browser = open_widget(project)
    browser.send("media", values=["memory://photos/cat.png"])
    assert browser.media()["memory://photos/cat.png"].startswith(b"\x89PNG")
    browser.send("submit", task_id=1, result=[])
    browser.send("media", values=["memory://private/key.png"])
    assert "memory://private/key.png" in browser.media_errors()
    assert all(SECRET not in bytes(b) for _, buffers in browser.received for b in buffers)


def test_script_carrying_types_never_reach_the_page_as_documents(tmp_path: Path) -> None:
    root = tmp_path / "media"
    root.mkdir()
    (root / "page.png.html").write_bytes(b"<html><script>alert(1)</script></html>")
    (root / "page.xhtml").write_bytes(b"<html xmlns='http://www.w3.org/1999/xhtml'><script/></html>")
    for name in ("page.png.html", "page.xhtml"):
        browser = show(tmp_path, str(root / name), media_roots=[root])
        mimes = [c["mime"] for c, _ in browser.received if c["kind"] == "media"]
        assert mimes == ["application/octet-stream"]
