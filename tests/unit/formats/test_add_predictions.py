"""Predictions added to stored tasks: every shape of Label Studio's import, checks, and the model version."""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
import pytest

import labelnb as lnb
from labelnb.formats import PredictionError, answer_items, check_prediction, prediction_items
from labelnb.store import predicted

CONFIG = """
<View>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text"><Choice value="pos"/><Choice value="neg"/></Choices>
  <Labels name="ner" toName="text"><Label value="PER"/></Labels>
  <Rating name="stars" toName="text" maxRating="5"/>
  <Number name="amount" toName="text"/>
  <TextArea name="note" toName="text"/>
</View>"""


@pytest.fixture
def project(store_location: str) -> lnb.Project:
    made = lnb.Project.create(store_location, CONFIG)
    made.import_tasks([{"text": "Bob went home"}, {"text": "Ann"}, {"text": "Eve"}])
    return made


def stored(project: lnb.Project, task_id: int) -> list[dict[str, Any]]:
    task = project.store.get_task(task_id)
    assert task is not None
    return list(task["predictions"])


def totals(project: lnb.Project) -> list[int]:
    return [task["total_predictions"] for task in project.store.iter_export_tasks()]


def item(from_name: str, kind: str, value: dict[str, Any]) -> dict[str, Any]:
    return {"from_name": from_name, "to_name": "text", "type": kind, "value": value}


@pytest.mark.parametrize(
    ("result", "expected"),
    [
        # a list is kept as it is
        (
            [item("ner", "labels", {"start": 0, "end": 3, "text": "Bob", "labels": ["PER"]})],
            item("ner", "labels", {"start": 0, "end": 3, "text": "Bob", "labels": ["PER"]}),
        ),
        # a dict is one value, for the first control whose type is one of its keys
        ({"choices": ["neg"]}, item("sentiment", "choices", {"choices": ["neg"]})),
        ({"rating": 4}, item("stars", "rating", {"rating": 4})),
        ({"number": 2.5}, item("amount", "number", {"number": 2.5})),
        ({"text": ["a note"]}, item("note", "textarea", {"text": ["a note"]})),
        # bare values for single-valued controls: str for Choices, int for Rating, float for Number
        ("pos", item("sentiment", "choices", {"choices": ["pos"]})),
        (3, item("stars", "rating", {"rating": 3})),
        (1.5, item("amount", "number", {"number": 1.5})),
    ],
)
def test_every_result_shape_of_label_studio(project: lnb.Project, result: Any, expected: Any) -> None:
    report = project.add_predictions([{"task": 1, "result": result, "score": 0.5}])
    assert report.predictions == 1
    (prediction,) = stored(project, 1)
    assert prediction["result"] == [expected]
    assert prediction["score"] == 0.5


def test_a_bare_string_goes_to_a_textarea_when_it_comes_first(store_location: str) -> None:
    project = lnb.Project.create(
        store_location,
        '<View><Text name="t" value="$t"/><TextArea name="a" toName="t"/>'
        '<Choices name="c" toName="t"><Choice value="x"/></Choices></View>',
    )
    project.import_tasks([{"t": "hi"}])
    project.add_predictions([{"task": 1, "result": "x"}])
    assert stored(project, 1)[0]["result"] == [
        {"from_name": "a", "to_name": "t", "type": "textarea", "value": {"text": ["x"]}}
    ]


@pytest.mark.parametrize(
    ("score", "expected"),
    [(0.25, 0.25), ("0.75", 0.75), (1, 1.0), ("high", None), (None, None), ("nan", None), ("inf", None),
     (True, None), ([1], None)],
)  # fmt: skip
def test_score_is_cast_to_float_or_none(project: lnb.Project, score: Any, expected: float | None) -> None:
    project.add_predictions([{"task": 2, "result": "pos", "score": score}])
    assert stored(project, 2)[0]["score"] == expected


