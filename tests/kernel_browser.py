"""Playing the widget's front end in the kernel: the messages js/src/protocol.ts sends, and what comes back.

Unit and security tests drive :class:`labelnb.widget.annotator.Annotator` through its message handler
with this; the real round trip through a browser is covered by tests/e2e.
"""

from __future__ import annotations

from typing import Any

import labelnb as lnb
from labelnb.widget.annotator import Annotator


class Browser:
    """Sends messages the way the front end does and keeps the kernel's answers."""

    def __init__(self, widget: Annotator, received: list[tuple[dict[str, Any], list[bytes]]] | None = None):
        self.widget = widget
        self.received: list[tuple[dict[str, Any], list[bytes]]] = received if received is not None else []
        widget.send = lambda content, buffers=None: self.received.append((content, list(buffers or [])))  # type: ignore[method-assign]
        self.counter = 0

    def send(self, kind: str, **fields: Any) -> dict[str, Any]:
        self.counter += 1
        request_id = f"r{self.counter}"
        self.widget._on_message(self.widget, {"kind": kind, "request_id": request_id, **fields}, [])
        replies = [c for c, _ in self.received if c.get("kind") == "reply" and c["request_id"] == request_id]
        assert len(replies) == 1, f"expected one reply to {kind}, got {replies}"
        return replies[0]

    def media(self) -> dict[str, bytes]:
        return {c["value"]: b[0] for c, b in self.received if c["kind"] == "media"}

    def media_errors(self) -> dict[str, str]:
        return {c["value"]: c["error"] for c, _ in self.received if c["kind"] == "media_error"}


def open_widget(project: lnb.Project, user: str = "alice", **options: Any) -> Browser:
    """``project.annotate(user, **options)`` with everything it sends captured from its first message."""
    sent: list[tuple[dict[str, Any], list[bytes]]] = []
    original = Annotator.send
    Annotator.send = lambda self, content, buffers=None: sent.append((content, list(buffers or [])))  # type: ignore[method-assign,assignment]
    try:
        annotator = project.annotate(user=user, **options)
    finally:
        Annotator.send = original  # type: ignore[method-assign]
    return Browser(annotator, sent)
