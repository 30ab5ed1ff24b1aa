"""Which tasks ask for several annotations: Label Studio's overlap cohort, set-based.

With ``maximum_annotations = N`` and ``overlap_cohort_percentage = P``, ``round(P% · tasks)`` tasks (halves
rounded up) get ``overlap = N`` and the rest ``overlap = 1``. The cohort is chosen as Label Studio's
``_rearrange_overlap_cohort`` describes: tasks that already have N finished annotations (ground truth
left out) first, then the most answered ones, then the rest by id, so work already done keeps counting.
A few statements do it for the whole project, whatever its size; no task is looked at from Python.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Connection, Integer, Select, and_, case, func, not_, or_, select, update

from labelnb.store import schema as s
from labelnb.store.completion import Completion, cohort_size, relabel

_t, _a = s.tasks, s.annotations


def _answered(project_id: int, rule: Completion) -> tuple[Select[tuple[int, int]], Select[tuple[int, int]]]:
    """(the project's answered tasks with their finished non-ground-truth annotation counts,
    the same ranked for the cohort)."""
    finished = [_a.c.project_id == project_id, _a.c.ground_truth.is_(False)]
    if not rule.skips_count:
        finished.append(_a.c.was_cancelled.is_(False))
    done = func.count().label("done")
    counts = select(_a.c.task_id, done).where(*finished).group_by(_a.c.task_id)
    full = case((done >= rule.maximum_annotations, 1), else_=0)
    ranked = counts.order_by(full.desc(), done.desc(), _a.c.task_id)
    return counts, ranked


def arrange_overlap(conn: Connection, project_id: int, rule: Completion) -> int:
    """Give the project's tasks the overlap ``rule`` asks for, then recompute ``is_labeled`` and the
    labelled count, inside ``conn``'s transaction; how many tasks have overlap N now."""
    n = rule.maximum_annotations
    total = int(
        conn.execute(select(s.projects.c.task_count).where(s.projects.c.id == project_id)).scalar_one()
    )
    wanted = cohort_size(total, rule.cohort_percentage) if n > 1 else 0
    project = _t.c.project_id == project_id
    if wanted in (0, total):
        value = n if wanted else 1
        conn.execute(update(_t).where(project, _t.c.overlap != value).values(overlap=value))
    else:
        counts, ranked = _answered(project_id, rule)
        answered = counts.subquery()
        answered_ids = select(answered.c.task_id)
        answered_count = int(conn.execute(select(func.count()).select_from(answered)).scalar_one())
        chosen: ColumnElement[bool]
        if answered_count >= wanted:
            top = ranked.limit(wanted).subquery()
            chosen = _t.c.id.in_(select(top.c.task_id))
        else:
            # every answered task, and the first unanswered ones by id up to a boundary id
            boundary = conn.execute(
                select(_t.c.id)
                .where(project, not_(_t.c.id.in_(answered_ids)))
                .order_by(_t.c.id)
                .offset(wanted - answered_count - 1)
                .limit(1)
            ).scalar_one()
            chosen = or_(_t.c.id <= boundary, _t.c.id.in_(answered_ids))
        value_of = case((chosen, n), else_=1).cast(Integer)
        conn.execute(update(_t).where(and_(project, _t.c.overlap != value_of)).values(overlap=value_of))
    relabel(conn, project_id, rule.skips_count)
    return wanted
