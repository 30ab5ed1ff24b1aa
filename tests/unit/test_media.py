"""Media values from task data: fsspec URLs and local files from allowed roots only."""

from __future__ import annotations

from pathlib import Path

import fsspec
import pytest
from PIL import Image

from labelnb.storage.media import MediaError, MediaResolver, guess_mime, is_browser_url


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "allowed"
    folder.mkdir()
    Image.new("RGB", (3, 2), (255, 0, 0)).save(folder / "red.png")
    return folder


def test_local_file_inside_a_root(root: Path) -> None:
    body, mime = MediaResolver([root]).read(str(root / "red.png"))
    assert body == (root / "red.png").read_bytes()
    assert mime == "image/png"
    assert MediaResolver([root]).read(f"file://{root / 'red.png'}")[0] == body


def test_paths_outside_the_roots_are_refused(root: Path, tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("no")
    resolver = MediaResolver([root])
    with pytest.raises(MediaError, match="allowed roots"):
        resolver.read(str(tmp_path / "secret.txt"))
    with pytest.raises(MediaError, match="allowed roots"):
        resolver.read(str(root / ".." / "secret.txt"))
    (root / "link.png").symlink_to(tmp_path / "secret.txt")
    with pytest.raises(MediaError, match="allowed roots"):
        resolver.read(str(root / "link.png"))


def test_missing_file_says_so(root: Path) -> None:
    with pytest.raises(MediaError, match="no such file"):
        MediaResolver([root]).read(str(root / "gone.png"))


def test_fsspec_urls_are_read_through_fsspec(root: Path) -> None:
    fs = fsspec.filesystem("memory")
    fs.pipe("/bucket/photo.jpg", b"\xff\xd8\xff\xe0fake-jpeg")
    body, mime = MediaResolver([root]).read("memory://bucket/photo.jpg")
    assert body == b"\xff\xd8\xff\xe0fake-jpeg"
    assert mime == "image/jpeg"
    with pytest.raises(MediaError, match="no such file"):
        MediaResolver([root]).read("memory://bucket/missing.jpg")


def test_browser_urls_are_not_fetched_by_the_kernel(root: Path) -> None:
    assert is_browser_url("https://example.org/a.png")
    assert is_browser_url("data:image/png;base64,AAAA")
    assert not is_browser_url("s3://bucket/a.png")
    with pytest.raises(MediaError, match="browser loads"):
        MediaResolver([root]).read("http://127.0.0.1/a.png")


def test_mime_from_signature_before_name() -> None:
    assert guess_mime("x.jpg", b"\x89PNG\r\n") == "image/png"
    assert guess_mime("clip.mp3", b"ID3") == "audio/mpeg"
    assert guess_mime("noext", b"") == "application/octet-stream"
