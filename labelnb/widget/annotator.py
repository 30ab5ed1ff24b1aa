"""``Annotator``: the labeling widget, kernel side.

The kernel holds the truth. The browser renders ``view``/``controls``/``task``/``status`` and sends decisions
(submit, skip, back, draft) as custom messages; each is shape-checked (:mod:`labelnb.widget.protocol`),
then handed to the user's :class:`labelnb.session.LabelingSession`, which checks it against the task on
screen and the config before anything is stored. The widget talks to that session and to nothing else:
it never reaches into the store or the queue. Who is labelling is fixed when the session is made, on the
kernel's side: nothing the browser sends can change it.
"""

from __future__ import annotations

import logging
import warnings
from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import anywidget
import traitlets

from labelnb.config import ResultError
from labelnb.session import AssistantFailed, LabelingSession, ReviewSession
from labelnb.storage.media import MediaError
from labelnb.widget import protocol
from labelnb.widget.assets import AssetError, read_asset
from labelnb.widget.support import unsupported_tags

STATIC = Path(__file__).resolve().parent.parent / "static"
#: how many upcoming tasks have their media pushed to the browser ahead of time
PREFETCH = 2
#: media values remembered as already sent (the browser keeps a cache of about this size)
SENT_MEDIA_MEMORY = 16

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
    #: the analysed control model of the task on screen (:class:`labelnb.widget.protocol.ControlModel`)
    controls = traitlets.Dict().tag(sync=True)
    task = traitlets.Dict().tag(sync=True)
    status = traitlets.Dict().tag(sync=True)

    def __init__(self, session: LabelingSession, *, assist: Any = None) -> None:
        super().__init__()
        self._session = session
        if assist is not None:
            session.use_assistant(assist)
        self._unsupported = unsupported_tags(session.config)
        if self._unsupported:
            warnings.warn(
                "this version of the widget cannot show "
                + ", ".join(self._unsupported)
                + "; tasks can be labelled for them from Python (project.submit), and the widget refuses "
                "to submit them empty",
                UnsupportedTagWarning,
                stacklevel=3,
            )
        self._prefetch_after: int | None = None  # prefetching waits until the browser has its answer
        self._sent_media: OrderedDict[str, None] = OrderedDict()
        # messages sent before the browser's model listens are lost: push media only once it has spoken
        self._browser_listening = False
        self.on_msg(self._on_message)
        self._show_next()

    @property
    def user(self) -> str:
        return self._session.user

    # -- what is on screen --------------------------------------------------------------------------

    def _show(self) -> None:
        session = self._session
        can_back = session.can_back
        task = session.task
        if task is None:
            with self.hold_sync():  # one update, so the browser never mixes old and new state
                self.view = {}
                self.controls = {}
                self.task = {"can_back": can_back} if can_back else {}
                self._update_status(empty=True)
            return
        result, annotation_id, skipped = session.start_from()
        view = session.view()
        # the same specialised config the view is made from, so names and paths agree
        controls = session.config.for_task(task["data"]).control_model()
        data = session.served_data(task["data"])
        media = session.media_values(data)
        with self.hold_sync():
            if view != self.view:
                self.view = view
            if controls != self.controls:
                self.controls = controls
            self.task = {
                "id": task["id"],
                "data": data,
                "result": result,
                "annotation_id": annotation_id,
                "predictions": session.predictions_to_show(),
                "media": media,
                "can_back": can_back,
                "skipped": skipped,
                **({"review": note} if (note := session.review_note()) is not None else {}),
            }
            self._update_status(empty=False)
        self._push_media(media)

    def _update_status(self, *, empty: bool) -> None:
        # the empty screen says "all done" (or "no tasks yet") itself: no message repeats it
        done, total = self._session.progress()
        message = ""
        if self._unsupported:
            message = f"Not shown in this version: {', '.join(self._unsupported)}."
        self.status = {
            "done": done,
            "total": total,
            "empty": empty,
            "message": message,
            "user": self.user,
            # renewed three times a lease, so one lost or late renewal does not let it run out
            "renew_every": self._session.lease_ttl / 3,
            # the auto-annotate toggle shows only when there is something to ask
            **({"assist": True} if self._session.assistant is not None else {}),
            **({"review": True} if isinstance(self._session, ReviewSession) else {}),
        }

    def _show_next(self) -> None:
        task = self._session.next()
        self._show()
        if task is not None and self._session.media_keys:
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
                body, mime, original = self._session.display_media(value)
            except Exception as exc:  # MediaError, or a bug: either way only this medium fails
                if not isinstance(exc, MediaError):
                    log.exception("labelnb could not read media %r", value)
                self.send(protocol.media_error(value, str(exc)))
                continue
            self.send(protocol.media(value, mime, original), buffers=[body])
            self._sent_media[value] = None
            while len(self._sent_media) > SENT_MEDIA_MEMORY:
                self._sent_media.popitem(last=False)

    def _prefetch(self) -> None:
        """Push the media of the tasks after the one on screen (run after the reply has gone out)."""
        after, self._prefetch_after = self._prefetch_after, None
        if after is None or not self._browser_listening:
            return
        self._push_media(self._session.upcoming_media(after, PREFETCH))

    def close(self) -> None:
        """Close the widget; the task it showed, unanswered, goes back to the queue for others."""
        try:
            self._session.release()
        except Exception:  # closing must close, even with the store gone (interpreter shutdown)
            log.exception("labelnb could not release the lease of a closed widget")
        super().close()

    # -- messages from the browser ------------------------------------------------------------------

    def _on_message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        request_id = content.get("request_id", "") if isinstance(content, dict) else ""
        self._browser_listening = True
        error = None
        buffers: list[bytes] | None = None
        try:
            message = protocol.parse_browser_message(content)
            if isinstance(message, protocol.Assist):
                self._answer_assist(message)
                return
            if isinstance(message, protocol.AssetRequest):
                buffers = [read_asset(message.name)]
            else:
                self._handle(message)
        except AssetError as exc:
            error = f"Could not load a part of the widget: {exc}"
        except AnsweredButNotShown as exc:
            error = f"Saved, but the next task could not be shown: {exc.__cause__}"
        except (protocol.ProtocolError, ResultError, ValueError, KeyError, TypeError, PermissionError) as exc:
            # PermissionError: the user's role no longer allows it (labelnb.team.roles)
            text = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
            error = f"Not saved: {text}"
        except Exception as exc:  # the widget must say something rather than hang
            log.exception("labelnb widget failed on %r", content)
            error = f"Not saved: internal error ({type(exc).__name__}: {exc})"
        self.send(protocol.reply(str(request_id), error), buffers=buffers if error is None else None)
        try:
            self._prefetch()
        except Exception:  # prefetching is a favour: a failure must not reach the comm
            log.exception("labelnb could not prefetch media")

    def _answer_assist(self, message: protocol.Assist) -> None:
        """Ask the session's assistant; its checked answer, or why there is none, goes back as the reply."""
        try:
            result = self._session.assist(message.task_id, message.context)
        except AssistantFailed as exc:  # the user's code raised: say what, never break the widget
            cause = exc.__cause__
            log.error("labelnb's assistant failed on task %s", message.task_id, exc_info=cause)
            error = f"Auto-annotation failed: the assistant raised {type(cause).__name__}: {cause}"
        except (ResultError, ValueError, KeyError, TypeError) as exc:  # the request or the answer
            text = exc.args[0] if isinstance(exc, KeyError) and exc.args else str(exc)
            error = f"Auto-annotation failed: {text}"
        except Exception as exc:
            log.exception("labelnb widget failed on an assist request")
            error = f"Auto-annotation failed: internal error ({type(exc).__name__}: {exc})"
        else:
            self.send(protocol.reply(message.request_id, result=result))
            return
        self.send(protocol.reply(message.request_id, error))

    def _handle(self, message: protocol.BrowserMessage) -> None:
        session = self._session
        if isinstance(message, protocol.Submit):
            if self._unsupported and not message.result:
                session.on_screen(message.task_id)
                raise ValueError(
                    "this task has controls the widget cannot show yet ("
                    + ", ".join(self._unsupported)
                    + "), so an empty answer would mean nothing; label it from Python or skip it"
                )
            session.submit(message.task_id, message.result, message.lead_time)
            self._after_answer()
        elif isinstance(message, protocol.Skip):
            session.skip(message.task_id)
            self._after_answer()
        elif isinstance(message, protocol.Reject):
            if not isinstance(session, ReviewSession):
                raise ValueError("only a review session can reject an annotation")
            session.reject(message.task_id, message.comment)
            self._after_answer()
        elif isinstance(message, protocol.Back):
            session.back()
            self._show()
        elif isinstance(message, protocol.Draft):
            session.save_draft(message.task_id, message.result, message.lead_time)
            if self.task.get("id") == message.task_id:
                # a view rendered again (a page reload) starts from the draft, not from what the task began
                # with; the task's key (id, annotation) is unchanged, so the open view keeps its state
                self.task = {**self.task, "result": message.result}
        elif isinstance(message, protocol.Renew):
            session.renew(message.task_id)
        elif isinstance(message, protocol.MediaRequest):
            wanted = set(self.task.get("media", []))
            self._push_media([value for value in message.values if value in wanted], force=True)
            if self.task.get("id") and session.media_keys:
                self._prefetch_after = self.task["id"]

    def _after_answer(self) -> None:
        """Show what comes after an answer that is already stored: nothing here may undo that."""
        try:
            self._show_after_answer()
        except Exception as exc:
            log.exception("labelnb could not show the task after an answer")
            raise AnsweredButNotShown from exc

    def _show_after_answer(self) -> None:
        task = self._session.advance()
        self._show()
        if task is not None and not self._session.going_back and self._session.media_keys:
            self._prefetch_after = task["id"]
