"""``Dashboard``: the team lead's widget. Progress per user and per label, throughput over time, who agrees
with whom and the review queue, drawn as SVG in the browser (``js/src/dashboard``).

The kernel computes everything (:mod:`labelnb.team.progress`, :mod:`labelnb.team.review`) and puts a small
JSON summary in the synced ``summary`` trait. The browser asks for a new one with a ``refresh`` custom
message (its button, and every ``refresh_every`` seconds while the widget is on screen); the kernel answers
each message with a ``reply`` carrying its ``request_id``. Every inbound message is checked: anything but
a well-formed ``refresh`` gets an error reply and changes nothing.

The summary holds only counts, names and labels: users' emails and label values reach the page as text.
It shows every annotator's work, so in a team project it is for those who may see tasks (owners, managers
and reviewers, :mod:`labelnb.team.roles`): checked when it is made and again on every refresh.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anywidget
import pandas as pd
import traitlets

from labelnb.config import LabelConfig
from labelnb.team import progress, review
from labelnb.team.agreement.frame import MEASURES, AgreementReport
from labelnb.team.agreement.inputs import specs_from_config
from labelnb.team.roles import Action
from labelnb.widget.notice import REFUSALS, Notice, unless_refused

STATIC = Path(__file__).resolve().parent.parent / "static"
SUMMARY_VERSION = 1
#: throughput lines drawn one per user for this many users (the most active); the rest are summed
MAX_SERIES = 8
#: the agreement heat map shows at most this many annotators (the most active)
MAX_MATRIX = 24
#: bars per control: beyond it (dynamic labels, say) the most used ones, and the rest as one "others" count
MAX_LABELS = 30
#: annotators with a bar: beyond it the most active ones (the headline numbers count everyone)
MAX_USERS = 60
#: review queue rows sent to the browser (the count is always exact)
REVIEW_ROWS = 10
#: longest request id accepted
MAX_REQUEST_ID = 100

log = logging.getLogger(__name__)


class DashboardMessageError(ValueError):
    """A message from the browser that is not a well-formed ``refresh``."""


def parse_dashboard_message(content: object) -> str:
    """The ``request_id`` of a well-formed ``{"kind": "refresh", "request_id": str}`` message.

    Raises :class:`DashboardMessageError` naming what is wrong otherwise.
    """
    if not isinstance(content, dict):
        raise DashboardMessageError("a message must be a JSON object")
    request_id = content.get("request_id")
    if not isinstance(request_id, str) or not request_id or len(request_id) > MAX_REQUEST_ID:
        raise DashboardMessageError(f"a message needs a request_id of 1 to {MAX_REQUEST_ID} characters")
    kind = content.get("kind")
    if kind != "refresh":
        raise DashboardMessageError(f"unknown message kind {kind!r}")
    extra = sorted(set(content) - {"kind", "request_id"})
    if extra:
        raise DashboardMessageError(f"a refresh message has no field {extra[0]!r}")
    return request_id


def safe_request_id(content: object) -> str:
    """The request id to answer with: the message's own when it is a short string, else ""."""
    if isinstance(content, dict):
        value = content.get("request_id")
        if isinstance(value, str) and len(value) <= MAX_REQUEST_ID:
            return value
    return ""


@dataclass
class DashboardSource:
    """What the dashboard reads: a project's store and config, and its agreement function
    (:meth:`labelnb.Project.agreement`). ``control``/``measure`` choose the agreement heat map's control
    and measure (defaults: :func:`labelnb.team.progress.agreement_matrix`); ``agreement=False`` leaves the
    heat map out (it reads every annotation, so very large projects may want it off)."""

    store: Any  # labelnb.store.Store: the widget room never imports the store, it is handed one
    config: LabelConfig
    agreement: Callable[..., AgreementReport] | None
    control: str | None = None
    measure: str | None = None
    review: bool = True
    #: raises NotAllowed or NoIdentity when whoever looks may not see the team's work (None: anyone may)
    permit: Callable[[], None] | None = None

    def summary(self) -> dict[str, Any]:
        """The JSON the browser draws (see :func:`summarise`)."""
        if self.permit is not None:
            self.permit()
        return summarise(self)

    def fingerprint(self) -> Any:
        """Equal between two calls when no figure of :meth:`summary` can have changed."""
        if self.permit is not None:
            self.permit()
        return self.store.activity.fingerprint()


def _number(value: Any) -> float | None:
    """A float for JSON, None for NaN (JSON has no NaN)."""
    if value is None:
        return None
    number = float(value)
    return None if math.isnan(number) or math.isinf(number) else number


def _users(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {
            "user": None if pd.isna(row["user"]) else str(row["user"]),
            "submitted": int(row["submitted"]),
            "skipped": int(row["skipped"]),
            "tasks": int(row["tasks"]),
            "mean_lead_time": _number(row["mean_lead_time"]),
        }
        for row in frame.to_dict("records")
    ]


