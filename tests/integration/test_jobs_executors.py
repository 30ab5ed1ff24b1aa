"""Jobs on real executors: a spawned process pool, a Dask cluster (worker threads in this process, and
worker processes), and a kernel that dies with a job half done."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import pytest

import labelnb as lnb
from labelnb.jobs import JobCancelled, JobError, JobRunner
from labelnb.jobs.owner import Owner
from labelnb.store import Store, store_url
from tests.jobs_work import (
    add,
    count_to,
    dies,
    flaky,
    record_status_changes,
    status_history,
    wait_for_file,
    where_am_i,
)

ROOT = Path(__file__).resolve().parents[2]
CONFIG = '<View><Text name="t" value="$text"/></View>'
TIMEOUT = 120


def wait_until(condition: Callable[[], bool], timeout: float = TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    pause = threading.Event()
    while not condition():
        assert time.monotonic() < deadline, "the condition did not come true in time"
        pause.wait(0.02)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    made = Store.create(store_url(tmp_path), "jobs", CONFIG)
    record_status_changes(made.engine)
    yield made
    made.close()


@pytest.fixture(scope="module")
def process_pool() -> Iterator[ProcessPoolExecutor]:
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        yield pool


@pytest.fixture(scope="module", params=["dask-threads", "dask-processes"])
def dask_executor(request: pytest.FixtureRequest) -> Iterator[Executor]:
    from distributed import Client, LocalCluster

    processes = request.param == "dask-processes"
    # a free port for the scheduler's HTTP server (None would still take 8787, maybe taken already)
    with (
        LocalCluster(
            n_workers=1, threads_per_worker=2, processes=processes, dashboard_address=":0"
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client.get_executor()


def check_runs_reports_and_cancels(
    store: Store, executor: Executor, tmp_path: Path, *, elsewhere: bool
) -> None:
    """What every executor must do: run, hand the result back, show progress, stop when cancelled."""
    runner = JobRunner(store, executor)
    job = runner.submit("sum", add, 19, 23)
    assert job.result(timeout=TIMEOUT) == 42
    assert status_history(store.engine, job.id) == ["queued", "running", "done"]

    pid_job = runner.submit("pid", where_am_i)
    pid = pid_job.result(timeout=TIMEOUT)
    owner = Owner.parse(pid_job.refresh().owner)
    assert owner is not None
    assert owner.pid == pid  # the row names the process that ran it
    assert (pid != os.getpid()) is elsewhere

    counted = runner.submit("count", count_to, 500)
    assert counted.result(timeout=TIMEOUT) == 500
    assert (counted.done, counted.total, counted.message) == (500, 500, "item 500")

    gate = tmp_path / f"gate-{job.id}"
    waiting = runner.submit("gate", wait_for_file, str(gate))
    # progress written by the worker is read here while the function still runs
    wait_until(lambda: waiting.refresh().status == "running" and waiting.done == 4)
    assert waiting.total == 8
    assert waiting.cancel() == "running"
    with pytest.raises(JobCancelled):
        waiting.result(timeout=TIMEOUT)
    assert status_history(store.engine, waiting.id) == ["queued", "running", "cancelled"]

    flaky_job = runner.submit("flaky", flaky, 1, max_retries=2, backoff=0.01)
    assert flaky_job.result(timeout=TIMEOUT) == 2
    assert status_history(store.engine, flaky_job.id) == ["queued", "running", "queued", "running", "done"]


def test_a_spawned_process_pool(store: Store, process_pool: ProcessPoolExecutor, tmp_path: Path) -> None:
    check_runs_reports_and_cancels(store, process_pool, tmp_path, elsewhere=True)


def test_a_lambda_cannot_go_to_a_process_pool_and_says_why(
    store: Store, process_pool: ProcessPoolExecutor
) -> None:
    runner = JobRunner(store, process_pool)
    job = runner.submit("lambda", lambda ctx: 1)
    with pytest.raises(JobError, match="must pickle"):
        job.result(timeout=TIMEOUT)
    assert job.status == "failed"
    # the pool still works for the next job
    assert runner.submit("sum", add, 1, 2).result(timeout=TIMEOUT) == 3


def test_dask(store: Store, dask_executor: Executor, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    processes = "dask-processes" in request.node.callspec.id
    check_runs_reports_and_cancels(store, dask_executor, tmp_path, elsewhere=processes)


def test_a_worker_process_that_dies_fails_its_job(store: Store) -> None:
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        job = JobRunner(store, pool).submit("die", dies)
        with pytest.raises(JobError, match="the executor could not run the job"):
            job.result(timeout=TIMEOUT)
    assert job.error is not None
    assert "BrokenProcessPool" in job.error
    assert status_history(store.engine, job.id) == ["queued", "running", "failed"]


# -- a kernel killed with a job half done -----------------------------------------------------------------

KERNEL = """
import sys
import labelnb as lnb
from tests.jobs_work import slow_sum

project = lnb.Project.open(sys.argv[1])
job = project.runner.submit("sum", slow_sum, list(range(1, 101)), sys.argv[2])
print(job.id, flush=True)
job.wait()  # never: the gate stays shut until this process is gone
"""


def test_a_job_of_a_killed_kernel_is_interrupted_and_retried(tmp_path: Path) -> None:
    folder = tmp_path / "project"
    project = lnb.Project.create(folder, CONFIG)
    record_status_changes(project.store.engine)
    project.close()
    gate = tmp_path / "gate"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    kernel = subprocess.Popen(
        [sys.executable, "-c", KERNEL, str(folder), str(gate)],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )
    try:
        assert kernel.stdout is not None
        job_id = int(kernel.stdout.readline())
        watcher = lnb.Project.open(folder)
        job = watcher.job(job_id)
        wait_until(lambda: job.refresh().status == "running" and job.done == 50)  # halfway, at the gate
        watcher.close()
    finally:
        kernel.send_signal(signal.SIGKILL)
        kernel.wait(timeout=TIMEOUT)
    assert kernel.returncode == -signal.SIGKILL

    reopened = lnb.Project.open(folder)
    try:
        job = reopened.job(job_id)
        assert job.status == "interrupted"
        assert job.attempts == 1
        assert job.error is not None
        assert f":{kernel.pid}:" in job.error  # names the process that died
        gate.write_text("open")
        assert job.retry().result(timeout=TIMEOUT) == 5050
        assert job.attempts == 2
        assert status_history(reopened.store.engine, job_id) == [
            "queued", "running", "interrupted", "queued", "running", "done",
        ]  # fmt: skip
    finally:
        reopened.close()
