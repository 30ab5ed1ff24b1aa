"""Bulk import into the store: tasks with their annotations (and first versions) and predictions.

Rows are gathered in batches and written with the driver's ``executemany`` under ids the importer hands
out itself, inside the caller's write transaction: a million tasks go in without a round trip per row,
and a failure anywhere rolls back the whole import. New tasks have no other annotations, so their
counters and ``is_labeled`` are computed here rather than recounted afterwards.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Table, func, select

from labelnb.store import schema as s
from labelnb.store.codec import dumps, now_iso
from labelnb.store.engine import fix_sequences
from labelnb.store.rows import PREDICTION_COLUMNS  # the same columns, in the same order

#: rows per executemany call
BATCH = 5_000

# Fields that Label Studio's export computes; an import of an export drops them and labelnb recomputes them.
GENERATED_TASK_FIELDS = frozenset(
    {
        "id",
        "annotations",
        "predictions",
        "drafts",
        "data",
        "meta",
        "created_at",
        "updated_at",
        "inner_id",
        "total_annotations",
        "cancelled_annotations",
        "total_predictions",
        "project",
        "updated_by",
        "is_labeled",
        "overlap",
        "comment_count",
        "unresolved_comment_count",
        "last_comment_updated_at",
        "comment_authors",
    }
)
ANNOTATION_FIELDS = frozenset(
    {
        "id",
        "result",
        "completed_by",
        "was_cancelled",
        "ground_truth",
        "lead_time",
        "created_at",
        "updated_at",
        "task",
        "project",
        "result_count",
        "updated_by",
        "import_id",
        "last_action",
    }
)
PREDICTION_FIELDS = frozenset(
    {"id", "result", "score", "model_version", "cluster", "created_at", "updated_at", "task", "project"}
)

TASK_COLUMNS = (
    "id",
    "project_id",
    "data",
    "meta",
    "extra",
    "is_labeled",
    "total_annotations",
    "cancelled_annotations",
    "total_predictions",
    "created_at",
    "updated_at",
)
BARE_TASK_COLUMNS = ("id", "project_id", "data", "created_at", "updated_at")
ANNOTATION_COLUMNS = (
    "id",
    "task_id",
    "project_id",
    "completed_by",
    "result",
    "was_cancelled",
    "ground_truth",
    "lead_time",
    "version",
    "last_action",
    "import_id",
    "extra",
    "created_at",
    "updated_at",
)
VERSION_COLUMNS = (
    "annotation_id",
    "version",
    "result",
    "was_cancelled",
    "lead_time",
    "action",
    "user_id",
    "created_at",
)


def extra_fields(item: Mapping[str, Any], known: frozenset[str]) -> str | None:
    """The fields of ``item`` labelnb does not model, as JSON text (None when there are none)."""
    rest = {k: v for k, v in item.items() if k not in known}
    return dumps(rest) if rest else None


def _score(value: Any) -> float | None:
    try:
        return None if value is None else float(value)
    except (TypeError, ValueError):
        return None


class RowWriter:
    """Writes rows (tuples in ``columns`` order) into one table inside ``conn``'s transaction, fast: with
    the driver's ``executemany`` on SQLite, with ``COPY ... FROM STDIN`` on PostgreSQL (psycopg's
    executemany sends one statement per row, several times slower)."""

    def __init__(self, conn: Connection, table: Table, columns: Sequence[str]) -> None:
        self.conn = conn
        names = ", ".join(columns)
        self.copy = conn.dialect.name == "postgresql" and conn.dialect.driver == "psycopg"
        if self.copy:
            self.sql = f"COPY {table.name} ({names}) FROM STDIN"
        else:
            marks = ", ".join(["?" if conn.dialect.paramstyle == "qmark" else "%s"] * len(columns))
            self.sql = f"INSERT INTO {table.name} ({names}) VALUES ({marks})"

    def write(self, rows: Sequence[Sequence[Any]]) -> None:
        if not rows:
            return
        if not self.copy:
            self.conn.exec_driver_sql(self.sql, rows)
            return
        cursor: Any = self.conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        with cursor, cursor.copy(self.sql) as copy:
            for row in rows:
                copy.write_row(row)


class _Batch:
    """Rows for one table, written (:class:`RowWriter`) whenever BATCH of them have gathered."""

    def __init__(self, conn: Connection, table: Table, columns: Sequence[str], *after: _Batch) -> None:
        self.after = after  # batches holding the rows these rows point at: flushed first
        self.writer = RowWriter(conn, table, columns)
        self.rows: list[tuple[Any, ...]] = []

    def add(self, row: tuple[Any, ...]) -> None:
        self.rows.append(row)
        if len(self.rows) >= BATCH:
            self.flush()

    def flush(self) -> None:
        for parent in self.after:
            parent.flush()
        if self.rows:
            self.writer.write(self.rows)
            self.rows = []


def _next_id(conn: Connection, table: Table) -> int:
    return int(conn.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one()) + 1


class BulkImport:
    """One import, inside the caller's write transaction. Call :meth:`add` per task, then :meth:`finish`."""

    def __init__(
        self,
        conn: Connection,
        project_id: int,
        resolve_user: Callable[[Any, str], int],
    ) -> None:
        self.conn = conn
        self.project_id = project_id
        self.resolve_user = resolve_user
        self.stamp = now_iso()
        self.task_id = _next_id(conn, s.tasks)
        self.annotation_id = _next_id(conn, s.annotations)
        self.prediction_id = _next_id(conn, s.predictions)
        self.tasks = _Batch(conn, s.tasks, TASK_COLUMNS)
        self.bare_tasks = _Batch(conn, s.tasks, BARE_TASK_COLUMNS)
        self.annotations = _Batch(conn, s.annotations, ANNOTATION_COLUMNS, self.tasks)
        self.versions = _Batch(conn, s.annotation_versions, VERSION_COLUMNS, self.annotations)
        self.predictions = _Batch(conn, s.predictions, PREDICTION_COLUMNS, self.tasks)
        self.task_ids: list[int] = []
        self.annotation_count = 0
        self.prediction_count = 0
        self.labeled = 0
        self.model_version: str | None = None  # of the last prediction

    def add(
        self,
        data: Mapping[str, Any],
        meta: Any,
        extra: Mapping[str, Any],
        annotations: Sequence[Mapping[str, Any]],
        predictions: Sequence[Mapping[str, Any]],
    ) -> int:
        task_id = self.task_id
        self.task_id += 1
        self.task_ids.append(task_id)
        kept = {k: v for k, v in extra.items() if k not in GENERATED_TASK_FIELDS} if extra else None
        if not (annotations or predictions or kept or meta is not None):
            # the common case of a bare data row: the columns' defaults fill in the rest
            self.bare_tasks.add((task_id, self.project_id, dumps(data), self.stamp, self.stamp))
            return task_id
        cancelled = sum(1 for annotation in annotations if annotation.get("was_cancelled", False))
        finished = len(annotations) - cancelled
        is_labeled = finished >= 1  # a new task has overlap 1
        self.labeled += is_labeled
        # the task row goes into its batch before the rows that point at it
        self.tasks.add(
            (
                task_id,
                self.project_id,
                dumps(data),
                None if meta is None else dumps(meta),
                dumps(kept) if kept else None,
                is_labeled,
                finished,
                cancelled,
                len(predictions),
                self.stamp,
                self.stamp,
            )
        )
        for annotation in annotations:
            self._annotation(task_id, annotation)
        for prediction in predictions:
            self._prediction(task_id, prediction)
        return task_id

    def _annotation(self, task_id: int, item: Mapping[str, Any]) -> None:
        annotation_id = self.annotation_id
        self.annotation_id += 1
        where = f"task {len(self.task_ids)} of the import, annotation {item.get('id', annotation_id)}"
        user_id = self.resolve_user(item.get("completed_by"), where)
        result = dumps(list(item.get("result") or []))
        cancelled = bool(item.get("was_cancelled", False))
        lead_time = item.get("lead_time")
        created = item.get("created_at") or self.stamp
        given_id = item.get("id")
        import_id = (
            given_id
            if isinstance(given_id, int) and not isinstance(given_id, bool)
            else item.get("import_id")
        )
        self.annotations.add(
            (
                annotation_id,
                task_id,
                self.project_id,
                user_id,
                result,
                cancelled,
                bool(item.get("ground_truth", False)),
                lead_time,
                1,
                "imported",
                import_id,
                extra_fields(item, ANNOTATION_FIELDS),
                created,
                item.get("updated_at") or created,
            )
        )
        self.versions.add((annotation_id, 1, result, cancelled, lead_time, "imported", user_id, self.stamp))
        self.annotation_count += 1

    def _prediction(self, task_id: int, item: Mapping[str, Any]) -> None:
        created = item.get("created_at") or self.stamp
        self.predictions.add(
            (
                self.prediction_id,
                task_id,
                self.project_id,
                dumps(list(item.get("result") or [])),
                _score(item.get("score")),
                self._model_version(item),
                item.get("cluster"),
                extra_fields(item, PREDICTION_FIELDS),
                created,
                item.get("updated_at") or created,
            )
        )
        self.prediction_id += 1
        self.prediction_count += 1

    def _model_version(self, item: Mapping[str, Any]) -> str:
        self.model_version = str(item.get("model_version") or "undefined")
        return self.model_version

    def finish(self) -> None:
        """Write what is still gathered (each batch writes the rows it points at first)."""
        self.bare_tasks.flush()
        self.versions.flush()
        self.predictions.flush()
        # the ids were handed out here, not by PostgreSQL's sequences: move those past them
        fix_sequences(self.conn, s.tasks, s.annotations, s.predictions)
