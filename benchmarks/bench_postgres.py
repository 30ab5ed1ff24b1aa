"""The same project on SQLite and on PostgreSQL: import, next_task + submit, JSON export, and
``labelnb copy`` from one to the other.

PostgreSQL is a throwaway server (tests/pg.py: a temporary cluster with fsync off, on /dev/shm where
there is one, so its figures are an upper bound of what a durable server on a network gives). SQLite runs
in a temporary folder. Each figure is one run.

    PYTHONPATH=. .venv/bin/python benchmarks/bench_postgres.py --tasks 100000 --calls 500
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

# this checkout's labelnb and tests.pg, however the script is started
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common import TEXT_CONFIG, record, small_text_frame, summary_ms, timer

import labelnb as lnb
from labelnb.store.copy import copy_store
from tests.pg import PostgresServer

ANSWER = [{"from_name": "label", "to_name": "text", "type": "choices", "value": {"choices": ["pos"]}}]


def measure(location: str, tasks: int, calls: int, out: Path) -> dict[str, Any]:
    """Import ``tasks`` tasks, label ``calls`` of them one by one, export them as JSON."""
    df = small_text_frame(tasks)
    project = lnb.Project.create(location, TEXT_CONFIG, "bench")
    with timer() as imported:
        project.import_tasks(df, user="bench")
    cycles: list[float] = []
    for _ in range(calls):
        with timer() as cycle:
            task = project.next_task("ann@example.org")
            assert task is not None
            project.submit(task["id"], ANSWER, user="ann@example.org")
        cycles.append(cycle["seconds"])
    with timer() as exported:
        project.export("json", out)
    project.store.close()
    return {
        "import_s": imported["seconds"],
        "import_tasks_per_s": tasks / imported["seconds"],
        "next_and_submit": summary_ms(cycles),
        "export_json_s": exported["seconds"],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--calls", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, PostgresServer() as server:
        folder = Path(tmp)
        sqlite = measure(str(folder / "sqlite"), args.tasks, args.calls, folder / "sqlite.json")
        database = server.new_database()
        postgresql = measure(database, args.tasks, args.calls, folder / "postgresql.json")
        with timer() as to_postgresql:
            copy_store(folder / "sqlite", server.new_database(migrated=False))
        with timer() as to_sqlite:
            copy_store(database, folder / "copy")
        record(
            "postgres",
            {
                "tasks": args.tasks,
                "sqlite": sqlite,
                "postgresql": postgresql,
                "copy_sqlite_to_postgresql_s": to_postgresql["seconds"],
                "copy_postgresql_to_sqlite_s": to_sqlite["seconds"],
            },
        )


if __name__ == "__main__":
    main()
