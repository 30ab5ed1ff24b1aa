"""A labeling session driven from Python, as a simulated annotator or a dashboard would."""

from __future__ import annotations

import pytest

import labelnb as lnb

CONFIG = '<View><Text name="t" value="$t"/><Choices name="c" toName="t"><Choice value="a"/><Choice value="b"/></Choices></View>'


def pick(value: str) -> list[dict[str, object]]:
    return [{"from_name": "c", "to_name": "t", "type": "choices", "value": {"choices": [value]}}]


@pytest.fixture
def project(store_location: str) -> lnb.Project:
    p = lnb.Project.create(store_location, CONFIG)
    p.import_tasks([{"t": f"text {n}"} for n in range(3)])
    return p


def test_a_session_walks_the_queue_and_back(project: lnb.Project) -> None:
    session = project.session("alice")
    assert session.task is None
    first = session.next()
    assert first is not None
    assert first["data"] == {"t": "text 0"}
    assert session.can_back is False
    session.submit(first["id"], pick("a"), lead_time=1.0)
    second = session.advance()
    assert second is not None
    assert second["id"] == first["id"] + 1
    assert session.can_back is True
    assert session.back()["id"] == first["id"]
    assert session.start_from()[0] == project.annotations(first["id"])[0]["result"]
    session.submit(first["id"], pick("b"), lead_time=None)  # a new version of the same answer
    assert session.advance()["id"] == second["id"]  # type: ignore[index]
    assert len(project.history(project.annotations(first["id"])[0]["id"])) == 2


def test_a_session_checks_answers_like_the_widget(project: lnb.Project) -> None:
    session = project.session("alice")
    task = session.next()
    assert task is not None
    with pytest.raises(ValueError, match="not the task on screen"):
        session.submit(task["id"] + 1, pick("a"), lead_time=None)
    with pytest.raises(ValueError, match="not offered"):
        session.submit(task["id"], pick("z"), lead_time=None)
    session.save_draft(task["id"], pick("a"), lead_time=2.0)
    assert project.session("alice").next() is not None  # the lease is alice's: the same task again
    again = project.session("alice")
    again.next()
    assert again.start_from() == (pick("a"), None, False)  # the draft comes back
    assert project.annotations(task["id"]) == []


def test_identity_is_the_sessions(project: lnb.Project) -> None:
    session = project.session("bob@example.org")
    task = session.next()
    assert task is not None
    session.skip(task["id"])
    (skip,) = project.annotations(task["id"])
    assert skip["was_cancelled"] is True
    assert project.store.users()[skip["completed_by"]] == "bob@example.org"
    assert project.session("bob@example.org").next()["id"] != task["id"]  # type: ignore[index]


def test_a_textarea_draft_keeps_the_text_of_its_input(store_location: str) -> None:
    """The widget drafts what is typed and not added as Label Studio does (UTC-945): the item's entries in
    value.text (none yet: an empty list) and the input's text in meta.textAreaPendingInput. The kernel
    stores it and gives it back as it was, and still checks the entries."""
    config = '<View><Text name="t" value="$t"/><TextArea name="note" toName="t"/></View>'
    project = lnb.Project.create(store_location, config)
    project.import_tasks([{"t": "x"}])
    session = project.session("alice")
    task = session.next()
    assert task is not None
    draft = [
        {
            "id": "n1",
            "from_name": "note",
            "to_name": "t",
            "type": "textarea",
            "value": {"text": []},
            "meta": {"textAreaPendingInput": "half typed"},
            "origin": "manual",
        }
    ]
    session.save_draft(task["id"], draft, lead_time=1.0)
    again = project.session("alice")
    again.next()
    assert again.start_from() == (draft, None, False)
    with pytest.raises(ValueError, match=r"value.text\[0\] must be a string"):
        session.save_draft(task["id"], [{**draft[0], "value": {"text": [None]}}], lead_time=1.0)
