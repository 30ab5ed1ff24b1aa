"""Large images reach the widget as previews, with the original's size, so stored coordinates stay in
percent (and brush masks on the pixel grid) of the original."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

import labelnb as lnb
from labelnb.storage.preview import PREVIEW_PIXELS, image_preview
from tests.kernel_browser import open_widget

CONFIG = """<View><Image name="img" value="$image"/>
<RectangleLabels name="box" toName="img"><Label value="Cat"/></RectangleLabels></View>"""


def jpeg(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (120, 30, 200)).save(out, "JPEG")
    return out.getvalue()


def test_a_24_megapixel_image_gets_a_preview_and_its_original_size() -> None:
    preview = image_preview(jpeg(6000, 4000), "image/jpeg")
    assert preview is not None
    assert (preview.original_width, preview.original_height) == (6000, 4000)
    with Image.open(io.BytesIO(preview.body)) as img:
        w, h = img.size
        assert img.format == "JPEG"
    assert w * h <= PREVIEW_PIXELS * 1.01
    assert abs(w / h - 1.5) < 0.01  # the aspect ratio is kept


def test_small_images_and_other_media_go_out_as_they_are() -> None:
    assert image_preview(jpeg(1920, 1080), "image/jpeg") is None
    assert image_preview(b"RIFF....WAVE", "audio/wav") is None
    assert image_preview(b"not an image at all", "image/png") is None  # the browser gets the original


def test_transparent_images_keep_their_alpha(tmp_path: Path) -> None:
    out = io.BytesIO()
    Image.new("RGBA", (4000, 3000), (0, 0, 0, 0)).save(out, "PNG")
    preview = image_preview(out.getvalue(), "image/png")
    assert preview is not None
    assert preview.mime == "image/png"
    with Image.open(io.BytesIO(preview.body)) as img:
        assert img.mode == "RGBA"


def test_the_widget_receives_the_preview_with_the_original_size(tmp_path: Path) -> None:
    project = lnb.Project.create(tmp_path / "p", CONFIG)
    (tmp_path / "p" / "big.jpg").write_bytes(jpeg(6000, 4000))
    (tmp_path / "p" / "small.jpg").write_bytes(jpeg(600, 400))
    project.import_tasks([{"image": "big.jpg"}, {"image": "small.jpg"}])
    browser = open_widget(project)
    browser.send("media", values=["big.jpg"])
    headers = {c["value"]: (c, b) for c, b in browser.received if c.get("kind") == "media"}
    header, buffers = headers["big.jpg"]
    assert header["original"] == {"width": 6000, "height": 4000}
    assert len(buffers[0]) < len((tmp_path / "p" / "big.jpg").read_bytes())
    with Image.open(io.BytesIO(buffers[0])) as img:
        assert img.size[0] < 6000
