"""The widget's kernel side: every browser message is checked before anything is stored.

The browser is played by calling the widget's message handler with what the front end sends; what the
kernel sends back is captured from ``Annotator.send``. The real round trip through a browser is covered
by tests/e2e.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import select

import labelnb as lnb
from labelnb.store import read_transaction
from labelnb.store import schema as s
from labelnb.widget.annotator import Annotator, UnsupportedTagWarning
from tests.kernel_browser import Browser, open_widget

CONFIG = """
<View>
  <Header value="$title"/>
  <Image name="image" value="$image"/>
  <Choices name="kind" toName="image"><Choice value="cat"/><Choice value="dog"/></Choices>
</View>
"""


def pick(value: str) -> list[dict[str, Any]]:
    return [{"from_name": "kind", "to_name": "image", "type": "choices", "value": {"choices": [value]}}]


@pytest.fixture
def images(tmp_path: Path) -> list[Path]:
    paths = []
    for n in range(5):
        path = tmp_path / "media" / f"img{n}.png"
        path.parent.mkdir(exist_ok=True)
        Image.new("RGB", (8 + n, 8), (n * 40, 0, 0)).save(path)
        paths.append(path)
    return paths


@pytest.fixture
def project(tmp_path: Path, images: list[Path]) -> lnb.Project:
    p = lnb.Project.create(tmp_path / "p", CONFIG)
    p.import_tasks([{"image": str(path), "title": f"picture {n}"} for n, path in enumerate(images)])
    return p


@pytest.fixture
def browser(project: lnb.Project, tmp_path: Path) -> Browser:
    return open_widget(project, media_roots=[tmp_path / "media"])


def test_first_task_state_and_prefetched_media(browser: Browser, images: list[Path]) -> None:
    w = browser.widget
    assert w.task["id"] == 1
    assert w.task["data"]["title"] == "picture 0"
    assert w.task["media"] == [str(images[0])]
    assert w.task["can_back"] is False
    assert w.view["tag"] == "View"
    assert w.status == {
        "done": 0,
        "total": 5,
        "empty": False,
        "message": "",
        "user": "alice",
        "renew_every": 1200.0,  # a third of the default lease of an hour
    }
    # nothing is pushed before the browser's model listens (it would be lost); its first request starts it
    assert browser.media() == {}
    assert browser.send("media", values=[str(images[0])])["ok"] is True
    media = browser.media()
    # the current task and the next two, as bytes, never base64
    assert set(media) == {str(images[0]), str(images[1]), str(images[2])}
    assert media[str(images[1])] == images[1].read_bytes()
    browser.send("submit", task_id=1, result=pick("cat"))
    assert str(images[3]) in browser.media()  # prefetched as task 2 comes up
    assert all(c["mime"] == "image/png" for c, _ in browser.received if c["kind"] == "media")


def test_submit_stores_and_moves_on(browser: Browser, project: lnb.Project) -> None:
    assert browser.send("submit", task_id=1, result=pick("cat"), lead_time=1.25)["ok"] is True
    stored = project.annotations(1)
    assert stored[0]["result"][0]["value"] == {"choices": ["cat"]}
    assert stored[0]["lead_time"] == 1.25
    assert project.stats()["by_user"] == {"alice": 1}
    assert browser.widget.task["id"] == 2
    assert browser.widget.status["done"] == 1
    assert browser.widget.task["can_back"] is True


@pytest.mark.parametrize(
    ("fields", "says"),
    [
        ({"task_id": 2, "result": pick("cat")}, "not the task on screen"),
        ({"task_id": 1, "result": pick("hamster")}, "hamster"),
        (
            {
                "task_id": 1,
                "result": [
                    {
                        "from_name": "nope",
                        "to_name": "image",
                        "type": "choices",
                        "value": {"choices": ["cat"]},
                    }
                ],
            },
            "nope",
        ),
        ({"task_id": "1", "result": pick("cat")}, "task_id"),
        ({"task_id": 1, "result": "cat"}, "result"),
    ],
)
def test_bad_submissions_are_answered_with_an_error_and_store_nothing(
    browser: Browser, project: lnb.Project, fields: dict[str, Any], says: str
) -> None:
    answer = browser.send("submit", **fields)
    assert answer["ok"] is False
    assert says in answer["error"]
    assert answer["error"].startswith("Not saved")
    assert project.annotations(1) == []
    assert project.annotations(2) == []
    assert browser.widget.task["id"] == 1


def test_identity_cannot_come_from_the_browser(browser: Browser, project: lnb.Project) -> None:
    browser.widget.status = {
        **browser.widget.status,
        "user": "mallory",
    }  # a synced trait the browser could set
    browser.send("submit", task_id=1, result=pick("dog"), user="mallory", completed_by="mallory")
    assert project.stats()["by_user"] == {"alice": 1}


def _leases(project: lnb.Project, task_id: int) -> dict[str, float]:
    """Who holds a lease on the task, and until when."""
    with read_transaction(project.store.engine) as conn:
        rows = conn.execute(
            select(s.users.c.email, s.leases.c.expires_at)
            .join(s.users, s.users.c.id == s.leases.c.user_id)
            .where(s.leases.c.task_id == task_id)
        )
        return {str(email): float(expires) for email, expires in rows}


def _project(tmp_path: Path, images: list[Path], lease_ttl: float) -> lnb.Project:
    p = lnb.Project.create(tmp_path / "leases", CONFIG, lease_ttl=lease_ttl)
    p.import_tasks([{"image": str(path), "title": f"picture {n}"} for n, path in enumerate(images)])
    return p


def test_renew_keeps_the_task_on_screen_and_close_gives_it_back(tmp_path: Path, images: list[Path]) -> None:
    project = _project(tmp_path, images, lease_ttl=30.0)
    alice = open_widget(project, media_roots=[tmp_path / "media"])
    assert alice.widget.status["renew_every"] == 10.0
    first = _leases(project, 1)["alice"]
    time.sleep(0.05)
    assert alice.send("renew", task_id=1)["ok"] is True
    assert _leases(project, 1)["alice"] > first
    # only the task on screen: a renewal of another task (a stale timer, a forged message) does nothing
    assert alice.send("renew", task_id=2)["ok"] is True
    assert _leases(project, 2) == {}
    assert alice.send("renew", task_id="1")["ok"] is False
    # bob is given the next task while alice holds task 1; when her widget closes, task 1 is free again
    assert (project.next_task("bob") or {}).get("id") == 2
    alice.widget.close()
    assert _leases(project, 1) == {}
    assert (project.next_task("carol") or {}).get("id") == 1


def test_a_lease_that_ran_out_is_not_taken_back(tmp_path: Path, images: list[Path]) -> None:
    project = _project(tmp_path, images, lease_ttl=0.05)
    alice = open_widget(project, media_roots=[tmp_path / "media"])
    time.sleep(0.1)  # alice's lease ran out, and bob is given her task
    assert (project.next_task("bob") or {}).get("id") == 1
    before = _leases(project, 1)
    assert alice.send("renew", task_id=1)["ok"] is True
    assert _leases(project, 1) == before  # alice's expired lease stays expired; bob keeps the task


def test_unknown_and_malformed_messages(browser: Browser) -> None:
    assert browser.send("drop_tables")["ok"] is False
    browser.widget._on_message(browser.widget, ["not", "a", "dict"], [])
    assert browser.received[-1][0]["ok"] is False


def test_skip_then_back_shows_the_stored_answer_and_updates_it(
    browser: Browser, project: lnb.Project
) -> None:
    browser.send("submit", task_id=1, result=pick("cat"))
    browser.send("skip", task_id=2)
    assert browser.widget.task["id"] == 3
    browser.send("back")
    assert browser.widget.task["id"] == 2  # the skipped task, with its (empty, cancelled) answer
    assert browser.widget.task["result"] == []
    browser.send("back")
    w = browser.widget
    assert w.task["id"] == 1
    assert w.task["result"][0]["value"] == {"choices": ["cat"]}
    annotation_id = w.task["annotation_id"]
    assert annotation_id is not None
    assert w.task["can_back"] is False
    assert browser.send("back")["ok"] is False  # nothing before the first task
    browser.send("submit", task_id=1, result=pick("dog"))
    assert [v["result"][0]["value"]["choices"] for v in project.history(annotation_id)] == [["cat"], ["dog"]]
    assert w.task["id"] == 2  # forward through the history
    browser.send("submit", task_id=2, result=pick("cat"))
    assert w.task["id"] == 3  # back in the queue
    assert project.stats()["labeled"] == 2


def test_drafts_come_back_in_a_new_widget(browser: Browser, project: lnb.Project, tmp_path: Path) -> None:
    browser.send("draft", task_id=1, result=pick("dog"), lead_time=4.0)
    again = project.annotate(user="alice", media_roots=[tmp_path / "media"])
    assert again.task["id"] == 1  # still leased to alice
    assert again.task["result"] == pick("dog")
    assert again.task["annotation_id"] is None


def test_a_view_rendered_again_starts_from_the_latest_draft(browser: Browser) -> None:
    # a page reload renders the widget from its traits: they must hold the draft, not the task's start
    task_key = (browser.widget.task["id"], browser.widget.task["annotation_id"])
    browser.send("draft", task_id=1, result=pick("dog"), lead_time=2.0)
    assert browser.widget.task["result"] == pick("dog")
    assert (browser.widget.task["id"], browser.widget.task["annotation_id"]) == task_key
    browser.send("draft", task_id=99, result=pick("cat"), lead_time=2.0)  # not the task on screen
    assert browser.widget.task["result"] == pick("dog")


def test_media_outside_the_allowed_roots_is_refused(tmp_path: Path) -> None:
    secret = tmp_path / "secret.png"
    Image.new("RGB", (4, 4)).save(secret)
    p = lnb.Project.create(tmp_path / "q", CONFIG)
    p.import_tasks(
        [{"image": str(secret), "title": "x"}, {"image": "https://example.org/a.png", "title": "y"}]
    )
    widget = Annotator.__new__(Annotator)
    sent: list[dict[str, Any]] = []
    widget.send = lambda content, buffers=None: sent.append(content)  # type: ignore[method-assign]
    Annotator.__init__(widget, p.session("alice", media_roots=[tmp_path / "media"]))
    widget._on_message(widget, {"kind": "media", "request_id": "m", "values": [str(secret)]}, [])
    errors = [c for c in sent if c["kind"] == "media_error"]
    assert len(errors) == 1
    assert "allowed roots" in errors[0]["error"]
    assert not [c for c in sent if c["kind"] == "media"]
    browser = Browser(widget)
    browser.send("submit", task_id=1, result=pick("cat"))
    assert widget.task["media"] == []  # http(s) URLs go to the browser as they are
    assert widget.task["data"]["image"] == "https://example.org/a.png"


def test_empty_queue(browser: Browser) -> None:
    for task_id in range(1, 6):
        browser.send("submit", task_id=task_id, result=pick("cat"))
    w = browser.widget
    assert w.task == {"can_back": True}
    assert w.status["empty"] is True
    assert w.status["done"] == 5
    assert w.status["message"] == ""  # the empty screen says "All done" itself, once


def test_back_from_the_all_done_screen(browser: Browser, project: lnb.Project) -> None:
    for task_id in range(1, 6):
        browser.send("submit", task_id=task_id, result=pick("cat"))
    assert browser.widget.task == {"can_back": True}
    browser.send("back")
    assert browser.widget.task["id"] == 5
    assert browser.widget.task["result"][0]["value"] == {"choices": ["cat"]}
    browser.send("submit", task_id=5, result=pick("dog"))
    assert browser.widget.status["empty"] is True
    assert project.annotations(5)[0]["result"][0]["value"] == {"choices": ["dog"]}


def test_back_to_a_skipped_task_says_it_was_skipped(browser: Browser) -> None:
    browser.send("skip", task_id=1)
    assert browser.widget.task["skipped"] is False  # task 2, fresh
    browser.send("back")
    assert browser.widget.task["id"] == 1
    assert browser.widget.task["skipped"] is True
    browser.send("submit", task_id=1, result=pick("cat"))  # answering replaces the skip
    browser.send("back")
    assert browser.widget.task["id"] == 1
    assert browser.widget.task["skipped"] is False


def test_a_new_widget_can_go_back_to_earlier_answers(
    browser: Browser, project: lnb.Project, tmp_path: Path
) -> None:
    browser.send("submit", task_id=1, result=pick("cat"))
    browser.send("skip", task_id=2)
    again = open_widget(project, media_roots=[tmp_path / "media"])
    assert again.widget.task["id"] == 3
    assert again.widget.task["can_back"] is True
    again.send("back")
    assert again.widget.task["id"] == 2
    assert again.widget.task["skipped"] is True
    again.send("back")
    assert again.widget.task["id"] == 1
    assert again.widget.task["result"][0]["value"] == {"choices": ["cat"]}
    assert again.widget.task["can_back"] is False
    # another user's widget has no history of alice's
    bob = open_widget(project, user="bob", media_roots=[tmp_path / "media"])
    assert bob.widget.task["can_back"] is False


def test_a_project_without_tasks_says_so_once(tmp_path: Path) -> None:
    widget = open_widget(lnb.Project.create(tmp_path / "empty", CONFIG))
    assert widget.widget.status["empty"] is True
    assert widget.widget.status["total"] == 0
    assert widget.widget.status["message"] == ""


UNSUPPORTED = """
<View>
  <Image name="image" value="$image"/>
  <MagicWand name="wand" toName="image"/>
  <Choices name="kind" toName="image"><Choice value="cat"/><Choice value="dog"/></Choices>
