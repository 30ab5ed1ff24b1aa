"""The columns of the task table (``Project.tasks_frame``): every task with its status and what people and
models said about it, as Label Studio's Data Manager lists them.

Each table is read once, in id order, with the driver's cursor (no statement per task); results are decoded
only for tasks that several people answered, the ones agreement is computed for.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import orjson
from sqlalchemy import Engine

from labelnb.store.codec import loads
from labelnb.store.engine import read_transaction
from labelnb.store.rows import _cursor, _mark

_TASKS = (
    "SELECT id, data, is_labeled, overlap, total_annotations, cancelled_annotations, total_predictions, "
    "created_at, updated_at FROM tasks WHERE project_id = ? ORDER BY id"
)
_ANSWERS = (
    "SELECT task_id, completed_by, was_cancelled, ground_truth, result, last_action FROM annotations "
    "WHERE project_id = ? ORDER BY task_id, id"
)
_PREDICTIONS = "SELECT task_id, score, model_version FROM predictions WHERE project_id = ? ORDER BY id"
_HELD = (
    "SELECT DISTINCT l.task_id FROM leases l JOIN tasks t ON t.id = l.task_id "
    "WHERE t.project_id = ? AND l.expires_at > ?"
)


def _status(labeled: bool, finished: int, cancelled: int, held: bool) -> str:
    if labeled:
        return "labeled"
    if finished or held:
        return "in progress"
    return "skipped" if cancelled else "unlabeled"


#: ``last_action`` values a reviewer leaves (labelnb.team.review)
_REVIEWED = frozenset({"accepted", "fixed_and_accepted"})


def _review_state(actions: Sequence[str | None]) -> str | None:
    """A task's review state from its finished answers' last actions: "rejected" while any stands rejected,
    else "pending" while any waits for review, else "accepted"; None without finished answers."""
    if not actions:
        return None
    if "rejected" in actions:
        return "rejected"
    return "accepted" if all(action in _REVIEWED for action in actions) else "pending"


def task_table(
    engine: Engine,
    project_id: int,
    users: Mapping[int, str],
    now: float,
    agreement: Callable[[Sequence[Sequence[Mapping[str, Any]]]], float | None],
) -> dict[str, list[Any]]:
    """The task table's columns, by name, one entry per task in id order (see ``Project.tasks_frame``).

    ``agreement`` scores the finished answers of a task that has two or more.
    """
    marker = _mark(engine)
    with read_transaction(engine) as conn:
        cursor = _cursor(conn)

        def rows(sql: str, *parameters: Any) -> list[Any]:
            found: list[Any] = cursor.execute(sql.replace("?", marker), parameters).fetchall()
            return found

        tasks = rows(_TASKS, project_id)
        answers = rows(_ANSWERS, project_id)
        predictions = rows(_PREDICTIONS, project_id)
        held = {row[0] for row in rows(_HELD, project_id, now)}
        cursor.close()

    people: dict[int, list[str]] = {}
    truth: set[int] = set()
    finished: dict[int, list[bytes]] = {}
    actions: dict[int, list[str | None]] = {}
    for task_id, user_id, cancelled, ground_truth, result, last_action in answers:
        people.setdefault(task_id, []).append(users.get(user_id, str(user_id)))
        if ground_truth:
            truth.add(task_id)
        if not cancelled:
            finished.setdefault(task_id, []).append(result)
            actions.setdefault(task_id, []).append(last_action)
    newest: dict[int, tuple[Any, Any]] = {
        task_id: (score, version) for task_id, score, version in predictions
    }

    columns: dict[str, list[Any]] = {
        name: []
        for name in (
            "id", "status", "annotators", "total_annotations", "cancelled_annotations", "ground_truth",
            "overlap", "total_predictions", "prediction_score", "model_version", "agreement",
            "review_state", "created_at", "updated_at", "data",
        )
    }  # fmt: skip
    for task_id, data, labeled, overlap, total, cancelled, n_predictions, created, updated in tasks:
        score, version = newest.get(task_id, (None, None))
        answered = finished.get(task_id, ())
        columns["id"].append(task_id)
        columns["status"].append(_status(bool(labeled), total, cancelled, task_id in held))
        columns["annotators"].append(people.get(task_id, []))
        columns["total_annotations"].append(total)
        columns["cancelled_annotations"].append(cancelled)
        columns["ground_truth"].append(task_id in truth)
        columns["overlap"].append(overlap)
        columns["total_predictions"].append(n_predictions)
        columns["prediction_score"].append(score)
        columns["model_version"].append(version)
        columns["agreement"].append(
            agreement([loads(result) for result in answered]) if len(answered) > 1 else None
        )
        columns["review_state"].append(_review_state(actions.get(task_id, ())))
        columns["created_at"].append(created)
        columns["updated_at"].append(updated)
        columns["data"].append(orjson.loads(data))
    return columns
