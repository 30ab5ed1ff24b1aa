"""One user's labeling session: what is on screen, what comes next, answers, drafts and media.

The widget talks to a :class:`LabelingSession` and to nothing else of labelnb's: it never reaches into
the store or the queue. :class:`labelnb.Project` builds the session from the rooms below it (never from
itself), and its own headless ``submit``/``skip``/``save_draft`` go through the functions here, so the
widget and Python check an answer the same way.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from labelnb.config import LabelConfig, ResultError
from labelnb.config.json_values import check_storable, lead_time_problem
from labelnb.formats.dataframe import new_region_id
from labelnb.learn.interactive import Assistant, answer_items, as_assistant, check_context
from labelnb.queue import (
    next_task_choice,
    peek_task_ids,
    prune_expired_leases,
    release_lease,
    renew_lease,
)
from labelnb.queue.ranking import drop_labelled_head
from labelnb.storage.media import MediaPolicy, MediaResolver
from labelnb.storage.preview import image_preview
from labelnb.store import Store, read_transaction, write_transaction
from labelnb.store.codec import dumps, now_epoch
from labelnb.team import review
from labelnb.team.roles import Action

#: largest draft kept, as JSON (a draft is saved every second while someone works)
MAX_DRAFT_BYTES = 8 * 1024 * 1024
#: how many of the user's earlier answers a new session can go Back through
HISTORY_LIMIT = 10_000
log = logging.getLogger(__name__)

#: object tags whose values are media files
MEDIA_TAGS = frozenset({"Image", "Audio", "AudioPlus", "Video", "Pdf"})


class AssistantFailed(RuntimeError):
    """The assistant (user code) raised; the exception it raised is ``__cause__``."""


# -- answers, for the widget and for Python alike ---------------------------------------------------


def lease_next_choice(
    store: Store, user: str, lease_ttl: float, queue_id: int | None = None
) -> tuple[dict[str, Any] | None, str | None]:
    """Lease the next task for ``user`` (from a stored queue when ``queue_id`` is given): the task in
    Label Studio's shape and the queue it came from (``"Sequence queue"``, ``"Breadth first queue"``...,
    see :mod:`labelnb.queue.next_task`), or ``(None, None)`` when none is left."""
    with write_transaction(store.engine) as conn:
        user_id = store.known_user_id(conn, user)
        if queue_id is not None:
            drop_labelled_head(conn, queue_id)  # keeps the walk to the queue's first open task short
        choice = next_task_choice(conn, store.project_id, user_id, now_epoch(), lease_ttl, queue_id)
    if choice is None:
        return None, None
    # read once the lease is committed: the writers' lock is not held for it
    return store.get_task(choice.task_id), choice.queue


def lease_next_task(
    store: Store, user: str, lease_ttl: float, queue_id: int | None = None
) -> dict[str, Any] | None:
    """Lease the next task for ``user`` (from a stored queue when ``queue_id`` is given); the task in
    Label Studio's shape, or None when none is left."""
    return lease_next_choice(store, user, lease_ttl, queue_id)[0]


def stored_task(store: Store, task_id: int) -> dict[str, Any]:
    task = store.get_task(task_id)
    if task is None:
        raise KeyError(f"task {task_id} is not in this project")
    return task


def result_items(result: Any, what: str) -> list[dict[str, Any]]:
    """A copy of ``result`` as a list of item dicts, or TypeError."""
    if not isinstance(result, list) or not all(isinstance(item, Mapping) for item in result):
        raise TypeError(f"{what} must be a list of result items (dicts) in Label Studio's shape")
    return [dict(item) for item in result]


def _check_answer(task_id: int, items: list[dict[str, Any]], lead_time: Any, what: str) -> None:
    """Refuse numbers JSON cannot hold in an answer, and a lead time that is not a duration."""
    problem = lead_time_problem(lead_time)
    if problem is not None:
        raise ValueError(f"task {task_id}: {problem}")
    try:
        check_storable(items, what)
    except ValueError as exc:
        raise ResultError(f"task {task_id}: {exc}") from exc


def _write(
    store: Store,
    task_id: int,
    user: str,
    items: list[dict[str, Any]],
    lead_time: float | None,
    cancelled: bool,
) -> int:
    with write_transaction(store.engine) as conn:
        user_id = store.known_user_id(conn, user)
        return store.write_annotation(
            task_id, user_id, items, lead_time=lead_time, was_cancelled=cancelled, conn=conn
        )


