"""Resolving media values from task data (``$image`` and friends) to bytes for the browser.

Task data is untrusted: a value may name any file or any host. The kernel therefore opens a value only
through an allow-list (:class:`MediaPolicy`):

- plain local paths and ``file://`` URLs, held to the allowed roots *after* resolving symlinks and ``..``;
  relative paths start at the base folder (the project folder), never at the kernel's working directory;
- fsspec URLs (``s3://bucket/prefix/...``, ``gs://...``, ``memory://...``) only for the protocols, buckets
  or prefixes the user allowed when creating the project or opening the widget;
- chained URLs (``simplecache::s3://...``, ``zip://member::file:///x.zip``) only when every protocol in
  the chain is allowed, with the innermost target checked like a plain value;
- ``http(s)://``, ``data:`` and ``blob:`` URLs are left to the browser, which loads them itself; the
  kernel fetches http(s) only for hosts or prefixes the user allowed.

Everything else is refused with a :class:`MediaError` that says what to allow. The bytes that are sent
carry a MIME type from a short list of media types; anything else (HTML, XML, scripts) goes out as
``application/octet-stream``, so no blob the browser makes from it can run as a document.
"""

from __future__ import annotations

import mimetypes
import os
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from labelnb.storage.secrets import redact

#: largest media file the kernel sends to the browser
MAX_MEDIA_BYTES = 64 * 1024 * 1024

_BROWSER_ONLY = ("data:", "blob:")
_HTTP = ("http", "https")
#: protocols that name files on this machine: held to the roots whatever else is allowed
LOCAL_PROTOCOLS = frozenset({"file", "local"})
#: fsspec's other names for the same stores, so that allowing one name allows its aliases
_ALIASES = {"s3a": "s3", "gcs": "gs", "abfs": "az", "abfss": "az", "adl": "az", "local": "file"}
_PROTOCOL = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*)://")

#: MIME types the browser may be handed; anything else is sent as application/octet-stream
SAFE_MIME_TYPES = frozenset(
    {
        "image/png",
        "image/jpeg",
        "image/gif",
        "image/webp",
        "image/bmp",
        "image/avif",
        "image/tiff",
        "image/x-icon",
        "image/vnd.microsoft.icon",
        # rasterised by the front end before anything shows it: never a document in the page
        "image/svg+xml",
    }
)


class MediaError(ValueError):
    """A media value that cannot or may not be served."""


def protocol_of(value: str) -> str:
    """The canonical protocol of a URL (``"s3"``, ``"file"``), ``""`` for a plain path."""
    found = _PROTOCOL.match(value)
    if not found:
        return ""
    name = found.group(1).lower()
    return _ALIASES.get(name, name)


def _canonical(url: str) -> str:
    protocol = protocol_of(url)
    return f"{protocol}://{url.split('://', 1)[1]}" if protocol else url


