"""The team dashboard's numbers over N annotations: N/2 image tasks, each answered by two of ten annotators
with a choice and one to three boxes, over two weeks; one answer in twenty is a skip.

Times :func:`labelnb.widget.dashboard.summarise` (everything the widget shows: per user, per label, per
hour, overall, the review queue; with and without the agreement heat map, which reads every annotation)
and a refresh when nothing changed (one fingerprint query). The baseline, in the same run, computes the
same per-user, per-label and per-hour tables the usual way: every task with its annotations from the
store's export, then plain loops and pandas. Peak Python memory (tracemalloc) of both is reported.

    PYTHONPATH=. .venv/bin/python benchmarks/bench_dashboard.py --annotations 100000
"""

from __future__ import annotations

import argparse
import gc
import tempfile
import tracemalloc
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from common import record, timer

import labelnb as lnb
from labelnb.widget.dashboard import DashboardSource, summarise

CONFIG = """
<View>
  <Image name="image" value="$image"/>
  <Choices name="quality" toName="image"><Choice value="ok"/><Choice value="blurry"/><Choice value="dark"/></Choices>
  <RectangleLabels name="box" toName="image"><Label value="cat"/><Label value="dog"/><Label value="bird"/></RectangleLabels>
</View>
"""
PEOPLE = [f"annotator{n}@example.org" for n in range(10)]


def tasks(n_annotations: int, seed: int = 0) -> Iterator[dict[str, Any]]:
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2026-11-01T08:00:00Z")
    for task in range(n_annotations // 2):
        people = rng.choice(len(PEOPLE), 2, replace=False)
        annotations = []
        for person in people:
            when = start + pd.Timedelta(
                seconds=int(task * 1_209_600 // (n_annotations // 2)) + int(person) * 7
            )
            stamp = when.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
            if rng.random() < 0.05:
                annotations.append(
                    {
                        "completed_by": {"email": PEOPLE[person]},
                        "result": [],
                        "was_cancelled": True,
                        "created_at": stamp,
                    }
                )
                continue
            result = [
                {
                    "from_name": "quality",
                    "to_name": "image",
                    "type": "choices",
                    "value": {"choices": [("ok", "blurry", "dark")[int(rng.integers(0, 3))]]},
                }
            ]
            for _ in range(int(rng.integers(1, 4))):
                value = {"x": float(rng.uniform(0, 70)), "y": float(rng.uniform(0, 70)), "width": 20.0, "height": 15.0,
                         "rotation": 0, "rectanglelabels": [("cat", "dog", "bird")[int(rng.integers(0, 3))]]}  # fmt: skip
                result.append(
                    {"from_name": "box", "to_name": "image", "type": "rectanglelabels", "value": value}
                )
            annotations.append(
                {
                    "completed_by": {"email": PEOPLE[person]},
                    "result": result,
                    "lead_time": float(rng.uniform(3, 30)),
                    "created_at": stamp,
                }
            )
        yield {"data": {"image": f"images/{task:07d}.jpg"}, "annotations": annotations}


def baseline(project: lnb.Project) -> dict[str, Any]:
    """The same tables from the export: every task and annotation in memory, loops and pandas."""
    users = project.store.users()
    rows, labels = [], Counter()
    for task in project.store.iter_export_tasks():
        for a in task["annotations"]:
            who = a["completed_by"]
            rows.append(
                (users.get(who, who), task["id"], a["was_cancelled"], a.get("lead_time"), a["created_at"])
            )
            if a["was_cancelled"]:
                continue
            for item in a["result"]:
                if item["type"] in ("choices", "rectanglelabels"):
                    for label in item["value"][item["type"]]:
                        labels[(item["from_name"], label)] += 1
    frame = pd.DataFrame(rows, columns=["user", "task", "cancelled", "lead_time", "created_at"])
    per_user = frame.groupby("user").agg(
        submitted=("cancelled", lambda c: int((~c).sum())),
        skipped=("cancelled", "sum"),
        tasks=("task", "nunique"),
        lead=("lead_time", "mean"),
    )
    done = frame[~frame["cancelled"]]
    hours = done.groupby([pd.to_datetime(done["created_at"]).dt.floor("h"), "user"]).size()
    return {"users": per_user, "labels": labels, "hours": hours}


def measured(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    """(result, seconds, peak MB of Python allocations): timed in one run, traced in a second one (tracing
    slows allocations down several times)."""
    gc.collect()
    with timer() as t:
        value = fn()
    gc.collect()
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1] / 1e6
    tracemalloc.stop()
    return value, t["seconds"], peak


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--annotations", type=int, default=100_000)
    args = parser.parse_args()
    figures: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as scratch:
        project = lnb.Project.create(Path(scratch) / "project", CONFIG, "dashboard bench")
        project.import_tasks(tasks(args.annotations))
        full = DashboardSource(project.store, project.config, project.agreement)
        quick = DashboardSource(project.store, project.config, None)
        summarise(quick)  # warm: imports, compiled queries; a dashboard's refreshes are all warm
        summary, seconds, peak = measured(lambda: summarise(quick))
        figures.update(annotations=summary["overall"]["submitted"] + summary["overall"]["skipped"])
        figures.update(summary_s=round(seconds, 3), summary_peak_mb=round(peak, 1))
        _, seconds, peak = measured(lambda: summarise(full))
        figures.update(with_agreement_s=round(seconds, 3), with_agreement_peak_mb=round(peak, 1))
        _, seconds, _ = measured(full.fingerprint)
        figures["unchanged_refresh_ms"] = round(seconds * 1000, 2)
        tables, seconds, peak = measured(lambda: baseline(project))
        figures.update(baseline_s=round(seconds, 3), baseline_peak_mb=round(peak, 1))
        figures["speedup_vs_baseline"] = round(figures["baseline_s"] / figures["summary_s"], 1)
        figures["memory_ratio_vs_baseline"] = round(
            figures["baseline_peak_mb"] / max(figures["summary_peak_mb"], 0.1), 1
        )
        # the two agree
        ours = {(c["control"], e["label"]): e["count"] for c in summary["labels"] for e in c["labels"]}
        assert ours == dict(tables["labels"]), "label counts differ from the baseline's"
        submitted = {u["user"]: u["submitted"] for u in summary["users"]}
        assert submitted == tables["users"]["submitted"].to_dict(), "per-user counts differ"
        assert sum(sum(s["counts"]) for s in summary["throughput"]["series"]) == int(tables["hours"].sum())
        project.close()
    record("dashboard", figures)


if __name__ == "__main__":
    main()
