"""Queue modes as Label Studio's label stream has them: overlap and its cohort, breadth first, ground truth
first, the three skip modes, postponed drafts, and each with a stored queue."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert, select

import labelnb as lnb
from labelnb.queue import (
    BREADTH_FIRST,
    GROUND_TRUTH,
    POSTPONED,
    SEQUENCE,
    SKIPPED,
    STORED_QUEUE,
    TASK_LOCK,
    QueueSettings,
    SkipQueue,
)
from labelnb.session import LabelingSession
from labelnb.store import read_transaction, write_transaction
from labelnb.store import schema as s

CONFIG = (
    '<View><Text name="t" value="$t"/>'
    '<Choices name="c" toName="t"><Choice value="a"/><Choice value="b"/></Choices></View>'
)
ANSWER = [{"from_name": "c", "to_name": "t", "type": "choices", "value": {"choices": ["a"]}}]


def make(location: str, tasks: int = 4, **queue: Any) -> lnb.Project:
    """A project at ``location`` (a folder or a database URL: ``store_location``) with ``tasks`` tasks."""
    project = lnb.Project.create(location, CONFIG, **queue)
    project.import_tasks([{"t": f"text {n}"} for n in range(tasks)])
    return project


def overlaps(project: lnb.Project) -> dict[int, int]:
    with read_transaction(project.store.engine) as conn:
        rows = conn.execute(select(s.tasks.c.id, s.tasks.c.overlap).order_by(s.tasks.c.id)).all()
    return {int(task_id): int(overlap) for task_id, overlap in rows}


def labeled_ids(project: lnb.Project) -> list[int]:
    with read_transaction(project.store.engine) as conn:
        found = conn.execute(
            select(s.tasks.c.id).where(s.tasks.c.is_labeled.is_(True)).order_by(s.tasks.c.id)
        )
        return [int(task_id) for task_id in found.scalars()]


def head(session: LabelingSession) -> tuple[int | None, str | None]:
    """The session's next task id and the queue it came from."""
    task = session.next()
    return (None if task is None else task["id"]), session.last_queue


def add_queue(project: lnb.Project, order: list[int]) -> int:
    """A stored queue (as labelnb.queue.ranking writes one) holding ``order``."""
    with write_transaction(project.store.engine) as conn:
        key = conn.execute(
            insert(s.queues).values(
                project_id=project.store.project_id, name="q", fingerprint="f", created_at="t", updated_at="t"
            )
        ).inserted_primary_key
        assert key is not None
        conn.execute(
            insert(s.queue_items),
            [{"queue_id": key[0], "task_id": task, "position": p} for p, task in enumerate(order)],
        )
    return int(key[0])


def session(project: lnb.Project, user: str, queue_id: int | None = None) -> LabelingSession:
    if queue_id is None:
        return project.session(user)
    return LabelingSession(
        project.store, project.config, user, media=project.media_policy(), lease_ttl=60, queue_id=queue_id
    )


# -- settings ---------------------------------------------------------------------------------------