@dataclass(frozen=True)
class MediaPolicy:
    """What the kernel may open on behalf of task data.

    Attributes:
        roots: folders local media may come from (symlinks and ``..`` are resolved first).
        allow: protocols (``"s3"``, ``"zip"``, ``"https"``) or URL prefixes (``"s3://bucket/images/"``,
            ``"https://example.org/media/"``) the kernel may open. A prefix allows that bucket or folder
            only; a protocol name allows all of it. Chains need every one of their protocols allowed.
        base: where relative paths start (the project folder).
        hidden: files never served even under a root, with every file whose name extends theirs (the
            project's ``project.db`` and its ``-wal``/``-shm`` companions).
        options: fsspec storage options per URL prefix (a storage's endpoint and credentials, held in
            memory only), used to read values under that prefix.
    """

    roots: tuple[Path, ...]
    allow: tuple[str, ...] = ()
    base: Path | None = None
    hidden: tuple[Path, ...] = ()
    options: tuple[tuple[str, Mapping[str, Any]], ...] = field(default=(), repr=False)

    @classmethod
    def build(
        cls,
        roots: Iterable[str | os.PathLike[str]],
        allow: Iterable[str] = (),
        base: str | os.PathLike[str] | None = None,
        hidden: Iterable[str | os.PathLike[str]] = (),
        options: Iterable[tuple[str, Mapping[str, Any]]] = (),
    ) -> MediaPolicy:
        """A policy from user input: checks the allow entries and resolves the roots."""
        entries: list[str] = []
        for entry in allow:
            if not isinstance(entry, str) or not entry.strip():
                raise ValueError(f"allowed media entries are protocol names or URL prefixes, not {entry!r}")
            entry = entry.strip()
            if "::" in entry:
                raise ValueError(f"{entry!r}: allow each protocol of a chain on its own, not the chain")
            if "://" in entry:
                if protocol_of(entry) in LOCAL_PROTOCOLS:
                    raise ValueError(
                        f"{entry!r}: local folders are allowed with media_roots, not allow_media"
                    )
                entries.append(_canonical(entry))
            else:
                name = entry.lower().rstrip(":/")
                if name in LOCAL_PROTOCOLS:
                    raise ValueError(f"{entry!r}: local files are allowed with media_roots, not allow_media")
                entries.append(_ALIASES.get(name, name))
        base_path = Path(base).expanduser().resolve() if base is not None else None
        resolved = tuple(dict.fromkeys(Path(root).expanduser().resolve() for root in roots))
        never = tuple(Path(path).resolve() for path in hidden)
        # the longest prefix first, so a storage inside another's bucket uses its own options
        by_prefix = tuple(sorted(((_canonical(p), dict(o)) for p, o in options), key=lambda x: -len(x[0])))
        return cls(resolved, tuple(dict.fromkeys(entries)), base_path, never, by_prefix)

    def options_for(self, url: str) -> Mapping[str, Any]:
        """The fsspec options to read ``url`` with: those of the longest prefix that holds it."""
        canonical = _canonical(url)
        for prefix, options in self.options:
            if canonical.startswith(prefix):
                return options
        return {}

    def protocol_allowed(self, protocol: str) -> bool:
        return protocol in self.allow

    def url_allowed(self, url: str) -> bool:
        """True when ``url`` (one link, no chain) is covered by an allowed protocol or prefix."""
        canonical = _canonical(url)
        protocol = protocol_of(canonical)
        if self.protocol_allowed(protocol):
            return True
        for entry in self.allow:
            if "://" not in entry:
                continue
            prefix = entry if entry.endswith("/") else entry + "/"
            if canonical == entry or canonical.startswith(prefix):
                return True
        return False


def is_browser_url(value: str, policy: MediaPolicy | None = None) -> bool:
    """True for values the browser loads itself: data: and blob: URLs, and http(s) unless the kernel
    is allowed to fetch them (``policy``)."""
    lowered = value.lower()
    if lowered.startswith(_BROWSER_ONLY):
        return True
    if protocol_of(value) in _HTTP and "::" not in value:
        return policy is None or not policy.url_allowed(value)
    return False


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
    if head.lstrip().startswith(b"<") and b"<svg" in head:
        return "image/svg+xml"
    guessed, _ = mimetypes.guess_type(value)
    return guessed or "application/octet-stream"


def safe_mime(mime: str) -> str:
    """``mime`` when the browser may be given it as is; otherwise ``application/octet-stream``."""
    if mime in SAFE_MIME_TYPES or mime.startswith(("audio/", "video/")):
        return mime
    return "application/octet-stream"


