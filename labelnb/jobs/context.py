"""The worker's side of a job: the :class:`JobContext` a job's function gets, and :func:`run_attempt`, the
one run of a job that an executor carries out.

Both travel to other processes (a process pool, a Dask worker): the context holds only the store's URL,
the job's id and a few numbers, and opens an engine there when first needed (one per URL and process).
"""

from __future__ import annotations

import math
import threading
import time
import traceback
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine

from labelnb.jobs import rows
from labelnb.jobs.owner import this_process
from labelnb.store import create_store_engine
from labelnb.store.codec import dumps

#: progress is written at most this often (seconds), except when it reaches its total
PROGRESS_INTERVAL_S = 0.2
#: ``ctx.cancelled`` reads the row at most this often (seconds)
CANCEL_POLL_S = 0.1
#: a running job's heartbeat is written this often (seconds) while its function runs
HEARTBEAT_S = 5.0
#: the traceback frames an error keeps
ERROR_FRAMES = 5
MAX_MESSAGE = 2000
MAX_ERROR = 8000


def retry_delay(backoff: float, failures: int) -> float:
    """Seconds to wait after the ``failures``-th failed run in a row: ``backoff · 2^(failures-1)``."""
    return float(backoff * 2 ** (failures - 1))


class JobCancelled(Exception):
    """Raised by ``ctx.check()`` inside a job whose cancellation was asked for (let it propagate: the job
    ends ``cancelled``), and by ``Job.result()`` of a cancelled job."""


class JobError(RuntimeError):
    """A job failed or was interrupted, or a job cannot be found, resumed or retried."""


_engines: dict[str, Engine] = {}
_engines_lock = threading.Lock()


def engine_for(url: str) -> Engine:
    """This process's engine for a store URL (made on first use, then shared by its jobs)."""
    with _engines_lock:
        engine = _engines.get(url)
        if engine is None:
            engine = _engines[url] = create_store_engine(url)
        return engine


def share_engine(url: str, engine: Engine) -> None:
    """Jobs run in this process use ``engine`` for ``url`` (the runner's own store: an in-memory SQLite
    store is reachable only through it)."""
    with _engines_lock:
        _engines.setdefault(url, engine)


def _number(value: Any, job_id: int, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"job {job_id}: progress {name} must be a number, not {value!r}")
    number = float(value)
    if not math.isfinite(number) or number < 0:
        raise ValueError(f"job {job_id}: progress {name} must be a finite number ≥ 0, not {value!r}")
    return number