def test_settings_are_checked_and_name_what_is_wrong() -> None:
    assert QueueSettings() == QueueSettings(1, 100, False, SkipQueue.REQUEUE_FOR_OTHERS)
    for bad, error, words in [
        ({"maximum_annotations": 0}, ValueError, "maximum_annotations"),
        ({"maximum_annotations": "3"}, TypeError, "maximum_annotations"),
        ({"maximum_annotations": True}, TypeError, "maximum_annotations"),
        ({"maximum_annotations": 2.0}, TypeError, "maximum_annotations"),
        ({"overlap_cohort_percentage": 101}, ValueError, "overlap_cohort_percentage"),
        ({"overlap_cohort_percentage": -1}, ValueError, "overlap_cohort_percentage"),
        ({"overlap_cohort_percentage": math.nan}, ValueError, "overlap_cohort_percentage"),
        ({"overlap_cohort_percentage": "50"}, TypeError, "overlap_cohort_percentage"),
        ({"show_ground_truth_first": 1}, TypeError, "show_ground_truth_first"),
        ({"skip_queue": "SOMETIMES"}, ValueError, "REQUEUE_FOR_ME"),
        ({"skip_queue": 2}, ValueError, "skip_queue"),
    ]:
        with pytest.raises(error, match=words):
            QueueSettings(**bad)
    assert QueueSettings(skip_queue="requeue_for_me").skip_queue is SkipQueue.REQUEUE_FOR_ME
    assert QueueSettings(skip_queue=SkipQueue.IGNORE_SKIPPED).skip_queue is SkipQueue.IGNORE_SKIPPED
    assert QueueSettings(overlap_cohort_percentage=50.0).overlap_cohort_percentage == 50
    assert QueueSettings(overlap_cohort_percentage=33.5).overlap_cohort_percentage == 33.5


def test_configure_queue_writes_settings_under_label_studios_names_and_refuses_bad_ones(
    store_location: str,
) -> None:
    project = make(store_location, tasks=3)
    done = project.configure_queue(maximum_annotations=2, skip_queue="ignore_skipped")
    assert done == QueueSettings(maximum_annotations=2, skip_queue=SkipQueue.IGNORE_SKIPPED)
    reopened = lnb.Project.open(store_location)
    assert reopened.queue_settings == done
    stored = reopened.store.settings()
    assert stored["maximum_annotations"] == 2
    assert stored["skip_queue"] == "IGNORE_SKIPPED"
    assert stored["lease_ttl"] == project.lease_ttl  # other settings are kept
    # a bad value or an unknown name changes nothing, neither settings nor overlaps
    with pytest.raises(ValueError, match="maximum_annotations"):
        project.configure_queue(maximum_annotations=0)
    with pytest.raises(TypeError, match="unknown queue setting overlap"):
        project.configure_queue(overlap=3)
    assert project.queue_settings == done
    assert overlaps(project) == {1: 2, 2: 2, 3: 2}


def test_create_takes_queue_settings_and_refuses_bad_ones_before_making_anything(
    tmp_path: Path, store_location: str
) -> None:
    with pytest.raises(ValueError, match="skip_queue"):
        lnb.Project.create(tmp_path / "bad", CONFIG, skip_queue="never")
    assert not (tmp_path / "bad").exists()
    project = make(store_location, tasks=2, maximum_annotations=3, show_ground_truth_first=True)
    assert project.queue_settings == QueueSettings(maximum_annotations=3, show_ground_truth_first=True)
    assert overlaps(project) == {1: 3, 2: 3}  # imported tasks follow the project's rule


# -- overlap ----------------------------------------------------------------------------------------


def test_overlap_three_gives_each_task_to_three_distinct_users_and_never_four(store_location: str) -> None:
    project = make(store_location, tasks=4, maximum_annotations=3)
    sessions = [project.session(f"user{i}") for i in range(5)]
    # three leases fill task 1's places; the fourth user starts task 2
    assert [head(sessions[i])[0] for i in range(4)] == [1, 1, 1, 2]
    for current in sessions[:4]:
        assert current.task is not None
        current.submit(current.task["id"], ANSWER, None)
    # everyone answers until nothing is left for anyone
    while any(current.next() is not None for current in sessions):
        for current in sessions:
            if current.task is not None:
                current.submit(current.task["id"], ANSWER, None)
    for task in range(1, 5):
        people = [a["completed_by"] for a in project.annotations(task)]
        assert len(people) == 3
        assert len(set(people)) == 3
    assert project.store.progress() == (4, 4)


