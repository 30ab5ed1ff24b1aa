"""A scikit-learn classifier as a backend: Choices predictions with the top class and its probability.

Features come from the task data: a field holding a vector, a text field for a pipeline that vectorises
text itself (``make_pipeline(TfidfVectorizer(), LogisticRegression())``), a field passed through an
embedding function (``embed=model.encode``), or any function of the tasks' data. Labels for training are
the newest non-cancelled annotation's choice for the control (see :func:`training_labels`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from labelnb.config import LabelConfig

from .backends import TRAIN_EVENTS, BackendError, MLBackend

#: ``features``: a data field's name, or a function from the tasks' data dicts to a feature matrix
Features = str | Callable[[list[dict[str, Any]]], Any]


def newest_answer(task: Mapping[str, Any]) -> Mapping[str, Any] | None:
    """A task's newest annotation that is not a skip (by ``updated_at``, then id), or None."""
    best: Mapping[str, Any] | None = None
    best_key: tuple[str, int] = ("", -1)
    for annotation in task.get("annotations") or []:
        if not isinstance(annotation, Mapping) or annotation.get("was_cancelled"):
            continue
        stamp = annotation.get("updated_at") or annotation.get("created_at") or ""
        ident = annotation.get("id")
        key = (str(stamp), ident if isinstance(ident, int) else -1)
        if best is None or key >= best_key:
            best, best_key = annotation, key
    return best


def choice_of(result: Iterable[Any], control: str) -> str | None:
    """The first choice picked for ``control`` in a result, or None."""
    for item in result:
        if isinstance(item, Mapping) and item.get("from_name") == control:
            value = item.get("value")
            choices = value.get("choices") if isinstance(value, Mapping) else None
            if isinstance(choices, list) and choices:
                first = choices[0]
                # a Taxonomy-like path ["Animals", "Cat"] counts as its leaf
                return str(first[-1] if isinstance(first, list) and first else first)
    return None


def training_labels(tasks: Iterable[Mapping[str, Any]], control: str) -> list[tuple[Mapping[str, Any], str]]:
    """``(task, label)`` for each task whose newest non-cancelled annotation picks a choice for
    ``control`` (the first choice, for a multiple-choice control). Other tasks are left out."""
    labelled: list[tuple[Mapping[str, Any], str]] = []
    for task in tasks:
        answer = newest_answer(task)
        label = None if answer is None else choice_of(answer.get("result") or [], control)
        if label is not None:
            labelled.append((task, label))
    return labelled


