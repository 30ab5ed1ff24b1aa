"""labelnb: Label Studio-compatible data labeling inside Jupyter notebooks.

>>> import labelnb as lnb
>>> project = lnb.Project.create("pets", config=xml)     # doctest: +SKIP
>>> project.import_tasks(df); project.annotate()          # doctest: +SKIP
>>> lnb.dashboard(project)                                # doctest: +SKIP  (the team's progress)

The names below load on first use, so that importing one module of the package (the Jupyter server
extension ``labelnb.serverext``, say) does not load pandas and SQLAlchemy.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from labelnb.config import ConfigError, LabelConfig, ResultError, TaskDataError
    from labelnb.formats.errors import PredictionError, TaskImportError
    from labelnb.jobs import Job, JobCancelled, JobContext, JobError, JobRunner, jobs_frame
    from labelnb.project import Project
    from labelnb.simulate import simulate
    from labelnb.store import ImportReport, StoreError
    from labelnb.widget.dashboard import dashboard

__version__ = "0.1.0"

# public name -> the module that defines it
_HOMES = {
    "ConfigError": "labelnb.config",
    "LabelConfig": "labelnb.config",
    "ResultError": "labelnb.config",
    "TaskDataError": "labelnb.config",
    "TaskImportError": "labelnb.formats.errors",
    "dashboard": "labelnb.widget.dashboard",
    "Job": "labelnb.jobs",
    "JobCancelled": "labelnb.jobs",
    "JobContext": "labelnb.jobs",
    "JobError": "labelnb.jobs",
    "JobRunner": "labelnb.jobs",
    "jobs_frame": "labelnb.jobs",
    "PredictionError": "labelnb.formats.errors",
    "Project": "labelnb.project",
    "simulate": "labelnb.simulate",
    "ImportReport": "labelnb.store",
    "StoreError": "labelnb.store",
}

__all__ = [
    "ConfigError",
    "ImportReport",
    "Job",
    "JobCancelled",
    "JobContext",
    "JobError",
    "JobRunner",
    "LabelConfig",
    "PredictionError",
    "Project",
    "ResultError",
    "StoreError",
    "TaskDataError",
    "TaskImportError",
    "__version__",
    "dashboard",
    "jobs_frame",
    "simulate",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'labelnb' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    if home == "labelnb.jobs":
        importlib.import_module("labelnb.widget.jobs")  # a job shown in a notebook gets a live progress bar
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
