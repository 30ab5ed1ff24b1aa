"""Team progress tables (labelnb.team.progress) on a hand-made project, numbers worked out by hand; label
counts read page by page against a plain loop over the export."""

from __future__ import annotations

import math
import random
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score
from sqlalchemy import update

import labelnb as lnb
from labelnb.store import activity
from labelnb.store import schema as s
from labelnb.team import progress

CONFIG = """
<View>
  <Image name="img" value="$image"/>
  <RectangleLabels name="box" toName="img">
    <Label value="Cat" background="#ff0000"/><Label value="Dog" background="#00ff00"/><Label value="Fox"/>
  </RectangleLabels>
  <Choices name="quality" toName="img"><Choice value="ok"/><Choice value="blurry"/></Choices>
  <Taxonomy name="kind" toName="img"><Choice value="Animal"><Choice value="Pet"/></Choice></Taxonomy>
  <TextArea name="note" toName="img"/>
</View>
"""


def box(label: str, x: float = 10) -> dict[str, Any]:
    value = {"x": x, "y": 10, "width": 20, "height": 20, "rotation": 0, "rectanglelabels": [label]}
    return {
        "from_name": "box",
        "to_name": "img",
        "type": "rectanglelabels",
        "original_width": 100,
        "original_height": 100,
        "value": value,
    }


def quality(value: str) -> dict[str, Any]:
    return {"from_name": "quality", "to_name": "img", "type": "choices", "value": {"choices": [value]}}


def kind(*path: str) -> dict[str, Any]:
    return {"from_name": "kind", "to_name": "img", "type": "taxonomy", "value": {"taxonomy": [list(path)]}}


NOTE = {"from_name": "note", "to_name": "img", "type": "textarea", "value": {"text": ["Cat"]}}


@pytest.fixture
def project(store_location: str) -> lnb.Project:
    """Four tasks. al: t1 (2 Cats, a Dog, ok, 10 s), t2 (Dog then, resubmitted, a Cat and blurry, 30 s),
    skips t3. bo: t1 (a Cat, ok, a Pet, no lead time), t3 (ok, an Animal, 5 s). t4 untouched."""
    project = lnb.Project.create(store_location, CONFIG)
    project.import_tasks([{"image": f"{i}.png"} for i in range(4)])
    t1, t2, t3, _ = (task["id"] for task in project.store.iter_tasks())
    project.submit(t1, [box("Cat"), box("Cat", 40), box("Dog", 70), quality("ok"), NOTE], "al", 10.0)
    project.submit(t2, [box("Dog")], "al", 99.0)
    project.submit(t2, [box("Cat"), quality("blurry")], "al", 30.0)  # a new version: the Dog is gone
    project.skip(t3, "al")
    project.submit(t1, [box("Cat"), quality("ok"), kind("Animal", "Pet")], "bo")
    project.submit(t3, [quality("ok"), kind("Animal")], "bo", 5.0)
    return project


def test_user_progress(project: lnb.Project) -> None:
    frame = progress.user_progress(project.store)
    assert list(frame.columns) == progress.USER_COLUMNS
    assert frame.set_index("user")[["submitted", "skipped", "tasks"]].to_dict("index") == {
        "al": {"submitted": 2, "skipped": 1, "tasks": 3},
        "bo": {"submitted": 2, "skipped": 0, "tasks": 2},
    }
    lead = frame.set_index("user")["mean_lead_time"]
    assert lead["al"] == pytest.approx(20.0)  # (10 + 30) / 2: the replaced version's 99 s is history
    assert lead["bo"] == pytest.approx(5.0)  # t1 recorded no lead time: left out, not counted as 0


def test_overall_progress(project: lnb.Project) -> None:
    row = progress.overall_progress(project.store).iloc[0]
    done, total = project.store.progress()
    assert (row["tasks"], row["labeled"]) == (total, done) == (4, 3)  # t4 untouched (overlap 1)
    assert row["percent_done"] == pytest.approx(75.0)
    assert (row["submitted"], row["skipped"], row["annotators"]) == (4, 1, 2)


