"""The model in the loop: features, one retraining round, the learner's schedule and its learning curve."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib
import numpy as np
import pytest
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

import labelnb as lnb
from labelnb.learn.features import choice_label, feature_matrix
from labelnb.learn.loop import retrain, run_inline

matplotlib.use("Agg")

CONFIG = (
    '<View><Text name="t" value="$text"/>'
    '<Choices name="c" toName="t"><Choice value="a"/><Choice value="b"/></Choices></View>'
)


def _choice(value: str) -> list[dict[str, Any]]:
    return [{"from_name": "c", "to_name": "t", "type": "choices", "value": {"choices": [value]}}]


def _points(n: int, seed: int = 0) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 2))
    return x, np.where(x[:, 0] > 0, "a", "b")


@pytest.fixture
def project(tmp_path: Path) -> lnb.Project:
    project = lnb.Project.create(tmp_path / "p", CONFIG)
    x, y = _points(120)
    project.import_tasks([{"text": f"n{i}", "x": x[i].tolist(), "truth": y[i]} for i in range(120)])
    return project


def _label(project: lnb.Project, ids: range | list[int]) -> None:
    for task_id in ids:
        task = project.store.get_task(task_id)
        assert task is not None
        project.submit(task_id, _choice(task["data"]["truth"]), user="u")


def test_features_come_from_a_field_a_function_or_an_embedding() -> None:
    datas = [{"v": [1, 2], "s": "ab"}, {"v": [3, 4], "s": "cde"}]
    assert feature_matrix("v", datas, [1, 2]).tolist() == [[1, 2], [3, 4]]
    assert feature_matrix("s", datas, [1, 2]) == ["ab", "cde"]  # texts stay texts, for a vectoriser
    assert feature_matrix(lambda ds: [[len(d["s"])] for d in ds], datas, [1, 2]).tolist() == [[2], [3]]
    assert feature_matrix(("s", lambda texts: [[len(t), 0] for t in texts]), datas, [1, 2]).shape == (2, 2)
    with pytest.raises(KeyError, match="task 2 has no data field 'w'"):
        feature_matrix("w", [{"w": [1]}, {}], [1, 2])
    with pytest.raises(ValueError, match=r"not finite numbers for task\(s\) \[2\]"):
        feature_matrix("v", [{"v": [1, 2]}, {"v": [float("nan"), 1]}], [1, 2])
    with pytest.raises(ValueError, match="one row per task"):
        feature_matrix(lambda ds: [[1, 2]], datas, [1, 2])
    assert choice_label(_choice("b"), "c") == "b"
    assert choice_label(_choice("b"), "other") is None
    assert choice_label(None, "c") is None


def test_a_round_stores_a_new_version_and_scores_it_on_the_holdout(project: lnb.Project) -> None:
    learner = project.learn(
        LogisticRegression(),
        features="x",
        start_job=run_inline,
        retrain_every=1000,
        holdout=list(range(101, 121)),
    )
    _label(project, range(1, 21))
    _label(project, range(101, 121))  # the held-out tasks: labelled, never trained on
    outcome = learner.retrain()
    assert outcome["model_version"] == "LogisticRegression-v1"
    assert outcome["labels"] == 20
    assert outcome["holdout"] == 20
    assert outcome["accuracy"] >= 0.8
    task = project.store.get_task(50)
    assert task is not None
    (prediction,) = task["predictions"]
    assert prediction["model_version"] == "LogisticRegression-v1"
    assert prediction["result"] == _choice(task["data"]["truth"]) or prediction["score"] < 0.9
    assert 0.5 <= prediction["score"] <= 1.0
    # labelled and held-out tasks get no prediction
    assert project.store.get_task(5)["predictions"] == []  # type: ignore[index]
    assert project.store.get_task(110)["predictions"] == []  # type: ignore[index]
    assert project.store.info().settings["model_version"] == "LogisticRegression-v1"


def test_only_the_newest_versions_keep_their_predictions(project: lnb.Project) -> None:
    learner = project.learn(
        LogisticRegression(), features="x", start_job=run_inline, retrain_every=1000, keep_versions=2
    )
    _label(project, range(1, 11))
    for _ in range(3):
        learner.retrain()
    task = project.store.get_task(60)
    assert task is not None
    assert [p["model_version"] for p in task["predictions"]] == [
        "LogisticRegression-v2",
        "LogisticRegression-v3",
    ]
    assert project.tasks_frame().set_index("id").loc[60, "total_predictions"] == 2
    assert list(learner.curve()["model_version"]) == [f"LogisticRegression-v{n}" for n in (1, 2, 3)]


def test_one_class_so_far_trains_nothing(project: lnb.Project) -> None:
    learner = project.learn(LogisticRegression(), features="x", start_job=run_inline, retrain_every=1000)
    project.submit(1, _choice("a"), user="u")
    assert "needs labels of two classes" in learner.retrain()["skipped"]
    assert project.stats()["predictions"] == 0


def test_the_learner_retrains_every_n_labels_and_draws_its_curve(project: lnb.Project) -> None:
    x_test, y_test = _points(200, seed=1)
    learner = project.learn(
        LogisticRegression(), features="x", start_job=run_inline, retrain_every=5, holdout=(x_test, y_test)
    )
    _label(project, range(1, 16))
    curve = learner.curve()
    assert list(curve["labels"]) == [5, 10, 15]
    assert (curve["holdout"] == 200).all()
    assert curve["accuracy"].between(0, 1).all()
    ax = learner.plot()
    assert list(ax.lines[0].get_xdata()) == [5, 10, 15]
    assert "LogisticRegression-v3" in repr(learner)


def test_a_text_pipeline_learns_from_the_text_field(tmp_path: Path) -> None:
    project = lnb.Project.create(tmp_path / "t", CONFIG)
    words = ["good fine great", "bad awful poor"]
    project.import_tasks([{"text": words[i % 2] + f" {i}"} for i in range(30)])
    learner = project.learn(make_pipeline(CountVectorizer(), LogisticRegression()), features="text",
                            start_job=run_inline, retrain_every=1000)  # fmt: skip
    for task_id in range(1, 11):
        project.submit(task_id, _choice("a" if task_id % 2 else "b"), user="u")
    assert learner.retrain()["labels"] == 10
    task = project.store.get_task(21)  # "good fine great 20"
    assert task is not None
    assert task["predictions"][0]["result"] == _choice("a")


def test_bad_learner_settings_are_refused(project: lnb.Project) -> None:
    with pytest.raises(ValueError, match="not a Choices control"):
        project.learn(LogisticRegression(), features="x", control="t")
    with pytest.raises(ValueError, match="retrain_every"):
        project.learn(LogisticRegression(), features="x", start_job=run_inline, retrain_every=0)
    project.learn(LogisticRegression(), features="missing", start_job=run_inline, retrain_every=1000)
    _label(project, range(1, 5))
    with pytest.raises(KeyError, match="no data field 'missing'"):
        project.learner.retrain()  # type: ignore[union-attr]
    assert project.stats()["predictions"] == 0
    assert retrain is not None


def test_the_widget_is_offered_the_current_versions_prediction_first(project: lnb.Project) -> None:
    learner = project.learn(LogisticRegression(), features="x", start_job=run_inline, retrain_every=1000)
    _label(project, range(1, 11))
    learner.retrain()
    learner.retrain()
    session = project.session("viewer")
    task = session.next()
    assert task is not None
    assert [p["model_version"] for p in task["predictions"]] == [
        "LogisticRegression-v1",
        "LogisticRegression-v2",
    ]
    shown = session.predictions_to_show()
    assert [p["model_version"] for p in shown] == ["LogisticRegression-v2", "LogisticRegression-v1"]
