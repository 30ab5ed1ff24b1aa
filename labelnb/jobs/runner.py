"""``JobRunner``: starts jobs on an executor, retries failed runs with backoff, and hands out ``Job``
handles.

The runner writes each job's row, sends one attempt at a time to the executor (threads by default, a
process pool, a Dask ``Client(...).get_executor()``: any ``concurrent.futures.Executor``), and between
attempts waits out the backoff itself, so a waiting retry holds no worker. The worker's side
(:func:`labelnb.jobs.context.run_attempt`) writes the row while the function runs. No write transaction
stays open while a function runs.
"""

from __future__ import annotations

import math
import pickle
import threading
import time
from concurrent.futures import CancelledError, Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from labelnb.jobs import rows
from labelnb.jobs.context import (
    HEARTBEAT_S,
    JobContext,
    JobError,
    Outcome,
    describe_error,
    retry_delay,
    run_attempt,
    share_engine,
)
from labelnb.jobs.frame import jobs_frame
from labelnb.jobs.handle import Job
from labelnb.jobs.names import arguments_json, function_name, load_arguments, resolve_function
from labelnb.jobs.owner import owner_gone, this_process
from labelnb.store import Store
from labelnb.store.codec import loads, now_epoch

#: the threads of the executor a runner makes when given none
DEFAULT_WORKERS = 2
#: a job whose owner is on another host counts as gone when its heartbeat is older than this (seconds)
STALE_AFTER_S = 12 * HEARTBEAT_S
#: longest pause between two looks at a waiting retry's row (another process may cancel it)
BACKOFF_POLL_S = 0.25
MAX_KIND = 200


@dataclass
class _Tracked:
    """A job this runner is running: its function and arguments in memory, and how it ended."""

    job_id: int
    kind: str
    fn: Any
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    retries_left: int
    backoff: float
    runs: int = 0
    future: Future[Any] | None = None
    wake: threading.Event = field(default_factory=threading.Event)
    finished: threading.Event = field(default_factory=threading.Event)
    outcome: Outcome | None = None


def _check_settings(kind: Any, max_retries: Any, backoff: Any) -> None:
    if not isinstance(kind, str) or not kind.strip() or len(kind) > MAX_KIND:
        raise ValueError(
            f"a job's kind must be a short non-empty text (≤ {MAX_KIND} characters), not {kind!r}"
        )
    if isinstance(max_retries, bool) or not isinstance(max_retries, int) or not 0 <= max_retries <= 1000:
        raise ValueError(f"max_retries must be a whole number from 0 to 1000, not {max_retries!r}")
    if (
        isinstance(backoff, bool)
        or not isinstance(backoff, (int, float))
        or not math.isfinite(backoff)
        or backoff < 0
    ):
        raise ValueError(f"backoff must be a finite number of seconds ≥ 0, not {backoff!r}")


