"""The store on its own: migrations, all-or-nothing imports, versions, drafts, exports, leases."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import select

from labelnb.queue import next_task_id, peek_task_ids, prune_expired_leases
from labelnb.store import Store, StoreError, read_transaction, store_url, write_transaction
from labelnb.store import schema as s
from labelnb.store.engine import current_revision, head_revision


@dataclass
class Item:
    data: dict[str, Any]
    meta: Any = None
    extra: dict[str, Any] = field(default_factory=dict)
    annotations: list[dict[str, Any]] = field(default_factory=list)
    predictions: list[dict[str, Any]] = field(default_factory=list)


CONFIG = (
    '<View><Text name="t" value="$text"/><Choices name="c" toName="t"><Choice value="a"/></Choices></View>'
)


@pytest.fixture
def store(store_location: str) -> Iterator[Store]:
    """A store on each back end (``[sqlite]``, ``[postgresql]``)."""
    st = Store.create(store_url(store_location), "demo", CONFIG)
    yield st
    st.close()


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Store]:
    """A SQLite store, for what only SQLite has (query plans, WAL)."""
    st = Store.create(store_url(tmp_path), "demo", CONFIG)
    yield st
    st.close()


def test_migrated_schema_matches_the_declared_tables(store: Store) -> None:
    assert current_revision(store.engine) == head_revision()
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), s.metadata)
    assert diff == []


def test_export_pages_walk_the_primary_key(sqlite_store: Store) -> None:
    with sqlite_store.engine.connect() as conn:
        plan = conn.exec_driver_sql(
            "EXPLAIN QUERY PLAN SELECT id FROM tasks WHERE +project_id = 1 AND id > 5 ORDER BY id LIMIT 10"
        ).all()
    details = " ".join(str(row[-1]) for row in plan)
    assert "PRIMARY KEY" in details or "INTEGER PRIMARY KEY" in details
    assert "TEMP B-TREE" not in details


def test_wal_mode_is_on(sqlite_store: Store) -> None:
    with sqlite_store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"


def test_create_twice_refuses_and_open_finds_the_project(store_location: str, store: Store) -> None:
    with pytest.raises(StoreError, match="already holds a project"):
        Store.create(store_url(store_location), "again", CONFIG)
    reopened = Store.open(store_url(store_location))
    assert reopened.info().title == "demo"
    assert reopened.info().label_config == CONFIG


def test_open_of_an_empty_store_says_so(store_location: str) -> None:
    with pytest.raises(StoreError, match="holds no project"):
        Store.open(store_url(store_location))


def test_import_keeps_unknown_fields_and_maps_users(store: Store) -> None:
    items = [
        Item(
            {"text": "one"},
            meta={"source": "x"},
            extra={"file_upload": "a.csv", "id": 99, "total_annotations": 7},
        ),
        Item(
            {"text": "two"},
            annotations=[
                {
                    "result": [{"id": "r", "type": "choices", "value": {"choices": ["a"]}, "readonly": True}],
                    "completed_by": {"email": "ann@example.org"},
                    "lead_time": 2.5,
                    "meta": {"k": 1},
                    "id": 41,
                },
                {"result": [], "completed_by": 12, "was_cancelled": True},
                {"result": [], "completed_by": None},
            ],
            predictions=[{"result": [], "score": "0.5", "model_version": "m1", "normalization": "z"}],
        ),
    ]
    report = store.import_tasks(items, user="importer")
    assert (report.tasks, report.annotations, report.predictions) == (2, 3, 1)
    tasks = list(store.iter_export_tasks(expand_users=True))
    assert tasks[0]["file_upload"] == "a.csv"
    assert tasks[0]["meta"] == {"source": "x"}
    assert tasks[0]["total_annotations"] == 0  # recomputed, not the imported 7
    first, skip, by_importer = tasks[1]["annotations"]
    assert first["completed_by"]["email"] == "ann@example.org"
    assert first["result"][0]["readonly"] is True
    assert first["meta"] == {"k": 1}
    assert first["import_id"] == 41
    assert skip["completed_by"] == {"id": 12, "email": "user12"}
    assert skip["was_cancelled"] is True
    assert by_importer["completed_by"]["email"] == "importer"
    assert tasks[1]["predictions"][0]["score"] == 0.5
    assert tasks[1]["predictions"][0]["normalization"] == "z"
    assert store.progress() == (1, 2)


def test_a_failing_import_leaves_the_store_unchanged(store: Store) -> None:
    store.import_tasks([Item({"text": "kept"})], user="u")

    def items() -> Iterator[Item]:
        for n in range(12_000):  # more than one insert batch goes in before the failure
            yield Item({"text": str(n)})
        raise ValueError("row 12001 is bad")

    with pytest.raises(ValueError, match="12001"):
        store.import_tasks(items(), user="u")
    assert store.progress() == (0, 1)
    assert [t["data"] for t in store.iter_export_tasks()] == [{"text": "kept"}]


def test_every_write_of_an_annotation_is_a_new_version(store: Store) -> None:
    store.import_tasks([Item({"text": "x"})], user="u")
    with write_transaction(store.engine) as conn:
        uid = Store.user_id(conn, "alice")
        first = store.write_annotation(1, uid, [{"v": 1}], lead_time=1.0, was_cancelled=False, conn=conn)
    with write_transaction(store.engine) as conn:
        second = store.write_annotation(1, uid, [{"v": 2}], lead_time=2.0, was_cancelled=False, conn=conn)
    assert first == second
    versions = store.history(first)
    assert [v["result"] for v in versions] == [[{"v": 1}], [{"v": 2}]]
    assert [v["action"] for v in versions] == ["submitted", "updated"]
    assert store.annotations(1)[0]["result"] == [{"v": 2}]
    assert store.progress() == (1, 1)


def test_drafts_are_kept_until_the_answer(store: Store) -> None:
    store.import_tasks([Item({"text": "x"})], user="u")
    uid = store.ensure_user("bob")
    store.save_draft(1, uid, [{"d": 1}], 3.0)
    store.save_draft(1, uid, [{"d": 2}], 4.0)
    assert store.draft_of(1, uid) == {"result": [{"d": 2}], "lead_time": 4.0}
    with write_transaction(store.engine) as conn:
        store.write_annotation(1, uid, [], lead_time=None, was_cancelled=False, conn=conn)
    assert store.draft_of(1, uid) is None


def test_export_pages_through_many_tasks_in_order(store: Store) -> None:
    store.import_tasks((Item({"n": n}) for n in range(4_500)), user="u")
    ids = [task["id"] for task in store.iter_export_tasks()]
    assert ids == list(range(1, 4_501))


def _lease(store: Store, user: str, now: float, ttl: float = 60.0) -> int | None:
    with write_transaction(store.engine) as conn:
        return next_task_id(conn, store.project_id, Store.user_id(conn, user), now, ttl)


def test_leases_keep_two_users_apart_until_they_expire(store: Store) -> None:
    store.import_tasks([Item({"n": n}) for n in range(3)], user="u")
    assert _lease(store, "alice", now=1000) == 1
    assert _lease(store, "alice", now=1001) == 1  # the same task again while it is held
    assert _lease(store, "bob", now=1002) == 2
    assert _lease(store, "carol", now=1003) == 3
    assert _lease(store, "dave", now=1004) is None
    assert _lease(store, "dave", now=1000 + 61 + 1) == 1  # alice's lease (renewed at 1001) ran out


def _leases(store: Store) -> list[tuple[int, str, float]]:
    """Every lease as (task, user, expires_at)."""
    with read_transaction(store.engine) as conn:
        rows = conn.execute(
            select(s.leases.c.task_id, s.users.c.email, s.leases.c.expires_at)
            .join(s.users, s.users.c.id == s.leases.c.user_id)
            .order_by(s.leases.c.task_id, s.users.c.email)
        )
        return [(int(t), str(u), float(e)) for t, u, e in rows]


def test_expired_leases_are_pruned(store: Store) -> None:
    store.import_tasks([Item({"n": n}) for n in range(4)], user="u")
    assert _lease(store, "alice", now=1000) == 1
    assert _lease(store, "bob", now=1000, ttl=10) == 2
    assert _lease(store, "carol", now=1000, ttl=500) == 3
    # alice's lease ran out; she answers nothing and takes a task again: her old lease goes, task 1 is free
    with write_transaction(store.engine) as conn:
        store.write_annotation(1, Store.user_id(conn, "dave"), [{"x": 1}], lead_time=None,
                               was_cancelled=False, conn=conn)  # fmt: skip
    # bob's lease expired too, so task 2 is open again; bob's row stays until a prune (he took nothing since)
    assert _lease(store, "alice", now=1100, ttl=500) == 2
    assert [(t, u) for t, u, _ in _leases(store)] == [(2, "alice"), (2, "bob"), (3, "carol")]
    # a prune deletes every expired lease of the project and keeps the live ones
    with write_transaction(store.engine) as conn:
        assert prune_expired_leases(conn, store.project_id, now=1200) == 1  # bob's
    assert [(t, u) for t, u, _ in _leases(store)] == [(2, "alice"), (3, "carol")]
    with write_transaction(store.engine) as conn:
        assert prune_expired_leases(conn, store.project_id, now=1200) == 0
        assert prune_expired_leases(conn, store.project_id, now=1e9) == 2
    assert _leases(store) == []


def test_answered_and_skipped_tasks_leave_the_users_queue(store: Store) -> None:
    store.import_tasks([Item({"n": n}) for n in range(3)], user="u")
    with write_transaction(store.engine) as conn:
        alice = Store.user_id(conn, "alice")
        store.write_annotation(1, alice, [], lead_time=None, was_cancelled=True, conn=conn)
        store.write_annotation(2, alice, [{"x": 1}], lead_time=None, was_cancelled=False, conn=conn)
    assert _lease(store, "alice", now=10) == 3
    assert _lease(store, "bob", now=10) == 1  # alice skipped task 1: it goes to others
    carol = store.ensure_user("carol")
    with read_transaction(store.engine) as conn:
        alice_again = conn.execute(select(s.users.c.id).where(s.users.c.email == "alice")).scalar_one()
        assert peek_task_ids(conn, store.project_id, alice_again, 10, 0, 5) == [3]  # her own lease
        assert peek_task_ids(conn, store.project_id, carol, 10, 0, 5) == []  # 1 and 3 held, 2 labelled


def test_import_of_more_annotated_tasks_than_one_batch(store: Store) -> None:
    from labelnb.store.importer import BATCH

    n = BATCH * 2 + 7
    items = (
        Item({"n": i}, annotations=[{"result": [{"v": i}], "completed_by": f"u{i % 3}@x.org"},
                                    {"result": [], "was_cancelled": True}],
             predictions=[{"result": [{"p": i}], "score": 0.5}])
        for i in range(n)
    )  # fmt: skip
    report = store.import_tasks(items, user="importer")
    assert (report.tasks, report.annotations, report.predictions) == (n, 2 * n, n)
    assert store.progress() == (n, n)
    last = list(store.iter_export_tasks())[-1]
    assert last["data"] == {"n": n - 1}
    assert [a["result"] for a in last["annotations"]] == [[{"v": n - 1}], []]
    assert (last["total_annotations"], last["cancelled_annotations"], last["total_predictions"]) == (1, 1, 1)
    assert len(store.history(last["annotations"][0]["id"])) == 1


def test_a_store_made_at_the_first_revision_upgrades_and_keeps_its_data(
    store_backend: str, tmp_path: Path, new_database: Callable[..., str]
) -> None:
    from alembic import command
    from sqlalchemy import text

    from labelnb.store.engine import alembic_config, create_store_engine

    if store_backend == "sqlite":
        url = store_url(tmp_path / "old")
        (tmp_path / "old").mkdir()
    else:
        url = new_database(migrated=False)
    engine = create_store_engine(url)
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0001")
        conn.execute(
            text(
                "INSERT INTO projects (title, label_config, created_at, updated_at) VALUES ('old', :c, 'x', 'x')"
            ),
            {"c": CONFIG},
        )
        conn.exec_driver_sql(
            "INSERT INTO tasks (project_id, data, created_at, updated_at) VALUES (1, '{\"text\": \"kept\"}', 'x', 'x')"
        )
        conn.exec_driver_sql("UPDATE projects SET task_count = 1")
    engine.dispose()
    assert current_revision(create_store_engine(url)) == "0001"
    reopened = Store.open(url)  # opening upgrades
    assert current_revision(reopened.engine) == head_revision()
    assert [t["data"] for t in reopened.iter_export_tasks()] == [{"text": "kept"}]
    with reopened.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), s.metadata)
    assert diff == []


def test_spliced_json_export_equals_the_dict_export(store: Store) -> None:
    import orjson

    items = [
        Item(
            {"text": 'quote " backslash \\ emoji 👋 \u2028', "n": 1.5},
            meta={"m": None},
            extra={"file_upload": "a\nb.json", "empty": {}, "nothing": None},
            annotations=[
                {"result": [{"id": "x", "value": {"choices": ["é"]}}], "completed_by": {"email": "a@b.c"},
                 "created_at": 'odd "time"', "lead_time": 0.1 + 0.2, "unique_id": None, "prediction": {}},
                {"result": [], "was_cancelled": True, "completed_by": 3},
            ],
            predictions=[{"result": [{"v": 1}], "score": None, "model_version": "m", "cluster": 4,
                          "neighbors": None},
                         {"result": [], "score": 0.25}],
        ),
        Item({"text": "plain"}),
    ]  # fmt: skip
    store.import_tasks(items, user="importer")
    store.import_tasks((Item({"n": n}, annotations=[{"result": [{"n": n}]}]) for n in range(4_100)), user="u")
    spliced = [orjson.loads(raw) for raw in store.iter_export_json()]
    assert spliced == list(store.iter_export_tasks())
    assert spliced[0]["annotations"][0]["lead_time"] == 0.1 + 0.2
    assert spliced[0]["predictions"][0]["neighbors"] is None
    assert [orjson.loads(raw)["id"] for raw in store.iter_export_json(only_annotated=True)][:2] == [1, 3]
    # the shape formats' lean documents: the same tasks, with only the fields they read
    answers = store.iter_answers_json()
    assert answers is not None
    kept = ("id", "result", "was_cancelled", "created_at")
    assert [orjson.loads(raw) for raw in answers] == [
        {"id": t["id"], "data": t["data"], "annotations": [{k: a[k] for k in kept} for a in t["annotations"]]}
        for t in spliced
    ]
    annotated = store.iter_answers_json(only_annotated=True)
    assert annotated is not None
    assert [orjson.loads(raw)["id"] for raw in annotated][:2] == [1, 3]


def test_spliced_json_keeps_numbers_apart_that_compare_equal(store: Store) -> None:
    import orjson

    store.import_tasks(
        [
            Item({"n": n}, annotations=[{"result": [], "lead_time": lead, "id": n + 1}])
            for n, lead in enumerate([1.0, 1, None, 2.5])
        ],
        user="u",
    )
    leads = [orjson.loads(raw)["annotations"][0]["lead_time"] for raw in store.iter_export_json()]
    assert leads == [1.0, 1.0, None, 2.5]
    assert [type(x) for x in leads[:2]] == [float, float]
    imports = [orjson.loads(raw)["annotations"][0]["import_id"] for raw in store.iter_export_json()]
    assert imports == [1, 2, 3, 4]
    assert all(type(x) is int for x in imports)


def test_frame_tasks_carry_the_live_annotations_only(store: Store) -> None:
    store.import_tasks(
        [
            Item(
                {"n": 1},
                annotations=[
                    {"result": [{"a": 1}], "completed_by": {"email": "x@y.z"}, "lead_time": 2.0},
                    {"result": [], "was_cancelled": True},
                ],
            ),
            Item({"n": 2}),
        ],
        user="u",
    )
    first, second = store.iter_frame_tasks()
    assert first["data"] == {"n": 1}
    assert len(first["annotations"]) == 1
    annotation = first["annotations"][0]
    assert annotation["completed_by"]["email"] == "x@y.z"
    assert annotation["result"] == [{"a": 1}]
    assert annotation["lead_time"] == 2.0
    assert second == {"id": 2, "data": {"n": 2}, "annotations": []}


def test_a_stored_queue_gives_its_tasks_in_its_order_and_no_others(store: Store) -> None:
    from sqlalchemy import insert

    store.import_tasks([Item({"n": n}) for n in range(5)], user="u")
    with write_transaction(store.engine) as conn:
        queue_id = int(
            conn.execute(
                insert(s.queues).values(
                    project_id=store.project_id, name="q", fingerprint="f", created_at="t", updated_at="t"
                )
            ).inserted_primary_key[0]
        )
        order = [4, 2, 5]  # task 1 and 3 are not in the queue
        conn.execute(
            insert(s.queue_items),
            [{"queue_id": queue_id, "task_id": t, "position": p} for p, t in enumerate(order)],
        )
        alice = Store.user_id(conn, "alice")
        assert next_task_id(conn, store.project_id, alice, 10, 60, queue_id) == 4
        assert next_task_id(conn, store.project_id, alice, 11, 60, queue_id) == 4  # held
        assert peek_task_ids(conn, store.project_id, alice, 11, 4, 5, queue_id) == [2, 5]
        bob = Store.user_id(conn, "bob")
        assert next_task_id(conn, store.project_id, bob, 12, 60, queue_id) == 2
        # a task held outside the queue does not come back inside it
        carol = Store.user_id(conn, "carol")
        assert next_task_id(conn, store.project_id, carol, 12, 60) == 1
        assert next_task_id(conn, store.project_id, carol, 13, 60, queue_id) == 5
        assert next_task_id(conn, store.project_id, Store.user_id(conn, "dave"), 13, 60, queue_id) is None


def test_rows_inserted_after_an_import_get_free_ids(store: Store) -> None:
    """The importer hands out ids itself (tasks, annotations, predictions, users named by id): on
    PostgreSQL the sequences must move past them, or the next ordinary insert collides."""
    from sqlalchemy import insert

    store.import_tasks(
        [
            Item({"n": n}, annotations=[{"result": [], "completed_by": 40}], predictions=[{"result": []}])
            for n in range(3)
        ],
        user="u",
    )
    store.add_predictions([{"task": 1, "result": [], "score": 0.1}])
    with write_transaction(store.engine) as conn:
        task_id = int(
            conn.execute(
                insert(s.tasks).values(project_id=store.project_id, data="{}", created_at="t", updated_at="t")
            ).inserted_primary_key[0]
        )
        prediction_id = int(
            conn.execute(
                insert(s.predictions).values(
                    task_id=1, project_id=store.project_id, result="[]", created_at="t", updated_at="t"
                )
            ).inserted_primary_key[0]
        )
        user_id = Store.user_id(conn, "new@example.org")
        annotation_id = store.write_annotation(1, user_id, [], lead_time=None, was_cancelled=False, conn=conn)
    assert task_id == 4
    assert prediction_id == 5
    assert user_id == 41  # after "u" (1) and the imported user 40
    assert annotation_id == 4
