"""The kernel's side of a ``<Pdf>``: its file delivered through the media allow-list, pdf.js served from
the asset table, and ocrlabels results checked (``value.pageIndex`` a page number, ``value.ocrtext`` a
string) before anything is stored. The browser is played by :class:`tests.kernel_browser.Browser`."""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import pytest

import labelnb as lnb
from labelnb.config import LabelConfig, ResultError
from labelnb.config.sample import pdf_bytes
from labelnb.widget.assets import PDFJS, asset_table
from tests.kernel_browser import Browser, open_widget

CONFIG = """<View>
  <OcrLabels name="ocr" toName="pdf"><Label value="Typo"/><Label value="Incorrect Amount"/></OcrLabels>
  <Pdf name="pdf" value="$pdf"/>
</View>"""


def box(page: Any = 0, **value: Any) -> dict[str, Any]:
    return {
        "id": "b1",
        "from_name": "ocr",
        "to_name": "pdf",
        "type": "ocrlabels",
        "value": {
            "x": 10.0,
            "y": 20.0,
            "width": 30.0,
            "height": 5.0,
            "rotation": 0,
            "ocrlabels": ["Typo"],
            "pageIndex": page,
            **value,
        },
    }


@pytest.fixture
def pdf_file(tmp_path: Path) -> Path:
    path = tmp_path / "docs" / "invoice.pdf"
    path.parent.mkdir()
    path.write_bytes(pdf_bytes())
    return path


@pytest.fixture
def browser(tmp_path: Path, pdf_file: Path) -> Browser:
    project = lnb.Project.create(tmp_path / "p", CONFIG)
    project.import_tasks([{"pdf": str(pdf_file)}])
    return open_widget(project, media_roots=[pdf_file.parent])


def stored(browser: Browser) -> list[dict[str, Any]]:
    session = browser.widget._session
    return [a for t in session.store.iter_tasks() for a in t["annotations"]]  # type: ignore[attr-defined]


def annotations(project: lnb.Project) -> list[dict[str, Any]]:
    return [a for task in project.export("json") for a in task["annotations"]]


def test_a_local_pdf_is_delivered_through_the_media_allow_list(browser: Browser, pdf_file: Path) -> None:
    assert browser.widget.task["media"] == [str(pdf_file)]
    browser.send("media", values=[str(pdf_file)])
    assert browser.media()[str(pdf_file)] == pdf_bytes()


def test_a_pdf_outside_the_allowed_roots_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.pdf"
    secret.write_bytes(pdf_bytes())
    project = lnb.Project.create(tmp_path / "q", CONFIG)
    project.import_tasks([{"pdf": str(secret)}])
    browser = open_widget(project, media_roots=[tmp_path / "nowhere"])
    browser.send("media", values=[str(secret)])
    assert str(secret) not in browser.media()
    assert "allowed roots" in browser.media_errors()[str(secret)]


def test_pdfjs_is_served_by_name_as_one_buffer(browser: Browser) -> None:
    assert {"pdfjs/pdf.min.mjs", "pdfjs/pdf.worker.min.mjs"} <= set(asset_table()), (
        "build the front end first (npm run build)"
    )
    assert "pdfjs/standard_fonts/LiberationSans-Regular.ttf" in asset_table()  # for Helvetica
    assert "pdfjs/wasm/openjpeg.wasm" in asset_table()
    reply = browser.send("asset", name="pdfjs/pdf.min.mjs")
    assert reply["ok"] is True
    (buffers,) = [b for c, b in browser.received if c is reply]
    assert buffers == [(PDFJS / "pdf.min.mjs").read_bytes()]


def test_an_ocrlabels_result_with_page_and_text_is_stored_as_sent(tmp_path: Path, browser: Browser) -> None:
    item = box(1, ocrtext="Invoice 2024-0117")
    reply = browser.send("submit", task_id=1, result=[item], lead_time=1.0)
    assert reply["ok"] is True, reply
    project = lnb.Project.open(tmp_path / "p")
    try:
        (annotation,) = annotations(project)
        assert annotation["result"] == [item]
    finally:
        project.close()


BAD_PAGES = [math.nan, math.inf, -1, 1.5, "2", True, None, [1]]
#: what the kernel says about each: NaN and infinity are refused before the shape checks, as JSON cannot
#: hold them
SAYS = r"value\.pageIndex (must be a whole number >= 0|is (nan|inf), which JSON cannot hold)"


@pytest.mark.parametrize("page", BAD_PAGES, ids=repr)
def test_a_bad_page_index_is_refused_by_the_widget_and_nothing_is_stored(
    tmp_path: Path, browser: Browser, page: Any
) -> None:
    reply = browser.send("submit", task_id=1, result=[box(page)], lead_time=1.0)
    assert reply["ok"] is False
    assert re.search(SAYS, reply["error"]), reply["error"]
    assert re.search(r"result item 0|result\[0\]", reply["error"]), reply["error"]
    project = lnb.Project.open(tmp_path / "p")
    try:
        assert annotations(project) == []
    finally:
        project.close()


@pytest.mark.parametrize("page", BAD_PAGES, ids=repr)
def test_a_bad_page_index_is_refused_from_python(tmp_path: Path, page: Any) -> None:
    project = lnb.Project.create(tmp_path / "py", CONFIG)
    project.import_tasks([{"pdf": "https://example.org/a.pdf"}])
    with pytest.raises((ResultError, ValueError), match=SAYS):
        project.submit(1, [box(page)], user="alice")
    assert annotations(project) == []


@pytest.mark.parametrize("text", [3, None, ["a"], {"t": "a"}], ids=repr)
def test_ocrtext_must_be_a_string(text: Any) -> None:
    config = LabelConfig.from_xml(CONFIG)
    with pytest.raises(ResultError, match=r"value\.ocrtext must be a string"):
        config.validate_result([box(0, ocrtext=text)], {"pdf": "x.pdf"})


def test_page_index_and_ocrtext_are_optional_as_in_label_studio() -> None:
    config = LabelConfig.from_xml(CONFIG)
    item = box()
    del item["value"]["pageIndex"]
    config.validate_result([item], {"pdf": "x.pdf"})
    config.validate_result([box(7, ocrtext="")], {"pdf": "x.pdf"})
