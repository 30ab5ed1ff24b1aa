"""Export of N annotations to Label Studio JSON (a file) and to a DataFrame.

The project is made with N tasks that each carry one imported annotation. The baseline, in the same run,
is the least any exporter does: plain sqlite3 reads the same tasks and annotations from the project's
file and orjson writes each pair as one JSON array to a file.

    .venv/bin/python benchmarks/bench_export.py --annotations 1000000
"""

from __future__ import annotations

import argparse
import sqlite3
import tempfile
from pathlib import Path

import orjson
from common import TEXT_CONFIG, record, timer

import labelnb as lnb


def tasks(n: int):  # type: ignore[no-untyped-def]
    for i in range(n):
        yield {
            "data": {"text": f"task {i}: a short sentence to label"},
            "annotations": [
                {
                    "completed_by": {"email": f"annotator{i % 5}@example.org"},
                    "lead_time": 1.5,
                    "result": [
                        {
                            "id": f"r{i}",
                            "from_name": "label",
                            "to_name": "text",
                            "type": "choices",
                            "value": {"choices": ["pos" if i % 3 else "neg"]},
                        }
                    ],
                }
            ],
        }


def baseline(db: Path, out: Path) -> float:
    conn = sqlite3.connect(db)
    with timer() as t, out.open("wb") as sink:
        rows = conn.execute(
            "SELECT t.id, t.data, a.id, a.completed_by, a.result, a.lead_time, a.created_at "
            "FROM tasks t JOIN annotations a ON a.task_id = t.id ORDER BY t.id"
        )
        sink.write(b"[")
        while batch := rows.fetchmany(2000):
            sink.write(b",\n".join(orjson.dumps(row) for row in batch) + b",\n")
        sink.write(b"]")
    conn.close()
    return t["seconds"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--annotations", type=int, default=1_000_000)
    args = parser.parse_args()
    n = args.annotations
    with tempfile.TemporaryDirectory() as tmp:
        project = lnb.Project.create(Path(tmp) / "p", TEXT_CONFIG, "export bench")
        with timer() as setup:
            project.import_tasks(tasks(n), user="bench")
        with timer() as as_json:
            project.export("json", Path(tmp) / "out.json")
        size = (Path(tmp) / "out.json").stat().st_size
        base_s = baseline(Path(tmp) / "p" / "project.db", Path(tmp) / "plain.json")
        with timer() as as_frame:
            frame = project.to_dataframe()
        assert len(frame) == n
        assert frame["label"].notna().all()
    record(
        "export",
        {
            "annotations": n,
            "json_annotations_per_s": round(n / as_json["seconds"]),
            "plain_sqlite_orjson_per_s": round(n / base_s),
            "json_ratio_to_plain": round(as_json["seconds"] / base_s, 2),
            "dataframe_ratio_to_plain": round(as_frame["seconds"] / base_s, 2),
            "json_mb": round(size / 2**20, 1),
            "dataframe_annotations_per_s": round(n / as_frame["seconds"]),
            "import_with_annotations_per_s": round(n / setup["seconds"]),
        },
    )


if __name__ == "__main__":
    main()