@pytest.mark.parametrize("score", [math.nan, math.inf, -math.inf])
def test_a_nan_or_infinite_score_is_an_error(project: lnb.Project, score: float) -> None:
    with pytest.raises(PredictionError, match="task 2, prediction 1, field 'score'") as err:
        project.add_predictions([{"task": 1, "result": "pos"}, {"task": 2, "result": "pos", "score": score}])
    assert (err.value.task, err.value.index, err.value.field) == (2, 1, "score")
    assert project.stats()["predictions"] == 0


def test_model_version_defaults(project: lnb.Project) -> None:
    assert project.model_version is None
    project.add_predictions([{"task": 1, "result": "pos"}])
    assert stored(project, 1)[0]["model_version"] == "undefined"
    project.add_predictions([{"task": 2, "result": "pos"}, {"task": 3, "result": "neg", "model_version": "m2"}],
                            model_version="given")  # fmt: skip
    assert stored(project, 2)[0]["model_version"] == "given"
    assert stored(project, 3)[0]["model_version"] == "m2"
    # Label Studio's rule: a project without a model version takes the last one added, then keeps it
    assert project.model_version == "undefined"


def test_project_model_version_is_kept_and_can_be_set(project: lnb.Project, store_location: str) -> None:
    project.add_predictions([{"task": 1, "result": "pos", "model_version": "v1"}])
    assert project.model_version == "v1"
    project.add_predictions([{"task": 1, "result": "neg", "model_version": "v2"}])
    assert project.model_version == "v1"
    project.model_version = "v2"
    assert lnb.Project.open(store_location).model_version == "v2"
    project.model_version = None
    assert project.model_version is None
    with pytest.raises(TypeError):
        project.model_version = 3  # type: ignore[assignment]


def test_import_sets_the_model_version_when_empty(store_location: str) -> None:
    project = lnb.Project.create(store_location, CONFIG)
    project.import_tasks([{"data": {"text": "a"}, "predictions": [{"result": "pos", "model_version": "a1"}]},
                          {"data": {"text": "b"}, "predictions": [{"result": "neg", "model_version": "a2"}]}])  # fmt: skip
    assert project.model_version == "a2"


@pytest.mark.parametrize(
    ("prediction", "field", "message"),
    [
        ({"task": 2, "result": ["pos"]}, "result", "result item 0 is a str"),
        ({"task": 2, "result": "maybe"}, "result[0].value.choices[0]", "'maybe' is not offered"),
        ({"task": 2, "result": [item("nope", "choices", {"choices": ["pos"]})]}, "result[0].from_name", "nope"),
        ({"task": 2, "result": [item("ner", "labels", {"start": 0, "end": 3, "text": "Bob",
                                                       "labels": ["PER"]})]}, "result[0]", "text"),
        ({"task": 2, "result": {"nothing": 1}}, "result", "control type"),
        ({"task": 2}, None, "needs a 'result'"),
        ({"task": 9, "result": "pos"}, "task", "no such task"),
        ({"task": 2, "result": "pos", "model_version": ["v"]}, "model_version", "must be text"),
        ({"task": 2, "result": "pos", "cluster": "c"}, "cluster", "whole number"),
        ({"task": 2, "result": [item("stars", "rating", {"rating": math.nan})]}, "result[0].value.rating",
         "JSON cannot hold"),
    ],
)  # fmt: skip
def test_a_bad_prediction_names_task_and_prediction_and_nothing_is_written(
    project: lnb.Project, prediction: dict[str, Any], field: str | None, message: str
) -> None:
    good = {"task": 1, "result": "pos"}
    with pytest.raises(PredictionError, match=message) as err:
        project.add_predictions([good, prediction])
    assert err.value.task == prediction["task"]
    assert err.value.index == 1
    if field is not None:
        assert err.value.field is not None
        assert err.value.field.startswith(field)
    assert "prediction 1" in str(err.value)
    assert project.stats()["predictions"] == 0
    assert totals(project) == [0, 0, 0]
    assert project.model_version is None


def test_task_ids_are_checked(project: lnb.Project) -> None:
    for bad in ("1", 1.5, None, True, 0, 2**64):
        with pytest.raises(PredictionError, match="'task' must be the id"):
            project.add_predictions([{"task": bad, "result": "pos"}])
    with pytest.raises(PredictionError, match="not str"):
        project.add_predictions(["pos"])  # type: ignore[list-item]
    with pytest.raises(PredictionError, match="not one dict"):
        project.add_predictions({"task": 1, "result": "pos"})  # type: ignore[arg-type]


