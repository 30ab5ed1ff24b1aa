"""The review stream: accept, reject (back to the author's queue with a comment) and fix (a new version
that keeps the original); review state in exports and tasks_frame; blind labelling with overlap."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

import labelnb as lnb
from labelnb.config import ResultError
from labelnb.queue.next_task import REJECTED
from labelnb.session import ReviewSession
from labelnb.team.review import ReviewConflict
from labelnb.widget.annotator import Annotator

CONFIG = """
<View>
  <Text name="text" value="$text"/>
  <Labels name="ner" toName="text"><Label value="PER"/><Label value="ORG"/></Labels>
</View>
"""


def span(label: str, start: int = 0, end: int = 5, region: str = "r1") -> list[dict[str, Any]]:
    return [
        {
            "id": region,
            "from_name": "ner",
            "to_name": "text",
            "type": "labels",
            "value": {"start": start, "end": end, "text": "Alice Smith"[start:end], "labels": [label]},
        }
    ]


@pytest.fixture
def project(store_location: str) -> lnb.Project:
    """A team project on SQLite and on PostgreSQL."""
    project = lnb.Project.create(store_location, CONFIG, user="lead", maximum_annotations=2)
    project.import_tasks([{"text": "Alice Smith"} for _ in range(3)])
    for name, role in (("rita", "reviewer"), ("ann", "annotator"), ("bob", "annotator")):
        project.add_member(name, role)
    return project


def widget_send(widget: Annotator, message: dict[str, Any]) -> dict[str, Any]:
    sent: list[dict[str, Any]] = []
    widget.send = lambda content, buffers=None: sent.append(content)  # type: ignore[method-assign]
    widget._on_message(widget, {"request_id": "r", **message}, [])
    return sent[-1]


def test_accept_shows_in_exports_and_the_task_table(project: lnb.Project, tmp_path: Path) -> None:
    annotation = project.submit(1, span("PER"), user="ann")
    assert project.review_queue()["annotation"].tolist() == [annotation]
    assert project.tasks_frame().set_index("id").loc[1, "review_state"] == "pending"
    project.accept(annotation, user="rita")
    assert project.review_queue().empty
    assert project.tasks_frame().set_index("id").loc[1, "review_state"] == "accepted"
    exported = orjson.loads(project.export("json", tmp_path / "out.json").read_bytes())
    assert [a["last_action"] for a in exported[0]["annotations"]] == ["accepted"]
    assert project.reviews(annotation)[0] | {"created_at": None} == {
        "reviewer": "rita", "verdict": "accepted", "comment": None, "version": 1, "created_at": None
    }  # fmt: skip
    with pytest.raises(ReviewConflict):  # judged already
        project.reject(annotation, "too late", user="rita")


def test_reject_sends_the_task_back_to_its_author_first(project: lnb.Project) -> None:
    annotation = project.submit(2, span("ORG"), user="ann")
    with pytest.raises(ValueError, match="needs a comment"):
        project.reject(annotation, "  ", user="rita")
    assert project.reviews(annotation) == []  # nothing written
    project.reject(annotation, "Alice is a person", user="rita")
    assert project.tasks_frame().set_index("id").loc[2, "review_state"] == "rejected"
    session = project.session("ann")
    task = session.next()
    assert task is not None
    assert task["id"] == 2
    assert session.last_queue == REJECTED
    assert session.start_from()[0] == span("ORG")  # their answer, to correct
    assert session.review_note() == {"rejected_by": "rita", "comment": "Alice is a person"}
    widget = project.annotate("ann")
    assert isinstance(widget, Annotator)
    assert widget.task["review"] == {"rejected_by": "rita", "comment": "Alice is a person"}
    assert (
        widget_send(widget, {"kind": "submit", "task_id": 2, "result": span("PER"), "lead_time": 2.0}).get(
            "error"
        )
        is None
    )
    # the correction is a new version that waits for review again; the task leaves the rejected stage
    assert [v["version"] for v in project.history(annotation)] == [1, 2]
    assert project.review_queue()["annotation"].tolist() == [annotation]
    assert project.session("ann").next()["id"] != 2  # type: ignore[index]


def test_fix_is_a_new_version_that_keeps_the_original_and_its_author(project: lnb.Project) -> None:
    annotation = project.submit(1, span("ORG"), user="ann")
    with pytest.raises(ResultError):
        project.fix(annotation, span("LOC"), user="rita")  # not a label of the config
    assert project.history(annotation)[-1]["version"] == 1
    project.fix(annotation, span("PER"), user="rita")
    history = project.history(annotation)
    users = project.store.users()
    assert [(v["version"], users[v["user_id"]], v["action"]) for v in history] == [
        (1, "ann", "submitted"),
        (2, "rita", "fixed_and_accepted"),
    ]
    assert history[0]["result"] == span("ORG")  # the original stays in history
    (stored,) = project.annotations(1)
    assert users[stored["completed_by"]] == "ann"
    assert stored["last_action"] == "fixed_and_accepted"
    assert stored["result"][0]["value"]["labels"] == ["PER"]


def test_the_review_widget_accepts_fixes_rejects_and_passes(project: lnb.Project) -> None:
    first = project.submit(1, span("PER"), user="ann")
    second = project.submit(2, span("ORG"), user="bob")
    third = project.submit(3, span("ORG"), user="ann")
    mine = project.submit(3, span("PER"), user="rita")  # a reviewer's own work goes to someone else
    widget = project.review("rita")
    assert isinstance(widget, Annotator)
    assert isinstance(widget._session, ReviewSession)
    assert widget.task["review"] == {"reviewing": "ann", "version": 1}
    assert widget.task["result"] == span("PER")
    assert (
        widget_send(widget, {"kind": "submit", "task_id": 1, "result": span("PER"), "lead_time": 1.0}).get(
            "error"
        )
        is None
    )
    assert widget.task["id"] == 2  # accepted as it was; the next one is on screen
    assert (
        widget_send(widget, {"kind": "submit", "task_id": 2, "result": span("PER"), "lead_time": 1.0}).get(
            "error"
        )
        is None
    )
    assert widget_send(widget, {"kind": "skip", "task_id": 3}).get("error") is None  # passed over: no verdict
    assert widget.task["id"] == 3
    assert widget.task["annotation_id"] == third
    reply = widget_send(widget, {"kind": "reject", "task_id": 3, "comment": ""})
    assert "needs a comment" in reply["error"]
    assert widget_send(widget, {"kind": "reject", "task_id": 3, "comment": "ORG? no"}).get("error") is None
    assert widget.task == {}  # nothing left but rita's own
    actions = {a["id"]: a["last_action"] for t in (1, 2, 3) for a in project.annotations(t)}
    assert actions == {first: "accepted", second: "fixed_and_accepted", third: "rejected", mine: "submitted"}


def test_two_reviewers_cannot_both_judge_one_version(project: lnb.Project) -> None:
    annotation = project.submit(1, span("PER"), user="ann")
    project.add_member("rex", "reviewer")
    rita, rex = project.review_session("rita"), project.review_session("rex")
    assert rita.next() is not None
    assert rex.next() is not None
    rita.submit(1, span("PER"), None)
    with pytest.raises(ReviewConflict, match="changed since version 1"):
        rex.reject(1, "no")
    assert [r["reviewer"] for r in project.reviews(annotation)] == ["rita"]


def test_overlap_labelling_is_blind(project: lnb.Project) -> None:
    """With overlap 2, bob is given the task ann answered and sees nothing of her answer, anywhere."""
    secret = span("ORG", region="ann-secret-region")
    project.submit(1, secret, user="ann")
    widget = project.annotate("bob")
    assert isinstance(widget, Annotator)
    assert widget.task["id"] == 1  # breadth first: the task in progress
    state = orjson.dumps({name: getattr(widget, name) for name in ("view", "controls", "task", "status")})
    assert b"ann-secret-region" not in state
    assert b"ann" not in state.replace(b"annotation", b"")
    bob = lnb.Project.open(project.location, user="bob")
    for peek in (
        lambda: bob.annotations(1),
        bob.tasks_frame,
        lambda: bob.history(1),
        bob.stats,
        bob.review_queue,
    ):
        with pytest.raises(PermissionError):
            peek()
