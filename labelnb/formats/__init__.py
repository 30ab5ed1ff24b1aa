"""Label Studio formats in and out: pure functions over task dicts, files and DataFrames.

Reading: :func:`read_tasks` (JSON, JSON lines, CSV, TSV, TXT, DataFrames, iterables) yields checked
:class:`ImportedTask` objects. Writing: :func:`write_json`, :func:`write_json_min`, :func:`write_csv`,
:func:`write_tsv` (Label Studio's export formats, streamed) and :func:`tasks_to_frame` /
:func:`frame_to_tasks` for pandas.
"""

from .coco_import import coco_config, read_coco
from .dataframe import (
    TaskColumns,
    frame_to_tasks,
    pages_to_frame,
    plain_value,
    results_from_plain,
    tasks_to_frame,
)
from .errors import PredictionError, TaskImportError
from .imported import ImportedTask, TaskBuilder, prediction_result
from .predictions import answer_items, check_prediction, prediction_items
from .task_input import read_tasks
from .task_output import (
    FORMATS,
    csv_rows,
    export,
    export_records,
    export_text,
    json_min_records,
    write_csv,
    write_json,
    write_json_min,
    write_tsv,
)
from .yolo_import import read_yolo, yolo_config

__all__ = [
    "FORMATS",
    "ImportedTask",
    "PredictionError",
    "TaskBuilder",
    "TaskColumns",
    "TaskImportError",
    "answer_items",
    "check_prediction",
    "coco_config",
    "csv_rows",
    "export",
    "export_records",
    "export_text",
    "frame_to_tasks",
    "json_min_records",
    "pages_to_frame",
    "plain_value",
    "prediction_items",
    "prediction_result",
    "read_coco",
    "read_tasks",
    "read_yolo",
    "results_from_plain",
    "tasks_to_frame",
    "write_csv",
    "write_json",
    "write_json_min",
    "write_tsv",
    "yolo_config",
]
