"""Tasks as DataFrames (one row per task or per region) and DataFrames back to tasks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import pytest

from labelnb.config import LabelConfig
from labelnb.formats import TaskImportError, frame_to_tasks, read_tasks, tasks_to_frame
from labelnb.formats.converter import live_annotations

Tasks = list[dict[str, Any]]

CONFIG = """
<View>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text"><Choice value="pos"/><Choice value="neg"/></Choices>
  <Choices name="topics" toName="text" choice="multiple"><Choice value="a"/><Choice value="b"/></Choices>
  <Rating name="stars" toName="text"/>
  <Number name="score" toName="text"/>
  <TextArea name="note" toName="text"/>
  <Labels name="ner" toName="text"><Label value="PER"/><Label value="ORG"/></Labels>
</View>"""


@pytest.fixture(scope="module")
def config() -> LabelConfig:
    return LabelConfig.from_xml(CONFIG)


def item(name: str, kind: str, value: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"id": f"id-{name}", "from_name": name, "to_name": "text", "type": kind, "value": value, **extra}


FULL = [
    item("sentiment", "choices", {"choices": ["pos"]}),
    item("topics", "choices", {"choices": ["a"]}),
    item("stars", "rating", {"rating": 4}),
    item("score", "number", {"number": 2.5}),
    item("note", "textarea", {"text": ["first line"]}),
    item("ner", "labels", {"start": 0, "end": 3, "text": "Ann", "labels": ["PER"]}),
    item("ner", "labels", {"start": 8, "end": 11, "text": "Bob", "labels": ["PER"]}, id="r2"),
]


def tasks() -> Tasks:
    return [
        {
            "id": 1,
            "data": {"text": "Ann met Bob", "source": "web"},
            "annotations": [
                {
                    "id": 10,
                    "completed_by": {"id": 1, "email": "ann@x.org"},
                    "created_at": "2024-01-01T00:00:00Z",
                    "result": [item("sentiment", "choices", {"choices": ["neg"]})],
                },
                {
                    "id": 11,
                    "completed_by": {"id": 2, "email": "bob@x.org"},
                    "created_at": "2024-01-02T10:00:00.5Z",
                    "updated_at": "2024-01-02T11:00:00Z",
                    "lead_time": 3.5,
                    "result": FULL,
                },
                {
                    "id": 12,
                    "completed_by": 3,
                    "created_at": "2024-01-03T00:00:00Z",
                    "was_cancelled": True,
                    "result": [],
                },
            ],
        },
        {"id": 2, "data": {"text": "nothing yet", "n": 5}, "annotations": []},
        {
            "id": 3,
            "data": {"text": "two notes"},
            "annotations": [
                {
                    "id": 30,
                    "completed_by": 7,
                    "created_at": "2024-02-01T00:00:00Z",
                    "lead_time": 1,
                    "result": [
                        item("note", "textarea", {"text": ["x", "y"]}),
                        item("topics", "choices", {"choices": ["a", "b"]}),
                    ],
                },
            ],
        },
    ]


def test_one_row_per_task_with_plain_values(config: LabelConfig) -> None:
    frame = tasks_to_frame(tasks(), config)
    assert list(frame.columns) == [
        "id", "text", "source", "n", "sentiment", "topics", "stars", "score", "note", "ner",
        "annotator", "annotation_id", "created_at", "updated_at", "lead_time",
    ]  # fmt: skip
    first = frame.iloc[0]
    assert first["sentiment"] == "pos"  # the latest non-cancelled annotation
    assert first["topics"] == ["a"]
    assert first["stars"] == 4
    assert first["score"] == 2.5
    assert first["note"] == "first line"
    assert first["ner"] == [
        {"start": 0, "end": 3, "text": "Ann", "labels": ["PER"], "id": "id-ner"},
        {"start": 8, "end": 11, "text": "Bob", "labels": ["PER"], "id": "r2"},
    ]
    assert first["annotator"] == "bob@x.org"
    assert first["annotation_id"] == 11
    assert first["lead_time"] == 3.5
    assert first["created_at"] == pd.Timestamp("2024-01-02T10:00:00.5Z")
    empty = frame.iloc[1]
    assert empty["n"] == 5
    assert all(pd.isna(empty[c]) for c in ("sentiment", "stars", "note", "annotator", "created_at", "source"))
    assert empty["ner"] is None
    assert empty["topics"] is None
    third = frame.iloc[2]
    assert third["note"] == ["x", "y"]
    assert third["topics"] == ["a", "b"]
    assert third["annotator"] == "7"


def test_dtypes_are_nullable(config: LabelConfig) -> None:
    dtypes = tasks_to_frame(tasks(), config).dtypes
    assert str(dtypes["id"]) == "Int64"
    assert str(dtypes["text"]) == "string"
    assert str(dtypes["sentiment"]) == "string"
    assert str(dtypes["stars"]) == "Int64"
    assert str(dtypes["score"]) == "Float64"
    assert str(dtypes["lead_time"]) == "Float64"
    assert str(dtypes["annotation_id"]) == "Int64"
    assert str(dtypes["annotator"]) == "string"
    assert str(dtypes["created_at"]).startswith("datetime64")
    assert "UTC" in str(dtypes["created_at"])
    assert dtypes["ner"].kind == "O"  # lists
    assert dtypes["note"].kind == "O"  # a list in one row


def test_all_annotations_give_one_row_each(config: LabelConfig) -> None:
    frame = tasks_to_frame(tasks(), config, annotations="all")
    assert [None if pd.isna(v) else v for v in frame["annotation_id"]] == [11, 10, None, 30]
    assert frame.iloc[1]["sentiment"] == "neg"


def test_data_key_colliding_with_a_column_is_prefixed(config: LabelConfig) -> None:
    frame = tasks_to_frame(
        [{"id": 1, "data": {"text": "a", "sentiment": "data value", "id": "x"}, "annotations": []}], config
    )
    assert "_data_sentiment" in frame.columns
    assert "_data_id" in frame.columns
    assert frame.iloc[0]["_data_sentiment"] == "data value"
    back = next(frame_to_tasks(frame, config))
    assert back.data == {"text": "a", "sentiment": "data value", "_data_id": "x"}


def test_regions_frame(config: LabelConfig) -> None:
    frame = tasks_to_frame(tasks(), config, kind="regions")
    assert len(frame) == len(FULL) + 2
    assert list(frame.columns[:7]) == [
        "task_id", "annotation_id", "annotator", "region_id", "from_name", "to_name", "type",
    ]  # fmt: skip
    spans = frame[frame["from_name"] == "ner"]
    assert spans["start"].tolist() == [0, 8]
    assert spans["end"].tolist() == [3, 11]
    assert spans["labels"].tolist() == [["PER"], ["PER"]]
    assert spans["region_id"].tolist() == ["id-ner", "r2"]
    assert spans["value"].iloc[0] == FULL[5]["value"]
    assert set(frame["task_id"].tolist()) == {1, 3}
    assert str(frame["task_id"].dtype) == "Int64"


def test_regions_frame_with_boxes_and_relations() -> None:
    config = LabelConfig.from_xml(
        '<View><Image name="img" value="$image"/><RectangleLabels name="box" toName="img">'
        '<Label value="Cat"/></RectangleLabels><Relations><Relation value="near"/></Relations></View>'
    )
    box = {"x": 10, "y": 20.5, "width": 30, "height": 40, "rotation": 0, "rectanglelabels": ["Cat"]}
    result = [
        {"id": "b1", "from_name": "box", "to_name": "img", "type": "rectanglelabels", "value": box,
         "original_width": 640, "original_height": 480},
        {"id": "b2", "from_name": "box", "to_name": "img", "type": "rectanglelabels", "value": box},
        {"from_id": "b1", "to_id": "b2", "type": "relation", "direction": "right", "labels": ["near"]},
    ]  # fmt: skip
    task = {
        "id": 5,
        "data": {"image": "a.jpg"},
        "annotations": [{"id": 9, "completed_by": 1, "result": result}],
    }
    frame = tasks_to_frame([task], config, kind="regions")
    assert frame["x"].isna().tolist() == [False, False, True]
    assert frame["x"].tolist()[:2] == [10, 10]
    assert frame["y"].tolist()[:2] == [20.5, 20.5]
    assert frame["original_width"].tolist()[0] == 640
    assert pd.isna(frame["original_width"].iloc[1])
    relation = frame.iloc[2]
    assert relation["type"] == "relation"
    assert relation["from_id"] == "b1"
    assert relation["to_id"] == "b2"
    tasks_frame = tasks_to_frame([task], config)
    assert tasks_frame.iloc[0]["box"][0] == {**box, "id": "b1", "original_width": 640, "original_height": 480}


def _latest_results(task: dict[str, Any]) -> list[dict[str, Any]]:
    live = live_annotations(task) or []
    return live[0]["result"] if live else []


def _comparable(results: list[dict[str, Any]], controls: set[str]) -> dict[str, list[dict[str, Any]]]:
    """Result items per control, in order, without their ids (numbers compare by value: 1 == 1.0)."""
    keys = ("from_name", "to_name", "type", "value", "original_width", "original_height", "image_rotation")
    out: dict[str, list[dict[str, Any]]] = {}
    for r in results:
        if r.get("from_name") in controls:
            out.setdefault(r["from_name"], []).append({k: r[k] for k in keys if k in r})
    return out


def test_round_trip_reproduces_latest_results(
    config_name: str, configs: dict[str, str], tasks_for: Callable[..., Tasks]
) -> None:
    config = LabelConfig.from_xml(configs[config_name])
    original = tasks_for(config_name, count=40)
    frame = tasks_to_frame(original, config)
    back = list(frame_to_tasks(frame, config))
    assert len(back) == len(original)
    for before, after in zip(original, back, strict=True):
        assert after.extra.get("id") == before["id"]
        assert after.data == before["data"]
        expected = _comparable(_latest_results(before), set(config.controls))
        got = _comparable(after.annotations[0]["result"], set(config.controls)) if after.annotations else {}
        assert got == expected
        if after.annotations:
            latest = (live_annotations(before) or [])[0]
            annotation = after.annotations[0]
            assert annotation["id"] == latest["id"]
            assert annotation["lead_time"] == latest["lead_time"]
            who = latest.get("completed_by")
            if isinstance(who, dict):
                assert annotation["completed_by"] == {"email": who["email"]}
            elif who is not None:
                assert annotation["completed_by"] == who


def test_round_trip_keeps_region_ids_and_exact_values(config: LabelConfig) -> None:
    original = tasks()
    back = list(frame_to_tasks(tasks_to_frame(original, config), config))
    results = back[0].annotations[0]["result"]
    spans = [r for r in results if r["from_name"] == "ner"]
    assert [s["id"] for s in spans] == ["id-ner", "r2"]
    assert [s["value"] for s in spans] == [FULL[5]["value"], FULL[6]["value"]]
    assert back[0].annotations[0]["created_at"] == "2024-01-02T10:00:00.500000Z"
    assert back[1].annotations == []
    assert back[1].data == {"text": "nothing yet", "n": 5}


def test_plain_frame_with_label_columns(config: LabelConfig) -> None:
    frame = pd.DataFrame(
        {
            "text": ["Ann is here", "b", "c", "d"],
            "sentiment": ["pos", None, "", "neg"],
            "topics": [["a", "b"], None, None, "a"],
            "stars": pd.array([5, None, None, None], dtype="Int64"),
            "score": [0.5, None, None, 3],
            "note": ["a note", None, None, ["l1", "l2"]],
            "ner": [[{"start": 0, "end": 3, "text": "Ann", "labels": ["PER"]}], None, None, None],
            "annotator": ["ann@x.org", "bob@x.org", None, 12],
            "created_at": ["2024-05-01T00:00:00Z", None, None, None],
            "lead_time": [2.0, None, None, None],
        }
    )
    got = list(read_tasks(frame, config))
    assert [t.data for t in got] == [{"text": "Ann is here"}, {"text": "b"}, {"text": "c"}, {"text": "d"}]
    first = got[0].annotations[0]
    values = {r["from_name"]: r["value"] for r in first["result"]}
    assert values == {
        "sentiment": {"choices": ["pos"]},
        "topics": {"choices": ["a", "b"]},
        "stars": {"rating": 5},
        "score": {"number": 0.5},
        "note": {"text": ["a note"]},
        "ner": {"start": 0, "end": 3, "text": "Ann", "labels": ["PER"]},
    }
    assert all(isinstance(r["id"], str) and len(r["id"]) == 10 for r in first["result"])
    assert first["completed_by"] == {"email": "ann@x.org"}
    assert first["created_at"] == "2024-05-01T00:00:00Z"
    assert first["lead_time"] == 2.0
    assert first["ground_truth"] is True
    # rows whose label columns are all empty get no annotation, whatever else they hold
    assert got[1].annotations == []
    assert got[2].annotations == []
    last = got[3].annotations[0]
    assert last["completed_by"] == 12
    assert {r["from_name"]: r["value"] for r in last["result"]} == {
        "sentiment": {"choices": ["neg"]},
        "topics": {"choices": ["a"]},
        "score": {"number": 3.0},
        "note": {"text": ["l1", "l2"]},
    }


def test_bad_label_value_names_row_and_column(config: LabelConfig) -> None:
    frame = pd.DataFrame({"text": ["a", "b", "c"], "sentiment": ["pos", "neg", "maybe"]})
    with pytest.raises(TaskImportError) as err:
        list(frame_to_tasks(frame, config, name="frame"))
    assert err.value.row == 3
    assert err.value.field is not None
    assert err.value.field.startswith("annotations[0].result[0]")
    frame = pd.DataFrame({"text": ["a", "b"], "ner": [None, "PER"]})
    with pytest.raises(TaskImportError) as err:
        list(frame_to_tasks(frame, config))
    assert (err.value.row, err.value.field) == (2, "ner")
    assert "region dicts" in str(err.value)


def test_frame_without_label_columns_is_all_data(config: LabelConfig) -> None:
    frame = pd.DataFrame({"text": ["a"], "id": [7], "created_at": ["yesterday"]})
    task = next(frame_to_tasks(frame, config))
    assert task.data == {"text": "a", "id": 7, "created_at": "yesterday"}
    assert task.annotations == []
    assert task.extra == {}


def test_duplicate_columns_are_refused(config: LabelConfig) -> None:
    frame = pd.DataFrame([["a", "b"]], columns=["text", "text"])
    with pytest.raises(ValueError, match="duplicate column"):
        frame_to_tasks(frame, config)


def test_kind_is_checked(config: LabelConfig) -> None:
    with pytest.raises(ValueError, match="kind"):
        tasks_to_frame([], config, kind="rows")  # type: ignore[arg-type]
    assert len(tasks_to_frame([], config)) == 0
    assert len(tasks_to_frame([], config, kind="regions")) == 0


def test_round_trip_of_taxonomy_datetime_ranker_pairwise() -> None:
    config = LabelConfig.from_xml(
        """<View>
        <Text name="text" value="$text"/>
        <Taxonomy name="tax" toName="text"><Choice value="A"><Choice value="B"/></Choice></Taxonomy>
        <DateTime name="when" toName="text" only="date"/>
        <List name="results" value="$items" title="Results"/>
        <Ranker name="rank" toName="results"/>
        <Text name="left" value="$left"/><Text name="right" value="$right"/>
        <Pairwise name="pw" toName="left,right"/>
        </View>"""
    )
    result = [
        {
            "from_name": "tax",
            "to_name": "text",
            "type": "taxonomy",
            "value": {"taxonomy": [["A"], ["A", "B"]]},
        },
        {"from_name": "when", "to_name": "text", "type": "datetime", "value": {"datetime": "2024-01-02"}},
        {
            "from_name": "rank",
            "to_name": "results",
            "type": "ranker",
            "value": {"ranker": {"rank": ["i2", "i1"]}},
        },
        {"from_name": "pw", "to_name": "left,right", "type": "pairwise", "value": {"selected": "left"}},
    ]
    data = {
        "text": "t",
        "items": [{"id": "i1", "title": "a"}, {"id": "i2", "title": "b"}],
        "left": "l",
        "right": "r",
    }
    original = [{"id": 1, "data": data, "annotations": [{"id": 5, "completed_by": 1, "result": result}]}]
    frame = tasks_to_frame(original, config)
    row = frame.iloc[0]
    assert row["tax"] == [["A"], ["A", "B"]]
    assert row["when"] == "2024-01-02"
    assert row["rank"] == {"rank": ["i2", "i1"]}
    assert row["pw"] == "left"
    back = next(frame_to_tasks(frame, config))
    assert _comparable(back.annotations[0]["result"], set(config.controls)) == _comparable(
        result, set(config.controls)
    )


def test_float_columns_with_gaps_give_whole_ids(config: LabelConfig) -> None:
    frame = pd.DataFrame(
        {
            "id": [1.0, None],
            "text": ["a", "b"],
            "sentiment": ["pos", "neg"],
            "annotator": [4.0, None],
            "annotation_id": [9.0, None],
        }
    )
    first, second = frame_to_tasks(frame, config)
    assert first.extra == {"id": 1}
    assert type(first.extra["id"]) is int
    assert first.annotations[0]["completed_by"] == 4
    assert first.annotations[0]["id"] == 9
    assert second.extra == {}
    assert "completed_by" not in second.annotations[0]
