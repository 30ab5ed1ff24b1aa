"""Images from an S3 source storage (moto's real server on loopback) in a real JupyterLab and Chromium.

One project's storage sends the bytes through the kernel (the default), the other's hands the browser
presigned URLs (``presign=True``). Each kernel is given the storage's options in its notebook cell, as a
user would after reopening a project: the store never held them. The buffered project also has a target
storage in the same bucket, which receives the task the test submits with the keyboard.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import Browser, expect

import labelnb as lnb
from tests.e2e.notebook_lab import Lab, checked_run, notebook_lab, submit_with_keys
from tests.e2e.widget_page import shot, wait_for
from tests.integration.cloud import Bucket, moto_s3, new_bucket

pytestmark = pytest.mark.e2e

USER = "ann@example.org"
CONFIG = (
    '<View><Image name="image" value="$image"/>'
    '<Choices name="kind" toName="image"><Choice value="Red"/><Choice value="Blue"/></Choices></View>'
)
W, H = 96, 64


def png(color: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (W, H), color).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def bucket(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bucket]:
    with moto_s3() as emulator:
        made = new_bucket("s3", emulator, tmp_path_factory.mktemp("s3"))
        made.put("images/red.png", png("red"))
        yield made


@pytest.fixture(scope="module")
def lab(browser: Browser, bucket: Bucket, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    tmp = tmp_path_factory.mktemp("storage")
    workdir = tmp / "projects"
    options = dict(bucket.options)
    for name, presign in (("buffers", False), ("presigned", True)):
        project = lnb.Project.create(workdir / name, CONFIG)
        project.add_storage("s3", bucket.url("images/"), presign=presign, storage_options=options)
        assert project.sync("s3", progress=False).added == ["red.png"]
        if name == "buffers":
            project.add_storage("labels", bucket.url("labels/"), role="target", storage_options=options)
        project.close()
    cells = [
        f"p = lnb.Project.open(root / {name!r})\n"
        + "".join(f"p.storages.set_options({s!r}, {options!r})\n" for s in storages)
        + "p.annotate()"
        for name, storages in (("buffers", ("s3", "labels")), ("presigned", ("s3",)))
    ]
    with notebook_lab(browser, tmp, USER, "storage.ipynb", ["buffers", "presigned"], cells=cells) as lab:
        yield lab


@pytest.fixture
def checked(lab: Lab, request: pytest.FixtureRequest) -> Iterator[Lab]:
    yield from checked_run(lab, request)


def shown_image(lab: Lab, name: str) -> dict[str, Any]:
    image = lab.roots[name].locator("img[data-object=image]")
    image.scroll_into_view_if_needed()
    expect(image).to_have_attribute("data-state", "ready", timeout=60_000)
    return image.evaluate(
        "img => ({src: img.currentSrc || img.src, w: img.naturalWidth, h: img.naturalHeight,"
        " shown: img.getBoundingClientRect().width})"
    )


def test_bucket_media_arrive_as_buffers_and_answers_reach_the_target(checked: Lab, bucket: Bucket) -> None:
    image = shown_image(checked, "buffers")
    assert image["src"].startswith("blob:")  # the kernel read the object and sent its bytes
    assert (image["w"], image["h"]) == (W, H)
    assert image["shown"] > 0
    root = checked.roots["buffers"]
    root.locator("[data-choice=Red]").click()
    shot(checked.page, "storage-buffers")
    result = submit_with_keys(checked, "buffers")
    assert result[0]["value"] == {"choices": ["Red"]}

    def pushed() -> dict[str, Any] | None:
        return json.loads(bucket.read("labels/1.json")) if "labels/1.json" in bucket.listing() else None

    document = wait_for(pushed, "the target storage to receive task 1")
    assert document["data"]["image"] == bucket.url("images/red.png")
    assert document["annotations"][0]["result"][0]["value"] == {"choices": ["Red"]}


def test_presigned_urls_are_loaded_by_the_browser(checked: Lab, bucket: Bucket) -> None:
    image = shown_image(checked, "presigned")
    endpoint = bucket.options["endpoint_url"]
    assert image["src"].startswith(f"{endpoint}/{bucket.root.split('://')[1]}images/red.png?")
    assert "Signature=" in image["src"]
    assert (image["w"], image["h"]) == (W, H)
    shot(checked.page, "storage-presigned")
