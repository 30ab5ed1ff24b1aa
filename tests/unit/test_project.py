"""The Project API end to end, headless: what the widget does, done from Python."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import labelnb as lnb
from labelnb.formats import tasks_to_frame

CONFIG = """
<View>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text"><Choice value="pos"/><Choice value="neg"/></Choices>
  <Choices name="topics" toName="text" choice="multiple"><Choice value="a"/><Choice value="b"/></Choices>
  <Rating name="stars" toName="text" maxRating="5"/>
  <Number name="score" toName="text" min="0" max="10"/>
  <TextArea name="note" toName="text"/>
</View>
"""


def choices(name: str, *values: str) -> dict[str, Any]:
    return {"from_name": name, "to_name": "text", "type": "choices", "value": {"choices": list(values)}}


@pytest.fixture
def project(store_location: str) -> lnb.Project:
    p = lnb.Project.create(store_location, CONFIG)
    p.import_tasks(pd.DataFrame({"text": ["one", "two", "three"]}))
    return p


def test_create_open_and_refusals(tmp_path: Path, store_location: str, project: lnb.Project) -> None:
    # the title defaults to the folder's name, or the database's
    assert lnb.Project.open(store_location).title == store_location.rstrip("/").rsplit("/", 1)[-1]
    assert len(lnb.Project.open(store_location)) == 3
    with pytest.raises(FileNotFoundError, match="no labelnb project"):
        lnb.Project.open(tmp_path / "nothing")
    with pytest.raises(lnb.ConfigError):
        lnb.Project.create(tmp_path / "bad", "<View><Choices name='c' toName='nowhere'/></View>")
    assert not (tmp_path / "bad" / "project.db").exists()


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_store_url_works_as_a_path(tmp_path: Path, kind: str, request: pytest.FixtureRequest) -> None:
    from labelnb.storage.media import MediaError, MediaResolver

    url = f"sqlite:///{tmp_path / 'x.db'}" if kind == "sqlite" else request.getfixturevalue("new_database")()
    lnb.Project.create(url, CONFIG, title="by url").import_tasks([{"text": "hi"}])
    opened = lnb.Project.open(url)
    assert opened.title == "by url"
    assert opened.next_task("u")["data"] == {"text": "hi"}  # type: ignore[index]
    # a store URL has no folder: relative media paths have nowhere to start from
    assert opened.folder is None
    with pytest.raises(MediaError, match="relative path needs a project folder"):
        MediaResolver(opened.media_policy()).local_path("images/a.png")


def test_label_a_queue_from_python(project: lnb.Project) -> None:
    first = project.next_task("alice")
    assert first is not None
    assert first["data"] == {"text": "one"}
    assert project.next_task("bob")["id"] == 2  # type: ignore[index]  # alice holds task 1
    annotation_id = project.submit(first["id"], [choices("sentiment", "pos")], user="alice", lead_time=3.5)
    project.skip(2, user="bob")
    stored = project.annotations(first["id"])
    assert len(stored) == 1
    assert stored[0]["id"] == annotation_id
    assert stored[0]["result"][0]["value"] == {"choices": ["pos"]}
    assert len(stored[0]["result"][0]["id"]) == 10  # an id was given
    assert stored[0]["lead_time"] == 3.5
    assert project.next_task("alice")["id"] == 2  # type: ignore[index]  # bob skipped it: it goes to others
    assert project.stats()["labeled"] == 1
    assert project.stats()["skipped"] == 1
    assert project.stats()["by_user"] == {"alice": 1}


def test_a_bad_result_is_refused_and_nothing_is_stored(project: lnb.Project) -> None:
    with pytest.raises(lnb.ResultError, match="task 1"):
        project.submit(1, [choices("sentiment", "maybe")], user="alice")
    with pytest.raises(lnb.ResultError):
        project.submit(1, [choices("sentiment", "pos", "neg")], user="alice")  # single choice
    with pytest.raises(KeyError, match="task 99"):
        project.submit(99, [choices("sentiment", "pos")], user="alice")
    with pytest.raises(TypeError):
        project.submit(1, {"choices": ["pos"]}, user="alice")  # type: ignore[arg-type]
    assert project.annotations(1) == []
    assert project.stats()["labeled"] == 0


def test_resubmitting_keeps_history(project: lnb.Project) -> None:
    annotation_id = project.submit(1, [choices("sentiment", "pos")], user="alice")
    assert project.submit(1, [choices("sentiment", "neg")], user="alice") == annotation_id
    versions = project.history(annotation_id)
    assert [v["result"][0]["value"]["choices"] for v in versions] == [["pos"], ["neg"]]


def test_identity_comes_from_jupyterhub_user(project: lnb.Project, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JUPYTERHUB_USER", "hub-user")
    project.submit(1, [choices("sentiment", "pos")])
    assert project.stats()["by_user"] == {"hub-user": 1}


def test_json_export_reimports_identically(
    tmp_path: Path, project: lnb.Project, another_store_location: Callable[[str], str]
) -> None:
    project.submit(1, [choices("sentiment", "pos"), choices("topics", "a", "b")], user="alice", lead_time=2.0)
    project.skip(2, user="bob")
    project.import_tasks([{"data": {"text": "four"}, "predictions": [{"result": [choices("sentiment", "neg")],
                                                                       "score": 0.3, "model_version": "v2"}]}])  # fmt: skip
    exported = project.export("json")
    path = project.export("json", tmp_path / "export.json")
    assert json.loads(Path(path).read_text()) == json.loads(json.dumps(exported))

    copy = lnb.Project.create(another_store_location("copy"), CONFIG)
    copy.import_tasks(tmp_path / "export.json")
    again = copy.export("json")

    def comparable(tasks: list[dict[str, Any]]) -> list[dict[str, Any]]:
        volatile = {
            "id",
            "task",
            "project",
            "created_at",
            "updated_at",
            "import_id",
            "last_action",
            "inner_id",
        }
        out = []
        for task in tasks:
            out.append(
                {
                    "data": task["data"],
                    "meta": task["meta"],
                    "annotations": [
                        {k: v for k, v in a.items() if k not in volatile} for a in task["annotations"]
                    ],
                    "predictions": [
                        {k: v for k, v in p.items() if k not in volatile} for p in task["predictions"]
                    ],
                }
            )
        return out

    assert comparable(again) == comparable(exported)
    # annotation timestamps and authors survive the trip
    assert again[0]["annotations"][0]["created_at"] == exported[0]["annotations"][0]["created_at"]
    assert again[0]["annotations"][0]["completed_by"] == exported[0]["annotations"][0]["completed_by"]


LABEL_STUDIO_EXPORT = [
    {
        "id": 812,
        "data": {"text": "hello"},
        "meta": {"batch": 3},
        "file_upload": "4b1c-hello.json",
        "inner_id": 1,
        "total_annotations": 1,
        "project": 5,
        "annotations": [
            {
                "id": 1001,
                "completed_by": 7,
                "was_cancelled": False,
                "ground_truth": False,
                "lead_time": 12.3,
                "created_at": "2024-03-01T10:00:00.000000Z",
                "updated_at": "2024-03-01T10:00:05.000000Z",
                "unique_id": "0e6b1f0c-8d6e-4b6e-9d2e-7f0a1c2b3d4e",
                "prediction": {},
                "result": [
                    {
                        "id": "AbC123xYz_",
                        "from_name": "sentiment",
                        "to_name": "text",
                        "type": "choices",
                        "origin": "manual",
                        "readonly": False,
                        "meta": {"text": ["checked twice"]},
                        "normalization": "sent-v1",
                        "value": {"choices": ["pos"]},
                    }
                ],
            }
        ],
        "predictions": [
            {
                "id": 55,
                "model_version": "m-3",
                "score": 0.91,
                "result": [choices("sentiment", "pos")],
                "mislabeling": 0.0,
                "neighbors": None,
            }
        ],
    }
]


def test_a_label_studio_export_imports_with_every_field_intact(tmp_path: Path) -> None:
    p = lnb.Project.create(tmp_path / "ls", CONFIG)
    (tmp_path / "ls-export.json").write_text(json.dumps(LABEL_STUDIO_EXPORT))
    report = p.import_tasks(tmp_path / "ls-export.json")
    assert (report.tasks, report.annotations, report.predictions) == (1, 1, 1)
    task = p.export("json")[0]
    original = LABEL_STUDIO_EXPORT[0]
    assert task["meta"] == {"batch": 3}
    assert task["file_upload"] == "4b1c-hello.json"
    annotation = task["annotations"][0]
    assert annotation["result"] == original["annotations"][0]["result"]  # type: ignore[index]
    assert annotation["unique_id"] == "0e6b1f0c-8d6e-4b6e-9d2e-7f0a1c2b3d4e"
    assert annotation["completed_by"] == 7
    assert annotation["import_id"] == 1001
    assert annotation["created_at"] == "2024-03-01T10:00:00.000000Z"
    assert annotation["ground_truth"] is False
    prediction = task["predictions"][0]
    assert prediction["mislabeling"] == 0.0
    assert prediction["model_version"] == "m-3"


def test_a_bad_row_aborts_the_whole_import(tmp_path: Path, project: lnb.Project) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{"text": "fine"}, {"text": "fine"}, {"other": "no text key"}]))
    with pytest.raises(lnb.TaskImportError) as info:
        project.import_tasks(bad)
    assert info.value.row == 3
    assert "text" in str(info.value)
    assert len(project) == 3
    assert [t["data"]["text"] for t in project.export("json")] == ["one", "two", "three"]


def test_dataframe_round_trip(tmp_path: Path, project: lnb.Project) -> None:
    project.submit(1, [choices("sentiment", "pos"), choices("topics", "a", "b"),
                       {"from_name": "stars", "to_name": "text", "type": "rating", "value": {"rating": 4}},
                       {"from_name": "score", "to_name": "text", "type": "number", "value": {"number": 7.5}},
                       {"from_name": "note", "to_name": "text", "type": "textarea", "value": {"text": ["ok"]}}],
                   user="alice")  # fmt: skip
    project.submit(2, [choices("sentiment", "neg")], user="bob")
    frame = project.to_dataframe()
    assert list(frame["text"]) == ["one", "two", "three"]
    row = frame.iloc[0]
    assert row["sentiment"] == "pos"
    assert list(row["topics"]) == ["a", "b"]
    assert row["stars"] == 4
    assert row["score"] == 7.5
    assert row["note"] == "ok"
    assert row["annotator"] == "alice"
    assert pd.isna(frame.iloc[2]["sentiment"])

    copy = lnb.Project.from_dataframe(frame, CONFIG, tmp_path / "from-frame")
    again = copy.to_dataframe()
    columns = ["text", "sentiment", "topics", "stars", "score", "note", "annotator"]
    pd.testing.assert_frame_equal(
        again[columns].astype(object).where(again[columns].notna(), None),
        frame[columns].astype(object).where(frame[columns].notna(), None),
    )


def test_dataframe_read_by_column_equals_the_frame_of_the_export(tmp_path: Path) -> None:
    """to_dataframe reads columns straight from the store; the export's task dicts must give the same frame."""

    def answer(created: str | None, *items: dict[str, Any], **fields: Any) -> dict[str, Any]:
        out = {"result": list(items), "completed_by": {"email": f"{len(items)}@example.org"}, **fields}
        return out if created is None else {**out, "created_at": created}

    tasks: list[dict[str, Any]] = []
    for i in range(4_500):  # three pages, and a data key that first appears on the third
        data: dict[str, Any] = {"text": f"t{i}"}
        if i % 7 == 0:
            data["sentiment"] = "a data key named like a control"
        if i > 4_100:
            data["late"] = i
        annotations: list[dict[str, Any]] = []
        if i % 5 == 1:
            annotations = [answer("2024-01-02T00:00:00Z", choices("sentiment", "pos")),
                           answer("2024-01-03T00:00:00Z", choices("sentiment", "neg"), choices("topics", "a"),
                                  lead_time=2.5)]  # fmt: skip
        elif i % 5 == 2:  # the newest was cancelled; of two equally new, the first counts
            annotations = [answer("2024-01-01T00:00:00Z", choices("sentiment", "pos")),
                           answer("2024-01-01T00:00:00Z", choices("sentiment", "neg")),
                           answer("2024-01-09T00:00:00Z", choices("sentiment", "neg"), was_cancelled=True)]  # fmt: skip
        elif i % 5 == 3:  # an answer that keeps its long form, and one that does not
            annotations = [answer(None, {**choices("sentiment", "pos"), "original_width": 10},
                                  {"from_name": "stars", "to_name": "text", "type": "rating", "value": {"rating": 3}})]  # fmt: skip
        tasks.append({"data": data, "annotations": annotations})
    project = lnb.Project.create(tmp_path / "p", CONFIG)
    project.import_tasks(tasks, user="importer")
    project.submit(5, [choices("topics", "b"), {"from_name": "note", "to_name": "text", "type": "textarea",
                                                "value": {"text": ["x", "y"]}}], user="alice")  # fmt: skip

    frame = project.to_dataframe()
    expected = tasks_to_frame(project.store.iter_export_tasks(expand_users=True), project.config)
    pd.testing.assert_frame_equal(frame, expected)
    assert len(frame) == 4_500
    assert list(frame.columns[:4]) == ["id", "text", "_data_sentiment", "late"]
    assert frame.loc[1, "sentiment"] == "neg"
    assert frame.loc[1, "lead_time"] == 2.5
    assert frame.loc[2, "sentiment"] == "pos"
    assert frame.loc[3, "sentiment"] == [{"choices": ["pos"], "original_width": 10}]
    assert frame.loc[4, "note"] == ["x", "y"]
    assert frame.loc[4, "annotator"] == "alice"
    assert pd.isna(frame.loc[0, "late"])
    assert frame.loc[4_200, "late"] == 4_200


