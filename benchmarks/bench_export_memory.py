"""Peak resident memory of exports of N annotations, each in a fresh process.

A first process imports N image tasks, each with one annotation holding one box, and exits. Then, for each
format, a fresh process opens the project, exports it to a file or folder and reports its peak resident set
(``ru_maxrss``) and, as the baseline, its resident set once labelnb and the project are open (what every
export process pays before it writes anything). Exports stream the store page by page, so the peak must
not grow with N.

    .venv/bin/python benchmarks/bench_export_memory.py --annotations 1000000 [--formats json,coco]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from common import record

BOX_CONFIG = """
<View>
  <Image name="image" value="$image"/>
  <RectangleLabels name="label" toName="image">
    <Label value="cat"/><Label value="dog"/><Label value="bird"/>
  </RectangleLabels>
</View>
"""


def box_tasks(n: int) -> Iterator[dict[str, Any]]:
    """``n`` image tasks, each with one annotation of one box (the image sizes as Label Studio stores them)."""
    for i in range(n):
        yield {
            "data": {"image": f"images/photo_{i:07d}.jpg"},
            "annotations": [
                {
                    "completed_by": {"email": f"annotator{i % 5}@example.org"},
                    "result": [
                        {
                            "id": f"b{i}",
                            "from_name": "label",
                            "to_name": "image",
                            "type": "rectanglelabels",
                            "original_width": 640,
                            "original_height": 480,
                            "image_rotation": 0,
                            "value": {
                                "x": 10.0 + i % 50,
                                "y": 20.0,
                                "width": 25.5,
                                "height": 30.25,
                                "rotation": 0,
                                "rectanglelabels": [("cat", "dog", "bird")[i % 3]],
                            },
                        }
                    ],
                }
            ],
        }


def import_project(folder: Path, n: int) -> None:
    import labelnb as lnb

    project = lnb.Project.create(folder, BOX_CONFIG, "export memory bench")
    project.import_tasks(box_tasks(n), user="bench")
    project.close()


def export(folder: Path, fmt: str, out: Path) -> dict[str, Any]:
    import labelnb as lnb

    project = lnb.Project.open(folder)
    opened_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    project.export(fmt, out, progress=False)
    seconds = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux
    written = (
        sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) if out.is_dir() else out.stat().st_size
    )
    return {
        "peak_rss_mb": round(peak_kb / 1024, 1),
        "opened_rss_mb": round(opened_kb / 1024, 1),
        "annotations_per_s": round(len(project) / seconds),
        "output_mb": round(written / 2**20, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--annotations", type=int, default=1_000_000)
    parser.add_argument("--formats", default="json,coco", help="comma-separated export formats")
    parser.add_argument("--project", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--step", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step == "import":
        import_project(args.project, args.annotations)
        return
    if args.step:
        print(json.dumps(export(args.project, args.step, args.out)))
        return
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch) / "project"
        me = [sys.executable, __file__, "--project", str(folder), "--annotations", str(args.annotations)]
        subprocess.run([*me, "--step", "import"], check=True)
        figures: dict[str, Any] = {"annotations": args.annotations}
        for fmt in args.formats.split(","):
            target = Path(scratch) / ("out.json" if fmt == "json" else f"out-{fmt}")
            done = subprocess.run(
                [*me, "--step", fmt, "--out", str(target)], check=True, capture_output=True, text=True
            )
            figures[fmt] = json.loads(done.stdout.strip().splitlines()[-1])
        record("export_memory", figures)


if __name__ == "__main__":
    main()
