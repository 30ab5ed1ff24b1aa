"""Stored rows to Label Studio's dicts, and fast paging through a project for exports.

Rows are read as plain tuples in the column orders below, both through SQLAlchemy (``select(*COLUMNS)``)
and, for exports, through the driver's cursor directly: a million annotations go out without building a
SQLAlchemy row object or compiling a statement per page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from itertools import repeat
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
    row: Sequence[Any],
    *,
    counters: bool = False,
    drafts: list[dict[str, Any]] | None = None,
    **children: list[dict[str, Any]],
) -> dict[str, Any]:
    """A task row (TASK_COLUMNS order) as Label Studio's task; ``counters`` adds the export's fields
    (with ``drafts``)."""
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
            drafts=drafts or [],
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


DRAFT_COLUMNS = (
    "d.id", "d.task_id", "d.user_id", "u.email", "d.annotation_id", "d.result", "d.lead_time",
    "d.was_postponed", "d.created_at", "d.updated_at",
)  # fmt: skip


def draft_dict(row: Sequence[Any]) -> dict[str, Any]:
    """A draft row (DRAFT_COLUMNS order) as Label Studio exports an ``AnnotationDraft`` (``user`` is the
    e-mail, as Label Studio writes it; labelnb has no first and last names)."""
    draft_id, task_id, user_id, email, annotation_id, result, lead_time, postponed, created, updated = row
    return {
        "id": draft_id,
        "user": email,
        "created_username": f"{email}, {user_id}",
        "created_ago": "",
        "result": loads(result),
        "lead_time": lead_time,
        "was_postponed": bool(postponed),
        "import_id": None,
        "created_at": created,
        "updated_at": updated,
        "task": task_id,
        "annotation": annotation_id,
    }


def has_drafts(conn: Connection, project_id: int) -> bool:
    """True when some task of the project has a draft (most exported projects have none)."""
    found = conn.exec_driver_sql(
        "SELECT 1 FROM drafts d JOIN tasks t ON t.id = d.task_id WHERE t.project_id = "
        f"{_mark(conn.engine)} LIMIT 1",
        (project_id,),
    ).first()
    return found is not None


def _mark(engine: Engine) -> str:
    return "?" if engine.dialect.paramstyle == "qmark" else "%s"


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
    mark = _mark(engine)
    drafts_sql = (
        f"SELECT {', '.join(DRAFT_COLUMNS)} FROM drafts d JOIN tasks t ON t.id = d.task_id "
        f"JOIN users u ON u.id = d.user_id "
        f"WHERE d.task_id BETWEEN {mark} AND {mark} AND t.project_id = {mark} ORDER BY d.task_id, d.id"
    )
    with read_transaction(engine) as conn:
        any_drafts = has_drafts(conn, project_id)
    for rows, anns, preds in pages:
        drafts: dict[int, list[dict[str, Any]]] = {}
        if any_drafts:
            with read_transaction(engine) as conn:
                found = conn.exec_driver_sql(drafts_sql, (rows[0][0], rows[-1][0], project_id)).all()
            drafts = _grouped(list(found), draft_dict)
        for row in rows:
            yield task_dict(
                row,
                counters=True,
                drafts=drafts.get(row[0]),
                annotations=anns.get(row[0], []),
                predictions=preds.get(row[0], []),
            )


def _number(column: str) -> str:
    """SQL rendering a REAL column as JSON: 17 significant digits give back every double exactly."""
    return f"CASE WHEN {column} IS NULL THEN 'null' ELSE printf('%!.17g', {column}) END"


def _extra_members(column: str) -> str:
    """SQL rendering the members of the stored ``extra`` object as ``,"k":v,...`` (keys never overlap)."""
    return f"CASE WHEN {column} IS NULL OR {column} = '{{}}' THEN '' ELSE ',' || substr({column}, 2, length({column}) - 2) END"


def _boolean(column: str) -> str:
    return f"CASE WHEN {column} THEN 'true' ELSE 'false' END"


def _render(template: str, *arguments: str) -> str:
    """SQL rendering one JSON object with a single printf: far cheaper than a chain of ``||``.

    ``template`` is the object's text with ``%s``/``%d`` slots; the stored payloads (data, result, meta,
    extra) are JSON already and are copied in, never decoded.
    """
    return f"printf('{template}', {', '.join(arguments)})"


# SQLite renders each stored row as JSON text in the same key order as the dicts of annotation_dict,
# prediction_dict and task_dict, and nests a task's annotations and predictions in it, so that one
# query gives a page of finished task documents.
_ANNOTATION_JSON = _render(
    '{"id":%d,"completed_by":%s,"result":%s,"was_cancelled":%s,"ground_truth":%s,"created_at":%s,'
    '"updated_at":%s,"lead_time":%s,"task":%d,"project":%d,"last_action":%s,"import_id":%s%s}',
    "a.id", "coalesce(a.completed_by, 'null')", "a.result", _boolean("a.was_cancelled"),
    _boolean("a.ground_truth"), "json_quote(a.created_at)", "json_quote(a.updated_at)", _number("a.lead_time"),
    "a.task_id", "a.project_id", "json_quote(a.last_action)", "coalesce(a.import_id, 'null')",
    _extra_members("a.extra"),
)  # fmt: skip
_PREDICTION_JSON = _render(
    '{"id":%d,"result":%s,"score":%s,"model_version":%s,"created_at":%s,"updated_at":%s,"task":%d,'
    '"project":%d%s%s}',
    "p.id", "p.result", _number("p.score"), "json_quote(p.model_version)", "json_quote(p.created_at)",
    "json_quote(p.updated_at)", "p.task_id", "p.project_id",
    """CASE WHEN p.cluster IS NULL THEN '' ELSE ',"cluster":' || json_quote(p.cluster) END""",
    _extra_members("p.extra"),
)  # fmt: skip
_DRAFT_JSON = _render(
    '{"id":%d,"user":%s,"created_username":%s,"created_ago":"","result":%s,"lead_time":%s,'
    '"was_postponed":%s,"import_id":null,"created_at":%s,"updated_at":%s,"task":%d,"annotation":%s}',
    "d.id", "json_quote(u.email)", "json_quote(u.email || ', ' || d.user_id)", "d.result", _number("d.lead_time"), _boolean("d.was_postponed"),
    "json_quote(d.created_at)", "json_quote(d.updated_at)", "d.task_id", "coalesce(d.annotation_id, 'null')",
)  # fmt: skip
# a task's drafts, for projects that have any (the query without them is used otherwise)
_DRAFTS_JSON = (
    "coalesce((SELECT group_concat(doc, ',') FROM "
    f"(SELECT {_DRAFT_JSON} AS doc FROM drafts d JOIN users u ON u.id = d.user_id WHERE d.task_id = t.id "
    "ORDER BY d.id)), '')"
)
# children come from correlated subqueries, skipped when the task's counters say there are none;
# the inner ORDER BY fixes group_concat's order
_TASK_JSON_SQL = "SELECT t.id, " + _render(
    '{"id":%d,"data":%s,"annotations":[%s],"predictions":[%s],"meta":%s,"created_at":%s,"updated_at":%s,'
    '"inner_id":%d,"total_annotations":%d,"cancelled_annotations":%d,"total_predictions":%d,"project":%d,'
    '"drafts":[{drafts}]%s}',
    "t.id", "t.data",
    "CASE WHEN t.total_annotations + t.cancelled_annotations > 0 THEN (SELECT group_concat(doc, ',') FROM "
    f"(SELECT {_ANNOTATION_JSON} AS doc FROM annotations a WHERE a.task_id = t.id ORDER BY a.id)) ELSE '' END",
    "CASE WHEN t.total_predictions > 0 THEN (SELECT group_concat(doc, ',') FROM "
    f"(SELECT {_PREDICTION_JSON} AS doc FROM predictions p WHERE p.task_id = t.id ORDER BY p.id)) ELSE '' END",
    "coalesce(nullif(t.meta, ''), '{}')", "json_quote(t.created_at)", "json_quote(t.updated_at)", "t.id",
    "t.total_annotations", "t.cancelled_annotations", "t.total_predictions", "t.project_id",
    _extra_members("t.extra"),
) + " FROM tasks t WHERE +t.project_id = ? AND t.id > ?{filter} ORDER BY t.id LIMIT ?"  # fmt: skip


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
    tasks_sql = _TASK_JSON_SQL.replace(
        "{filter}", " AND t.total_annotations + t.cancelled_annotations > 0" if only_annotated else ""
    )
    with read_transaction(engine) as conn:
        any_drafts = has_drafts(conn, project_id)
    # the drafts' slot is filled in SQL only when there are drafts: it costs a probe per task
    tasks_sql = tasks_sql.replace("[{drafts}]", "[%s]" if any_drafts else "[]")
    if any_drafts:
        tasks_sql = tasks_sql.replace(", t.project_id, ", f", t.project_id, {_DRAFTS_JSON}, ", 1)
    yield from _json_documents(engine, tasks_sql, project_id)


# what shape formats (coco, yolo) read of a task: a third of the full document's cost to render and decode
_ANSWER_JSON = _render(
    '{"id":%d,"result":%s,"was_cancelled":%s,"created_at":%s}',
    "a.id", "a.result", _boolean("a.was_cancelled"), "json_quote(a.created_at)",
)  # fmt: skip
_TASK_ANSWERS_SQL = "SELECT t.id, " + _render(
    '{"id":%d,"data":%s,"annotations":[%s]}',
    "t.id", "t.data",
    "CASE WHEN t.total_annotations + t.cancelled_annotations > 0 THEN (SELECT group_concat(doc, ',') FROM "
    f"(SELECT {_ANSWER_JSON} AS doc FROM annotations a WHERE a.task_id = t.id ORDER BY a.id)) ELSE '' END",
) + " FROM tasks t WHERE +t.project_id = ? AND t.id > ?{filter} ORDER BY t.id LIMIT ?"  # fmt: skip


# the same lean documents rendered by PostgreSQL: stored JSON text cast to json is copied out verbatim
_PG_TASK_ANSWERS_SQL = (
    "SELECT t.id, json_build_object('id', t.id, 'data', t.data::json, 'annotations', "
    "CASE WHEN t.total_annotations + t.cancelled_annotations > 0 THEN (SELECT json_agg(json_build_object("
    "'id', a.id, 'result', a.result::json, 'was_cancelled', a.was_cancelled, 'created_at', a.created_at) "
    "ORDER BY a.id) FROM annotations a WHERE a.task_id = t.id) ELSE '[]'::json END)::text "
    "FROM tasks t WHERE t.project_id = %s AND t.id > %s{filter} ORDER BY t.id LIMIT %s"
)


def iter_answers_json(engine: Engine, project_id: int, *, only_annotated: bool) -> Iterator[bytes] | None:
    """Every task as an encoded JSON object holding only ``id``, ``data`` and its annotations' ``id``,
    ``result``, ``was_cancelled`` and ``created_at`` (in id order, as :func:`iter_export_json`), rendered
    by SQLite or PostgreSQL; None where the database cannot render JSON (any other)."""
    if engine.dialect.name == "sqlite":
        template = _TASK_ANSWERS_SQL
    elif engine.dialect.name == "postgresql":
        template = _PG_TASK_ANSWERS_SQL
    else:
        return None
    tasks_sql = template.replace(
        "{filter}", " AND t.total_annotations + t.cancelled_annotations > 0" if only_annotated else ""
    )
    return _json_documents(engine, tasks_sql, project_id)


def _json_documents(engine: Engine, tasks_sql: str, project_id: int) -> Iterator[bytes]:
    """The JSON text of ``tasks_sql``'s second column, page by page (the first is the task id)."""
    sqlite = engine.dialect.name == "sqlite"
    last_id = 0
    while True:
        with read_transaction(engine) as conn:
            if sqlite:
                raw: Any = conn.connection.driver_connection
                raw.text_factory = bytes  # the text goes straight to a file: no str round trip
                try:
                    rows = raw.execute(tasks_sql, (project_id, last_id, EXPORT_PAGE)).fetchall()
                finally:
                    raw.text_factory = str
            else:
                cursor = _cursor(conn)
                rows = [
                    (task_id, document.encode())
                    for task_id, document in cursor.execute(tasks_sql, (project_id, last_id, EXPORT_PAGE))
                ]
                cursor.close()
        if not rows:
            return
        last_id = rows[-1][0]
        for _, document in rows:
            yield document


