"""Read-only aggregates of who answered what and when, for dashboards (:mod:`labelnb.team.progress`).

Every figure but the label counts is counted by the database (GROUP BY over ``annotations``), so a
project of millions of annotations costs a few small result sets, never a task list in memory. Label
counts look inside the stored results: they are streamed page by page and counted in Python, with one
page in memory at a time (:func:`label_counts` says why not in SQL).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

from sqlalchemy import Engine, case, func, select

from labelnb.store import schema as s
from labelnb.store.codec import loads
from labelnb.store.engine import read_transaction

#: ``created_at`` prefixes that make the time buckets (timestamps are ISO 8601 strings in UTC)
BUCKET_CHARS = {"minute": 16, "hour": 13, "day": 10}
#: annotations whose results are decoded at a time while labels are counted
PAGE = 5_000


class UserActivity(NamedTuple):
    user: str | None  # the user's email; None for annotations without one (imported)
    submitted: int
    skipped: int
    tasks: int  # distinct tasks the user answered or skipped
    mean_lead_time: float | None  # seconds, over submitted annotations that recorded one


class LabelCount(NamedTuple):
    control: str
    type: str
    label: str
    items: int  # result items carrying the label


class TimeCount(NamedTuple):
    user: str | None
    bucket: str  # the ``created_at`` prefix: ``2026-11-23T12`` for an hour
    annotations: int


def user_activity(engine: Engine, project_id: int) -> list[UserActivity]:
    """Per user: submitted and skipped annotations, tasks touched, mean lead time of submissions."""
    a, u = s.annotations, s.users
    cancelled = a.c.was_cancelled.is_(True)
    query = (
        select(
            u.c.email,
            func.sum(case((cancelled, 0), else_=1)),
            func.sum(case((cancelled, 1), else_=0)),
            func.count(a.c.task_id.distinct()),
            func.avg(case((cancelled, None), else_=a.c.lead_time)),
        )
        .select_from(a.outerjoin(u, u.c.id == a.c.completed_by))
        .where(a.c.project_id == project_id)
        .group_by(u.c.email)
        .order_by(u.c.email)
    )
    with read_transaction(engine) as conn:
        found = conn.execute(query).all()
    return [
        UserActivity(email, int(sub), int(skip), int(touched), None if lead is None else float(lead))
        for email, sub, skip, touched, lead in found
    ]


def fingerprint(engine: Engine, project_id: int) -> tuple[Any, ...]:
    """Values that change whenever a write can change a figure above: the project's task counters and,
    over its annotations, their number, newest id, newest ``updated_at`` and total of versions (every
    answer, edit, skip and review verdict moves one of them). Equal fingerprints: equal figures."""
    a, p = s.annotations, s.projects
    counters = select(p.c.task_count, p.c.labeled_count).where(p.c.id == project_id)
    answers = select(
        func.count(), func.max(a.c.id), func.max(a.c.updated_at), func.coalesce(func.sum(a.c.version), 0)
    ).where(a.c.project_id == project_id)
    with read_transaction(engine) as conn:
        return (*conn.execute(counters).one(), *conn.execute(answers).one())


def time_span(engine: Engine, project_id: int) -> tuple[str, str] | None:
    """The first and last ``created_at`` of the project's submitted annotations, or None without any."""
    a = s.annotations
    query = select(func.min(a.c.created_at), func.max(a.c.created_at)).where(
        a.c.project_id == project_id, a.c.was_cancelled.is_(False)
    )
    with read_transaction(engine) as conn:
        first, last = conn.execute(query).one()
    return None if first is None else (str(first), str(last))


def counts_over_time(engine: Engine, project_id: int, unit: str) -> list[TimeCount]:
    """Submitted annotations per user and ``unit`` ("minute", "hour" or "day") of their ``created_at``."""
    if unit not in BUCKET_CHARS:
        raise ValueError(f"unit must be one of {', '.join(BUCKET_CHARS)}, not {unit!r}")
    a, u = s.annotations, s.users
    bucket = func.substr(a.c.created_at, 1, BUCKET_CHARS[unit])
    query = (
        select(u.c.email, bucket, func.count())
        .select_from(a.outerjoin(u, u.c.id == a.c.completed_by))
        .where(a.c.project_id == project_id, a.c.was_cancelled.is_(False))
        .group_by(u.c.email, bucket)
        .order_by(bucket, u.c.email)
    )
    with read_transaction(engine) as conn:
        return [TimeCount(email, str(b), int(n)) for email, b, n in conn.execute(query)]


def label_counts(engine: Engine, project_id: int, label_types: Iterable[str]) -> list[LabelCount]:
    """How many result items of submitted annotations carry each label, per control (``from_name``).

    ``label_types`` are the result ``type`` values whose ``value[type]`` is a list of labels
    (``choices``, ``rectanglelabels``, ...); an item with two labels counts once for each. A Taxonomy
    path counts for its last (deepest) entry. Items of other types, and malformed items, are left out.

    The results are read page by page (one page decoded in memory at a time) and counted in Python: on
    SQLite, the same count in SQL (``json_each`` and ``json_extract`` per item) took 2.4 times as long,
    since SQLite parses an item's JSON again for every field it extracts.
    """
    types = set(label_types)
    counts: Counter[tuple[str, str, str]] = Counter()
    for result in _results(engine, project_id):
        if type(result) is not list:
            continue
        for item in result:
            # the plain case costs three lookups; anything malformed falls out at the first that fails
            try:
                kind = item["type"]
                if kind not in types:
                    continue
                labels, control = item["value"][kind], item["from_name"]
            except (KeyError, TypeError, IndexError):
                continue
            if type(labels) is not list or type(control) is not str:
                continue
            for label in labels:
                if type(label) is list and label:
                    label = label[-1]  # a Taxonomy path: its deepest entry
                if type(label) is str:
                    counts[(control, kind, label)] += 1
    return [LabelCount(c, k, lab, n) for (c, k, lab), n in sorted(counts.items())]


def _results(engine: Engine, project_id: int) -> Iterator[Any]:
    """The result of every submitted annotation, decoded, ``PAGE`` rows in memory at a time: one query in
    one read transaction (a consistent snapshot; on SQLite in WAL mode it blocks no writer), fetched in
    batches."""
    a = s.annotations
    query = select(a.c.result).where(a.c.project_id == project_id, a.c.was_cancelled.is_(False))
    with read_transaction(engine) as conn:
        found = conn.execution_options(yield_per=PAGE).execute(query)
        for batch in found.scalars().partitions():
            for text in batch:
                yield loads(text)


class Activity:
    """The aggregates above for one project of a store (``store.activity``)."""

    def __init__(self, engine: Engine, project_id: int) -> None:
        self.engine = engine
        self.project_id = project_id

    def users(self) -> list[UserActivity]:
        """See :func:`user_activity`."""
        return user_activity(self.engine, self.project_id)

    def fingerprint(self) -> tuple[Any, ...]:
        """See :func:`fingerprint`."""
        return fingerprint(self.engine, self.project_id)

    def time_span(self) -> tuple[str, str] | None:
        """See :func:`time_span`."""
        return time_span(self.engine, self.project_id)

    def counts_over_time(self, unit: str) -> list[TimeCount]:
        """See :func:`counts_over_time`."""
        return counts_over_time(self.engine, self.project_id, unit)

    def label_counts(self, label_types: Iterable[str]) -> list[LabelCount]:
        """See :func:`label_counts`."""
        return label_counts(self.engine, self.project_id, label_types)
