"""Reading tasks: files, iterables and DataFrames, with Label Studio's import rules."""

from __future__ import annotations

import io
import json
import pickle
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from labelnb.config import LabelConfig
from labelnb.formats import ImportedTask, TaskImportError, prediction_result, read_tasks, task_input

TEXT = """
<View>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text"><Choice value="pos"/><Choice value="neg"/></Choices>
  <Labels name="ner" toName="text"><Label value="PER"/></Labels>
  <Rating name="stars" toName="text"/>
  <Number name="score" toName="text"/>
  <TextArea name="note" toName="text"/>
</View>"""
TWO_KEYS = """
<View>
  <Image name="image" value="$image"/>
  <Text name="caption" value="$caption"/>
  <Choices name="ok" toName="image"><Choice value="yes"/></Choices>
</View>"""
IMAGE = """
<View>
  <Image name="image" value="$image"/>
  <Choices name="ok" toName="image"><Choice value="yes"/><Choice value="no"/></Choices>
</View>"""


@pytest.fixture(scope="module")
def text_config() -> LabelConfig:
    return LabelConfig.from_xml(TEXT)


def choice(value: str = "pos") -> dict[str, Any]:
    return {
        "id": "c1",
        "from_name": "sentiment",
        "to_name": "text",
        "type": "choices",
        "value": {"choices": [value]},
    }


def read(source: Any, config: LabelConfig, **kwargs: Any) -> list[ImportedTask]:
    return list(read_tasks(source, config, **kwargs))


# -- the task item rules ---------------------------------------------------------------------------


def test_item_without_data_is_the_data(text_config: LabelConfig) -> None:
    tasks = read([{"text": "a", "other": 1}, {"data": {}, "text": "b"}], text_config)
    assert tasks[0].data == {"text": "a", "other": 1}
    # an empty ``data`` is falsy: the whole item is the data, as in Label Studio
    assert tasks[1].data == {"data": {}, "text": "b"}
    assert [t.row for t in tasks] == [1, 2]


def test_data_must_be_a_dict(text_config: LabelConfig) -> None:
    with pytest.raises(TaskImportError) as err:
        read([{"data": {"text": "ok"}}, {"data": "just text"}], text_config, name="tasks.json")
    assert (err.value.source, err.value.row, err.value.field) == ("tasks.json", 2, "data")
    assert str(err.value).startswith("tasks.json, row 2, field 'data': ")


def test_single_dict_source_is_one_task(text_config: LabelConfig) -> None:
    assert [t.data for t in read({"data": {"text": "x"}}, text_config)] == [{"text": "x"}]


def test_missing_data_key_names_row_and_field(text_config: LabelConfig) -> None:
    with pytest.raises(TaskImportError) as err:
        read([{"text": "a"}, {"text": "b"}, {"txt": "c"}], text_config, name="list")
    assert (err.value.row, err.value.field) == (3, "text")
    assert "list, row 3, field 'text'" in str(err.value)


def test_validate_false_skips_config_checks(text_config: LabelConfig) -> None:
    assert read([{"txt": "c"}], text_config, validate=False)[0].data == {"txt": "c"}


def test_unknown_fields_everywhere_are_kept(text_config: LabelConfig) -> None:
    item_result = {**choice(), "readonly": True, "score": 0.3, "meta": {"text": ["note"]}, "zz": [1]}
    item = {
        "id": 99,
        "created_at": "2020-01-01",
        "custom": {"a": [1, 2]},
        "meta": {"source": "crm"},
        "drafts": [{"result": []}],
        "data": {"text": "hello", "unused": {"deep": [1.5, None]}},
        "annotations": [
            {"id": 5, "result": [item_result], "completed_by": 3, "import_note": "x", "normalization": "n"}
        ],
        "predictions": [{"result": [choice("neg")], "model_version": "m1", "score": 0.9, "cluster": 4}],
    }
    task = read([item], text_config)[0]
    assert task.meta == {"source": "crm"}
    assert task.extra == {
        "id": 99,
        "created_at": "2020-01-01",
        "custom": {"a": [1, 2]},
        "drafts": [{"result": []}],
    }
    assert task.data == item["data"]
    annotation = task.annotations[0]
    assert annotation["result"][0] == item_result
    assert annotation["import_note"] == "x"
    assert annotation["normalization"] == "n"
    assert annotation["id"] == 5
    assert task.predictions[0]["cluster"] == 4
    assert task.to_dict()["custom"] == {"a": [1, 2]}
    # the input is not changed
    assert "ground_truth" not in item["annotations"][0]


