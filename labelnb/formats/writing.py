"""What an export writer gets and what it is: :class:`ExportRequest` and :class:`ExportFormat`.

Writer modules (``coco``, ``yolo``, ``brush_export``...) import these from here; :mod:`.catalog` imports
the writers and lists them, so no writer depends on the catalog.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import orjson

from labelnb.config import LabelConfig

from .output import ExportOutput

#: reads a media value of task data (``$image``) to bytes, through the project's media allow-list
MediaReader = Callable[[str], bytes]


def _no_progress(done: int) -> None:
    return None


@dataclass
class ExportRequest:
    """What a writer gets.

    Attributes:
        tasks: tasks in Label Studio's JSON export shape, ``completed_by`` as ``{"id", "email"}`` (the
            store's ``iter_export_tasks(expand_users=True)``); read once.
        config: the project's labeling config.
        output: where to write.
        media: reads a task's media (for the ``*_with_images`` formats and image sizes), or None.
        progress: call with the number of tasks just finished (increments, not totals).
        options: format options the user passed (``keep_empty_images=True``...); writers reject ones
            they do not know with a ValueError naming them.
        encoded_json: the same tasks (users as ids) already encoded as JSON objects, when the source can
            give them so (the json format writes these instead of encoding ``tasks``).
        answers_json: the same tasks with only what shape formats read (``id``, ``data`` and each
            annotation's ``id``, ``result``, ``was_cancelled`` and ``created_at``) as encoded JSON
            objects, when the source can give them so; writers get them through :meth:`counted` with
            ``lean=True``.
    """

    tasks: Iterable[Mapping[str, Any]]
    config: LabelConfig
    output: ExportOutput
    media: MediaReader | None = None
    progress: Callable[[int], None] = _no_progress
    options: Mapping[str, Any] = field(default_factory=dict)
    encoded_json: Iterable[bytes] | None = None
    answers_json: Iterable[bytes] | None = None

    def counted(self, *, lean: bool = False) -> Iterator[Mapping[str, Any]]:
        """The tasks, reporting progress after each one.

        With ``lean=True`` the tasks may come decoded from :attr:`answers_json` (about three times faster
        to read from a store than ``tasks``) or :attr:`encoded_json`: a writer may then read only the
        fields :attr:`answers_json` holds, and ``completed_by`` not at all. Otherwise they are
        :attr:`tasks`.
        """
        if lean and (self.answers_json is not None or self.encoded_json is not None):
            encoded = self.answers_json if self.answers_json is not None else self.encoded_json
            assert encoded is not None
            return counted(map(orjson.loads, encoded), self.progress)
        return counted(self.tasks, self.progress)

    def check_options(self, known: Iterable[str]) -> None:
        """A ValueError for any option the format does not know."""
        unknown = sorted(set(self.options) - set(known))
        if unknown:
            raise ValueError(f"unknown option(s) {', '.join(unknown)} for this export format")


@dataclass(frozen=True)
class ExportFormat:
    """One export format.

    Attributes:
        name: what users pass (``"coco"``); Label Studio's name in upper case (``"COCO"``) works too.
        title: a short human name.
        description: one sentence for listings.
        layout: ``"file"`` (one file, ``default_name`` when the target is a folder) or ``"folder"``.
        default_name: the file name of a one-file format inside a folder target.
        write: the writer; returns how many records (tasks, rows, annotations) it wrote.
    """

    name: str
    title: str
    description: str
    layout: Literal["file", "folder"]
    default_name: str
    write: Callable[[ExportRequest], int]


def counted(items: Iterable[Any], progress: Callable[[int], None]) -> Iterator[Any]:
    """``items``, calling ``progress(1)`` after each one."""
    for item in items:
        yield item
        progress(1)


class ExportDataError(ValueError):
    """A stored task that a format cannot write (a box without its image's size for YOLO...).

    ``str()`` reads like ``task 12, annotation 40, field 'result[2].value.width': <message>``.
    """

    def __init__(
        self,
        message: str,
        *,
        task: object = None,
        annotation: object = None,
        field: str | None = None,
    ) -> None:
        self.message = message
        self.task = task
        self.annotation = annotation
        self.field = field
        where = [f"task {task}"] if task is not None else []
        if annotation is not None:
            where.append(f"annotation {annotation}")
        if field:
            where.append(f"field {field!r}")
        super().__init__(f"{', '.join(where)}: {message}" if where else message)
