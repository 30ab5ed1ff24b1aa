"""Numbers and payloads that JSON cannot hold, and junk drafts: refused where they enter, never stored.

Every way a number enters a project is tried: JSON files (small ones parsed at once, large ones item by
item), JSON lines, CSV, lists of dicts, DataFrames, ``Project.submit``, ``save_draft`` and the widget. The
project must be left exactly as it was, and every export must still parse.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import labelnb as lnb
from labelnb.formats import task_input
from tests.kernel_browser import open_widget

CONFIG = """
<View>
  <Text name="text" value="$text"/>
  <Choices name="kind" toName="text"><Choice value="a"/><Choice value="b"/></Choices>
  <Number name="n" toName="text" min="0" max="10"/>
</View>
"""
NON_FINITE = [float("nan"), float("inf"), float("-inf")]


def answer(n: float | None = None, choice: str = "a") -> list[dict[str, Any]]:
    items = [{"from_name": "kind", "to_name": "text", "type": "choices", "value": {"choices": [choice]}}]
    if n is not None:
        items.append({"from_name": "n", "to_name": "text", "type": "number", "value": {"number": n}})
    return items


@pytest.fixture
def project(tmp_path: Path) -> lnb.Project:
    p = lnb.Project.create(tmp_path / "p", CONFIG)
    p.import_tasks([{"text": "one"}, {"text": "two"}])
    return p


def unchanged(project: lnb.Project) -> None:
    """Nothing of a failed import or answer got in, and the export still parses."""
    assert len(project) == 2
    exported = json.loads(json.dumps(project.export("json"), allow_nan=False))
    assert [t["data"]["text"] for t in exported] == ["one", "two"]
    path = project.export("json", project.folder / "out.json")  # type: ignore[operator]
    with open(path) as handle:
        json.load(handle, parse_constant=lambda c: pytest.fail(f"the export holds {c}"))


@pytest.mark.parametrize("bad", NON_FINITE, ids=["nan", "inf", "-inf"])
def test_lists_of_dicts_refuse_non_finite_numbers_anywhere(project: lnb.Project, bad: float) -> None:
    items: list[Any] = [
        {"text": "x", "score": bad},
        {"data": {"text": "x", "nested": {"deep": [1, bad]}}},
        {"data": {"text": "x"}, "meta": {"m": bad}},
        {"data": {"text": "x"}, "annotations": [{"result": answer(bad)}]},
        {"data": {"text": "x"}, "predictions": [{"result": answer(), "score": bad}]},
        {"data": {"text": "x"}, "annotations": [{"result": answer(), "lead_time": bad}]},
    ]
    for item in items:
        with pytest.raises(lnb.TaskImportError) as err:
            project.import_tasks([{"text": "fine"}, item])
        assert err.value.row == 2
        assert err.value.field is not None
    unchanged(project)


@pytest.mark.parametrize("stream", [False, True], ids=["parsed-whole", "streamed"])
def test_json_files_refuse_nan_and_infinity(
    project: lnb.Project, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stream: bool
) -> None:
    if stream:  # files above the threshold (64 MiB) are parsed item by item, with another parser
        monkeypatch.setattr(task_input, "STREAM_ABOVE", 16)
    for literal in ("NaN", "Infinity", "-Infinity"):
        path = tmp_path / f"tasks-{literal}.json"
        path.write_text(f'[{{"text": "fine"}}, {{"text": "x", "score": {literal}}}]')
        with pytest.raises(lnb.TaskImportError) as err:
            project.import_tasks(path)
        assert err.value.source == path.name
        if stream:
            assert err.value.row == 2
    path = tmp_path / "tasks.jsonl"
    path.write_text('{"text": "fine"}\n{"text": "x", "score": NaN}\n')
    with pytest.raises(lnb.TaskImportError):
        project.import_tasks(path)
    unchanged(project)


def test_csv_refuses_infinity_and_names_the_line(project: lnb.Project, tmp_path: Path) -> None:
    path = tmp_path / "tasks.csv"
    path.write_text("text,score\nfine,1.5\nx,inf\n")
    with pytest.raises(lnb.TaskImportError) as err:
        project.import_tasks(path)
    assert (err.value.row, err.value.field) == (3, "score")  # the header is line 1
    unchanged(project)


def test_dataframes_refuse_infinity_but_nan_is_a_missing_cell(project: lnb.Project) -> None:
    with pytest.raises(lnb.TaskImportError) as err:
        project.import_tasks(pd.DataFrame({"text": ["a", "b"], "score": [1.0, math.inf]}))
    assert (err.value.row, err.value.field) == (2, "score")
    with pytest.raises(lnb.TaskImportError) as err:
        project.import_tasks(pd.DataFrame({"text": ["a", "b"], "scores": [[1.0], [2.0, math.nan]]}))
    assert (err.value.row, err.value.field) == (2, "scores[1]")
    with pytest.raises(lnb.TaskImportError) as err:  # a label column with a bad lead time
        project.import_tasks(pd.DataFrame({"text": ["a"], "kind": ["a"], "lead_time": [math.inf]}))
    assert err.value.field == "lead_time"
    unchanged(project)
    # pandas' own NaN means "no value": the key is left out, as before
    project.import_tasks(pd.DataFrame({"text": ["c"], "score": [math.nan]}))
    assert project.export("json")[-1]["data"] == {"text": "c"}


@pytest.mark.parametrize(
    ("lead_time", "says"),
    [(-5, "non-negative"), ("abc", "number of seconds"), (math.inf, "inf"), (True, "number")],
)
def test_lead_time_is_checked_on_import_and_submit(project: lnb.Project, lead_time: Any, says: str) -> None:
    with pytest.raises(lnb.TaskImportError, match=says):
        project.import_tasks(
            [{"data": {"text": "x"}, "annotations": [{"result": [], "lead_time": lead_time}]}]
        )
    with pytest.raises(ValueError, match=says):
        project.submit(1, answer(), user="alice", lead_time=lead_time)
    with pytest.raises(ValueError, match=says):
        project.save_draft(1, answer(), user="alice", lead_time=lead_time)
    assert project.annotations(1) == []
    unchanged(project)


@pytest.mark.parametrize(
    "item",
    [
        {"data": {"text": "x"}, "annotations": [{"result": [], "completed_by": 2**70}]},
        {"data": {"text": "x"}, "annotations": [{"result": [], "completed_by": 2**63}]},
        {"data": {"text": "x"}, "annotations": [{"result": [], "completed_by": {"id": 2**64}}]},
        {"data": {"text": "x"}, "annotations": [{"result": [], "completed_by": "9" * 30}]},
        {"data": {"text": "x"}, "annotations": [{"result": [], "id": 2**63}]},
        {"data": {"text": "x"}, "annotations": [{"result": [], "import_id": "not a number"}]},
        {"data": {"text": "x"}, "annotations": [{"result": [], "created_at": {"a": 1}}]},
        {"data": {"text": "x"}, "predictions": [{"result": [], "cluster": [1]}]},
        {"data": {"text": "x", "big": 2**80}},
        {"data": {"text": "\ud800 half a surrogate"}},
        {"data": {"text": "x", "tags": {"a", "b"}}},
    ],
    ids=[
        "completed_by-2**70",
        "completed_by-2**63",
        "completed_by.id",
        "completed_by-digits",
        "annotation-id",
        "import_id",
        "created_at",
        "cluster",
        "big-int",
        "surrogate",
        "set",
    ],
)
def test_out_of_range_and_unstorable_values_name_the_row(project: lnb.Project, item: dict[str, Any]) -> None:
    with pytest.raises(lnb.TaskImportError) as err:
        project.import_tasks([{"text": "fine"}, item])
    assert err.value.row == 2
    unchanged(project)


@pytest.mark.parametrize("bad", NON_FINITE, ids=["nan", "inf", "-inf"])
def test_submit_refuses_non_finite_numbers(project: lnb.Project, bad: float) -> None:
    with pytest.raises(ValueError, match="JSON cannot hold"):
        project.submit(1, answer(bad), user="alice")
    broken = answer()
    broken[0]["meta"] = {"score": bad}  # an extra field the config does not check
    with pytest.raises(ValueError, match="JSON cannot hold"):
        project.submit(1, broken, user="alice")
    assert project.annotations(1) == []
    unchanged(project)


def test_the_widget_refuses_non_finite_numbers(project: lnb.Project) -> None:
    browser = open_widget(project)
    # JSON from a browser cannot carry NaN, but a comm message decoded by a lenient parser can
    for message in ({"result": answer(math.nan)}, {"result": answer(), "lead_time": math.inf}):
        for kind in ("submit", "draft"):
            reply = browser.send(kind, task_id=1, **message)
            assert reply["ok"] is False
            assert reply["error"].startswith("Not saved")
    assert project.annotations(1) == []
    assert project.export("json")[0]["drafts"] == []


JUNK_DRAFTS = [
    [{"from_name": "nope", "to_name": "text", "type": "choices", "value": {"choices": ["a"]}}],
    [{"from_name": "kind", "to_name": "elsewhere", "type": "choices", "value": {"choices": ["a"]}}],
    [{"from_name": "kind", "to_name": "text", "type": "rectanglelabels", "value": {"x": 1}}],
    [{"from_name": "kind", "to_name": "text", "type": "choices", "value": {"choices": ["not offered"]}}],
    [{"from_name": "kind", "to_name": "text", "type": "choices", "value": "not an object"}],
    [{"from_name": "kind", "to_name": "text", "type": "choices", "value": {"choices": ["a"]}, "x": math.nan}],
    ["not an item"],
]


@pytest.mark.parametrize("draft", JUNK_DRAFTS)
def test_junk_drafts_are_refused(project: lnb.Project, draft: list[Any]) -> None:
    with pytest.raises((ValueError, TypeError)):
        project.save_draft(1, draft, user="alice")
    browser = open_widget(project)
    assert browser.send("draft", task_id=1, result=draft)["ok"] is False
    assert project.export("json")[0]["drafts"] == []
    assert browser.widget.task["result"] == []


def test_huge_drafts_are_refused(project: lnb.Project) -> None:
    draft = answer()
    draft[0]["meta"] = {"padding": "x" * (10 * 1024 * 1024)}  # 10 MB that validation alone lets through
    browser = open_widget(project)
    reply = browser.send("draft", task_id=1, result=draft)
    assert reply["ok"] is False
    assert "at most 8 MiB" in reply["error"]
    assert project.export("json")[0]["drafts"] == []
    again = open_widget(project)
    assert again.widget.task["result"] == []


def test_drafts_are_checked_leniently(project: lnb.Project) -> None:
    # work in progress may break counts and ranges for a moment: two picks of a single choice, 11 of 0..10
    unfinished = answer(11.0)
    unfinished[0]["value"]["choices"] = ["a", "b"]
    project.save_draft(1, unfinished, user="alice")
    with pytest.raises(ValueError, match="single choice"):
        project.submit(1, unfinished, user="alice")
    drafts = project.export("json")[0]["drafts"]
    assert [d["result"] for d in drafts] == [unfinished]
    assert drafts[0]["user"] == "alice"


ODD_TEXT = 'quote " backslash \\ newline \n tab \t nul \x00 printf %s %d %% emoji 🦜 rtl \u202e end'
ODD_ITEMS: list[dict[str, Any]] = [
    {"text": ODD_TEXT},
    {"text": "numbers", "big": 2**64 - 1, "small": -(2**63), "tiny": 5e-324, "huge": 1.7976931348623157e308},
    {"text": "negative zero", "z": -0.0, "nested": {"list": [[], {}, [None, True, False]], "1": {"k": "v"}}},
    {
        "data": {"text": "everything", 'key "quoted"': "v"},
        "meta": ["a", {"b": ODD_TEXT}],
        "id": 99,
        "unknown_top": {"x": [1, 2]},
        "annotations": [
            {
                "result": answer(2.5),
                "completed_by": {"email": 'o"dd@example.org'},
                "created_at": '2024-01-01T00:00:00"Z',
                "lead_time": 0,
                "id": 7,
                "custom": ODD_TEXT,
            },
            {"result": [], "was_cancelled": True, "completed_by": 12345},
        ],
        "predictions": [
            {"result": answer(), "score": 0.25, "model_version": 'v"1', "cluster": "c\\1", "extra": ODD_TEXT},
            {"result": "b"},
        ],
    },
]


def label_studio_shape(task: dict[str, Any]) -> None:
    """What Label Studio's importer requires of a task (reference B.1)."""
    assert isinstance(task["data"], dict)
    assert task["data"]
    assert isinstance(task.get("meta", {}), (dict, list))
    for key in ("annotations", "predictions"):
        assert isinstance(task[key], list)
        for item in task[key]:
            assert isinstance(item["result"], list)
            assert all(isinstance(r, dict) for r in item["result"])
    assert isinstance(task["drafts"], list)


