"""Import of N small text tasks from a DataFrame, against a plain sqlite3 executemany of the same rows.

The baseline does the least any tool must do: JSON-encode each row's data and insert it with one
executemany into a WAL-mode SQLite table, in one transaction, then checkpoint the log as labelnb does. labelnb additionally validates every task
against the config and keeps its counters and event log. Goal: labelnb at most 2x the baseline's time.
Both run three times, alternating, and the median of the three ratios is reported: one pair of runs on
this machine can be 40% apart from the next (the disk and the WAL checkpoint), their ratio less so.

    .venv/bin/python benchmarks/bench_import.py --tasks 1000000 --keep OUT_DIR
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import tempfile
from pathlib import Path

from common import TEXT_CONFIG, record, small_text_frame, timer

import labelnb as lnb

RUNS = 3


def baseline(df, folder: Path) -> float:  # type: ignore[no-untyped-def]
    conn = sqlite3.connect(folder / "plain.db")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("CREATE TABLE tasks (id INTEGER PRIMARY KEY, data TEXT NOT NULL, created_at TEXT NOT NULL)")
    with timer() as t:
        rows = [(json.dumps({"text": text}), "2026-01-01T00:00:00Z") for text in df["text"].tolist()]
        with conn:
            conn.executemany("INSERT INTO tasks (data, created_at) VALUES (?, ?)", rows)
        conn.execute("PRAGMA wal_checkpoint(PASSIVE)")  # labelnb does the same after a large import
    conn.close()
    return t["seconds"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, help="leave the labelnb project here for the other benchmarks")
    args = parser.parse_args()
    df = small_text_frame(args.tasks)
    pairs: list[tuple[float, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(RUNS):
            folder = Path(tmp) / f"run{run}"
            folder.mkdir()
            base_s = baseline(df, folder)
            # the last run's project is the one kept for the other benchmarks
            target = args.keep if args.keep and run == RUNS - 1 else folder / "project"
            if target.exists():
                shutil.rmtree(target)
            project = lnb.Project.create(target, TEXT_CONFIG, "bench")
            with timer() as t:
                report = project.import_tasks(df, user="bench")
            assert report.tasks == args.tasks
            project.close()
            pairs.append((t["seconds"], base_s))
    labelnb_s, base_s = sorted(pairs, key=lambda pair: pair[0] / pair[1])[RUNS // 2]
    record(
        "import",
        {
            "tasks": args.tasks,
            "runs": RUNS,
            "labelnb_tasks_per_s": round(args.tasks / labelnb_s),
            "sqlite_executemany_tasks_per_s": round(args.tasks / base_s),
            "ratio_to_sqlite": round(labelnb_s / base_s, 2),
            "ratios": [round(a / b, 2) for a, b in pairs],
        },
    )


if __name__ == "__main__":
    main()
