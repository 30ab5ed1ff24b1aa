"""``Annotator``: the labeling widget, kernel side.

The kernel holds the truth. The browser renders ``view``/``task``/``status`` and sends decisions
(submit, skip, back, draft) as custom messages; each is shape-checked (:mod:`labelnb.widget.protocol`),
then checked against the task on screen and the config, and only then stored. Who is labelling is fixed
when the widget is made, on the kernel's side: nothing the browser sends can change it.
"""

from __future__ import annotations

import logging
import warnings
from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anywidget
import traitlets

from labelnb.config import ResultError
from labelnb.queue import peek_task_ids
from labelnb.storage.media import MediaError, MediaPolicy, MediaResolver
from labelnb.store import read_transaction
from labelnb.store.codec import now_epoch
from labelnb.widget import protocol
from labelnb.widget.support import unsupported_tags

if TYPE_CHECKING:
    from labelnb.project import Project

STATIC = Path(__file__).resolve().parent.parent / "static"
#: how many upcoming tasks have their media pushed to the browser ahead of time
PREFETCH = 2
#: object tags whose values are media files
MEDIA_TAGS = frozenset({"Image", "Audio", "AudioPlus", "Video"})
#: media values remembered as already sent (the browser keeps a cache of about this size)
SENT_MEDIA_MEMORY = 16
#: how many of the user's earlier answers a new widget can go Back through
HISTORY_LIMIT = 10_000

log = logging.getLogger(__name__)


class AnsweredButNotShown(Exception):
    """The answer is stored; showing the next task failed (the reply must not say "Not saved")."""


class UnsupportedTagWarning(UserWarning):
    """The config has tags this version of the widget cannot show."""


