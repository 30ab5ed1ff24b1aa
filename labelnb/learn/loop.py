"""The model in the loop: retrain a scikit-learn classifier on the labels so far, store its predictions as
a new model version, score it on a held-out set (the learning curve), and re-rank the queue.

:func:`retrain` is one round, a plain function of a picklable :class:`LearnSpec`, so it runs as a background
job on any executor (threads, processes, Dask). :class:`Learner` is the kernel's side: it starts a round
every ``retrain_every`` new labels and holds what the notebook asks for (the queue, the curve).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from labelnb.learn.features import Features, choice_label, feature_matrix
from labelnb.queue.ranking import rank_queue
from labelnb.queue.strategies import Random, resolve_strategy
from labelnb.store import Store, model_runs

#: (done, total, message) reporter a round calls as it goes
Progress = Callable[[float, float | None, str | None], None]
#: ranks the queue: (store, task ids, class probabilities aligned with them) -> queue id
Rank = Callable[[Store, np.ndarray[Any, Any], np.ndarray[Any, Any]], int]


@dataclass
class LearnSpec:
    """Everything one round needs, picklable when the estimator and ``features`` are."""

    store_url: str = field(repr=False)
    estimator: Any
    features: Features
    control: str
    to_name: str
    name: str
    #: tasks kept out of training whose labels score each version (the learning curve)
    holdout_ids: tuple[int, ...] = ()
    #: or a held-out set given directly as (X, y)
    holdout_xy: tuple[Any, Any] | None = None
    #: how many of the newest versions keep their predictions in the store
    keep_versions: int = 2
    metric: str = "accuracy"
    #: how the queue is ordered by each new model (a name or object of labelnb.queue.strategies)
    strategy: Any = "least_confidence"
    #: the seed of the first order (before any model) and of seeded strategies
    seed: int = 0
    #: the stored queue sessions label from while this learner is in the loop
    queue: str = "learn"
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Labelled:
    """The project read for one round: every task's id and data, and its label (None: not labelled)."""

    ids: list[int]
    datas: list[Mapping[str, Any]]
    labels: list[str | None]


def read_labels(store: Store, control: str) -> Labelled:
    """Each task with the choice of its newest live annotation for ``control``."""
    ids: list[int] = []
    datas: list[Mapping[str, Any]] = []
    labels: list[str | None] = []
    for page in store.iter_newest_annotation_pages():
        ids.extend(page["id"])
        datas.extend(page["data"])
        labels.extend(choice_label(result, control) for result in page["result"])
    return Labelled(ids, datas, labels)


def _subset(items: Sequence[Any], rows: Sequence[int]) -> list[Any]:
    return [items[i] for i in rows]


def _rows_of(features: Any, rows: Sequence[int]) -> Any:
    return _subset(features, rows) if isinstance(features, list) else features[np.asarray(rows, dtype=int)]


