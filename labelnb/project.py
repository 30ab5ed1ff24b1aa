"""``Project``: the one object users hold. It wires config, formats, store, queue and widget together."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, cast

import pandas as pd

from labelnb import session as labeling
from labelnb._bulk import gc_paused
from labelnb.config import LabelConfig
from labelnb.formats import dataframe as frames
from labelnb.formats import task_input, task_output
from labelnb.formats.task_output import ExportFormat
from labelnb.queue import DEFAULT_LEASE_TTL_S
from labelnb.storage.media import MediaPolicy
from labelnb.store import Store, store_url
from labelnb.store.engine import STORE_FILE
from labelnb.store.store import ImportReport
from labelnb.team.identity import resolve_user

if TYPE_CHECKING:
    from labelnb.widget.annotator import Annotator

EXPORT_FORMATS = task_output.FORMATS

TaskSource = str | os.PathLike[str] | pd.DataFrame | Iterable[Mapping[str, Any]]


class Project:
    """A labeling project: a config, its tasks and everything people did with them.

    Create one with :meth:`create` (or :meth:`from_dataframe`) and reopen it with :meth:`open`. ``path``
    is a folder holding ``project.db`` (SQLite), or a store URL such as ``sqlite:///x.db``.
    """

    def __init__(self, store: Store, config: LabelConfig, location: str) -> None:
        self.store = store
        self.config = config
        self.location = location
        self._settings = store.info().settings

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
    ) -> Project:
        """Create a project at ``path`` (a folder, made if missing, or a store URL) with a labeling config.

        Media named by task data is opened by the kernel only under a policy (see the README's "Security
        model"): local files from the project folder and ``media_roots``; fsspec URLs only for the
        protocols or prefixes in ``allow_media`` (``["s3://bucket/images/", "gs://photos/"]``, or a
        protocol name such as ``"s3"`` for all of it). Both are kept with the project.
        """
        parsed = LabelConfig.from_xml(config)
        roots = [str(Path(root).expanduser().resolve()) for root in media_roots]
        allowed = list(MediaPolicy.build([], allow_media).allow)  # checked before anything is made
        url = store_url(path)
        if "://" not in os.fspath(path):
            Path(path).mkdir(parents=True, exist_ok=True)
        name = title or Path(os.fspath(path).rstrip("/")).name or "labelnb project"
        settings: dict[str, Any] = {"lease_ttl": lease_ttl or DEFAULT_LEASE_TTL_S}
        if roots or allowed:
            settings["media"] = {"roots": roots, "allow": allowed}
        return cls(Store.create(url, name, config, settings), parsed, os.fspath(path))

    @classmethod
    def open(cls, path: str | os.PathLike[str]) -> Project:
        """Open an existing project."""
        text = os.fspath(path)
        if "://" not in text and not (Path(text) / "project.db").exists():
            raise FileNotFoundError(
                f"{text} holds no labelnb project (no project.db); create one with Project.create"
            )
        store = Store.open(store_url(path))
        return cls(store, LabelConfig.from_xml(store.info().label_config), text)

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
        tasks = task_input.read_tasks(source, self.config, preannotated_from=preannotated_from)
        return self.store.import_tasks(tasks, resolve_user(user))

    def export(
        self, format: str, path: str | os.PathLike[str] | None = None, *, only_annotated: bool = False
    ) -> Any:
        """Export to ``json`` (Label Studio's format), ``json_min``, ``csv`` or ``tsv``.

        With no ``path`` the data comes back (a list of dicts, or text for csv/tsv); with a path it is
        written there and the path is returned.
        """
        fmt = cast(ExportFormat, format.lower())
        if fmt not in EXPORT_FORMATS:
            raise ValueError(f"unknown export format {format!r}; choose one of {', '.join(EXPORT_FORMATS)}")
        with gc_paused():
            if fmt == "json" and path is not None:
                task_output.write_json(self.store.iter_export_json(only_annotated=only_annotated), path)
                return path
            tasks = self.store.iter_export_tasks(only_annotated=only_annotated, expand_users=fmt != "json")
            if path is None:
                if fmt in ("csv", "tsv"):
                    return task_output.export_text(fmt, tasks, self.config)
                return task_output.export_records(fmt, tasks, self.config)
            task_output.export(fmt, tasks, self.config, path)
            return path

    def to_dataframe(self, kind: Literal["tasks", "regions"] = "tasks") -> pd.DataFrame:
        """One row per task (``kind="tasks"``) or per result item (``kind="regions"``)."""
        if kind not in ("tasks", "regions"):
            raise ValueError(f"kind must be 'tasks' or 'regions', not {kind!r}")
        with gc_paused():
            if kind == "regions":
                return frames.tasks_to_frame(self.store.iter_frame_tasks(), self.config, kind=kind)
            # the columnar path: no task dicts, pages of columns straight from the store
            pages = (frames.TaskColumns(**page) for page in self.store.iter_newest_annotation_pages())
            return frames.pages_to_frame(pages, self.config)

    # -- labelling ----------------------------------------------------------------------------------

    def next_task(self, user: str | None = None) -> dict[str, Any] | None:
        """Lease the next task for ``user`` and return it in Label Studio's task shape, or None when done."""
        return labeling.lease_next_task(self.store, resolve_user(user), self.lease_ttl)

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
        return labeling.submit_answer(self.store, self.config, task_id, result, resolve_user(user), lead_time)

    def skip(self, task_id: int, user: str | None = None) -> int:
        """Skip a task: an empty, cancelled annotation, as Label Studio records it. The task goes to others."""
        return labeling.skip_task(self.store, task_id, resolve_user(user))

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
        labeling.save_draft(self.store, self.config, task_id, result, resolve_user(user), lead_time)

    def annotations(self, task_id: int) -> list[dict[str, Any]]:
        """The annotations of one task, in Label Studio's shape."""
        return self.store.annotations(task_id)

    def history(self, annotation_id: int) -> list[dict[str, Any]]:
        """Every version of an annotation, oldest first."""
        return self.store.history(annotation_id)

    def stats(self) -> dict[str, Any]:
        """Counts: tasks, labelled tasks, annotations, skips, predictions, and annotations per user."""
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
        roots = [*([folder] if folder is not None else []), *kept.get("roots", []), *media_roots]
        hidden = [] if folder is None else [folder / STORE_FILE]  # the store itself is never media
        return MediaPolicy.build(roots, [*kept.get("allow", []), *allow_media], base=folder, hidden=hidden)

    def annotate(
        self,
        user: str | None = None,
        *,
        media_roots: Iterable[str | os.PathLike[str]] = (),
        allow_media: Iterable[str] = (),
        assist: Any = None,
    ) -> Annotator:
        """The labeling widget for ``user``.

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

        return Annotator(self.session(user, media_roots=media_roots, allow_media=allow_media), assist=assist)

    def session(
        self,
        user: str | None = None,
        *,
        media_roots: Iterable[str | os.PathLike[str]] = (),
        allow_media: Iterable[str] = (),
    ) -> labeling.LabelingSession:
        """``user``'s labeling session (what the widget drives): next, back, answers, drafts and media."""
        return labeling.LabelingSession(
            self.store,
            self.config,
            resolve_user(user),
            media=self.media_policy(media_roots, allow_media),
            lease_ttl=self.lease_ttl,
        )
