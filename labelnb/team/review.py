"""The review stream: reviewers accept, reject or fix the annotators' work.

An annotation waits for review while it is a finished answer (not a skip) whose newest version no reviewer
has judged. Its ``last_action`` carries the verdict, with Label Studio's names, so every export shows it:

- ``"accepted"``: the annotation stays as it is;
- ``"rejected"``: with a comment for its author; the task goes back to the top of their queue (the queue's
  "Rejected queue" stage), and their next submission is a new version that waits for review again;
- ``"fixed_and_accepted"``: the reviewer's result becomes a new version of the annotation; the author stays
  its author and the original stays in its history.

Each verdict is one row in the ``reviews`` table (who, when, which version, the comment). A verdict names
the version it judges: a verdict on a version someone has replaced since (two reviewers on one annotation,
or its author editing it) is refused, and nothing is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
from sqlalchemy import Connection, and_, case, func, insert, or_, select, update

from labelnb.store import Store, read_transaction, rows, schema, write_transaction
from labelnb.store.codec import now_iso

ACCEPTED = "accepted"
REJECTED = "rejected"
FIXED = "fixed_and_accepted"
VERDICTS = (ACCEPTED, REJECTED, FIXED)
#: longest reviewer comment kept
MAX_COMMENT_CHARS = 10_000


class ReviewConflict(ValueError):
    """The annotation changed (or was judged) since the reviewer opened it; nothing was written."""


_a = schema.annotations


def _waiting(project_id: int) -> Any:
    """The condition for annotations of a project that wait for review."""
    return and_(
        _a.c.project_id == project_id,
        _a.c.was_cancelled.is_(False),
        or_(_a.c.last_action.is_(None), _a.c.last_action.not_in(VERDICTS)),
    )


def next_for_review(store: Store, reviewer_id: int, after: int | None = None) -> dict[str, Any] | None:
    """The next annotation waiting for review that ``reviewer_id`` did not write, oldest first (after the
    annotation id ``after`` when given), in Label Studio's shape with ``version`` and ``annotator`` (a
    name) added; None when none waits."""
    where = [_waiting(store.project_id), _a.c.completed_by != reviewer_id]
    if after is not None:
        where.append(_a.c.id > after)
    with read_transaction(store.engine) as conn:
        row = conn.execute(
            select(*rows.ANNOTATION_SELECT, _a.c.version, schema.users.c.email)
            .join(schema.users, schema.users.c.id == _a.c.completed_by)
            .where(*where)
            .order_by(_a.c.id)
            .limit(1)
        ).one_or_none()
    if row is None:
        return None
    *columns, version, annotator = row
    return {**rows.annotation_dict(columns, None), "version": int(version), "annotator": str(annotator)}


def review_queue(store: Store, limit: int | None = None) -> pd.DataFrame:
    """The annotations waiting for review, oldest first: ``annotation``, ``task``, ``annotator``,
    ``version``, ``updated_at``."""
    query = (
        select(_a.c.id, _a.c.task_id, schema.users.c.email, _a.c.version, _a.c.updated_at)
        .join(schema.users, schema.users.c.id == _a.c.completed_by)
        .where(_waiting(store.project_id))
        .order_by(_a.c.id)
    )
    if limit is not None:
        query = query.limit(limit)
    with read_transaction(store.engine) as conn:
        found = conn.execute(query).all()
    return pd.DataFrame(found, columns=["annotation", "task", "annotator", "version", "updated_at"])


def waiting_count(store: Store) -> int:
    """How many annotations wait for review."""
    with read_transaction(store.engine) as conn:
        return int(conn.execute(select(func.count()).where(_waiting(store.project_id))).scalar_one())


def _checked_comment(verdict: str, comment: Any) -> str | None:
    if verdict not in VERDICTS:
        raise ValueError(f"unknown verdict {verdict!r}: use one of {', '.join(VERDICTS)}")
    if comment is not None and not isinstance(comment, str):
        raise TypeError("a review comment must be text")
    text = (comment or "").strip()
    if len(text) > MAX_COMMENT_CHARS:
        raise ValueError(f"a review comment may have at most {MAX_COMMENT_CHARS} characters")
    if verdict == REJECTED and not text:
        raise ValueError("a rejection needs a comment that tells the annotator what to change")
    return text or None


def record_verdict(
    store: Store,
    annotation_id: int,
    reviewer_id: int,
    verdict: str,
    *,
    version: int,
    comment: str | None = None,
    result: Sequence[dict[str, Any]] | None = None,
) -> int:
    """Store a reviewer's verdict on ``version`` of an annotation and return the review's id.

    ``result`` is the fixed result (required for :data:`FIXED`, refused otherwise), already checked
    against the config by the caller. :class:`ReviewConflict` when the annotation is not waiting for
    review at that version; KeyError when it is not in this project; nothing is written then.
    """
    text = _checked_comment(verdict, comment)
    if (result is None) == (verdict == FIXED):
        raise ValueError("a fix needs the fixed result; accepting or rejecting takes none")
    with write_transaction(store.engine) as conn:
        row = conn.execute(
            select(_a.c.task_id, _a.c.completed_by, _a.c.version, _a.c.last_action, _a.c.was_cancelled).where(
                _a.c.id == annotation_id, _a.c.project_id == store.project_id
            )
        ).one_or_none()
        if row is None:
            raise KeyError(f"annotation {annotation_id} is not in this project")
        if row.was_cancelled:
            raise ReviewConflict(f"annotation {annotation_id} is a skip: there is nothing to review")
        if row.completed_by == reviewer_id:
            raise ReviewConflict(f"annotation {annotation_id} is the reviewer's own: someone else reviews it")
        if int(row.version) != version or row.last_action in VERDICTS:
            raise ReviewConflict(
                f"annotation {annotation_id} changed since version {version} was opened for review "
                f"(it is at version {row.version}, {row.last_action}): reload it"
            )
        if verdict == FIXED:
            assert result is not None
            store.revise_annotation(annotation_id, reviewer_id, list(result), FIXED, conn=conn)
        else:
            conn.execute(
                update(_a).where(_a.c.id == annotation_id).values(last_action=verdict, updated_at=now_iso())
            )
        return _insert_review(
            conn, store.project_id, annotation_id, int(row.task_id), version, reviewer_id, verdict, text
        )


def _insert_review(
    conn: Connection,
    project_id: int,
    annotation_id: int,
    task_id: int,
    version: int,
    reviewer_id: int,
    verdict: str,
    comment: str | None,
) -> int:
    inserted = conn.execute(
        insert(schema.reviews).values(
            project_id=project_id,
            annotation_id=annotation_id,
            task_id=task_id,
            version=version,
            reviewer_id=reviewer_id,
            verdict=verdict,
            comment=comment,
            created_at=now_iso(),
        )
    )
    key = inserted.inserted_primary_key
    assert key is not None
    return int(key[0])


def reviews_of(store: Store, annotation_id: int) -> list[dict[str, Any]]:
    """Every verdict on an annotation, oldest first: ``reviewer`` (a name), ``verdict``, ``comment``,
    ``version``, ``created_at``."""
    r, u = schema.reviews, schema.users
    with read_transaction(store.engine) as conn:
        found = conn.execute(
            select(u.c.email, r.c.verdict, r.c.comment, r.c.version, r.c.created_at)
            .join(u, u.c.id == r.c.reviewer_id)
            .where(r.c.annotation_id == annotation_id)
            .order_by(r.c.id)
        ).all()
    return [
        {"reviewer": name, "verdict": verdict, "comment": comment, "version": version, "created_at": created}
        for name, verdict, comment, version, created in found
    ]


def rejection_for(store: Store, task_id: int, user_id: int) -> dict[str, Any] | None:
    """The review that sent ``user_id``'s annotation of a task back to them, while it stands (they have not
    submitted again): ``reviewer``, ``comment``, ``created_at``; else None."""
    r, u = schema.reviews, schema.users
    with read_transaction(store.engine) as conn:
        row = conn.execute(
            select(u.c.email, r.c.comment, r.c.created_at)
            .select_from(r)
            .join(_a, _a.c.id == r.c.annotation_id)
            .join(u, u.c.id == r.c.reviewer_id)
            .where(
                _a.c.task_id == task_id,
                _a.c.completed_by == user_id,
                _a.c.last_action == REJECTED,
                r.c.verdict == REJECTED,
            )
            .order_by(r.c.id.desc())
            .limit(1)
        ).one_or_none()
    if row is None:
        return None
    return {"reviewer": row[0], "comment": row[1], "created_at": row[2]}


def judged_of_finished(store: Store) -> tuple[int, int]:
    """(annotations that stand judged: accepted, fixed or rejected; all finished annotations) of the
    project, in one count."""
    judged = func.coalesce(func.sum(case((_a.c.last_action.in_(VERDICTS), 1), else_=0)), 0)
    with read_transaction(store.engine) as conn:
        found = conn.execute(
            select(judged, func.count()).where(
                _a.c.project_id == store.project_id, _a.c.was_cancelled.is_(False)
            )
        ).one()
    return int(found[0]), int(found[1])


def task_and_version(store: Store, annotation_id: int) -> tuple[int, int]:
    """The task and the newest version of one of the project's annotations; KeyError when it is not one."""
    with read_transaction(store.engine) as conn:
        row = conn.execute(
            select(_a.c.task_id, _a.c.version).where(
                _a.c.id == annotation_id, _a.c.project_id == store.project_id
            )
        ).one_or_none()
    if row is None:
        raise KeyError(f"annotation {annotation_id} is not in this project")
    return int(row[0]), int(row[1])
