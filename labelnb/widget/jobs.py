"""A job's live progress bar in the notebook: an ipywidgets bar and label that a background thread keeps
in step with the job's row until the job ends. Importing this module makes ``Job.display()`` (and a job
shown as a cell's value) use it."""

from __future__ import annotations

import threading
from typing import Any

from labelnb.jobs import Job, set_live_display

#: how often the display reads the job's row (seconds)
REFRESH_S = 0.25

BAR_STYLES = {"done": "success", "failed": "danger", "interrupted": "danger", "cancelled": "warning"}


class JobProgress:
    """``widget`` (an ``ipywidgets.HBox``) holds ``bar`` (a ``FloatProgress`` from 0 to 1) and ``label``
    (status, counts, message). :meth:`start` follows the job from a background thread."""

    def __init__(self, job: Job, refresh: float = REFRESH_S) -> None:
        import ipywidgets

        self.job = job
        self.refresh = refresh
        self.bar = ipywidgets.FloatProgress(value=0.0, min=0.0, max=1.0, description=f"job {job.id}")
        self.label = ipywidgets.Label()
        self.widget = ipywidgets.HBox([self.bar, self.label])
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.update()

    def update(self) -> bool:
        """Show the job as last read; True once it has ended."""
        job = self.job
        fraction = job.progress
        self.bar.value = fraction if fraction is not None else 0.0
        self.bar.bar_style = BAR_STYLES.get(job.status, "info" if job.status == "running" else "")
        error = job.error.strip().splitlines()[-1] if job.error and job.status != "done" else ""
        self.label.value = f"{job.kind}: {job._summary()}" + (f" - {error}" if error else "")
        return job.ended

    def start(self) -> JobProgress:
        """Follow the job in a background thread until it ends (or :meth:`stop`)."""
        if self._thread is None and not self.job.ended:
            self._thread = threading.Thread(
                target=self._follow, name=f"labelnb-job-view-{self.job.id}", daemon=True
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()

    @property
    def following(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def join(self, timeout: float | None = None) -> None:
        if self._thread is not None:
            self._thread.join(timeout)

    def _follow(self) -> None:
        while not self._stop.wait(self.refresh):
            try:
                if self.job.refresh() and self.update():
                    return
            except Exception as exc:  # the store went away: say so and stop following
                self.label.value = f"{self.job.kind}: no longer readable ({exc})"
                return

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)


def show(job: Job) -> JobProgress:
    """Display a live progress bar for ``job`` in the notebook and return it."""
    from IPython.display import display

    progress = JobProgress(job)
    display(progress.widget)  # type: ignore[no-untyped-call]
    return progress.start()


set_live_display(show)
