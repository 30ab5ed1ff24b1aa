"""``Project``: the one object users hold. It wires config, formats, store, queue and widget together."""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import Executor
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, cast

import pandas as pd
from sqlalchemy import Connection

from labelnb import learn
from labelnb import session as labeling
from labelnb._bulk import gc_paused
from labelnb.config import LabelConfig
from labelnb.formats import (
    catalog,
    check_prediction,
    coco_import,
    prediction_items,
    task_input,
    task_output,
    yolo_import,
)
from labelnb.formats import dataframe as frames
from labelnb.formats.output import ExportOutput
from labelnb.formats.task_frame import task_table_frame
from labelnb.formats.task_output import TableFormat
from labelnb.formats.writing import ExportRequest
from labelnb.jobs import Job, JobRunner, jobs_frame, mark_interrupted
from labelnb.jobs.pools import background_process_pool
from labelnb.learn.features import Features
from labelnb.queue import (
    DEFAULT_LEASE_TTL_S,
    QueueSettings,
    SkipQueue,
    configure_queue,
    ranking,
    read_queue_settings,
)
from labelnb.queue.selection import Selection
from labelnb.queue.strategies import StrategyLike
from labelnb.storage.media import MediaPolicy, MediaResolver
from labelnb.storage.records import StorageRecord
from labelnb.storage.storages import Storages, push_job
from labelnb.storage.sync import SyncReport
from labelnb.store import Store, read_transaction, store_url
from labelnb.store.codec import now_epoch
from labelnb.store.engine import STORE_FILE
from labelnb.store.predicted import PredictionReport
from labelnb.store.store import ImportReport
from labelnb.store.task_table import task_table
from labelnb.team import review
from labelnb.team.agreement import AgreementReport, agreement_frame, annotations_from_tasks, task_agreement
from labelnb.team.identity import (
    DEFAULT_SECRET_ENV,
    DEFAULT_SECRET_HEADER,
    DEFAULT_USER_HEADER,
    TrustedHeader,
    identify,
    resolve_user,
)
from labelnb.team.roles import Action, Role, Team
from labelnb.widget.progress import notebook_progress

if TYPE_CHECKING:
    from labelnb.learn.loop import Learner, StartJob
    from labelnb.widget.annotator import Annotator
    from labelnb.widget.notice import Notice

#: the formats that can also come back as Python data (``project.export(fmt)`` with no path)
EXPORT_FORMATS = task_output.FORMATS

TaskSource = str | os.PathLike[str] | pd.DataFrame | Iterable[Mapping[str, Any]]