def test_a_frame_of_predictions(project: lnb.Project) -> None:
    frame = pd.DataFrame(
        {
            "task_id": [1, 2, 3],
            "result": ["pos", {"choices": ["neg"]}, 4],
            "score": [0.9, None, 0.1],
            "model_version": ["f1", None, "f1"],
            "note_from": ["x", "y", None],
        }
    )
    report = project.add_predictions(frame, model_version="frame")
    assert (report.predictions, report.tasks) == (3, 3)
    assert [(p["score"], p["model_version"]) for i in (1, 2, 3) for p in stored(project, i)] == [
        (0.9, "f1"), (None, "frame"), (0.1, "f1")
    ]  # fmt: skip
    assert stored(project, 3)[0]["result"][0]["type"] == "rating"
    assert stored(project, 1)[0]["note_from"] == "x"  # other columns are kept with the prediction
    assert "note_from" not in stored(project, 3)[0]  # an empty cell is left out
    with pytest.raises(PredictionError, match="task id column"):
        project.add_predictions(pd.DataFrame({"result": ["pos"]}))
    with pytest.raises(PredictionError, match="'result' column"):
        project.add_predictions(pd.DataFrame({"task": [1]}))


def test_counters_and_several_batches_all_or_nothing(
    project: lnb.Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(predicted, "BATCH", 7)
    many = [{"task": 1 + i % 3, "result": "pos", "score": i / 100} for i in range(30)]
    report = project.add_predictions(many)
    assert (report.predictions, report.tasks) == (30, 3)
    assert totals(project) == [10, 10, 10]
    assert project.stats()["predictions"] == 30
    # a bad one in the fourth batch: the three batches before it are rolled back with it
    with pytest.raises(PredictionError, match="task 2, prediction 25"):
        project.add_predictions([*many[:25], {"task": 2, "result": "maybe"}, *many[:5]])
    assert totals(project) == [10, 10, 10]
    events = [e["payload"] for e in project.store.events("predictions")]
    assert events == [{"predictions": 30, "tasks": 3, "model_versions": ["undefined"]}]


def test_export_carries_added_predictions(project: lnb.Project) -> None:
    project.add_predictions([{"task": 1, "result": "pos", "score": 0.5, "model_version": "m"}])
    (first, *_) = project.export("json")
    assert first["predictions"][0]["model_version"] == "m"
    assert first["total_predictions"] == 1


# -- the pure functions ---------------------------------------------------------------------------


def test_check_prediction_without_a_store() -> None:
    config = lnb.LabelConfig.from_xml(CONFIG)
    checked = check_prediction({"task": 4, "result": "pos", "score": "0.5", "id": 7, "why": "x"}, config,
                               {"text": "z"}, model_version="m")  # fmt: skip
    assert checked == {"task": 4, "result": [item("sentiment", "choices", {"choices": ["pos"]})],
                       "score": 0.5, "model_version": "m", "why": "x"}  # fmt: skip
    assert list(prediction_items([{"task_id": 3, "result": "pos"}])) == [{"task": 3, "result": "pos"}]


def test_answer_items_shapes() -> None:
    one = {"result": "pos"}
    assert answer_items([1, 2, 3], [one, [one, one], None]) == [
        (0, {"result": "pos", "task": 1}), (0, {"result": "pos", "task": 2}), (1, {"result": "pos", "task": 2})
    ]  # fmt: skip
    # the task id is the request's, whatever the answer claims
    assert answer_items([5], [{"result": "pos", "task": 1}]) == [(0, {"result": "pos", "task": 5})]
    with pytest.raises(PredictionError, match="not dict"):
        answer_items([1], {"results": []})
    with pytest.raises(PredictionError, match="2 entries for 1 tasks"):
        answer_items([1], [one, one])
    with pytest.raises(PredictionError, match="task 2, prediction 1: a prediction must be a dict"):
        answer_items([1, 2], [one, [one, "pos"]], source="m")
