"""The project store: tasks, annotations with their history, drafts, predictions, users and events.

A store holds one project (the folder's ``project.db``); tables carry ``project_id`` so that a shared
PostgreSQL store can hold many later. Every method that writes runs in one transaction: it either
happens whole or not at all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import Connection, Engine, Executable, Integer, bindparam, func, insert, select, update

from labelnb.store import rows
from labelnb.store import schema as s
from labelnb.store.activity import Activity
from labelnb.store.codec import dumps, loads, now_iso
from labelnb.store.completion import assign_new_overlap, completion_in, settings_in
from labelnb.store.engine import (
    create_store_engine,
    fix_sequences,
    read_transaction,
    upgrade,
    write_transaction,
)
from labelnb.store.importer import BulkImport
from labelnb.store.predicted import PredictionReport, Prepare
from labelnb.store.predicted import add_predictions as _add_predictions

#: imports at least this large checkpoint SQLite's write-ahead log before returning
CHECKPOINT_AFTER = 10_000


class StoreError(RuntimeError):
    """The store is missing, of another kind, or refuses an operation."""


class TaskLike(Protocol):
    """What the store needs of a task to import (``labelnb.formats`` yields such objects)."""

    @property
    def data(self) -> Mapping[str, Any]: ...
    @property
    def meta(self) -> Any: ...
    @property
    def extra(self) -> Mapping[str, Any]: ...
    @property
    def annotations(self) -> Sequence[Mapping[str, Any]]: ...
    @property
    def predictions(self) -> Sequence[Mapping[str, Any]]: ...


@dataclass
class ImportReport:
    """What an import added."""

    tasks: int = 0
    annotations: int = 0
    predictions: int = 0
    task_ids: list[int] = field(default_factory=list, repr=False)
    #: the model_version of the last prediction imported, if any
    model_version: str | None = None

    def __str__(self) -> str:
        return (
            f"{self.tasks} tasks, {self.annotations} annotations and {self.predictions} predictions imported"
        )


@dataclass(frozen=True)
class ProjectInfo:
    id: int
    title: str
    label_config: str
    settings: dict[str, Any]
    task_count: int
    labeled_count: int
    created_at: str


# built once: get_task runs on every next_task
_TASK_ROW = select(*rows.TASK_SELECT).where(
    s.tasks.c.id == bindparam("row_task", type_=Integer), s.tasks.c.project_id == bindparam("row_project")
)
_PREDICTIONS_OF = (
    select(*rows.PREDICTION_SELECT)
    .where(s.predictions.c.task_id.in_(bindparam("prediction_tasks", expanding=True)))
    .order_by(s.predictions.c.id)
)


def _insert_id(conn: Connection, statement: Executable) -> int:
    """Run an INSERT and return the new row's primary key."""
    key = conn.execute(statement).inserted_primary_key
    assert key is not None
    return int(key[0])


