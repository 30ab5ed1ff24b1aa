"""labelnb.learn.LabelStudioMLBackend against a real Label Studio ML backend server.

The server is label-studio-ml's own Flask app (PyPI's label-studio-ml 1.0.9, in the venv .venv-mlb that
tests/fixtures/ml_backend/requirements.txt describes) serving tests/fixtures/ml_backend/model.py on a
free loopback port. The model writes each call to a log file, which is how these tests see what reached
it (its training runs in a child process the server forks).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import labelnb as lnb
from labelnb.formats import PredictionError
from labelnb.learn import BackendError, LabelStudioMLBackend

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "ml_backend"
MLB_PYTHON = Path(os.environ.get("LABELNB_MLB_PYTHON", ROOT / ".venv-mlb" / "bin" / "python"))
CONFIG = """
<View>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text"><Choice value="pos"/><Choice value="neg"/></Choices>
</View>"""
STARTUP_S = 60.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(what: str, check: Callable[[], Any], timeout: float = 30.0) -> Any:
    """Poll ``check`` until it returns something truthy; fail naming ``what`` after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found:
            return found
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)


@dataclass
class Server:
    url: str
    log: Path
    process: subprocess.Popen[bytes]

    def calls(self, kind: str) -> list[dict[str, Any]]:
        if not self.log.exists():
            return []
        lines = self.log.read_text(encoding="utf-8").splitlines()
        return [entry for entry in map(json.loads, lines) if entry["call"] == kind]


def start_server(folder: Path) -> Server:
    if not MLB_PYTHON.exists():
        pytest.fail(
            f"no label-studio-ml venv at {MLB_PYTHON}: create it with python3 -m venv .venv-mlb && "
            ".venv-mlb/bin/pip install -r tests/fixtures/ml_backend/requirements.txt (make test does)"
        )
    models = folder / "models"
    models.mkdir()
    port = free_port()
    env = {**os.environ, "FIXTURE_LOG": str(folder / "calls.jsonl")}
    output = open(folder / "server.log", "wb")  # noqa: SIM115 - kept open for the server's lifetime
    process = subprocess.Popen(
        [str(MLB_PYTHON), str(FIXTURE / "serve.py"), str(port), str(models)],
        cwd=folder,
        env=env,
        stdout=output,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its forked training children go with it at the end
    )
    server = Server(f"http://127.0.0.1:{port}", folder / "calls.jsonl", process)
    probe = LabelStudioMLBackend(server.url)

    def up() -> bool:
        if process.poll() is not None:
            pytest.fail(f"the ML backend exited: {(folder / 'server.log').read_text()[-2000:]}")
        try:
            return probe.health()["status"] == "UP"
        except BackendError:
            return False

    wait_for("the ML backend to start", up, STARTUP_S)
    return server


