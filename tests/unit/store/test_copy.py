"""``labelnb copy``: a whole project, SQLite -> PostgreSQL -> SQLite, every table equal row for row."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert, select

import labelnb as lnb
from labelnb.cli import main
from labelnb.jobs import JobContext
from labelnb.store import StoreError, read_transaction, write_transaction
from labelnb.store import schema as s
from labelnb.store.copy import copied_tables, copy_store
from labelnb.store.engine import create_store_engine, current_revision, store_url
from labelnb.store.model_runs import record_version, write_predictions

CONFIG = (
    '<View><Text name="text" value="$text"/><Choices name="c" toName="text">'
    '<Choice value="a"/><Choice value="b"/></Choices></View>'
)


def pick(value: str) -> list[dict[str, Any]]:
    return [{"from_name": "c", "to_name": "text", "type": "choices", "value": {"choices": [value]}}]


def count_to(ctx: JobContext, n: int) -> int:
    """A job that reports progress and returns."""
    ctx.progress(n, n, "counted")
    return n


def busy_project(folder: Path) -> lnb.Project:
    """A project with something in every table: tasks, annotations with history, skips, predictions,
    drafts, a stored queue, jobs, model versions, events, a storage and its objects, members, reviews."""
    project = lnb.Project.create(folder / "project", CONFIG, maximum_annotations=2)
    project.import_tasks(
        [
            {"data": {"text": "imported"}, "annotations": [{"result": pick("a"), "completed_by": 40, "id": 7}],
             "predictions": [{"result": pick("b"), "score": 0.25, "model_version": "v0"}], "file_upload": "x"},
            *({"text": f"t{n}", "n": n / 3} for n in range(30)),
        ]
    )  # fmt: skip
    project.submit(2, pick("a"), user="ann@example.org", lead_time=1.5)
    project.submit(2, pick("b"), user="ann@example.org", lead_time=2.25)  # a second version
    project.skip(3, user="ben@example.org")
    project.save_draft(4, pick("a"), user="ben@example.org", lead_time=0.5)
    project.next_task("cat@example.org")  # a lease
    write_predictions(
        project.store.engine, project.store.project_id, "v1", [5, 6], [pick("a")] * 2, [0.9, None]
    )
    record_version(project.store, "v1", source="test", labels=3, metrics={"accuracy": 0.5})
    project.rank("random")
    job = project.runner.submit("count", count_to, 3)
    assert job.wait().status == "done"
    project.runner.shutdown()
    files = folder / "objects"
    files.mkdir()
    for n in range(3):
        (files / f"{n}.json").write_text(json.dumps({"text": f"from storage {n}"}))
    project.add_storage("files", files, mode="tasks", regex_filter=r".*\.json$")
    project.sync("files", progress=False)
    store = project.store
    with write_transaction(store.engine) as conn:
        ann = store.user_id(conn, "ann@example.org")
        boss = store.user_id(conn, "boss@example.org")
        conn.execute(
            insert(s.members),
            [
                {"project_id": store.project_id, "user_id": boss, "role": "owner", "created_at": "t"},
                {"project_id": store.project_id, "user_id": ann, "role": "annotator", "created_at": "t"},
            ],
        )
        annotation_id = conn.execute(
            select(s.annotations.c.id).where(s.annotations.c.task_id == 2)
        ).scalar_one()
        conn.execute(
            insert(s.reviews).values(
                project_id=store.project_id, annotation_id=annotation_id, task_id=2, version=2,
                reviewer_id=boss, verdict="rejected", comment="look again", created_at="t",
            )
        )  # fmt: skip
    return project


def table_rows(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in primary-key order."""
    engine = create_store_engine(url)
    try:
        with read_transaction(engine) as conn:
            return {
                table.name: [
                    tuple(row) for row in conn.execute(select(table).order_by(*table.primary_key.columns))
                ]
                for table in copied_tables()
            }
    finally:
        engine.dispose()


