"""Jobs on the default thread executor: rows, results, progress, failures, retries and cancellation."""

from __future__ import annotations

import math
import pickle
import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import text

from labelnb.jobs import Job, JobCancelled, JobContext, JobError, JobRunner, jobs_frame
from labelnb.jobs import context as job_context
from labelnb.jobs import rows as job_rows
from labelnb.store import Store
from tests.jobs_work import add, count_to, fails, flaky, message_history, returns_object, status_history

TIMEOUT = 30


def wait_until(condition: Callable[[], bool], timeout: float = TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    pause = threading.Event()
    while not condition():
        assert time.monotonic() < deadline, "the condition did not come true in time"
        pause.wait(0.01)


def other_process_view(store: Store, job_id: int) -> Job:
    """A handle as another process would hold it: its own engine, no runner."""
    reopened = Store.open(store.url)
    return Job(reopened.engine, reopened.project_id, job_id)


def test_a_job_runs_and_its_row_records_it(store: Store, runner: JobRunner) -> None:
    job = runner.submit("sum", add, 2, b=3)
    assert job.result(timeout=TIMEOUT) == 5
    assert (job.status, job.attempts, job.kind) == ("done", 1, "sum")
    assert job.function == "tests.jobs_work:add"
    assert job.started_at is not None
    assert job.finished_at is not None
    assert status_history(store.engine, job.id) == ["queued", "running", "done"]
    seen = other_process_view(store, job.id)
    assert (seen.status, seen.result()) == ("done", 5)


def test_progress_is_written_throttled_and_the_last_report_is_kept(store: Store, runner: JobRunner) -> None:
    with store.engine.begin() as conn:
        conn.execute(text("CREATE TABLE progress_writes (done REAL)"))
        conn.execute(
            text(
                "CREATE TRIGGER count_progress AFTER UPDATE OF done ON jobs "
                "BEGIN INSERT INTO progress_writes VALUES (new.done); END"
            )
        )
    job = runner.submit("count", count_to, 2000)
    assert job.result(timeout=TIMEOUT) == 2000
    assert (job.done, job.total, job.progress, job.message) == (2000, 2000, 1.0, "item 2000")
    with store.engine.connect() as conn:
        writes = [row[0] for row in conn.execute(text("SELECT done FROM progress_writes"))]
    # 2000 reports in a tight loop: the first, the one reaching the total, maybe a few throttled ones
    assert 2 <= len(writes) < 50
    assert writes[-1] == 2000


def test_a_failure_records_type_message_and_the_last_frames(store: Store, runner: JobRunner) -> None:
    job = runner.submit("broken", fails, "no such column 'x'")
    with pytest.raises(JobError, match="no such column 'x'") as raised:
        job.result(timeout=TIMEOUT)
    assert "failed after 1 attempt" in str(raised.value)
    assert job.status == "failed"
    assert job.error is not None
    assert job.error.rstrip().endswith("ValueError: no such column 'x'")
    assert "in fails" in job.error
    assert "jobs_work.py" in job.error
    assert status_history(store.engine, job.id) == ["queued", "running", "failed"]


def test_failed_runs_are_retried_with_doubling_backoff(store: Store, runner: JobRunner) -> None:
    job = runner.submit("flaky", flaky, 2, max_retries=3, backoff=0.01)
    assert job.result(timeout=TIMEOUT) == 3
    assert job.attempts == 3
    assert status_history(store.engine, job.id) == [
        "queued", "running", "queued", "running", "queued", "running", "done",
    ]  # fmt: skip
    notes = [m for m in message_history(store.engine, job.id) if m]
    assert notes == [
        "run 1 failed (ValueError: run 1 fails on purpose); trying again in 0.01 s",
        "run 2 failed (ValueError: run 2 fails on purpose); trying again in 0.02 s",
    ]


def test_retries_run_out(store: Store, runner: JobRunner) -> None:
    job = runner.submit("flaky", flaky, 5, max_retries=1, backoff=0)
    with pytest.raises(JobError, match="failed after 2 attempts"):
        job.result(timeout=TIMEOUT)
    assert job.error is not None
    assert "run 2 fails on purpose" in job.error
    assert status_history(store.engine, job.id) == ["queued", "running", "queued", "running", "failed"]


def gated(ctx: JobContext, started: threading.Event, gate: threading.Event) -> str:
    started.set()
    while not gate.wait(0.01):
        ctx.check()
    return "through"


def test_a_queued_job_is_cancelled_at_once_and_never_runs(store: Store) -> None:
    runner = JobRunner(store, max_workers=1)
    started, gate = threading.Event(), threading.Event()
    try:
        blocker = runner.submit("block", gated, started, gate)
        assert started.wait(TIMEOUT)
        waiting = runner.submit("sum", add, 1, 1)
        assert waiting.refresh().status == "queued"
        assert waiting.cancel() == "cancelled"
        gate.set()
        assert blocker.result(timeout=TIMEOUT) == "through"
        with pytest.raises(JobCancelled):
            waiting.result(timeout=TIMEOUT)
        assert waiting.attempts == 0
        assert status_history(store.engine, waiting.id) == ["queued", "cancelled"]
    finally:
        gate.set()
        runner.shutdown()


def test_a_running_job_stops_at_its_next_check(store: Store, runner: JobRunner) -> None:
    started, gate = threading.Event(), threading.Event()
    job = runner.submit("block", gated, started, gate)
    assert started.wait(TIMEOUT)
    assert job.cancel() == "running"
    assert job.cancel_requested
    with pytest.raises(JobCancelled):
        job.result(timeout=TIMEOUT)
    assert job.status == "cancelled"
    assert status_history(store.engine, job.id) == ["queued", "running", "cancelled"]


def test_another_process_can_cancel_a_running_job(store: Store, runner: JobRunner) -> None:
    started, gate = threading.Event(), threading.Event()
    job = runner.submit("block", gated, started, gate)
    assert started.wait(TIMEOUT)
    assert other_process_view(store, job.id).cancel() == "running"
    assert job.wait(TIMEOUT).status == "cancelled"


def test_a_retry_waiting_out_its_backoff_can_be_cancelled(store: Store, runner: JobRunner) -> None:
    job = runner.submit("flaky", flaky, 1, max_retries=1, backoff=600)
    wait_until(lambda: job.refresh().attempts == 1 and job.status == "queued")
    assert other_process_view(store, job.id).cancel() == "cancelled"
    assert job.wait(TIMEOUT).status == "cancelled"
    assert job.attempts == 1
    assert status_history(store.engine, job.id) == ["queued", "running", "queued", "cancelled"]


def test_a_result_that_is_not_json_stays_in_the_kernel(store: Store, runner: JobRunner) -> None:
    job = runner.submit("set", returns_object)
    assert job.result(timeout=TIMEOUT) == {1, 2, 3}
    assert other_process_view(store, job.id).result() is None


def test_a_failed_job_is_retried_by_hand(store: Store, runner: JobRunner) -> None:
    job = runner.submit("flaky", flaky, 1)
    with pytest.raises(JobError):
        job.result(timeout=TIMEOUT)
    assert job.retry().result(timeout=TIMEOUT) == 2
    assert job.attempts == 2
    assert job.error is None
    assert status_history(store.engine, job.id) == [
        "queued",
        "running",
        "failed",
        "queued",
        "running",
        "done",
    ]
    with pytest.raises(JobError, match="is done; only failed, interrupted or cancelled"):
        job.retry()


def test_a_lambda_runs_but_a_new_runner_cannot_resume_it(store: Store, runner: JobRunner) -> None:
    calls: list[int] = []

    def sometimes(ctx: JobContext) -> int:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("first call fails")
        return len(calls)

    job = runner.submit("local", sometimes)
    assert job.wait(TIMEOUT).status == "failed"
    assert job.function is None
    fresh = JobRunner(store)  # as after a restart: nothing in memory
    try:
        with pytest.raises(JobError, match="no importable name"):
            fresh.resume(job.id)
        assert fresh.job(job.id).status == "failed"  # refused before anything was written
    finally:
        fresh.shutdown()
    assert job.retry().result(timeout=TIMEOUT) == 2  # the runner that ran it still holds it


def test_arguments_that_are_not_json_make_a_job_unresumable(store: Store, runner: JobRunner) -> None:
    job = runner.submit("sum", fails, ("a", "tuple"))
    job.wait(TIMEOUT)
    fresh = JobRunner(store)
    try:
        with pytest.raises(JobError, match="arguments were not JSON-able"):
            fresh.resume(job.id)
    finally:
        fresh.shutdown()


def test_a_new_runner_resumes_by_name_with_the_stored_backoff(store: Store, runner: JobRunner) -> None:
    job = runner.submit("flaky", flaky, 2, backoff=0.01)
    job.wait(TIMEOUT)
    fresh = JobRunner(store)
    try:
        assert fresh.resume(job.id, max_retries=1).result(timeout=TIMEOUT) == 3
    finally:
        fresh.shutdown()
    assert job.refresh().max_retries == 1
    assert "run 2 failed (ValueError: run 2 fails on purpose); trying again in 0.01 s" in message_history(
        store.engine, job.id
    )


def test_a_shut_down_runner_takes_no_more_jobs(store: Store) -> None:
    runner = JobRunner(store)
    runner.shutdown()
    with pytest.raises(JobError, match="shut down"):
        runner.submit("sum", add, 1, 2)
    assert len(jobs_frame(store)) == 0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": ""}, "kind"),
        ({"kind": 3}, "kind"),
        ({"max_retries": -1}, "max_retries"),
        ({"max_retries": True}, "max_retries"),
        ({"max_retries": 1.5}, "max_retries"),
        ({"backoff": math.nan}, "backoff"),
        ({"backoff": math.inf}, "backoff"),
        ({"backoff": -1}, "backoff"),
    ],
)
def test_bad_settings_are_refused_before_a_row_is_written(
    store: Store, runner: JobRunner, kwargs: dict[str, Any], message: str
) -> None:
    settings = {"kind": "sum", "max_retries": 0, "backoff": 1.0, **kwargs}
    kind = settings.pop("kind")
    with pytest.raises(ValueError, match=message):
        runner.submit(kind, add, 1, 2, **settings)
    assert len(jobs_frame(store)) == 0


