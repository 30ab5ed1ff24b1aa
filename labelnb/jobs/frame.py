"""A project's jobs as a pandas DataFrame."""

from __future__ import annotations

import pandas as pd

from labelnb.jobs import rows
from labelnb.store import Store

COLUMNS = [
    "id",
    "kind",
    "status",
    "progress",
    "done",
    "total",
    "message",
    "attempts",
    "max_retries",
    "error",
    "function",
    "owner",
    "created_at",
    "started_at",
    "finished_at",
]


def jobs_frame(store: Store) -> pd.DataFrame:
    """One row per job of the store's project, oldest first: ``id``, ``kind``, ``status``, ``progress``
    (fraction, NaN while the total is unknown), ``done``, ``total``, ``message``, ``attempts``,
    ``max_retries``, ``error`` (its last line; ``Job.error`` has the traceback), ``function``, ``owner``
    and the times."""
    records = []
    for row in rows.list_rows(store.engine, store.project_id):
        total = row.total
        fraction = min(1.0, row.done / total) if total else (1.0 if row.status == "done" else None)
        records.append(
            {
                "id": row.id,
                "kind": row.kind,
                "status": row.status,
                "progress": fraction,
                "done": row.done,
                "total": total,
                "message": row.message,
                "attempts": row.attempts,
                "max_retries": row.max_retries,
                "error": row.error.strip().splitlines()[-1] if row.error else None,
                "function": row.function,
                "owner": row.owner,
                "created_at": row.created_at,
                "started_at": row.started_at,
                "finished_at": row.finished_at,
            }
        )
    frame = pd.DataFrame.from_records(records, columns=COLUMNS)
    return frame.astype(
        {
            "id": "int64",
            "attempts": "int64",
            "max_retries": "int64",
            "progress": "float64",
            "done": "float64",
            "total": "float64",
        }
    )
