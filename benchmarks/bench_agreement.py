"""Agreement over N annotations: N/2 image tasks, each answered by two annotators with a choice, a rating
and one to three boxes (one box in ten rotated, so it is matched by polygon clipping).

``agreement_frame`` computes every measure of the three controls (Cohen's kappa per pair, Fleiss' kappa,
Krippendorff's alpha, box precision/recall/F1/mean IoU) from the Label Studio result lists, reading and
checking each item. The baseline, in the same run, is the choices control alone done with the usual
libraries: a plain loop picking the choices out of the same result lists (no checks), then scikit-learn's
``cohen_kappa_score`` and the ``krippendorff`` package's nominal alpha; labelnb's time for that control
(kappa, Fleiss' kappa and alpha) is given as a ratio to it. Goal: the whole of labelnb's work (all three
controls) under 5 s for 100,000 annotations.
``--store`` also times ``Project.agreement`` on the same annotations imported into a project (reading
them back from SQLite included; the import is not timed).

    .venv/bin/python benchmarks/bench_agreement.py --annotations 100000
"""

from __future__ import annotations

import argparse
import gc
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import krippendorff
import numpy as np
from common import record, timer
from sklearn.metrics import cohen_kappa_score

import labelnb as lnb
from labelnb.team.agreement import agreement_frame

CONFIG = """
<View>
  <Image name="image" value="$image"/>
  <Choices name="quality" toName="image"><Choice value="ok"/><Choice value="blurry"/><Choice value="dark"/></Choices>
  <Rating name="stars" toName="image" maxRating="5"/>
  <RectangleLabels name="box" toName="image"><Label value="cat"/><Label value="dog"/></RectangleLabels>
</View>
"""
PEOPLE = ("ann@example.org", "bob@example.org")
CHOICES = ("ok", "blurry", "dark")


def _box(rng: np.random.Generator, x: float, y: float, label: str, rotated: bool) -> dict[str, Any]:
    jitter = rng.normal(0, 1.5, 4)
    x, y = float(np.clip(x + jitter[0], 0, 75)), float(np.clip(y + jitter[1], 0, 75))  # inside the image
    value = {"x": x, "y": y, "width": 20 + jitter[2], "height": 15 + jitter[3],
             "rotation": float(rng.uniform(5, 40)) if rotated else 0, "rectanglelabels": [label]}  # fmt: skip
    return {"from_name": "box", "to_name": "image", "type": "rectanglelabels", "original_width": 640,
            "original_height": 480, "image_rotation": 0, "value": value}  # fmt: skip


def annotations(n: int, seed: int = 0) -> list[tuple[int, str, list[dict[str, Any]]]]:
    """``n`` annotations, two per task: noisy copies of one true answer per task."""
    rng = np.random.default_rng(seed)
    out = []
    for task in range(n // 2):
        truth = int(rng.integers(0, 3))
        stars = int(rng.integers(1, 6))
        places = [
            (float(rng.uniform(0, 70)), float(rng.uniform(0, 70))) for _ in range(int(rng.integers(1, 4)))
        ]
        labels = [("cat", "dog")[int(rng.integers(0, 2))] for _ in places]
        rotated = [bool(rng.random() < 0.1) for _ in places]
        for person in PEOPLE:
            said = truth if rng.random() < 0.7 else int(rng.integers(0, 3))
            rating = int(np.clip(stars + rng.integers(-1, 2), 1, 5))
            result = [
                {
                    "from_name": "quality",
                    "to_name": "image",
                    "type": "choices",
                    "value": {"choices": [CHOICES[said]]},
                },
                {"from_name": "stars", "to_name": "image", "type": "rating", "value": {"rating": rating}},
            ]
            result += [
                _box(rng, x, y, label, turn)
                for (x, y), label, turn in zip(places, labels, rotated, strict=True)
                if rng.random() < 0.9  # now and then one person misses a box
            ]
            out.append((task, person, result))
    return out


def as_tasks(found: list[tuple[int, str, list[dict[str, Any]]]]) -> Iterator[dict[str, Any]]:
    """The annotations as Label Studio tasks to import, two annotations each."""
    for k in range(0, len(found), 2):
        yield {
            "data": {"image": f"images/{found[k][0]:07d}.jpg"},
            "annotations": [
                {"completed_by": {"email": who}, "result": result} for _, who, result in found[k : k + 2]
            ],
        }


def baseline(found: list[tuple[int, str, list[dict[str, Any]]]]) -> float:
    """What one would write with the usual libraries for the choices alone: a plain loop picks each
    person's choice out of the result lists (no checks), then scikit-learn's kappa and krippendorff's
    alpha. Returns its time."""
    codes = {c: k for k, c in enumerate(CHOICES)}
    with timer() as t:
        said: dict[str, dict[int, int]] = {person: {} for person in PEOPLE}
        for task, who, result in found:
            for item in result:
                if item["from_name"] == "quality":
                    said[who][task] = codes[item["value"]["choices"][0]]
        first, second = said[PEOPLE[0]], said[PEOPLE[1]]
        shared = sorted(first.keys() & second.keys())
        a, b = np.array([first[k] for k in shared]), np.array([second[k] for k in shared])
        cohen_kappa_score(a, b)
        krippendorff.alpha(np.vstack([a, b]).astype(float), level_of_measurement="nominal")
    return t["seconds"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--annotations", type=int, default=100_000)
    parser.add_argument(
        "--store", action="store_true", help="also time Project.agreement on an imported project"
    )
    args = parser.parse_args()
    found = annotations(args.annotations)
    n = len(found)
    boxes = sum(1 for _, _, result in found for item in result if item["type"] == "rectanglelabels")
    figures: dict[str, Any] = {"annotations": n, "tasks": n // 2, "boxes": boxes}
    gc.collect()
    with timer() as t:
        pairs, overall = agreement_frame(found, CONFIG)
    figures["all_s"] = round(t["seconds"], 3)
    figures["annotations_per_s"] = round(n / t["seconds"])
    for name in ("quality", "stars", "box"):
        with timer() as part:
            agreement_frame(found, CONFIG, name)
        figures[f"{name}_s"] = round(part["seconds"], 3)
    figures["baseline_quality_s"] = round(baseline(found), 3)
    figures["quality_ratio_to_baseline"] = round(figures["quality_s"] / figures["baseline_quality_s"], 2)
    values = overall.set_index(["control", "measure"])["value"]
    figures["values"] = {
        f"{control}.{measure}": round(float(v), 4) for (control, measure), v in values.items()
    }
    assert len(pairs) == 6  # one pair of annotators: kappa of 2 controls, box precision, recall, f1, mean_iou
    if args.store:
        with tempfile.TemporaryDirectory() as scratch:
            project = lnb.Project.create(Path(scratch) / "project", CONFIG, "agreement bench")
            project.import_tasks(as_tasks(found))
            with timer() as t:
                project.agreement()
            figures["project_agreement_s"] = round(t["seconds"], 3)
            project.close()
    record("agreement", figures)


if __name__ == "__main__":
    main()