class Project:
    """A labeling project: a config, its tasks and everything people did with them.

    Create one with :meth:`create` (or :meth:`from_dataframe`) and reopen it with :meth:`open`. ``path``
    is a folder holding ``project.db`` (SQLite), or a store URL such as ``sqlite:///x.db``.
    """

    def __init__(self, store: Store, config: LabelConfig, location: str, user: str | None = None) -> None:
        self.store = store
        self.config = config
        self.location = location
        # who acts when a method is not told (see :attr:`user`); set by the notebook's code, never the browser
        self._user = user
        #: the members and their roles (:mod:`labelnb.team.roles`)
        self.team = Team(store, store.info().title)
        self._settings = store.info().settings
        # the model in the loop, when :meth:`learn` started one
        self.learner: Learner | None = None
        self._runner: JobRunner | None = None
        self._learn_runner: JobRunner | None = None
        mark_interrupted(store)  # jobs whose kernel died while they ran
        self._connections: list[learn.BackendConnection] = []
        #: the project's source and target storages (:meth:`add_storage`)
        self.storages = Storages(store, config, self.folder)

    # -- opening ------------------------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        path: str | os.PathLike[str],
        config: str,
        title: str | None = None,
        *,
        lease_ttl: float | None = None,
        media_roots: Iterable[str | os.PathLike[str]] = (),
        allow_media: Iterable[str] = (),
        maximum_annotations: int = 1,
        overlap_cohort_percentage: float = 100,
        show_ground_truth_first: bool = False,
        skip_queue: str | SkipQueue = SkipQueue.REQUEUE_FOR_OTHERS,
        user: str | None = None,
    ) -> Project:
        """Create a project at ``path`` (a folder, made if missing, or a store URL) with a labeling config.
        ``user`` is who acts through it when a method is not told (see :attr:`user`).

        ``maximum_annotations``, ``overlap_cohort_percentage``, ``show_ground_truth_first`` and
        ``skip_queue`` are the queue settings (see :meth:`configure_queue`).

        Media named by task data is opened by the kernel only under a policy (see the README's "Security
        model"): local files from the project folder and ``media_roots``; fsspec URLs only for the
        protocols or prefixes in ``allow_media`` (``["s3://bucket/images/", "gs://photos/"]``, or a
        protocol name such as ``"s3"`` for all of it). Both are kept with the project.
        """
        parsed = LabelConfig.from_xml(config)
        roots = [str(Path(root).expanduser().resolve()) for root in media_roots]
        allowed = list(MediaPolicy.build([], allow_media).allow)  # checked before anything is made
        queue = QueueSettings(
            maximum_annotations=maximum_annotations,
            overlap_cohort_percentage=overlap_cohort_percentage,
            show_ground_truth_first=show_ground_truth_first,
            skip_queue=SkipQueue.parse(skip_queue),
        )
        url = store_url(path)
        if "://" not in os.fspath(path):
            Path(path).mkdir(parents=True, exist_ok=True)
        name = title or Path(os.fspath(path).rstrip("/")).name or "labelnb project"
        settings: dict[str, Any] = {"lease_ttl": lease_ttl or DEFAULT_LEASE_TTL_S, **queue.to_settings()}
        if roots or allowed:
            settings["media"] = {"roots": roots, "allow": allowed}
        return cls(Store.create(url, name, config, settings), parsed, os.fspath(path), user)

    @classmethod
    def open(cls, path: str | os.PathLike[str], *, user: str | None = None) -> Project:
        """Open an existing project; ``user`` is who acts through it when a method is not told (see
        :attr:`user`)."""
        text = os.fspath(path)
        if "://" not in text and not (Path(text) / "project.db").exists():
            raise FileNotFoundError(
                f"{text} holds no labelnb project (no project.db); create one with Project.create"
            )
        store = Store.open(store_url(path))
        return cls(store, LabelConfig.from_xml(store.info().label_config), text, user)

    @classmethod
    def from_dataframe(
        cls,
        df: pd.DataFrame,
        config: str,
        path: str | os.PathLike[str],
        title: str | None = None,
        *,
        user: str | None = None,
    ) -> Project:
        """Create a project from a frame: data columns become tasks, columns named like controls annotations."""
        project = cls.create(path, config, title)
        items = list(frames.frame_to_tasks(df, project.config))
        project.store.import_tasks(items, resolve_user(user))
        return project

    def close(self) -> None:
        if self._runner is not None:
            self._runner.shutdown(wait=False)  # jobs already started still finish
        if self._learn_runner is not None:
            self._learn_runner.shutdown(wait=False)
            self._learn_runner.executor.shutdown(wait=False)
        for connection in self._connections:
            connection.close()
        self.store.close()

    def __repr__(self) -> str:
        done, total = self.store.progress()
        return f"<labelnb.Project {self.title!r} at {self.location}: {done} of {total} tasks labelled>"

    def __len__(self) -> int:
        return self.store.progress()[1]

    @property
    def title(self) -> str:
        return self.store.info().title

    @property
    def lease_ttl(self) -> float:
        return float(self._settings.get("lease_ttl", DEFAULT_LEASE_TTL_S))

    # -- who acts, and what they may do -------------------------------------------------------------

    @property
    def user(self) -> str:
        """Who acts through this project: the ``user`` it was opened with, else ``JUPYTERHUB_USER``, else
        the user a trusted proxy named (:meth:`trust_header`), else the operating-system user, except in a
        team project that Voilà serves, where :class:`~labelnb.team.identity.NoIdentity` says "who are
        you" (see :mod:`labelnb.team.identity`)."""
        return self._identify(None)

    @user.setter
    def user(self, name: str | None) -> None:
        self._user = name

    def _identify(self, user: str | None, conn: Connection | None = None) -> str:
        if conn is None:
            with read_transaction(self.store.engine) as own:
                return self._identify(user, own)
        trusted = TrustedHeader.from_settings(self.store.settings(conn).get("trusted_header"))
        return identify(user if user is not None else self._user, trusted, lambda: self.team.is_team(conn))

    def _allowed(self, action: Action, user: str | None = None) -> str:
        """Who acts (``user`` or :attr:`user`), once their role allows ``action``; NotAllowed otherwise."""
        with read_transaction(self.store.engine) as conn:  # one snapshot: settings, members, role
            acting = self._identify(user, conn)
            self.team.require(acting, action, conn)
        return acting

    def trust_header(
        self,
        header: str | None = DEFAULT_USER_HEADER,
        *,
        secret_header: str = DEFAULT_SECRET_HEADER,
        secret_env: str = DEFAULT_SECRET_ENV,
    ) -> None:
        """Take the user's name from ``header``, which a trusted sign-in proxy sets and Voilà passes into the
        kernel (``--VoilaConfiguration.http_header_envs``), when the request also carries ``secret_header``
        equal to the server's environment variable ``secret_env`` (the proxy adds it; a visitor who goes
        around the proxy cannot). ``header=None`` stops trusting any header."""
        self._allowed(Action.SETTINGS)
        kept = None if header is None else TrustedHeader(header, secret_header, secret_env).to_settings()
        self._settings = self.store.update_settings({"trusted_header": kept})

    def add_member(self, user: str, role: Role | str = Role.ANNOTATOR) -> None:
        """Make ``user`` a member with ``role`` (``"owner"``, ``"manager"``, ``"reviewer"``, ``"annotator"``).

        The first member makes this a team project, and whoever adds them (:attr:`user`) becomes its owner
        too; from then on every action checks the role of whoever does it (:mod:`labelnb.team.roles`).
        """
        self.team.set_role(user, role, by=self.user)

    def remove_member(self, user: str) -> None:
        """Take ``user`` out of the project's members."""
        self.team.remove(user, by=self.user)

    def members(self) -> dict[str, str]:
        """Every member and their role, by name (empty for a personal project)."""
        self._allowed(Action.SEE_TASKS)
        return {name: role.value for name, role in self.team.members().items()}

    # -- data in and out ----------------------------------------------------------------------------

    def import_tasks(
        self,
        source: TaskSource,
        *,
        user: str | None = None,
        preannotated_from: Sequence[str] = (),
    ) -> ImportReport:
        """Import tasks from a list of dicts, a DataFrame or a .json/.jsonl/.csv/.tsv/.txt file.

        ``preannotated_from`` names data fields (columns) that also become predictions for the control of
        the same name, as Label Studio's ``preannotated_from_fields``: a model's labels in a column show as
        pre-annotations.

        All or nothing: a bad item raises :class:`labelnb.TaskImportError` naming the file, row and field,
        and the project is left exactly as it was.
        """
        acting = self._allowed(Action.SETTINGS, user)
        tasks = task_input.read_tasks(source, self.config, preannotated_from=preannotated_from)
        report = self.store.import_tasks(tasks, acting)
        if report.model_version is not None:
            self._settings = self.store.info().settings
        return report

    def import_coco(
        self,
        source: str | os.PathLike[str],
        *,
        user: str | None = None,
        image_root: str | None = None,
        as_predictions: bool = False,
        model_version: str | None = None,
        storage_options: Mapping[str, Any] | None = None,
        **options: Any,
    ) -> ImportReport:
        """Import a COCO JSON file (a path or fsspec URL): one task per image, its objects as regions.

        Boxes go to the config's ``RectangleLabels`` on its ``Image``, polygons to its ``PolygonLabels``,
        key points to its ``KeyPointLabels`` (``labelnb.formats.coco_config(source)`` writes a config for
        a new project). Image references are ``image_root`` (default: the file's folder) joined with
        each ``file_name``; allow that folder for media to see them. ``as_predictions=True`` imports
        them as predictions of ``model_version``. Other options: see :func:`labelnb.formats.read_coco`.
        All or nothing, like :meth:`import_tasks`.
        """
        tasks = coco_import.read_coco(
            os.fspath(source),
            self.config,
            image_root=image_root,
            as_predictions=as_predictions,
            model_version=model_version,
            storage_options=storage_options,
            **options,
        )
        return self.import_tasks(tasks, user=user)

    def import_yolo(
        self,
        folder: str | os.PathLike[str],
        *,
        user: str | None = None,
        image_root: str | None = None,
        image_dims: tuple[int, int] | None = None,
        as_predictions: bool = False,
        model_version: str | None = None,
        storage_options: Mapping[str, Any] | None = None,
    ) -> ImportReport:
        """Import a YOLO folder (``classes.txt``, ``images/``, ``labels/``; a path or fsspec URL).

        Box lines go to the config's ``RectangleLabels``, polygon lines to its ``PolygonLabels``
        (``labelnb.formats.yolo_config(folder)`` writes a config). Image sizes come from the images'
        headers, or ``image_dims`` for all. See :func:`labelnb.formats.read_yolo`; all or nothing.
        """
        tasks = yolo_import.read_yolo(
            os.fspath(folder),
            self.config,
            image_root=image_root,
            image_dims=image_dims,
            as_predictions=as_predictions,
            model_version=model_version,
            storage_options=storage_options,
        )
        return self.import_tasks(tasks, user=user)

    # -- predictions and models ---------------------------------------------------------------------

    @property
    def model_version(self) -> str | None:
        """The project's current model version (Label Studio's ``project.model_version``), or None.

        A project without one takes the last model version imported or added; set it to choose.
        """
        self._settings = self.store.info().settings
        version = self._settings.get("model_version")
        return str(version) if version else None

    @model_version.setter
    def model_version(self, version: str | None) -> None:
        if version is not None and not isinstance(version, str):
            raise TypeError(f"model_version must be text or None, not {type(version).__name__}")
        self._allowed(Action.SETTINGS)
        self._settings = self.store.update_settings({"model_version": version or None})

    def add_predictions(
        self, predictions: pd.DataFrame | Iterable[Mapping[str, Any]], model_version: str | None = None
    ) -> PredictionReport:
        """Add predictions to tasks already in the project, all or nothing.

        ``predictions`` is a list of ``{"task": id, "result": ..., "score": ..., "model_version": ...}``
        or a DataFrame with a ``task`` (or ``task_id``) column, a ``result`` column and optional ``score``,
        ``model_version`` and ``cluster`` columns. ``result`` takes every shape Label Studio imports: a
        list of result items, one value object (``{"choices": ["pos"]}``), or a bare label or number for a
        Choices, TextArea, Rating or Number control. ``model_version`` is used for predictions that name
        none (then ``"undefined"``). A score that is not a number becomes None; NaN or infinity is an error.

        Raises:
            labelnb.formats.PredictionError: naming the task, the prediction's position and the field;
                nothing is written.
        """
        self._allowed(Action.SETTINGS)
        config = self.config

        def prepare(row: Mapping[str, Any], data: dict[str, Any] | None, index: int) -> Mapping[str, Any]:
            return check_prediction(row, config, data, index=index, model_version=model_version)

        report = self.store.add_predictions(prediction_items(predictions), prepare)
        self._settings = self.store.info().settings
        return report

    def _project_ref(self) -> learn.ProjectRef:
        return learn.ProjectRef.from_info(self.store.info())

    def predict(
        self,
        backend: learn.MLBackend | Callable[..., list[Any]],
        tasks: Iterable[int] | None = None,
        model_version: str | None = None,
        *,
        batch_size: int = learn.run.PREDICT_BATCH,
        context: dict[str, Any] | None = None,
    ) -> int:
        """Run a backend over tasks and store its predictions; return how many were stored.

        ``backend`` is an :class:`labelnb.learn.MLBackend` or a function ``tasks -> predictions`` (one
        entry per task: a prediction dict, a list of them, or None). ``tasks`` are task ids (default: every
        task not labelled yet), sent ``batch_size`` at a time after ``backend.setup(config, project)``.
        ``model_version`` names all the predictions of this run (default: each prediction's own, else
        the backend's). Every answer is checked against the config and the task's data before anything
        is written; a bad one raises :class:`labelnb.formats.PredictionError` and nothing is stored.
        """
        self._allowed(Action.SETTINGS)
        model = learn.as_backend(backend)
        ref = self._project_ref()
        model.setup(ref.label_config, ref.ls_id)
        chosen = (
            self.store.iter_tasks(only_unlabeled=True)
            if tasks is None
            else self.store.iter_tasks([int(task_id) for task_id in tasks])
        )
        rows = learn.collect_predictions(
            model, chosen, self.config, batch_size=batch_size, model_version=model_version, context=context
        )
        report = self.store.add_predictions(rows)
        self._settings = self.store.info().settings
        return report.predictions

    def train(self, backend: learn.MLBackend) -> dict[str, Any] | None:
        """Send ``START_TRAINING`` to a backend (Label Studio's Train button) and return its answer.

        A backend in the kernel (:class:`labelnb.learn.EstimatorBackend`, ...) also gets the labelled
        tasks with their annotations; a remote one gets only the project, as from Label Studio.
        """
        self._allowed(Action.SETTINGS)
        ref = self._project_ref()
        backend.setup(ref.label_config, ref.ls_id)
        tasks = list(self.store.iter_export_tasks(only_annotated=True)) if backend.in_kernel else None
        return backend.fit("START_TRAINING", learn.run.training_payload(ref, tasks))

    def connect(self, backend: learn.MLBackend) -> learn.BackendConnection:
        """Send ``backend`` each annotation as it is submitted (Label Studio's ANNOTATION_CREATED and
        ANNOTATION_UPDATED webhooks), from this project's :meth:`submit`, :meth:`skip` and the widgets
        and sessions it makes. Events go out in a background thread, so a slow backend never holds up
        labeling; failures are logged and kept in the connection's ``errors``. The backend is set up
        first (a dead backend fails here). :meth:`disconnect` stops it.
        """
        self._allowed(Action.SETTINGS)
        ref = self._project_ref()
        backend.setup(ref.label_config, ref.ls_id)
        connection = learn.BackendConnection(backend, self.store, ref)
        self._connections.append(connection)
        return connection

    def disconnect(self, backend: learn.MLBackend) -> None:
        """Stop sending annotations to ``backend``."""
        self._allowed(Action.SETTINGS)
        for connection in [c for c in self._connections if c.backend is backend]:
            connection.close()
            self._connections.remove(connection)

    def _answered(self, task_id: int, annotation_id: int) -> None:
        if self.storages.targets():
            # each stored answer goes to the target storages as a job: a slow bucket never holds up labeling
            self.runner.submit("storage push", push_job, self.store.project_id, [task_id], max_retries=3)
        for connection in self._connections:
            connection.annotation_saved(task_id, annotation_id)
        if self.learner is not None:
            self.learner.answered()

    # -- storages -----------------------------------------------------------------------------------

    def add_storage(
        self,
        name: str,
        url: str | os.PathLike[str],
        *,
        role: Literal["source", "target"] = "source",
        storage_options: Mapping[str, Any] | None = None,
        **settings: Any,
    ) -> StorageRecord:
        """Connect a local folder or a bucket (``s3://``, ``gs://``, ``az://``/``abfs://``) as a storage.

        A ``"source"`` gives tasks (:meth:`sync` imports its new objects); a ``"target"`` receives each
        annotated task as ``<task id>.json`` when an annotation is stored (as a background job) and all of
        them at a :meth:`sync`. Settings, as Label Studio's: ``regex_filter`` (``re.match`` on the key under
        ``url``: ``".*\\.jpg$"``), ``recursive`` (scan sub-folders), ``mode`` (``"files"``: each object is
        a task holding its URL under ``data_key``, the config's only data key by default; ``"tasks"``:
        objects are ``.json``/``.jsonl`` task files), ``presign`` and ``presign_ttl`` (minutes: the browser
        gets presigned URLs for this storage's media instead of bytes).

        Credentials come from fsspec's usual configuration and the environment, or ``storage_options``
        (kept in memory for this session only: pass them again with :meth:`sync` after reopening). The
        store keeps the location and settings, never a credential. A source's folder or bucket prefix is
        allowed for media from then on.
        """
        self._allowed(Action.SETTINGS)
        return self.storages.add(name, url, role=role, storage_options=storage_options, **settings)

    def sync(
        self,
        name: str,
        *,
        storage_options: Mapping[str, Any] | None = None,
        user: str | None = None,
        progress: bool | None = None,
    ) -> SyncReport:
        """Sync storage ``name``: a source imports its new objects as tasks (and reports objects that
        changed or vanished since the last sync), a target receives every annotated task. Running it again
        after an interruption makes no task twice. In a notebook a progress bar follows it."""
        acting = self._allowed(Action.SETTINGS, user)
        last = 0
        with ExitStack() as stack:
            bar: Callable[[int], Any] | None = None

            def advance(done: int, total: int) -> None:
                nonlocal last, bar
                if bar is None:  # the bar starts once the listing says how many objects are new
                    bar = stack.enter_context(notebook_progress(total, f"sync {name}", show=progress))
                bar(done - last)
                last = done

            return self.storages.sync(name, user=acting, storage_options=storage_options, progress=advance)

    def export_formats(self) -> list[str]:
        """The export formats this project's config offers, by Label Studio's rules (``json``, ``json_min``,
        ``csv`` and ``tsv`` always; ``coco``, ``yolo``, ``voc``... when the config draws what they hold)."""
        return catalog.offered_formats(self.config)

    def export(
        self,
        format: str,
        path: str | os.PathLike[str] | None = None,
        *,
        only_annotated: bool = False,
        storage_options: Mapping[str, Any] | None = None,
        media_roots: Iterable[str | os.PathLike[str]] = (),
        allow_media: Iterable[str] = (),
        progress: bool | None = None,
        **options: Any,
    ) -> Any:
        """Export in one of :meth:`export_formats` (see :data:`labelnb.formats.catalog.FORMATS`).

        With no ``path`` the json, json_min, csv and tsv data come back (a list of dicts, or text for
        csv/tsv). With a path — a local file or folder, or an fsspec URL such as ``s3://bucket/out/``
        (``storage_options`` go to fsspec; credentials otherwise come from its usual configuration) — the
        export is written there, streamed task by task, and the path is returned. Formats that copy images
        (``coco_with_images``...) read them through the project's media allow-list plus ``media_roots`` and
        ``allow_media``. In a notebook a progress bar follows the export (``progress=False`` hides it).
        Other keyword arguments are the format's options (``keep_empty_images=True`` for COCO...).
        """
        self._allowed(Action.EXPORT)
        fmt = catalog.export_format(format)
        offered = self.export_formats()
        if fmt.name not in offered:
            raise ValueError(
                f"this project's config does not offer the {fmt.name} export (it has nothing that format "
                f"holds); it offers {', '.join(offered)}"
            )
        if path is None:
            if fmt.name not in EXPORT_FORMATS or options:
                raise ValueError(
                    f"the {fmt.name} export writes files: pass a folder, file or URL to write to"
                )
            table = cast(TableFormat, fmt.name)
            with gc_paused():
                # Label Studio's JSON names users by id; the converter's formats by e-mail
                tasks = self.store.iter_export_tasks(
                    only_annotated=only_annotated, expand_users=table != "json"
                )
                if table in ("csv", "tsv"):
                    return task_output.export_text(table, tasks, self.config)
                return task_output.export_records(table, tasks, self.config)
        output = ExportOutput(path, storage_options)
        done, total = self.store.progress()
        resolver = MediaResolver(self.media_policy(media_roots, allow_media))
        with (
            gc_paused(),
            notebook_progress(done if only_annotated else total, fmt.name, show=progress) as bar,
        ):
            request = ExportRequest(
                self.store.iter_export_tasks(only_annotated=only_annotated, expand_users=True),
                self.config,
                output,
                media=lambda value: resolver.read(value)[0],
                progress=bar,
                options=options,
                # the store renders Label Studio's JSON itself: several times faster than encoding dicts
                encoded_json=self.store.iter_export_json(only_annotated=only_annotated),
                answers_json=self.store.iter_answers_json(only_annotated=only_annotated),
            )
            fmt.write(request)
        return path

    def to_dataframe(self, kind: Literal["tasks", "regions"] = "tasks") -> pd.DataFrame:
        """One row per task (``kind="tasks"``) or per result item (``kind="regions"``)."""
        self._allowed(Action.EXPORT)
        if kind not in ("tasks", "regions"):
            raise ValueError(f"kind must be 'tasks' or 'regions', not {kind!r}")
        with gc_paused():
            if kind == "regions":
                return frames.tasks_to_frame(self.store.iter_frame_tasks(), self.config, kind=kind)
            # the columnar path: no task dicts, pages of columns straight from the store
            pages = (frames.TaskColumns(**page) for page in self.store.iter_newest_annotation_pages())
            return frames.pages_to_frame(pages, self.config)

    def tasks_frame(self) -> pd.DataFrame:
        """Every task with its status, as Label Studio's Data Manager lists them, for pandas filtering.

        Columns: ``id``; ``status`` ("unlabeled", "in progress" — answered by fewer people than its
        overlap, or leased to someone now —, "skipped" by everyone who saw it, "labeled");
        ``annotators`` (who answered or skipped, in order); ``total_annotations`` (finished) and
        ``cancelled_annotations`` (skips); ``ground_truth``; ``overlap``; ``total_predictions``;
        ``prediction_score`` and ``model_version`` of the newest prediction; ``agreement`` between the
        task's finished answers (:func:`labelnb.team.agreement.task_agreement`, empty below two);
        ``review_state`` ("pending", "accepted", "rejected"; empty before any finished answer, see
        :mod:`labelnb.team.review`);
        ``created_at``, ``updated_at``; then ``data.<key>`` per data field. A slice of it, its ids or a
        filter select what :meth:`annotate` labels.
        """
        self._allowed(Action.SEE_TASKS)
        return self._all_tasks_frame()

    def _all_tasks_frame(self) -> pd.DataFrame:
        """:meth:`tasks_frame` for the project's own use (a session's selection), whoever acts."""
        with gc_paused():
            columns = task_table(
                self.store.engine, self.store.project_id, self.store.users(), now_epoch(), task_agreement
            )
            return task_table_frame(columns)

    def agreement(
        self,
        control: str | Sequence[str] | None = None,
        measure: str | Sequence[str] | None = None,
        *,
        iou_threshold: float = 0.5,
        absent: Literal["missing", "empty"] = "missing",
    ) -> AgreementReport:
        """How far the annotators agree, per control (all measurable ones, or ``control``): two tables,
        per pair of annotators and overall (``pairs, overall = project.agreement()``).

        Reads every finished (not skipped) annotation; the measures and options are those of
        :func:`labelnb.team.agreement.agreement_frame`.
        """
        self._allowed(Action.SEE_TASKS)
        with gc_paused():
            annotations = annotations_from_tasks(self.store.iter_frame_tasks())
            return agreement_frame(
                annotations, self.config, control, measure=measure, iou_threshold=iou_threshold, absent=absent
            )

    # -- background jobs ----------------------------------------------------------------------------

    @property
    def runner(self) -> JobRunner:
        """The project's job runner (made on first use; threads unless :meth:`set_executor` said otherwise):
        ``project.runner.submit(kind, fn, *args)``."""
        if self._runner is None:
            import labelnb.widget.jobs  # noqa: F401 - a job shown in a notebook gets its live progress bar

            self._runner = JobRunner(self.store)
        return self._runner

    def set_executor(self, executor: Executor | None) -> None:
        """Run the project's next jobs on ``executor``: a ``ProcessPoolExecutor``, a Dask
        ``Client(...).get_executor()``, or any ``concurrent.futures.Executor`` (None: threads again)."""
        self.runner.set_executor(executor)

    def jobs(self) -> pd.DataFrame:
        """Every background job of the project, one row each: kind, status, progress, attempts, error."""
        self._allowed(Action.SEE_TASKS)
        return jobs_frame(self.store)

    def job(self, job_id: int) -> Job:
        """The handle of one job (``status``, ``progress``, ``wait()``, ``result()``, ``cancel()``,
        ``retry()``)."""
        self._allowed(Action.SEE_TASKS)
        return self.runner.job(job_id)

    # -- the model in the loop -----------------------------------------------------------------------

    def learn(
        self,
        estimator: Any,
        *,
        features: Features,
        control: str | None = None,
        retrain_every: int = 20,
        holdout: Sequence[int] | tuple[Any, Any] | None = None,
        name: str | None = None,
        metric: str = "accuracy",
        keep_versions: int = 2,
        strategy: StrategyLike = "least_confidence",
        seed: int = 0,
        start_job: StartJob | None = None,
    ) -> Learner:
        """Put a scikit-learn classifier in the loop of a ``Choices`` control and return its :class:`Learner`.

        ``features`` is a data field (vectors, or texts for a pipeline that starts with a vectoriser), a
        function of a list of task data dicts returning one row per task, or ``(field, embed)`` with an
        embedding function of that field's values. Every ``retrain_every`` labels a retraining runs in the
        background as a job on :attr:`runner` (``start_job=labelnb.learn.run_inline`` runs it in the
        caller's thread instead, as :func:`labelnb.simulate` does); its predictions (top class, ``score`` its probability) are stored under a new
        ``model_version`` (``<name>-v<n>``) and shown as pre-annotations. ``holdout`` is the held-out set the
        learning curve is scored on: ids of labelled tasks (kept out of training) or ``(X, y)``.

        While the learner is in the loop, :meth:`next_task`, :meth:`annotate` and :meth:`session` without
        ``strategy`` or ``tasks`` label from its queue: a shuffle seeded by ``seed`` until the first model,
        then each new model's order by ``strategy`` (``"least_confidence"``, ``"margin"``, ``"entropy"``
        on its class probabilities, ``"diversity"`` on the features, ``"random"``, or any strategy of
        :mod:`labelnb.queue.strategies`).
        """
        self._allowed(Action.SETTINGS)
        from labelnb.learn.loop import Learner, LearnSpec

        chosen = self._classifier_control(control)
        holdout_ids: tuple[int, ...] = ()
        holdout_xy = None
        if isinstance(holdout, tuple) and len(holdout) == 2 and not all(isinstance(h, int) for h in holdout):
            holdout_xy = holdout
        elif holdout is not None:
            holdout_ids = tuple(int(task_id) for task_id in holdout)
        spec = LearnSpec(
            store_url=self.store.url,
            estimator=estimator,
            features=features,
            control=chosen.name,
            to_name=chosen.to_name[0],
            name=name or type(estimator).__name__,
            holdout_ids=holdout_ids,
            holdout_xy=holdout_xy,
            keep_versions=keep_versions,
            metric=metric,
            strategy=strategy,
            seed=seed,
        )
        self.learner = Learner(
            self.store,
            spec,
            retrain_every=retrain_every,
            start_job=start_job or self._learning_runner(spec).submit,
        )
        self.learner.answered()  # labels already in the project count
        return self.learner

    def _learning_runner(self, spec: Any) -> JobRunner:
        """Where retraining runs by default: a low-priority worker process, so the widget never waits for
        it; the project's own runner (threads) when the estimator or features cannot be pickled."""
        try:
            pickle.dumps(spec)
        except Exception:  # lambdas, local functions, unpicklable models: run them in the kernel's threads
            return self.runner
        if self._learn_runner is None:
            self._learn_runner = JobRunner(self.store, background_process_pool())
        return self._learn_runner

    def _classifier_control(self, name: str | None) -> Any:
        """The ``Choices`` control a classifier learns: the one named, or the config's only one."""
        choices = [c for c in self.config.controls.values() if c.tag == "Choices"]
        if name is not None:
            found = self.config.controls.get(name)
            if found is None or found.tag != "Choices":
                raise ValueError(
                    f"control {name!r} is not a Choices control of this config; "
                    f"choose one of {[c.name for c in choices]}"
                )
            return found
        if len(choices) != 1:
            raise ValueError(
                f"the config has {len(choices)} Choices controls; say which one to learn with control=..."
            )
        return choices[0]

    # -- labelling ----------------------------------------------------------------------------------

    @property
    def queue_settings(self) -> QueueSettings:
        """How tasks are handed out: overlap and its cohort, ground truth first, what a skip does."""
        return read_queue_settings(self.store)

    def configure_queue(self, **settings: Any) -> QueueSettings:
        """Change queue settings, as Label Studio's project settings name them, and return them all.

        ``maximum_annotations`` (N, at least 1): how many people answer each task of the overlap cohort;
        ``overlap_cohort_percentage`` (0 to 100): the share of tasks that ask for N answers, the others
        asking for one; ``show_ground_truth_first``: tasks with a ground-truth annotation come first;
        ``skip_queue``: ``"REQUEUE_FOR_OTHERS"`` (a skipped task goes to others), ``"REQUEUE_FOR_ME"`` (it
        comes back to the skipper after their queue) or ``"IGNORE_SKIPPED"`` (a skip counts as an answer).
        A new N or share rewrites every task's overlap and labelled state at once; a bad value raises
        before anything changes.
        """
        self._allowed(Action.SETTINGS)
        return configure_queue(self.store, **settings)

    def next_task(
        self, user: str | None = None, strategy: StrategyLike | None = None, tasks: Selection | None = None
    ) -> dict[str, Any] | None:
        """Lease the next task for ``user`` and return it in Label Studio's task shape, or None when done.

        ``strategy`` orders the tasks (``"uncertainty"``, ``"margin"``, ``"entropy"``, ``"random"``,
        ``"diversity"``, a :mod:`labelnb.queue.strategies` object or a function of the rank context);
        ``tasks`` restricts them to a selection (ids, a slice or mask of :meth:`tasks_frame`, a query
        string or a function of it). Without either, all tasks by id.
        """
        acting = self._allowed(Action.SUBMIT, user)
        queue_id = self._queue(strategy, tasks)
        if queue_id is None and self.learner is not None:
            queue_id = self.learner.queue_id
        return labeling.lease_next_task(self.store, acting, self.lease_ttl, queue_id)

    def rank(self, strategy: StrategyLike, tasks: Selection | None = None, **arrays: Any) -> int:
        """Rank the unlabelled tasks (of ``tasks``) by ``strategy`` now and store the order; the queue id.

        ``arrays`` are what a model in the loop supplies: ``probabilities`` (tasks x classes) and
        ``embeddings`` (tasks x d), one row per task of ``tasks`` in its order (without ``tasks``, per task
        of the project by id); ``labeled_embeddings`` of labelled tasks; ``seed``. Sessions labelling with
        the same strategy and selection get the new order at their next task.
        """
        self._allowed(Action.SETTINGS)
        return ranking.rank(self.store, strategy, tasks, frame_factory=self._all_tasks_frame, **arrays)

    def _queue(self, strategy: StrategyLike | None, tasks: Selection | None) -> int | None:
        return ranking.queue_for(self.store, strategy, tasks, frame_factory=self._all_tasks_frame)

    def submit(
        self,
        task_id: int,
        result: list[dict[str, Any]],
        user: str | None = None,
        lead_time: float | None = None,
    ) -> int:
        """Store ``user``'s annotation of a task and return its id.

        The result is validated against the config first (the widget's submissions go through the same
        check); items without an ``id`` get one. Submitting again for the same task writes a new version
        of that user's annotation; earlier versions stay in :meth:`history`.
        """
        acting = self._allowed(Action.SUBMIT, user)
        annotation_id = labeling.submit_answer(self.store, self.config, task_id, result, acting, lead_time)
        self._answered(task_id, annotation_id)
        return annotation_id

    def skip(self, task_id: int, user: str | None = None) -> int:
        """Skip a task: an empty, cancelled annotation, as Label Studio records it. The task goes to others,
        comes back to ``user`` later or counts as answered, as the queue's ``skip_queue`` says."""
        acting = self._allowed(Action.SUBMIT, user)
        annotation_id = labeling.skip_task(self.store, task_id, acting)
        self._answered(task_id, annotation_id)
        return annotation_id

    def save_draft(
        self,
        task_id: int,
        result: list[dict[str, Any]],
        user: str | None = None,
        lead_time: float | None = None,
    ) -> None:
        """Keep unfinished work; it comes back with the task.

        A draft is checked like a submission, leniently (see ``LabelConfig.validate_result(draft=True)``):
        names, types, labels, coordinates and offsets must be right, counts and ranges may be on the way.
        It may take at most :data:`labelnb.session.MAX_DRAFT_BYTES` as JSON.
        """
        acting = self._allowed(Action.SUBMIT, user)
        labeling.save_draft(self.store, self.config, task_id, result, acting, lead_time)

    def postpone(
        self,
        task_id: int,
        result: list[dict[str, Any]] | None = None,
        user: str | None = None,
        lead_time: float | None = None,
    ) -> None:
        """Put a task off: ``result`` (none by default) is kept as a postponed draft and the task leaves
        ``user``'s queue, coming back to them after it, oldest postponed first."""
        acting = self._allowed(Action.SUBMIT, user)
        items = [] if result is None else result
        labeling.postpone(self.store, self.config, task_id, items, acting, lead_time)

    def annotations(self, task_id: int) -> list[dict[str, Any]]:
        """The annotations of one task, in Label Studio's shape."""
        self._allowed(Action.SEE_TASKS)
        return self.store.annotations(task_id)

    def history(self, annotation_id: int) -> list[dict[str, Any]]:
        """Every version of an annotation, oldest first."""
        self._allowed(Action.SEE_TASKS)
        return self.store.history(annotation_id)

    def stats(self) -> dict[str, Any]:
        """Counts: tasks, labelled tasks, annotations, skips, predictions, and annotations per user."""
        self._allowed(Action.SEE_TASKS)
        return {"title": self.title, **self.store.stats()}

    @property
    def folder(self) -> Path | None:
        """The project folder (where relative media paths start), or None for a store URL."""
        return None if "://" in self.location else Path(self.location).resolve()

    def media_policy(
        self, media_roots: Iterable[str | os.PathLike[str]] = (), allow_media: Iterable[str] = ()
    ) -> MediaPolicy:
        """What the kernel may open for this project's media: the project's settings plus these."""
        kept = self._settings.get("media") or {}
        folder = self.folder
        # a source storage's folder or bucket prefix is allowed, read with its session's options
        storage_roots, storage_allow, options = self.storages.media_access()
        roots = [
            *([folder] if folder is not None else []),
            *kept.get("roots", []),
            *storage_roots,
            *media_roots,
        ]
        allow = [*kept.get("allow", []), *storage_allow, *allow_media]
        hidden = [] if folder is None else [folder / STORE_FILE]  # the store itself is never media
        return MediaPolicy.build(roots, allow, base=folder, hidden=hidden, options=options)

    def annotate(
        self,
        user: str | None = None,
        *,
        media_roots: Iterable[str | os.PathLike[str]] = (),
        allow_media: Iterable[str] = (),
        strategy: StrategyLike | None = None,
        tasks: Selection | None = None,
        assist: Any = None,
    ) -> Annotator | Notice:
        """The labeling widget for ``user`` (or a :class:`~labelnb.widget.notice.Notice` saying why not:
        no identity in a team page, or a role that may not label); ``strategy`` and ``tasks`` choose the
        order and the tasks, as for :meth:`next_task`.

        Local media files are served from the project folder, the project's ``media_roots`` and these
        ``media_roots``; fsspec URLs only where the project or ``allow_media`` allows them (see
        :meth:`create`). Relative paths start at the project folder. Tags the widget cannot show yet are
        named in a warning, and such a task cannot be submitted empty from the widget.

        ``assist`` turns on interactive pre-annotation (the widget's "Auto-annotate" toggle): a function
        ``assist(task, context)`` or an object with Label Studio's ``predict(tasks, context=...)``. The key
        points and boxes drawn with smart tools go to it as ``context = {"result": [...]}`` (each with
        ``is_positive``); what it returns (result items, or a prediction ``{"result": [...]}``) is checked
        against the config and shown as editable predicted regions (:mod:`labelnb.learn.interactive`).
        """
        from labelnb.widget.annotator import Annotator  # the widget's dependencies load only when used
        from labelnb.widget.notice import unless_refused

        return unless_refused(
            lambda: Annotator(
                self.session(
                    user, media_roots=media_roots, allow_media=allow_media, strategy=strategy, tasks=tasks
                ),
                assist=assist,
            )
        )

    def page(self) -> Any:
        """The team page for whoever opens it (:attr:`user`): in a personal project the labelling widget;
        in a team project what their role may do, as tabs (the dashboard for owners, managers and
        reviewers, the review stream for them too, labelling for everyone); a
        :class:`~labelnb.widget.notice.Notice` when there is no identity or no membership.
        ``notebooks/team.ipynb`` shows it."""
        from labelnb.widget.page import team_page

        return team_page(self)

    # -- review -------------------------------------------------------------------------------------

    def _authorizer(self, acting: str) -> Callable[[Action], Role]:
        return lambda action: self.team.require(acting, action)

    def review_session(self, user: str | None = None) -> labeling.ReviewSession:
        """``user``'s review session: the annotations waiting for review, oldest first (what
        :meth:`review`'s widget drives)."""
        acting = self._allowed(Action.REVIEW, user)
        return labeling.ReviewSession(
            self.store,
            self.config,
            acting,
            authorize=self._authorizer(acting),
            media=self.media_policy(),
            presign=self.storages.presigner(),
            lease_ttl=self.lease_ttl,
        )

    def review(self, user: str | None = None) -> Annotator | Notice:
        """The review widget: each annotation waiting for review on screen, to accept (Submit), fix (change
        it, then Submit), reject with a comment (it goes back to its author's queue) or pass over (Skip).
        A :class:`~labelnb.widget.notice.Notice` instead when there is no identity or the role may not
        review."""
        from labelnb.widget.annotator import Annotator
        from labelnb.widget.notice import unless_refused

        return unless_refused(lambda: Annotator(self.review_session(user)))

    def review_queue(self) -> pd.DataFrame:
        """The annotations waiting for review, oldest first: annotation, task, annotator, version,
        updated_at."""
        self._allowed(Action.SEE_TASKS)
        return review.review_queue(self.store)

    def reviews(self, annotation_id: int) -> list[dict[str, Any]]:
        """Every verdict on an annotation, oldest first (reviewer, verdict, comment, version, created_at)."""
        self._allowed(Action.SEE_TASKS)
        return review.reviews_of(self.store, annotation_id)

    def _verdict(
        self,
        annotation_id: int,
        verdict: str,
        user: str | None,
        comment: str | None = None,
        result: Any = None,
    ) -> int:
        acting = self._allowed(Action.REVIEW, user)
        task_id, version = review.task_and_version(self.store, annotation_id)
        items = None if result is None else labeling.checked_answer(self.store, self.config, task_id, result)
        return review.record_verdict(
            self.store,
            annotation_id,
            self.store.ensure_user(acting),
            verdict,
            version=version,
            comment=comment,
            result=items,
        )

    def accept(self, annotation_id: int, *, user: str | None = None, comment: str | None = None) -> int:
        """Accept an annotation waiting for review, as ``user`` (a reviewer, manager or owner); the review's id."""
        return self._verdict(annotation_id, review.ACCEPTED, user, comment)

    def reject(self, annotation_id: int, comment: str, *, user: str | None = None) -> int:
        """Reject an annotation with ``comment``: its task goes back to the top of its author's queue and
        their next answer waits for review again."""
        return self._verdict(annotation_id, review.REJECTED, user, comment)

    def fix(
        self,
        annotation_id: int,
        result: list[dict[str, Any]],
        *,
        user: str | None = None,
        comment: str | None = None,
    ) -> int:
        """Accept an annotation with ``result`` in place of its own: a new version (checked against the
        config) that keeps the author and leaves the original in :meth:`history`."""
        return self._verdict(annotation_id, review.FIXED, user, comment, result)

    def session(
        self,
        user: str | None = None,
        *,
        media_roots: Iterable[str | os.PathLike[str]] = (),
        allow_media: Iterable[str] = (),
        strategy: StrategyLike | None = None,
        tasks: Selection | None = None,
    ) -> labeling.LabelingSession:
        """``user``'s labeling session (what the widget drives): next, back, answers, drafts and media.

        With ``strategy`` or ``tasks`` (see :meth:`next_task`) it labels from a stored queue, ranked now
        and brought up to date after each answer (a new current model version re-orders it); :meth:`rank`
        with the same strategy and selection re-orders it at once.
        """
        acting = self._allowed(Action.SUBMIT, user)
        queue_id, refresh = ranking.session_queue(
            self.store, strategy, tasks, frame_factory=self._all_tasks_frame
        )
        if queue_id is None and self.learner is not None:
            queue_id = self.learner.queue_id
        return labeling.LabelingSession(
            self.store,
            self.config,
            acting,
            authorize=self._authorizer(acting),
            media=self.media_policy(media_roots, allow_media),
            presign=self.storages.presigner(),
            lease_ttl=self.lease_ttl,
            queue_id=queue_id,
            on_answer=[self._answered, *refresh],
        )
