"""The JSON export, the export dispatch helpers and the converter step they share."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from labelnb.config import LabelConfig
from labelnb.formats import (
    FORMATS,
    csv_rows,
    export,
    export_records,
    export_text,
    json_min_records,
    read_tasks,
    write_json,
)
from labelnb.formats.converter import annotator, live_annotations, prettify

Tasks = list[dict[str, Any]]

UNKNOWN_TASK = (
    '{"id":7,"data":{"text":"Bob \u00e9 / \\"q\\"","deep":{"f":1.0000000000000002,"e":1e-10,"n":null}},'
    '"x_custom":{"nested":[1,2.5,"\u00fc",{"k":false}],"big":9007199254740993},'
    '"meta":{"source":"crm","weight":0.1},'
    '"annotations":[{"id":1,"completed_by":3,"result":[{"id":"a1","from_name":"sentiment","to_name":"text",'
    '"type":"choices","value":{"choices":["pos"]},"readonly":true,"x_item":[null,"\U0001f44b"]}],'
    '"x_annotation":{"why":"because"},"normalization":"n","ground_truth":true,"was_cancelled":false,'
    '"lead_time":null}],"predictions":[],"drafts":[{"id":4,"result":[],"x_draft":1}]}'
)
CONFIG = """
<View>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text"><Choice value="pos"/><Choice value="neg"/></Choices>
</View>"""


@pytest.fixture(scope="module")
def config() -> LabelConfig:
    return LabelConfig.from_xml(CONFIG)


def test_json_export_keeps_every_field_byte_for_byte(tmp_path: Path, config: LabelConfig) -> None:
    task = orjson.loads(UNKNOWN_TASK)
    out = tmp_path / "result.json"
    assert write_json([task, task], out) == 2
    raw = out.read_bytes()
    assert json.loads(raw) == [task, task]
    lines = raw.split(b"\n")
    assert lines[0] == b"["
    assert lines[-2] == b"]"
    assert lines[1] == UNKNOWN_TASK.encode("utf-8") + b","
    assert lines[2] == UNKNOWN_TASK.encode("utf-8")


def test_unknown_fields_survive_import_then_export(tmp_path: Path, config: LabelConfig) -> None:
    source = tmp_path / "in.json"
    source.write_text("[" + UNKNOWN_TASK + "]", encoding="utf-8")
    imported = list(read_tasks(source, config))
    out = io.BytesIO()
    write_json((t.to_dict() for t in imported), out)
    raw = out.getvalue()
    original = orjson.loads(UNKNOWN_TASK)
    for fragment in (
        orjson.dumps({"x_custom": original["x_custom"]})[1:-1],
        orjson.dumps({"data": original["data"]})[1:-1],
        orjson.dumps({"meta": original["meta"]})[1:-1],
        orjson.dumps({"drafts": original["drafts"]})[1:-1],
        orjson.dumps(original["annotations"][0]["result"]),
        orjson.dumps({"x_annotation": original["annotations"][0]["x_annotation"]})[1:-1],
    ):
        assert fragment in raw
    assert json.loads(raw)[0]["annotations"] == original["annotations"]


def test_write_json_streams_a_generator_in_batches() -> None:
    writes: list[bytes] = []

    class Sink:
        def write(self, chunk: bytes) -> int:
            writes.append(chunk)
            return len(chunk)

    produced = 0

    def tasks() -> Iterator[dict[str, Any]]:
        nonlocal produced
        for i in range(2500):
            produced += 1
            # by the time task 2000 is made, the first batch has been written
            if i == 2000:
                assert len(writes) >= 2
            yield {"id": i, "data": {"text": str(i)}}

    assert write_json(tasks(), Sink()) == 2500
    assert produced == 2500
    assert [t["id"] for t in json.loads(b"".join(writes))] == list(range(2500))


def test_write_json_edge_values() -> None:
    out = io.StringIO()
    write_json([], out)
    assert json.loads(out.getvalue()) == []
    out = io.BytesIO()
    write_json([{"big": 2**70, "tuple": (1, 2)}, {"s": {1}}], out)
    assert json.loads(out.getvalue()) == [{"big": 2**70, "tuple": [1, 2]}, {"s": [1]}]
    with pytest.raises(TypeError, match="not JSON serializable"):
        write_json([{"x": object()}], io.BytesIO())


def test_export_dispatch_and_records(config: LabelConfig) -> None:
    tasks = [orjson.loads(UNKNOWN_TASK)]
    assert set(FORMATS) == {"json", "json_min", "csv", "tsv"}
    assert json.loads(export_text("json", tasks, config)) == tasks
    assert json.loads(export_text("json_min", tasks, config)) == export_records("json_min", tasks, config)
    assert export_records("json", tasks, config) == tasks
    records = export_records("csv", tasks, config)
    assert records == [
        {
            "id": 7,
            "sentiment": "pos",
            "text": 'Bob é / "q"',
            "deep": '{"f":1.0000000000000002,"e":1e-10,"n":null}',
            "annotator": "3",
            "annotation_id": 1,
            "created_at": None,
            "updated_at": None,
            "lead_time": None,
        }
    ]
    columns, rows = csv_rows(tasks, config)
    assert columns == sorted(records[0])
    assert list(rows) == records
    assert "\t" in export_text("tsv", tasks, config).splitlines()[0]
    with pytest.raises(ValueError, match="unknown export format"):
        export("coco", tasks, config, io.BytesIO())  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unknown export format"):
        export_records("xml", tasks, config)  # type: ignore[arg-type]


def test_export_to_path(tmp_path: Path, config: LabelConfig) -> None:
    tasks = [orjson.loads(UNKNOWN_TASK)]
    for fmt in FORMATS:
        target = tmp_path / f"out.{fmt}"
        export(fmt, tasks, config, target)  # type: ignore[arg-type]
        expected = export_text(fmt, tasks, config)  # type: ignore[arg-type]
        assert target.read_bytes() == expected.encode("utf-8")


def test_json_min_completed_by_forms(config: LabelConfig) -> None:
    def task(who: Any) -> dict[str, Any]:
        ann = {"id": 1, "result": [], "created_at": "2024"}
        if who != "absent":
            ann["completed_by"] = who
        return {"id": 1, "data": {"text": "a"}, "annotations": [ann]}

    forms = [{"id": 4, "email": "d@x.org"}, 4, "absent", {"id": 4}]
    got = [next(json_min_records([task(w)], config))["annotator"] for w in forms]
    assert got == ["d@x.org", 4, None, None]
    csv_got = [export_records("csv", [task(w)], config)[0]["annotator"] for w in forms]
    assert csv_got == ["d@x.org", "4", None, None]
    assert annotator(None) == "None"  # Label Studio's str(None)


def test_converter_iteration_rules(config: LabelConfig) -> None:
    anns = [
        {"id": 1, "created_at": "2024-01-01", "result": []},
        {"id": 2, "created_at": "2024-01-03", "result": []},
        {"id": 3, "created_at": "2024-01-02", "was_cancelled": True, "result": []},
        {"id": 4, "created_at": "2024-01-03", "result": []},
        {"id": 5, "created_at": "2024-01-05", "skipped": True, "result": []},
    ]
    live = live_annotations({"annotations": anns})
    assert live is not None
    assert [a["id"] for a in live] == [2, 4, 1]
    assert live_annotations({"data": {}}) is None
    records = list(json_min_records([{"id": 1, "data": {"text": "a"}, "annotations": anns}], config))
    assert [r["annotation_id"] for r in records] == [2, 4, 1]
    only_cancelled = {"id": 2, "data": {"text": "b"}, "annotations": [anns[2]]}
    no_key = {"id": 3, "data": {"text": "c"}}
    empty = {"id": 4, "data": {"text": "d"}, "annotations": []}
    assert [r["id"] for r in json_min_records([only_cancelled, no_key, empty], config)] == [4]


@pytest.mark.parametrize(
    ("tag", "values", "expected"),
    [
        ("Choices", [{"choices": ["a"]}], "a"),
        ("Choices", [{"choices": ["a", "b"]}], {"choices": ["a", "b"]}),
        ("Choices", [{"choices": ["a"]}, {"choices": ["b"]}], ["a", "b"]),
        ("TextArea", [{"text": ["x"]}], "x"),
        ("TextArea", [{"text": ["x", "y"]}], {"text": ["x", "y"]}),
        ("Rating", [{"rating": 3}], [{"rating": 3}]),
        ("Labels", [{"start": 0, "end": 1, "labels": ["A"]}], [{"start": 0, "end": 1, "labels": ["A"]}]),
        ("Chat", [{"chatmessage": {"role": "user", "content": "hi"}}], [{"role": "user", "content": "hi"}]),
    ],
)
def test_prettify(tag: str, values: list[dict[str, Any]], expected: Any) -> None:
    assert prettify(tag, values) == expected


def test_results_of_unknown_controls_are_dropped_but_values_not_changed(
    config: LabelConfig, tasks_for: Callable[..., Tasks]
) -> None:
    tasks = tasks_for("choices_single", count=12)
    before = json.dumps(tasks)
    records = list(json_min_records(tasks, config))
    assert all("unknown_control" not in r for r in records)
    assert json.dumps(tasks) == before


REPEATER_CONFIG = """
<View>
  <Repeater on="$pages" indexFlag="{{idx}}">
    <Image name="page_{{idx}}" value="$pages[{{idx}}].url"/>
    <Choices name="quality_{{idx}}" toName="page_{{idx}}"><Choice value="good"/><Choice value="bad"/></Choices>
  </Repeater>