def submit_answer(
    store: Store,
    config: LabelConfig,
    task_id: int,
    result: Any,
    user: str,
    lead_time: float | None = None,
) -> int:
    """Validate ``user``'s answer to a task against ``config``, store it and return the annotation id.

    Items without an ``id`` get one. A second answer of the same user writes a new version.
    """
    items = checked_answer(store, config, task_id, result, lead_time)
    return _write(store, task_id, user, items, lead_time, cancelled=False)


def checked_answer(
    store: Store, config: LabelConfig, task_id: int, result: Any, lead_time: float | None = None
) -> list[dict[str, Any]]:
    """An answer to a task as it will be stored, once checked against ``config`` and the task's data;
    items without an ``id`` get one."""
    items = result_items(result, "result")
    task = stored_task(store, task_id)
    _check_answer(task_id, items, lead_time, "result")
    try:
        config.validate_result(items, task["data"])
    except ResultError as exc:
        raise ResultError(f"task {task_id}: {exc}") from exc
    for item in items:
        if "id" not in item and item.get("type") != "relation":
            item["id"] = new_region_id()
    return items


def skip_task(store: Store, task_id: int, user: str) -> int:
    """An empty, cancelled annotation, as Label Studio records a skip."""
    stored_task(store, task_id)
    return _write(store, task_id, user, [], None, cancelled=True)


def save_draft(
    store: Store,
    config: LabelConfig,
    task_id: int,
    result: Any,
    user: str,
    lead_time: float | None = None,
) -> None:
    """Keep unfinished work, checked like an answer but leniently, and at most :data:`MAX_DRAFT_BYTES`."""
    items = _checked_draft(store, config, task_id, result, lead_time)
    store.save_draft(task_id, store.ensure_user(user), items, lead_time)


def postpone(
    store: Store,
    config: LabelConfig,
    task_id: int,
    result: Any,
    user: str,
    lead_time: float | None = None,
) -> None:
    """Put a task off: keep ``result`` as a draft marked ``was_postponed`` (checked as :func:`save_draft`
    checks it) and give up the lease. The task leaves ``user``'s queue and comes back to them after it,
    oldest postponed first (Label Studio's "Postponed draft queue"), unless others finish it first."""
    items = _checked_draft(store, config, task_id, result, lead_time)
    store.save_draft(task_id, store.ensure_user(user), items, lead_time, postponed=True)


def _checked_draft(
    store: Store, config: LabelConfig, task_id: int, result: Any, lead_time: float | None
) -> list[dict[str, Any]]:
    items = result_items(result, "a draft")
    task = stored_task(store, task_id)
    _check_answer(task_id, items, lead_time, "draft")
    size = len(dumps(items))
    if size > MAX_DRAFT_BYTES:
        raise ValueError(
            f"task {task_id}: a draft may take at most {MAX_DRAFT_BYTES // (1024 * 1024)} MiB, "
            f"this one {size / (1024 * 1024):.1f} MiB"
        )
    try:
        config.validate_result(items, task["data"], draft=True)
    except ResultError as exc:
        raise ResultError(f"task {task_id}: draft: {exc}") from exc
    return items


# -- the session ----------------------------------------------------------------------------------


