"""The browser attacking the kernel through ``asset`` messages (pdf.js and its data, labelnb/widget/assets.py).

An asset name is a key of a fixed table, never a path: a traversal, an absolute path (even of a real asset),
a URL, an unknown or oddly spelled name, or a name that is not a string is refused with an error reply and
no bytes, and no file is read while the kernel answers it. A symlink planted among the assets is not one.
"""

from __future__ import annotations

import builtins
import io
import os
import pathlib
from pathlib import Path
from typing import Any

import pytest

import labelnb as lnb
from labelnb.widget import assets
from labelnb.widget.assets import PDFJS, AssetError, asset_table, read_asset
from tests.kernel_browser import Browser, open_widget

CONFIG = """<View>
  <OcrLabels name="ocr" toName="pdf"><Label value="Typo"/></OcrLabels>
  <Pdf name="pdf" value="$pdf"/>
</View>"""

ATTACKS: list[Any] = [
    "../widget.js",
    "pdfjs/../widget.js",
    "pdfjs/../../widget/annotator.py",
    "pdfjs/../../../../../../etc/passwd",
    "/etc/passwd",
    str(PDFJS / "pdf.min.mjs"),  # a real asset, by its absolute path
    "file://" + str(PDFJS / "pdf.min.mjs"),
    "http://127.0.0.1:9/pdf.min.mjs",
    "pdfjs/./pdf.min.mjs",
    "pdfjs//pdf.min.mjs",
    "pdfjs\\pdf.min.mjs",
    "PDFJS/pdf.min.mjs",
    "pdfjs/pdf.min.mjs\x00.png",
    "pdfjs/pdf.min.mjs ",
    "pdf.min.mjs",
    "pdfjs/",
    "pdfjs",
    "",
    "pdfjs/nope.js",
    "pdfjs/standard_fonts/../pdf.worker.min.mjs",
    "~/.ssh/id_rsa",
    "%2e%2e/widget.js",
    "pdfjs/%2e%2e/%2e%2e/widget/annotator.py",
    "x" * 100_000,
    1,
    None,
    ["pdfjs/pdf.min.mjs"],
    {"name": "pdfjs/pdf.min.mjs"},
    True,
]


class Reads:
    """Every file opened or read while active (builtins.open, io.open, os.open, Path.read_bytes)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.paths: list[str] = []
        self.active = False
        real_open, real_os_open, real_read_bytes = builtins.open, os.open, pathlib.Path.read_bytes

        def spy_open(file: Any, *args: Any, **kwargs: Any) -> Any:
            if self.active:
                self.paths.append(str(file))
            return real_open(file, *args, **kwargs)

        def spy_os_open(path: Any, *args: Any, **kwargs: Any) -> int:
            if self.active:
                self.paths.append(str(path))
            return real_os_open(path, *args, **kwargs)

        def spy_read_bytes(path: pathlib.Path) -> bytes:
            if self.active:
                self.paths.append(str(path))
            return real_read_bytes(path)

        monkeypatch.setattr(builtins, "open", spy_open)
        monkeypatch.setattr(io, "open", spy_open)
        monkeypatch.setattr(os, "open", spy_os_open)
        monkeypatch.setattr(pathlib.Path, "read_bytes", spy_read_bytes)


@pytest.fixture
def browser(tmp_path: Path) -> Browser:
    assert "pdfjs/pdf.min.mjs" in asset_table(), "build the front end first (npm run build)"
    project = lnb.Project.create(tmp_path / "p", CONFIG)
    project.import_tasks([{"pdf": "https://example.org/a.pdf"}])
    return open_widget(project)


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Reads:
    return Reads(monkeypatch)


@pytest.mark.parametrize("name", ATTACKS, ids=lambda n: repr(n)[:60])
def test_an_asset_name_that_is_not_in_the_table_reads_nothing(
    browser: Browser, reads: Reads, name: Any
) -> None:
    before = len(browser.received)
    reads.active = True
    reply = browser.send("asset", name=name)
    reads.active = False
    assert reply["ok"] is False
    assert reply["error"], reply
    assert all(buffers == [] for _, buffers in browser.received[before:]), "bytes went to the browser"
    assert reads.paths == [], f"files read for {name!r}: {reads.paths}"
    if isinstance(name, str):
        assert "is not one of labelnb's front-end assets" in reply["error"]
    else:
        assert "wrong type" in reply["error"]


def test_an_asset_message_without_a_name_is_refused(browser: Browser) -> None:
    reply = browser.send("asset")
    assert reply["ok"] is False
    assert "lacks the field 'name'" in reply["error"]


def test_the_real_asset_is_served_and_only_it(browser: Browser, reads: Reads) -> None:
    reads.active = True
    reply = browser.send("asset", name="pdfjs/pdf.worker.min.mjs")
    reads.active = False
    assert reply["ok"] is True
    assert set(reads.paths) == {str(PDFJS / "pdf.worker.min.mjs")}
    (buffers,) = [b for c, b in browser.received if c is reply]
    assert buffers == [(PDFJS / "pdf.worker.min.mjs").read_bytes()]


def test_a_symlink_planted_among_the_assets_is_not_an_asset(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("the secret the kernel must not send")
    folder = tmp_path / "pdfjs"
    (folder / "cmaps").mkdir(parents=True)
    (folder / "pdf.min.mjs").write_text("export {};")
    (folder / "cmaps" / "evil.bcmap").symlink_to(secret)
    (folder / "linked").symlink_to(tmp_path, target_is_directory=True)
    monkeypatch.setattr(assets, "PDFJS", folder)
    asset_table.cache_clear()
    try:
        assert set(asset_table()) == {"pdfjs/pdf.min.mjs"}
        for name in ("pdfjs/cmaps/evil.bcmap", "pdfjs/linked/secret.txt"):
            with pytest.raises(AssetError):
                read_asset(name)
        assert read_asset("pdfjs/pdf.min.mjs") == b"export {};"
    finally:
        asset_table.cache_clear()