class MediaResolver:
    """Reads media values into bytes under a :class:`MediaPolicy`."""

    def __init__(self, policy: MediaPolicy) -> None:
        self.policy = policy

    @property
    def roots(self) -> tuple[Path, ...]:
        return self.policy.roots

    def delivers(self, value: str) -> bool:
        """True when the kernel sends this value's bytes (or its refusal); False when the browser loads it."""
        return bool(value) and not is_browser_url(value, self.policy)

    # -- checks -------------------------------------------------------------------------------------

    def local_path(self, value: str) -> Path:
        """The resolved file a local value names, if it lies under an allowed root."""
        raw = value
        if protocol_of(value) in LOCAL_PROTOCOLS:
            rest = value.split("://", 1)[1]
            host, slash, rest_path = rest.partition("/")
            if host not in ("", "localhost"):
                raise MediaError(f"{value}: file URLs on another host are not served")
            raw = slash + rest_path
        if "\x00" in raw:
            raise MediaError(f"{value}: not a valid path")
        path = Path(raw).expanduser()
        if not path.is_absolute():
            if self.policy.base is None:
                raise MediaError(
                    f"{value}: a relative path needs a project folder to start from; use an absolute path"
                )
            path = self.policy.base / path
        path = path.resolve()
        roots = self.policy.roots
        if not any(path == root or root in path.parents for root in roots):
            allowed = ", ".join(str(root) for root in roots) or "none"
            raise MediaError(
                f"{value}: local files are served only from the allowed roots ({allowed}); "
                "pass media_roots=[...] to annotate() or Project.create() to allow another folder"
            )
        if any(str(path).startswith(str(never)) for never in self.policy.hidden):
            raise MediaError(f"{value}: the project's own store is never served as media")
        return path

    def _checked_chain(self, value: str) -> str:
        """``value`` with its innermost target checked (and, when local, replaced by the resolved path)."""
        links = value.split("::")
        *wrappers, target = links
        for link in wrappers:
            protocol = protocol_of(link) or link.rstrip(":/").lower()
            if not protocol or not self.policy.protocol_allowed(protocol):
                raise MediaError(
                    f"{value}: the protocol {protocol or link!r} is not allowed for media; "
                    f"allow it with allow_media=[{protocol!r}] if you trust this data"
                )
        protocol = protocol_of(target)
        if protocol in LOCAL_PROTOCOLS or protocol == "":
            resolved = f"file://{self.local_path(target)}"
            return "::".join([*wrappers, resolved]) if wrappers else resolved
        if any(part in (".", "..") for part in target.split("://", 1)[1].split("/")):
            raise MediaError(f"{value}: '.' and '..' are not allowed in media URLs")
        if not self.policy.url_allowed(target):
            bucket = target.split("://", 1)[1].split("/", 1)[0]
            raise MediaError(
                f"{value}: the kernel opens {protocol}:// media only where you allowed it; pass "
                f"allow_media=['{protocol}://{bucket}/'] (or a narrower prefix) to Project.create() or "
                "annotate() if you trust this data"
            )
        return value

    # -- reading ------------------------------------------------------------------------------------

    def read(self, value: str) -> tuple[bytes, str]:
        """The bytes and MIME type of a media value.

        Raises:
            MediaError: the value is refused by the policy or cannot be read, whatever went wrong inside
                (no other exception escapes: fsspec back ends raise all kinds).
        """
        if not isinstance(value, str) or not value:
            raise MediaError("an empty media value")
        if is_browser_url(value, self.policy):
            raise MediaError(f"{value}: the browser loads http(s) and data: URLs itself")
        try:
            body = self._read(value)
        except MediaError:
            raise
        except FileNotFoundError as exc:
            raise MediaError(f"{value}: no such file") from exc
        except IsADirectoryError as exc:
            raise MediaError(f"{value}: is a folder, not a file") from exc
        except Exception as exc:  # fsspec's back ends raise anything (AttributeError, BadZipFile, ...)
            options = self.policy.options_for(value) if "::" not in value else {}
            raise MediaError(
                f"{value}: cannot be read ({type(exc).__name__}: {redact(str(exc), options)})"
            ) from exc
        if len(body) > MAX_MEDIA_BYTES:
            raise MediaError(f"{value}: larger than {MAX_MEDIA_BYTES // (1024 * 1024)} MiB")
        return body, safe_mime(guess_mime(value, body[:512]))

    def _read(self, value: str) -> bytes:
        if "::" not in value and protocol_of(value) in ("", *LOCAL_PROTOCOLS):
            with self.local_path(value).open("rb") as handle:
                return handle.read(MAX_MEDIA_BYTES + 1)
        url = self._checked_chain(value)
        import fsspec  # only when a remote value is allowed: fsspec's import costs time

        remote: Any
        options = self.policy.options_for(url) if "::" not in url else {}
        with fsspec.open(url, "rb", **options) as remote:
            data: bytes = remote.read(MAX_MEDIA_BYTES + 1)
            return data