def stop_server(server: Server) -> None:
    try:
        os.killpg(server.process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        server.process.wait(10)
    except subprocess.TimeoutExpired:
        os.killpg(server.process.pid, signal.SIGKILL)
        server.process.wait(10)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = start_server(tmp_path_factory.mktemp("mlb"))
    yield running
    stop_server(running)


@pytest.fixture
def own_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server of the test's own: training changes the model version every later setup answers."""
    running = start_server(tmp_path_factory.mktemp("mlb-own"))
    yield running
    stop_server(running)


def project_with(tmp_path: Path, *texts: str) -> lnb.Project:
    project = lnb.Project.create(tmp_path / "p", CONFIG)
    project.import_tasks([{"text": text} for text in texts])
    return project


def totals(project: lnb.Project) -> list[int]:
    return [task["total_predictions"] for task in project.store.iter_export_tasks()]


def stored_predictions(project: lnb.Project) -> dict[int, list[dict[str, Any]]]:
    return {task["id"]: task["predictions"] for task in project.store.iter_tasks()}


def choice(label: str) -> list[dict[str, Any]]:
    return [{"from_name": "sentiment", "to_name": "text", "type": "choices", "value": {"choices": [label]}}]


# -- health, setup, predict -------------------------------------------------------------------------


def test_health_and_setup(server: Server) -> None:
    backend = LabelStudioMLBackend(server.url)
    assert backend.health()["status"] == "UP"
    # an untrained label-studio-ml model is version INITIAL
    assert backend.setup(CONFIG, "1.1700000000") == "INITIAL"
    assert backend.model_version == "INITIAL"


def test_predict_stores_predictions_with_model_version_and_score(server: Server, tmp_path: Path) -> None:
    project = project_with(tmp_path, "a good film", "a dull plot", "good again")
    project.submit(3, choice("pos"))  # labelled: not predicted by default
    before = len(server.calls("predict"))
    assert project.predict(LabelStudioMLBackend(server.url)) == 2
    stored = stored_predictions(project)
    assert [p["result"] for p in stored[1]] == [choice("pos")]
    assert [p["result"] for p in stored[2]] == [choice("neg")]
    assert stored[3] == []
    for prediction in stored[1] + stored[2]:
        assert prediction["score"] == 0.75
        assert prediction["model_version"] == "INITIAL"  # the server's answer names it
    assert project.model_version == "INITIAL"
    assert totals(project) == [1, 1, 0]
    (call,) = server.calls("predict")[before:]
    assert call["ids"] == [1, 2]
    assert "context" in call["params"]
    # what a task carries to the backend: no store path, no user names
    assert set(call["keys"]) <= {"id", "data", "meta", "predictions", "annotations"}


def test_several_predictions_for_one_task(server: Server, tmp_path: Path) -> None:
    project = project_with(tmp_path, "two", "good")
    assert project.predict(LabelStudioMLBackend(server.url)) == 3
    stored = stored_predictions(project)
    assert [(p["result"], p["score"]) for p in stored[1]] == [(choice("pos"), 0.6), (choice("neg"), 0.4)]
    assert totals(project) == [2, 1]


def test_a_length_mismatch_falls_back_to_one_task_per_request(server: Server, tmp_path: Path) -> None:
    project = project_with(tmp_path, "good", "short", "bad")
    before = len(server.calls("predict"))
    assert project.predict(LabelStudioMLBackend(server.url), batch_size=3) == 3
    assert [c["ids"] for c in server.calls("predict")[before:]] == [[1, 2, 3], [1], [2], [3]]
    stored = stored_predictions(project)
    assert [stored[i][0]["result"] for i in (1, 2, 3)] == [choice("pos"), choice("neg"), choice("neg")]


def test_an_error_status_names_the_url_and_status(server: Server) -> None:
    backend = LabelStudioMLBackend(server.url)
    backend.setup(CONFIG, "1.0")
    with pytest.raises(BackendError, match=rf"{server.url}/predict answered HTTP 500.*KeyError"):
        backend.predict([{"id": 1}])  # the model reads task["data"]


def test_a_dead_url_is_a_clear_error_and_writes_nothing(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    backend = LabelStudioMLBackend(url)
    with pytest.raises(BackendError, match=rf"cannot reach the ML backend at {url}/health"):
        backend.health()
    project = project_with(tmp_path, "good")
    with pytest.raises(BackendError, match=rf"cannot reach the ML backend at {url}/setup"):
        project.predict(backend)
    assert project.stats()["predictions"] == 0


# -- answers that are refused -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bad", "error", "message"),
    [
        ("notlist", BackendError, r"/predict must answer \{'results': \[one entry per task\]\}"),
        ("nan", PredictionError, r"task 3, prediction 0, field 'score': the score is nan"),
        ("wrong", PredictionError, r"task 3, prediction 0, field 'result\[0\]\.from_name'"),
        ("huge", BackendError, r"answered more than 1000000 bytes; refused"),
    ],
)
def test_a_malicious_answer_is_refused_without_writing(
    server: Server, tmp_path: Path, bad: str, error: type[Exception], message: str
) -> None:
    # the good tasks come first, in batches of their own: a refusal later still writes none of them
    project = project_with(tmp_path, "good", "bad", bad)
    backend = LabelStudioMLBackend(server.url, max_response_bytes=1_000_000)
    with pytest.raises(error, match=message) as raised:
        project.predict(backend, batch_size=1)
    assert server.url in str(raised.value)
    assert project.stats()["predictions"] == 0
    assert totals(project) == [0, 0, 0]
    assert project.model_version is None


# -- webhooks ---------------------------------------------------------------------------------------


def test_submitted_annotations_and_training_reach_fit(own_server: Server, tmp_path: Path) -> None:
    project = project_with(tmp_path, "good", "bad")
    backend = LabelStudioMLBackend(own_server.url)
    connection = project.connect(backend)
    assert backend.model_version == "INITIAL"

    first = project.submit(1, choice("pos"), user="ann@example.com")
    again = project.submit(1, choice("neg"), user="ann@example.com")
    assert again == first  # a second answer is a new version of the same annotation
    assert connection.wait(30)
    assert connection.errors == []
    fits = wait_for("two fit calls", lambda: (f := own_server.calls("fit")) and len(f) >= 2 and f)
    by_event = {f["event"]: f for f in fits}
    assert by_event["ANNOTATION_CREATED"]["annotation"] == first
    assert by_event["ANNOTATION_CREATED"]["result"][0]["value"] == {"choices": ["pos"]}
    assert by_event["ANNOTATION_UPDATED"]["result"][0]["value"] == {"choices": ["neg"]}
    assert by_event["ANNOTATION_UPDATED"]["task"] == 1
    sent_project = by_event["ANNOTATION_CREATED"]["project"]
    assert sent_project["id"] == project.store.project_id
    assert sent_project["label_config"] == CONFIG
    assert not any(str(tmp_path) in json.dumps(f) for f in fits)  # the store's path never goes out
    assert "ann@example.com" not in own_server.log.read_text()

    project.train(backend)
    wait_for("START_TRAINING", lambda: any(f["event"] == "START_TRAINING" for f in own_server.calls("fit")))
    (event,) = [e for e in own_server.calls("event") if e["event"] == "START_TRAINING"]
    assert event["keys"] == ["project"]  # a remote backend gets no tasks, as from Label Studio

    # label-studio-ml keeps each training's output; its next setup answers the newest as the version
    version = wait_for(
        "a trained model version", lambda: (v := backend.setup(CONFIG, "1.0")) != "INITIAL" and v
    )
    assert version.isdigit()


def test_a_dead_backend_never_blocks_submitting(tmp_path: Path, own_server: Server) -> None:
    project = project_with(tmp_path, "good")
    backend = LabelStudioMLBackend(own_server.url)
    connection = project.connect(backend)
    stop_server(own_server)
    annotation = project.submit(1, choice("pos"))
    assert connection.wait(30)
    assert project.annotations(1)[0]["id"] == annotation
    assert len(connection.errors) == 1
    assert "cannot reach the ML backend" in str(connection.errors[0])