def test_regions_frame_has_a_row_per_result_item(project: lnb.Project) -> None:
    project.submit(1, [choices("sentiment", "pos"), choices("topics", "a")], user="alice")
    regions = project.to_dataframe(kind="regions")
    assert len(regions) == 2
    assert set(regions["from_name"]) == {"sentiment", "topics"}


@pytest.mark.parametrize(("fmt", "sep"), [("csv", ","), ("tsv", "\t")])
def test_csv_and_tsv_exports(tmp_path: Path, project: lnb.Project, fmt: str, sep: str) -> None:
    project.submit(1, [choices("sentiment", "pos")], user="alice")
    text = project.export(fmt)
    header = text.splitlines()[0].split(sep)
    assert "sentiment" in [h.strip('"') for h in header]
    out = project.export(fmt, tmp_path / f"out.{fmt}")
    assert Path(out).read_bytes().decode() == text


def test_json_min(project: lnb.Project) -> None:
    project.submit(1, [choices("sentiment", "pos")], user="alice")
    records = project.export("json_min")
    labelled = [r for r in records if "sentiment" in r]
    assert labelled[0]["sentiment"] == "pos"
    assert labelled[0]["annotator"] == "alice"


def test_unknown_format(project: lnb.Project) -> None:
    with pytest.raises(ValueError, match="json_min"):
        project.export("xlsx")


