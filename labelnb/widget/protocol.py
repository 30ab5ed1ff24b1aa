"""The widget protocol, kernel side. `js/src/protocol.ts` mirrors this file; change both together.

Small state lives in synced traits (see :class:`labelnb.widget.annotator.Annotator`):

``view``
    The labeling config for the current task as a JSON tree (:data:`ViewNode`): Repeaters expanded and
    dynamic ``Choices``/``Labels`` filled from the task data, so the browser never interprets ``$field``
    lists itself. ``{}`` when there is no task.
``controls``
    :data:`ControlModel` of the same specialised config
    (:meth:`LabelConfig.for_task(data).control_model() <labelnb.config.LabelConfig.control_model>`): every
    rule about its controls worked out in Python (labels with colours and hotkeys, automatic ones included;
    choice modes and layout; ``required`` and its message; ``perRegion``; limits such as ``max_rating`` and
    Number's ``min``/``max``/``step``; TextArea ``rows``; visibility rules; shape and object attributes), so
    the browser reads rules instead of attribute text and cannot disagree with the kernel. Names and index
    paths agree with ``view``. ``{}`` when there is no task.
``task``
    :data:`TaskState` of the task on screen, or ``{}``.
``status``
    :data:`StatusState`: progress, the queue-empty flag, who is labelling and how often the browser renews
    the lease of the task on screen (a ``renew`` message; closing the widget releases it).

Everything that is a request or carries bytes is a custom message with a ``kind``. The browser sends
:data:`BrowserMessage` dicts; the kernel answers each request with a ``reply`` carrying the same
``request_id``, and pushes ``media`` messages (one binary buffer each) for the current and the next tasks.

The kernel treats every inbound message as untrusted: :func:`parse_browser_message` checks its shape
before anything looks at its content, and the annotator validates task ids and results against the config.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, TypedDict

from labelnb.config.json_values import lead_time_problem

PROTOCOL_VERSION = 1

#: Largest result list accepted from the browser, a guard against runaway payloads.
MAX_RESULT_ITEMS = 10_000
#: Most smart items (clicks, boxes) one assist request may carry.
MAX_ASSIST_ITEMS = 64
#: Longest review comment accepted from the browser.
MAX_COMMENT_CHARS = 10_000


class ViewNode(TypedDict, total=False):
    """One tag of the labeling config, as the browser receives it."""

    tag: str  # canonical tag name, e.g. "Choices"
    attrs: dict[str, str]  # attribute values exactly as written in the XML
    children: list[ViewNode]
    text: str  # the tag's text body (Style, Header without value)


class ControlModel(TypedDict, total=False):
    """The analysed control model (:mod:`labelnb.config.control_model`); entries are loose dicts.

    Each control spec holds ``name``, ``tag``, ``type``, ``to_name``, ``path``, ``views``, ``visible_when``,
    ``required``, ``required_message``, ``per_region``, ``hotkey``, ``hotkey_auto``, ``labels`` (value,
    alias, label, color, hotkey, ...) and its tag's own typed fields; see
    :func:`labelnb.config.control_model.build_control_model`.
    """

    version: int
    controls: list[dict[str, Any]]  # every control but Relations, in document order
    relations: dict[str, Any] | None
    objects: list[dict[str, Any]]
    views: list[dict[str, Any]]  # View/Markdown tags with a visibility rule
    filters: list[dict[str, Any]]


class ReviewNote(TypedDict, total=False):
    """What the screen says about review (:mod:`labelnb.team.review`)."""

    #: a reviewer sent this user's annotation back: who, and what to change
    rejected_by: str
    comment: str
    #: a review session: whose annotation is on screen, and its version
    reviewing: str
    version: int


class TaskState(TypedDict, total=False):
    """The task on screen."""

    id: int
    data: dict[str, Any]
    #: result items to start from: the stored annotation when going back, else the user's draft, else []
    result: list[dict[str, Any]]
    #: id of the stored annotation being edited (when going back), else None
    annotation_id: int | None
    predictions: list[dict[str, Any]]
    #: media values from ``data`` that the kernel delivers as binary ``media`` messages; values not listed
    #: here (http(s) URLs, data: URLs) are used by the browser as they are
    media: list[str]
    #: position in this widget's history: True when "Back" has somewhere to go
    can_back: bool
    #: True when the task on screen is one this user skipped (shown when going back to it)
    skipped: bool
    #: a reviewer's rejection of this user's answer, or the annotation under review; absent otherwise
    review: ReviewNote


class StatusState(TypedDict, total=False):
    done: int  # tasks that are fully labelled
    total: int  # tasks in the project
    empty: bool  # True when the queue has nothing more for this user
    message: str  # a short human sentence shown under the toolbar
    user: str  # who the kernel believes is labelling (display only, never trusted)
    renew_every: float  # seconds between the browser's lease renewals while a task is on screen
    assist: bool  # present and True when the widget has an assistant: the auto-annotate toggle is shown
    review: bool  # present and True in a review session: done/total count annotations reviewed


# Browser -> kernel -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Submit:
    request_id: str
    task_id: int
    result: list[dict[str, Any]]
    lead_time: float | None
    kind: Literal["submit"] = "submit"


@dataclass(frozen=True)
class Skip:
    request_id: str
    task_id: int
    kind: Literal["skip"] = "skip"


@dataclass(frozen=True)
class Reject:
    """A reviewer sends the annotation on screen back to its author with a comment."""

    request_id: str
    task_id: int
    comment: str
    kind: Literal["reject"] = "reject"


@dataclass(frozen=True)
class Back:
    request_id: str
    kind: Literal["back"] = "back"


@dataclass(frozen=True)
class Draft:
    """The user's work in progress, saved as they go so that a closed tab loses nothing."""

    request_id: str
    task_id: int
    result: list[dict[str, Any]]
    lead_time: float | None
    kind: Literal["draft"] = "draft"


