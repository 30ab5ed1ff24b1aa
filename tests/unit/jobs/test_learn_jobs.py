"""The model in the loop retrains as a background job when given the project's runner."""

from __future__ import annotations

from pathlib import Path

from sklearn.linear_model import LogisticRegression

import labelnb as lnb
from tests.unit.jobs.test_runner import TIMEOUT
from tests.unit.learn.test_loop import CONFIG, _choice, _points


def test_retraining_runs_as_a_job(tmp_path: Path) -> None:
    project = lnb.Project.create(tmp_path / "p", CONFIG)
    try:
        x, y = _points(40)
        project.import_tasks([{"text": f"n{i}", "x": x[i].tolist()} for i in range(40)])
        learner = project.learn(LogisticRegression(), features="x", retrain_every=6)  # jobs by default
        for task_id in range(1, 7):
            project.submit(task_id, _choice(str(y[task_id - 1])), user="u")
        job = learner.last_job
        assert isinstance(job, lnb.Job)
        outcome = job.result(timeout=TIMEOUT)
        assert outcome["labels"] == 6
        assert job.kind == "retrain"
        assert job.function == "labelnb.learn.loop:retrain_job"
        assert project.jobs().loc[0, "status"] == "done"
        assert list(learner.curve()["labels"]) == [6]
    finally:
        project.close()