def test_an_export_always_parses_back(project: lnb.Project, tmp_path: Path) -> None:
    project.import_tasks(ODD_ITEMS)
    project.save_draft(1, answer(), user='dr"aft@example.org', lead_time=1.5)
    project.submit(2, answer(3), user="alice", lead_time=0.5)
    path = project.export("json", tmp_path / "export.json")
    strict = {"parse_constant": lambda c: pytest.fail(f"the export holds {c}")}
    from_file = json.loads(Path(path).read_text(encoding="utf-8"), **strict)  # type: ignore[arg-type]
    from_records = json.loads(json.dumps(project.export("json"), allow_nan=False), **strict)  # type: ignore[arg-type]
    assert from_file == from_records
    for task in from_file:
        label_studio_shape(task)
    assert from_file[2]["data"]["text"] == ODD_TEXT
    assert from_file[3]["data"]["big"] == 2**64 - 1
    # and Label Studio's own export, re-imported, gives the same tasks back
    again = lnb.Project.create(tmp_path / "again", CONFIG)
    again.import_tasks(path)
    assert [t["data"] for t in again.export("json")] == [t["data"] for t in from_file]
    assert sum(len(t["annotations"]) for t in again.export("json")) == sum(
        len(t["annotations"]) for t in from_file
    )
    for fmt in ("json_min", "csv", "tsv"):
        project.export(fmt, tmp_path / f"export.{fmt}")