@dataclass(frozen=True)
class Renew:
    """The task is still on screen: keep it reserved for this user (sent every ``renew_every`` seconds)."""

    request_id: str
    task_id: int
    kind: Literal["renew"] = "renew"


@dataclass(frozen=True)
class MediaRequest:
    """Ask again for media values (a view rendered after the kernel pushed them)."""

    request_id: str
    values: list[str]
    kind: Literal["media"] = "media"


@dataclass(frozen=True)
class AssetRequest:
    """Ask for one of the front end's own files too big for the widget bundle (pdf.js and its data).

    ``name`` is a key of the fixed table in :mod:`labelnb.widget.assets`, never a path; the ok reply
    carries the file as its one buffer.
    """

    request_id: str
    name: str
    kind: Literal["asset"] = "asset"


@dataclass(frozen=True)
class Assist:
    """Auto-annotate: the smart items clicked or drawn so far in one series (Label Studio's interactive
    ``context.result``: key points and boxes in result-item shape, each with ``is_positive``).

    The ok reply carries the assistant's answer as ``result``: result items the browser adds as
    predictions, replacing the previous answer of the same series.
    """

    request_id: str
    task_id: int
    context: list[dict[str, Any]]
    kind: Literal["assist"] = "assist"


BrowserMessage = Submit | Skip | Reject | Back | Draft | Renew | MediaRequest | AssetRequest | Assist


class ProtocolError(ValueError):
    """An inbound message that does not have the protocol's shape. Nothing is stored for it."""


def _field(msg: dict[str, Any], name: str, kind: type | tuple[type, ...]) -> Any:
    if name not in msg:
        raise ProtocolError(f"message {msg.get('kind')!r} lacks the field {name!r}")
    value = msg[name]
    # bool is an int subclass; an id of True is never meant
    if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
        raise ProtocolError(f"field {name!r} of message {msg.get('kind')!r} has the wrong type")
    if not isinstance(value, kind):
        raise ProtocolError(f"field {name!r} of message {msg.get('kind')!r} has the wrong type")
    return value


def _lead_time(msg: dict[str, Any]) -> float | None:
    value = msg.get("lead_time")
    problem = lead_time_problem(value)
    if problem is not None:
        raise ProtocolError(problem)
    return None if value is None else float(value)


def _result(msg: dict[str, Any]) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = _field(msg, "result", list)
    if len(items) > MAX_RESULT_ITEMS:
        raise ProtocolError(f"a result may hold at most {MAX_RESULT_ITEMS} items")
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise ProtocolError(f"result item {index} is not an object")
    return items


def parse_browser_message(msg: object) -> BrowserMessage:
    """Check the shape of a custom message from the browser and return it typed.

    Raises :class:`ProtocolError` naming the field that is wrong.
    """
    if not isinstance(msg, dict):
        raise ProtocolError("a message must be a JSON object")
    kind = msg.get("kind")
    request_id = _field(msg, "request_id", str)
    if kind == "submit":
        return Submit(request_id, _field(msg, "task_id", int), _result(msg), _lead_time(msg))
    if kind == "draft":
        return Draft(request_id, _field(msg, "task_id", int), _result(msg), _lead_time(msg))
    if kind == "skip":
        return Skip(request_id, _field(msg, "task_id", int))
    if kind == "reject":
        comment = _field(msg, "comment", str)
        if len(comment) > MAX_COMMENT_CHARS:
            raise ProtocolError(f"a review comment may have at most {MAX_COMMENT_CHARS} characters")
        return Reject(request_id, _field(msg, "task_id", int), comment)
    if kind == "back":
        return Back(request_id)
    if kind == "renew":
        return Renew(request_id, _field(msg, "task_id", int))
    if kind == "media":
        values = _field(msg, "values", list)
        if not all(isinstance(v, str) for v in values):
            raise ProtocolError("media values must be strings")
        return MediaRequest(request_id, values)
    if kind == "asset":
        return AssetRequest(request_id, _field(msg, "name", str))
    if kind == "assist":
        context: list[Any] = _field(msg, "context", list)
        if len(context) > MAX_ASSIST_ITEMS:
            raise ProtocolError(f"an assist request may carry at most {MAX_ASSIST_ITEMS} items")
        if not all(isinstance(item, dict) for item in context):
            raise ProtocolError("assist context items must be objects")
        return Assist(request_id, _field(msg, "task_id", int), context)
    raise ProtocolError(f"unknown message kind {kind!r}")


# Kernel -> browser -------------------------------------------------------------------------------------


def reply(
    request_id: str, error: str | None = None, result: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """The answer to a browser request: ``ok`` or an error the widget shows to the user; an ok answer to
    an ``assist`` request carries the assistant's ``result`` items."""
    if error is None:
        if result is not None:
            return {"kind": "reply", "request_id": request_id, "ok": True, "result": result}
        return {"kind": "reply", "request_id": request_id, "ok": True}
    return {"kind": "reply", "request_id": request_id, "ok": False, "error": error}


def media(value: str, mime: str, original: tuple[int, int] | None = None) -> dict[str, Any]:
    """Header of a media message; the bytes travel as its single buffer.

    ``original`` is the (width, height) of the original image when the bytes are a preview of it.
    """
    header: dict[str, Any] = {"kind": "media", "value": value, "mime": mime}
    if original is not None:
        header["original"] = {"width": original[0], "height": original[1]}
    return header


def media_error(value: str, error: str) -> dict[str, Any]:
    return {"kind": "media_error", "value": value, "error": error}
