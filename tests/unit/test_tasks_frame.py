"""``Project.tasks_frame``: the Data Manager's table, and the agreement it shows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import labelnb as lnb
from labelnb.team.agreement import task_agreement

CONFIG = (
    '<View><Text name="t" value="$text"/>'
    '<Choices name="c" toName="t" choice="multiple"><Choice value="a"/><Choice value="b"/></Choices></View>'
)


def _choices(*values: str) -> list[dict[str, Any]]:
    return [{"from_name": "c", "to_name": "t", "type": "choices", "value": {"choices": list(values)}}]


@pytest.fixture
def project(tmp_path: Path) -> lnb.Project:
    project = lnb.Project.create(tmp_path / "p", CONFIG)
    project.import_tasks(
        [
            {"text": "one"},
            {"text": "two", "n": 2},
            {"data": {"text": "three"}, "predictions": [
                {"result": _choices("a"), "score": 0.25, "model_version": "m1"},
                {"result": _choices("b"), "score": 0.75, "model_version": "m2"},
            ]},
            {"text": "four"},
            {"data": {"text": "five"}, "annotations": [{"result": _choices("a"), "ground_truth": True}]},
        ]
    )  # fmt: skip
    return project


def test_each_task_has_its_status_people_and_newest_prediction(project: lnb.Project) -> None:
    project.submit(1, _choices("a"), user="al")
    project.skip(2, user="al")
    project.submit(3, _choices("a"), user="al")
    project.submit(3, _choices("a"), user="bo")
    leased = project.next_task("cy")
    assert leased is not None
    assert leased["id"] == 2  # al skipped it: it goes to others
    frame = project.tasks_frame().set_index("id")
    assert list(frame["status"]) == ["labeled", "in progress", "labeled", "unlabeled", "labeled"]
    assert frame.loc[3, "annotators"] == ["al", "bo"]
    assert frame.loc[2, "annotators"] == ["al"]
    assert (frame.loc[2, "total_annotations"], frame.loc[2, "cancelled_annotations"]) == (0, 1)
    assert frame.loc[3, "prediction_score"] == 0.75
    assert frame.loc[3, "model_version"] == "m2"
    assert pd.isna(frame.loc[1, "prediction_score"])
    assert list(frame["ground_truth"]) == [False, False, False, False, True]
    assert frame.loc[3, "agreement"] == 1.0
    assert pd.isna(frame.loc[1, "agreement"])  # one answer: nothing to agree with
    assert frame.loc[2, "data.n"] == 2
    assert frame.loc[4, "data.text"] == "four"


def test_a_filter_on_the_frame_selects_tasks(project: lnb.Project) -> None:
    project.submit(1, _choices("a", "b"), user="al")
    project.submit(1, _choices("a"), user="bo")
    frame = project.tasks_frame()
    assert frame.loc[frame["agreement"] < 1, "id"].tolist() == [1]
    assert frame.loc[frame["data.text"].str.startswith("t"), "id"].tolist() == [2, 3]
    assert frame.loc[frame["status"] == "unlabeled", "id"].tolist() == [2, 3, 4]


def test_agreement_is_the_mean_pairwise_share_of_shared_items() -> None:
    a, b, ab = _choices("a"), _choices("b"), _choices("a", "b")
    assert task_agreement([a]) is None
    assert task_agreement([a, a]) == 1.0
    assert task_agreement([a, b]) == 0.0
    assert task_agreement([[], []]) == 1.0
    box = {"from_name": "c", "to_name": "t", "type": "labels", "value": {"start": 0, "end": 3}}
    # ids and scores do not count, only the answer
    assert task_agreement([[{**box, "id": "x"}], [{**box, "id": "y", "score": 0.5}]]) == 1.0
    # three people: a/a agree, a/b and a/b do not
    assert task_agreement([a, a, b]) == pytest.approx(1 / 3)
    # a choice list of one item against one of two: they share one of two distinct answers
    assert task_agreement([ab, ab]) == 1.0
    assert task_agreement([[*a, *b], a]) == 0.5