def test_raising_and_lowering_the_overlap_recounts_labelled_tasks(store_location: str) -> None:
    project = make(store_location, tasks=5)
    for task in (1, 2, 3):
        project.submit(task, ANSWER, user="ann")
    assert project.store.progress() == (3, 5)
    project.configure_queue(maximum_annotations=2)
    assert project.store.progress() == (0, 5)
    assert labeled_ids(project) == []
    project.submit(1, ANSWER, user="bob")
    assert project.store.progress() == (1, 5)
    project.configure_queue(maximum_annotations=1)
    assert project.store.progress() == (3, 5)
    assert labeled_ids(project) == [1, 2, 3]


def test_a_cohort_of_half_of_ten_tasks_asks_five_of_them_for_three_answers(store_location: str) -> None:
    project = make(store_location, tasks=10)
    project.configure_queue(maximum_annotations=3, overlap_cohort_percentage=50)
    assert overlaps(project) == {t: 3 if t <= 5 else 1 for t in range(1, 11)}
    # a quarter of ten is 2.5 tasks: halves round up
    project.configure_queue(overlap_cohort_percentage=25)
    assert sorted(t for t, n in overlaps(project).items() if n == 3) == [1, 2, 3]
    project.configure_queue(overlap_cohort_percentage=0)
    assert set(overlaps(project).values()) == {1}


def test_the_cohort_takes_fully_answered_then_most_answered_tasks_first(store_location: str) -> None:
    project = lnb.Project.create(store_location, CONFIG)
    # task 1 comes with an imported annotation, which Label Studio marks ground truth: it does not count
    project.import_tasks([{"data": {"t": "0"}, "annotations": [{"result": ANSWER}]}])
    project.import_tasks([{"t": f"text {n}"} for n in range(1, 10)])
    for user in ("a", "b", "c"):
        project.submit(8, ANSWER, user=user)
    project.submit(9, ANSWER, user="a")
    project.submit(6, ANSWER, user="a")
    project.skip(7, user="a")  # a skip is not an answer here
    assert project.store.progress() == (4, 10)
    project.configure_queue(maximum_annotations=3, overlap_cohort_percentage=40)
    assert sorted(t for t, n in overlaps(project).items() if n == 3) == [1, 6, 8, 9]
    # 8 has its three answers, 6 and 9 one each, then the rest by id (task 1); labelled: 8 alone of them
    assert labeled_ids(project) == [8]
    assert project.store.progress() == (1, 10)


def test_imported_tasks_join_the_cohort_while_its_share_is_below_the_percentage(store_location: str) -> None:
    project = make(store_location, tasks=10, maximum_annotations=3, overlap_cohort_percentage=50)
    assert sorted(t for t, n in overlaps(project).items() if n == 3) == [1, 2, 3, 4, 5]
    project.import_tasks([{"t": f"more {n}"} for n in range(4)])  # 14 tasks: 7 should ask for 3
    assert sorted(t for t, n in overlaps(project).items() if n == 3) == [1, 2, 3, 4, 5, 11, 12]
    # an imported annotation on a task of the cohort leaves it unlabelled, elsewhere it labels it
    project.import_tasks([{"data": {"t": "x"}, "annotations": [{"result": ANSWER}]} for _ in range(2)])
    assert overlaps(project)[15] == 3
    assert overlaps(project)[16] == 1
    assert labeled_ids(project) == [16]
    assert project.store.progress() == (1, 16)


# -- breadth first and ground truth first --------------------------------------------------------------


def test_breadth_first_finishes_the_most_answered_tasks_first(
    store_location: str, another_store_location: Callable[[str], str]
) -> None:
    project = make(store_location, tasks=5, maximum_annotations=3)
    project.submit(3, ANSWER, user="a")
    project.submit(4, ANSWER, user="a")
    project.submit(4, ANSWER, user="b")
    dora = project.session("dora")
    assert head(dora) == (4, BREADTH_FIRST)  # two answers
    assert head(dora) == (4, TASK_LOCK)
    dora.submit(4, ANSWER, None)
    assert head(dora) == (3, BREADTH_FIRST)  # one answer
    dora.submit(3, ANSWER, None)
    assert head(dora) == (1, SEQUENCE)
    # without an overlap there is no breadth-first stage: tasks come by id
    plain = make(another_store_location("plain"), tasks=5)
    plain.submit(4, ANSWER, user="a")
    assert head(plain.session("dora")) == (1, SEQUENCE)


