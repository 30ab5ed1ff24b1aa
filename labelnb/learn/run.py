"""Running a backend for a project: predictions for tasks, and the webhook payloads Label Studio sends.

Everything a backend answers is checked here before the store sees it: one entry per task, each a
prediction dict or a list of them, each result valid for the config and the task's data
(:func:`labelnb.formats.check_prediction`). A bad answer raises :class:`labelnb.formats.PredictionError`
naming the backend, the task and the field, and nothing is written.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from typing import Any

from labelnb.config import LabelConfig
from labelnb.formats import answer_items, check_prediction
from labelnb.store import ProjectInfo

from .backends import MLBackend

#: tasks sent to a backend per predict call
PREDICT_BATCH = 100


@dataclass(frozen=True)
class ProjectRef:
    """What a backend is told about a project: never its path, users or credentials."""

    id: int
    title: str
    label_config: str
    created_at: str

    @classmethod
    def from_info(cls, info: ProjectInfo) -> ProjectRef:
        return cls(info.id, info.title, info.label_config, info.created_at)

    @property
    def ls_id(self) -> str:
        """The project id as Label Studio sends it to ML backends: ``"<id>.<creation timestamp>"``."""
        try:
            stamp = int(datetime.fromisoformat(self.created_at.replace("Z", "+00:00")).timestamp())
        except ValueError:
            stamp = 0
        return f"{self.id}.{stamp}"

    def payload(self) -> dict[str, Any]:
        """The ``project`` object of a webhook payload."""
        return {
            "id": self.id,
            "title": self.title,
            "label_config": self.label_config,
            "created_at": self.created_at,
        }


def _batches(items: Iterable[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def collect_predictions(
    backend: MLBackend,
    tasks: Iterable[dict[str, Any]],
    config: LabelConfig,
    *,
    batch_size: int = PREDICT_BATCH,
    model_version: str | None = None,
    context: dict[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """Ask ``backend`` for predictions of ``tasks`` (Label Studio task dicts), ``batch_size`` at a time,
    and return them checked, ready for :meth:`labelnb.store.Store.add_predictions`.

    ``model_version`` names every prediction of this run; without it a prediction keeps its own, else
    the backend's. Nothing is returned until every batch is answered and checked.
    """
    if not isinstance(batch_size, int) or isinstance(batch_size, bool) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive whole number, not {batch_size!r}")
    rows: list[dict[str, Any]] = []
    for batch in _batches(tasks, batch_size):
        ids = [int(task["id"]) for task in batch]
        datas = {int(task["id"]): task.get("data") or {} for task in batch}
        answers = backend.predict(batch, context)
        default = backend.model_version or "undefined"
        for index, item in answer_items(ids, answers, source=backend.name):
            if model_version is not None:
                item["model_version"] = model_version
            rows.append(
                check_prediction(
                    item,
                    config,
                    datas[item["task"]],
                    index=index,
                    model_version=default,
                    source=backend.name,
                )
            )
    return rows


def annotation_payload(
    project: ProjectRef, task: Mapping[str, Any], annotation: Mapping[str, Any], created: bool
) -> tuple[str, dict[str, Any]]:
    """The webhook Label Studio sends when an annotation is submitted: ``(action, payload)``."""
    action = "ANNOTATION_CREATED" if created else "ANNOTATION_UPDATED"
    return action, {"annotation": dict(annotation), "task": dict(task), "project": project.payload()}


def training_payload(project: ProjectRef, tasks: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The ``START_TRAINING`` payload (Label Studio's Train button). ``tasks``, the labelled tasks, go
    only to backends in the kernel."""
    payload: dict[str, Any] = {"project": project.payload()}
    if tasks is not None:
        payload["tasks"] = tasks
    return payload