def test_a_project_goes_to_postgresql_and_back_whole(
    tmp_path: Path, new_database: Callable[..., str], capsys: pytest.CaptureFixture[str]
) -> None:
    original = busy_project(tmp_path)
    original.user = "boss@example.org"  # a team project (it has members): its owner reads it
    before = table_rows(store_url(original.location))
    assert all(before[table.name] for table in copied_tables()), [t for t, rows in before.items() if not rows]

    database = new_database(migrated=False)  # the copy makes the schema itself
    report = copy_store(original.location, database, batch=7)  # several batches per table
    assert report.rows == {name: len(rows) for name, rows in before.items()}
    assert table_rows(database) == before

    back = tmp_path / "back"
    assert main(["copy", database, str(back)]) == 0
    assert "rows copied" in capsys.readouterr().out
    assert table_rows(store_url(back)) == before

    # the copies open, export the same Label Studio JSON, and take new rows under free ids
    for where in (database, str(back)):
        copied = lnb.Project.open(where, user="boss@example.org")
        assert copied.export("json") == original.export("json")
        assert copied.stats() == original.stats() | {"title": copied.title}
        task = copied.next_task("ann@example.org")  # the members came along: ann still labels
        assert task is not None
        annotation_id = copied.submit(task["id"], pick("a"), user="ann@example.org")
        assert annotation_id == max(a for (a, *_) in before["annotations"]) + 1
        copied.import_tasks([{"text": "new"}])
        assert len(copied) == len(before["tasks"]) + 1


def test_a_copy_into_a_store_that_holds_anything_is_refused(
    tmp_path: Path, new_database: Callable[..., str], capsys: pytest.CaptureFixture[str]
) -> None:
    source = lnb.Project.create(tmp_path / "src", CONFIG)
    source.import_tasks([{"text": "x"}])
    taken = lnb.Project.create(tmp_path / "taken", CONFIG)
    with pytest.raises(StoreError, match=r"taken is not empty .*projects has 1 rows"):
        copy_store(tmp_path / "src", tmp_path / "taken")
    assert len(taken) == 0
    database = new_database()
    lnb.Project.create(database, CONFIG)
    assert main(["copy", str(tmp_path / "src"), database.replace("labelnb@", "labelnb:secret@")]) == 1
    err = capsys.readouterr().err
    assert "is not empty" in err
    assert "secret" not in err  # the password in a URL is never shown
    with pytest.raises(StoreError, match="holds no project"):
        copy_store(new_database(), tmp_path / "nowhere")
    assert not (tmp_path / "nowhere" / "project.db").exists()
    (tmp_path / "typo").mkdir()
    with pytest.raises(StoreError, match="typo holds no labelnb project"):
        copy_store(tmp_path / "typo", new_database())
    assert list((tmp_path / "typo").iterdir()) == []  # no empty store made in the source's place


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
def test_a_copy_that_fails_midway_writes_nothing(
    tmp_path: Path, kind: str, new_database: Callable[..., str], monkeypatch: pytest.MonkeyPatch
) -> None:
    source = lnb.Project.create(tmp_path / "src", CONFIG)
    source.import_tasks([{"text": str(n)} for n in range(50)])
    source.submit(1, pick("a"), user="ann@example.org")
    import labelnb.store.copy as copying

    real = copying._batches

    def failing(conn: Any, table: Any, size: int) -> Any:
        if table.name == "events":
            raise OSError("the disk went away")
        return real(conn, table, size)

    monkeypatch.setattr(copying, "_batches", failing)
    destination = str(tmp_path / "dst") if kind == "sqlite" else new_database(migrated=False)
    with pytest.raises(OSError, match="disk went away"):
        copy_store(tmp_path / "src", destination)
    if kind == "sqlite":
        assert list((tmp_path / "dst").iterdir()) == []
    else:  # not even the schema stayed
        assert current_revision(create_store_engine(destination)) is None
