"""Export of N annotations to Label Studio JSON (a file) and to a DataFrame.

The project is made with N tasks that each carry one imported annotation.

    .venv/bin/python benchmarks/bench_export.py --annotations 1000000
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

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
        with timer() as as_frame:
            frame = project.to_dataframe()
        assert len(frame) == n
        assert frame["label"].notna().all()
    record(
        "export",
        {
            "annotations": n,
            "json_annotations_per_s": round(n / as_json["seconds"]),
            "json_mb": round(size / 2**20, 1),
            "dataframe_annotations_per_s": round(n / as_frame["seconds"]),
            "import_with_annotations_per_s": round(n / setup["seconds"]),
        },
    )


if __name__ == "__main__":
    main()
