"""The project's side: its runner, its jobs as a frame, one job's handle, and interrupted jobs on open."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import labelnb as lnb
from labelnb.jobs import rows as job_rows
from tests.jobs_work import add, flaky, where_am_i
from tests.unit.jobs.test_interrupted import ended_pid
from tests.unit.jobs.test_runner import TIMEOUT

CONFIG = '<View><Text name="t" value="$text"/></View>'


def test_a_project_runs_jobs_and_lists_them(tmp_path: Path) -> None:
    project = lnb.Project.create(tmp_path / "p", CONFIG)
    try:
        job = project.runner.submit("sum", add, 20, 22)
        assert isinstance(job, lnb.Job)
        assert job.result(timeout=TIMEOUT) == 42
        frame = project.jobs()
        assert list(frame[["id", "kind", "status"]].itertuples(index=False, name=None)) == [
            (job.id, "sum", "done")
        ]
        failing = project.runner.submit("flaky", flaky, 1)
        failing.wait(TIMEOUT)
        again = project.job(failing.id)
        assert again.status == "failed"
        assert again.retry().result(timeout=TIMEOUT) == 2
    finally:
        project.close()


def test_set_executor_sends_the_next_jobs_there(tmp_path: Path) -> None:
    project = lnb.Project.create(tmp_path / "p", CONFIG)
    with ThreadPoolExecutor(1, thread_name_prefix="mine") as mine:
        project.set_executor(mine)
        assert project.runner.executor is mine
        assert project.runner.submit("pid", where_am_i).result(timeout=TIMEOUT) > 0
    project.close()


def test_opening_a_project_marks_its_orphaned_jobs_interrupted(tmp_path: Path) -> None:
    project = lnb.Project.create(tmp_path / "p", CONFIG)
    store = project.store
    job_id = job_rows.insert_job(
        store.engine, store.project_id, "work", None, None, 0, f"{lnb_host()}:{ended_pid()}:1"
    )
    project.close()
    reopened = lnb.Project.open(tmp_path / "p")
    try:
        assert reopened.job(job_id).status == "interrupted"
        assert reopened.jobs().loc[0, "status"] == "interrupted"
    finally:
        reopened.close()


def lnb_host() -> str:
    from labelnb.jobs.owner import hostname

    return hostname()
