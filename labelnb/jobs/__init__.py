"""Background work with status, progress, retries and cancellation, on any ``concurrent.futures``
executor (threads, processes, Dask). Each job is a row of the store's ``jobs`` table, so any process can
follow it, and a job whose kernel died is found ``interrupted`` when the project is opened again."""

from labelnb.jobs.context import JobCancelled, JobContext, JobError
from labelnb.jobs.frame import jobs_frame
from labelnb.jobs.handle import Job, set_live_display
from labelnb.jobs.runner import JobRunner, mark_interrupted

__all__ = [
    "Job",
    "JobCancelled",
    "JobContext",
    "JobError",
    "JobRunner",
    "jobs_frame",
    "mark_interrupted",
    "set_live_display",
]
