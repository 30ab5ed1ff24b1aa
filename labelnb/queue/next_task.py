"""Which task a user gets next: Label Studio's label stream (``next_task.py``), stage by stage.

A task is *open* to a user when it is not labelled, the user has no annotation on it (a skip included) and
no postponed draft, and the leases other users hold on it plus the answers that fill its places leave room
under its ``overlap``. Answers that fill places are its finished annotations, and its skips too when skips
stay with their skipper (``REQUEUE_FOR_ME``) or count as answers (``IGNORE_SKIPPED``). The stages, first
that gives a task wins (the name is what :func:`next_task_choice` returns, as Label Studio's ``queue``):

1. ``"Task lock"``: a task the user already holds an unexpired lease on comes back (the lease renewed);
   ``"Rejected queue"``: a task whose annotation by the user a reviewer rejected (:mod:`labelnb.team.review`)
   comes back before anything new, oldest first, whatever the order or selection;
2. ``"Ground truth queue"`` (``show_ground_truth_first``): the first open task with a ground-truth annotation;
3. ``"Breadth first queue"`` (``maximum_annotations > 1``): among open tasks others have answered, one with
   the most finished annotations, to finish tasks in progress before starting new ones;
4. ``"Sequence queue"``: the first open task by id, or ``"Data manager queue"`` with a stored queue;
5. ``"Postponed draft queue"``: the user's postponed drafts on tasks still open, oldest first;
6. ``"Skipped queue"`` (``REQUEUE_FOR_ME``): tasks the user skipped that are still unlabelled, oldest skip first.

Where Label Studio picks at random among equals (ground truth, breadth first), labelnb takes the lowest id,
or the earliest position of a stored queue (``queue_id``: a ranking or a selection), so the stream is
reproducible; with a stored queue every stage keeps to its tasks. Two deliberate differences: ground-truth
annotations fill places like any other (Label Studio leaves them out of its lock count, which can give a task
more annotations than its overlap), and breadth first counts finished annotations, ground truth included.

The chosen task is leased to the user (:mod:`labelnb.queue.leases`). The whole choice runs inside the
caller's write transaction (``BEGIN IMMEDIATE`` on SQLite), so two processes never both see a place free and
both take it. Statements are built once per skip mode, with bind parameters: this is the labeller's hot path.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Connection,
    Float,
    Integer,
    Select,
    bindparam,
    exists,
    func,
    literal_column,
    select,
    true,
)

from labelnb.queue.leases import extend_lease, take_lease
from labelnb.queue.settings import QueueSettings, SkipQueue, queue_settings_in
from labelnb.store import schema as s

TASK_LOCK = "Task lock"
GROUND_TRUTH = "Ground truth queue"
BREADTH_FIRST = "Breadth first queue"
SEQUENCE = "Sequence queue"
STORED_QUEUE = "Data manager queue"
POSTPONED = "Postponed draft queue"
SKIPPED = "Skipped queue"
REJECTED = "Rejected queue"


class Choice(NamedTuple):
    """The task handed out and the stage (Label Studio's ``queue`` name) it came from."""

    task_id: int
    queue: str


_t, _qi = s.tasks, s.queue_items
_PROJECT: BindParameter[int] = bindparam("project_id", type_=Integer)
_USER: BindParameter[int] = bindparam("user_id", type_=Integer)
_NOW: BindParameter[float] = bindparam("now", type_=Float)
_QUEUE: BindParameter[int] = bindparam("queue_id", type_=Integer)
_LEVEL: BindParameter[int] = bindparam("level", type_=Integer)
_BELOW: BindParameter[int] = bindparam("below", type_=Integer)
# written out, not bound: SQLite uses the partial index ix_tasks_in_progress only when the query repeats
# its condition word for word
_ANSWERED = _t.c.total_annotations != literal_column("0")
# above any answer count; bound as an SQL INTEGER, so it must fit PostgreSQL's 32 bits (2**31 is refused)
_NO_LEVEL_ABOVE = 2**31 - 1

# subqueries read their tables under aliases, so they correlate with the outer tasks row only
_mine, _draft, _other = (
    s.annotations.alias("mine"),
    s.drafts.alias("draft"),
    s.leases.alias("other"),
)
_answered_by_me = exists().where(_mine.c.task_id == _t.c.id, _mine.c.completed_by == _USER)
_finished_by_me = exists().where(
    _mine.c.task_id == _t.c.id, _mine.c.completed_by == _USER, _mine.c.was_cancelled.is_(False)
)
_my_skips = (
    select(func.count())
    .where(_mine.c.task_id == _t.c.id, _mine.c.completed_by == _USER, _mine.c.was_cancelled.is_(True))
    .scalar_subquery()
)
_postponed_by_me = exists().where(
    _draft.c.task_id == _t.c.id, _draft.c.user_id == _USER, _draft.c.was_postponed.is_(True)
)
_held_by_others = (
    select(func.count())
    .where(_other.c.task_id == _t.c.id, _other.c.user_id != _USER, _other.c.expires_at > _NOW)
    .scalar_subquery()
)
_in_queue = exists().where(_qi.c.queue_id == _QUEUE, _qi.c.task_id == _t.c.id)


def _places_taken(skip_queue: SkipQueue) -> ColumnElement[int]:
    """What fills a task's overlap places: others' leases and finished annotations, and skips too unless
    a skip hands the task on to others."""
    answers: ColumnElement[int] = _t.c.total_annotations
    if skip_queue is not SkipQueue.REQUEUE_FOR_OTHERS:
        answers = answers + _t.c.cancelled_annotations
    return _held_by_others + answers


def _open(skip_queue: SkipQueue) -> tuple[ColumnElement[bool], ...]:
    return (
        _t.c.project_id == _PROJECT,
        _t.c.is_labeled.is_(False),
        ~_answered_by_me,
        ~_postponed_by_me,
        _places_taken(skip_queue) < _t.c.overlap,
    )


_position = select(_qi.c.position).where(_qi.c.queue_id == _QUEUE, _qi.c.task_id == _t.c.id).scalar_subquery()


def _in_order(query: Select[Any], in_queue: bool) -> Select[Any]:
    """``query`` (over tasks) in id order, or restricted to the stored queue in its order."""
    if not in_queue:
        return query.order_by(_t.c.id)
    return query.join(_qi, _qi.c.task_id == _t.c.id).where(_qi.c.queue_id == _QUEUE).order_by(_qi.c.position)


def _few_in_order(query: Select[Any], in_queue: bool, by_id: ColumnElement[int] = _t.c.id) -> Select[Any]:
    """Like :func:`_in_order` for a query that finds few tasks by an index of its own (ground truth,
    tasks in progress): the queue's position is looked up for those only, never walking the queue.
    ``by_id`` is the column the index gives in task id order."""
    if not in_queue:
        return query.order_by(by_id)
    return query.where(_in_queue).order_by(_position)


@dataclass(frozen=True)
class _Statements:
    held: Select[Any]
    rejected: Select[Any]
    ground_truth: Select[Any]
    level: Select[Any]
    breadth: Select[Any]
    main: Select[Any]
    peek: Select[Any]
    postponed: Select[Any]
    skipped: Select[Any]


@functools.cache
def _statements(skip_queue: SkipQueue, in_queue: bool) -> _Statements:
    is_open = _open(skip_queue)
    open_tasks = select(_t.c.id).where(*is_open)
    queued = (_in_queue,) if in_queue else ()
    # a held task stays the user's while it is unlabelled and they have not answered it; a skip of
    # theirs does not count when their skips come back to them (the lease came from the skipped stage)
    not_done = ~_finished_by_me if skip_queue is SkipQueue.REQUEUE_FOR_ME else ~_answered_by_me
    lease = s.leases
    held = (
        select(lease.c.task_id)
        .join(_t, _t.c.id == lease.c.task_id)
        .where(
            lease.c.user_id == _USER,
            lease.c.expires_at > _NOW,
            _t.c.project_id == _PROJECT,
            _t.c.is_labeled.is_(False),
            not_done,
            *queued,
        )
        .order_by(lease.c.task_id)
        .limit(1)
    )
    a = s.annotations
    # the literal repeats ix_annotations_rejected's condition word for word, so SQLite uses that index
    rejected = (
        select(a.c.task_id)
        .where(
            a.c.completed_by == _USER,
            a.c.last_action == literal_column("'rejected'"),
            a.c.project_id == _PROJECT,
        )
        .order_by(a.c.updated_at, a.c.id)
        .limit(1)
    )
    # walk the ground-truth annotations (ix_annotations_ground_truth) rather than every open task
    ground_truth = _few_in_order(
        select(_t.c.id)
        .select_from(a)
        .join(_t, _t.c.id == a.c.task_id)
        .where(a.c.project_id == _PROJECT, a.c.ground_truth == true(), *is_open),
        in_queue,
        a.c.task_id,
    ).limit(1)
    level = select(func.max(_t.c.total_annotations)).where(
        _t.c.project_id == _PROJECT, _t.c.is_labeled.is_(False), _ANSWERED, _t.c.total_annotations < _BELOW
    )
    breadth = _few_in_order(open_tasks.where(_ANSWERED, _t.c.total_annotations == _LEVEL), in_queue).limit(1)
    main = _in_order(open_tasks, in_queue)
    if in_queue:
        after = (
            select(_qi.c.position)
            .where(_qi.c.queue_id == _QUEUE, _qi.c.task_id == bindparam("after"))
            .scalar_subquery()
        )
        peek = main.where(_qi.c.position > after)
    else:
        peek = main.where(_t.c.id > bindparam("after"))
    d = s.drafts
    postponed = (
        select(d.c.task_id)
        .join(_t, _t.c.id == d.c.task_id)
        .where(
            d.c.user_id == _USER,
            d.c.was_postponed.is_(True),
            _t.c.project_id == _PROJECT,
            _t.c.is_labeled.is_(False),
            ~_answered_by_me,
            _places_taken(skip_queue) < _t.c.overlap,
            *queued,
        )
        .order_by(d.c.updated_at, d.c.id)
        .limit(1)
    )
    skipped = (
        select(a.c.task_id)
        .join(_t, _t.c.id == a.c.task_id)
        .where(
            a.c.completed_by == _USER,
            a.c.project_id == _PROJECT,
            a.c.was_cancelled.is_(True),
            _t.c.is_labeled.is_(False),
            ~_finished_by_me,
            # the user's own skips leave their places to them
            _places_taken(SkipQueue.REQUEUE_FOR_ME) - _my_skips < _t.c.overlap,
            *queued,
        )
        .order_by(a.c.updated_at, a.c.id)
        .limit(1)
    )
    return _Statements(
        held=held,
        rejected=rejected,
        ground_truth=ground_truth,
        level=level,
        breadth=breadth,
        main=main.limit(1),
        peek=peek.limit(bindparam("count")),
        postponed=postponed,
        skipped=skipped,
    )


def _pick(
    conn: Connection, st: _Statements, settings: QueueSettings, params: dict[str, Any], stored: bool
) -> Choice | None:
    """The first stage after the task lock that gives a task."""
    if settings.show_ground_truth_first:
        found = conn.execute(st.ground_truth, params).scalar()
        if found is not None:
            return Choice(int(found), GROUND_TRUTH)
    if settings.maximum_annotations > 1:
        # the answer counts present among open tasks, highest first: each a seek in ix_tasks_in_progress
        below = _NO_LEVEL_ABOVE
        while (level := conn.execute(st.level, {**params, "below": below}).scalar()) is not None:
            found = conn.execute(st.breadth, {**params, "level": level}).scalar()
            if found is not None:
                return Choice(int(found), BREADTH_FIRST)
            below = int(level)
    found = conn.execute(st.main, params).scalar()
    if found is not None:
        return Choice(int(found), STORED_QUEUE if stored else SEQUENCE)
    found = conn.execute(st.postponed, params).scalar()
    if found is not None:
        return Choice(int(found), POSTPONED)
    if settings.skip_queue is SkipQueue.REQUEUE_FOR_ME:
        found = conn.execute(st.skipped, params).scalar()
        if found is not None:
            return Choice(int(found), SKIPPED)
    return None


def next_task_choice(
    conn: Connection,
    project_id: int,
    user_id: int,
    now: float,
    ttl: float,
    queue_id: int | None = None,
    settings: QueueSettings | None = None,
) -> Choice | None:
    """Lease the next task for ``user_id`` inside ``conn``'s write transaction: the task and the stage it
    came from (see the module's docstring), or None when no task is left for them.

    With ``queue_id`` the task comes from that stored queue (a ranking or a selection), in its order;
    without, from all of the project's tasks by id. ``settings`` default to the project's, read in ``conn``.
    """
    if settings is None:
        settings = queue_settings_in(conn, project_id)
    st = _statements(settings.skip_queue, queue_id is not None)
    params = {"project_id": project_id, "user_id": user_id, "now": now, "queue_id": queue_id}
    held = conn.execute(st.held, params).scalar()
    if held is not None:
        extend_lease(conn, int(held), user_id, now, ttl)
        return Choice(int(held), TASK_LOCK)
    rejected = conn.execute(st.rejected, params).scalar()
    if rejected is not None:
        take_lease(conn, int(rejected), user_id, now, ttl)
        return Choice(int(rejected), REJECTED)
    choice = _pick(conn, st, settings, params, queue_id is not None)
    if choice is not None:
        take_lease(conn, choice.task_id, user_id, now, ttl)
    return choice


def next_task_id(
    conn: Connection,
    project_id: int,
    user_id: int,
    now: float,
    ttl: float,
    queue_id: int | None = None,
) -> int | None:
    """:func:`next_task_choice`'s task id alone."""
    choice = next_task_choice(conn, project_id, user_id, now, ttl, queue_id)
    return None if choice is None else choice.task_id


def peek_task_ids(
    conn: Connection,
    project_id: int,
    user_id: int,
    now: float,
    after: int,
    count: int,
    queue_id: int | None = None,
) -> list[int]:
    """The ids of the next ``count`` open tasks after ``after`` in the main order, without leasing them
    (for prefetching media: the breadth-first and later stages are not guessed)."""
    settings = queue_settings_in(conn, project_id)
    statement = _statements(settings.skip_queue, queue_id is not None).peek
    params = {
        "project_id": project_id,
        "user_id": user_id,
        "now": now,
        "after": after,
        "count": count,
        "queue_id": queue_id,
    }
    return [int(task_id) for task_id in conn.execute(statement, params).scalars()]
