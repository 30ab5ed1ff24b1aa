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
    tasks_sql = (
        f"SELECT {', '.join(TASK_COLUMNS)} FROM tasks WHERE project_id = {mark} AND id > {mark}{filter_} "
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


_QUOTED: dict[tuple[type, Any], bytes] = {}


def _json(value: Any) -> bytes:
    """JSON for a scalar; the few distinct values that repeat (timestamps of one import, action names,
    model versions) are encoded once."""
    key = (type(value), value)  # 1, 1.0 and True are equal keys otherwise
    encoded = _QUOTED.get(key)
    if encoded is None:
        encoded = orjson.dumps(value)
        if len(_QUOTED) > 4096:
            _QUOTED.clear()
        _QUOTED[key] = encoded
    return encoded


def _merge(obj: bytes, extra: str | None) -> bytes:
    """Splice the stored ``extra`` object's members into the JSON object ``obj`` (keys never overlap)."""
    if not extra or extra == "{}":
        return obj
    return obj[:-1] + b"," + extra.encode()[1:]


def _annotation_json(row: Sequence[Any]) -> bytes:
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
    return _merge(
        b'{"id":%d,"completed_by":%b,"result":%b,"was_cancelled":%b,"ground_truth":%b,"created_at":%b,'
        b'"updated_at":%b,"lead_time":%b,"task":%d,"project":%d,"last_action":%b,"import_id":%b}'
        % (
            ann_id,
            b"null" if user is None else b"%d" % user,
            result.encode(),
            b"true" if cancelled else b"false",
            b"true" if truth else b"false",
            _json(created),
            _json(updated),
            _json(lead),
            task_id,
            project_id,
            _json(action),
            _json(import_id),
        ),
        extra,
    )


def _prediction_json(row: Sequence[Any]) -> bytes:
    pred_id, task_id, project_id, result, score, model_version, cluster, extra, created, updated = row
    cluster_part = b',"cluster":%b' % orjson.dumps(cluster) if cluster is not None else b""
    return _merge(
        b'{"id":%d,"result":%b,"score":%b,"model_version":%b,"created_at":%b,"updated_at":%b,"task":%d,'
        b'"project":%d%b}'
        % (
            pred_id,
            result.encode(),
            orjson.dumps(score),
            _json(model_version),
            _json(created),
            _json(updated),
            task_id,
            project_id,
            cluster_part,
        ),
        extra,
    )


def iter_export_json(engine: Engine, project_id: int, *, only_annotated: bool) -> Iterator[bytes]:
    """:func:`iter_export` (users as ids) as encoded JSON objects, one per task.

    The stored payloads are already JSON, so they are spliced in as they are rather than decoded and
    encoded again: the same documents as ``orjson.dumps`` of :func:`iter_export`'s dicts (a test checks
    that), several times faster.
    """
    for rows, anns, preds in _pages(engine, project_id, only_annotated, _annotation_json, _prediction_json):
        for row in rows:
            task_id, project, data, meta, extra, total, cancelled, predicted, created, updated = row
            yield _merge(
                b'{"id":%d,"data":%b,"annotations":[%b],"predictions":[%b],"meta":%b,"created_at":%b,'
                b'"updated_at":%b,"inner_id":%d,"total_annotations":%d,"cancelled_annotations":%d,'
                b'"total_predictions":%d,"project":%d,"drafts":[]}'
                % (
                    task_id,
                    data.encode(),
                    b",".join(anns.get(task_id, ())),
                    b",".join(preds.get(task_id, ())),
                    meta.encode() if meta else b"{}",
                    _json(created),
                    _json(updated),
                    task_id,
                    total,
                    cancelled,
                    predicted,
                    project,
                ),
                extra,
            )


def _cursor(conn: Connection) -> Any:
    """The driver's own cursor, inside the transaction SQLAlchemy began on ``conn``."""
    return conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
