"""Export speed of N box annotations to COCO and YOLO: labelnb against label-studio-sdk's converter.

A project gets N image tasks, each with one annotation of one box (the image size given as
``original_width``/``original_height``, as Label Studio stores it, so neither side opens an image). For each
format, labelnb exports the project (``Project.export``: reading the store, writing the files); then, as
Label Studio does, the SDK's ``Converter`` converts the project's JSON export (the same tasks, users as
``{id, email}``) to the same format. The JSON file is written before the SDK's clock starts, so the SDK is
timed on its conversion alone; each timed run starts after an ``os.sync()``, so neither pays for the
other's pending disk writes, and everything lives on a RAM disk (``/dev/shm``) unless ``--scratch`` says
otherwise. The ratio is the SDK's time over labelnb's (goal: at least 5).

    .venv/bin/python benchmarks/bench_export_speed.py --annotations 100000
"""

from __future__ import annotations

import argparse
import logging
import os
import tempfile
from pathlib import Path
from typing import Any

import orjson
from bench_export_memory import BOX_CONFIG, box_tasks
from common import record, timer

import labelnb as lnb

#: a RAM disk where there is one: YOLO writes one file per image, and on a virtual disk the time to create
#: 100,000 small files swings several-fold with the writeback of earlier runs, which measures the machine
_SHM = "/dev/shm"


def sdk_convert(source: Path, out: Path, fmt: str) -> float:
    from label_studio_sdk.converter import Converter

    converter = Converter(BOX_CONFIG, str(source.parent), download_resources=False)
    os.sync()
    with timer() as t:
        converter.convert(str(source), str(out), fmt.upper(), is_dir=False)
    return t["seconds"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--annotations", type=int, default=100_000)
    parser.add_argument("--formats", default="coco,yolo", help="comma-separated export formats")
    parser.add_argument("--scratch", default=_SHM if os.path.isdir(_SHM) else None,
                        help="folder for the project and the outputs (default: /dev/shm, a RAM disk)")  # fmt: skip
    args = parser.parse_args()
    n = args.annotations
    logging.getLogger("label_studio_sdk").setLevel(logging.ERROR)  # no per-task log lines on either side
    figures: dict[str, Any] = {"annotations": n}
    with tempfile.TemporaryDirectory(dir=args.scratch) as scratch:
        root = Path(scratch)
        project = lnb.Project.create(root / "project", BOX_CONFIG, "export speed bench")
        project.import_tasks(box_tasks(n), user="bench")
        source = root / "tasks.json"
        with source.open("wb") as fh:  # what Label Studio hands the converter: its JSON export
            fh.write(b"[")
            for k, task in enumerate(project.store.iter_export_tasks(expand_users=True)):
                fh.write((b",\n" if k else b"") + orjson.dumps(task))
            fh.write(b"]")
        for fmt in args.formats.split(","):
            os.sync()  # neither side pays for the other's (or the import's) pending disk writes
            with timer() as t:
                project.export(fmt, root / f"ours-{fmt}", progress=False)
            sdk_seconds = sdk_convert(source, root / f"sdk-{fmt}", fmt)
            figures[fmt] = {
                "labelnb_annotations_per_s": round(n / t["seconds"]),
                "sdk_annotations_per_s": round(n / sdk_seconds),
                "ratio_sdk_to_labelnb": round(sdk_seconds / t["seconds"], 2),
            }
        project.close()
    record("export_speed", figures)


if __name__ == "__main__":
    main()