def test_ground_truth_tasks_come_first_when_asked(store_location: str) -> None:
    project = lnb.Project.create(store_location, CONFIG, maximum_annotations=2)
    project.import_tasks([{"t": f"text {n}"} for n in range(3)])
    project.import_tasks(
        [{"data": {"t": "truth"}, "annotations": [{"result": ANSWER, "ground_truth": True}]}]
    )
    project.submit(2, ANSWER, user="a")
    # breadth first: tasks 2 and 4 have one answer each, the lowest id wins
    assert head(project.session("u1")) == (2, BREADTH_FIRST)
    project.configure_queue(show_ground_truth_first=True)
    assert head(project.session("u2")) == (4, GROUND_TRUTH)
    # a ground-truth task that is labelled no longer comes first (task 2's places are u1's lease and a)
    project.submit(4, ANSWER, user="u2")
    assert head(project.session("u3")) == (1, SEQUENCE)


# -- skips ------------------------------------------------------------------------------------------


def test_requeue_for_others_takes_a_skipped_task_out_of_the_skippers_queue_only(store_location: str) -> None:
    project = make(store_location, tasks=2)
    ann, bob = project.session("ann"), project.session("bob")
    assert head(ann) == (1, SEQUENCE)
    ann.skip(1)
    assert head(ann) == (2, SEQUENCE)
    ann.submit(2, ANSWER, None)
    assert head(ann) == (None, None)  # the skipped task never comes back to her
    assert head(bob) == (1, SEQUENCE)
    assert project.store.progress() == (1, 2)


def test_requeue_for_me_gives_skipped_tasks_back_to_the_skipper_oldest_first(store_location: str) -> None:
    project = make(store_location, tasks=3, skip_queue="REQUEUE_FOR_ME")
    ann, bob = project.session("ann"), project.session("bob")
    assert head(ann) == (1, SEQUENCE)
    ann.skip(1)
    assert head(ann) == (2, SEQUENCE)
    ann.skip(2)
    # the skipped tasks stay hers: bob gets task 3 only
    assert head(bob) == (3, SEQUENCE)
    bob.submit(3, ANSWER, None)
    assert head(bob) == (None, None)
    assert head(ann) == (1, SKIPPED)
    assert head(ann) == (1, TASK_LOCK)
    ann.skip(1)  # skipped again: now task 2 holds the oldest skip
    assert head(ann) == (2, SKIPPED)
    ann.submit(2, ANSWER, None)
    assert head(ann) == (1, SKIPPED)
    ann.submit(1, ANSWER, None)
    assert head(ann) == (None, None)
    assert project.store.progress() == (3, 3)


def test_ignore_skipped_labels_a_task_by_its_skips(store_location: str) -> None:
    project = make(store_location, tasks=3, skip_queue=SkipQueue.IGNORE_SKIPPED)
    project.skip(1, user="ann")
    assert project.store.progress() == (1, 3)
    assert labeled_ids(project) == [1]
    assert head(project.session("bob")) == (2, SEQUENCE)
    # with two answers asked for, a skip and an answer finish a task
    project.configure_queue(maximum_annotations=2)
    assert project.store.progress() == (0, 3)
    cleo = project.session("cleo")
    assert head(cleo) == (1, SEQUENCE)  # one place of two is the skip's
    cleo.submit(1, ANSWER, None)
    assert labeled_ids(project) == [1]
    # changing the mode recounts: under requeue-for-others a skip is no answer
    project.configure_queue(skip_queue="REQUEUE_FOR_OTHERS")
    assert labeled_ids(project) == []
    assert project.store.progress() == (0, 3)
    project.configure_queue(skip_queue="IGNORE_SKIPPED")
    assert labeled_ids(project) == [1]
    assert project.store.progress() == (1, 3)


