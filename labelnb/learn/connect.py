"""Telling a backend about each submitted annotation, as Label Studio's webhooks do, off the labeling path.

A :class:`BackendConnection` sends ``ANNOTATION_CREATED`` (a user's first answer to a task) or
``ANNOTATION_UPDATED`` (a later one) to the backend's ``fit`` in a thread of its own, one event at a
time and in order, so a slow or dead backend never holds up the widget. Failures are logged and kept in
:attr:`BackendConnection.errors`; they never undo an annotation.
"""

from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_all
from typing import Any

from labelnb.store import Store

from .backends import MLBackend
from .run import ProjectRef, annotation_payload

log = logging.getLogger("labelnb.learn")

#: errors kept per connection (the oldest are dropped)
KEPT_ERRORS = 100


class BackendConnection:
    """A backend that hears about every annotation saved in a project (see :meth:`labelnb.Project.connect`)."""

    def __init__(self, backend: MLBackend, store: Store, project: ProjectRef) -> None:
        self.backend = backend
        self.store = store
        self.project = project
        self.errors: list[Exception] = []
        self.sent = 0
        self.last_result: dict[str, Any] | None = None
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="labelnb-webhook")
        self._pending: set[Future[None]] = set()
        self.closed = False

    def annotation_saved(self, task_id: int, annotation_id: int) -> None:
        """Queue the event for an annotation just written (the payload is read now, as submitted; it is
        sent later)."""
        if self.closed:
            return
        try:
            payload = self._payload(task_id, annotation_id)
        except Exception as exc:  # reading it back failed: the annotation itself is stored
            self._failed(annotation_id, exc)
            return
        if payload is None:
            return
        future = self._pool.submit(self._send, annotation_id, *payload)
        self._pending.add(future)
        future.add_done_callback(self._pending.discard)

    def _payload(self, task_id: int, annotation_id: int) -> tuple[str, dict[str, Any]] | None:
        annotation = next((a for a in self.store.annotations(task_id) if a["id"] == annotation_id), None)
        task = self.store.get_task(task_id)
        if annotation is None or task is None:
            return None
        action = annotation.get("last_action")
        # a first answer is "submitted"; a skip is a first answer when it is the only version
        created = action == "submitted" or (
            action == "skipped" and len(self.store.history(annotation_id)) <= 1
        )
        return annotation_payload(self.project, task, annotation, created)

    def _send(self, annotation_id: int, action: str, payload: dict[str, Any]) -> None:
        try:
            self.last_result = self.backend.fit(action, payload)
            self.sent += 1
        except Exception as exc:  # a backend's failure must never reach the labeling path
            self._failed(annotation_id, exc)

    def _failed(self, annotation_id: int, exc: Exception) -> None:
        log.warning("%s: the webhook for annotation %s failed: %s", self.backend.name, annotation_id, exc)
        self.errors.append(exc)
        del self.errors[:-KEPT_ERRORS]

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until every queued event is sent; whether they all were within ``timeout`` seconds."""
        pending = list(self._pending)
        _, not_done = wait_all(pending, timeout=timeout)
        return not not_done

    def close(self) -> None:
        """Stop sending: events already queued are still sent."""
        self.closed = True
        self._pool.shutdown(wait=False)

    def __repr__(self) -> str:
        state = "closed" if self.closed else "open"
        return f"<BackendConnection to {self.backend.name}: {self.sent} events sent, {state}>"
