"""labelnb: Label Studio-compatible data labeling inside Jupyter notebooks.

>>> import labelnb as lnb
>>> project = lnb.Project.create("pets", config=xml)     # doctest: +SKIP
>>> project.import_tasks(df); project.annotate()          # doctest: +SKIP
"""

from labelnb.config import ConfigError, LabelConfig, ResultError, TaskDataError
from labelnb.formats.errors import TaskImportError
from labelnb.project import Project
from labelnb.store import ImportReport, StoreError

__version__ = "0.1.0"

__all__ = [
    "ConfigError",
    "ImportReport",
    "LabelConfig",
    "Project",
    "ResultError",
    "StoreError",
    "TaskDataError",
    "TaskImportError",
    "__version__",
]