# -- postponed drafts -------------------------------------------------------------------------------


def test_a_postponed_task_comes_back_after_the_main_queue_with_its_draft(store_location: str) -> None:
    project = make(store_location, tasks=4, skip_queue="REQUEUE_FOR_ME")
    ann = project.session("ann")
    assert head(ann) == (1, SEQUENCE)
    ann.postpone(1, ANSWER, 2.0)
    assert head(ann) == (2, SEQUENCE)
    ann.skip(2)
    assert head(ann) == (3, SEQUENCE)
    ann.postpone(3, [], None)
    assert head(ann) == (4, SEQUENCE)
    ann.submit(4, ANSWER, None)
    # postponed drafts, oldest first, then skipped tasks
    assert head(ann) == (1, POSTPONED)
    assert ann.start_from() == (ANSWER, None, False)
    ann.submit(1, ANSWER, None)
    assert head(ann) == (3, POSTPONED)
    ann.submit(3, ANSWER, None)
    assert head(ann) == (2, SKIPPED)


def test_a_postponed_task_is_free_for_others(store_location: str) -> None:
    project = make(store_location, tasks=2)
    assert project.next_task("ann") == project.store.get_task(1)
    project.postpone(1, user="ann")  # gives up the lease
    assert project.next_task("bob") == project.store.get_task(1)
    project.submit(1, ANSWER, user="bob")
    ann = project.session("ann")
    assert head(ann) == (2, SEQUENCE)
    ann.submit(2, ANSWER, None)
    assert head(ann) == (None, None)  # labelled by bob meanwhile: it does not come back


def test_a_postponed_draft_is_checked_like_a_draft(store_location: str) -> None:
    project = make(store_location, tasks=1)
    with pytest.raises(lnb.ResultError, match="task 1"):
        project.postpone(
            1, [{"from_name": "c", "to_name": "t", "type": "choices", "value": {"choices": ["z"]}}]
        )
    with read_transaction(project.store.engine) as conn:
        assert conn.execute(select(s.drafts.c.id)).first() is None


# -- with a stored queue ---------------------------------------------------------------------------


def test_every_stage_keeps_to_a_stored_queue(store_location: str) -> None:
    project = lnb.Project.create(store_location, CONFIG, maximum_annotations=2, skip_queue="REQUEUE_FOR_ME")
    project.import_tasks([{"t": f"text {n}"} for n in range(6)])
    project.import_tasks(
        [{"data": {"t": "truth"}, "annotations": [{"result": ANSWER, "ground_truth": True}]}]
    )
    queue = add_queue(project, [5, 3, 6, 2])  # tasks 1, 4 and 7 (the ground truth) are outside it
    project.submit(4, ANSWER, user="x")  # in progress, outside the queue
    project.submit(6, ANSWER, user="x")
    project.configure_queue(show_ground_truth_first=True)
    ann = session(project, "ann", queue)
    # no ground truth in the queue; breadth first finds 6 in it, not 4 or 7 outside; then the queue's order
    assert head(ann) == (6, BREADTH_FIRST)
    ann.submit(6, ANSWER, None)
    assert head(ann) == (5, STORED_QUEUE)
    ann.postpone(5, [], None)
    assert head(ann) == (3, STORED_QUEUE)
    ann.skip(3)
    assert head(ann) == (2, STORED_QUEUE)
    ann.submit(2, ANSWER, None)
    assert head(ann) == (5, POSTPONED)
    ann.submit(5, ANSWER, None)
    assert head(ann) == (3, SKIPPED)
    ann.submit(3, ANSWER, None)
    assert head(ann) == (None, None)
    # outside the queue the same user goes on with ground truth first
    assert head(project.session("ann")) == (7, GROUND_TRUTH)
