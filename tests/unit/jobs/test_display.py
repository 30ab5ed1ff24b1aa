"""A job's static and live display in the notebook follow its row."""

from __future__ import annotations

import threading

from labelnb.jobs import JobContext, JobRunner
from labelnb.jobs import handle as job_handle
from labelnb.widget.jobs import JobProgress, show
from tests.jobs_work import fails
from tests.unit.jobs.test_runner import TIMEOUT, wait_until


def stepper(ctx: JobContext, steps: list[threading.Event], reached: list[threading.Event]) -> str:
    """Report one more unit each time the test lets it."""
    total = len(steps)
    for i, go in enumerate(steps):
        assert go.wait(TIMEOUT)
        ctx.progress(i + 1, total, f"step {i + 1}")
        reached[i].set()
    return "finished"


def test_the_live_bar_and_label_follow_the_row(runner: JobRunner) -> None:
    steps = [threading.Event() for _ in range(4)]
    reached = [threading.Event() for _ in range(4)]
    job = runner.submit("steps", stepper, steps, reached)
    view = JobProgress(job, refresh=0.01).start()
    wait_until(lambda: "running" in view.label.value)
    assert view.bar.value == 0
    assert view.bar.bar_style == "info"
    # progress writes are throttled, so steps are spaced out by the row actually changing
    for i in (0, 1):
        steps[i].set()
        assert reached[i].wait(TIMEOUT)
        wait_until(lambda i=i: job.refresh().done == i + 1)
        # the view's thread sets the bar, then the label: wait for both
        wait_until(
            lambda i=i: view.bar.value == (i + 1) / 4 and f"({i + 1}/4) - step {i + 1}" in view.label.value
        )
    steps[2].set()
    steps[3].set()
    view.join(TIMEOUT)  # it stops following once the job has ended
    assert view.bar.bar_style == "success"
    assert view.bar.value == 1.0
    assert view.label.value.startswith("steps: done")
    assert not view.following


def test_a_failed_job_shows_red_with_its_error(runner: JobRunner) -> None:
    job = runner.submit("broken", fails, "disk full")
    job.wait(TIMEOUT)
    view = JobProgress(job)
    assert view.bar.bar_style == "danger"
    assert "ValueError: disk full" in view.label.value
    assert not view.start().following  # nothing left to follow


def test_display_uses_the_widget_room_s_live_view(runner: JobRunner) -> None:
    assert job_handle._live_display is show  # installed by importing labelnb.widget.jobs
    job = runner.submit("broken", fails, "x")
    job.wait(TIMEOUT)
    shown = job.display()
    assert isinstance(shown, JobProgress)
    assert shown.bar.bar_style == "danger"


def test_the_static_html_escapes_what_the_job_wrote(runner: JobRunner) -> None:
    job = runner.submit("<b>kind</b>", fails, "<script>alert(1)</script>")
    job.wait(TIMEOUT)
    page = job._repr_html_()
    assert "<script>" not in page
    assert "<b>kind</b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "failed" in page