class LabelingSession:
    """One user labeling one project: the queue's head, a history to go back through, and media.

    ``task`` is the task on screen (Label Studio's shape) or None on the "all done" screen.
    """

    def __init__(
        self,
        store: Store,
        config: LabelConfig,
        user: str,
        *,
        media: MediaPolicy,
        presign: Callable[[str], str | None] | None = None,
        lease_ttl: float,
        queue_id: int | None = None,
        on_answer: Sequence[Callable[[int, int], object]] = (),
        assist: Any = None,
        authorize: Callable[[Action], object] | None = None,
    ) -> None:
        self.store = store
        # raises NotAllowed when the user's role (read again each time) no longer allows an action
        self._authorize = authorize or (lambda _action: None)
        # told (task id, annotation id) after each stored answer: the project's learner, backend webhooks,
        # the session's ranked queue
        self.on_answer = list(on_answer)
        self.config = config
        self.user = user
        self.user_id = store.ensure_user(user)
        self.lease_ttl = lease_ttl
        # the stored queue (labelnb.queue.ranking) this session labels from; None: all tasks by id
        self.queue_id = queue_id
        # leases of pages closed or kernels gone, anyone's: expired, they only take room
        with write_transaction(store.engine) as conn:
            prune_expired_leases(conn, store.project_id, now_epoch())
        self.media = MediaResolver(media)
        # turns a media value of a presigning storage into a presigned URL the browser loads itself
        self.presign = presign
        self.media_keys = [
            obj.value_key
            for obj in config.objects.values()
            if obj.tag in MEDIA_TAGS and obj.value_key is not None
        ]
        self.task: dict[str, Any] | None = None
        # the queue the task at the head came from (Label Studio's name, e.g. "Breadth first queue")
        self.last_queue: str | None = None
        # tasks this user answered before (so Back reaches them) and those shown since, oldest first
        self._history: list[int] = store.answered_task_ids(self.user_id, HISTORY_LIMIT)
        # index into the history of the task on screen while going back; None while on the queue's head
        self._cursor: int | None = None
        #: what the widget's auto-annotate clicks are sent to (labelnb.learn.interactive), or None
        self.assistant: Assistant | None = None
        if assist is not None:
            self.use_assistant(assist)

    # -- where the screen is ------------------------------------------------------------------------

    @property
    def going_back(self) -> bool:
        """True while the screen shows a task from the history rather than the queue's head."""
        return self._cursor is not None

    @property
    def can_back(self) -> bool:
        return self._position() > 0

    def _position(self) -> int:
        """Where the screen is in the history; the "all done" screen sits just after its end."""
        if self._cursor is not None:
            return self._cursor
        return len(self._history) - 1 if self.task is not None else len(self._history)

    def next(self) -> dict[str, Any] | None:
        """Go to the queue's head: lease the next task (or the one already leased)."""
        self._authorize(Action.SUBMIT)
        self._cursor = None
        task, self.last_queue = lease_next_choice(self.store, self.user, self.lease_ttl, self.queue_id)
        if task is not None and (not self._history or self._history[-1] != task["id"]):
            self._history.append(task["id"])
        self.task = task
        return task

    def renew(self, task_id: int) -> bool:
        """Keep the task on screen reserved while the widget shows it (the queue's head only); whether the
        lease was still held."""
        if self._cursor is not None or self.task is None or self.task["id"] != task_id:
            return False
        with write_transaction(self.store.engine) as conn:
            return renew_lease(conn, task_id, self.user_id, now_epoch(), self.lease_ttl)

    def release(self) -> None:
        """The widget is closing: the task on screen, unanswered, goes back to the queue for others."""
        if self.task is not None:
            with write_transaction(self.store.engine) as conn:
                release_lease(conn, self.task["id"], self.user_id)

    def back(self) -> dict[str, Any]:
        """Go to the task before the one on screen."""
        self._authorize(Action.SUBMIT)
        position = self._position()
        if position <= 0:
            raise ValueError("there is no earlier task in this session")
        self._cursor = position - 1
        self.task = stored_task(self.store, self._history[self._cursor])
        return self.task

    def _after_answer(self) -> dict[str, Any] | None:
        following = None if self._cursor is None else self._cursor + 1
        if following is not None and following < len(self._history) - 1:
            # answering an older task steps forward through the history
            self._cursor = following
            self.task = stored_task(self.store, self._history[following])
            return self.task
        return self.next()

    def on_screen(self, task_id: int) -> None:
        if self.task is None or self.task["id"] != task_id:
            raise ValueError(f"task {task_id} is not the task on screen; reload the widget")

    # -- answers ------------------------------------------------------------------------------------

    def submit(self, task_id: int, result: Any, lead_time: float | None) -> int:
        """Store the answer to the task on screen (nothing moves yet: see :meth:`advance`)."""
        self._authorize(Action.SUBMIT)
        self.on_screen(task_id)
        return self._answered(
            task_id, submit_answer(self.store, self.config, task_id, result, self.user, lead_time)
        )

    def skip(self, task_id: int) -> int:
        self._authorize(Action.SUBMIT)
        self.on_screen(task_id)
        return self._answered(task_id, skip_task(self.store, task_id, self.user))

    def _answered(self, task_id: int, annotation_id: int) -> int:
        for listener in self.on_answer:
            listener(task_id, annotation_id)
        return annotation_id

    def save_draft(self, task_id: int, result: Any, lead_time: float | None) -> None:
        self._authorize(Action.SUBMIT)
        self.on_screen(task_id)
        save_draft(self.store, self.config, task_id, result, self.user, lead_time)

    def postpone(self, task_id: int, result: Any, lead_time: float | None) -> None:
        """Put the task on screen off (see :func:`postpone`); :meth:`advance` then moves on."""
        self._authorize(Action.SUBMIT)
        self.on_screen(task_id)
        postpone(self.store, self.config, task_id, result, self.user, lead_time)

    def advance(self) -> dict[str, Any] | None:
        """After an answer: the next task in the history when going back, else the queue's head."""
        return self._after_answer()

    # -- interactive assistance ---------------------------------------------------------------------

    def use_assistant(self, assist: Any) -> None:
        """Send auto-annotate clicks to ``assist``: a function ``assist(task, context)`` or an object with
        Label Studio's ``predict(tasks, context=...)`` (see :mod:`labelnb.learn.interactive`)."""
        self.assistant = as_assistant(assist)

    def assist(self, task_id: int, items: Any) -> list[dict[str, Any]]:
        """Ask the assistant about the smart items clicked or drawn on the task on screen; its answer as
        result items checked against the config, marked as predictions.

        The request is checked first (the task on screen, the items' controls, labels and coordinates);
        ``AssistError`` (a ValueError) names what is wrong, in the request or in the answer; what the
        assistant itself raises comes as :class:`AssistantFailed` from it.
        """
        if self.assistant is None:
            raise ValueError("this widget has no assistant; pass assist=... to annotate()")
        self.on_screen(task_id)
        assert self.task is not None
        data = self.task["data"]
        context = {"result": check_context(self.config, data, items)}
        try:
            answer = self.assistant.ask(copy.deepcopy(self.task), context)  # a callback cannot change ours
        except Exception as exc:
            raise AssistantFailed(f"the assistant {self.assistant.name} raised {type(exc).__name__}") from exc
        return answer_items(self.config, data, answer, new_region_id)

    # -- what the screen shows ----------------------------------------------------------------------

    def start_from(self) -> tuple[list[dict[str, Any]], int | None, bool]:
        """What the task on screen starts from: ``(result, annotation_id, skipped)``.

        Going back, the user's stored answer (a skip too); at the queue's head their answer unless it was
        a skip, else their draft, else nothing.
        """
        assert self.task is not None
        annotation = self.store.annotation_of(self.task["id"], self.user_id)
        if annotation is not None and (self.going_back or not annotation["was_cancelled"]):
            return annotation["result"], annotation["id"], bool(annotation["was_cancelled"])
        draft = self.store.draft_of(self.task["id"], self.user_id)
        return (draft["result"] if draft is not None else []), None, False

    def review_note(self) -> dict[str, Any] | None:
        """What the screen says about review: for a task a reviewer sent back to this user, who did and
        their comment (``{"rejected_by", "comment"}``); else None."""
        assert self.task is not None
        rejection = review.rejection_for(self.store, self.task["id"], self.user_id)
        if rejection is None:
            return None
        return {"rejected_by": rejection["reviewer"], "comment": rejection["comment"] or ""}

    def predictions_to_show(self) -> list[dict[str, Any]]:
        """The task on screen's predictions in the order the widget offers them (it starts from the first):
        the project's current ``model_version`` first, as Label Studio shows it, then the newest."""
        assert self.task is not None
        current = self.store.info().settings.get("model_version")
        newest_first = sorted(self.task.get("predictions", []), key=lambda p: p.get("id", 0), reverse=True)
        return sorted(newest_first, key=lambda p: current is None or p.get("model_version") != current)

    def view(self) -> dict[str, Any]:
        """The config for the task on screen, specialised to its data, as the browser's JSON tree."""
        assert self.task is not None
        return self.config.for_task(self.task["data"]).to_json()

    def progress(self) -> tuple[int, int]:
        """(labelled tasks, all tasks) of the project."""
        return self.store.progress()

    # -- media --------------------------------------------------------------------------------------

    def served_data(self, data: Mapping[str, Any]) -> dict[str, Any]:
        """The task data as the browser gets it: media values of presigning storages become presigned
        URLs (as Label Studio serves them); everything else as stored."""
        served = dict(data)
        if self.presign is None:
            return served
        for key in self.media_keys:
            value = served.get(key)
            if isinstance(value, str):
                try:
                    signed = self.presign(value)
                except ValueError as exc:  # the storage cannot sign: the kernel sends the bytes instead
                    log.warning("%s", exc)
                    continue
                if signed is not None:
                    served[key] = signed
        return served

    def media_values(self, data: Mapping[str, Any]) -> list[str]:
        """The media values of a task's data the kernel delivers (the browser loads the others)."""
        values: list[str] = []
        for key in self.media_keys:
            raw = data.get(key)
            for value in raw if isinstance(raw, list) else [raw]:
                if isinstance(value, str) and self.media.delivers(value) and value not in values:
                    values.append(value)
        return values

    def read_media(self, value: str) -> tuple[bytes, str]:
        """The bytes and MIME type of a media value, under the session's policy (MediaError if refused)."""
        return self.media.read(value)

    def display_media(self, value: str) -> tuple[bytes, str, tuple[int, int] | None]:
        """What the widget shows for a media value: its bytes and MIME type, or for an image too large to
        send whole a preview and the original's (width, height) (:mod:`labelnb.storage.preview`)."""
        body, mime = self.read_media(value)
        preview = image_preview(body, mime)
        if preview is None:
            return body, mime, None
        return preview.body, preview.mime, (preview.original_width, preview.original_height)

    def upcoming_media(self, after: int, count: int) -> list[str]:
        """The media values of the ``count`` tasks the queue would give this user after task ``after``."""
        if not self.media_keys:
            return []
        with read_transaction(self.store.engine) as conn:
            upcoming = peek_task_ids(
                conn, self.store.project_id, self.user_id, now_epoch(), after, count, self.queue_id
            )
        values: list[str] = []
        for task_id in upcoming:
            task = self.store.get_task(task_id)
            if task is not None:
                values.extend(v for v in self.media_values(self.served_data(task["data"])) if v not in values)
        return values