def test_meta_must_be_dict_or_list(text_config: LabelConfig) -> None:
    assert read([{"data": {"text": "a"}, "meta": [1]}], text_config)[0].meta == [1]
    with pytest.raises(TaskImportError, match="'meta' must be"):
        read([{"data": {"text": "a"}, "meta": "x"}], text_config)


# -- annotations ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who",
    [None, 7, {"email": "ann@example.com"}, {"id": 3, "email": "b@x.org", "first_name": "B"}, "c@x.org"],
)
def test_completed_by_forms_are_kept_as_given(text_config: LabelConfig, who: Any) -> None:
    item = {"data": {"text": "a"}, "annotations": [{"result": [choice()], "completed_by": who}]}
    annotation = read([item], text_config)[0].annotations[0]
    assert annotation["completed_by"] == who
    assert annotation["ground_truth"] is True
    assert annotation["was_cancelled"] is False
    assert annotation["lead_time"] is None


@pytest.mark.parametrize("who", [1.5, True, [1]])
def test_bad_completed_by_is_refused(text_config: LabelConfig, who: Any) -> None:
    item = {"data": {"text": "a"}, "annotations": [{"result": [], "completed_by": who}]}
    with pytest.raises(TaskImportError) as err:
        read([item], text_config)
    assert err.value.field == "annotations[0].completed_by"


def test_annotation_defaults_do_not_override_given_values(text_config: LabelConfig) -> None:
    given = {"result": [], "ground_truth": False, "was_cancelled": True, "lead_time": 4.5}
    annotation = read([{"data": {"text": "a"}, "annotations": [given]}], text_config)[0].annotations[0]
    assert annotation == given


@pytest.mark.parametrize(
    ("annotation", "field", "words"),
    [
        ({"completed_by": 1}, "annotations[0]", "no 'result'"),
        ({"result": {"a": 1}}, "annotations[0].result", "must be a list"),
        ({"result": ["x"]}, "annotations[0].result[0]", "must be an object"),
        ("nope", "annotations[0]", "must be an object"),
    ],
)
def test_annotation_shape_errors(text_config: LabelConfig, annotation: Any, field: str, words: str) -> None:
    with pytest.raises(TaskImportError, match=words) as err:
        read([{"data": {"text": "a"}, "annotations": [annotation]}], text_config)
    assert err.value.field == field


def test_invalid_result_item_names_index_and_field(text_config: LabelConfig) -> None:
    bad = {"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["maybe"]}}
    item = {"data": {"text": "a"}, "annotations": [{"result": [choice(), bad]}]}
    with pytest.raises(TaskImportError) as err:
        read([{"text": "ok"}, item], text_config, name="in.json")
    assert err.value.row == 2
    assert err.value.field is not None
    assert err.value.field.startswith("annotations[0].result[1]")


def test_span_checked_against_task_text(text_config: LabelConfig) -> None:
    span = {"from_name": "ner", "to_name": "text", "type": "labels",
            "value": {"start": 0, "end": 3, "text": "Bob", "labels": ["PER"]}}  # fmt: skip
    assert read([{"data": {"text": "Bob"}, "annotations": [{"result": [span]}]}], text_config)
    with pytest.raises(TaskImportError) as err:
        read([{"data": {"text": "Ann"}, "annotations": [{"result": [span]}]}], text_config)
    assert err.value.field is not None
    assert err.value.field.startswith("annotations[0].result[0]")


# -- predictions ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("result", "expected"),
    [
        ("neg", {"from_name": "sentiment", "type": "choices", "value": {"choices": ["neg"]}}),
        ({"choices": ["pos"]}, {"from_name": "sentiment", "type": "choices", "value": {"choices": ["pos"]}}),
        ({"rating": 4}, {"from_name": "stars", "type": "rating", "value": {"rating": 4}}),
        (3, {"from_name": "stars", "type": "rating", "value": {"rating": 3}}),
        (2.5, {"from_name": "score", "type": "number", "value": {"number": 2.5}}),
        ({"text": ["x"]}, {"from_name": "note", "type": "textarea", "value": {"text": ["x"]}}),
        ("long text", {"from_name": "sentiment", "type": "choices", "value": {"choices": ["long text"]}}),
    ],
)
def test_prediction_result_normalisation(
    text_config: LabelConfig, result: Any, expected: dict[str, Any]
) -> None:
    normalised = prediction_result(result, text_config)
    assert normalised == [{**expected, "to_name": "text"}]