def _frame_sql(engine: Engine) -> tuple[str, str]:
    """A DataFrame's two queries: a page of tasks (``id``, ``data``, ``total_annotations``) after an id, and
    the annotations of a task id range with a given ``was_cancelled`` (``task_id``, ``id``, ``completed_by``,
    ``result``, ``created_at``, ``updated_at``, ``lead_time``), in task and id order."""
    mark = "?" if engine.dialect.paramstyle == "qmark" else "%s"
    tasks = (
        f"SELECT id, data, total_annotations FROM tasks WHERE +project_id = {mark} AND id > {mark} "
        f"ORDER BY id LIMIT {EXPORT_PAGE}"
    )
    annotations = (
        "SELECT task_id, id, completed_by, result, created_at, updated_at, lead_time FROM annotations "
        f"WHERE task_id BETWEEN {mark} AND {mark} AND project_id = {mark} AND was_cancelled = {mark} "
        "ORDER BY task_id, id"
    )
    return tasks, annotations


def iter_frame_tasks(engine: Engine, project_id: int, users: Mapping[int, str]) -> Iterator[dict[str, Any]]:
    """Tasks with only what a DataFrame needs: ``id``, ``data`` and the annotations that were not cancelled
    (``id``, ``completed_by`` as ``{"id", "email"}``, ``result``, timestamps, ``lead_time``).

    A lighter cousin of :func:`iter_export` for ``Project.to_dataframe(kind="regions")``: no counters,
    extras or predictions.
    """
    tasks_sql, annotations_sql = _frame_sql(engine)
    people = {user_id: {"id": user_id, "email": email} for user_id, email in users.items()}
    last_id = 0
    while True:
        with read_transaction(engine) as conn:
            cursor = _cursor(conn)
            rows = _fetch(cursor, tasks_sql, (project_id, last_id))
            if not rows:
                return
            first, last_id = rows[0][0], rows[-1][0]
            answers: dict[int, list[dict[str, Any]]] = {}
            if any(row[2] for row in rows):
                live = _fetch(cursor, annotations_sql, (first, last_id, project_id, False))
                for task_id, ann_id, user, result, created, updated, lead in live:
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


