"""Each strategy's order on small hand-made data whose right answer is worked out by hand."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from labelnb.queue.ranking import ranked_order
from labelnb.queue.strategies import (
    Custom,
    Diversity,
    FloatArray,
    IdArray,
    Random,
    RankContext,
    Sequential,
    Strategy,
    Uncertainty,
    resolve_strategy,
    uncertainty_from_probabilities,
)


def order(strategy: Strategy, context: RankContext) -> list[int]:
    """The task ids in the order a ranking would store them."""
    ids = context.task_ids
    return ids[ranked_order(ids, strategy.scores(context))].tolist()


class FixedScores:
    """Stored predictions as a strategy sees them, from a dict: {version: {task id: score}}."""

    def __init__(self, by_version: dict[str, dict[int, float]], current: str | None) -> None:
        self.by_version = by_version
        self.current = current

    def current_model_version(self) -> str | None:
        return self.current

    def state(self, model_version: str | None) -> str:
        return f"{model_version or self.current}"

    def scores(self, task_ids: IdArray, model_version: str) -> FloatArray:
        known = self.by_version.get(model_version, {})
        return np.array([known.get(int(t), np.nan) for t in task_ids])


# Three tasks, three classes, chosen so that each measure puts a different task first:
#   task 10: [0.50, 0.50, 0.00]  1-top 0.50   1-(top-second) 1.00   entropy 0.693
#   task 20: [0.40, 0.30, 0.30]  1-top 0.60   1-(top-second) 0.90   entropy 1.089
#   task 30: [0.38, 0.37, 0.25]  1-top 0.62   1-(top-second) 0.99   entropy 1.082
THREE_CLASS = RankContext(
    [10, 20, 30], probabilities=[[0.50, 0.50, 0.00], [0.40, 0.30, 0.30], [0.38, 0.37, 0.25]]
)


def test_least_confidence_margin_and_entropy_differ_on_three_classes() -> None:
    assert order(Uncertainty("least_confidence"), THREE_CLASS) == [30, 20, 10]
    assert order(Uncertainty("margin"), THREE_CLASS) == [10, 30, 20]
    assert order(Uncertainty("entropy"), THREE_CLASS) == [20, 30, 10]
    entropy = Uncertainty("entropy").scores(THREE_CLASS)
    assert entropy == pytest.approx([np.log(2), 1.0889, 1.0822], abs=1e-4)


def test_a_row_of_nan_probabilities_is_a_task_without_prediction() -> None:
    context = RankContext([1, 2, 3], probabilities=[[0.9, 0.1], [np.nan, np.nan], [0.6, 0.4]])
    assert order(Uncertainty("margin"), context) == [3, 1, 2]
    assert np.isnan(uncertainty_from_probabilities(context.probabilities, "entropy")[1])  # type: ignore[arg-type]


def test_uncertainty_from_prediction_scores() -> None:
    """Least confidence is Label Studio's order (score ascending); margin and entropy read (s, 1 - s), so
    a score below one half is less sure than one just above it."""
    source = FixedScores({"v1": {1: 0.9, 2: 0.2, 3: 0.55}}, current="v1")
    context = RankContext([1, 2, 3, 4], predictions=source)
    assert order(Uncertainty(), context) == [2, 3, 1, 4]  # task 4 has no prediction: last
    assert order(Uncertainty("margin"), context) == [3, 2, 1, 4]
    assert order(Uncertainty("entropy"), context) == [3, 2, 1, 4]


def test_uncertainty_reads_the_model_version_asked_for_else_the_current_one() -> None:
    source = FixedScores({"v1": {1: 0.1, 2: 0.9}, "v2": {1: 0.9, 2: 0.1}}, current="v2")
    context = RankContext([1, 2], predictions=source)
    assert order(Uncertainty(), context) == [2, 1]
    assert order(Uncertainty(model_version="v1"), context) == [1, 2]
    assert Uncertainty(model_version="v1").fingerprint(context) != Uncertainty().fingerprint(context)
    assert Uncertainty(model_version="v1").name == "uncertainty@v1"


def test_without_any_prediction_uncertainty_is_a_seeded_shuffle() -> None:
    """As Label Studio falls back to uniform sampling when no task has a current prediction."""
    ids = list(range(1, 41))
    empty = FixedScores({}, current=None)
    first = order(Uncertainty(), RankContext(ids, predictions=empty, seed=1))
    assert sorted(first) == ids
    assert first != ids
    assert first == order(Random(), RankContext(ids, seed=1))
    assert first != order(Uncertainty(), RankContext(ids, predictions=empty, seed=2))


def test_sequential_is_by_id() -> None:
    assert order(Sequential(), RankContext([5, 7, 9, 11])) == [5, 7, 9, 11]


def test_random_repeats_per_seed_and_differs_between_seeds() -> None:
    ids = list(range(1, 101))
    once = order(Random(seed=3), RankContext(ids))
    assert once == order(Random(seed=3), RankContext(ids))
    assert once != order(Random(seed=4), RankContext(ids))
    assert sorted(once) == ids
    assert once != ids
    assert order(Random(), RankContext(ids, seed=3)) == once  # no seed of its own: the ranking's
    # a task's place depends on it and the seed only: other tasks leaving keep the rest in order
    fewer = order(Random(seed=3), RankContext([t for t in ids if t % 3]))
    assert fewer == [t for t in once if t % 3]
    assert Random(seed=3).name != Random(seed=4).name


def test_random_spreads_evenly() -> None:
    draws = Random(seed=0).scores(RankContext(np.arange(1, 100_001)))
    assert draws.min() >= 0
    assert draws.max() < 1
    counts, _ = np.histogram(draws, bins=10, range=(0, 1))
    assert counts.min() > 9_500
    assert counts.max() < 10_500


def test_k_center_greedy_takes_the_farthest_points_first() -> None:
    # labelled at the origin; candidates on the x axis at 1, 2, 10, 11 and 5
    points = [[1, 0], [2, 0], [10, 0], [11, 0], [5, 0]]
    context = RankContext([1, 2, 3, 4, 5], embeddings=points, labeled_embeddings=[[0, 0]])
    # 11 is farthest from 0; then 5 (5 from 0, 6 from 11); then 2 (2 from 0, 3 from 5); then 1 and 10, 1
    # from their nearest each: by id
    assert order(Diversity(), context) == [4, 5, 2, 1, 3]
    # after two picks the rest go by their distance to the nearest of {0, 11, 5}: 2 (2), then 1 and 10
    # (1 each, by id)
    assert order(Diversity(budget=2), context) == [4, 5, 2, 1, 3]
    assert order(Diversity(budget=0), context) == [4, 3, 5, 2, 1]  # plain distance to the labelled


def test_k_center_greedy_without_labels_starts_from_the_centroid() -> None:
    points = [[0, 0], [0.1, 0], [5, 5], [-4, 0]]
    context = RankContext([1, 2, 3, 4], embeddings=points)
    assert order(Diversity(), context)[:2] == [3, 4]


def test_diversity_needs_embeddings() -> None:
    with pytest.raises(ValueError, match="needs embeddings"):
        Diversity().scores(RankContext([1, 2]))


def test_a_custom_function_ranks() -> None:
    def longest_first(context: RankContext) -> Any:
        return [len(data["text"]) for data in context.frame()["data"]]

    texts = {1: "a", 2: "abc", 3: "ab"}
    import pandas as pd

    context = RankContext(
        [1, 2, 3], frame=lambda ids: pd.DataFrame({"id": ids, "data": [{"text": texts[int(i)]} for i in ids]})
    )
    strategy = resolve_strategy(longest_first)
    assert isinstance(strategy, Custom)
    assert strategy.name == "custom:test_a_custom_function_ranks.<locals>.longest_first"
    assert order(strategy, context) == [2, 3, 1]
    named = Custom(lambda c: c.task_ids, name="newest", fingerprint=lambda c: "fixed")
    assert order(named, context) == [3, 2, 1]
    assert named.fingerprint(context) == "custom:newest:fixed"


def test_names_resolve_to_strategies() -> None:
    assert isinstance(resolve_strategy("sequential"), Sequential)
    assert isinstance(resolve_strategy("random"), Random)
    for name, method in [("uncertainty", "least_confidence"), ("margin", "margin"), ("Entropy", "entropy")]:
        found = resolve_strategy(name)
        assert isinstance(found, Uncertainty)
        assert found.method == method
    assert isinstance(resolve_strategy("diversity"), Diversity)
    mine = Uncertainty("margin", model_version="v3")
    assert resolve_strategy(mine) is mine
    with pytest.raises(ValueError, match="unknown strategy 'confident'; choose one of sequential"):
        resolve_strategy("confident")
    with pytest.raises(TypeError, match="not int"):
        resolve_strategy(3)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown uncertainty method"):
        Uncertainty("smallest")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="whole number"):
        Random(seed=1.5)  # type: ignore[arg-type]


def test_the_candidate_ids_load_only_when_asked_for() -> None:
    calls: list[int] = []

    def load() -> list[int]:
        calls.append(1)
        return [3, 4]

    context = RankContext(load, predictions=FixedScores({"v1": {3: 0.5}}, current="v1"))
    assert Uncertainty().fingerprint(context) == "uncertainty:v1"
    assert calls == []
    assert order(Uncertainty(), context) == [3, 4]
    assert calls == [1]