class ReviewSession(LabelingSession):
    """One reviewer going through the annotations that wait for review (:mod:`labelnb.team.review`).

    It drives the same widget as labelling: the task on screen starts from the annotation under review;
    submitting accepts it, or, when the reviewer changed the result, stores the change as a fix (a new
    version, the original kept in history); :meth:`reject` sends it back to its author with a comment;
    skipping passes it over for now. Reviews take no lease: a verdict names the version it judges, so two
    reviewers on one annotation cannot both judge it (the second is told it changed).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._history = []  # reviews have no Back
        #: the annotation on screen (Label Studio's shape, with ``version`` and ``annotator``), or None
        self.reviewing: dict[str, Any] | None = None
        self._passed_after: int | None = None

    def next(self) -> dict[str, Any] | None:
        self._authorize(Action.REVIEW)
        self._cursor = None
        self.reviewing = review.next_for_review(self.store, self.user_id, after=self._passed_after)
        if self.reviewing is None and self._passed_after is not None:
            self._passed_after = None  # the passed-over ones come round again
            self.reviewing = review.next_for_review(self.store, self.user_id)
        self.task = None if self.reviewing is None else stored_task(self.store, self.reviewing["task"])
        return self.task

    def back(self) -> dict[str, Any]:
        raise ValueError("a review session has no earlier task to go back to")

    def advance(self) -> dict[str, Any] | None:
        return self.next()

    def renew(self, task_id: int) -> bool:
        return False  # nothing is leased

    def release(self) -> None:
        pass

    def start_from(self) -> tuple[list[dict[str, Any]], int | None, bool]:
        assert self.reviewing is not None
        return self.reviewing["result"], self.reviewing["id"], False

    def review_note(self) -> dict[str, Any] | None:
        assert self.reviewing is not None
        return {"reviewing": self.reviewing["annotator"], "version": self.reviewing["version"]}

    def _under_review(self, task_id: int) -> dict[str, Any]:
        self._authorize(Action.REVIEW)
        self.on_screen(task_id)
        assert self.reviewing is not None
        return self.reviewing

    def submit(self, task_id: int, result: Any, lead_time: float | None) -> int:
        """Accept the annotation on screen, as it is or with the reviewer's changes (a fix)."""
        under = self._under_review(task_id)
        items = checked_answer(self.store, self.config, task_id, result, lead_time)
        changed = dumps(items) != dumps(under["result"])
        review.record_verdict(
            self.store,
            under["id"],
            self.user_id,
            review.FIXED if changed else review.ACCEPTED,
            version=under["version"],
            result=items if changed else None,
        )
        return int(under["id"])

    def reject(self, task_id: int, comment: str) -> int:
        """Send the annotation on screen back to its author with ``comment``."""
        under = self._under_review(task_id)
        review.record_verdict(
            self.store, under["id"], self.user_id, review.REJECTED, version=under["version"], comment=comment
        )
        return int(under["id"])

    def skip(self, task_id: int) -> int:
        """Pass the annotation on screen over for now (no verdict)."""
        under = self._under_review(task_id)
        self._passed_after = int(under["id"])
        return int(under["id"])

    def save_draft(self, task_id: int, result: Any, lead_time: float | None) -> None:
        pass  # a review in progress is not kept: the annotation itself is

    def postpone(self, task_id: int, result: Any, lead_time: float | None) -> None:
        raise ValueError("a review cannot be postponed; skip it to come back to it later")

    def progress(self) -> tuple[int, int]:
        """(annotations judged, annotations judged or waiting) of the project."""
        return review.judged_of_finished(self.store)

    def upcoming_media(self, after: int, count: int) -> list[str]:
        return []