</View>"""


def test_repeater_results_are_kept_in_json_min_and_csv() -> None:
    """Label Studio's converter drops the results of a Repeater's copies (their from_name, ``quality_1``,
    is no control of the config); here each copy is a column of its own, prettified like its control."""
    config = LabelConfig.from_xml(REPEATER_CONFIG)
    result = [
        {"id": f"r{i}", "from_name": f"quality_{i}", "to_name": f"page_{i}", "type": "choices",
         "value": {"choices": [choice]}}
        for i, choice in enumerate(["good", "bad"])
    ]  # fmt: skip
    result.append(
        {
            "id": "x",
            "from_name": "quality_x",
            "to_name": "page_0",
            "type": "choices",
            "value": {"choices": ["?"]},
        }
    )
    task = {
        "id": 1,
        "data": {"pages": [{"url": "a.png"}, {"url": "b.png"}]},
        "annotations": [{"id": 5, "completed_by": 2, "result": result}],
    }
    record = next(json_min_records([task], config))
    assert record["quality_0"] == "good"
    assert record["quality_1"] == "bad"
    assert "quality_x" not in record  # not a copy of any control: dropped, as Label Studio does
    row = export_records("csv", [task], config)[0]
    assert (row["quality_0"], row["quality_1"]) == ("good", "bad")
    assert config.control_for("quality_7") is config.controls["quality_{{idx}}"]
    assert config.control_for("quality_") is None