def test_a_function_that_is_not_callable_is_refused(runner: JobRunner) -> None:
    with pytest.raises(TypeError, match="callable"):
        runner.submit("sum", "tests.jobs_work:add")


def bad_progress(ctx: JobContext, done: Any, total: Any) -> None:
    ctx.progress(done, total)


@pytest.mark.parametrize(
    ("done", "total", "field"),
    [(math.nan, 3, "done"), (-1, 3, "done"), (True, 3, "done"), ("2", 3, "done"), (1, math.inf, "total")],
)
def test_bad_progress_fails_the_job_naming_it(runner: JobRunner, done: Any, total: Any, field: str) -> None:
    job = runner.submit("progress", bad_progress, done, total)
    assert job.wait(TIMEOUT).status == "failed"
    assert job.error is not None
    assert f"job {job.id}: progress {field}" in job.error
    assert (job.done, job.total) == (0, None)


def test_a_context_pickles_without_its_engine_and_hides_the_url(store: Store, runner: JobRunner) -> None:
    ctx = JobContext(store.url, 7, "kind", runner_owner="h:1:2", retry_in=0.5)
    assert ctx.engine is not None  # opened lazily, then left behind
    copy = pickle.loads(pickle.dumps(ctx))
    assert (copy.store_url, copy.job_id, copy.kind, copy.retry_in) == (store.url, 7, "kind", 0.5)
    assert b"sqlalchemy" not in pickle.dumps(ctx)  # the engine stays behind
    assert copy.engine is ctx.engine  # one engine per URL and process
    assert store.url not in repr(copy)