def test_label_progress_counts_regions_and_choices_with_config_colours(project: lnb.Project) -> None:
    frame = progress.label_progress(project.store, project.config)
    assert list(frame.columns) == progress.LABEL_COLUMNS
    got = {(r.control, r.label): r.count for r in frame.itertuples()}
    assert got == {
        ("box", "Cat"): 4,  # al t1 x2, al t2, bo t1
        ("box", "Dog"): 1,  # al t1 (t2's Dog was replaced)
        ("box", "Fox"): 0,  # declared, never used: still a bar
        ("quality", "ok"): 3,
        ("quality", "blurry"): 1,
        ("kind", "Animal"): 1,  # bo t3; bo t1's path counts for its deepest entry
        ("kind", "Pet"): 1,
    }
    colours = frame.set_index(["control", "label"])["color"]
    assert colours[("box", "Cat")] == "#ff0000"
    assert colours[("box", "Dog")] == "#00ff00"
    assert set(frame["tag"]) == {"RectangleLabels", "Choices", "Taxonomy"}  # the TextArea is no label
    assert list(frame[frame["control"] == "box"]["label"]) == ["Cat", "Dog", "Fox"]  # config order


def test_labels_found_only_in_results_follow_the_declared_ones(project: lnb.Project) -> None:
    task = next(project.store.iter_tasks())["id"]
    # a result written before the config lost a label (or by dynamic labels) is still counted
    with project.store.engine.begin() as conn:
        conn.execute(
            update(s.annotations)
            .where(s.annotations.c.task_id == task, s.annotations.c.completed_by == 2)
            .values(
                result='[{"from_name": "box", "type": "rectanglelabels", '
                '"value": {"rectanglelabels": ["Wolf"]}}, "junk", 3, {"type": "choices"}]'
            )
        )
    frame = progress.label_progress(project.store, project.config)
    last = frame.iloc[-1]
    assert (last["control"], last["tag"], last["label"], last["count"]) == (
        "box",
        "RectangleLabels",
        "Wolf",
        1,
    )
    assert pd.isna(last["color"])


def _random_result(rng: random.Random) -> list[Any]:
    items: list[Any] = []
    for _ in range(rng.randint(0, 5)):
        pick = rng.random()
        if pick < 0.4:
            items.append(box(rng.choice(["Cat", "Dog", "Fox"]), rng.random() * 50))
        elif pick < 0.6:
            items.append(quality(rng.choice(["ok", "blurry"])))
        elif pick < 0.8:
            items.append(kind(*rng.choice([["Animal"], ["Animal", "Pet"]])))
        else:
            items.append(NOTE)
    return items


