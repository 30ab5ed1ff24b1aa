"""``Job``: a handle on one job's row, from any process. It reads the row; the runner that started the job
(when it is this process's) lends it the in-memory result and a quick wake-up."""

from __future__ import annotations

import html
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

from sqlalchemy import Engine, Row

from labelnb.jobs import rows
from labelnb.jobs.context import JobCancelled, JobError
from labelnb.store.codec import loads

#: statuses after which a job changes no more by itself
ENDED = ("done", "failed", "cancelled", "interrupted")
#: how often ``wait`` reads the row of a job this process does not run (seconds)
POLL_S = 0.1
#: a job still going reads its row again when its attributes are asked for after this long (seconds)
STALE_S = 0.1


class _Runner(Protocol):
    """What a handle needs of the :class:`~labelnb.jobs.runner.JobRunner` that started its job."""

    def resume(self, job_id: int, *, max_retries: int | None = None, backoff: float | None = None) -> Job: ...
    def _finished(self, job_id: int) -> threading.Event | None: ...
    def _local_result(self, job_id: int) -> tuple[bool, Any]: ...
    def _cancelled(self, job_id: int) -> None: ...


#: the notebook's live display, put here by ``labelnb.widget.jobs`` (the jobs room knows no widget)
_live_display: Callable[[Job], Any] | None = None


def set_live_display(show: Callable[[Job], Any] | None) -> None:
    """Install what ``Job.display()`` shows in a notebook (``labelnb.widget.jobs`` does, when imported)."""
    global _live_display
    _live_display = show


