"""Media values from task data: fsspec URLs and local files from allowed roots only."""

from __future__ import annotations

from pathlib import Path

import fsspec
import pytest
from PIL import Image

from labelnb.storage.media import (
    MediaError,
    MediaPolicy,
    MediaResolver,
    guess_mime,
    is_browser_url,
    safe_mime,
)


def resolver(*roots: Path, allow: tuple[str, ...] = (), base: Path | None = None) -> MediaResolver:
    return MediaResolver(MediaPolicy.build(roots, allow, base))


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "allowed"
    folder.mkdir()
    Image.new("RGB", (3, 2), (255, 0, 0)).save(folder / "red.png")
    return folder


def test_local_file_inside_a_root(root: Path) -> None:
    body, mime = resolver(root).read(str(root / "red.png"))
    assert body == (root / "red.png").read_bytes()
    assert mime == "image/png"
    assert resolver(root).read(f"file://{root / 'red.png'}")[0] == body


def test_paths_outside_the_roots_are_refused(root: Path, tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("no")
    media = resolver(root)
    with pytest.raises(MediaError, match="allowed roots"):
        media.read(str(tmp_path / "secret.txt"))
    with pytest.raises(MediaError, match="allowed roots"):
        media.read(str(root / ".." / "secret.txt"))
    (root / "link.png").symlink_to(tmp_path / "secret.txt")
    with pytest.raises(MediaError, match="allowed roots"):
        media.read(str(root / "link.png"))


def test_missing_file_says_so(root: Path) -> None:
    with pytest.raises(MediaError, match="no such file"):
        resolver(root).read(str(root / "gone.png"))


def test_allowed_fsspec_urls_are_read_through_fsspec(root: Path) -> None:
    fs = fsspec.filesystem("memory")
    fs.pipe("/bucket/photo.jpg", b"\xff\xd8\xff\xe0fake-jpeg")
    fs.pipe("/other/photo.jpg", b"\xff\xd8\xff\xe0fake-jpeg")
    allowed = resolver(root, allow=("memory://bucket/",))
    body, mime = allowed.read("memory://bucket/photo.jpg")
    assert body == b"\xff\xd8\xff\xe0fake-jpeg"
    assert mime == "image/jpeg"
    with pytest.raises(MediaError, match="no such file"):
        allowed.read("memory://bucket/missing.jpg")
    # the prefix allows that bucket only, and no way out of it
    with pytest.raises(MediaError, match=r"allow_media=\['memory://other/'\]"):
        allowed.read("memory://other/photo.jpg")
    with pytest.raises(MediaError, match=r"'\.\.' are not allowed"):
        allowed.read("memory://bucket/../other/photo.jpg")
    with pytest.raises(MediaError, match="only where you allowed"):
        allowed.read("memory://bucketeer/photo.jpg")
    # a protocol name allows all of it
    assert resolver(root, allow=("memory",)).read("memory://other/photo.jpg")[0] == body


def test_fsspec_urls_are_refused_by_default(root: Path) -> None:
    fsspec.filesystem("memory").pipe("/bucket/photo.jpg", b"\xff\xd8\xff\xe0fake-jpeg")
    with pytest.raises(MediaError, match="only where you allowed"):
        resolver(root).read("memory://bucket/photo.jpg")


def test_relative_paths_start_at_the_base_folder(
    root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "red.png").write_bytes(b"not this one")
    body, _ = resolver(root, base=root).read("red.png")
    assert body == (root / "red.png").read_bytes()
    with pytest.raises(MediaError, match="relative path needs a project folder"):
        resolver(root).read("red.png")


def test_allow_entries_are_checked() -> None:
    with pytest.raises(ValueError, match="media_roots"):
        MediaPolicy.build([], ["file:///etc/"])
    with pytest.raises(ValueError, match="each protocol of a chain"):
        MediaPolicy.build([], ["simplecache::s3://b/"])
    assert MediaPolicy.build([], ["S3A://Bucket/x", "gcs"]).allow == ("s3://Bucket/x", "gs")


def test_only_media_types_reach_the_browser_as_they_are() -> None:
    assert safe_mime("image/png") == "image/png"
    assert safe_mime("video/mp4") == "video/mp4"
    assert safe_mime("text/html") == "application/octet-stream"
    assert safe_mime("application/xhtml+xml") == "application/octet-stream"


def test_browser_urls_are_not_fetched_by_the_kernel(root: Path) -> None:
    assert is_browser_url("https://example.org/a.png")
    assert is_browser_url("data:image/png;base64,AAAA")
    assert not is_browser_url("s3://bucket/a.png")
    with pytest.raises(MediaError, match="browser loads"):
        resolver(root).read("http://127.0.0.1/a.png")
    # unless the user lets the kernel fetch from that host
    assert not is_browser_url("https://example.org/a.png", MediaPolicy.build([], ["https://example.org/"]))
    assert is_browser_url("https://example.net/a.png", MediaPolicy.build([], ["https://example.org/"]))


def test_mime_from_signature_before_name() -> None:
    assert guess_mime("x.jpg", b"\x89PNG\r\n") == "image/png"
    assert guess_mime("clip.mp3", b"ID3") == "audio/mpeg"
    assert guess_mime("noext", b"") == "application/octet-stream"