def retrain(spec: LearnSpec, progress: Progress | None = None, rank: Rank | None = None) -> dict[str, Any]:
    """One round: fit, score on the held-out set, predict the unlabelled tasks, store, re-rank.

    Returns what happened (``model_version``, ``labels``, the metric), or ``{"skipped": reason}`` when the
    labels so far cannot train a classifier yet (fewer than two classes).
    """
    from sklearn.base import clone

    def report(done: float, message: str) -> None:
        if progress is not None:
            progress(done, 5, message)

    store = Store.open(spec.store_url)
    try:
        report(0, "reading labels")
        table = read_labels(store, spec.control)
        holdout = set(spec.holdout_ids)
        train = [
            i for i, (t, y) in enumerate(zip(table.ids, table.labels, strict=True)) if y and t not in holdout
        ]
        unlabelled = [i for i, y in enumerate(table.labels) if y is None and table.ids[i] not in holdout]
        classes = {table.labels[i] for i in train}
        if len(classes) < 2:
            return {"skipped": f"needs labels of two classes, has {len(classes)} ({len(train)} labels)"}
        report(1, "computing features")
        wanted = sorted({*train, *unlabelled})
        matrix = feature_matrix(spec.features, _subset(table.datas, wanted), _subset(table.ids, wanted))
        where = {row: n for n, row in enumerate(wanted)}
        x_train = _rows_of(matrix, [where[i] for i in train])
        y_train = [table.labels[i] for i in train]
        report(2, f"fitting on {len(train)} labels")
        model = clone(spec.estimator).fit(x_train, y_train)
        metrics = _score(model, spec, table)
        report(3, "predicting")
        task_ids = np.asarray(_subset(table.ids, unlabelled), dtype=np.int64)
        probabilities = (
            np.asarray(model.predict_proba(_rows_of(matrix, [where[i] for i in unlabelled])), dtype=float)
            if unlabelled
            else np.zeros((0, len(classes)))
        )
        number = model_runs.version_count(store.engine, store.project_id, spec.name) + 1
        version = f"{spec.name}-v{number}"
        best = probabilities.argmax(axis=1) if len(task_ids) else np.zeros(0, dtype=int)
        names = [str(c) for c in model.classes_]
        results = [
            [{"from_name": spec.control, "to_name": spec.to_name, "type": "choices",
              "value": {"choices": [names[b]]}}]
            for b in best
        ]  # fmt: skip
        scores = [float(p) for p in probabilities.max(axis=1)] if len(task_ids) else []
        report(4, f"storing {len(task_ids)} predictions of {version}")
        model_runs.write_predictions(
            store.engine, store.project_id, version, task_ids.tolist(), results, scores
        )
        model_runs.record_version(store, version, source=spec.name, labels=len(train), metrics=metrics)
        older = [v["model_version"] for v in model_runs.versions(store.engine, store.project_id, spec.name)]
        model_runs.drop_versions(
            store.engine, store.project_id, older[: max(0, len(older) - spec.keep_versions)]
        )
        if rank is not None:
            rank(store, task_ids, probabilities)
        elif len(task_ids):
            rank_by_model(store, spec, task_ids, probabilities, _embeddings(matrix, where, unlabelled, train))
        report(5, f"{version} ready")
        return {"model_version": version, "labels": len(train), **metrics}
    finally:
        store.close()


def _embeddings(
    matrix: Any, where: Mapping[int, int], unlabelled: Sequence[int], train: Sequence[int]
) -> Any:
    """(embeddings of the unlabelled tasks, of the training tasks) for diversity; None for text features."""
    if isinstance(matrix, list):
        return None
    return matrix[[where[i] for i in unlabelled]], matrix[[where[i] for i in train]]


def initial_rank(store: Store, spec: LearnSpec) -> int:
    """The learner's queue before any model: every unlabelled task in a shuffle seeded by ``spec.seed``."""
    return rank_queue(store, spec.queue, Random(spec.seed), seed=spec.seed)


def rank_by_model(
    store: Store,
    spec: LearnSpec,
    task_ids: np.ndarray[Any, Any],
    probabilities: np.ndarray[Any, Any],
    embeddings: tuple[Any, Any] | None,
) -> int:
    """Re-rank the learner's queue by its strategy on the new model's probabilities (and the features as
    embeddings, for diversity); the queue id."""
    strategy = resolve_strategy(spec.strategy)
    if isinstance(strategy, Random) and strategy.seed is None:
        strategy = Random(spec.seed)
    unlabelled, labelled = embeddings if embeddings is not None else (None, None)
    return rank_queue(
        store,
        spec.queue,
        strategy,
        task_ids=task_ids,
        probabilities=probabilities,
        embeddings=unlabelled,
        labeled_embeddings=labelled if labelled is not None and len(labelled) else None,
        seed=spec.seed,
    )


def _score(model: Any, spec: LearnSpec, table: Labelled) -> dict[str, Any]:
    """The new model's score on the held-out set: {metric: value, "holdout": size}; {} without one."""
    if spec.holdout_xy is not None:
        x_test, y_test = spec.holdout_xy
    elif spec.holdout_ids:
        position = {task_id: i for i, task_id in enumerate(table.ids)}
        rows = [position[t] for t in spec.holdout_ids if t in position and table.labels[position[t]]]
        if not rows:
            return {}
        x_test = feature_matrix(spec.features, _subset(table.datas, rows), _subset(table.ids, rows))
        y_test = [table.labels[i] for i in rows]
    else:
        return {}
    from sklearn.metrics import get_scorer

    return {spec.metric: float(get_scorer(spec.metric)(model, x_test, y_test)), "holdout": len(y_test)}


