"""What a model in the loop leaves in the store: its predictions per version, and one row per version
(``model_versions``) with what it was trained on and how it scored: the learning curve.

Predictions of a new version go in batches, each its own short write transaction, so people labelling at
the same time wait at most one batch; the project's current ``model_version`` changes only after the last
one, so nobody is shown a half-written version as current.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Engine, bindparam, delete, func, insert, select, update

from labelnb.store import schema as s
from labelnb.store.codec import dumps, loads, now_iso
from labelnb.store.engine import read_transaction, write_transaction
from labelnb.store.store import Store

#: predictions per write transaction (small: a labeller's submit waits for at most one)
BATCH = 1_000

# tasks.total_predictions moved by the predictions a batch added or deleted (no recount per task)
_SHIFT_COUNT = (
    update(s.tasks)
    .where(s.tasks.c.id == bindparam("task"))
    .values(total_predictions=s.tasks.c.total_predictions + bindparam("by"))
)


def version_count(engine: Engine, project_id: int, source: str) -> int:
    """How many versions ``source`` (a learner's name) has recorded."""
    with read_transaction(engine) as conn:
        return int(
            conn.execute(
                select(func.count()).where(
                    s.model_versions.c.project_id == project_id, s.model_versions.c.source == source
                )
            ).scalar_one()
        )


def write_predictions(
    engine: Engine,
    project_id: int,
    model_version: str,
    task_ids: Sequence[int],
    results: Sequence[list[dict[str, Any]]],
    scores: Sequence[float | None],
) -> None:
    """Store one prediction per task for ``model_version``, batch by batch."""
    stamp = now_iso()
    for start in range(0, len(task_ids), BATCH):
        ids = task_ids[start : start + BATCH]
        rows = [
            {
                "task_id": int(task_id),
                "project_id": project_id,
                "result": dumps(result),
                "score": None if score is None else float(score),
                "model_version": model_version,
                "created_at": stamp,
                "updated_at": stamp,
            }
            for task_id, result, score in zip(
                ids, results[start : start + BATCH], scores[start : start + BATCH], strict=True
            )
        ]
        with write_transaction(engine) as conn:
            conn.execute(insert(s.predictions), rows)
            conn.execute(_SHIFT_COUNT, [{"task": int(task_id), "by": 1} for task_id in ids])


def drop_versions(engine: Engine, project_id: int, versions: Sequence[str]) -> None:
    """Delete the predictions of these model versions (a learner keeps only its newest few)."""
    if not versions:
        return
    p = s.predictions
    with read_transaction(engine) as conn:
        touched = conn.execute(
            select(p.c.task_id, func.count())
            .where(p.c.project_id == project_id, p.c.model_version.in_(versions))
            .group_by(p.c.task_id)
        ).all()
    for start in range(0, len(touched), BATCH):
        batch = touched[start : start + BATCH]
        with write_transaction(engine) as conn:
            ids = [int(task_id) for task_id, _ in batch]
            conn.execute(delete(p).where(p.c.task_id.in_(ids), p.c.model_version.in_(versions)))
            conn.execute(_SHIFT_COUNT, [{"task": int(t), "by": -int(n)} for t, n in batch])


def record_version(
    store: Store,
    model_version: str,
    *,
    source: str,
    labels: int,
    metrics: Mapping[str, Any],
) -> None:
    """Record a trained version and make it the project's current ``model_version``."""
    with write_transaction(store.engine) as conn:
        conn.execute(
            insert(s.model_versions).values(
                project_id=store.project_id,
                model_version=model_version,
                source=source,
                labels=labels,
                metrics=dumps(dict(metrics)),
                created_at=now_iso(),
            )
        )
        store.update_settings({"model_version": model_version}, conn)


def versions(engine: Engine, project_id: int, source: str | None = None) -> list[dict[str, Any]]:
    """The recorded versions, oldest first, with their metrics decoded."""
    m = s.model_versions
    query = select(m.c.model_version, m.c.source, m.c.labels, m.c.metrics, m.c.created_at).where(
        m.c.project_id == project_id
    )
    if source is not None:
        query = query.where(m.c.source == source)
    with read_transaction(engine) as conn:
        rows = conn.execute(query.order_by(m.c.id)).all()
    return [{**row._asdict(), "metrics": loads(row.metrics) or {}} for row in rows]
