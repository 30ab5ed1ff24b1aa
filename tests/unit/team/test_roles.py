"""Roles are checked in the kernel before every action: each action sent as each role is done or refused,
and a refused one stores nothing."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

import labelnb as lnb
from labelnb.team.roles import NotAllowed
from labelnb.widget import protocol
from labelnb.widget.annotator import Annotator

CONFIG = """
<View>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text">
    <Choice value="Positive"/><Choice value="Negative"/>
  </Choices>
</View>
"""
POSITIVE = [
    {"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["Positive"]}}
]

# written out from the matrix, not read from labelnb.team.roles, so a change there fails here
MAY = {
    "owner": {"see tasks", "submit", "review", "export", "change settings"},
    "manager": {"see tasks", "submit", "review", "export", "change settings"},
    "reviewer": {"see tasks", "submit", "review"},
    "annotator": {"submit"},
    "stranger": set(),
}


def _submit(project: lnb.Project) -> Any:
    return project.submit(2, POSITIVE)


def _review(project: lnb.Project) -> Any:
    waiting = int(project.store.annotations(1)[0]["id"])
    return project.accept(waiting)


ACTIONS: dict[str, Callable[[lnb.Project], Any]] = {
    "see tasks": lambda project: project.tasks_frame(),
    "submit": _submit,
    "review": _review,
    "export": lambda project: project.export("json"),
    "change settings": lambda project: project.configure_queue(maximum_annotations=2),
}


def team_project(folder: str) -> None:
    project = lnb.Project.create(folder, CONFIG, user="lead")
    project.import_tasks([{"text": f"t{i}"} for i in range(3)])
    project.add_member("mia", "manager")
    project.add_member("rita", "reviewer")
    project.add_member("ann", "annotator")
    project.add_member("amy", "annotator")
    project.submit(1, POSITIVE, user="amy")  # something to review
    project.close()


def snapshot(project: lnb.Project) -> dict[str, Any]:
    """Everything the store holds that an action could change."""
    from labelnb.store import read_transaction, schema

    with read_transaction(project.store.engine) as conn:
        counts = {
            name: conn.execute(select(func.count()).select_from(table)).scalar_one()
            for name, table in schema.metadata.tables.items()
            if name != "events"
        }
        annotations = conn.execute(
            select(schema.annotations.c.id, schema.annotations.c.version, schema.annotations.c.last_action)
        ).all()
        settings = conn.execute(select(schema.projects.c.settings)).scalar_one()
    return {"counts": counts, "annotations": annotations, "settings": settings}


@pytest.fixture
def folder(store_location: str) -> str:
    """The team project's location, on SQLite and on PostgreSQL."""
    team_project(store_location)
    return store_location


@pytest.mark.parametrize("action", sorted(ACTIONS))
@pytest.mark.parametrize(
    ("role", "user"),
    [("owner", "lead"), ("manager", "mia"), ("reviewer", "rita"), ("annotator", "ann"), ("stranger", "eve")],
)
def test_each_action_as_each_role(folder: str, role: str, user: str, action: str) -> None:
    project = lnb.Project.open(folder, user=user)
    before = snapshot(project)
    if action in MAY[role]:
        ACTIONS[action](project)
        return
    with pytest.raises(NotAllowed, match=f"{user} .*may not {action}"):
        ACTIONS[action](project)
    assert snapshot(project) == before


def test_a_personal_project_lets_whoever_opens_it_do_everything(tmp_path: Path) -> None:
    project = lnb.Project.create(tmp_path, CONFIG, user="someone")
    project.import_tasks([{"text": "a"}])
    project.submit(1, POSITIVE)
    assert project.team.is_team() is False
    assert len(project.tasks_frame()) == 1
    project.export("json")


def test_membership_rules(folder: str) -> None:
    owner = lnb.Project.open(folder, user="lead")
    assert owner.members() == {
        "amy": "annotator",
        "ann": "annotator",
        "lead": "owner",
        "mia": "manager",
        "rita": "reviewer",
    }
    manager = lnb.Project.open(folder, user="mia")
    manager.add_member("zed", "reviewer")  # a manager adds reviewers and annotators
    with pytest.raises(NotAllowed, match="only an owner"):
        manager.add_member("zed", "manager")
    with pytest.raises(NotAllowed, match="only an owner"):
        manager.remove_member("lead")
    annotator = lnb.Project.open(folder, user="ann")
    with pytest.raises(NotAllowed):
        annotator.add_member("ann", "owner")
    with pytest.raises(ValueError, match="at least one owner"):
        owner.remove_member("lead")
    with pytest.raises(ValueError, match="unknown role"):
        owner.add_member("x", "admin")
    assert owner.members()["zed"] == "reviewer"
    assert "x" not in owner.members()


def test_the_widget_checks_the_role_on_every_message(folder: str) -> None:
    """A member taken out while their widget is open can no longer submit through it; nothing is stored."""
    ann = lnb.Project.open(folder, user="ann")
    widget = ann.annotate()
    assert isinstance(widget, Annotator)
    task_id = widget.task["id"]
    lnb.Project.open(folder, user="lead").remove_member("ann")
    sent: list[dict[str, Any]] = []
    widget.send = lambda content, buffers=None: sent.append(content)  # type: ignore[method-assign]
    widget._on_message(
        widget,
        {"kind": "submit", "request_id": "r1", "task_id": task_id, "result": POSITIVE, "lead_time": 1.0},
        [],
    )
    assert sent[-1]["kind"] == "reply"
    assert "ann is not a member" in sent[-1]["error"]
    assert [a["completed_by"] for a in lnb.Project.open(folder, user="lead").annotations(task_id)] == []
    # and a stranger's page gets a notice, not a widget
    notice = lnb.Project.open(folder, user="eve").annotate()
    assert not isinstance(notice, Annotator)
    assert "eve is not a member" in notice.message  # type: ignore[union-attr]


def test_an_annotator_cannot_review_through_the_widget(folder: str) -> None:
    widget = lnb.Project.open(folder, user="ann").annotate()
    assert isinstance(widget, Annotator)
    sent: list[dict[str, Any]] = []
    widget.send = lambda content, buffers=None: sent.append(content)  # type: ignore[method-assign]
    message = {"kind": "reject", "request_id": "r", "task_id": widget.task["id"], "comment": "no"}
    assert isinstance(protocol.parse_browser_message(message), protocol.Reject)
    widget._on_message(widget, message, [])
    assert "only a review session" in sent[-1]["error"]
    notice = lnb.Project.open(folder, user="ann").review()
    assert "may not review" in notice.message  # type: ignore[union-attr]