#: starts a round in the background: (kind, function, spec) -> a job handle (or the result, run inline)
StartJob = Callable[[str, Callable[..., Any], LearnSpec], Any]


class Learner:
    """A classifier in the loop of one project (made by ``Project.learn``).

    Every ``retrain_every`` new labels it starts :func:`retrain` as a job: the new version's predictions
    become the tasks' pre-annotations and the queue is re-ranked by ``strategy`` on its probabilities.
    :meth:`curve` is the learning curve, one row per version.
    """

    def __init__(self, store: Store, spec: LearnSpec, *, retrain_every: int, start_job: StartJob) -> None:
        if not isinstance(retrain_every, int) or isinstance(retrain_every, bool) or retrain_every < 1:
            raise ValueError(f"retrain_every must be a whole number of labels ≥ 1, not {retrain_every!r}")
        self.store = store
        self.spec = spec
        self.retrain_every = retrain_every
        self._start_job = start_job
        self._labels_at_last_round: int | None = None
        self.last_job: Any = None
        #: the stored queue labelling sessions take tasks from while this learner is in the loop
        self.queue_id = initial_rank(store, spec)

    def __repr__(self) -> str:
        versions = model_runs.versions(self.store.engine, self.store.project_id, self.spec.name)
        newest = versions[-1]["model_version"] if versions else "no model yet"
        return f"<labelnb.Learner {self.spec.name!r}: {newest}, retrains every {self.retrain_every} labels>"

    def _running(self) -> bool:
        status = getattr(self.last_job, "status", None)
        return status in ("queued", "running")

    def answered(self) -> Any:
        """Called after each answer: starts a round once ``retrain_every`` labels came in since the last one
        (never two at once). Returns the job when one started."""
        labelled = self.store.progress()[0]
        if self._labels_at_last_round is None:
            self._labels_at_last_round = 0
        if labelled - self._labels_at_last_round < self.retrain_every or self._running():
            return None
        return self.retrain()

    def retrain(self) -> Any:
        """Start a round now; the job (or, with an inline runner, its result)."""
        self._labels_at_last_round = self.store.progress()[0]
        self.last_job = self._start_job("retrain", retrain_job, self.spec)
        return self.last_job

    def curve(self) -> Any:
        """The learning curve: one row per model version (``model_version``, ``labels`` trained on, the
        held-out ``metric`` and ``holdout`` size, ``created_at``), oldest first, as a DataFrame."""
        import pandas as pd

        rows = [
            {
                "model_version": v["model_version"],
                "labels": v["labels"],
                **v["metrics"],
                "created_at": v["created_at"],
            }
            for v in model_runs.versions(self.store.engine, self.store.project_id, self.spec.name)
        ]
        columns = ["model_version", "labels", self.spec.metric, "holdout", "created_at"]
        return pd.DataFrame(rows, columns=list(dict.fromkeys([*columns, *(k for r in rows for k in r)])))

    def plot(self, ax: Any = None) -> Any:
        """Draw the learning curve with matplotlib (labels against the held-out metric); the Axes."""
        import matplotlib.pyplot as plt

        frame = self.curve()
        if ax is None:
            _, ax = plt.subplots(figsize=(6, 3.5))
        ax.plot(frame["labels"], frame[self.spec.metric], marker="o")
        ax.set_xlabel("labels")
        ax.set_ylabel(f"held-out {self.spec.metric}")
        ax.set_title(f"learning curve of {self.spec.name}")
        ax.grid(alpha=0.3)
        return ax


def run_inline(kind: str, function: Callable[..., Any], spec: LearnSpec) -> Any:
    """A :data:`StartJob` that runs the round now, in the caller's thread, and returns its outcome."""
    return function(None, spec)


def retrain_job(context: Any, spec: LearnSpec) -> dict[str, Any]:
    """:func:`retrain` as a job function: progress goes to the job's row."""
    return retrain(spec, progress=getattr(context, "progress", None))