# a task's annotation columns when it has no live annotation
_NO_ANNOTATION = (None,) * 7


def iter_newest_annotation_pages(
    engine: Engine, project_id: int, users: Mapping[int, str]
) -> Iterator[dict[str, list[Any]]]:
    """Every task in id order with its newest annotation that was not cancelled, page by page, by column.

    "Newest" is the greatest ``created_at``, the lowest id among equal ones: the order of
    ``labelnb.formats.converter.live_annotations``. Each page maps a column name to a list: the task's
    ``id`` and decoded ``data``, then the annotation's decoded ``result``, ``annotator`` (the user's
    e-mail), ``annotation_id``, ``created_at``, ``updated_at`` and ``lead_time``, all None for a task
    without one. One read transaction covers every page, so together they are one consistent snapshot.
    """
    tasks_sql, annotations_sql = _frame_sql(engine)
    emails: dict[Any, Any] = {**users, None: None}
    with read_transaction(engine) as conn:
        cursor = _cursor(conn)
        last_id = 0
        while rows := _fetch(cursor, tasks_sql, (project_id, last_id)):
            ids, data, counts = zip(*rows, strict=True)
            last_id = ids[-1]
            picked: list[tuple[Any, ...]] = [_NO_ANNOTATION] * len(ids)
            if any(counts):
                answers = _fetch(cursor, annotations_sql, (ids[0], last_id, project_id, False))
                picked = list(map(_newest_per_task(answers).get, ids, repeat(_NO_ANNOTATION)))
            _, annotation_ids, people, results, created, updated, leads = zip(*picked, strict=True)
            for user in set(people).difference(emails):
                emails[user] = str(user)  # a user row that is gone: its id, as the converter writes it
            yield {
                "id": list(ids),
                "data": list(map(orjson.loads, data)),
                "result": list(map(loads, results)),
                "annotator": list(map(emails.__getitem__, people)),
                "annotation_id": list(annotation_ids),
                "created_at": list(created),
                "updated_at": list(updated),
                "lead_time": list(leads),
            }
        cursor.close()


def _newest_per_task(rows: list[Any]) -> dict[int, tuple[Any, ...]]:
    """Annotation rows (task id first, ``created_at`` fifth, in task and id order) by task: the newest each."""
    newest = {row[0]: row for row in rows}
    if len(newest) == len(rows):  # one annotation per task: nothing to choose
        return newest
    newest = {}
    for row in rows:
        held = newest.get(row[0])
        if held is None or row[4] > held[4]:
            newest[row[0]] = row
    return newest


def _fetch(cursor: Any, sql: str, parameters: tuple[Any, ...]) -> list[Any]:
    """Every row of ``sql`` run on the driver's ``cursor`` (already a list: no copy)."""
    rows: list[Any] = cursor.execute(sql, parameters).fetchall()
    return rows