class JobContext:
    """What a job's function is given as its first argument: report progress, notice cancellation.

    >>> def count(ctx, n):
    ...     for i in range(n):
    ...         ctx.check()                 # raises JobCancelled once job.cancel() was called
    ...         ctx.progress(i + 1, n, f"item {i}")
    ...     return n

    It pickles (store URL, job id, numbers) and opens the store again where it lands.
    """

    def __init__(
        self, store_url: str, job_id: int, kind: str, *, runner_owner: str, retry_in: float | None = None
    ) -> None:
        self.store_url = store_url
        self.job_id = job_id
        self.kind = kind
        #: who holds the job between runs (the runner's process)
        self.runner_owner = runner_owner
        #: seconds before the next run if this one fails; None when no retry is left
        self.retry_in = retry_in
        #: the row's attempt number of this run (set when it starts)
        self.attempt = 0
        #: tells this launch from every other (Dask would take two equal submissions for one task)
        self.launch = uuid.uuid4().hex
        self._reset()

    def _reset(self) -> None:
        self._lock = threading.Lock()
        self._written_at = -math.inf
        self._beat_at = time.monotonic()
        self._pending: tuple[float, float | None, str | None] | None = None
        self._last: tuple[float, float | None] = (0.0, None)
        self._polled_at = -math.inf
        self._cancelled = False

    def __getstate__(self) -> dict[str, Any]:
        return {
            "store_url": self.store_url,
            "job_id": self.job_id,
            "kind": self.kind,
            "runner_owner": self.runner_owner,
            "retry_in": self.retry_in,
            "attempt": self.attempt,
            "launch": self.launch,
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._reset()

    def __dask_tokenize__(self) -> tuple[str, int, str]:
        return ("labelnb.JobContext", self.job_id, self.launch)

    def __repr__(self) -> str:
        return f"<labelnb.JobContext job {self.job_id} ({self.kind}), attempt {self.attempt}>"

    @property
    def engine(self) -> Engine:
        return engine_for(self.store_url)

    # -- progress -----------------------------------------------------------------------------------

    def progress(self, done: float, total: float | None = None, message: str | None = None) -> None:
        """Report ``done`` of ``total`` units (``total`` None: unknown) with an optional message.

        Cheap to call often: the row is written at most every :data:`PROGRESS_INTERVAL_S` seconds, and at
        once when ``done`` reaches ``total``; the last report is always written when the function ends.
        """
        value = _number(done, self.job_id, "done")
        whole = None if total is None else _number(total, self.job_id, "total")
        if message is not None and not isinstance(message, str):
            raise ValueError(
                f"job {self.job_id}: progress message must be text, not {type(message).__name__}"
            )
        text = None if message is None else message[:MAX_MESSAGE]
        with self._lock:
            self._pending = (value, whole, text)
            self._last = (value, whole)
            finished = whole is not None and value >= whole
            if finished or time.monotonic() - self._written_at >= PROGRESS_INTERVAL_S:
                self._flush_locked()

    def _flush_locked(self) -> None:
        if self._pending is None:
            return
        done, total, message = self._pending
        self._pending = None
        self._written_at = self._beat_at = time.monotonic()
        rows.progress(self.engine, self.job_id, self.attempt, done, total, message)

    def _final_progress(self) -> dict[str, Any]:
        """The last report, for the row's final write (so a throttled one is not lost)."""
        with self._lock:
            values: dict[str, Any] = {}
            if self._pending is not None:
                done, total, message = self._pending
                values = {"done": done, "total": total}
                if message is not None:
                    values["message"] = message
                self._pending = None
            return values

    def _tick(self, beat_every: float) -> None:
        """The heartbeat thread's look: write a progress report held back long enough, or else the time
        when the last write is ``beat_every`` seconds old."""
        with self._lock:
            now = time.monotonic()
            if self._pending is not None and now - self._written_at >= PROGRESS_INTERVAL_S:
                self._flush_locked()
                return
            if now - self._beat_at < beat_every:
                return
            self._beat_at = now
        rows.heartbeat(self.engine, self.job_id, self.attempt)

    def heartbeat(self) -> None:
        """Say the job is alive (done for you every :data:`HEARTBEAT_S` seconds while the function runs)."""
        self._tick(0.0)

    # -- cancellation -------------------------------------------------------------------------------

    @property
    def cancelled(self) -> bool:
        """Whether ``cancel()`` was asked for this job (read from the row, at most every
        :data:`CANCEL_POLL_S` seconds)."""
        if self._cancelled:
            return True
        now = time.monotonic()
        if now - self._polled_at >= CANCEL_POLL_S:
            self._polled_at = now
            state = rows.status_of(self.engine, self.job_id)
            self._cancelled = state is None or state[1]
        return self._cancelled

    def check(self) -> None:
        """Raise :class:`JobCancelled` when the job's cancellation was asked for."""
        if self.cancelled:
            raise JobCancelled(f"job {self.job_id} ({self.kind}) was cancelled")


def describe_error(exc: BaseException) -> str:
    """The exception's type and message and its traceback's last frames, as a job's ``error``."""
    frames = traceback.extract_tb(exc.__traceback__)[-ERROR_FRAMES:]
    lines = ["Traceback (last frames):\n", *traceback.format_list(frames)]
    lines.extend(traceback.format_exception_only(type(exc), exc))
    text = "".join(lines)
    return text if len(text) <= MAX_ERROR else "…" + text[-MAX_ERROR:]


def result_json(value: Any) -> str | None:
    """The result as stored JSON, or None when it is not JSON-able (then only the kernel that ran the job
    can give it back)."""
    try:
        return dumps(value)
    except TypeError:
        return None


@dataclass
class Outcome:
    """How one attempt ended: ``done`` (with its result), ``failed``, ``cancelled``, ``retry`` (failed,
    with retries left: the row is queued again), or ``skipped`` (the job was no longer queued)."""

    status: str
    result: Any = None
    error: str | None = None


class _Heartbeat:
    def __init__(self, ctx: JobContext) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, args=(ctx,), name=f"labelnb-job-{ctx.job_id}", daemon=True
        )
        self._thread.start()

    def _run(self, ctx: JobContext) -> None:
        # wakes often enough to write a held-back progress report soon after the throttle allows it
        while not self._stop.wait(PROGRESS_INTERVAL_S):
            try:
                ctx._tick(HEARTBEAT_S)
            except Exception:  # a missed beat is retried at the next one
                continue

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def run_attempt(
    ctx: JobContext, fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
) -> Outcome:
    """One run of a job, where the executor put it: mark it running, call ``fn(ctx, *args, **kwargs)``
    and write how it ended."""
    engine = ctx.engine
    attempt = rows.start(engine, ctx.job_id, str(this_process()))
    if attempt is None:
        return Outcome("skipped")
    ctx.attempt = attempt
    beat = _Heartbeat(ctx)
    try:
        value = fn(ctx, *args, **kwargs)
    except JobCancelled:
        beat.stop()
        rows.finish(engine, ctx.job_id, attempt, "cancelled", **ctx._final_progress())
        return Outcome("cancelled")
    except Exception as exc:
        beat.stop()
        error = describe_error(exc)
        state = rows.status_of(engine, ctx.job_id)
        if state is not None and state[1]:  # failing while asked to stop is stopping
            rows.finish(engine, ctx.job_id, attempt, "cancelled", error=error, **ctx._final_progress())
            return Outcome("cancelled", error=error)
        if ctx.retry_in is not None:
            reason = "".join(traceback.format_exception_only(type(exc), exc)).strip()[:MAX_MESSAGE]
            note = f"run {attempt} failed ({reason}); trying again in {ctx.retry_in:g} s"
            rows.requeue(engine, ctx.job_id, attempt, error, ctx.runner_owner, note)
            return Outcome("retry", error=error)
        rows.finish(engine, ctx.job_id, attempt, "failed", error=error, **ctx._final_progress())
        return Outcome("failed", error=error)
    except BaseException as exc:  # KeyboardInterrupt, SystemExit: record it, then let it go on
        beat.stop()
        rows.finish(engine, ctx.job_id, attempt, "failed", error=describe_error(exc))
        raise
    beat.stop()
    rows.finish(engine, ctx.job_id, attempt, "done", result=result_json(value), **ctx._final_progress())
    return Outcome("done", result=value)
