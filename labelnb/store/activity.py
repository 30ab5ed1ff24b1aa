"""Read-only aggregates of who answered what and when, for dashboards (:mod:`labelnb.team.progress`).

Every figure is counted by the database (GROUP BY over ``annotations``), so a project of millions of
annotations costs a few small result sets, never a task list in memory. Label counts look inside stored
results: SQLite does it in SQL with ``json_each``; other databases stream the results page by page and
count them in Python (memory bounded by one page).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any, NamedTuple

from sqlalchemy import Engine, and_, case, func, select, text

from labelnb.store import schema as s
from labelnb.store.codec import loads
from labelnb.store.engine import read_transaction

#: ``created_at`` prefixes that make the time buckets (timestamps are ISO 8601 strings in UTC)
BUCKET_CHARS = {"minute": 16, "hour": 13, "day": 10}
#: annotations read per page where the database cannot count labels itself
PAGE = 2_000


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
    """
    types = sorted(set(label_types))
    if not types:
        return []
    if engine.dialect.name == "sqlite":
        return _label_counts_sqlite(engine, project_id, types)
    return _label_counts_streamed(engine, project_id, set(types))


def _label_counts_sqlite(engine: Engine, project_id: int, types: list[str]) -> list[LabelCount]:
    # The JSON path of each type's label list is a fixed literal chosen by CASE, never text from the data,
    # so an odd `type` in a stored item cannot make a malformed path. CASE also keeps json_extract away
    # from items that are not objects (json_extract of a bare string is an error, not NULL).
    item_type = "CASE WHEN item.type = 'object' THEN json_extract(item.value, '$.type') END"
    item_control = "CASE WHEN item.type = 'object' THEN json_extract(item.value, '$.from_name') END"
    paths = " ".join(f"WHEN '{t}' THEN '$.value.{t}'" for t in types if t.isidentifier())
    sql = text(
        f"""
        SELECT {item_control} AS control, {item_type} AS kind,
               CASE label.type WHEN 'text' THEN label.value
                               WHEN 'array' THEN json_extract(label.value, '$[#-1]') END AS label,
               count(*) AS n
        FROM annotations AS a,
             json_each(CASE WHEN json_valid(a.result) THEN a.result ELSE '[]' END) AS item,
             json_each(CASE WHEN item.type = 'object' THEN item.value ELSE '{{}}' END,
                       CASE {item_type} {paths} ELSE '$.labelnb_none' END) AS label
        WHERE a.project_id = :project AND a.was_cancelled = 0
        GROUP BY control, kind, label
        HAVING label IS NOT NULL AND control IS NOT NULL
        ORDER BY control, label
        """
    ).bindparams(project=project_id)
    with read_transaction(engine) as conn:
        return [LabelCount(str(c), str(k), str(lab), int(n)) for c, k, lab, n in conn.execute(sql)]


def _label_counts_streamed(engine: Engine, project_id: int, types: set[str]) -> list[LabelCount]:
    counts: Counter[tuple[str, str, str]] = Counter()
    for result in _results(engine, project_id):
        for item in result if isinstance(result, list) else ():
            if not isinstance(item, dict) or item.get("type") not in types:
                continue
            control, kind = item.get("from_name"), item["type"]
            value = item.get("value")
            labels = value.get(kind) if isinstance(value, dict) else None
            if not isinstance(control, str) or not isinstance(labels, list):
                continue
            for label in labels:
                if isinstance(label, list) and label:
                    label = label[-1]
                if isinstance(label, str):
                    counts[(control, kind, label)] += 1
    return [LabelCount(c, k, lab, n) for (c, k, lab), n in sorted(counts.items())]


def _results(engine: Engine, project_id: int) -> Iterator[Any]:
    """The result of every submitted annotation, decoded, one page of rows in memory at a time."""
    a = s.annotations
    after = 0
    while True:
        query = (
            select(a.c.id, a.c.result)
            .where(and_(a.c.project_id == project_id, a.c.was_cancelled.is_(False), a.c.id > after))
            .order_by(a.c.id)
            .limit(PAGE)
        )
        with read_transaction(engine) as conn:
            page = conn.execute(query).all()
        if not page:
            return
        for _, result in page:
            yield loads(result)
        after = int(page[-1][0])


class Activity:
    """The aggregates above for one project of a store (``store.activity``)."""

    def __init__(self, engine: Engine, project_id: int) -> None:
        self.engine = engine
        self.project_id = project_id

    def users(self) -> list[UserActivity]:
        """See :func:`user_activity`."""
        return user_activity(self.engine, self.project_id)

    def time_span(self) -> tuple[str, str] | None:
        """See :func:`time_span`."""
        return time_span(self.engine, self.project_id)

    def counts_over_time(self, unit: str) -> list[TimeCount]:
        """See :func:`counts_over_time`."""
        return counts_over_time(self.engine, self.project_id, unit)

    def label_counts(self, label_types: Iterable[str]) -> list[LabelCount]:
        """See :func:`label_counts`."""
        return label_counts(self.engine, self.project_id, label_types)
