"""Adding predictions to stored tasks in bulk, inside the caller's write transaction.

Rows are read in batches: each batch's tasks are looked up in one query (their data goes to the
caller's ``prepare`` so it can check results against them), the predictions are written with one
``executemany`` and the tasks' ``total_predictions`` are raised with another. The store never looks
inside a result; what a valid prediction is, the caller decides.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from sqlalchemy import Connection, select

from labelnb.store import schema as s
from labelnb.store.codec import dumps, loads, now_iso
from labelnb.store.engine import fix_sequences
from labelnb.store.importer import PREDICTION_FIELDS, _Batch, _next_id, extra_fields
from labelnb.store.rows import PREDICTION_COLUMNS

#: predictions per batch (one task lookup, one insert and one counter update each)
BATCH = 5_000

#: ``prepare(row, data, index)``: the row checked and normalised for the task whose data is ``data``
#: (None when the project has no such task); raises to refuse the whole call
Prepare = Callable[[Mapping[str, Any], dict[str, Any] | None, int], Mapping[str, Any]]


@dataclass
class PredictionReport:
    """What :meth:`labelnb.store.Store.add_predictions` added."""

    predictions: int = 0
    tasks: int = 0
    model_versions: list[str] = field(default_factory=list)
    prediction_ids: list[int] = field(default_factory=list, repr=False)

    def __str__(self) -> str:
        versions = ", ".join(self.model_versions) or "none"
        return f"{self.predictions} predictions added to {self.tasks} tasks (model versions: {versions})"


def _batches(rows: Iterable[Mapping[str, Any]], size: int) -> Iterator[list[Mapping[str, Any]]]:
    it = iter(rows)
    while batch := list(islice(it, size)):
        yield batch


def _task_id(row: Mapping[str, Any], index: int) -> int:
    task = row.get("task")
    if isinstance(task, bool) or not isinstance(task, int):
        raise ValueError(f"prediction {index}: 'task' must be a task id, not {task!r}")
    return task


def add_predictions(
    conn: Connection, project_id: int, rows: Iterable[Mapping[str, Any]], prepare: Prepare | None
) -> PredictionReport:
    """Write ``rows`` (``{"task", "result", "score", "model_version", "cluster"?, ...}``) in batches."""
    t = s.tasks
    stamp = now_iso()
    next_id = _next_id(conn, s.predictions)
    inserts = _Batch(conn, s.predictions, PREDICTION_COLUMNS)
    marks = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    bump = (
        f"UPDATE tasks SET total_predictions = total_predictions + {marks}, updated_at = {marks} "
        f"WHERE id = {marks}"
    )
    report = PredictionReport()
    versions: dict[str, None] = {}
    touched: set[int] = set()
    index = 0
    for batch in _batches(rows, BATCH):
        ids = {_task_id(row, index + i) for i, row in enumerate(batch)}
        found = conn.execute(select(t.c.id, t.c.data).where(t.c.project_id == project_id, t.c.id.in_(ids)))
        datas: dict[int, Any] = {row[0]: row[1] for row in found}
        counts: dict[int, int] = {}
        for row in batch:
            task_id = _task_id(row, index)
            raw = datas.get(task_id)
            if prepare is not None:
                data = None if raw is None else loads(raw)
                row = prepare(row, data, index)
            elif raw is None:
                raise ValueError(f"prediction {index}: task {task_id} is not in this project")
            result = row.get("result")
            if not isinstance(result, list):
                raise ValueError(f"prediction {index} (task {task_id}): 'result' must be a list")
            version = str(row.get("model_version") or "undefined")
            inserts.add(
                (
                    next_id,
                    task_id,
                    project_id,
                    dumps(result),
                    row.get("score"),
                    version,
                    row.get("cluster"),
                    extra_fields(row, PREDICTION_FIELDS),
                    stamp,
                    stamp,
                )
            )
            report.prediction_ids.append(next_id)
            next_id += 1
            versions[version] = None
            counts[task_id] = counts.get(task_id, 0) + 1
            index += 1
        inserts.flush()
        if counts:
            conn.exec_driver_sql(bump, [(n, stamp, task_id) for task_id, n in counts.items()])
        touched.update(counts)
    fix_sequences(conn, s.predictions)  # the ids were handed out above
    report.predictions = index
    report.tasks = len(touched)
    report.model_versions = list(versions)
    return report
