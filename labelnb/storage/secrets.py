"""Keeping credentials out of messages: which storage options are secrets, and text without them."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

#: option names whose values are secrets, whatever the back end (matched as substrings, any case)
_SECRET_WORDS = ("key", "secret", "token", "password", "credential", "connection_string", "sas", "signature")
#: option values shorter than this are not hidden in messages (``True``, a region name, a port)
_SHORTEST_SECRET = 6


def secret_values(options: Mapping[str, Any] | None) -> list[str]:
    """The string values of ``options`` (nested dicts too) that a message must never show."""
    found: list[str] = []

    def walk(value: Any, name: str) -> None:
        if isinstance(value, Mapping):
            for key, inner in value.items():
                walk(inner, str(key))
        elif isinstance(value, str) and len(value) >= _SHORTEST_SECRET:
            lowered = name.lower()
            # endpoints and regions are not secrets; anything named like a key, token or password is,
            # and so is any long value of an option we cannot place (better hidden than leaked)
            if any(word in lowered for word in _SECRET_WORDS) or not _plain_option(lowered):
                found.append(value)
            # a connection string ("...;AccountKey=abc;...") may show up in pieces
            for part in value.split(";"):
                label, _, inner = part.partition("=")
                if (
                    inner
                    and len(inner) >= _SHORTEST_SECRET
                    and any(w in label.lower() for w in _SECRET_WORDS)
                ):
                    found.append(inner)

    walk(dict(options or {}), "")
    return sorted(found, key=len, reverse=True)


def _plain_option(name: str) -> bool:
    return any(word in name for word in ("endpoint", "region", "url", "host", "project", "bucket", "name"))


def redact(text: str, options: Mapping[str, Any] | None) -> str:
    """``text`` with every secret of ``options`` replaced by ``***``."""
    for secret in secret_values(options):
        text = text.replace(secret, "***")
    # credentials written into a URL (``s3://KEY:SECRET@bucket``) never show either
    return re.sub(r"(://)[^/@\s]+@", r"\1***@", text)