def test_prediction_result_list_kept_and_checked(text_config: LabelConfig) -> None:
    items = [choice()]
    assert prediction_result(items, text_config) is items
    with pytest.raises(ValueError, match="result item 0"):
        prediction_result(["neg"], text_config)
    with pytest.raises(ValueError, match="control type"):
        prediction_result({"nothing": 1}, text_config)
    with pytest.raises(ValueError, match="must be a list"):
        prediction_result(None, text_config)


def test_bare_string_prefers_first_single_valued_control() -> None:
    config = LabelConfig.from_xml(
        '<View><Text name="t" value="$t"/><TextArea name="a" toName="t"/>'
        '<Choices name="c" toName="t"><Choice value="x"/></Choices></View>'
    )
    assert prediction_result("x", config)[0]["from_name"] == "a"
    assert prediction_result("x", config)[0]["value"] == {"text": ["x"]}


@pytest.mark.parametrize(
    ("score", "expected"),
    [(0.5, 0.5), ("0.25", 0.25), (1, 1.0), ("high", None), (None, None), ("nan", None)],
)
def test_prediction_score_and_model_version(
    text_config: LabelConfig, score: Any, expected: float | None
) -> None:
    item = {"data": {"text": "a"}, "predictions": [{"result": "pos", "score": score}]}
    prediction = read([item], text_config)[0].predictions[0]
    assert prediction["score"] == expected
    assert isinstance(prediction["score"], (float, type(None)))
    assert prediction["model_version"] == "undefined"
    assert prediction["result"][0]["value"] == {"choices": ["pos"]}


def test_a_nan_score_is_refused_not_dropped(text_config: LabelConfig) -> None:
    item = {"data": {"text": "a"}, "predictions": [{"result": "pos", "score": float("nan")}]}
    with pytest.raises(TaskImportError) as err:
        read([item], text_config)
    assert err.value.field == "predictions[0].score"


def test_prediction_errors_name_the_prediction(text_config: LabelConfig) -> None:
    with pytest.raises(TaskImportError) as err:
        read([{"data": {"text": "a"}, "predictions": [{"result": "pos"}, {"score": 1}]}], text_config)
    assert err.value.field == "predictions[1]"
    with pytest.raises(TaskImportError) as err:
        read([{"data": {"text": "a"}, "predictions": [{"result": "maybe"}]}], text_config)
    assert err.value.field is not None
    assert err.value.field.startswith("predictions[0].result")


# -- $undefined$ -------------------------------------------------------------------------------------


def test_undefined_key_becomes_the_only_data_key(text_config: LabelConfig) -> None:
    task = read([{"$undefined$": "hello", "other": 1}], text_config)[0]
    assert task.data == {"text": "hello", "other": 1}


def test_undefined_key_with_several_data_keys_is_an_error() -> None:
    config = LabelConfig.from_xml(TWO_KEYS)
    with pytest.raises(TaskImportError) as err:
        read([{"data": {"$undefined$": "x"}}], config, name="in.txt")
    assert err.value.field == "$undefined$"
    assert "2 data keys" in str(err.value)
    assert "image, caption" in str(err.value)


def test_undefined_key_next_to_the_real_key_is_an_error(text_config: LabelConfig) -> None:
    with pytest.raises(TaskImportError, match="both"):
        read([{"$undefined$": "x", "text": "y"}], text_config)


# -- files --------------------------------------------------------------------------------------------