def test_export_formats_follow_the_config_and_refuse_the_rest(project: lnb.Project) -> None:
    assert project.export_formats() == ["json", "json_min", "csv", "tsv"]
    with pytest.raises(ValueError, match="does not offer the coco export"):
        project.export("coco", "out")


def test_a_box_config_offers_the_image_formats(tmp_path: Path) -> None:
    config = """<View><Image name="image" value="$image"/>
    <RectangleLabels name="box" toName="image"><Label value="cat"/></RectangleLabels></View>"""
    project = lnb.Project.create(tmp_path / "boxes", config)
    assert project.export_formats() == [
        "json", "json_min", "csv", "tsv", "coco", "coco_with_images", "yolo", "yolo_with_images",
        "yolo_obb", "yolo_obb_with_images", "voc",
    ]  # fmt: skip


def test_export_writes_to_an_fsspec_url_and_into_a_folder(tmp_path: Path, project: lnb.Project) -> None:
    import fsspec

    project.submit(1, [choices("sentiment", "pos")], user="alice")
    assert project.export("JSON_MIN", "memory://exports/min.json") == "memory://exports/min.json"
    with fsspec.open("memory://exports/min.json", "rb") as fh:
        records = json.loads(fh.read())
    assert [r["sentiment"] for r in records if "sentiment" in r] == ["pos"]
    (tmp_path / "out").mkdir()
    project.export("csv", tmp_path / "out")
    assert (tmp_path / "out" / "result.csv").read_text().startswith('"')
    assert not list((tmp_path / "out").glob("*.part-*"))


