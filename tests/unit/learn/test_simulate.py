"""The learner orders the queue by its strategy, and simulated annotators label through it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

import labelnb as lnb
from labelnb.learn.loop import run_inline
from tests.unit.learn.test_loop import CONFIG, _points


def _project(tmp_path: Path, name: str, n: int = 120) -> tuple[lnb.Project, dict[int, str]]:
    project = lnb.Project.create(tmp_path / name, CONFIG)
    x, y = _points(n)
    project.import_tasks([{"text": f"n{i}", "x": x[i].tolist()} for i in range(n)])
    return project, {i + 1: str(y[i]) for i in range(n)}


def test_the_queue_follows_the_newest_model_least_confident_first(tmp_path: Path) -> None:
    project, truth = _project(tmp_path, "p")
    learner = project.learn(LogisticRegression(), features="x", strategy="least_confidence",
                            retrain_every=1000, start_job=run_inline)  # fmt: skip
    for task_id in range(1, 21):
        project.submit(task_id, [{"from_name": "c", "to_name": "t", "type": "choices",
                                  "value": {"choices": [truth[task_id]]}}], user="u")  # fmt: skip
    learner.retrain()
    scores = {
        t["id"]: t["predictions"][-1]["score"]
        for t in (project.store.get_task(i) for i in range(21, 121))
        if t is not None and t["predictions"]
    }
    leased = project.next_task("ann")
    assert leased is not None
    assert leased["id"] == min(scores, key=lambda i: scores[i])  # the model's least sure task
    # a session (the widget's) labels from the same queue
    session = project.session("ben")
    task = session.next()
    assert task is not None
    assert scores[task["id"]] == sorted(scores.values())[1]  # the next least sure: ann holds the first


def test_before_any_model_the_order_is_a_shuffle_of_the_seed(tmp_path: Path) -> None:
    orders = []
    for n, seed in enumerate((1, 1, 2)):
        project, _ = _project(tmp_path, f"s{n}", n=40)
        project.learn(LogisticRegression(), features="x", seed=seed, retrain_every=1000, start_job=run_inline)
        orders.append([project.next_task(f"u{k}")["id"] for k in range(5)])  # type: ignore[index]
    assert orders[0] == orders[1]
    assert orders[0] != orders[2]
    assert orders[0] != [1, 2, 3, 4, 5]


def test_simulate_labels_through_the_loop_and_returns_the_curve(tmp_path: Path) -> None:
    x_test, y_test = _points(300, seed=5)
    curves = []
    for n, strategy in enumerate(("random", "margin", "margin")):
        project, truth = _project(tmp_path, f"sim{n}")
        curves.append(lnb.simulate(project, truth, estimator=LogisticRegression(), features="x",
                                   strategy=strategy, budget=40, retrain_every=10,
                                   holdout=(x_test, y_test), seed=3))  # fmt: skip
        assert project.stats()["by_user"] == {"simulated": 40}
    margin = curves[1]
    assert list(margin["labels"]) == [10, 20, 30, 40]
    assert set(margin["strategy"]) == {"margin"}
    assert (margin["seed"] == 3).all()
    assert margin["accuracy"].iloc[-1] > 0.8
    # the same strategy and seed give the same run
    assert np.allclose(curves[1]["accuracy"], curves[2]["accuracy"])


def test_simulate_needs_a_model_and_answers(tmp_path: Path) -> None:
    project, truth = _project(tmp_path, "bad", n=10)
    with pytest.raises(ValueError, match="needs a model in the loop"):
        lnb.simulate(project, truth)
    with pytest.raises(KeyError, match="no answer for task"):
        lnb.simulate(project, {}, estimator=LogisticRegression(), features="x", budget=3)
