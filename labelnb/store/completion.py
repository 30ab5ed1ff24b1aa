"""When a task counts as labelled, and how many annotations new tasks ask for (Label Studio's overlap).

The rule lives in the project's settings, under Label Studio's names: ``maximum_annotations`` (N),
``overlap_cohort_percentage`` (P) and ``skip_queue``. ``labelnb.queue.settings`` validates and writes them;
the store reads them here, because it keeps ``tasks.is_labeled`` and ``projects.labeled_count`` in step
with every write and so must know the rule:

* a task is labelled when its finished annotations reach its ``overlap``; finished means not cancelled,
  or any annotation at all when ``skip_queue`` is ``IGNORE_SKIPPED`` (a skip then counts as an answer);
* ``round(P% · tasks)`` tasks (halves round up) have overlap N, the others 1. New tasks of an import get
  N in id order while the project's share of such tasks is below P (:func:`assign_new_overlap`), so an
  import never moves the overlap of tasks people may already be working on.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Connection, Integer, and_, bindparam, func, select, update

from labelnb.store import schema as s
from labelnb.store.codec import loads

MAXIMUM_ANNOTATIONS = "maximum_annotations"
COHORT_PERCENTAGE = "overlap_cohort_percentage"
SKIP_QUEUE = "skip_queue"
IGNORE_SKIPPED = "IGNORE_SKIPPED"

_t = s.tasks


@dataclass(frozen=True)
class Completion:
    """The parts of a project's queue settings that decide ``overlap`` and ``is_labeled``."""

    maximum_annotations: int = 1
    cohort_percentage: float = 100.0
    skips_count: bool = False

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> Completion:
        """Read from a project's settings; missing keys take Label Studio's defaults.

        The values were validated when they were written (``labelnb.queue.settings``); a value that is not
        of the right kind anyway (a settings file edited by hand) falls back to the default rather than
        letting a submit fail.
        """
        n = settings.get(MAXIMUM_ANNOTATIONS, 1)
        p = settings.get(COHORT_PERCENTAGE, 100)
        skip = settings.get(SKIP_QUEUE)
        return cls(
            maximum_annotations=n if isinstance(n, int) and not isinstance(n, bool) and n >= 1 else 1,
            cohort_percentage=float(p)
            if isinstance(p, (int, float)) and not isinstance(p, bool) and 0 <= p <= 100
            else 100.0,
            skips_count=isinstance(skip, str) and skip.upper() == IGNORE_SKIPPED,
        )


def cohort_size(task_count: int, percentage: float) -> int:
    """How many of ``task_count`` tasks get overlap N: ``percentage``% of them, halves rounded up."""
    return min(task_count, math.floor(task_count * percentage / 100 + 0.5))


def finished(skips_count: bool) -> ColumnElement[int]:
    """A task's finished annotations under the rule, from its counters."""
    if skips_count:
        return _t.c.total_annotations + _t.c.cancelled_annotations
    return _t.c.total_annotations


_SETTINGS = select(s.projects.c.settings).where(s.projects.c.id == bindparam("settings_of", type_=Integer))


def raw_settings_in(conn: Connection, project_id: int) -> str:
    """The project's settings as stored (JSON text), read inside ``conn``'s transaction."""
    return str(conn.execute(_SETTINGS, {"settings_of": project_id}).scalar_one())


def settings_in(conn: Connection, project_id: int) -> dict[str, Any]:
    """The project's settings, read inside ``conn``'s transaction."""
    found = loads(raw_settings_in(conn, project_id))
    return found if isinstance(found, dict) else {}


@functools.lru_cache(maxsize=64)
def completion_of(raw_settings: str) -> Completion:
    """:meth:`Completion.from_settings` of stored settings text, remembered: it is read on every write."""
    found = loads(raw_settings)
    return Completion.from_settings(found if isinstance(found, dict) else {})


def completion_in(conn: Connection, project_id: int) -> Completion:
    """The project's completion rule, read inside ``conn``'s transaction."""
    return completion_of(raw_settings_in(conn, project_id))


def relabel(
    conn: Connection, project_id: int, skips_count: bool, first: int = 0, last: int | None = None
) -> int:
    """Recompute ``is_labeled`` of the project's tasks (those with ids in ``first..last`` when given) and
    ``projects.labeled_count``, set-based; the new labelled count."""
    labeled = finished(skips_count) >= _t.c.overlap
    where = [_t.c.project_id == project_id, _t.c.is_labeled != labeled]
    if last is not None:
        where.append(_t.c.id.between(first, last))
    conn.execute(update(_t).where(*where).values(is_labeled=labeled))
    count = int(
        conn.execute(
            select(func.count()).where(_t.c.project_id == project_id, _t.c.is_labeled.is_(True))
        ).scalar_one()
    )
    conn.execute(update(s.projects).where(s.projects.c.id == project_id).values(labeled_count=count))
    return count


def assign_new_overlap(
    conn: Connection, project_id: int, first: int, last: int, task_count: int, rule: Completion
) -> int | None:
    """Give the just-imported tasks ``first..last`` (a contiguous id range, inserted with overlap 1) the
    project's overlap and recompute their ``is_labeled``; the project's new labelled count, or None when
    the rule is the default and there was nothing to do.

    ``task_count`` counts the project's tasks with the new ones.
    """
    if rule.maximum_annotations == 1 and not rule.skips_count:
        return None
    new = and_(_t.c.project_id == project_id, _t.c.id.between(first, last))
    if rule.maximum_annotations > 1:
        wanted = cohort_size(task_count, rule.cohort_percentage)
        have = conn.execute(
            select(func.count()).where(
                _t.c.project_id == project_id, _t.c.overlap > 1, ~_t.c.id.between(first, last)
            )
        ).scalar_one()
        budget = min(last - first + 1, wanted - int(have))
        if budget > 0:
            conn.execute(
                update(_t).where(new, _t.c.id <= first + budget - 1).values(overlap=rule.maximum_annotations)
            )
    return relabel(conn, project_id, rule.skips_count, first, last)