def test_json_list_and_single_object_files(tmp_path: Path, text_config: LabelConfig) -> None:
    many = tmp_path / "tasks.json"
    many.write_text(
        json.dumps([{"text": "a"}, {"data": {"text": "b"}, "annotations": [{"result": [choice()]}]}])
    )
    tasks = read(many, text_config)
    assert [t.data["text"] for t in tasks] == ["a", "b"]
    one = tmp_path / "one.json"
    one.write_bytes(b"\xef\xbb\xbf" + json.dumps({"data": {"text": "solo"}}).encode())
    assert [t.data for t in read(str(one), text_config)] == [{"text": "solo"}]


def test_bad_json_file(tmp_path: Path, text_config: LabelConfig) -> None:
    path = tmp_path / "broken.json"
    path.write_text('[{"text": "a"},')
    with pytest.raises(TaskImportError, match="not valid JSON") as err:
        read(path, text_config)
    assert err.value.source == "broken.json"
    path.write_text('"just a string"')
    with pytest.raises(TaskImportError, match="list of tasks or one task"):
        read(path, text_config)


def test_large_json_is_streamed_item_by_item(
    tmp_path: Path, text_config: LabelConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(task_input, "STREAM_ABOVE", 64)
    monkeypatch.setattr(task_input, "_CHUNK", 16)
    items = [
        {"data": {"text": f"task {i} ünï 👋", "n": i * 1.5}, "meta": {"k": [i, {"z": "}]"}]}}
        for i in range(50)
    ]
    path = tmp_path / "big.json"
    path.write_text(" \n" + json.dumps(items, indent=2, ensure_ascii=False), encoding="utf-8")
    tasks = read(path, text_config)
    assert [t.data for t in tasks] == [i["data"] for i in items]
    assert [t.row for t in tasks] == list(range(1, 51))
    # one object, streamed
    path.write_text(json.dumps(items[3]))
    assert [t.data for t in read(path, text_config)] == [items[3]["data"]]
    # a bad item is reported by its number; an empty list is fine
    path.write_text(json.dumps(items[:4])[:-1] + ", {oops}]")
    with pytest.raises(TaskImportError, match="item 5 is not valid JSON") as err:
        read(path, text_config)
    assert err.value.row == 5
    path.write_text("[ ]" + " " * 100)
    assert read(path, text_config) == []
    path.write_text(json.dumps(items[:3])[:-1])
    with pytest.raises(TaskImportError, match="ends too early"):
        read(path, text_config)


def test_jsonl_rows_are_line_numbers(tmp_path: Path, text_config: LabelConfig) -> None:
    path = tmp_path / "tasks.jsonl"
    path.write_text('{"text": "a"}\n\n{"data": {"text": "b"}}\n{"data": {"txt": "c"}}\n')
    with pytest.raises(TaskImportError) as err:
        read(path, text_config)
    assert (err.value.source, err.value.row, err.value.field) == ("tasks.jsonl", 4, "text")
    path.write_text('{"text": "a"}\n{bad\n')
    with pytest.raises(TaskImportError, match="one task object per line") as err:
        read(path, text_config)
    assert err.value.row == 2


def test_csv_types_missing_cells_and_separator(tmp_path: Path, text_config: LabelConfig) -> None:
    path = tmp_path / "tasks.csv"
    path.write_text("text;n;x;flag\nhello, world;1;1.5;True\nbye;2;;False\n")
    tasks = read(path, text_config)
    assert [t.data for t in tasks] == [
        {"text": "hello, world", "n": 1, "x": 1.5, "flag": True},
        {"text": "bye", "n": 2, "x": "", "flag": False},
    ]
    assert type(tasks[0].data["n"]) is int
    assert [t.row for t in tasks] == [2, 3]
    path.write_text('text,n\n"a;b;c",1\n,2\n')
    assert [t.data for t in read(path, text_config)] == [{"text": "a;b;c", "n": 1}, {"text": "", "n": 2}]


def test_bad_third_csv_row_names_line_and_field(tmp_path: Path) -> None:
    config = LabelConfig.from_xml(IMAGE)
    path = tmp_path / "tasks.csv"
    # rows 1-2 have no image (read as ""), row 3 has a number where the Image needs a URL
    path.write_text("image,id\n,1\n,2\n7,3\n")
    with pytest.raises(TaskImportError) as err:
        read(path, config)
    assert (err.value.source, err.value.row, err.value.field) == ("tasks.csv", 4, "image")
    assert str(err.value).startswith("tasks.csv, row 4, field 'image': ")


def test_csv_parse_error_names_line(tmp_path: Path, text_config: LabelConfig) -> None:
    path = tmp_path / "tasks.csv"
    path.write_text("text,n\na,1\nb,2\nc,3,extra\n")
    with pytest.raises(TaskImportError) as err:
        read(path, text_config)
    assert err.value.row == 4
    assert "number of fields" in str(err.value)


def test_tsv(tmp_path: Path, text_config: LabelConfig) -> None:
    path = tmp_path / "tasks.tsv"
    path.write_text("text\tscore\nsemi;colon, comma\t0.5\n")
    assert [t.data for t in read(path, text_config)] == [{"text": "semi;colon, comma", "score": 0.5}]


def test_txt_one_task_per_line(tmp_path: Path, text_config: LabelConfig) -> None:
    path = tmp_path / "lines.txt"
    path.write_text("first\nsecond line\n\nfourth\n", encoding="utf-8")
    tasks = read(path, text_config)
    assert [t.data for t in tasks] == [
        {"text": "first"},
        {"text": "second line"},
        {"text": ""},
        {"text": "fourth"},
    ]
    with pytest.raises(TaskImportError, match="data keys"):
        read(path, LabelConfig.from_xml(TWO_KEYS))


def test_open_files_need_a_format(tmp_path: Path, text_config: LabelConfig) -> None:
    assert read(io.BytesIO(b'[{"text": "a"}]'), text_config, format="json")[0].data == {"text": "a"}
    assert read(io.StringIO("text\nb\n"), text_config, format="csv")[0].data == {"text": "b"}
    with open(tmp_path / "x.jsonl", "w+b") as fh:
        fh.write(b'{"text": "c"}\n')
        fh.seek(0)
        assert read(fh, text_config)[0].data == {"text": "c"}  # format from the file's name
    with pytest.raises(TaskImportError, match="pass format="):
        read(io.BytesIO(b""), text_config)


def test_unknown_extension_and_missing_file_fail_at_once(tmp_path: Path, text_config: LabelConfig) -> None:
    with pytest.raises(TaskImportError, match="cannot read"):
        read_tasks(tmp_path / "data.xlsx", text_config)
    with pytest.raises(TaskImportError, match="no such file"):
        read_tasks(tmp_path / "missing.csv", text_config)


def test_error_is_picklable_and_readable() -> None:
    err = TaskImportError("bad", source="a.csv", row=3, field="text")
    again = pickle.loads(pickle.dumps(err))
    assert (again.source, again.row, again.field, again.message) == ("a.csv", 3, "text", "bad")
    assert str(again) == "a.csv, row 3, field 'text': bad"
    assert str(TaskImportError("only message")) == "only message"
    assert isinstance(err, ValueError)


# -- DataFrames ---------------------------------------------------------------------------------------


def test_frame_columns_become_data_with_python_types(text_config: LabelConfig) -> None:
    frame = pd.DataFrame(
        {
            "text": ["a", "b", "c"],
            "n": np.array([1, 2, 3], dtype=np.int32),
            "x": [0.5, np.nan, 2.0],
            "when": pd.to_datetime(["2024-01-01", None, "2024-01-03 10:00"], utc=True, format="ISO8601"),
            "obj": [np.int64(4), [1, 2], np.array([1.5, 2.5])],
            "nullable": pd.array([1, None, 3], dtype="Int64"),
            "cat": pd.Categorical(["u", "v", "u"]),
        }
    )
    tasks = read(frame, text_config)
    assert tasks[0].data == {
        "text": "a", "n": 1, "x": 0.5, "when": "2024-01-01T00:00:00Z", "obj": 4, "nullable": 1, "cat": "u",
    }  # fmt: skip
    # missing cells are left out
    assert tasks[1].data == {"text": "b", "n": 2, "obj": [1, 2], "cat": "v"}
    assert tasks[2].data["obj"] == [1.5, 2.5]
    for task in tasks:
        for value in task.data.values():
            assert type(value).__module__ == "builtins"
    assert [t.row for t in tasks] == [1, 2, 3]


def test_frame_missing_required_value_names_row(text_config: LabelConfig) -> None:
    frame = pd.DataFrame({"text": ["a", "b", None, "d"]})
    with pytest.raises(TaskImportError) as err:
        read(frame, text_config, name="df")
    assert (err.value.source, err.value.row, err.value.field) == ("df", 3, "text")


def test_frame_with_undefined_column(text_config: LabelConfig) -> None:
    assert read(pd.DataFrame({"$undefined$": ["x"]}), text_config)[0].data == {"text": "x"}


def test_frame_of_label_studio_tasks(text_config: LabelConfig) -> None:
    frame = pd.DataFrame(
        [
            {"id": 1, "data": {"text": "a"}, "annotations": [{"result": [choice()]}]},
            {"id": 2, "data": {"text": "b"}},
        ]
    )
    tasks = read(frame, text_config)
    assert tasks[0].annotations[0]["result"] == [choice()]
    assert tasks[1].annotations == []
    assert tasks[1].extra == {"id": 2}


def test_large_frame_in_chunks(text_config: LabelConfig, monkeypatch: pytest.MonkeyPatch) -> None:
    from labelnb.formats import frame_values

    monkeypatch.setattr(frame_values, "CHUNK_ROWS", 7)
    frame = pd.DataFrame(
        {"text": [f"t{i}" for i in range(50)], "k": [None if i % 3 else i for i in range(50)]}
    )
    tasks = read(frame, text_config)
    assert [t.data["text"] for t in tasks] == [f"t{i}" for i in range(50)]
    assert [t.data.get("k") for t in tasks] == [None if i % 3 else i for i in range(50)]
    assert [t.row for t in tasks] == list(range(1, 51))


# -- preannotated fields (Label Studio's preannotated_from_fields) ----------------------------------------

PRE_CONFIG = LabelConfig.from_xml(
    """<View>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text"><Choice value="pos"/><Choice value="neg"/></Choices>
  <Rating name="stars" toName="text"/>
  <TextArea name="summary" toName="text"/>
  <Labels name="ner" toName="text"><Label value="PER"/></Labels>
</View>"""
)


def test_preannotated_fields_become_one_prediction_each_as_label_studio_makes_them() -> None:
    frame = pd.DataFrame(
        {
            "text": ["Ann is great", "meh"],
            "sentiment": ["pos", None],
            "stars": [5, 2],
            "summary": ["praise", "shrug"],
        }
    )
    first, second = read_tasks(frame, PRE_CONFIG, preannotated_from=["sentiment", "stars", "summary"])
    assert first.data["sentiment"] == "pos"  # the field stays in the data
    assert [p["result"] for p in first.predictions] == [
        [{"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["pos"]}}],
        [{"from_name": "stars", "to_name": "text", "type": "rating", "value": {"rating": 5}}],
        [{"from_name": "summary", "to_name": "text", "type": "textarea", "value": {"text": ["praise"]}}],
    ]
    assert {(p["score"], p["model_version"]) for p in first.predictions} == {(1.0, "preannotated")}
    assert len(second.predictions) == 2  # a missing value (None) makes no prediction


def test_a_preannotated_object_value_is_the_results_value() -> None:
    span = {"start": 0, "end": 3, "text": "Ann", "labels": ["PER"]}
    (task,) = read_tasks([{"text": "Ann is great", "ner": span}], PRE_CONFIG, preannotated_from=["ner"])
    assert task.predictions[0]["result"] == [
        {"from_name": "ner", "to_name": "text", "type": "labels", "value": span}
    ]


@pytest.mark.parametrize(
    ("task", "field", "says"),
    [
        ({"text": "x"}, "sentiment", "'sentiment' is not in this task's data"),
        ({"text": "x", "mood": "pos"}, "mood", "named like a control of the config"),
        ({"text": "x", "sentiment": "maybe"}, "sentiment", "maybe"),
        ({"text": "x", "stars": 99}, "stars", "stars"),
    ],
)
def test_bad_preannotated_fields_are_refused_naming_them(task: dict[str, Any], field: str, says: str) -> None:
    with pytest.raises(TaskImportError, match=says) as caught:
        list(read_tasks([task], PRE_CONFIG, preannotated_from=[field], name="batch.json"))
    assert "batch.json" in str(caught.value)