class Annotator(anywidget.AnyWidget):
    """Label a project's tasks in a notebook cell. Made by :meth:`labelnb.Project.annotate`."""

    _esm = STATIC / "widget.js"
    _css = STATIC / "widget.css"

    view = traitlets.Dict().tag(sync=True)
    task = traitlets.Dict().tag(sync=True)
    status = traitlets.Dict().tag(sync=True)

    def __init__(self, project: Project, user: str, *, media: MediaPolicy) -> None:
        super().__init__()
        self._project = project
        self._user = user
        self._user_id = project.store.ensure_user(user)
        self._media = MediaResolver(media)
        self._unsupported = unsupported_tags(project.config)
        if self._unsupported:
            warnings.warn(
                "this version of the widget cannot show "
                + ", ".join(self._unsupported)
                + "; tasks can be labelled for them from Python (project.submit), and the widget refuses "
                "to submit them empty",
                UnsupportedTagWarning,
                stacklevel=3,
            )
        self._media_keys = [
            obj.value_key
            for obj in project.config.objects.values()
            if obj.tag in MEDIA_TAGS and obj.value_key is not None
        ]
        self._prefetch_after: int | None = None  # prefetching waits until the browser has its answer
        # tasks this user answered before (so Back reaches them) and those shown here, oldest first
        self._history: list[int] = project.store.answered_task_ids(self._user_id, HISTORY_LIMIT)
        # index into the history of the task on screen while going back; None while on the queue's head
        self._cursor: int | None = None
        self._sent_media: OrderedDict[str, None] = OrderedDict()
        # messages sent before the browser's model listens are lost: push media only once it has spoken
        self._browser_listening = False
        self.on_msg(self._on_message)
        self._show_next()

    @property
    def user(self) -> str:
        return self._user

    # -- what is on screen --------------------------------------------------------------------------

    def _media_values(self, data: dict[str, Any]) -> list[str]:
        values: list[str] = []
        for key in self._media_keys:
            raw = data.get(key)
            for value in raw if isinstance(raw, list) else [raw]:
                if isinstance(value, str) and self._media.delivers(value) and value not in values:
                    values.append(value)
        return values

    def _show(self, task: dict[str, Any] | None, *, going_back: bool = False) -> None:
        can_back = self._position(task) > 0
        if task is None:
            with self.hold_sync():  # one update, so the browser never mixes old and new state
                self.view = {}
                self.task = {"can_back": can_back} if can_back else {}
                self._update_status(empty=True)
            return
        data = task["data"]
        annotation = self._project.store.annotation_of(task["id"], self._user_id)
        result: list[dict[str, Any]] = []
        annotation_id = None
        skipped = False
        if annotation is not None and (going_back or not annotation["was_cancelled"]):
            result, annotation_id = annotation["result"], annotation["id"]
            skipped = bool(annotation["was_cancelled"])
        else:
            draft = self._project.store.draft_of(task["id"], self._user_id)
            if draft is not None:
                result = draft["result"]
        view = self._project.config.for_task(data).to_json()
        media = self._media_values(data)
        with self.hold_sync():
            if view != self.view:
                self.view = view
            self.task = {
                "id": task["id"],
                "data": data,
                "result": result,
                "annotation_id": annotation_id,
                "predictions": task.get("predictions", []),
                "media": media,
                "can_back": can_back,
                "skipped": skipped,
            }
            self._update_status(empty=False)
        self._push_media(media)

    def _position(self, task: dict[str, Any] | None) -> int:
        """Where the screen is in the history; the "all done" screen sits just after its end."""
        if self._cursor is not None:
            return self._cursor
        return len(self._history) - 1 if task is not None else len(self._history)

    def _update_status(self, *, empty: bool) -> None:
        # the empty screen says "all done" (or "no tasks yet") itself: no message repeats it
        done, total = self._project.store.progress()
        message = ""
        if self._unsupported:
            message = f"Not shown in this version: {', '.join(self._unsupported)}."
        self.status = {"done": done, "total": total, "empty": empty, "message": message, "user": self._user}

    def _show_next(self) -> None:
        self._cursor = None
        task = self._project.next_task(self._user)
        if task is not None and (not self._history or self._history[-1] != task["id"]):
            self._history.append(task["id"])
        self._show(task)
        if task is not None and self._media_keys:
            self._prefetch_after = task["id"]

    # -- media --------------------------------------------------------------------------------------

    def _push_media(self, values: Iterable[str], *, force: bool = False) -> None:
        if not self._browser_listening:
            return
        for value in values:
            if value in self._sent_media and not force:
                self._sent_media.move_to_end(value)
                continue
            try:
                body, mime = self._media.read(value)
            except Exception as exc:  # MediaError, or a bug: either way only this medium fails
                if not isinstance(exc, MediaError):
                    log.exception("labelnb could not read media %r", value)
                self.send(protocol.media_error(value, str(exc)))
                continue
            self.send(protocol.media(value, mime), buffers=[body])
            self._sent_media[value] = None
            while len(self._sent_media) > SENT_MEDIA_MEMORY:
                self._sent_media.popitem(last=False)

    def _prefetch(self) -> None:
        """Push the media of the tasks after the one on screen (run after the reply has gone out)."""
        after, self._prefetch_after = self._prefetch_after, None
        if after is None or not self._browser_listening:
            return
        store = self._project.store
        with read_transaction(store.engine) as conn:
            upcoming = peek_task_ids(conn, store.project_id, self._user_id, now_epoch(), after, PREFETCH)
        for task_id in upcoming:
            task = store.get_task(task_id)
            if task is not None:
                self._push_media(self._media_values(task["data"]))

    # -- messages from the browser ------------------------------------------------------------------

    def _on_message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        request_id = content.get("request_id", "") if isinstance(content, dict) else ""
        self._browser_listening = True
        error = None
        try:
            self._handle(protocol.parse_browser_message(content))
        except AnsweredButNotShown as exc:
            error = f"Saved, but the next task could not be shown: {exc.__cause__}"
        except (protocol.ProtocolError, ResultError, ValueError, KeyError, TypeError) as exc:
            text = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
            error = f"Not saved: {text}"
        except Exception as exc:  # the widget must say something rather than hang
            log.exception("labelnb widget failed on %r", content)
            error = f"Not saved: internal error ({type(exc).__name__}: {exc})"
        self.send(protocol.reply(str(request_id), error))
        try:
            self._prefetch()
        except Exception:  # prefetching is a favour: a failure must not reach the comm
            log.exception("labelnb could not prefetch media")

    def _on_screen(self, task_id: int) -> None:
        if self.task.get("id") != task_id:
            raise ValueError(f"task {task_id} is not the task on screen; reload the widget")

    def _handle(self, message: protocol.BrowserMessage) -> None:
        if isinstance(message, protocol.Submit):
            self._on_screen(message.task_id)
            if self._unsupported and not message.result:
                raise ValueError(
                    "this task has controls the widget cannot show yet ("
                    + ", ".join(self._unsupported)
                    + "), so an empty answer would mean nothing; label it from Python or skip it"
                )
            self._project.submit(
                message.task_id, message.result, user=self._user, lead_time=message.lead_time
            )
            self._after_answer()
        elif isinstance(message, protocol.Skip):
            self._on_screen(message.task_id)
            self._project.skip(message.task_id, user=self._user)
            self._after_answer()
        elif isinstance(message, protocol.Back):
            self._go_back()
        elif isinstance(message, protocol.Draft):
            self._on_screen(message.task_id)
            self._project.save_draft(
                message.task_id, message.result, user=self._user, lead_time=message.lead_time
            )
        elif isinstance(message, protocol.MediaRequest):
            wanted = set(self.task.get("media", []))
            self._push_media([value for value in message.values if value in wanted], force=True)
            if self.task.get("id") and self._media_keys:
                self._prefetch_after = self.task["id"]

    def _after_answer(self) -> None:
        """Show what comes after an answer that is already stored: nothing here may undo that."""
        try:
            self._show_after_answer()
        except Exception as exc:
            log.exception("labelnb could not show the task after an answer")
            raise AnsweredButNotShown from exc

    def _show_after_answer(self) -> None:
        following = None if self._cursor is None else self._cursor + 1
        if following is not None and following < len(self._history) - 1:
            # answering an older task steps forward through the history
            self._cursor = following
            self._show(self._project.store.get_task(self._history[following]), going_back=True)
        else:
            self._show_next()

    def _go_back(self) -> None:
        position = self._position(self.task if self.task.get("id") else None)
        if position <= 0:
            raise ValueError("there is no earlier task in this session")
        self._cursor = position - 1
        self._show(self._project.store.get_task(self._history[self._cursor]), going_back=True)