class Store:
    """A project's persistent state. Open with :meth:`create` or :meth:`open`."""

    def __init__(self, engine: Engine, project_id: int) -> None:
        self.engine = engine
        self.project_id = project_id
        self._user_ids: dict[str, int] = {}

    # -- opening ------------------------------------------------------------------------------------

    @classmethod
    def create(
        cls, url: str, title: str, label_config: str, settings: Mapping[str, Any] | None = None
    ) -> Store:
        engine = create_store_engine(url)
        upgrade(engine)
        with write_transaction(engine) as conn:
            if conn.execute(select(func.count()).select_from(s.projects)).scalar_one():
                raise StoreError(f"{url} already holds a project; open it with labelnb.Project.open")
            stamp = now_iso()
            project_id = _insert_id(
                conn,
                insert(s.projects).values(
                    title=title,
                    label_config=label_config,
                    settings=dumps(dict(settings or {})),
                    created_at=stamp,
                    updated_at=stamp,
                ),
            )
            cls._event(conn, project_id, "project_created", payload={"title": title})
        return cls(engine, int(project_id))

    @classmethod
    def open(cls, url: str) -> Store:
        engine = create_store_engine(url)
        upgrade(engine)
        with read_transaction(engine) as conn:
            project_id = conn.execute(select(s.projects.c.id).order_by(s.projects.c.id).limit(1)).scalar()
        if project_id is None:
            raise StoreError(f"{url} holds no project; create one with labelnb.Project.create")
        return cls(engine, int(project_id))

    @property
    def url(self) -> str:
        """The URL that opens this store again (another process's jobs use it); it may hold a password, so
        it is never shown or stored."""
        return self.engine.url.render_as_string(hide_password=False)

    def close(self) -> None:
        self.engine.dispose()

    # -- project ------------------------------------------------------------------------------------

    def info(self) -> ProjectInfo:
        with read_transaction(self.engine) as conn:
            row = conn.execute(select(s.projects).where(s.projects.c.id == self.project_id)).one()
        return ProjectInfo(
            id=row.id,
            title=row.title,
            label_config=row.label_config,
            settings=loads(row.settings),
            task_count=row.task_count,
            labeled_count=row.labeled_count,
            created_at=row.created_at,
        )

    def settings(self, conn: Connection | None = None) -> dict[str, Any]:
        """The project's settings (inside ``conn``'s transaction when given)."""
        if conn is None:
            with read_transaction(self.engine) as own:
                return settings_in(own, self.project_id)
        return settings_in(conn, self.project_id)

    def update_settings(self, changes: Mapping[str, Any], conn: Connection | None = None) -> dict[str, Any]:
        """Merge ``changes`` into the project's settings (a key set to None is removed) and return them.

        Read and written inside one write transaction (``conn``'s when given), so two processes changing
        different keys at once both keep their change.
        """
        if conn is None:
            with write_transaction(self.engine) as own:
                return self.update_settings(changes, own)
        merged = settings_in(conn, self.project_id)
        for key, value in changes.items():
            if value is None:
                merged.pop(key, None)
            else:
                merged[key] = value
        conn.execute(
            update(s.projects)
            .where(s.projects.c.id == self.project_id)
            .values(settings=dumps(merged), updated_at=now_iso())
        )
        self._event(conn, self.project_id, "settings_changed", payload=dict(changes))
        return merged

    def progress(self) -> tuple[int, int]:
        """(labelled tasks, all tasks), read from counters kept in step with every write."""
        with read_transaction(self.engine) as conn:
            row = conn.execute(
                select(s.projects.c.labeled_count, s.projects.c.task_count).where(
                    s.projects.c.id == self.project_id
                )
            ).one()
        return int(row[0]), int(row[1])

    def _adopt_model_version(self, conn: Connection, version: str) -> None:
        """Label Studio's rule: a project without a model version takes the last one added."""
        p = s.projects
        settings = loads(conn.execute(select(p.c.settings).where(p.c.id == self.project_id)).scalar_one())
        if not (settings or {}).get("model_version"):
            self.update_settings({"model_version": version}, conn)

    # -- predictions --------------------------------------------------------------------------------

    def add_predictions(
        self, rows: Iterable[Mapping[str, Any]], prepare: Prepare | None = None
    ) -> PredictionReport:
        """Add predictions to stored tasks, all or nothing, and raise the tasks' ``total_predictions``.

        ``rows`` are ``{"task": id, "result": [...], "score", "model_version", "cluster"?, ...}`` (other
        keys are kept with the prediction); they are consumed in batches inside one write transaction.
        ``prepare(row, data, index)`` gets each row with its task's data (None: no such task in this
        project) and returns the row to store, or raises to roll everything back. Without it a row for a
        task that is not in the project raises ``ValueError``. A project without a model version takes the
        last one added (Label Studio's rule).
        """
        with write_transaction(self.engine) as conn:
            report = _add_predictions(conn, self.project_id, rows, prepare)
            if report.predictions:
                self._adopt_model_version(conn, report.model_versions[-1])
                self._event(
                    conn,
                    self.project_id,
                    "predictions",
                    payload={
                        "predictions": report.predictions,
                        "tasks": report.tasks,
                        "model_versions": report.model_versions,
                    },
                )
        return report

    def iter_tasks(
        self, task_ids: Sequence[int] | None = None, *, only_unlabeled: bool = False, page: int = 1_000
    ) -> Iterator[dict[str, Any]]:
        """Tasks in Label Studio's shape (``id``, ``data``, ``meta``, ``predictions``), in id
        order (or in the order of ``task_ids``, which must all be in the project), page by page."""
        t = s.tasks
        if task_ids is not None:
            wanted = list(task_ids)
            for start in range(0, len(wanted), page):
                chunk = wanted[start : start + page]
                with read_transaction(self.engine) as conn:
                    found = {
                        row[0]: row
                        for row in conn.execute(
                            select(*rows.TASK_SELECT).where(
                                t.c.project_id == self.project_id, t.c.id.in_(chunk)
                            )
                        )
                    }
                    missing = [task_id for task_id in chunk if task_id not in found]
                    if missing:
                        raise KeyError(f"tasks {missing[:10]} are not in this project")
                    predictions = self._predictions_for(conn, chunk)
                for task_id in chunk:
                    yield rows.task_dict(found[task_id], predictions=predictions.get(task_id, []))
            return
        after = 0
        while True:
            query = select(*rows.TASK_SELECT).where(t.c.project_id == self.project_id, t.c.id > after)
            if only_unlabeled:
                query = query.where(t.c.is_labeled.is_(False))
            with read_transaction(self.engine) as conn:
                found_rows = conn.execute(query.order_by(t.c.id).limit(page)).all()
                if not found_rows:
                    return
                predictions = self._predictions_for(conn, [row[0] for row in found_rows])
            for row in found_rows:
                yield rows.task_dict(row, predictions=predictions.get(row[0], []))
            after = found_rows[-1][0]

    def stats(self) -> dict[str, Any]:
        """Counts of tasks, labelled tasks, annotations, skips and predictions, and annotations per user."""
        a, p = s.annotations, s.predictions
        done, total = self.progress()
        with read_transaction(self.engine) as conn:
            per_user = {
                email: count
                for email, count in conn.execute(
                    select(s.users.c.email, func.count())
                    .select_from(a.join(s.users, s.users.c.id == a.c.completed_by))
                    .where(a.c.project_id == self.project_id, a.c.was_cancelled.is_(False))
                    .group_by(s.users.c.email)
                    .order_by(s.users.c.email)
                )
            }
            skipped = conn.execute(
                select(func.count()).where(a.c.project_id == self.project_id, a.c.was_cancelled.is_(True))
            ).scalar_one()
            predictions = conn.execute(
                select(func.count()).select_from(p).where(p.c.project_id == self.project_id)
            ).scalar_one()
        return {
            "tasks": total,
            "labeled": done,
            "annotations": sum(per_user.values()),
            "skipped": skipped,
            "predictions": predictions,
            "by_user": per_user,
        }

    @staticmethod
    def _event(
        conn: Connection,
        project_id: int,
        kind: str,
        user_id: int | None = None,
        task_id: int | None = None,
        annotation_id: int | None = None,
        payload: Any = None,
    ) -> None:
        conn.execute(
            insert(s.events).values(
                project_id=project_id,
                kind=kind,
                user_id=user_id,
                task_id=task_id,
                annotation_id=annotation_id,
                payload=None if payload is None else dumps(payload),
                created_at=now_iso(),
            )
        )

    def events(self, kind: str | None = None) -> list[dict[str, Any]]:
        query = select(s.events).where(s.events.c.project_id == self.project_id).order_by(s.events.c.id)
        if kind is not None:
            query = query.where(s.events.c.kind == kind)
        with read_transaction(self.engine) as conn:
            return [{**row._asdict(), "payload": loads(row.payload)} for row in conn.execute(query)]

    # -- users --------------------------------------------------------------------------------------

    @staticmethod
    def user_id(conn: Connection, email: str) -> int:
        """The id of the user called ``email``, created on first use."""
        found = conn.execute(select(s.users.c.id).where(s.users.c.email == email)).scalar()
        if found is not None:
            return int(found)
        return _insert_id(conn, insert(s.users).values(email=email, created_at=now_iso()))

    def known_user_id(self, conn: Connection, email: str) -> int:
        """:meth:`user_id`, remembering users that were already stored (they are never deleted).

        A user created inside ``conn``'s transaction is not remembered until it is seen again, so a
        rolled-back transaction never leaves an id behind that does not exist.
        """
        cached = self._user_ids.get(email)
        if cached is not None:
            return cached
        found = conn.execute(select(s.users.c.id).where(s.users.c.email == email)).scalar()
        if found is not None:
            self._user_ids[email] = int(found)
            return int(found)
        return self.user_id(conn, email)

    def ensure_user(self, email: str) -> int:
        with write_transaction(self.engine) as conn:
            return self.user_id(conn, email)

    def users(self) -> dict[int, str]:
        with read_transaction(self.engine) as conn:
            return {row.id: row.email for row in conn.execute(select(s.users.c.id, s.users.c.email))}

    @classmethod
    def _completed_by(cls, conn: Connection, value: Any, default_user: int, where: str) -> int:
        """Map an imported ``completed_by`` (null, a user id, an e-mail or ``{"email": ...}``) to a user id."""
        if value is None:
            return default_user
        if isinstance(value, Mapping):
            if value.get("email"):
                return cls.user_id(conn, str(value["email"]))
            value = value.get("id")
        if isinstance(value, str) and value and not value.isdigit():
            return cls.user_id(conn, value)
        if isinstance(value, (int, str)) and not isinstance(value, bool):
            user_id = int(value)
            # an id from another labelnb or Label Studio project: keep it, so exports give it back
            if conn.execute(select(s.users.c.id).where(s.users.c.id == user_id)).scalar() is None:
                conn.execute(insert(s.users).values(id=user_id, email=f"user{user_id}", created_at=now_iso()))
                fix_sequences(conn, s.users)
            return user_id
        raise StoreError(f"{where}: completed_by must be null, a user id, an e-mail or {{'email': ...}}")

    # -- import -------------------------------------------------------------------------------------

    def import_tasks(
        self,
        items: Iterable[TaskLike],
        user: str,
        *,
        within: Callable[[Connection, list[int]], None] | None = None,
    ) -> ImportReport:
        """Add tasks with their annotations and predictions, all or nothing.

        ``items`` is consumed inside one write transaction: an exception raised while producing or
        storing any of them rolls back everything, and the store is as it was. ``within(conn, task_ids)``
        runs in that transaction after the tasks are written (a storage records where they came from).
        """
        with write_transaction(self.engine) as conn:
            importer = self.user_id(conn, user)
            known: dict[Any, int] = {}

            def resolve(value: Any, where: str) -> int:
                key = repr(value) if isinstance(value, Mapping) else value
                if key not in known:
                    known[key] = self._completed_by(conn, value, importer, where)
                return known[key]

            bulk = BulkImport(conn, self.project_id, resolve)
            for item in items:
                bulk.add(item.data, item.meta, item.extra, item.annotations, item.predictions)
            bulk.finish()
            report = ImportReport(
                tasks=len(bulk.task_ids),
                annotations=bulk.annotation_count,
                predictions=bulk.prediction_count,
                task_ids=bulk.task_ids,
                model_version=bulk.model_version,
            )
            if bulk.model_version is not None:
                self._adopt_model_version(conn, bulk.model_version)
            if within is not None:
                within(conn, bulk.task_ids)
            conn.execute(
                update(s.projects)
                .where(s.projects.c.id == self.project_id)
                .values(
                    task_count=s.projects.c.task_count + report.tasks,
                    labeled_count=s.projects.c.labeled_count + bulk.labeled,
                    updated_at=now_iso(),
                )
            )
            if bulk.task_ids:
                # the importer wrote overlap 1; the project's rule (maximum_annotations, cohort) may differ
                rule = completion_in(conn, self.project_id)
                task_count = conn.execute(
                    select(s.projects.c.task_count).where(s.projects.c.id == self.project_id)
                ).scalar_one()
                assign_new_overlap(
                    conn, self.project_id, bulk.task_ids[0], bulk.task_ids[-1], int(task_count), rule
                )
            self._event(
                conn,
                self.project_id,
                "import",
                user_id=importer,
                payload={
                    "tasks": report.tasks,
                    "annotations": report.annotations,
                    "predictions": report.predictions,
                },
            )
        if report.tasks >= CHECKPOINT_AFTER and self.engine.dialect.name == "sqlite":
            # copy the import out of the write-ahead log now, rather than in the first labeller's commits
            with self.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA wal_checkpoint(PASSIVE)")
        return report

    @staticmethod
    def _append_version(
        conn: Connection,
        annotation_id: int,
        version: int,
        values: Mapping[str, Any],
        action: str,
        user_id: int,
    ) -> None:
        conn.execute(
            insert(s.annotation_versions).values(
                annotation_id=annotation_id,
                version=version,
                result=values["result"],
                was_cancelled=values["was_cancelled"],
                lead_time=values["lead_time"],
                action=action,
                user_id=user_id,
                created_at=now_iso(),
            )
        )

    def _refresh_task(self, conn: Connection, task_id: int) -> tuple[bool, bool]:
        """Recompute a task's counters and ``is_labeled``: whether it was labelled before, and is now."""
        a, p, t = s.annotations, s.predictions, s.tasks
        # one statement for what the counters are made from (this runs inside every submission's lock)
        total, cancelled, predictions, overlap, was_labeled = conn.execute(
            select(
                select(func.count()).where(a.c.task_id == task_id).scalar_subquery(),
                select(func.coalesce(func.sum(a.c.was_cancelled.cast(Integer)), 0))
                .where(a.c.task_id == task_id)
                .scalar_subquery(),
                select(func.count()).select_from(p).where(p.c.task_id == task_id).scalar_subquery(),
                t.c.overlap,
                t.c.is_labeled,
            ).where(t.c.id == task_id)
        ).one()
        # finished annotations; with skip_queue IGNORE_SKIPPED a skip is one too (Label Studio's rule)
        rule = completion_in(conn, self.project_id)
        labeled = (total if rule.skips_count else total - cancelled) >= overlap
        conn.execute(
            update(t)
            .where(t.c.id == task_id)
            .values(
                total_annotations=total - cancelled,
                cancelled_annotations=cancelled,
                total_predictions=predictions,
                is_labeled=labeled,
                updated_at=now_iso(),
            )
        )
        return bool(was_labeled), bool(labeled)

    # -- reading tasks ------------------------------------------------------------------------------

    def task_row(self, conn: Connection, task_id: int) -> Any:
        return conn.execute(_TASK_ROW, {"row_task": task_id, "row_project": self.project_id}).one_or_none()

    def get_task(self, task_id: int, conn: Connection | None = None) -> dict[str, Any] | None:
        """The task in Label Studio's shape with its predictions (not its annotations), or None.

        Inside ``conn``'s transaction when given, else in a read transaction of its own.
        """
        if conn is None:
            with read_transaction(self.engine) as own:
                return self.get_task(task_id, own)
        row = self.task_row(conn, task_id)
        if row is None:
            return None
        return rows.task_dict(row, predictions=self._predictions_for(conn, [task_id]).get(task_id, []))

    def _predictions_for(self, conn: Connection, task_ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
        out: dict[int, list[dict[str, Any]]] = {}
        for row in conn.execute(_PREDICTIONS_OF, {"prediction_tasks": list(task_ids)}):
            out.setdefault(row[1], []).append(rows.prediction_dict(row))
        return out

    def iter_export_tasks(
        self, *, only_annotated: bool = False, expand_users: bool = False
    ) -> Iterator[dict[str, Any]]:
        """Every task in Label Studio's JSON export shape, streamed page by page in id order.

        ``expand_users`` gives ``completed_by`` as ``{"id", "email"}`` (what json_min and csv need)
        instead of the bare user id of Label Studio's JSON export.
        """
        users = self.users() if expand_users else None
        return rows.iter_export(self.engine, self.project_id, only_annotated=only_annotated, users=users)

    def iter_frame_tasks(self) -> Iterator[dict[str, Any]]:
        """Tasks with just what a DataFrame needs (see :func:`labelnb.store.rows.iter_frame_tasks`)."""
        return rows.iter_frame_tasks(self.engine, self.project_id, self.users())

    def iter_newest_annotation_pages(self) -> Iterator[dict[str, list[Any]]]:
        """Each task with its newest live annotation, page by page, by column
        (see :func:`labelnb.store.rows.iter_newest_annotation_pages`)."""
        return rows.iter_newest_annotation_pages(self.engine, self.project_id, self.users())

    def iter_export_json(self, *, only_annotated: bool = False) -> Iterator[bytes]:
        """:meth:`iter_export_tasks` (users as ids) as encoded JSON objects, without decoding stored JSON."""
        return rows.iter_export_json(self.engine, self.project_id, only_annotated=only_annotated)

    def iter_answers_json(self, *, only_annotated: bool = False) -> Iterator[bytes] | None:
        """Each task's ``id``, ``data`` and annotations (``id``, ``result``, ``was_cancelled``,
        ``created_at``) as encoded JSON objects; None when the database cannot render them
        (see :func:`labelnb.store.rows.iter_answers_json`)."""
        return rows.iter_answers_json(self.engine, self.project_id, only_annotated=only_annotated)

    # -- annotations --------------------------------------------------------------------------------

    def annotation_of(self, task_id: int, user_id: int) -> dict[str, Any] | None:
        """The newest annotation of ``user_id`` on the task (skips included), or None."""
        a = s.annotations
        with read_transaction(self.engine) as conn:
            row = conn.execute(
                select(*rows.ANNOTATION_SELECT)
                .where(a.c.task_id == task_id, a.c.completed_by == user_id)
                .order_by(a.c.id.desc())
                .limit(1)
            ).one_or_none()
        return None if row is None else rows.annotation_dict(row, None)

    def answered_task_ids(self, user_id: int, limit: int) -> list[int]:
        """The tasks ``user_id`` answered (submitted or skipped), least recently answered first, at most
        the ``limit`` most recent."""
        a = s.annotations
        newest = func.max(a.c.updated_at)
        query = (
            select(a.c.task_id)
            .where(a.c.project_id == self.project_id, a.c.completed_by == user_id)
            .group_by(a.c.task_id)
            .order_by(newest.desc(), a.c.task_id.desc())
            .limit(limit)
        )
        with read_transaction(self.engine) as conn:
            return [int(task_id) for task_id in reversed(conn.execute(query).scalars().all())]

    def annotations(self, task_id: int) -> list[dict[str, Any]]:
        """The annotations of one task, oldest first."""
        a = s.annotations
        with read_transaction(self.engine) as conn:
            found = conn.execute(
                select(*rows.ANNOTATION_SELECT).where(a.c.task_id == task_id).order_by(a.c.id)
            )
            return [rows.annotation_dict(row, None) for row in found]

    def history(self, annotation_id: int) -> list[dict[str, Any]]:
        """Every version of an annotation, oldest first."""
        v = s.annotation_versions
        with read_transaction(self.engine) as conn:
            versions = conn.execute(
                select(v).where(v.c.annotation_id == annotation_id).order_by(v.c.version)
            ).all()
        return [{**row._asdict(), "result": loads(row.result)} for row in versions]

    def write_annotation(
        self,
        task_id: int,
        user_id: int,
        result: list[dict[str, Any]],
        *,
        lead_time: float | None,
        was_cancelled: bool,
        conn: Connection,
    ) -> int:
        """Store the user's answer for a task inside ``conn``'s transaction.

        The user's newest annotation on the task gets a new version (its old versions stay in history);
        a user without one gets a new annotation. The draft and the lease are released.
        """
        a = s.annotations
        stamp = now_iso()
        existing = conn.execute(
            select(a.c.id, a.c.version, a.c.was_cancelled)
            .where(a.c.task_id == task_id, a.c.completed_by == user_id)
            .order_by(a.c.id.desc())
            .limit(1)
        ).one_or_none()
        values: dict[str, Any] = {
            "result": dumps(result),
            "was_cancelled": was_cancelled,
            "lead_time": lead_time,
            "updated_at": stamp,
        }
        action = "skipped" if was_cancelled else "submitted"
        if existing is None:
            values.update(
                task_id=task_id,
                project_id=self.project_id,
                completed_by=user_id,
                version=1,
                last_action=action,
                created_at=stamp,
            )
            annotation_id = _insert_id(conn, insert(a).values(**values))
            version = 1
        else:
            annotation_id, version = int(existing.id), int(existing.version) + 1
            action = "skipped" if was_cancelled else "updated"
            conn.execute(
                update(a).where(a.c.id == annotation_id).values(version=version, last_action=action, **values)
            )
        self._append_version(conn, annotation_id, version, values, action, user_id)
        conn.execute(s.drafts.delete().where(s.drafts.c.task_id == task_id, s.drafts.c.user_id == user_id))
        conn.execute(s.leases.delete().where(s.leases.c.task_id == task_id, s.leases.c.user_id == user_id))
        was_labeled, is_labeled = self._refresh_task(conn, task_id)
        if is_labeled != was_labeled:
            conn.execute(
                update(s.projects)
                .where(s.projects.c.id == self.project_id)
                .values(labeled_count=s.projects.c.labeled_count + (1 if is_labeled else -1))
            )
        self._event(
            conn, self.project_id, action, user_id=user_id, task_id=task_id, annotation_id=annotation_id
        )
        return annotation_id

    def revise_annotation(
        self, annotation_id: int, user_id: int, result: list[dict[str, Any]], action: str, *, conn: Connection
    ) -> int:
        """Write ``result`` as a new version of an annotation on someone else's behalf (a reviewer's fix),
        inside ``conn``'s transaction; the annotation keeps its author and its old versions stay in history.
        Returns the new version number."""
        a = s.annotations
        row = conn.execute(
            select(a.c.task_id, a.c.version, a.c.was_cancelled, a.c.lead_time).where(a.c.id == annotation_id)
        ).one()
        version = int(row.version) + 1
        values: dict[str, Any] = {
            "result": dumps(result),
            "was_cancelled": bool(row.was_cancelled),
            "lead_time": row.lead_time,
            "updated_at": now_iso(),
        }
        conn.execute(
            update(a).where(a.c.id == annotation_id).values(version=version, last_action=action, **values)
        )
        self._append_version(conn, annotation_id, version, values, action, user_id)
        self._event(
            conn, self.project_id, action, user_id=user_id, task_id=row.task_id, annotation_id=annotation_id
        )
        return version

    # -- drafts -------------------------------------------------------------------------------------

    def save_draft(
        self,
        task_id: int,
        user_id: int,
        result: list[dict[str, Any]],
        lead_time: float | None,
        *,
        postponed: bool = False,
    ) -> None:
        """Keep the user's unfinished work on a task.

        ``postponed`` marks the draft ``was_postponed`` (Label Studio's postpone: the task leaves the user's
        queue and comes back after it) and releases the user's lease in the same transaction; a plain save
        leaves an earlier mark as it was.
        """
        d = s.drafts
        stamp = now_iso()
        values: dict[str, Any] = {"result": dumps(result), "lead_time": lead_time, "updated_at": stamp}
        if postponed:
            values["was_postponed"] = True
        with write_transaction(self.engine) as conn:
            updated = conn.execute(
                update(d).where(d.c.task_id == task_id, d.c.user_id == user_id).values(**values)
            ).rowcount
            if not updated:
                conn.execute(insert(d).values(task_id=task_id, user_id=user_id, created_at=stamp, **values))
            if postponed:
                conn.execute(
                    s.leases.delete().where(s.leases.c.task_id == task_id, s.leases.c.user_id == user_id)
                )
                self._event(conn, self.project_id, "postponed", user_id=user_id, task_id=task_id)

    def draft_of(self, task_id: int, user_id: int) -> dict[str, Any] | None:
        d = s.drafts
        with read_transaction(self.engine) as conn:
            row = conn.execute(select(d).where(d.c.task_id == task_id, d.c.user_id == user_id)).one_or_none()
        return None if row is None else {"result": loads(row.result), "lead_time": row.lead_time}

    # -- dashboards ---------------------------------------------------------------------------------

    @property
    def activity(self) -> Activity:
        """Read-only counts of who answered what and when, aggregated by the database
        (:mod:`labelnb.store.activity`)."""
        return Activity(self.engine, self.project_id)