class EstimatorBackend(MLBackend):
    """A scikit-learn classifier predicting one ``Choices`` control.

    Args:
        estimator: a classifier (``fit``, ``predict``; ``predict_proba`` for scores). A fitted one
            predicts at once; :meth:`train` (or ``fit("START_TRAINING", {"tasks": [...]})``) fits it.
        features: the data field holding each task's features (a vector of numbers, or text when the
            estimator is a pipeline that vectorises text), or a function from the tasks' data dicts to a
            feature matrix (one row per task).
        control: the Choices control to predict (``from_name``); by default the config's first Choices
            (known after :meth:`setup`, which :meth:`labelnb.Project.predict` calls).
        to_name: the object the control labels; by default the control's first ``toName``.
        embed: a function from the field's values to vectors (a sentence embedder's ``encode``).
        model_version: the name of the predictions' model; each training adds ``-<n>`` to it.
    """

    def __init__(
        self,
        estimator: Any,
        features: Features,
        control: str | None = None,
        to_name: str | None = None,
        *,
        embed: Callable[[list[Any]], Any] | None = None,
        model_version: str | None = None,
        name: str | None = None,
    ) -> None:
        if not (hasattr(estimator, "fit") and hasattr(estimator, "predict")):
            raise TypeError(f"{type(estimator).__name__} is not an estimator: it needs fit and predict")
        if not (isinstance(features, str) or callable(features)):
            raise TypeError("features must be a data field's name or a function of the tasks' data")
        self.estimator = estimator
        self.features = features
        self.control = control
        self.to_name = to_name
        self.embed = embed
        self.name = name or type(estimator).__name__
        self._base_version = model_version or self.name
        self.model_version = self._base_version
        self.trainings = 0

    # -- the MLBackend interface --------------------------------------------------------------------

    def setup(self, label_config: str, project: str = "") -> str:
        """Take the control (the first Choices unless given) and its object from the config."""
        config = LabelConfig.from_xml(label_config)
        if self.control is None:
            found = next((c for c in config.controls.values() if c.type == "choices"), None)
            if found is None:
                raise BackendError(f"{self.name}: the config has no Choices control to predict")
            self.control = found.name
        control = config.controls.get(self.control)
        if control is None or control.type != "choices":
            names = ", ".join(c.name for c in config.controls.values() if c.type == "choices") or "none"
            raise BackendError(
                f"{self.name}: {self.control!r} is not a Choices control of the config (Choices: {names})"
            )
        if self.to_name is None:
            self.to_name = control.to_name[0]
        return self.model_version

    def predict(self, tasks: list[dict[str, Any]], context: dict[str, Any] | None = None) -> list[Any]:
        """One Choices prediction per task: the top class, its probability as ``score``."""
        if not tasks:
            return []
        control, to_name = self._target()
        X = self.feature_matrix(tasks)
        self._check_fitted()
        picks: list[tuple[str, float | None]]
        if hasattr(self.estimator, "predict_proba"):
            probabilities = self._probabilities(X, len(tasks))
            classes = self.classes
            top = probabilities.argmax(axis=1)
            picks = [(classes[int(i)], float(probabilities[row, int(i)])) for row, i in enumerate(top)]
        else:
            picks = [(str(label), None) for label in self.estimator.predict(X)]
        return [
            {
                "result": [
                    {
                        "from_name": control,
                        "to_name": to_name,
                        "type": "choices",
                        "value": {"choices": [label]},
                    }
                ],
                "score": score,
                "model_version": self.model_version,
            }
            for label, score in picks
        ]

    def fit(self, event: str, data: dict[str, Any]) -> dict[str, Any] | None:
        """Retrain on ``data["tasks"]`` (labelled tasks, as :meth:`labelnb.Project.train` sends with
        ``START_TRAINING``). Events without tasks, such as one new annotation, are ignored: a
        classifier is retrained on all labels, not one."""
        tasks = data.get("tasks")
        if event not in TRAIN_EVENTS or not isinstance(tasks, list):
            return None
        return self.train(tasks)

    # -- for learners and queues --------------------------------------------------------------------

    def train(self, tasks: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
        """Fit the estimator on the labelled ones of ``tasks`` (see :func:`training_labels`).

        Returns ``{"model_version", "labels", "classes"}``; the model version becomes ``<name>-<n>``
        for the n-th training.

        Raises:
            BackendError: fewer than two classes are labelled yet.
        """
        control, _ = self._target()
        labelled = training_labels(tasks, control)
        classes = sorted({label for _, label in labelled})
        if len(classes) < 2:
            raise BackendError(
                f"{self.name}: training needs labels of at least two classes of {control!r}; "
                f"{len(labelled)} labelled tasks have {classes or 'none'}"
            )
        X = self.feature_matrix([task for task, _ in labelled])
        self.estimator.fit(X, [label for _, label in labelled])
        self.trainings += 1
        self.model_version = f"{self._base_version}-{self.trainings}"
        return {"model_version": self.model_version, "labels": len(labelled), "classes": classes}

    @property
    def classes(self) -> list[str]:
        """The classes the fitted estimator knows, in the column order of :meth:`predict_proba`."""
        self._check_fitted()
        return [str(c) for c in self.estimator.classes_]

    def predict_proba(self, tasks: Sequence[Mapping[str, Any]]) -> npt.NDArray[np.float64]:
        """Class probabilities, one row per task, columns in the order of :attr:`classes` (for
        uncertainty sampling: least confidence, margin, entropy)."""
        if not hasattr(self.estimator, "predict_proba"):
            raise BackendError(f"{self.name}: {type(self.estimator).__name__} has no predict_proba")
        X = self.feature_matrix(tasks)
        self._check_fitted()
        return self._probabilities(X, len(tasks))

    def feature_matrix(self, tasks: Sequence[Mapping[str, Any]]) -> Any:
        """The estimator's input for ``tasks``: a float matrix, or the texts for a text pipeline."""
        datas = [_data_of(task) for task in tasks]
        if callable(self.features):
            X = self.features(datas)
        else:
            values = []
            for task, data in zip(tasks, datas, strict=True):
                if self.features not in data:
                    raise BackendError(
                        f"{self.name}: task {task.get('id')} has no data field {self.features!r}"
                    )
                values.append(data[self.features])
            if self.embed is not None:
                X = self.embed(values)
            elif all(isinstance(v, str) for v in values):
                return values  # text, for a pipeline that vectorises it
            else:
                X = values
        return self._numeric(X, tasks)

    # -- helpers ------------------------------------------------------------------------------------

    def _target(self) -> tuple[str, str]:
        if self.control is None or self.to_name is None:
            raise BackendError(
                f"{self.name}: which control to predict is not known; give control= and to_name=, or "
                "call setup(label_config) first (project.predict does)"
            )
        return self.control, self.to_name

    def _check_fitted(self) -> None:
        if not hasattr(self.estimator, "classes_"):
            raise BackendError(
                f"{self.name}: the estimator is not trained yet; call train(tasks) or project.train(backend)"
            )

    def _numeric(self, X: Any, tasks: Sequence[Mapping[str, Any]]) -> npt.NDArray[np.float64]:
        try:
            matrix = np.asarray(X, dtype=float)
        except (TypeError, ValueError) as exc:
            raise BackendError(f"{self.name}: the features are not numbers ({exc})") from exc
        if matrix.ndim == 1:
            matrix = matrix.reshape(len(tasks), -1) if len(tasks) else matrix.reshape(0, 0)
        if matrix.ndim != 2 or matrix.shape[0] != len(tasks):
            raise BackendError(
                f"{self.name}: the features must be one row per task ({len(tasks)} rows), "
                f"not an array of shape {matrix.shape}"
            )
        bad = ~np.isfinite(matrix).all(axis=1)
        if bad.any():
            task = tasks[int(np.argmax(bad))]
            raise BackendError(f"{self.name}: task {task.get('id')}'s features hold NaN or infinity")
        return matrix

    def _probabilities(self, X: Any, count: int) -> npt.NDArray[np.float64]:
        probabilities = np.asarray(self.estimator.predict_proba(X), dtype=float)
        if probabilities.shape != (count, len(self.estimator.classes_)):
            raise BackendError(
                f"{self.name}: predict_proba answered shape {probabilities.shape}, "
                f"not ({count}, {len(self.estimator.classes_)})"
            )
        if not np.isfinite(probabilities).all():
            raise BackendError(f"{self.name}: predict_proba answered NaN or infinity")
        return probabilities

    def __repr__(self) -> str:
        trained = "trained" if hasattr(self.estimator, "classes_") else "not trained"
        return f"EstimatorBackend({self.name}, control={self.control!r}, {trained}, {self.model_version!r})"


def _data_of(task: Mapping[str, Any]) -> dict[str, Any]:
    data = task.get("data")
    if not isinstance(data, Mapping):
        raise BackendError(f"task {task.get('id')} has no data")
    return dict(data)
