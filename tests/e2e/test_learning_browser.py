"""A classifier in the loop, in a real JupyterLab: the widget opens on the model's least sure task with the
model's guess chosen, a submission stores that guess, and after a retraining job (in its worker process)
the next task shown is the new model's least sure one."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest
from playwright.sync_api import Browser, expect

import labelnb as lnb
from labelnb.store import model_runs
from tests.e2e.notebook_lab import Lab, checked_run, notebook_lab
from tests.e2e.widget_page import wait_for

pytestmark = pytest.mark.e2e

USER = "learner@example.org"
CONFIG = (
    '<View><Text name="text" value="$text"/>'
    '<Choices name="label" toName="text" showInline="true"><Choice value="a"/><Choice value="b"/></Choices></View>'
)
CELL = """
from sklearn.linear_model import LogisticRegression
project = lnb.Project.open(root / "loop")
learner = project.learn(LogisticRegression(), features="x", strategy="least_confidence", retrain_every=3)
learner.last_job.wait(timeout=120)
project.annotate()
"""


@pytest.fixture(scope="module")
def lab(browser: Browser, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Lab]:
    tmp = tmp_path_factory.mktemp("learning")
    project = lnb.Project.create(tmp / "projects" / "loop", CONFIG)
    rng = np.random.default_rng(4)
    x = rng.normal(size=(80, 2))
    project.import_tasks([{"text": f"point {i}", "x": x[i].tolist()} for i in range(80)])
    for task_id in range(1, 13):  # a colleague's labels: enough for the first model when the cell runs
        label = "a" if x[task_id - 1, 0] > 0 else "b"
        project.submit(task_id, _choice(label), user="colleague")
    project.close()
    with notebook_lab(browser, tmp, USER, "learning.ipynb", ["loop"], cells=[CELL]) as lab:
        yield lab


@pytest.fixture
def checked(lab: Lab, request: pytest.FixtureRequest) -> Iterator[Lab]:
    yield from checked_run(lab, request)


def _choice(label: str) -> list[dict[str, Any]]:
    return [{"from_name": "label", "to_name": "text", "type": "choices", "value": {"choices": [label]}}]


def _least_sure(lab: Lab, answered: set[int]) -> tuple[int, str, str]:
    """(task id, its text, the predicted label) of the current model's least sure open task."""
    project = lnb.Project.open(lab.workdir / "loop")
    try:
        current = project.model_version
        best: tuple[float, int, str, str] | None = None
        for task_id in range(13, 81):
            task = project.store.get_task(task_id)
            assert task is not None
            if task_id in answered:
                continue
            (prediction,) = [p for p in task["predictions"] if p["model_version"] == current]
            candidate = (
                prediction["score"],
                task_id,
                task["data"]["text"],
                prediction["result"][0]["value"]["choices"][0],
            )
            best = candidate if best is None or candidate[:2] < best[:2] else best
        assert best is not None
        return best[1], best[2], best[3]
    finally:
        project.close()


def _versions(lab: Lab) -> list[str]:
    project = lnb.Project.open(lab.workdir / "loop")
    try:
        return [
            v["model_version"] for v in model_runs.versions(project.store.engine, project.store.project_id)
        ]
    finally:
        project.close()


def _stored(lab: Lab, task_id: int) -> list[dict[str, Any]]:
    project = lnb.Project.open(lab.workdir / "loop")
    try:
        return project.annotations(task_id)
    finally:
        project.close()


def _submit(lab: Lab, shown: int) -> None:
    """Submit the task on screen (its pre-annotation, or "a" when it has none chosen) and wait for the next."""
    root = lab.roots["loop"]
    expect(root).to_have_attribute("data-task-id", str(shown), timeout=30_000)
    if not root.locator("[data-selected=true]").count():
        root.locator("[data-choice='a']").click()
    root.locator("[data-testid=submit]").click()
    expect(root).not_to_have_attribute("data-task-id", str(shown), timeout=30_000)


def _on_screen(lab: Lab) -> int:
    return int(lab.roots["loop"].get_attribute("data-task-id") or 0)


def test_the_widget_follows_the_model_in_the_loop(checked: Lab) -> None:
    root = checked.roots["loop"]
    assert _versions(checked) == ["LogisticRegression-v1"]
    task_id, text, guess = _least_sure(checked, set())
    expect(root.locator("[data-object=text]")).to_have_text(text, timeout=60_000)
    # the model's guess is the pre-annotation, and submitting it unchanged stores it
    expect(root.locator(f"[data-choice='{guess}']")).to_have_attribute("data-selected", "true")
    _submit(checked, task_id)
    stored = wait_for(lambda: _stored(checked, task_id), "the submission")
    assert stored[0]["result"][0]["value"] == {"choices": [guess]}
    answered = {task_id}
    # two more answers make three since the first round: the learner retrains in the background
    for _ in range(2):
        shown = _on_screen(checked)
        answered.add(shown)
        _submit(checked, shown)
    wait_for(lambda: len(_versions(checked)) == 2, "the retraining job", timeout=120)
    held = _on_screen(checked)  # leased before the new model's order existed
    answered.add(held)
    _submit(checked, held)
    # the task after that comes from the new model's order: its least sure open task, with its guess
    next_id, next_text, next_guess = _least_sure(checked, answered)
    assert _versions(checked)[-1] == "LogisticRegression-v2"
    expect(root.locator("[data-object=text]")).to_have_text(next_text, timeout=30_000)
    assert _on_screen(checked) == next_id
    expect(root.locator(f"[data-choice='{next_guess}']")).to_have_attribute("data-selected", "true")