def test_jobs_frame_lists_every_job(store: Store, runner: JobRunner) -> None:
    first = runner.submit("sum", add, 1, 2)
    second = runner.submit("broken", fails, "bad input")
    first.wait(TIMEOUT)
    second.wait(TIMEOUT)
    frame = jobs_frame(store)
    assert list(frame["id"]) == [first.id, second.id]
    assert list(frame["status"]) == ["done", "failed"]
    assert list(frame["kind"]) == ["sum", "broken"]
    assert frame.loc[1, "error"] == "ValueError: bad input"
    assert frame.loc[0, "progress"] == 1.0
    assert list(frame["attempts"]) == [1, 1]
    assert frame.equals(runner.jobs())


def test_a_job_of_another_project_or_none_is_not_found(store: Store) -> None:
    with pytest.raises(JobError, match="no job 99"):
        Job(store.engine, store.project_id, 99)


def report_then_wait(ctx: JobContext, gate: threading.Event) -> None:
    ctx.progress(1, 10)
    ctx.progress(2, 10, "second")  # within the throttle's interval: held back at first
    assert gate.wait(TIMEOUT)


def test_a_held_back_report_is_written_while_the_function_still_runs(
    runner: JobRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(job_context, "HEARTBEAT_S", 3600.0)  # only the throttle can write it
    gate = threading.Event()
    job = runner.submit("report", report_then_wait, gate)
    try:
        wait_until(lambda: job.refresh().done == 2)
        assert job.message == "second"
        assert job.status == "running"
    finally:
        gate.set()
    job.wait(TIMEOUT)


def silent(ctx: JobContext, gate: threading.Event) -> None:
    assert gate.wait(TIMEOUT)


def test_a_running_job_beats_without_calling_its_context(
    store: Store, runner: JobRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(job_context, "HEARTBEAT_S", 0.05)
    gate = threading.Event()
    job = runner.submit("silent", silent, gate)
    try:
        wait_until(lambda: job.refresh().status == "running")
        first = job_rows.read(store.engine, job.id)
        assert first is not None
        wait_until(
            lambda: (
                (row := job_rows.read(store.engine, job.id)) is not None
                and row.heartbeat_at > first.heartbeat_at
            )
        )
    finally:
        gate.set()
    job.wait(TIMEOUT)


def test_status_is_read_again_while_the_job_goes_on(runner: JobRunner) -> None:
    started, gate = threading.Event(), threading.Event()
    job = runner.submit("block", gated, started, gate)
    assert started.wait(TIMEOUT)
    wait_until(lambda: job.status == "running")  # no refresh(): a stale copy is read again
    gate.set()
    wait_until(lambda: job.status == "done")
    assert job.result() == "through"


def test_a_retry_waiting_when_the_runner_shuts_down_is_interrupted(store: Store) -> None:
    runner = JobRunner(store)
    job = runner.submit("flaky", flaky, 1, max_retries=1, backoff=600)
    wait_until(lambda: job.refresh().attempts == 1 and job.status == "queued")
    runner.shutdown()
    assert job.wait(TIMEOUT).status == "interrupted"
    assert job.error is not None
    assert "shut down" in job.error
    fresh = JobRunner(store)
    try:
        assert fresh.resume(job.id).result(timeout=TIMEOUT) == 2
    finally:
        fresh.shutdown()
