"""Task-order strategies: which unlabelled task comes first.

A strategy gives every candidate task a score (higher comes sooner; NaN comes after every scored task) and
a fingerprint (when it changes, a stored ranking is out of date and is built again). The queue stores the
order (:mod:`labelnb.queue.ranking`); ``next_task`` walks it. Strategies only compute numbers: they never
read or write the store themselves, so they test on hand-made arrays.

Built in:

* :class:`Sequential` — by task id (Label Studio's "Sequential sampling").
* :class:`Random` — a seeded shuffle ("Uniform sampling"), the same for the same seed and task.
* :class:`Uncertainty` — least confidence, margin or entropy ("Uncertainty sampling"), from a model's class
  probabilities when given, else from the score of each task's prediction.
* :class:`Diversity` — k-center greedy (farthest first) over embeddings, away from what is labelled.
* :class:`Custom` — your function of the :class:`RankContext`.

:func:`resolve_strategy` turns a name (``"uncertainty"``, ``"margin"``, ...), a strategy or a plain function
into a strategy.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    import pandas as pd

FloatArray = npt.NDArray[np.float64]
IdArray = npt.NDArray[np.int64]
UncertaintyMethod = Literal["least_confidence", "margin", "entropy"]
UNCERTAINTY_METHODS: tuple[UncertaintyMethod, ...] = ("least_confidence", "margin", "entropy")


class PredictionSource(Protocol):
    """Where a context reads stored predictions from (the store, in :mod:`labelnb.queue.ranking`)."""

    def current_model_version(self) -> str | None:
        """The model version rankings use by default, or None when there are no predictions."""
        ...

    def state(self, model_version: str | None) -> str:
        """A short text that changes whenever the scores of ``model_version`` (None: the default) may have."""
        ...

    def scores(self, task_ids: IdArray, model_version: str) -> FloatArray:
        """Per task, the score of its newest prediction of ``model_version``; NaN when it has none."""
        ...


class RankContext:
    """What a strategy ranks: the candidate tasks and whatever the model in the loop supplies.

    ``task_ids`` are the unlabelled candidate tasks, ascending. ``probabilities`` (n x k class
    probabilities), ``embeddings`` (n x d) have one row per task of ``task_ids``; ``labeled_embeddings``
    (m x d) are those of tasks already labelled. ``seed`` seeds anything random. Stored predictions are
    read on demand (:meth:`prediction_scores`), and so are the candidate ids when ``task_ids`` is given
    as a function: a stored ranking that is still current is found without loading either.
    """

    def __init__(
        self,
        task_ids: npt.ArrayLike | Callable[[], npt.ArrayLike],
        *,
        probabilities: npt.ArrayLike | None = None,
        embeddings: npt.ArrayLike | None = None,
        labeled_embeddings: npt.ArrayLike | None = None,
        seed: int = 0,
        predictions: PredictionSource | None = None,
        frame: Callable[[IdArray], pd.DataFrame] | None = None,
    ) -> None:
        self._ids_source = task_ids
        self._ids: IdArray | None = None
        self.probabilities = None if probabilities is None else np.asarray(probabilities, dtype=np.float64)
        self.embeddings = None if embeddings is None else np.asarray(embeddings, dtype=np.float64)
        self.labeled_embeddings = (
            None if labeled_embeddings is None else np.asarray(labeled_embeddings, dtype=np.float64)
        )
        self.seed = seed
        self._predictions = predictions
        self._frame = frame
        self._scores: dict[str, FloatArray] = {}

    @property
    def task_ids(self) -> IdArray:
        """The candidate task ids, ascending (loaded on first use)."""
        if self._ids is None:
            source = self._ids_source
            raw = source() if callable(source) else source
            self._ids = np.asarray(raw, dtype=np.int64).reshape(-1)
        return self._ids

    def __len__(self) -> int:
        return len(self.task_ids)

    def model_version(self, model_version: str | None = None) -> str | None:
        """``model_version``, or by default the current one (the project's ``model_version`` setting, else
        the version of the newest stored prediction); None without predictions."""
        if model_version is not None:
            return model_version
        return None if self._predictions is None else self._predictions.current_model_version()

    def prediction_state(self, model_version: str | None = None) -> str:
        """Changes whenever :meth:`prediction_scores` of ``model_version`` may give other numbers."""
        return "none" if self._predictions is None else self._predictions.state(model_version)

    def prediction_scores(self, model_version: str | None = None) -> FloatArray:
        """Per candidate task, the score of its newest prediction of ``model_version`` (default: see
        :meth:`model_version`); NaN for a task without one, or without a score."""
        version = self.model_version(model_version)
        if version is None or self._predictions is None:
            return np.full(len(self.task_ids), np.nan)
        if version not in self._scores:
            found = np.asarray(self._predictions.scores(self.task_ids, version), dtype=np.float64)
            self._scores[version] = found
        return self._scores[version]

    def frame(self) -> pd.DataFrame:
        """The candidate tasks as a DataFrame with columns ``id`` and ``data`` (the task's data dict), in
        the order of :attr:`task_ids`. It reads every candidate's data: slow on millions of tasks."""
        if self._frame is None:
            import pandas as pd

            return pd.DataFrame({"id": self.task_ids, "data": [{} for _ in self.task_ids]})
        return self._frame(self.task_ids)


@runtime_checkable
class Strategy(Protocol):
    """The one interface every strategy has.

    ``name`` names what the strategy is (its kind and parameters, not the state it ranks from): stored
    rankings are looked up by it, so a new model version re-ranks the same queue and open sessions see
    the new order. ``fingerprint`` adds that state (the model version it ranks by, say). ``scores`` gives
    one float per ``context.task_ids``: higher comes sooner, NaN after every scored task, ties by id.
    """

    name: str

    def fingerprint(self, context: RankContext) -> str: ...

    def scores(self, context: RankContext) -> FloatArray: ...


class Sequential:
    """Every task by id, as Label Studio's "Sequential sampling"."""

    name = "sequential"

    def fingerprint(self, context: RankContext) -> str:
        return self.name

    def scores(self, context: RankContext) -> FloatArray:
        return np.zeros(len(context.task_ids))  # all equal: ties go by id

    def __repr__(self) -> str:
        return "Sequential()"


_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def _mix(values: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """SplitMix64's finaliser: a well-spread 64-bit hash of each value (wrapping arithmetic)."""
    with np.errstate(over="ignore"):
        z = values * np.uint64(1)
        z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return z ^ (z >> np.uint64(31))


def seeded_uniform(task_ids: IdArray, seed: int) -> FloatArray:
    """A number in [0, 1) for each task, fixed by the task id and the seed.

    A task keeps its number when other tasks come or go, so a shuffle rebuilt after an import keeps the
    order of the tasks it already had.
    """
    with np.errstate(over="ignore"):
        salt = _mix(np.array([seed], dtype=np.int64).astype(np.uint64))[0]
        keys = task_ids.astype(np.int64).astype(np.uint64) * _GOLDEN + salt
    return (_mix(keys) >> np.uint64(11)).astype(np.float64) * (1.0 / (1 << 53))


class Random:
    """A seeded shuffle ("Uniform sampling"): the same order for the same seed, another for another seed.

    ``seed=None`` takes the ranking's seed (``rank(..., seed=...)``, default 0).
    """

    def __init__(self, seed: int | None = None) -> None:
        if seed is not None and (not isinstance(seed, (int, np.integer)) or isinstance(seed, bool)):
            raise TypeError(f"Random(seed=...) takes a whole number, not {seed!r}")
        self.seed = None if seed is None else int(seed)
        self.name = "random" if seed is None else f"random(seed={self.seed})"

    def fingerprint(self, context: RankContext) -> str:
        return f"{self.name}:{self._seed(context)}"

    def _seed(self, context: RankContext) -> int:
        return context.seed if self.seed is None else self.seed

    def scores(self, context: RankContext) -> FloatArray:
        return seeded_uniform(context.task_ids, self._seed(context))

    def __repr__(self) -> str:
        return f"Random(seed={self.seed})"


def uncertainty_from_probabilities(probabilities: FloatArray, method: UncertaintyMethod) -> FloatArray:
    """How unsure a model is about each row of class probabilities (n x k); higher = more unsure.

    least_confidence: 1 - the top probability. margin: 1 - (top - second). entropy: -Σ p·ln p of the row
    scaled to sum 1. A row that is all NaN (no prediction) gives NaN.
    """
    p = np.asarray(probabilities, dtype=np.float64)
    if p.ndim != 2 or p.shape[1] < 1:
        raise ValueError(f"probabilities must be a 2-D array (tasks x classes), not of shape {p.shape}")
    missing = np.isnan(p).all(axis=1)
    p = np.where(np.isnan(p), 0.0, p)
    if method == "least_confidence":
        out = 1.0 - p.max(axis=1)
    elif method == "margin":
        if p.shape[1] == 1:
            p = np.concatenate([p, 1.0 - p], axis=1)  # one column: the probability of the positive class
        top_two = -np.partition(-p, 1, axis=1)[:, :2]
        out = 1.0 - (top_two[:, 0] - top_two[:, 1])
    elif method == "entropy":
        if p.shape[1] == 1:
            p = np.concatenate([p, 1.0 - p], axis=1)
        total = p.sum(axis=1, keepdims=True)
        q = np.divide(p, total, out=np.zeros_like(p), where=total > 0)
        with np.errstate(divide="ignore", invalid="ignore"):
            terms = np.where(q > 0, q * np.log(q), 0.0)
        out = -terms.sum(axis=1)
    else:
        raise ValueError(f"unknown uncertainty method {method!r}; choose one of {UNCERTAINTY_METHODS}")
    result: FloatArray = np.asarray(out, dtype=np.float64)
    result[missing] = np.nan
    return result


def uncertainty_from_scores(scores: FloatArray, method: UncertaintyMethod) -> FloatArray:
    """How unsure a model is from one confidence ``s`` per task (a prediction's ``score``); NaN stays NaN.

    least_confidence: 1 - s (so the lowest score comes first, as Label Studio orders by score ascending;
    any number works). margin and entropy treat the prediction as two classes with (s, 1 - s), s clipped
    to [0, 1]: margin 1 - |2s - 1|, entropy the binary entropy of s. For s ≥ 0.5 all three give the same
    order; they differ only for scores below one half.
    """
    s = np.asarray(scores, dtype=np.float64)
    if method == "least_confidence":
        return 1.0 - s
    clipped = np.clip(s, 0.0, 1.0)
    return uncertainty_from_probabilities(np.stack([clipped, 1.0 - clipped], axis=1), method)


class Uncertainty:
    """Uncertainty sampling: the tasks the model is least sure of first.

    From ``context.probabilities`` when the model in the loop gives them, else from the score of each
    task's newest prediction of ``model_version`` (default: the project's current model version, else the
    newest prediction's): see :func:`uncertainty_from_scores`. Tasks without a prediction come after all
    that have one, by id; when no candidate has a prediction at all, the order is a seeded shuffle (the
    context's seed), as Label Studio falls back to uniform sampling.
    """

    def __init__(
        self, method: UncertaintyMethod = "least_confidence", model_version: str | None = None
    ) -> None:
        if method not in UNCERTAINTY_METHODS:
            raise ValueError(f"unknown uncertainty method {method!r}; choose one of {UNCERTAINTY_METHODS}")
        if model_version is not None and not isinstance(model_version, str):
            raise TypeError(f"model_version must be a string, not {model_version!r}")
        self.method: UncertaintyMethod = method
        self.model_version = model_version
        base = "uncertainty" if method == "least_confidence" else method
        self.name = base if model_version is None else f"{base}@{model_version}"

    def fingerprint(self, context: RankContext) -> str:
        if context.probabilities is not None:
            return f"{self.name}:probabilities"  # the ranking fingerprints the arrays themselves
        return f"{self.name}:{context.prediction_state(self.model_version)}"

    def scores(self, context: RankContext) -> FloatArray:
        if context.probabilities is not None:
            return uncertainty_from_probabilities(context.probabilities, self.method)
        found = uncertainty_from_scores(context.prediction_scores(self.model_version), self.method)
        if len(found) and np.isnan(found).all():
            return seeded_uniform(context.task_ids, context.seed)
        return found

    def __repr__(self) -> str:
        return f"Uncertainty(method={self.method!r}, model_version={self.model_version!r})"


def _squared_distances(points: FloatArray, centers: FloatArray, block: int = 1 << 22) -> FloatArray:
    """For each point, the squared Euclidean distance to its nearest center, in blocks of memory."""
    nearest = np.full(len(points), np.inf)
    if len(centers) == 0:
        return nearest
    point_norms = np.einsum("ij,ij->i", points, points)
    center_norms = np.einsum("ij,ij->i", centers, centers)
    rows = max(1, block // max(1, len(centers)))
    cols = max(1, block // max(1, min(rows, len(points))))
    for start in range(0, len(points), rows):
        chunk = points[start : start + rows]
        for c_start in range(0, len(centers), cols):
            part = centers[c_start : c_start + cols]
            d = point_norms[start : start + rows, None] + center_norms[None, c_start : c_start + cols]
            d -= 2.0 * chunk @ part.T
            np.minimum(nearest[start : start + rows], d.min(axis=1), out=nearest[start : start + rows])
    result: FloatArray = np.maximum(nearest, 0.0)
    return result


class Diversity:
    """Diversity sampling by k-center greedy (farthest first) over ``context.embeddings``.

    It starts from the labelled tasks (``context.labeled_embeddings``; without any, from the candidates'
    centroid) and repeatedly takes the candidate farthest from everything taken so far, ``budget`` times;
    the rest follow by their distance to the nearest labelled or taken task, farthest first. Euclidean
    distance: normalise the embeddings first for cosine. Cost: about ``(budget + m) · n · d``.
    """

    def __init__(self, budget: int = 100) -> None:
        if not isinstance(budget, int) or isinstance(budget, bool) or budget < 0:
            raise ValueError(f"Diversity(budget=...) takes a whole number ≥ 0, not {budget!r}")
        self.budget = budget
        self.name = "diversity" if budget == 100 else f"diversity(budget={budget})"

    def fingerprint(self, context: RankContext) -> str:
        return self.name  # the ranking fingerprints the embeddings themselves

    def scores(self, context: RankContext) -> FloatArray:
        points = context.embeddings
        if points is None:
            raise ValueError("the diversity strategy needs embeddings= (one row per task)")
        labeled = context.labeled_embeddings
        if labeled is None or len(labeled) == 0:
            start = points.mean(axis=0, keepdims=True) if len(points) else np.zeros((0, points.shape[1]))
        else:
            start = labeled
        nearest = _squared_distances(points, start)
        picks = min(self.budget, len(points))
        taken = np.zeros(len(points), dtype=bool)
        order = np.empty(picks, dtype=np.int64)
        norms = np.einsum("ij,ij->i", points, points)
        for k in range(picks):
            pick = int(np.argmax(np.where(taken, -1.0, nearest)))  # ties: the lowest index, the lowest id
            order[k] = pick
            taken[pick] = True
            d = norms + norms[pick] - 2.0 * (points @ points[pick])
            np.minimum(nearest, np.maximum(d, 0.0), out=nearest)
        out = np.sqrt(nearest)
        top = (out[~taken].max() if (~taken).any() else 0.0) + 1.0
        out[order] = top + np.arange(picks, 0, -1, dtype=np.float64)  # the first pick highest
        return out

    def __repr__(self) -> str:
        return f"Diversity(budget={self.budget})"


class Custom:
    """Your ranking: ``fn(context) -> scores``, one float per ``context.task_ids`` (higher comes sooner,
    NaN after every scored task).

    ``context`` is a :class:`RankContext`: ``task_ids``, ``prediction_scores()``, ``probabilities``,
    ``embeddings``, ``frame()`` (the tasks' data as a DataFrame). ``fingerprint(context) -> str`` says when
    a stored ranking is out of date; by default it is when stored predictions change (a new model version
    or new predictions), so a function of anything else should give one.
    """

    def __init__(
        self,
        fn: Callable[[RankContext], npt.ArrayLike],
        name: str | None = None,
        fingerprint: Callable[[RankContext], str] | None = None,
    ) -> None:
        if not callable(fn):
            raise TypeError(f"Custom(fn) takes a function of the RankContext, not {fn!r}")
        label = name if name is not None else getattr(fn, "__qualname__", type(fn).__name__)
        if not isinstance(label, str) or not label:
            raise TypeError(f"Custom(name=...) must be a non-empty string, not {name!r}")
        self.fn = fn
        self.name = f"custom:{label}"
        self._fingerprint = fingerprint

    def fingerprint(self, context: RankContext) -> str:
        if self._fingerprint is not None:
            return f"{self.name}:{self._fingerprint(context)}"
        return f"{self.name}:{context.prediction_state()}"

    def scores(self, context: RankContext) -> FloatArray:
        given = self.fn(context)
        try:
            return np.asarray(given, dtype=np.float64)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"strategy {self.name!r} must give numbers, one per task: {exc}") from exc

    def __repr__(self) -> str:
        return f"Custom({self.name.removeprefix('custom:')!r})"


#: the strategies a name stands for
NAMED: dict[str, Callable[[], Strategy]] = {
    "sequential": Sequential,
    "random": Random,
    "uncertainty": Uncertainty,
    "least_confidence": Uncertainty,
    "margin": lambda: Uncertainty("margin"),
    "entropy": lambda: Uncertainty("entropy"),
    "diversity": Diversity,
}

StrategyLike = str | Strategy | Callable[[RankContext], Any]


def resolve_strategy(spec: StrategyLike) -> Strategy:
    """A strategy for a name (see :data:`NAMED`), a strategy object, or a plain ``fn(context)``."""
    if isinstance(spec, str):
        make = NAMED.get(spec.strip().lower())
        if make is None:
            raise ValueError(
                f"unknown strategy {spec!r}; choose one of {', '.join(NAMED)}, or pass a function"
            )
        return make()
    if isinstance(spec, Strategy):
        if not isinstance(spec.name, str) or not spec.name:
            raise TypeError(f"strategy {spec!r} needs a non-empty string name")
        return spec
    if callable(spec):
        return Custom(spec)
    raise TypeError(
        f"strategy must be a name ({', '.join(NAMED)}), a Strategy or a function of the RankContext, "
        f"not {type(spec).__name__}"
    )
