"""A project's queue settings, as Label Studio names them: overlap, its cohort, ground truth first, skips.

They are kept in the project's ``settings`` JSON (``projects.settings``) under Label Studio's keys, so a
settings dict reads the same in both. :func:`configure_queue` checks a change, writes it and rewrites the
tasks' ``overlap`` and ``is_labeled`` in one write transaction: a bad value raises before anything is
written, and no reader ever sees the new settings with the old overlaps.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from sqlalchemy import Connection

from labelnb.queue.overlap import arrange_overlap
from labelnb.store import Store, write_transaction
from labelnb.store.codec import loads
from labelnb.store.completion import (
    COHORT_PERCENTAGE,
    MAXIMUM_ANNOTATIONS,
    SKIP_QUEUE,
    Completion,
    raw_settings_in,
    relabel,
)

#: the most annotations a task may ask for (a guard against a typo such as 30000 for 3)
MAX_OVERLAP = 1000
GROUND_TRUTH_FIRST = "show_ground_truth_first"


class SkipQueue(str, Enum):
    """What a skip does (Label Studio's ``skip_queue``)."""

    #: the skipped task leaves the skipper's queue and goes to others (the default)
    REQUEUE_FOR_OTHERS = "REQUEUE_FOR_OTHERS"
    #: the task stays the skipper's: it comes back to them after their queue is empty
    REQUEUE_FOR_ME = "REQUEUE_FOR_ME"
    #: a skip counts as an answer: it fills one of the task's ``overlap`` places
    IGNORE_SKIPPED = "IGNORE_SKIPPED"

    @classmethod
    def parse(cls, value: Any) -> SkipQueue:
        """A member from itself or its name in any case (``"requeue_for_me"``, ``"Requeue for me"``)."""
        if isinstance(value, SkipQueue):
            return value
        if isinstance(value, str):
            name = value.strip().upper().replace("-", "_").replace(" ", "_")
            if name in cls.__members__:
                return cls[name]
        choices = ", ".join(member.value for member in cls)
        raise ValueError(f"skip_queue must be one of {choices}, not {value!r}")


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


@dataclass(frozen=True)
class QueueSettings:
    """How tasks are handed out; checked when made (``ValueError``/``TypeError`` name the setting).

    ``maximum_annotations``: how many people answer each task of the overlap cohort (Label Studio's
    "annotations per task"); ``overlap_cohort_percentage``: the share of tasks (0 to 100) that ask for that
    many, the rest asking for one; ``show_ground_truth_first``: tasks with a ground-truth annotation come
    first; ``skip_queue``: what a skip does (:class:`SkipQueue`; a name in any case is accepted).
    """

    maximum_annotations: int = 1
    overlap_cohort_percentage: int | float = 100
    show_ground_truth_first: bool = False
    skip_queue: SkipQueue = field(default=SkipQueue.REQUEUE_FOR_OTHERS)

    def __post_init__(self) -> None:
        n = self.maximum_annotations
        if not isinstance(n, int) or isinstance(n, bool):
            raise TypeError(f"maximum_annotations must be a whole number, not {n!r}")
        if not 1 <= n <= MAX_OVERLAP:
            raise ValueError(f"maximum_annotations must be between 1 and {MAX_OVERLAP}, not {n}")
        p = self.overlap_cohort_percentage
        if not _number(p):
            raise TypeError(f"overlap_cohort_percentage must be a number from 0 to 100, not {p!r}")
        if not (math.isfinite(p) and 0 <= p <= 100):
            raise ValueError(f"overlap_cohort_percentage must be from 0 to 100, not {p}")
        if isinstance(p, float) and p.is_integer():
            object.__setattr__(self, "overlap_cohort_percentage", int(p))
        if not isinstance(self.show_ground_truth_first, bool):
            raise TypeError(
                f"show_ground_truth_first must be True or False, not {self.show_ground_truth_first!r}"
            )
        object.__setattr__(self, "skip_queue", SkipQueue.parse(self.skip_queue))

    @classmethod
    def names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in dataclasses.fields(cls))

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> QueueSettings:
        """The queue settings held in a project's settings dict (missing keys take their defaults)."""
        given = {name: settings[name] for name in cls.names() if name in settings}
        try:
            return cls(**given)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"the project's stored queue settings are invalid: {exc}") from exc

    def with_changes(self, **changes: Any) -> QueueSettings:
        """A checked copy with ``changes``; an unknown name raises TypeError listing the known ones."""
        unknown = sorted(set(changes) - set(self.names()))
        if unknown:
            raise TypeError(f"unknown queue setting {', '.join(unknown)}; known: {', '.join(self.names())}")
        return dataclasses.replace(self, **changes)

    def to_settings(self) -> dict[str, Any]:
        """The settings dict entries, under Label Studio's keys."""
        return {
            MAXIMUM_ANNOTATIONS: self.maximum_annotations,
            COHORT_PERCENTAGE: self.overlap_cohort_percentage,
            GROUND_TRUTH_FIRST: self.show_ground_truth_first,
            SKIP_QUEUE: self.skip_queue.value,
        }

    @property
    def completion(self) -> Completion:
        """The part the store keeps ``is_labeled`` by."""
        return Completion.from_settings(self.to_settings())


def queue_settings_in(conn: Connection, project_id: int) -> QueueSettings:
    """The project's queue settings, read inside ``conn``'s transaction (next_task does, on each call)."""
    return _parsed(raw_settings_in(conn, project_id))


@functools.lru_cache(maxsize=64)
def _parsed(raw_settings: str) -> QueueSettings:
    found = loads(raw_settings)
    return QueueSettings.from_settings(found if isinstance(found, dict) else {})


def read_queue_settings(store: Store) -> QueueSettings:
    return QueueSettings.from_settings(store.settings())


def configure_queue(store: Store, **changes: Any) -> QueueSettings:
    """Change some of the project's queue settings and return them all.

    A new ``maximum_annotations`` or ``overlap_cohort_percentage`` rewrites every task's ``overlap``
    (:func:`labelnb.queue.overlap.arrange_overlap`); a change of what a skip counts as recomputes
    ``is_labeled``; the labelled count follows. All in one write transaction.
    """
    with write_transaction(store.engine) as conn:
        old = queue_settings_in(conn, store.project_id)
        new = old.with_changes(**changes)
        store.update_settings(new.to_settings(), conn)
        if (new.maximum_annotations, new.overlap_cohort_percentage) != (
            old.maximum_annotations,
            old.overlap_cohort_percentage,
        ):
            arrange_overlap(conn, store.project_id, new.completion)
        elif new.completion.skips_count != old.completion.skips_count:
            relabel(conn, store.project_id, new.completion.skips_count)
    return new