def _labels(frame: pd.DataFrame) -> list[dict[str, Any]]:
    controls: dict[str, dict[str, Any]] = {}
    for row in frame.to_dict("records"):
        name = str(row["control"])
        control = controls.setdefault(name, {"control": name, "tag": str(row["tag"]), "labels": []})
        color = None if pd.isna(row["color"]) else str(row["color"])
        control["labels"].append({"label": str(row["label"]), "count": int(row["count"]), "color": color})
    for control in controls.values():
        labels = control["labels"]
        if len(labels) > MAX_LABELS:
            ranked = sorted(range(len(labels)), key=lambda i: -labels[i]["count"])  # stable: config order
            kept = sorted(ranked[:MAX_LABELS])
            rest = ranked[MAX_LABELS:]
            control["labels"] = [labels[i] for i in kept]
            control["others"] = {"labels": len(rest), "count": sum(labels[i]["count"] for i in rest)}
    return list(controls.values())


def _throughput(frame: pd.DataFrame) -> dict[str, Any]:
    unit = frame.attrs.get("unit", "hour")
    if frame.empty:
        return {"unit": unit, "times": [], "series": []}
    frame = frame.assign(user=frame["user"].map(lambda u: None if pd.isna(u) else str(u)))
    table = frame.pivot_table(
        index="time", columns="user", values="annotations", aggfunc="sum", fill_value=0, dropna=False
    )
    totals = table.sum().sort_values(ascending=False, kind="stable")
    shown = list(totals.index[:MAX_SERIES])
    series = [{"user": user, "counts": [int(n) for n in table[user]]} for user in shown]
    rest = [user for user in table.columns if user not in shown]
    if rest:
        series.append(
            {"user": None, "others": len(rest), "counts": [int(n) for n in table[rest].sum(axis=1)]}
        )
    times = [moment.strftime("%Y-%m-%dT%H:%M:%SZ") for moment in table.index]
    return {"unit": unit, "times": times, "series": series}


def _agreement(source: DashboardSource, active: list[str]) -> dict[str, Any] | None:
    if source.agreement is None:
        return None
    try:
        matrix = progress.agreement_matrix(source.agreement, source.config, source.control, source.measure)
    except ValueError as exc:  # no measurable control, or a bad control/measure: say so on the panel
        return {"error": str(exc)}
    people = [str(p) for p in matrix.index]
    if len(people) > MAX_MATRIX:  # the most active annotators
        rank = {user: index for index, user in enumerate(active)}
        people = sorted(people, key=lambda p: rank.get(p, len(rank)))[:MAX_MATRIX]
        people.sort()
    shared = matrix.attrs["n_tasks"]
    return {
        "control": matrix.attrs["control"],
        "measure": matrix.attrs["measure"],
        "annotators": people,
        "values": [[_number(matrix.loc[a, b]) for b in people] for a in people],
        "n_tasks": [[int(shared[b][a]) for b in people] for a in people],
    }


def _review(source: DashboardSource) -> dict[str, Any] | None:
    if not source.review:
        return None
    waiting = review.waiting_count(source.store)
    rows = review.review_queue(source.store, limit=REVIEW_ROWS)
    return {
        "waiting": waiting,
        "oldest": [
            {
                "annotation": int(row["annotation"]),
                "task": int(row["task"]),
                "annotator": str(row["annotator"]),
                "version": int(row["version"]),
                "updated_at": str(row["updated_at"]),
            }
            for row in rows.to_dict("records")
        ],
    }


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def summarise(source: DashboardSource) -> dict[str, Any]:
    """Everything the dashboard shows, as small JSON: ``overall`` (headline numbers), ``users``, ``labels``
    (per control), ``throughput`` (``times`` and per-user ``counts``), ``agreement`` (the heat map, or
    ``{"error": ...}``, or None when off), ``review`` (the queue's size and oldest entries, or None)."""
    users = progress.user_progress(source.store)
    overall = progress.overall_progress(source.store, users).iloc[0]
    active = [str(u) for u in users.sort_values("submitted", ascending=False, kind="stable")["user"].dropna()]
    return {
        "version": SUMMARY_VERSION,
        "generated_at": _now(),
        "overall": {
            "tasks": int(overall["tasks"]),
            "labeled": int(overall["labeled"]),
            "percent_done": float(overall["percent_done"]),
            "submitted": int(overall["submitted"]),
            "skipped": int(overall["skipped"]),
            "annotators": int(overall["annotators"]),
        },
        "users": _users(
            users.sort_values("submitted", ascending=False, kind="stable").head(MAX_USERS).sort_index()
        ),
        "more_users": max(0, len(users) - MAX_USERS),
        "labels": _labels(progress.label_progress(source.store, source.config)),
        "throughput": _throughput(progress.throughput(source.store)),
        "agreement": _agreement(source, active),
        "review": _review(source),
    }