def test_label_counts_page_by_page_equal_a_loop_over_the_export(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(activity, "PAGE", 7)  # many pages, and a last one that is not full
    rng = random.Random(4)
    project = lnb.Project.create(tmp_path / "p", CONFIG)
    project.import_tasks([{"image": f"{i}.png"} for i in range(60)])
    for task in project.store.iter_tasks():
        for user in rng.sample(["al", "bo", "cy"], rng.randint(0, 3)):
            if rng.random() < 0.15:
                project.skip(task["id"], user)
            else:
                project.submit(task["id"], _random_result(rng), user)
    store = project.store
    counted = store.activity.label_counts(progress.LABEL_TYPES)
    assert len(counted) == 7
    expected: dict[tuple[str, str], int] = {}
    for task in store.iter_export_tasks():
        for annotation in task["annotations"]:
            if annotation["was_cancelled"]:
                continue
            for item in annotation["result"]:
                if item["type"] in ("rectanglelabels", "choices", "taxonomy"):
                    for label in item["value"][item["type"]]:
                        key = (item["from_name"], label[-1] if isinstance(label, list) else label)
                        expected[key] = expected.get(key, 0) + 1
    assert {(c.control, c.label): c.items for c in counted} == expected


def _set_times(project: lnb.Project, stamps: dict[tuple[int, str], str]) -> None:
    users = {email: uid for uid, email in project.store.users().items()}
    a = s.annotations
    with project.store.engine.begin() as conn:
        for (task, user), stamp in stamps.items():
            conn.execute(
                update(a).where(a.c.task_id == task, a.c.completed_by == users[user]).values(created_at=stamp)
            )


def test_throughput_per_hour_fills_the_gaps(project: lnb.Project) -> None:
    t1, t2, t3, _ = (task["id"] for task in project.store.iter_tasks())
    _set_times(
        project,
        {
            (t1, "al"): "2026-11-23T09:15:00.000000Z",
            (t2, "al"): "2026-11-23T09:59:59.999999Z",
            (t3, "al"): "2026-11-23T11:00:00.000000Z",  # the skip: not counted
            (t1, "bo"): "2026-11-23T12:30:00.000000Z",
            (t3, "bo"): "2026-11-23T12:31:00.000000Z",
        },
    )
    frame = progress.throughput(project.store, "hour")
    assert list(frame.columns) == progress.THROUGHPUT_COLUMNS
    assert frame.attrs["unit"] == "hour"
    table = frame.pivot(index="time", columns="user", values="annotations")
    hours = pd.date_range("2026-11-23T09:00", periods=4, freq="h", tz="UTC")
    assert list(table.index) == list(hours)
    assert table["al"].tolist() == [2, 0, 0, 0]
    assert table["bo"].tolist() == [0, 0, 0, 2]
    # three hours and a quarter: "auto" counts minutes (196 of them, fewer than MAX_BUCKETS)
    auto = progress.throughput(project.store)
    assert auto.attrs["unit"] == "minute"
    assert auto["annotations"].sum() == 4
    assert auto["time"].nunique() == 12 * 60 + 31 - (9 * 60 + 15) + 1
    days = progress.throughput(project.store, "day")
    assert days.groupby("user")["annotations"].sum().to_dict() == {"al": 2, "bo": 2}


def test_throughput_auto_unit_and_empty_project(tmp_path: Path, project: lnb.Project) -> None:
    t1, t2, t3, _ = (task["id"] for task in project.store.iter_tasks())
    stamps = {(t1, "al"): "2026-11-01T00:00:00Z", (t2, "al"): "2026-11-02T00:00:00Z"}
    stamps.update({(t1, "bo"): "2026-11-02T00:00:00Z", (t3, "bo"): "2026-11-20T00:00:00Z"})
    _set_times(project, stamps)
    assert progress.throughput(project.store).attrs["unit"] == "day"  # 19 days: 456 hours is too wide
    _set_times(project, {(t3, "bo"): "2026-11-05T00:00:00Z"})
    assert progress.throughput(project.store).attrs["unit"] == "hour"  # 4 days: 96 hours
    empty = lnb.Project.create(tmp_path / "empty", CONFIG)
    frame = progress.throughput(empty.store)
    assert frame.empty
    assert list(frame.columns) == progress.THROUGHPUT_COLUMNS
    with pytest.raises(ValueError, match="unit must be"):
        progress.throughput(empty.store, "week")  # type: ignore[arg-type]


def test_agreement_matrix_holds_cohen_kappa_per_pair(tmp_path: Path) -> None:
    project = lnb.Project.create(tmp_path / "p", CONFIG)
    project.import_tasks([{"image": f"{i}.png"} for i in range(6)])
    ids = [task["id"] for task in project.store.iter_tasks()]
    answers = {
        "al": ["ok", "ok", "blurry", "ok", "blurry", "ok"],
        "bo": ["ok", "blurry", "blurry", "ok", "blurry", "ok"],
        "cy": ["blurry", "ok", "blurry", "ok", None, "ok"],
    }
    for user, values in answers.items():
        for task, value in zip(ids, values, strict=True):
            if value is not None:
                project.submit(task, [quality(value), box("Cat")], user)
    # box is the config's first measurable control; quality is asked for by name
    assert progress.default_agreement_control(project.config) == "box"
    matrix = progress.agreement_matrix(project.agreement, project.config, "quality")
    assert matrix.attrs["control"] == "quality"
    assert matrix.attrs["measure"] == "cohen_kappa"
    assert list(matrix.index) == list(matrix.columns) == ["al", "bo", "cy"]
    for a in answers:
        assert math.isnan(matrix.loc[a, a])
        for b in answers:
            if a == b:
                continue
            both = [(x, y) for x, y in zip(answers[a], answers[b], strict=True) if x and y]
            expected = cohen_kappa_score([x for x, _ in both], [y for _, y in both])
            assert matrix.loc[a, b] == pytest.approx(expected)
            assert matrix.attrs["n_tasks"][b][a] == len(both)
    with pytest.raises(ValueError, match="'fleiss_kappa' is not measured per pair"):
        progress.agreement_matrix(project.agreement, project.config, "quality", "fleiss_kappa")
    boxes = progress.agreement_matrix(project.agreement, project.config)
    assert boxes.attrs["measure"] == "f1"
    assert boxes.loc["al", "cy"] == pytest.approx(1.0)
