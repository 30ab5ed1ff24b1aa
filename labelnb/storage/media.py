"""Resolving media values from task data (``$image`` and friends) to bytes for the browser.

Local paths are served only from allowed roots, so a task cannot make the kernel read an arbitrary file.
fsspec URLs (``s3://``, ``gs://``, ``az://``, ``memory://``, ...) are opened through fsspec. http(s) and
``data:`` URLs are not fetched by the kernel: the browser loads them itself.
"""

from __future__ import annotations

import mimetypes
import os
from collections.abc import Iterable
from pathlib import Path

import fsspec

#: largest media file the kernel sends to the browser
MAX_MEDIA_BYTES = 64 * 1024 * 1024

_BROWSER_SCHEMES = ("http://", "https://", "data:", "blob:")


class MediaError(ValueError):
    """A media value that cannot or may not be served."""


def is_browser_url(value: str) -> bool:
    """True for values the browser loads itself (http(s), data: and blob: URLs)."""
    return value.lower().startswith(_BROWSER_SCHEMES)


def guess_mime(value: str, head: bytes = b"") -> str:
    """The MIME type of a media value, from its bytes' signature first and its name second."""
    signatures = (
        (b"\x89PNG", "image/png"),
        (b"\xff\xd8\xff", "image/jpeg"),
        (b"GIF8", "image/gif"),
        (b"RIFF", "image/webp" if head[8:12] == b"WEBP" else "audio/wav"),
        (b"<svg", "image/svg+xml"),
        (b"BM", "image/bmp"),
    )
    for magic, mime in signatures:
        if head.startswith(magic):
            return mime
    guessed, _ = mimetypes.guess_type(value)
    return guessed or "application/octet-stream"


class MediaResolver:
    """Reads media values into bytes, honouring the allowed local roots."""

    def __init__(self, roots: Iterable[str | os.PathLike[str]]) -> None:
        self.roots = [Path(root).resolve() for root in roots]

    def _local_path(self, value: str) -> Path:
        raw = value[len("file://") :] if value.startswith("file://") else value
        path = Path(raw).expanduser()
        if not path.is_absolute():
            path = Path.cwd() / path
        path = path.resolve()
        if not any(path == root or root in path.parents for root in self.roots):
            allowed = ", ".join(str(root) for root in self.roots) or "none"
            raise MediaError(
                f"{value}: local files are served only from the allowed roots ({allowed}); "
                "pass media_roots=[...] to annotate() to allow another folder"
            )
        return path

    def read(self, value: str) -> tuple[bytes, str]:
        """The bytes and MIME type of a media value."""
        if is_browser_url(value):
            raise MediaError(f"{value}: the browser loads http(s) and data: URLs itself")
        try:
            if "://" in value and not value.startswith("file://"):
                with fsspec.open(value, "rb") as handle:
                    body = handle.read(MAX_MEDIA_BYTES + 1)
            else:
                with self._local_path(value).open("rb") as handle:
                    body = handle.read(MAX_MEDIA_BYTES + 1)
        except MediaError:
            raise
        except FileNotFoundError as exc:
            raise MediaError(f"{value}: no such file") from exc
        except (OSError, ValueError, ImportError) as exc:
            raise MediaError(f"{value}: cannot be read ({exc})") from exc
        if len(body) > MAX_MEDIA_BYTES:
            raise MediaError(f"{value}: larger than {MAX_MEDIA_BYTES // (1024 * 1024)} MiB")
        return body, guess_mime(value, body[:16])
