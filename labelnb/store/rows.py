"""Stored rows to Label Studio's dicts, and fast paging through a project for exports.

Rows are read as plain tuples in the column orders below, both through SQLAlchemy (``select(*COLUMNS)``)
and, for exports, through the driver's cursor directly: a million annotations go out without building a
SQLAlchemy row object or compiling a statement per page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, TypeVar

import orjson
from sqlalchemy import Connection, Engine

from labelnb.store import schema as s
from labelnb.store.codec import loads
from labelnb.store.engine import read_transaction

T = TypeVar("T")

#: tasks per page when streaming an export
EXPORT_PAGE = 2_000

TASK_COLUMNS = (
    "id",
    "project_id",
    "data",
    "meta",
    "extra",
    "total_annotations",
    "cancelled_annotations",
    "total_predictions",
    "created_at",
    "updated_at",
)
ANNOTATION_COLUMNS = (
    "id",
    "task_id",
    "project_id",
    "completed_by",
    "result",
    "was_cancelled",
    "ground_truth",
    "lead_time",
    "last_action",
    "import_id",
    "extra",
    "created_at",
    "updated_at",
)
PREDICTION_COLUMNS = (
    "id",
    "task_id",
    "project_id",
    "result",
    "score",
    "model_version",
    "cluster",
    "extra",
    "created_at",
    "updated_at",
)
TASK_SELECT = [s.tasks.c[name] for name in TASK_COLUMNS]
ANNOTATION_SELECT = [s.annotations.c[name] for name in ANNOTATION_COLUMNS]
PREDICTION_SELECT = [s.predictions.c[name] for name in PREDICTION_COLUMNS]


def task_dict(
    row: Sequence[Any], *, counters: bool = False, **children: list[dict[str, Any]]
) -> dict[str, Any]:
    """A task row (TASK_COLUMNS order) as Label Studio's task; ``counters`` adds the export's fields."""
    task_id, project_id, data, meta, extra, total, cancelled, predictions, created, updated = row
    task: dict[str, Any] = {"id": task_id, "data": loads(data)}
    task.update(children)
    task["meta"] = loads(meta) if meta else {}
    if counters:
        task.update(
            created_at=created,
            updated_at=updated,
            inner_id=task_id,
            total_annotations=total,
            cancelled_annotations=cancelled,
            total_predictions=predictions,
            project=project_id,
            drafts=[],
        )
    if extra:
        task.update(loads(extra))
    return task


def annotation_dict(row: Sequence[Any], users: Mapping[int, str] | None) -> dict[str, Any]:
    """An annotation row (ANNOTATION_COLUMNS order) as Label Studio's annotation.

    With ``users``, ``completed_by`` is ``{"id", "email"}`` (what json_min and csv need), else the user id.
    """
    (
        ann_id,
        task_id,
        project_id,
        user,
        result,
        cancelled,
        truth,
        lead,
        action,
        import_id,
        extra,
        created,
        updated,
    ) = row
    completed_by: Any = user
    if users is not None and user is not None:
        completed_by = {"id": user, "email": users.get(user, f"user{user}")}
    item: dict[str, Any] = {
        "id": ann_id,
        "completed_by": completed_by,
        "result": loads(result),
        "was_cancelled": bool(cancelled),
        "ground_truth": bool(truth),
        "created_at": created,
        "updated_at": updated,
        "lead_time": lead,
        "task": task_id,
        "project": project_id,
        "last_action": action,
        "import_id": import_id,
    }
    if extra:
        item.update(loads(extra))
    return item


def prediction_dict(row: Sequence[Any]) -> dict[str, Any]:
    """A prediction row (PREDICTION_COLUMNS order) as Label Studio's prediction."""
    pred_id, task_id, project_id, result, score, model_version, cluster, extra, created, updated = row
    item: dict[str, Any] = {
        "id": pred_id,
        "result": loads(result),
        "score": score,
        "model_version": model_version,
        "created_at": created,
        "updated_at": updated,
        "task": task_id,
        "project": project_id,
    }
    if cluster is not None:
        item["cluster"] = cluster
    if extra:
        item.update(loads(extra))
    return item


def _grouped(rows: list[Any], build: Callable[[Any], T]) -> dict[int, list[T]]:
    out: dict[int, list[T]] = {}
    for row in rows:
        out.setdefault(row[1], []).append(build(row))
    return out


