"""The one interface every model in the loop has: :class:`MLBackend`, Label Studio's ML backend API.

A backend turns tasks into predictions (``predict``), may learn from annotations (``fit``, called with
Label Studio's webhook events) and may be told the project's labeling config first (``setup``, which
answers the model version). Three kinds ship with labelnb: :class:`CallableBackend` (a function in the
kernel), :class:`labelnb.learn.EstimatorBackend` (a scikit-learn classifier) and
:class:`labelnb.learn.LabelStudioMLBackend` (a Label Studio ML backend server over HTTP).
"""

from __future__ import annotations

import inspect
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any

#: the webhook events Label Studio sends that may start training
TRAIN_EVENTS = ("ANNOTATION_CREATED", "ANNOTATION_UPDATED", "ANNOTATION_DELETED", "START_TRAINING")


class BackendError(RuntimeError):
    """A backend could not be reached, answered an error, or answered something that is not predictions."""


class MLBackend(ABC):
    """A model that predicts labels for tasks and may learn from annotations.

    Subclass it and write :meth:`predict`; :meth:`fit` and :meth:`setup` are optional. ``model_version``
    names the model that made the predictions (stored with each one that does not name its own), and
    ``name`` is how errors name the backend. ``in_kernel`` backends run in the kernel and get the labelled
    tasks with a ``START_TRAINING`` event (see :meth:`labelnb.Project.train`); remote ones get only what
    Label Studio sends.
    """

    model_version: str = "undefined"
    name: str = "backend"
    in_kernel: bool = True

    @abstractmethod
    def predict(self, tasks: list[dict[str, Any]], context: dict[str, Any] | None = None) -> list[Any]:
        """Predictions for ``tasks`` (Label Studio task dicts with ``id`` and ``data``): one entry per
        task, in order, each a prediction ``{"result": [...], "score"?: float, "model_version"?: str}``, a
        list of them, or None. ``context`` is Label Studio's interactive context (``{"result": [...]}``
        of regions a user drew with smart tools), or None."""

    def fit(self, event: str, data: dict[str, Any]) -> dict[str, Any] | None:
        """Learn from a Label Studio webhook event (``ANNOTATION_CREATED``, ``ANNOTATION_UPDATED``,
        ``START_TRAINING``, ...; ``data`` is its payload). Returns what training produced, or None when the
        event is ignored. The default ignores every event."""
        return None

    def setup(self, label_config: str, project: str = "") -> str:
        """Get ready for a project: its labeling config (XML) and its id in Label Studio's
        ``"<id>.<timestamp>"`` form. Returns the model version. The default keeps ``model_version``."""
        return self.model_version


def _takes_context(fn: Callable[..., Any]) -> bool:
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return False
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return len(positional) >= 2 or any(p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in params)


class CallableBackend(MLBackend):
    """A function in the kernel as a backend.

    ``predict_fn(tasks)`` (or ``predict_fn(tasks, context)``) returns one entry per task, as
    :meth:`MLBackend.predict`. ``fit_fn(event, data)``, when given, is called for webhook events.
    """

    def __init__(
        self,
        predict_fn: Callable[..., list[Any]],
        *,
        fit_fn: Callable[[str, dict[str, Any]], dict[str, Any] | None] | None = None,
        model_version: str | None = None,
        name: str | None = None,
    ) -> None:
        if not callable(predict_fn):
            raise TypeError(f"predict_fn must be a function, not {type(predict_fn).__name__}")
        self.predict_fn = predict_fn
        self.fit_fn = fit_fn
        label = getattr(predict_fn, "__qualname__", None) or type(predict_fn).__name__
        self.name = name or label
        self.model_version = model_version or label
        self._context = _takes_context(predict_fn)

    def predict(self, tasks: list[dict[str, Any]], context: dict[str, Any] | None = None) -> list[Any]:
        if self._context:
            return self.predict_fn(tasks, context)
        return self.predict_fn(tasks)

    def fit(self, event: str, data: dict[str, Any]) -> dict[str, Any] | None:
        return None if self.fit_fn is None else self.fit_fn(event, data)

    def __repr__(self) -> str:
        return f"CallableBackend({self.name}, model_version={self.model_version!r})"


def as_backend(backend: MLBackend | Callable[..., list[Any]]) -> MLBackend:
    """``backend`` itself, or a function wrapped as a :class:`CallableBackend`."""
    if isinstance(backend, MLBackend):
        return backend
    if callable(backend):
        return CallableBackend(backend)
    raise TypeError(
        f"a backend must be an MLBackend (CallableBackend, EstimatorBackend, LabelStudioMLBackend) or a "
        f"function, not {type(backend).__name__}"
    )