</View>
"""


def test_tags_the_widget_cannot_show_are_named_and_block_empty_submissions(
    tmp_path: Path, images: list[Path]
) -> None:
    project = lnb.Project.create(tmp_path / "u", UNSUPPORTED)
    project.import_tasks([{"image": str(images[0])}, {"image": str(images[1])}])
    with pytest.warns(UnsupportedTagWarning, match="MagicWand"):
        browser = open_widget(project, media_roots=[tmp_path / "media"])
    assert "MagicWand" in browser.widget.status["message"]
    answer = browser.send("submit", task_id=1, result=[])
    assert answer["ok"] is False
    assert "MagicWand" in answer["error"]
    assert project.annotations(1) == []
    assert project.stats()["labeled"] == 0
    # what it can show may still be answered, and skipping works
    assert browser.send("submit", task_id=1, result=pick("dog"))["ok"] is True
    assert browser.send("skip", task_id=2)["ok"] is True


def test_a_media_failure_never_turns_a_stored_answer_into_not_saved(
    tmp_path: Path, images: list[Path]
) -> None:
    project = lnb.Project.create(tmp_path / "m", CONFIG)
    broken = tmp_path / "media" / "broken.zip"
    broken.write_bytes(b"not a zip at all")
    project.import_tasks(
        [
            {"image": str(images[0]), "title": "fine"},
            {"image": f"zip://a.png::{broken.as_uri()}", "title": "bad zip"},
            {"image": f"blockcache::{images[1].as_uri()}", "title": "bad cache"},
            {"image": str(images[2]), "title": "fine again"},
        ]
    )
    # the user allowed these protocols: the back ends then fail in their own ways
    browser = open_widget(project, media_roots=[tmp_path / "media"], allow_media=["zip", "blockcache"])
    browser.send("media", values=[str(images[0])])
    for task_id in (1, 2, 3):
        answer = browser.send("submit", task_id=task_id, result=pick("cat"))
        assert answer == {"kind": "reply", "request_id": answer["request_id"], "ok": True}
    assert [len(project.annotations(t)) for t in (1, 2, 3)] == [1, 1, 1]
    errors = browser.media_errors()
    assert "cannot be read" in errors[f"zip://a.png::{broken.as_uri()}"]
    assert f"blockcache::{images[1].as_uri()}" in errors
    assert browser.widget.task["id"] == 4


def test_showing_the_next_task_failing_does_not_say_not_saved(
    browser: Browser, project: lnb.Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: Any, **__: Any) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(browser.widget, "_show_after_answer", broken)
    answer = browser.send("submit", task_id=1, result=pick("cat"))
    assert answer["ok"] is False
    assert answer["error"].startswith("Saved, but")
    assert "disk on fire" in answer["error"]
    assert len(project.annotations(1)) == 1