def _pages(
    engine: Engine,
    project_id: int,
    only_annotated: bool,
    annotation: Callable[[Any], T],
    prediction: Callable[[Any], T],
) -> Iterator[tuple[list[Any], dict[int, list[T]], dict[int, list[T]]]]:
    """Pages of task rows in id order, with their annotations and predictions built by the callables."""
    mark = "?" if engine.dialect.paramstyle == "qmark" else "%s"
    filter_ = " AND total_annotations + cancelled_annotations > 0" if only_annotated else ""
    # "+project_id" keeps SQLite off the queue index: paging walks the primary key in id order
    tasks_sql = (
        f"SELECT {', '.join(TASK_COLUMNS)} FROM tasks WHERE +project_id = {mark} AND id > {mark}{filter_} "
        f"ORDER BY id LIMIT {EXPORT_PAGE}"
    )
    # the page's tasks are an id range, so their children are a task_id range (no long IN lists)
    annotations_sql = (
        f"SELECT {', '.join(ANNOTATION_COLUMNS)} FROM annotations "
        f"WHERE task_id BETWEEN {mark} AND {mark} AND project_id = {mark} ORDER BY task_id, id"
    )
    predictions_sql = (
        f"SELECT {', '.join(PREDICTION_COLUMNS)} FROM predictions "
        f"WHERE task_id BETWEEN {mark} AND {mark} AND project_id = {mark} ORDER BY task_id, id"
    )
    last_id = 0
    while True:
        with read_transaction(engine) as conn:
            cursor = _cursor(conn)
            cursor.execute(tasks_sql, (project_id, last_id))
            rows = cursor.fetchall()
            if not rows:
                return
            first, last_id = rows[0][0], rows[-1][0]
            # the counters say whether the page has children at all: most pages of a fresh project do not
            annotations: dict[int, list[T]] = {}
            if any(row[5] or row[6] for row in rows):
                cursor.execute(annotations_sql, (first, last_id, project_id))
                annotations = _grouped(cursor.fetchall(), annotation)
            predictions: dict[int, list[T]] = {}
            if any(row[7] for row in rows):
                cursor.execute(predictions_sql, (first, last_id, project_id))
                predictions = _grouped(cursor.fetchall(), prediction)
            cursor.close()
        yield rows, annotations, predictions


def iter_export(
    engine: Engine, project_id: int, *, only_annotated: bool, users: Mapping[int, str] | None
) -> Iterator[dict[str, Any]]:
    """Every task of a project with its annotations and predictions, in id order, page by page."""
    pages = _pages(
        engine, project_id, only_annotated, lambda row: annotation_dict(row, users), prediction_dict
    )
    for rows, anns, preds in pages:
        for row in rows:
            yield task_dict(
                row,
                counters=True,
                annotations=anns.get(row[0], []),
                predictions=preds.get(row[0], []),
            )


def _number(column: str) -> str:
    """SQL rendering a REAL column as JSON: 17 significant digits give back every double exactly."""
    return f"CASE WHEN {column} IS NULL THEN 'null' ELSE printf('%!.17g', {column}) END"


def _close_with_extra(column: str) -> str:
    """SQL closing a JSON object with the members of the stored ``extra`` object (keys never overlap)."""
    return f"CASE WHEN {column} IS NULL OR {column} = '{{}}' THEN '}}' ELSE ',' || substr({column}, 2) END"


# SQLite renders each stored row as JSON text in the same key order as the dicts of annotation_dict,
# prediction_dict and task_dict; the stored payloads (data, result, meta, extra) are already JSON and are
# copied in, never decoded. A task comes as a head and a tail so that Python only joins its children in.
_ANNOTATION_SQL = (
    """SELECT a.task_id, '{"id":' || a.id || ',"completed_by":' || coalesce(a.completed_by, 'null')"""
    """ || ',"result":' || a.result"""
    """ || ',"was_cancelled":' || CASE WHEN a.was_cancelled THEN 'true' ELSE 'false' END"""
    """ || ',"ground_truth":' || CASE WHEN a.ground_truth THEN 'true' ELSE 'false' END"""
    """ || ',"created_at":' || json_quote(a.created_at) || ',"updated_at":' || json_quote(a.updated_at)"""
    f""" || ',"lead_time":' || {_number("a.lead_time")} || ',"task":' || a.task_id"""
    """ || ',"project":' || a.project_id || ',"last_action":' || json_quote(a.last_action)"""
    f""" || ',"import_id":' || coalesce(a.import_id, 'null') || {_close_with_extra("a.extra")}"""
    " FROM annotations a WHERE a.task_id BETWEEN ? AND ? AND a.project_id = ? ORDER BY a.task_id, a.id"
)
_PREDICTION_SQL = (
    f"""SELECT p.task_id, '{{"id":' || p.id || ',"result":' || p.result || ',"score":' || {_number("p.score")}"""
    """ || ',"model_version":' || json_quote(p.model_version) || ',"created_at":' || json_quote(p.created_at)"""
    """ || ',"updated_at":' || json_quote(p.updated_at) || ',"task":' || p.task_id || ',"project":' || p.project_id"""
    """ || CASE WHEN p.cluster IS NULL THEN '' ELSE ',"cluster":' || json_quote(p.cluster) END"""
    f""" || {_close_with_extra("p.extra")}"""
    " FROM predictions p WHERE p.task_id BETWEEN ? AND ? AND p.project_id = ? ORDER BY p.task_id, p.id"
)
_TASK_SQL = (
    """SELECT t.id, '{"id":' || t.id || ',"data":' || t.data,"""
    """ '],"meta":' || coalesce(nullif(t.meta, ''), '{}') || ',"created_at":' || json_quote(t.created_at)"""
    """ || ',"updated_at":' || json_quote(t.updated_at) || ',"inner_id":' || t.id"""
    """ || ',"total_annotations":' || t.total_annotations || ',"cancelled_annotations":' || t.cancelled_annotations"""
    """ || ',"total_predictions":' || t.total_predictions || ',"project":' || t.project_id || ',"drafts":[]'"""
    f""" || {_close_with_extra("t.extra")}, t.total_annotations + t.cancelled_annotations, t.total_predictions"""
    " FROM tasks t WHERE +t.project_id = ? AND t.id > ?{filter} ORDER BY t.id LIMIT ?"
)