class Job:
    """One background job. Its attributes are the row as last read: call :meth:`refresh` to read it again
    (``wait``, ``result`` and ``cancel`` do)."""

    def __init__(
        self, engine: Engine, project_id: int, job_id: int, *, runner: _Runner | None = None, row: Any = None
    ) -> None:
        self._engine = engine
        self._project_id = project_id
        self.id = int(job_id)
        self._runner = runner
        self._row: Row[Any] | None = row
        self._read_at = time.monotonic()
        if row is None:
            self.refresh()

    def refresh(self) -> Job:
        """Read the row again; the handle itself, for chaining."""
        row = rows.read(self._engine, self.id, self._project_id)
        if row is None:
            raise JobError(f"there is no job {self.id} in this project")
        self._row = row
        self._read_at = time.monotonic()
        return self

    def _get(self, name: str) -> Any:
        # a job still going is read again when the copy is older than STALE_S: a loop polling
        # ``job.status`` sees it move, while attributes read together come from one read
        if self._row is None or (
            self._row.status not in ENDED and time.monotonic() - self._read_at > STALE_S
        ):
            self.refresh()
        assert self._row is not None
        return getattr(self._row, name)

    # -- the row ------------------------------------------------------------------------------------

    @property
    def kind(self) -> str:
        return str(self._get("kind"))

    @property
    def status(self) -> str:
        """queued, running, done, failed, cancelled or interrupted."""
        return str(self._get("status"))

    @property
    def done(self) -> float:
        return float(self._get("done"))

    @property
    def total(self) -> float | None:
        total = self._get("total")
        return None if total is None else float(total)

    @property
    def progress(self) -> float | None:
        """``done / total`` between 0 and 1; None while the total is unknown."""
        total = self.total
        if not total:
            return 1.0 if self.status == "done" else None
        return max(0.0, min(1.0, self.done / total))

    @property
    def message(self) -> str | None:
        return self._get("message")  # type: ignore[no-any-return]

    @property
    def error(self) -> str | None:
        """For a failed or interrupted job: what went wrong (type, message, the traceback's last frames)."""
        return self._get("error")  # type: ignore[no-any-return]

    @property
    def attempts(self) -> int:
        """How many times the function was run."""
        return int(self._get("attempts"))

    @property
    def max_retries(self) -> int:
        return int(self._get("max_retries"))

    @property
    def function(self) -> str | None:
        """``module:qualname`` of the function, when it can be found again by that name."""
        return self._get("function")  # type: ignore[no-any-return]

    @property
    def cancel_requested(self) -> bool:
        return bool(self._get("cancel_requested"))

    @property
    def owner(self) -> str | None:
        return self._get("owner")  # type: ignore[no-any-return]

    @property
    def created_at(self) -> str:
        return str(self._get("created_at"))

    @property
    def started_at(self) -> str | None:
        return self._get("started_at")  # type: ignore[no-any-return]

    @property
    def finished_at(self) -> str | None:
        return self._get("finished_at")  # type: ignore[no-any-return]

    @property
    def ended(self) -> bool:
        """True once the job is done, failed, cancelled or interrupted (as last read)."""
        return self.status in ENDED

    # -- waiting and results ------------------------------------------------------------------------

    def wait(self, timeout: float | None = None) -> Job:
        """Block until the job has ended (see :attr:`ended`); :class:`TimeoutError` after ``timeout``
        seconds. The handle itself."""
        deadline = None if timeout is None else time.monotonic() + timeout
        pause = threading.Event()
        while not self.refresh().ended:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                raise TimeoutError(f"job {self.id} ({self.kind}) is still {self.status} after {timeout} s")
            finished = self._runner._finished(self.id) if self._runner is not None else None
            # this process's runner wakes us when it is done; a job run elsewhere is polled
            signal = finished if finished is not None and not finished.is_set() else pause
            signal.wait(POLL_S if left is None else min(POLL_S, left))
        return self

    def result(self, timeout: float | None = None) -> Any:
        """The function's return value once done. Raises :class:`JobError` for a failed or interrupted job
        and :class:`JobCancelled` for a cancelled one.

        In the process that ran it the value itself comes back; elsewhere the stored JSON (None when the
        value was not JSON-able).
        """
        self.wait(timeout)
        status = self.status
        if status == "done":
            if self._runner is not None:
                finished = self._runner._finished(self.id)
                if finished is not None:
                    finished.wait(timeout)  # the worker wrote the row just before handing the value back
                known, value = self._runner._local_result(self.id)
                if known:
                    return value
            return loads(self._get("result"))
        if status == "cancelled":
            raise JobCancelled(f"job {self.id} ({self.kind}) was cancelled")
        attempts = f"after {self.attempts} attempt{'s' if self.attempts != 1 else ''}"
        if status == "interrupted":
            raise JobError(
                f"job {self.id} ({self.kind}) was interrupted {attempts}; job.retry() runs it again\n{self.error or ''}"
            )
        raise JobError(f"job {self.id} ({self.kind}) failed {attempts}:\n{self.error or ''}")

    # -- control ------------------------------------------------------------------------------------

    def cancel(self) -> str:
        """Cancel: a queued job ends ``cancelled`` at once; a running one is asked to stop and ends
        ``cancelled`` when its function next checks (``ctx.check()`` or ``ctx.cancelled``). A function
        that never checks runs to its end. The status the request found: ``cancelled`` (it was queued),
        ``running`` (it was asked to stop), or the status it had already ended with."""
        status = rows.request_cancel(self._engine, self.id)
        if status is None:
            raise JobError(f"there is no job {self.id} in this project")
        if status == "cancelled" and self._runner is not None:
            self._runner._cancelled(self.id)
        self.refresh()
        return status

    def retry(self, *, max_retries: int | None = None, backoff: float | None = None) -> Job:
        """Run a failed, interrupted or cancelled job again (the same row; ``attempts`` goes on counting).

        After a restart this needs the function importable as ``module:qualname`` and JSON-able
        arguments, as the row recorded them; :class:`JobError` says so otherwise.
        """
        if self._runner is None:
            raise JobError(
                f"job {self.id} was loaded without a runner; use project.job({self.id}).retry() or "
                f"runner.resume({self.id})"
            )
        self._runner.resume(self.id, max_retries=max_retries, backoff=backoff)
        return self.refresh()

    # -- display ------------------------------------------------------------------------------------

    def _summary(self) -> str:
        parts = [self.status]
        fraction = self.progress
        if fraction is not None and self.status != "done":
            parts.append(f"{fraction:.0%}")
        if self.total is not None:
            parts.append(f"({self.done:g}/{self.total:g})")
        elif self.done:
            parts.append(f"({self.done:g})")
        if self.attempts > 1:
            parts.append(f"attempt {self.attempts}")
        if self.message:
            parts.append(f"- {self.message}")
        return " ".join(parts)

    def __repr__(self) -> str:
        return f"<labelnb.Job {self.id} {self.kind!r}: {self._summary()}>"

    def _repr_html_(self) -> str:
        fraction = self.progress
        bar = (
            f'<progress max="1" value="{fraction:.4f}" style="width:12em"></progress> '
            if fraction is not None
            else '<progress style="width:12em"></progress> '
            if self.status in ("queued", "running")
            else ""
        )
        error = self.error.strip().splitlines()[-1] if self.error and self.status != "done" else ""
        return (
            f"<div><b>job {self.id}</b> <code>{html.escape(self.kind)}</code> {bar}"
            f"{html.escape(self._summary())}"
            + (
                f'<br><span style="color:var(--jp-error-color1,#c00)">{html.escape(error)}</span>'
                if error
                else ""
            )
            + "</div>"
        )

    def display(self) -> Any:
        """Show a live progress bar in the notebook, updated until the job ends (``labelnb.widget.jobs``);
        the widget."""
        if _live_display is None:
            raise JobError(
                "the live display needs labelnb.widget.jobs: import it first (import labelnb does)"
            )
        return _live_display(self)

    def _ipython_display_(self) -> None:
        if _live_display is not None:
            self.display()
            return
        from IPython.display import HTML, display

        display(HTML(self._repr_html_()))  # type: ignore[no-untyped-call]