class JobRunner:
    """Runs a project's background jobs on ``executor`` (default: a small thread pool of its own).

    >>> runner = JobRunner(store)
    >>> job = runner.submit("embed", embed_all, "text", max_retries=2, backoff=1.0)
    >>> job.wait().result()

    A job's function is called as ``fn(ctx, *args, **kwargs)`` with a :class:`JobContext` for progress
    and cancellation. For a process pool or Dask the function, its arguments and its result must pickle.
    To be resumable after a kernel restart (``job.retry()`` of an interrupted job) the function must be
    importable as ``module:qualname`` (a module-level function, not a lambda or a nested one) and the
    arguments JSON-able; other jobs run just as well but can be retried only by the runner that
    started them.
    """

    def __init__(
        self, store: Store, executor: Executor | None = None, *, max_workers: int = DEFAULT_WORKERS
    ) -> None:
        self.store = store
        self._url = store.url
        share_engine(self._url, store.engine)
        self._executor = executor
        self._own_executor: ThreadPoolExecutor | None = None
        self._max_workers = max_workers
        self._lock = threading.Lock()
        self._tracked: dict[int, _Tracked] = {}
        self._closed = threading.Event()
        self._beating: threading.Thread | None = None

    def __repr__(self) -> str:
        active = sum(1 for t in self._tracked.values() if not t.finished.is_set())
        return f"<labelnb.JobRunner on {type(self.executor).__name__}: {active} active jobs>"

    # -- the executor -------------------------------------------------------------------------------

    @property
    def executor(self) -> Executor:
        """Where attempts run: the one given, or a thread pool made on first use."""
        if self._executor is not None:
            return self._executor
        with self._lock:
            if self._own_executor is None:
                self._own_executor = ThreadPoolExecutor(self._max_workers, thread_name_prefix="labelnb-job")
            return self._own_executor

    def set_executor(self, executor: Executor | None) -> None:
        """Run the next attempts on ``executor`` (None: the runner's own thread pool again)."""
        if executor is not None and not isinstance(executor, Executor):
            raise TypeError(f"expected a concurrent.futures.Executor, not {type(executor).__name__}")
        self._executor = executor

    def shutdown(self, wait: bool = True) -> None:
        """Stop the runner's own thread pool (a given executor is the caller's to shut down)."""
        self._closed.set()
        if self._own_executor is not None:
            self._own_executor.shutdown(wait=wait)

    def _check_open(self) -> None:
        if self._closed.is_set():
            raise JobError("this job runner was shut down; make a new one (or reopen the project)")

    # -- starting jobs ------------------------------------------------------------------------------

    def submit(
        self, kind: str, fn: Any, *args: Any, max_retries: int = 0, backoff: float = 1.0, **kwargs: Any
    ) -> Job:
        """Start ``fn(ctx, *args, **kwargs)`` as a job of ``kind`` and return its handle at once.

        A failed run is tried again up to ``max_retries`` times, after ``backoff · 2^(n-1)`` seconds
        following the n-th failure. (``max_retries`` and ``backoff`` are the runner's: they do not reach
        ``fn``.)
        """
        self._check_open()
        _check_settings(kind, max_retries, backoff)
        if not callable(fn):
            raise TypeError(f"a job's function must be callable, not {type(fn).__name__}")
        name = function_name(fn)
        arguments = arguments_json(args, kwargs, backoff)
        job_id = rows.insert_job(
            self.store.engine, self.store.project_id, kind, name, arguments, max_retries, str(this_process())
        )
        tracked = _Tracked(job_id, kind, fn, tuple(args), dict(kwargs), max_retries, float(backoff))
        with self._lock:
            self._tracked[job_id] = tracked
        self._ensure_heartbeat()
        self._launch(tracked)
        return Job(self.store.engine, self.store.project_id, job_id, runner=self)

    def resume(self, job_id: int, *, max_retries: int | None = None, backoff: float | None = None) -> Job:
        """Run a failed, interrupted or cancelled job again, from the function and arguments this runner
        still holds or, after a restart, from those its row names (see the class docstring).

        From a row this imports and calls the function the row names: anyone who can write the project's
        store can write that name, so resume only jobs of a store you trust.
        """
        self._check_open()
        row = rows.read(self.store.engine, job_id, self.store.project_id)
        if row is None:
            raise JobError(f"there is no job {job_id} in this project")
        if row.status not in rows.RETRYABLE:
            raise JobError(
                f"job {job_id} is {row.status}; only failed, interrupted or cancelled jobs can be run again"
            )
        known = self._tracked.get(job_id)
        if known is not None:
            fn, args, kwargs, kept_backoff = known.fn, known.args, known.kwargs, known.backoff
        else:
            fn = resolve_function(row.function, job_id)
            args, kwargs, kept_backoff = load_arguments(row.arguments, job_id)
        retries = row.max_retries if max_retries is None else max_retries
        pause = kept_backoff if backoff is None else backoff
        _check_settings(row.kind, retries, pause)
        if not rows.reset_for_retry(self.store.engine, job_id, str(this_process()), retries):
            raise JobError(f"job {job_id} changed while it was being retried; look at it again")
        tracked = _Tracked(job_id, row.kind, fn, args, kwargs, retries, float(pause))
        with self._lock:
            self._tracked[job_id] = tracked
        self._ensure_heartbeat()
        self._launch(tracked)
        return Job(self.store.engine, self.store.project_id, job_id, runner=self)

    # -- reading jobs -------------------------------------------------------------------------------

    def job(self, job_id: int) -> Job:
        """The handle of a job of this project (whoever started it)."""
        return Job(self.store.engine, self.store.project_id, job_id, runner=self)

    def jobs(self) -> pd.DataFrame:
        """Every job of the project, one row each (see :func:`labelnb.jobs.jobs_frame`)."""
        return jobs_frame(self.store)

    # -- attempts -----------------------------------------------------------------------------------

    def _launch(self, tracked: _Tracked) -> None:
        tracked.runs += 1
        ctx = JobContext(
            self._url,
            tracked.job_id,
            tracked.kind,
            runner_owner=str(this_process()),
            retry_in=retry_delay(tracked.backoff, tracked.runs) if tracked.retries_left > 0 else None,
        )
        try:
            future = self.executor.submit(run_attempt, ctx, tracked.fn, tracked.args, tracked.kwargs)
        except Exception as exc:  # a shut-down executor, or one that pickles at once (Dask)
            self._executor_failed(tracked, exc)
            return
        tracked.future = future
        future.add_done_callback(lambda done: self._attempt_ended(tracked, done))

    def _attempt_ended(self, tracked: _Tracked, future: Future[Any]) -> None:
        try:
            outcome = future.result()
        except CancelledError:
            self._settle_from_row(tracked)
            return
        except BaseException as exc:
            self._executor_failed(tracked, exc)
            return
        if not isinstance(outcome, Outcome):
            self._executor_failed(tracked, TypeError(f"the executor returned {type(outcome).__name__}"))
        elif outcome.status == "retry":
            tracked.retries_left -= 1
            delay = retry_delay(tracked.backoff, tracked.runs)
            threading.Thread(
                target=self._retry_later,
                args=(tracked, delay),
                name=f"labelnb-retry-{tracked.job_id}",
                daemon=True,
            ).start()
        elif outcome.status == "skipped":
            self._settle_from_row(tracked)
        else:
            self._settle(tracked, outcome)

    def _retry_later(self, tracked: _Tracked, delay: float) -> None:
        """Wait out the backoff (woken early by a cancel) and run the job again if it is still queued."""
        deadline = time.monotonic() + delay
        while (left := deadline - time.monotonic()) > 0:
            if tracked.wake.wait(min(left, BACKOFF_POLL_S)) or self._closed.is_set():
                break
            state = rows.status_of(self.store.engine, tracked.job_id)
            if state is None or state[0] != "queued":
                break
        if self._closed.is_set():
            rows.interrupt_queued(
                self.store.engine,
                tracked.job_id,
                "interrupted: its runner was shut down while it waited to retry",
            )
        state = rows.status_of(self.store.engine, tracked.job_id)
        if state is None or state[0] != "queued":
            self._settle_from_row(tracked)
        else:
            self._launch(tracked)

    def _executor_failed(self, tracked: _Tracked, exc: BaseException) -> None:
        row = rows.read(self.store.engine, tracked.job_id)
        if row is not None and row.status in rows.FINISHED:  # the worker finished; only the way back failed
            self._settle_from_row(tracked)
            return
        hint = ""
        if isinstance(exc, (pickle.PicklingError, TypeError, AttributeError)) and "pickl" in str(exc).lower():
            hint = " (for a process pool or Dask the function and its arguments must pickle: no lambdas)"
        error = f"the executor could not run the job{hint}:\n{describe_error(exc)}"
        rows.fail_unstarted(self.store.engine, tracked.job_id, error)
        self._settle(tracked, Outcome("failed", error=error))

    def _settle_from_row(self, tracked: _Tracked) -> None:
        row = rows.read(self.store.engine, tracked.job_id)
        if row is not None and row.status == "running" and self._orphaned(row.owner):
            # a worker died mid-run and the executor ran the attempt again elsewhere, which found it taken
            row = rows.read(self.store.engine, tracked.job_id)
        status = "failed" if row is None else str(row.status)
        result = None if row is None or status != "done" else loads(row.result)
        self._settle(tracked, Outcome(status, result=result, error=None if row is None else row.error))

    def _orphaned(self, held_by: str | None) -> bool:
        """Mark the jobs ``held_by`` a process that is gone interrupted; whether there were any."""
        now = now_epoch()
        return bool(
            rows.mark_interrupted(
                self.store.engine,
                self.store.project_id,
                lambda owner, beat: owner == held_by and owner_gone(owner, beat, now, STALE_AFTER_S),
            )
        )

    def _settle(self, tracked: _Tracked, outcome: Outcome) -> None:
        tracked.outcome = outcome
        if outcome.status == "done":  # a done job is never run again: let its inputs go
            tracked.fn, tracked.args, tracked.kwargs = None, (), {}
        tracked.finished.set()

    # -- what handles ask of their runner -------------------------------------------------------------

    def _finished(self, job_id: int) -> threading.Event | None:
        tracked = self._tracked.get(job_id)
        return None if tracked is None else tracked.finished

    def _local_result(self, job_id: int) -> tuple[bool, Any]:
        tracked = self._tracked.get(job_id)
        if tracked is None or tracked.outcome is None or tracked.outcome.status != "done":
            return False, None
        return True, tracked.outcome.result

    def _cancelled(self, job_id: int) -> None:
        """A queued job of this runner was cancelled: free its executor slot and wake a waiting retry."""
        tracked = self._tracked.get(job_id)
        if tracked is None:
            return
        tracked.wake.set()
        if tracked.future is not None:
            tracked.future.cancel()  # the done callback settles it; a started one sees the row and skips

    # -- restarts -----------------------------------------------------------------------------------

    def mark_interrupted(self, stale_after: float = STALE_AFTER_S) -> int:
        """See :func:`labelnb.jobs.mark_interrupted`."""
        return mark_interrupted(self.store, stale_after)

    def _ensure_heartbeat(self) -> None:
        """Queued jobs are this process's to start: say so now and then (other hosts judge by it)."""
        with self._lock:
            if self._beating is not None and self._beating.is_alive():
                return
            self._beating = threading.Thread(target=self._beat, name="labelnb-jobs-heartbeat", daemon=True)
            self._beating.start()

    def _beat(self) -> None:
        while not self._closed.wait(HEARTBEAT_S):
            if all(t.finished.is_set() for t in list(self._tracked.values())):
                return
            try:
                rows.heartbeat_owned(self.store.engine, str(this_process()))
            except Exception:  # the next beat tries again
                continue


def mark_interrupted(store: Store, stale_after: float = STALE_AFTER_S) -> int:
    """Mark the project's queued and running jobs whose process is gone as ``interrupted`` (call when a
    project is opened). On this host a job's owning process must be gone (its pid ended, or now belongs to
    a process started at another time); on another host its heartbeat must be older than ``stale_after``
    seconds. The number of jobs marked."""
    now = now_epoch()
    changed = rows.mark_interrupted(
        store.engine, store.project_id, lambda owner, beat: owner_gone(owner, beat, now, stale_after)
    )
    return len(changed)