def _children(cursor: Any, sql: str, first: int, last: int, project_id: int) -> dict[int, list[bytes]]:
    out: dict[int, list[bytes]] = {}
    for task_id, text in cursor.execute(sql, (first, last, project_id)).fetchall():
        out.setdefault(task_id, []).append(text)
    return out


def iter_export_json(engine: Engine, project_id: int, *, only_annotated: bool) -> Iterator[bytes]:
    """:func:`iter_export` (users as ids) as encoded JSON objects, one per task.

    On SQLite the database renders the JSON from the stored JSON text (several times faster than
    decoding and re-encoding it in Python); elsewhere the dicts are encoded with orjson. A test checks
    that both give the same documents.
    """
    if engine.dialect.name != "sqlite":
        for task in iter_export(engine, project_id, only_annotated=only_annotated, users=None):
            yield orjson.dumps(task)
        return
    tasks_sql = _TASK_SQL.replace(
        "{filter}", " AND t.total_annotations + t.cancelled_annotations > 0" if only_annotated else ""
    )
    last_id = 0
    while True:
        with read_transaction(engine) as conn:
            raw: Any = conn.connection.driver_connection
            raw.text_factory = bytes  # the text goes straight to a file: no str round trip
            try:
                cursor = raw.cursor()
                rows = cursor.execute(tasks_sql, (project_id, last_id, EXPORT_PAGE)).fetchall()
                if not rows:
                    return
                first, last_id = rows[0][0], rows[-1][0]
                anns = (
                    _children(cursor, _ANNOTATION_SQL, first, last_id, project_id)
                    if any(r[3] for r in rows)
                    else {}
                )
                preds = (
                    _children(cursor, _PREDICTION_SQL, first, last_id, project_id)
                    if any(r[4] for r in rows)
                    else {}
                )
                cursor.close()
            finally:
                raw.text_factory = str
        for task_id, head, tail, _, _ in rows:
            yield b"".join(
                (
                    head,
                    b',"annotations":[',
                    b",".join(anns.get(task_id, ())),
                    b'],"predictions":[',
                    b",".join(preds.get(task_id, ())),
                    tail,
                )
            )


def iter_frame_tasks(engine: Engine, project_id: int, users: Mapping[int, str]) -> Iterator[dict[str, Any]]:
    """Tasks with only what a DataFrame needs: ``id``, ``data`` and the annotations that were not cancelled
    (``id``, ``completed_by`` as ``{"id", "email"}``, ``result``, timestamps, ``lead_time``).

    A lighter cousin of :func:`iter_export` for ``Project.to_dataframe``: no counters, extras or predictions.
    """
    mark = "?" if engine.dialect.paramstyle == "qmark" else "%s"
    tasks_sql = (
        f"SELECT id, data, total_annotations FROM tasks WHERE +project_id = {mark} AND id > {mark} "
        f"ORDER BY id LIMIT {EXPORT_PAGE}"
    )
    annotations_sql = (
        "SELECT task_id, id, completed_by, result, created_at, updated_at, lead_time FROM annotations "
        f"WHERE task_id BETWEEN {mark} AND {mark} AND project_id = {mark} AND was_cancelled = {mark} "
        "ORDER BY task_id, id"
    )
    people = {user_id: {"id": user_id, "email": email} for user_id, email in users.items()}
    last_id = 0
    while True:
        with read_transaction(engine) as conn:
            cursor = _cursor(conn)
            cursor.execute(tasks_sql, (project_id, last_id))
            rows = cursor.fetchall()
            if not rows:
                return
            first, last_id = rows[0][0], rows[-1][0]
            answers: dict[int, list[dict[str, Any]]] = {}
            if any(row[2] for row in rows):
                cursor.execute(annotations_sql, (first, last_id, project_id, False))
                for task_id, ann_id, user, result, created, updated, lead in cursor.fetchall():
                    answers.setdefault(task_id, []).append(
                        {
                            "id": ann_id,
                            "completed_by": people.get(user, user),
                            "result": loads(result),
                            "created_at": created,
                            "updated_at": updated,
                            "lead_time": lead,
                        }
                    )
            cursor.close()
        for task_id, data, _ in rows:
            yield {"id": task_id, "data": loads(data), "annotations": answers.get(task_id, [])}


def _cursor(conn: Connection) -> Any:
    """The driver's own cursor, inside the transaction SQLAlchemy began on ``conn``."""
    return conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
