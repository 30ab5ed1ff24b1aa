"""EstimatorBackend with a real scikit-learn LogisticRegression, alone and through a project."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

import labelnb as lnb
from labelnb.learn import BackendError, EstimatorBackend, training_labels

CONFIG = """
<View>
  <Text name="text" value="$text"/>
  <Choices name="topic" toName="text"><Choice value="sport"/><Choice value="food"/></Choices>
  <Choices name="mood" toName="text"><Choice value="ok"/><Choice value="bad"/></Choices>
</View>"""
SPORT = ["goal match team", "team wins the match", "a late goal", "the match ended"]
FOOD = ["soup and bread", "bread with butter", "hot soup", "fresh bread"]


def answer(label: str, control: str = "topic", **extra: Any) -> dict[str, Any]:
    item = {"from_name": control, "to_name": "text", "type": "choices", "value": {"choices": [label]}}
    return {"result": [item], "was_cancelled": False, **extra}


def labelled(text: str, label: str, vec: list[float]) -> dict[str, Any]:
    return {"id": len(text), "data": {"text": text, "vec": vec}, "annotations": [answer(label)]}


def vector_tasks() -> list[dict[str, Any]]:
    # sport near (1, 0), food near (0, 1)
    return [labelled(f"s{i}", "sport", [1.0 + i / 10, 0.1]) for i in range(4)] + [
        labelled(f"food{i}", "food", [0.1, 1.0 + i / 10]) for i in range(4)
    ]


def test_training_labels_take_the_newest_answer_that_is_not_a_skip() -> None:
    task = {
        "id": 1,
        "annotations": [
            answer("sport", id=1, updated_at="2026-01-01T00:00:00Z"),
            answer("food", id=2, updated_at="2026-01-03T00:00:00Z"),
            {**answer("sport", id=3, updated_at="2026-01-05T00:00:00Z"), "was_cancelled": True},
            answer("ok", control="mood", id=4, updated_at="2026-01-02T00:00:00Z"),
        ],
    }
    assert [label for _, label in training_labels([task], "topic")] == ["food"]
    # the newest answer says nothing about the control: the task is left out, not labelled by an older one
    newer_mood = {"id": 2, "annotations": [answer("sport", id=5, updated_at="2026-01-01T00:00:00Z"),
                                           answer("ok", control="mood", id=6, updated_at="2026-02-01T00:00:00Z")]}  # fmt: skip
    assert training_labels([newer_mood, {"id": 3, "annotations": []}], "topic") == []


def test_vector_features_predict_the_top_class_with_its_probability() -> None:
    backend = EstimatorBackend(LogisticRegression(), "vec", control="topic", to_name="text")
    info = backend.train(vector_tasks())
    assert info == {"model_version": "LogisticRegression-1", "labels": 8, "classes": ["food", "sport"]}
    tasks = [{"id": 10, "data": {"vec": [2.0, 0.0]}}, {"id": 11, "data": {"vec": [0.0, 2.0]}}]
    predictions = backend.predict(tasks)
    assert [p["result"][0]["value"]["choices"] for p in predictions] == [["sport"], ["food"]]
    assert predictions[0]["result"][0] | {"value": None} == {
        "from_name": "topic", "to_name": "text", "type": "choices", "value": None
    }  # fmt: skip
    probabilities = backend.predict_proba(tasks)
    assert probabilities.shape == (2, 2)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0)
    assert backend.classes == ["food", "sport"]
    expected = backend.estimator.predict_proba(np.array([[2.0, 0.0], [0.0, 2.0]]))
    np.testing.assert_allclose(probabilities, expected)
    assert [p["score"] for p in predictions] == pytest.approx(expected.max(axis=1).tolist())
    assert all(p["model_version"] == "LogisticRegression-1" for p in predictions)
    backend.train(vector_tasks())
    assert backend.model_version == "LogisticRegression-2"


def test_a_text_field_with_a_pipeline_and_an_embedding_function() -> None:
    tasks = [{"id": i, "data": {"text": t}, "annotations": [answer("sport")]} for i, t in enumerate(SPORT)]
    tasks += [
        {"id": 10 + i, "data": {"text": t}, "annotations": [answer("food")]} for i, t in enumerate(FOOD)
    ]
    pipeline = EstimatorBackend(make_pipeline(TfidfVectorizer(), LogisticRegression(C=10)), "text",
                                control="topic", to_name="text")  # fmt: skip
    pipeline.train(tasks)
    new = [{"id": 50, "data": {"text": "who won the match"}}, {"id": 51, "data": {"text": "soup please"}}]
    assert [p["result"][0]["value"]["choices"][0] for p in pipeline.predict(new)] == ["sport", "food"]

    def embed(texts: list[str]) -> np.ndarray:  # counts of sport and food words
        words = [{"goal", "match", "team", "won"}, {"soup", "bread", "butter"}]
        return np.array([[sum(w in group for w in t.split()) for group in words] for t in texts], float)

    embedded = EstimatorBackend(LogisticRegression(), "text", control="topic", to_name="text", embed=embed)
    embedded.train(tasks)
    assert [p["result"][0]["value"]["choices"][0] for p in embedded.predict(new)] == ["sport", "food"]

    by_function = EstimatorBackend(LogisticRegression(), lambda datas: embed([d["text"] for d in datas]),
                                   control="topic", to_name="text")  # fmt: skip
    by_function.train(tasks)
    assert by_function.predict_proba(new).argmax(axis=1).tolist() == [1, 0]  # classes: food, sport


def test_errors_name_the_problem() -> None:
    backend = EstimatorBackend(LogisticRegression(), "vec", control="topic", to_name="text")
    with pytest.raises(BackendError, match="not trained yet"):
        backend.predict([{"id": 1, "data": {"vec": [1.0, 0.0]}}])
    with pytest.raises(BackendError, match="at least two classes"):
        backend.train(vector_tasks()[:4])
    with pytest.raises(BackendError, match="task 9 has no data field 'vec'"):
        backend.train([*vector_tasks(), {"id": 9, "data": {}, "annotations": [answer("food")]}])
    backend.train(vector_tasks())
    with pytest.raises(BackendError, match="task 7's features hold NaN"):
        backend.predict(
            [{"id": 6, "data": {"vec": [1.0, 0.0]}}, {"id": 7, "data": {"vec": [float("nan"), 0]}}]
        )
    with pytest.raises(BackendError, match="one row per task"):
        backend.predict(
            [{"id": 6, "data": {"vec": [[1.0], [0.0]]}}, {"id": 7, "data": {"vec": [[1.0], [2.0]]}}]
        )
    unset = EstimatorBackend(LogisticRegression(), "vec")
    with pytest.raises(BackendError, match="which control to predict"):
        unset.train(vector_tasks())
    with pytest.raises(BackendError, match="'mode' is not a Choices control"):
        EstimatorBackend(LogisticRegression(), "vec", control="mode").setup(CONFIG)
    with pytest.raises(TypeError, match="not an estimator"):
        EstimatorBackend(object(), "vec")


def test_setup_takes_the_first_choices_and_a_project_trains_and_predicts(tmp_path: Path) -> None:
    backend = EstimatorBackend(LogisticRegression(), "vec")
    assert backend.fit("START_TRAINING", {"project": {}}) is None  # no tasks: nothing to learn from
    project = lnb.Project.create(tmp_path / "p", CONFIG)
    project.import_tasks([{"text": t["data"]["text"], "vec": t["data"]["vec"]} for t in vector_tasks()]
                         + [{"text": "new", "vec": [3.0, 0.0]}, {"text": "new2", "vec": [0.0, 3.0]}])  # fmt: skip
    for task_id, task in enumerate(vector_tasks(), 1):
        project.submit(task_id, answer(task["annotations"][0]["result"][0]["value"]["choices"][0])["result"])
    info = project.train(backend)
    assert (backend.control, backend.to_name) == ("topic", "text")
    assert info is not None
    assert info["labels"] == 8
    assert project.predict(backend) == 2  # the two unlabelled tasks
    predicted = [project.store.get_task(i)["predictions"] for i in (9, 10)]  # type: ignore[index]
    assert [p[0]["result"][0]["value"]["choices"] for p in predicted] == [["sport"], ["food"]]
    assert predicted[0][0]["model_version"] == "LogisticRegression-1"
    assert project.model_version == "LogisticRegression-1"
    assert project.predict(backend, tasks=[1, 9], model_version="pinned") == 2
    assert project.store.get_task(1)["predictions"][0]["model_version"] == "pinned"  # type: ignore[index]
