"""The widget's kernel side: every browser message is checked before anything is stored.

The browser is played by calling the widget's message handler with what the front end sends; what the
kernel sends back is captured from ``Annotator.send``. The real round trip through a browser is covered
by tests/e2e.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PIL import Image

import labelnb as lnb
from labelnb.widget.annotator import Annotator

CONFIG = """
<View>
  <Header value="$title"/>
  <Image name="image" value="$image"/>
  <Choices name="kind" toName="image"><Choice value="cat"/><Choice value="dog"/></Choices>
</View>
"""


class Browser:
    """Plays the front end: sends messages the way js/src/protocol.ts does and keeps the kernel's answers."""

    def __init__(self, widget: Annotator) -> None:
        self.widget = widget
        self.received: list[tuple[dict[str, Any], list[bytes]]] = []
        widget.send = lambda content, buffers=None: self.received.append((content, list(buffers or [])))  # type: ignore[method-assign]
        self.counter = 0

    def send(self, kind: str, **fields: Any) -> dict[str, Any]:
        self.counter += 1
        request_id = f"r{self.counter}"
        self.widget._on_message(self.widget, {"kind": kind, "request_id": request_id, **fields}, [])
        replies = [c for c, _ in self.received if c.get("kind") == "reply" and c["request_id"] == request_id]
        assert len(replies) == 1, f"expected one reply to {kind}, got {replies}"
        return replies[0]

    def media(self) -> dict[str, bytes]:
        return {c["value"]: b[0] for c, b in self.received if c["kind"] == "media"}


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
    widget = Browser.__new__(Browser)
    # capture from the very first message: media is pushed while the widget is being made
    sent: list[tuple[dict[str, Any], list[bytes]]] = []
    original = Annotator.send
    Annotator.send = lambda self, content, buffers=None: sent.append((content, list(buffers or [])))  # type: ignore[method-assign,assignment]
    try:
        annotator = project.annotate(user="alice", media_roots=[tmp_path / "media"])
    finally:
        Annotator.send = original  # type: ignore[method-assign]
    widget.__init__(annotator)  # type: ignore[misc]
    widget.received[:0] = sent
    return widget


def test_first_task_state_and_prefetched_media(browser: Browser, images: list[Path]) -> None:
    w = browser.widget
    assert w.task["id"] == 1
    assert w.task["data"]["title"] == "picture 0"
    assert w.task["media"] == [str(images[0])]
    assert w.task["can_back"] is False
    assert w.view["tag"] == "View"
    assert w.status == {"done": 0, "total": 5, "empty": False, "message": "", "user": "alice"}
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
    Annotator.__init__(widget, p, "alice", media_roots=[tmp_path / "media"])
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
    assert "no more tasks" in w.status["message"]


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
