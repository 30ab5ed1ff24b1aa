"""The task table as a DataFrame (``Project.tasks_frame``), built from the store's columns."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from labelnb.formats.frame_values import timestamps, typed_series

#: the table's own columns, in order; data fields follow as ``data.<key>``
TABLE_COLUMNS = (
    "id",
    "status",
    "annotators",
    "total_annotations",
    "cancelled_annotations",
    "ground_truth",
    "overlap",
    "total_predictions",
    "prediction_score",
    "model_version",
    "agreement",
    "review_state",
    "created_at",
    "updated_at",
)
_DTYPES = {
    "id": "Int64",
    "status": "string",
    "total_annotations": "Int64",
    "cancelled_annotations": "Int64",
    "ground_truth": "boolean",
    "overlap": "Int64",
    "total_predictions": "Int64",
    "prediction_score": "Float64",
    "model_version": "string",
    "agreement": "Float64",
    "review_state": "string",
}


def task_table_frame(columns: Mapping[str, Sequence[Any]]) -> pd.DataFrame:
    """One row per task: the table's columns, then one ``data.<key>`` column per task data field."""
    size = len(columns["id"])
    frame: dict[str, Any] = {}
    for name in TABLE_COLUMNS:
        if name in ("created_at", "updated_at"):
            frame[name] = timestamps(list(columns[name]), name)
        elif name == "annotators":
            frame[name] = pd.Series(list(columns[name]), dtype=object, name=name)
        else:
            frame[name] = typed_series(list(columns[name]), name, _DTYPES.get(name))
    keys: dict[str, None] = {}
    for data in columns["data"]:
        keys.update(dict.fromkeys(data))
    for key in keys:
        name = f"data.{key}"
        frame[name] = typed_series([data.get(key) for data in columns["data"]], name)
    return pd.DataFrame(frame, index=pd.RangeIndex(size))
