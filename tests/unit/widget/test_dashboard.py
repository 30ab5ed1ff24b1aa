"""The dashboard widget's kernel side: what its summary holds, and that only a well-formed refresh message
does anything. The browser is played by calling the message handler; tests/e2e draws it for real."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

import labelnb as lnb
from labelnb.team import review
from labelnb.widget import dashboard as dash
from labelnb.widget.dashboard import Dashboard
from labelnb.widget.notice import Notice

CONFIG = """
<View>
  <Image name="img" value="$image"/>
  <Choices name="quality" toName="img"><Choice value="ok"/><Choice value="blurry"/></Choices>
  <RectangleLabels name="box" toName="img"><Label value="Cat" background="#ff0000"/><Label value="Dog"/></RectangleLabels>
</View>
"""


def quality(value: str) -> dict[str, Any]:
    return {"from_name": "quality", "to_name": "img", "type": "choices", "value": {"choices": [value]}}


def cat() -> dict[str, Any]:
    value = {"x": 5, "y": 5, "width": 20, "height": 20, "rotation": 0, "rectanglelabels": ["Cat"]}
    return {"from_name": "box", "to_name": "img", "type": "rectanglelabels", "value": value}


@pytest.fixture
def project(tmp_path: Path) -> lnb.Project:
    project = lnb.Project.create(tmp_path / "team", CONFIG)
    project.import_tasks([{"image": f"{i}.png"} for i in range(5)])
    ids = [task["id"] for task in project.store.iter_tasks()]
    for task, value in zip(ids[:3], ["ok", "ok", "blurry"], strict=True):
        project.submit(task, [quality(value), cat()], "al", 4.0)
    for task, value in zip(ids[:3], ["ok", "blurry", "blurry"], strict=True):
        project.submit(task, [quality(value)], "bo", 2.0)
    project.skip(ids[3], "bo")
    return project


class Page:
    """The widget with what it sends kept, and a message handler driven as the front end drives it."""

    def __init__(self, widget: Dashboard) -> None:
        self.widget = widget
        self.sent: list[dict[str, Any]] = []
        widget.send = lambda content, buffers=None: self.sent.append(content)  # type: ignore[method-assign]

    def message(self, content: Any) -> dict[str, Any]:
        before = len(self.sent)
        self.widget._on_message(self.widget, content, [])
        assert len(self.sent) == before + 1, self.sent[before:]
        return self.sent[-1]


@pytest.fixture
def page(project: lnb.Project) -> Page:
    return Page(lnb.dashboard(project, refresh_every=5))


def test_summary_holds_the_numbers_and_is_plain_json(page: Page, project: lnb.Project) -> None:
    summary = page.widget.summary
    json.dumps(summary, allow_nan=False)  # what the trait carries: no NaN, no numpy types
    assert summary["overall"] == {
        "tasks": 5,
        "labeled": 3,  # the skipped task is not labelled (skip_queue "requeue for others")
        "percent_done": 60.0,
        "submitted": 6,
        "skipped": 1,
        "annotators": 2,
    }
    assert summary["users"] == [
        {"user": "al", "submitted": 3, "skipped": 0, "tasks": 3, "mean_lead_time": 4.0},
        {"user": "bo", "submitted": 3, "skipped": 1, "tasks": 4, "mean_lead_time": 2.0},
    ]
    assert summary["labels"] == [
        {
            "control": "quality",
            "tag": "Choices",
            "labels": [
                {"label": "ok", "count": 3, "color": None},
                {"label": "blurry", "count": 3, "color": None},
            ],
        },
        {
            "control": "box",
            "tag": "RectangleLabels",
            "labels": [
                {"label": "Cat", "count": 3, "color": "#ff0000"},
                {
                    "label": "Dog",
                    "count": 0,
                    "color": project.config.control_model()["controls"][1]["labels"][1]["color"],
                },
            ],
        },
    ]
    throughput = summary["throughput"]
    assert throughput["unit"] == "minute"
    assert sum(sum(s["counts"]) for s in throughput["series"]) == 6
    assert {s["user"] for s in throughput["series"]} == {"al", "bo"}
    assert all(len(s["counts"]) == len(throughput["times"]) for s in throughput["series"])
    # the first measurable control is quality: al and bo agree on 2 of 3 (kappa 0.4 by hand:
    # p_o = 2/3, p_e = (2/3)(1/3) + (1/3)(2/3) = 4/9, kappa = (2/3 - 4/9) / (5/9) = 0.4)
    agreement = summary["agreement"]
    assert (agreement["control"], agreement["measure"], agreement["annotators"]) == (
        "quality",
        "cohen_kappa",
        ["al", "bo"],
    )
    assert agreement["values"][0][0] is None
    assert agreement["values"][0][1] == pytest.approx(0.4)
    assert agreement["values"][1][0] == pytest.approx(0.4)
    assert agreement["n_tasks"] == [[0, 3], [3, 0]]
    assert summary["review"]["waiting"] == 6 == review.waiting_count(project.store)
    assert [row["annotator"] for row in summary["review"]["oldest"]] == ["al"] * 3 + ["bo"] * 3
    assert page.widget.refresh_every == 5.0
    assert page.widget.title == "team"


def test_refresh_message_recomputes_and_replies(page: Page, project: lnb.Project) -> None:
    # at once: a write just after the widget was made shows at the next request, however soon it comes
    task = [t["id"] for t in project.store.iter_tasks()][4]
    project.submit(task, [quality("ok")], "cy")
    assert page.widget.summary["overall"]["submitted"] == 6  # nothing changes until someone asks
    reply = page.message({"kind": "refresh", "request_id": "abc"})
    assert reply == {"kind": "reply", "request_id": "abc", "ok": True}
    summary = page.widget.summary
    assert summary["overall"]["submitted"] == 7
    assert summary["overall"]["labeled"] == 4
    assert [u["user"] for u in summary["users"]] == ["al", "bo", "cy"]
    # a verdict takes an annotation off the review queue
    first = summary["review"]["oldest"][0]
    reviewer = project.store.ensure_user("lead")
    review.record_verdict(
        project.store, first["annotation"], reviewer, review.ACCEPTED, version=first["version"]
    )
    page.message({"kind": "refresh", "request_id": "abd"})
    assert page.widget.summary["review"]["waiting"] == 6


@pytest.mark.parametrize(
    ("content", "error"),
    [
        ({"kind": "submit", "request_id": "x", "task_id": 1, "result": []}, "unknown message kind 'submit'"),
        ({"kind": "refresh"}, "request_id"),
        ({"kind": "refresh", "request_id": 7}, "request_id"),
        ({"kind": "refresh", "request_id": "x" * 101}, "request_id"),
        ({"kind": "refresh", "request_id": "x", "control": "box"}, "no field 'control'"),
        (["refresh"], "JSON object"),
        ("refresh", "JSON object"),
        (None, "JSON object"),
    ],
)
def test_anything_but_a_refresh_gets_an_error_and_does_nothing(
    page: Page, content: Any, error: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[None] = []
    monkeypatch.setattr(page.widget, "refresh", lambda: calls.append(None))
    reply = page.message(content)
    assert reply["kind"] == "reply"
    assert reply["ok"] is False
    assert error in reply["error"]
    given = content.get("request_id") if isinstance(content, dict) else None
    assert reply["request_id"] == (given if isinstance(given, str) and len(given) <= 100 else "")
    assert calls == []


def test_a_failed_refresh_keeps_the_last_summary_and_says_why(
    page: Page, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = page.widget.summary

    def broken() -> dict[str, Any]:
        raise RuntimeError("database is locked")

    monkeypatch.setattr(page.widget._source, "fingerprint", broken)
    reply = page.message({"kind": "refresh", "request_id": "r"})
    assert reply["ok"] is False
    assert "database is locked" in reply["error"]
    assert page.widget.error == "Could not refresh: RuntimeError: database is locked"
    assert page.widget.summary is before


def test_options(project: lnb.Project) -> None:
    quiet = lnb.dashboard(project, agreement=False, review=False, refresh_every=0)
    assert quiet.summary["agreement"] is None
    assert quiet.summary["review"] is None
    assert quiet.refresh_every == 0
    boxes = lnb.dashboard(project, control="box")
    assert boxes.summary["agreement"]["measure"] == "f1"
    assert boxes.summary["agreement"]["annotators"] == []  # bo drew no box: no pair to show
    with pytest.raises(ValueError, match="not in the config"):
        lnb.dashboard(project, control="nope")
    with pytest.raises(ValueError, match="refresh_every"):
        lnb.dashboard(project, refresh_every=0.5)
    with pytest.raises(ValueError, match="unknown measure 'nonsense'"):
        lnb.dashboard(project, measure="nonsense")
    # a measure of another kind of control than the one shown: the panel says so
    wrong_kind = lnb.dashboard(project, measure="f1_exact")
    assert "use one of cohen_kappa" in wrong_kind.summary["agreement"]["error"]


def test_throughput_sums_users_beyond_the_series_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dash, "MAX_SERIES", 2)
    project = lnb.Project.create(tmp_path / "many", CONFIG)
    project.import_tasks([{"image": f"{i}.png"} for i in range(4)])
    ids = [task["id"] for task in project.store.iter_tasks()]
    for n, user in enumerate(["a", "b", "c", "d"]):
        for task in ids[: n + 1]:
            project.submit(task, [quality("ok")], user)
    series = lnb.dashboard(project).summary["throughput"]["series"]
    assert [(s["user"], sum(s["counts"])) for s in series] == [("d", 4), ("c", 3), (None, 3)]
    assert series[-1]["others"] == 2


def test_a_refresh_recomputes_only_after_a_write(
    page: Page, project: lnb.Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = page.widget._source
    computed: list[None] = []
    original = dash.summarise

    def counting(src: Any) -> dict[str, Any]:
        computed.append(None)
        return original(src)

    monkeypatch.setattr(dash, "summarise", counting)
    page.message({"kind": "refresh", "request_id": "a"})
    assert computed == []  # nothing was written since the widget was made
    ids = [t["id"] for t in project.store.iter_tasks()]
    reviewer = project.store.ensure_user("lead")
    first = review.review_queue(project.store).iloc[0]
    writes = [
        lambda: project.submit(ids[4], [quality("ok")], "cy"),  # a new annotation
        lambda: project.submit(ids[4], [quality("blurry")], "cy"),  # a new version of it
        lambda: project.skip(ids[4], "al"),
        lambda: review.record_verdict(
            project.store, int(first["annotation"]), reviewer, review.ACCEPTED, version=int(first["version"])
        ),
        lambda: project.import_tasks([{"image": "more.png"}]),
    ]
    for n, write in enumerate(writes, start=1):
        before = source.fingerprint()
        write()
        assert source.fingerprint() != before, n
        page.message({"kind": "refresh", "request_id": f"w{n}"})
        assert len(computed) == n
    page.message({"kind": "refresh", "request_id": "quiet"})
    assert len(computed) == len(writes)
    assert page.widget.summary["overall"]["tasks"] == 6
    page.widget.refresh()  # from Python: always recomputed
    assert len(computed) == len(writes) + 1


def test_many_labels_and_annotators_are_cut_to_the_most_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dash, "MAX_LABELS", 1)
    monkeypatch.setattr(dash, "MAX_USERS", 2)
    project = lnb.Project.create(tmp_path / "cut", CONFIG)
    project.import_tasks([{"image": f"{i}.png"} for i in range(3)])
    ids = [task["id"] for task in project.store.iter_tasks()]
    for n, user in enumerate(["a", "b", "c"]):
        for task in ids[: n + 1]:
            project.submit(task, [quality("blurry" if n else "ok")], user)
    summary = lnb.dashboard(project).summary
    quality_labels = next(c for c in summary["labels"] if c["control"] == "quality")
    assert quality_labels["labels"] == [{"label": "blurry", "count": 5, "color": None}]
    assert quality_labels["others"] == {"labels": 1, "count": 1}
    assert [u["user"] for u in summary["users"]] == ["b", "c"]  # the two most active, in name order
    assert summary["more_users"] == 1
    assert summary["overall"]["submitted"] == 6  # the headline counts everyone


def test_in_a_team_only_those_who_may_see_tasks_get_it(project: lnb.Project) -> None:
    project.user = "lead"
    project.add_member("al@example.org", "annotator")  # lead becomes the owner
    project.add_member("rex", "reviewer")
    location = project.location
    refused = lnb.dashboard(lnb.Project.open(location, user="al@example.org"))
    assert isinstance(refused, Notice)
    assert "may not see tasks" in refused.message
    assert isinstance(lnb.dashboard(lnb.Project.open(location, user="rex")), Dashboard)
    page = Page(lnb.dashboard(lnb.Project.open(location, user="rex"), refresh_every=0))
    assert page.widget.summary["overall"]["submitted"] == 6
    project.team.set_role("rex", "annotator", by="lead")  # rex loses the right while the page is open
    reply = page.message({"kind": "refresh", "request_id": "later"})
    assert reply["ok"] is False
    assert "may not see tasks" in reply["error"]
    assert page.widget.summary == {}  # nothing left on screen