class Dashboard(anywidget.AnyWidget):
    """The team's progress in a notebook cell or a Voilà page. Made by :func:`labelnb.dashboard`."""

    _esm = STATIC / "dashboard.js"
    _css = STATIC / "dashboard.css"

    #: the data the browser draws (see :func:`summarise`); written by the kernel only
    summary = traitlets.Dict().tag(sync=True)
    #: seconds between the browser's automatic refreshes while the widget is visible (0: only by hand)
    refresh_every = traitlets.Float(30.0).tag(sync=True)
    #: the last refresh's failure, shown above the charts ("" when it worked)
    error = traitlets.Unicode("").tag(sync=True)
    title = traitlets.Unicode("").tag(sync=True)

    def __init__(self, source: DashboardSource, *, refresh_every: float = 30.0, title: str = "") -> None:
        if not (refresh_every == 0 or 1 <= refresh_every <= 86_400):
            raise ValueError(f"refresh_every must be 0 (off) or 1 to 86400 seconds, not {refresh_every!r}")
        super().__init__(refresh_every=float(refresh_every), title=title)
        self._source = source
        self._fingerprint: Any = None
        self.on_msg(self._on_message)
        self.refresh()

    def refresh(self, *, force: bool = True) -> None:
        """Recompute the summary now. The browser's requests pass ``force=False``: when nothing was written
        since the last summary (:meth:`DashboardSource.fingerprint`), only its time moves on, so a
        dashboard left open on a quiet project costs one small query per refresh."""
        try:
            fingerprint = self._source.fingerprint()
            if not force and self.summary and fingerprint == self._fingerprint:
                summary = {**self.summary, "generated_at": _now()}
            else:
                summary = self._source.summary()
        except REFUSALS as refused:  # a role taken away: nothing more, and nothing left
            with self.hold_sync():
                self.summary = {}
                self.error = str(refused)
            self._fingerprint = None
            return
        except Exception as exc:  # keep the last good summary on screen and say why it is stale
            log.exception("labelnb's dashboard could not read the project")
            self.error = f"Could not refresh: {type(exc).__name__}: {exc}"
            return
        with self.hold_sync():
            self.summary = summary
            self.error = ""
        self._fingerprint = fingerprint

    def _on_message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        request_id = safe_request_id(content)
        try:
            request_id = parse_dashboard_message(content)
        except DashboardMessageError as exc:
            self.send({"kind": "reply", "request_id": request_id, "ok": False, "error": str(exc)})
            return
        # no rate limit: an unchanged project costs one small query, and the JS sends one request at a
        # time per view (each Voilà visitor has a kernel of their own, so a flood only slows its sender)
        self.refresh(force=False)
        reply: dict[str, Any] = {"kind": "reply", "request_id": request_id, "ok": not self.error}
        if self.error:
            reply["error"] = self.error
        self.send(reply)


def dashboard(
    project: Any,
    *,
    control: str | None = None,
    measure: str | None = None,
    agreement: bool = True,
    review: bool = True,
    refresh_every: float = 30.0,
) -> Dashboard | Notice:
    """The team lead's dashboard of ``project``: headline numbers, submitted and skipped answers per
    annotator, regions and choices per label (in the config's colours), annotations over time, the
    annotator x annotator agreement of one control (``control`` and ``measure``, see
    :func:`labelnb.team.progress.agreement_matrix`; ``agreement=False`` leaves it out) and the review queue
    (``review=False`` leaves it out).

    The browser asks for fresh numbers every ``refresh_every`` seconds while the widget is on screen
    (0: only with its Refresh button); ``widget.refresh()`` recomputes from Python.

    In a team project only those who may see tasks (owners, managers, reviewers) get it, as
    :attr:`project.user <labelnb.Project.user>`; anyone else gets a
    :class:`~labelnb.widget.notice.Notice` saying why, and a dashboard whose viewer loses that right
    stops showing anything at its next refresh.
    """

    def permit() -> None:
        project.team.require(project.user, Action.SEE_TASKS)

    refused = unless_refused(permit)
    if isinstance(refused, Notice):
        return refused
    source = DashboardSource(
        store=project.store,
        config=project.config,
        agreement=project.agreement if agreement else None,
        control=control,
        measure=measure,
        review=review,
        permit=permit,
    )
    # a control or measure agreement cannot use is refused now, not shown as a message on the panel later
    if agreement and control is not None:
        specs_from_config(project.config, control)
    if agreement and measure is not None and measure not in MEASURES:
        raise ValueError(f"unknown measure {measure!r}; the measures: {', '.join(MEASURES)}")
    return Dashboard(source, refresh_every=refresh_every, title=str(project.title))
