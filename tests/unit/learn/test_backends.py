"""CallableBackend through a project, webhooks from the widget's session, and the HTTP client's edges
against a real HTTP server on loopback (the standard library's), where label-studio-ml cannot misbehave
on demand (auth, slowness, non-JSON)."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

import labelnb as lnb
from labelnb.formats import PredictionError
from labelnb.learn import BackendError, CallableBackend, LabelStudioMLBackend, MLBackend, ProjectRef

CONFIG = """
<View>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text"><Choice value="pos"/><Choice value="neg"/></Choices>
</View>"""
POS = [{"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": ["pos"]}}]


@pytest.fixture
def project(tmp_path: Path) -> lnb.Project:
    made = lnb.Project.create(tmp_path / "p", CONFIG)
    made.import_tasks([{"text": f"t{i}"} for i in range(5)])
    return made


def test_a_function_as_a_backend_in_batches_with_context(project: lnb.Project) -> None:
    seen: list[tuple[list[int], Any]] = []

    def model(tasks: list[dict[str, Any]], context: dict[str, Any] | None) -> list[Any]:
        seen.append(([t["id"] for t in tasks], context))
        return [{"result": "pos", "score": 0.5} if t["id"] % 2 else None for t in tasks]

    assert project.predict(CallableBackend(model, model_version="fn-1"), batch_size=2, context={"k": 1}) == 3
    assert seen == [([1, 2], {"k": 1}), ([3, 4], {"k": 1}), ([5], {"k": 1})]
    assert project.store.get_task(1)["predictions"][0]["model_version"] == "fn-1"  # type: ignore[index]
    assert project.store.get_task(2)["predictions"] == []  # type: ignore[index]
    # a plain function of the tasks alone works too
    assert project.predict(lambda tasks: [{"result": POS} for _ in tasks], tasks=[2]) == 1


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (lambda tasks: {"results": []}, "answer with a list"),
        (lambda tasks: [{"result": "pos"}], "answered 1 entries for 2 tasks"),
        (lambda tasks: [{"result": "pos"}, {"result": "pos", "score": float("inf")}], "task 2, prediction 0"),
        (lambda tasks: [{"result": "pos"}, "pos"], "task 2, prediction 0: a prediction must be a dict"),
    ],
)
def test_a_bad_answer_in_the_kernel_is_refused(project: lnb.Project, answer: Any, message: str) -> None:
    with pytest.raises(PredictionError, match=message) as err:
        project.predict(CallableBackend(answer, name="my-model"), tasks=[1, 2])
    assert str(err.value).startswith("my-model")
    assert project.stats()["predictions"] == 0


def test_unknown_task_ids_and_non_backends(project: lnb.Project) -> None:
    with pytest.raises(KeyError, match=r"\[99\]"):
        project.predict(lambda tasks: [None for _ in tasks], tasks=[1, 99])
    with pytest.raises(TypeError, match="must be an MLBackend"):
        project.predict(42)  # type: ignore[arg-type]


class Recorder(MLBackend):
    """An in-kernel backend that keeps what fit was given."""

    def __init__(self) -> None:
        self.events: list[tuple[str, dict[str, Any]]] = []
        self.ready = threading.Event()

    def predict(self, tasks: list[dict[str, Any]], context: dict[str, Any] | None = None) -> list[Any]:
        return [None for _ in tasks]

    def fit(self, event: str, data: dict[str, Any]) -> dict[str, Any] | None:
        self.ready.wait(10)  # slow: the submit must not wait for it
        self.events.append((event, data))
        return {"ok": True}


def test_sessions_send_created_then_updated_without_waiting_for_the_backend(project: lnb.Project) -> None:
    backend = Recorder()
    connection = project.connect(backend)
    session = project.session("ann@example.com")
    task = session.next()
    assert task is not None
    first = session.submit(task["id"], POS, 1.0)
    session.skip(task["id"])
    assert backend.events == []  # both answers are stored while the backend is still busy
    backend.ready.set()
    assert connection.wait(10)
    assert [event for event, _ in backend.events] == ["ANNOTATION_CREATED", "ANNOTATION_UPDATED"]
    created, skipped = (data for _, data in backend.events)
    assert created["annotation"]["id"] == first
    assert [{k: v for k, v in i.items() if k != "id"} for i in created["annotation"]["result"]] == POS
    assert skipped["annotation"]["was_cancelled"] is True
    assert created["task"]["data"] == {"text": "t0"}
    assert created["project"]["label_config"] == CONFIG
    assert "ann@example.com" not in json.dumps(backend.events)
    assert project.train(backend) == {"ok": True}
    event, payload = backend.events[-1]
    assert event == "START_TRAINING"
    assert [t["id"] for t in payload["tasks"]] == [task["id"]]
    project.disconnect(backend)
    project.submit(2, POS)
    assert connection.closed
    assert len(backend.events) == 3


def test_project_id_in_label_studio_form() -> None:
    ref = ProjectRef(7, "t", CONFIG, "2026-01-02T03:04:05.000000Z")
    assert ref.ls_id == "7.1767323045"
    assert set(ref.payload()) == {"id", "title", "label_config", "created_at"}


# -- the HTTP client against a real server on loopback ----------------------------------------------


class Handler(BaseHTTPRequestHandler):
    seen: list[dict[str, Any]] = []

    def log_message(self, *args: Any) -> None:
        pass

    def _answer(self, status: int, body: bytes, kind: str = "application/json") -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except BrokenPipeError:
            pass  # the client gave up waiting (the timeout test)

    def do_GET(self) -> None:
        self.seen.append({"path": self.path, "auth": self.headers.get("Authorization")})
        if self.path == "/ml/health":
            self._answer(200, b'{"status": "UP", "model_class": "X"}')
        elif self.path == "/ml/slow":
            time.sleep(2)
            self._answer(200, b"{}")
        elif self.path == "/ml/redirect":
            self.send_response(302)
            self.send_header("Location", "http://127.0.0.1:1/elsewhere")
            self.end_headers()
        else:
            self._answer(200, b"<html>not json</html>", "text/html")

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.seen.append({"path": self.path, "auth": self.headers.get("Authorization"), "body": body})
        if self.path == "/ml/setup":
            self._answer(200, b'{"model_version": "v9"}')
        else:
            n = len(body["tasks"])
            self._answer(200, json.dumps({"results": [{"result": POS}] * n, "model_version": "v10"}).encode())


@pytest.fixture
def http_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    Handler.seen = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/ml"
    server.shutdown()
    server.server_close()


def test_requests_as_label_studio_sends_them(http_server: str) -> None:
    backend = LabelStudioMLBackend(http_server + "/", auth=("user", "secret"))
    assert backend.health()["model_class"] == "X"
    assert backend.setup(CONFIG, "3.1700000000") == "v9"
    answers = backend.predict([{"id": 1, "data": {"text": "a"}}], context={"result": []})
    assert answers == [{"result": POS, "model_version": "v10"}]
    setup, predict = Handler.seen[1]["body"], Handler.seen[2]["body"]
    assert setup == {"project": "3.1700000000", "schema": CONFIG, "hostname": "", "access_token": "",
                     "extra_params": {}}  # fmt: skip
    assert predict == {"tasks": [{"id": 1, "data": {"text": "a"}}], "project": "3.1700000000",
                       "label_config": CONFIG, "params": {"context": {"result": []}}}  # fmt: skip
    assert {seen["auth"] for seen in Handler.seen} == {"Basic dXNlcjpzZWNyZXQ="}


def test_timeouts_non_json_redirects_and_bad_urls(http_server: str) -> None:
    backend = LabelStudioMLBackend(http_server, timeout=0.5)
    with pytest.raises(BackendError, match=r"/ml/slow did not answer within 0.5 s"):
        backend._call("GET", "/slow", None, backend.timeouts.health)
    with pytest.raises(BackendError, match="not JSON"):
        backend._call("GET", "/page", None, 1.0)
    with pytest.raises(BackendError, match="HTTP 302"):  # never followed: auth stays with this host
        backend._call("GET", "/redirect", None, 1.0)
    with pytest.raises(BackendError, match="call setup"):
        backend.predict([{"id": 1, "data": {}}])
    for bad in ("ftp://x", "http://u:p@host", "http://host/?q=1", "localhost:9090"):
        with pytest.raises(ValueError, match="URL"):
            LabelStudioMLBackend(bad)
    with pytest.raises(ValueError, match="timeout"):
        LabelStudioMLBackend(http_server, timeout=float("nan"))