def test_a_failed_export_leaves_the_previous_file_whole(tmp_path: Path, project: lnb.Project) -> None:
    target = tmp_path / "result.json"
    target.write_text("previous")
    with pytest.raises(ValueError, match="unknown option"):
        project.export("json_min", target, pretty=True)
    assert target.read_text() == "previous"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("result")] == ["result.json"]


def test_a_models_labels_in_a_column_import_as_predictions(tmp_path: Path) -> None:
    config = (
        '<View><Text name="text" value="$text"/><Choices name="sentiment" toName="text">'
        '<Choice value="pos"/><Choice value="neg"/></Choices></View>'
    )
    project = lnb.Project.create(tmp_path / "pre", config)
    frame = pd.DataFrame({"text": ["good", "bad"], "sentiment": ["pos", "neg"]})
    project.import_tasks(frame, preannotated_from=["sentiment"])
    (first, second) = project.export("json")
    assert first["annotations"] == []  # not annotations, as the column alone would be
    assert [p["result"][0]["value"] for p in (first["predictions"][0], second["predictions"][0])] == [
        {"choices": ["pos"]},
        {"choices": ["neg"]},
    ]
    assert first["predictions"][0]["model_version"] == "preannotated"
    assert first["data"] == {"text": "good", "sentiment": "pos"}
