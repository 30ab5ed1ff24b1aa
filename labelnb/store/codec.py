"""How values are written to and read from the store's text columns."""

from __future__ import annotations

import time
from datetime import datetime, timezone
from typing import Any

import orjson


def dumps(value: Any) -> str:
    """JSON text for a stored payload (non-string keys and numpy scalars are accepted)."""
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY).decode()


def loads(text: str | bytes | None) -> Any:
    return None if text is None else orjson.loads(text)


def now_iso() -> str:
    """The current UTC time as Label Studio writes it: ``2026-11-23T12:00:00.123456Z``."""
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def now_epoch() -> float:
    return time.time()
