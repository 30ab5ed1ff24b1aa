"""Stored rankings on a real store: next_task follows them, re-ranking reaches open sessions, selections
restrict them, bad input writes nothing, and an unchanged ranking is reused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import func, select

import labelnb as lnb
from labelnb.queue import ranking
from labelnb.queue.selection import SelectionError, select_task_ids
from labelnb.queue.strategies import Custom, RankContext
from labelnb.store import model_runs, read_transaction
from labelnb.store import schema as s

CONFIG = (
    '<View><Text name="t" value="$t"/>'
    '<Choices name="c" toName="t"><Choice value="a"/><Choice value="b"/></Choices></View>'
)
# confidence of model v1 per task, in import order (tasks get ids 1..8); task 8 has no prediction
V1_SCORES = [0.9, 0.3, 0.7, 0.1, 0.5, 0.8, 0.2, None]
BY_V1 = [4, 7, 2, 5, 3, 6, 1, 8]  # least confident first, the task without a prediction last


def pick(value: str = "a") -> list[dict[str, Any]]:
    return [{"from_name": "c", "to_name": "t", "type": "choices", "value": {"choices": [value]}}]


@pytest.fixture
def project(tmp_path: Path) -> lnb.Project:
    p = lnb.Project.create(tmp_path / "p", CONFIG)
    tasks: list[dict[str, Any]] = []
    for n, score in enumerate(V1_SCORES):
        task: dict[str, Any] = {"data": {"t": f"text {n}", "n": n}}
        if score is not None:
            task["predictions"] = [{"result": pick(), "score": score, "model_version": "v1"}]
        tasks.append(task)
    p.import_tasks(tasks)
    return p


def new_version(project: lnb.Project, version: str, scores: dict[int, float]) -> None:
    """Store a model version's predictions and make it current, as a learner does."""
    ids = sorted(scores)
    model_runs.write_predictions(
        project.store.engine,
        project.store.project_id,
        version,
        ids,
        [pick()] * len(ids),
        [scores[t] for t in ids],
    )
    model_runs.record_version(project.store, version, source="test", labels=0, metrics={})


def drain(project: lnb.Project, user: str, **how: Any) -> list[int]:
    """Every task next_task gives ``user`` until none is left, answering each."""
    seen: list[int] = []
    while (task := project.next_task(user, **how)) is not None:
        seen.append(task["id"])
        project.submit(task["id"], pick(), user=user)
        assert len(seen) <= 20, "next_task keeps giving tasks"
    return seen


def queue_rows(project: lnb.Project) -> tuple[int, int]:
    with read_transaction(project.store.engine) as conn:
        queues = conn.execute(select(func.count()).select_from(s.queues)).scalar_one()
        items = conn.execute(select(func.count()).select_from(s.queue_items)).scalar_one()
    return int(queues), int(items)


def test_next_task_follows_the_uncertainty_ranking(project: lnb.Project) -> None:
    assert drain(project, "alice", strategy="uncertainty") == BY_V1
    assert drain(project, "bob", strategy="uncertainty") == []  # all labelled (overlap 1)


def test_the_ranking_is_stored_in_its_order(project: lnb.Project) -> None:
    queue_id = project.rank("uncertainty")
    assert ranking.queue_task_ids(project.store, queue_id).tolist() == BY_V1
    with read_transaction(project.store.engine) as conn:
        scores = conn.execute(
            select(s.queue_items.c.score).where(s.queue_items.c.queue_id == queue_id).order_by("position")
        ).scalars()
        stored = list(scores)
    assert stored[:-1] == pytest.approx([0.9, 0.8, 0.7, 0.5, 0.3, 0.2, 0.1])  # 1 - score
    assert stored[-1] is None  # no prediction: NULL, after every scored task


def test_margin_entropy_and_random_through_the_project(project: lnb.Project) -> None:
    # from (s, 1 - s): margin puts 0.5 first; 0.3 and 0.7 tie (by id), then 0.2 and 0.8, 0.1 and 0.9
    margin = ranking.queue_task_ids(project.store, project.rank("margin")).tolist()
    assert margin == [5, 2, 3, 6, 7, 1, 4, 8]
    assert ranking.queue_task_ids(project.store, project.rank("entropy")).tolist() == margin
    once = ranking.queue_task_ids(project.store, project.rank("random", seed=5)).tolist()
    assert sorted(once) == list(range(1, 9))
    again = ranking.queue_task_ids(project.store, project.rank("random", seed=5)).tolist()
    other = ranking.queue_task_ids(project.store, project.rank("random", seed=6)).tolist()
    assert again == once
    assert other != once


def test_rerank_with_a_new_model_version_reaches_an_open_session(project: lnb.Project) -> None:
    session = project.session("alice", strategy="uncertainty")
    queue_id = session.queue_id
    first = session.next()
    assert first is not None
    assert first["id"] == 4
    # v2 is least sure about task 6, then 1, and sure about the rest
    new_version(project, "v2", {1: 0.3, 2: 0.9, 3: 0.9, 4: 0.9, 5: 0.9, 6: 0.2, 7: 0.9, 8: 0.9})
    assert project.rank("uncertainty") == queue_id  # the same queue, items replaced
    session.submit(first["id"], pick(), lead_time=None)
    following = session.advance()
    assert following is not None
    assert following["id"] == 6
    # next_task(strategy=...) brings the stored ranking up to date by itself
    new_version(project, "v3", {t: 0.9 for t in range(1, 9)} | {3: 0.1})
    task = project.next_task("bob", strategy="uncertainty")
    assert task is not None
    assert task["id"] == 3


def test_tasks_outside_a_selection_never_come(project: lnb.Project) -> None:
    chosen = [2, 5, 7, 8]
    session = project.session("alice", tasks=chosen)
    seen = []
    while (task := session.next()) is not None:
        seen.append(task["id"])
        session.submit(task["id"], pick(), lead_time=None)
    assert seen == chosen  # no strategy: by id
    assert drain(project, "bob", strategy="uncertainty", tasks=[1, 2, 3, 4]) == [4, 3, 1]  # 2 is labelled


def test_every_kind_of_selection(project: lnb.Project) -> None:
    frame = project.tasks_frame()
    expected = [3, 4, 5]
    kinds: list[Any] = [
        [3, 4, 5],
        (5, 4, 3),
        {3, 4, 5},
        range(3, 6),
        np.array([3, 4, 5]),
        frame[frame["data.n"].between(2, 4)],  # a slice of tasks_frame
        frame[frame["data.n"].between(2, 4)]["id"],  # its id column
        frame.set_index("id").loc[[3, 4, 5]],  # an index named id
        frame["data.n"].between(2, 4),  # a boolean mask
        "`data.n` >= 2 and `data.n` <= 4",  # a query
        lambda f: f[f["data.n"].isin([2, 3, 4])],  # a function of the frame
        lambda f: f["data.n"].between(2, 4),  # ... giving a mask
    ]
    for kind in kinds:
        queue_id = project.rank("uncertainty", tasks=kind)
        assert sorted(ranking.queue_task_ids(project.store, queue_id).tolist()) == expected, kind
    assert ranking.queue_task_ids(project.store, project.rank("uncertainty", tasks=[5, 3, 4])).tolist() == [
        4,
        5,
        3,
    ]


def test_selections_on_a_hand_made_frame() -> None:
    frame = pd.DataFrame({"id": [10, 20, 30, 40], "size": [1, 5, 2, 8]}, index=[0, 1, 2, 3])
    made = 0

    def factory() -> pd.DataFrame:
        nonlocal made
        made += 1
        return frame

    assert select_task_ids([40, 10], factory).tolist() == [40, 10]
    assert made == 0  # ids need no frame
    assert select_task_ids("size > 1", factory).tolist() == [20, 30, 40]
    assert select_task_ids(frame["size"] > 4, factory).tolist() == [20, 40]
    assert select_task_ids(pd.Series([True, True], index=[2, 3]), factory).tolist() == [30, 40]
    assert select_task_ids(np.array([True, False, False, True]), factory).tolist() == [10, 40]
    assert select_task_ids(lambda f: f.nlargest(2, "size"), factory).tolist() == [40, 20]
    assert select_task_ids(pd.Series([7, 8], name="id")).tolist() == [7, 8]
    assert select_task_ids(np.array([3.0, 4.0])).tolist() == [3, 4]


@pytest.mark.parametrize(
    ("tasks", "message"),
    [
        ([], "selects no task"),
        ("n > 100", "selects no task"),
        ([1, 2.5], r"whole numbers; got 2\.5"),
        ([1, True], "whole numbers; got True"),
        ([1, None], "whole numbers; got None"),
        (np.array([1.0, np.nan]), "whole numbers; got nan"),
        (pd.DataFrame({"task": [1]}), "'id' column or an index named 'id'"),
        (pd.Series(["a"], name="label"), "none of these"),
        (pd.Series([True], index=[99]), "not rows of the task frame: 99"),
        (np.array([True]), "one entry per row of the task frame"),
        ("no_such_column > 1", "the query failed on the task frame"),
        (lambda f: "n > 1", "not give another query"),
        (3.5, "not float"),
    ],
)
def test_bad_selections_say_what_is_wrong(tasks: Any, message: str) -> None:
    frame = pd.DataFrame({"id": [1, 2], "n": [0, 1]})
    with pytest.raises(SelectionError, match=message):
        select_task_ids(tasks, lambda: frame)


def test_a_query_needs_the_task_frame() -> None:
    with pytest.raises(SelectionError, match="not available here; pass task ids"):
        select_task_ids("n > 1")


def test_unknown_ids_are_named_and_nothing_is_written(project: lnb.Project) -> None:
    with pytest.raises(SelectionError, match=r"2 task id\(s\) that are not in this project: 0, 99"):
        project.next_task("alice", strategy="uncertainty", tasks=[1, 99, 0, 99])
    with pytest.raises(SelectionError, match="not in this project: 12"):
        project.session("alice", tasks=[12])
    assert queue_rows(project) == (0, 0)


@pytest.mark.parametrize(
    ("arrays", "message"),
    [
        ({"probabilities": np.full((3, 2), 0.5)}, "has 3 rows, but the ranking is of 8 tasks"),
        ({"probabilities": [[0.5, np.nan]] * 8}, r"row 0 is partly NaN"),
        ({"probabilities": [[0.5, 0.5]] * 7 + [[np.inf, 0]]}, "row 7 holds an infinity"),
        ({"probabilities": [[0.5, 0.5]] * 7 + [[1.5, 0]]}, r"row 7 holds a number outside \[0, 1\]"),
        ({"probabilities": [["x", 1]] * 8}, "must be an array of numbers"),
        ({"embeddings": np.ones((8, 2, 2))}, "must be a 2-D array"),
        ({"embeddings": [[0.0, np.nan]] * 8}, "embeddings: row 0 holds NaN or an infinity"),
        ({"embeddings": np.ones((8, 2)), "labeled_embeddings": np.ones((2, 3))}, "of the same space"),
        ({"seed": 1.5}, "seed must be a whole number"),
    ],
)
def test_bad_arrays_are_refused_before_anything_is_written(
    project: lnb.Project, arrays: dict[str, Any], message: str
) -> None:
    with pytest.raises((ValueError, TypeError), match=message):
        project.rank("diversity" if "embeddings" in arrays else "margin", **arrays)
    assert queue_rows(project) == (0, 0)


@pytest.mark.parametrize(
    ("scores", "message"),
    [
        (lambda c: np.ones(len(c.task_ids) - 1), "gave 7 scores for 8 tasks"),
        (lambda c: 1.0, "gave a single number for 8 tasks"),
        (lambda c: np.where(c.task_ids == 5, np.inf, 0.0), "infinite score for task 5"),
        (lambda c: ["high"] * len(c.task_ids), "must give numbers"),
    ],
)
def test_bad_scores_are_refused_before_anything_is_written(
    project: lnb.Project, scores: Any, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        project.rank(Custom(scores, name="bad"))
    assert queue_rows(project) == (0, 0)


def test_a_stored_ranking_is_reused_while_nothing_changed(project: lnb.Project) -> None:
    calls: list[int] = []

    def by_id(context: RankContext) -> Any:
        calls.append(len(context.task_ids))
        return -context.task_ids.astype(float)

    strategy = Custom(by_id, name="by id")
    queue_id = project.rank(strategy)
    assert project.rank(strategy) == queue_id
    assert project.next_task("alice", strategy=strategy)["id"] == 1  # type: ignore[index]
    assert calls == [8]  # computed once
    project.submit(1, pick(), user="alice")
    assert project.rank(strategy) == queue_id
    assert calls == [8]  # labelling changes nothing: next_task passes over labelled tasks
    project.import_tasks([{"t": "new"}])
    assert project.rank(strategy) == queue_id
    assert calls == [8, 8]  # new tasks: ranked again (seven left of the old, one new)
    assert ranking.queue_task_ids(project.store, queue_id).tolist() == [2, 3, 4, 5, 6, 7, 8, 9]
    new_version(project, "v2", {2: 0.5})
    assert project.rank(strategy) == queue_id
    assert calls == [8, 8, 8]  # by default a custom ranking follows the stored predictions


def test_one_queue_per_strategy_and_selection(project: lnb.Project) -> None:
    a = project.rank("margin")
    assert project.rank("entropy") != a
    assert project.rank("margin", tasks=[1, 2]) not in (a, project.rank("margin"))
    assert project.rank("margin", tasks=[2, 1]) == project.rank("margin", tasks=[1, 2])
    assert project.next_task("alice") is not None  # without a strategy: no stored queue is made
    assert queue_rows(project)[0] == 3


def test_a_ranking_from_a_model_s_probabilities_is_kept_for_sessions(project: lnb.Project) -> None:
    # one row per task of the project by id; the model is unsure about task 7 only
    probabilities = np.tile([0.95, 0.05], (8, 1))
    probabilities[6] = [0.5, 0.5]
    queue_id = project.rank("margin", probabilities=probabilities)
    assert ranking.queue_task_ids(project.store, queue_id)[0] == 7
    session = project.session("alice", strategy="margin")
    assert session.queue_id == queue_id
    first = session.next()
    assert first is not None
    assert first["id"] == 7
    # rows follow tasks= in its order; a task labelled meanwhile is left out
    project.submit(1, pick(), user="bob")
    queue_id = project.rank("margin", tasks=[3, 1, 2], probabilities=[[0.9, 0.1], [0.5, 0.5], [0.6, 0.4]])
    assert ranking.queue_task_ids(project.store, queue_id).tolist() == [2, 3]
    with pytest.raises(SelectionError, match=r"task\(s\) \[3\] more than once"):
        project.rank("margin", tasks=[3, 3], probabilities=[[0.9, 0.1], [0.5, 0.5]])


def test_diversity_through_the_project(project: lnb.Project) -> None:
    embeddings = np.array([[float(n), 0.0] for n in range(8)])  # task t at x = t - 1
    queue_id = project.rank("diversity", embeddings=embeddings, labeled_embeddings=[[0.0, 0.0]])
    order = ranking.queue_task_ids(project.store, queue_id).tolist()
    # farthest from 0 (x 7); then x 3 and x 4, 3 from their nearest (by id: x 3); then x 5, 2 from x 3 and 7
    assert order[:3] == [8, 4, 6]


def test_a_custom_strategy_reads_the_tasks_data(project: lnb.Project) -> None:
    strategy = Custom(lambda c: [d["n"] % 3 for d in c.frame()["data"]], name="mod3")
    order = ranking.queue_task_ids(project.store, project.rank(strategy, tasks=[1, 2, 3, 4, 5])).tolist()
    assert order == [3, 2, 5, 1, 4]  # n = 2 first, then n = 1 and 4, then 0 and 3


def test_without_predictions_uncertainty_shuffles_by_seed(tmp_path: Path) -> None:
    p = lnb.Project.create(tmp_path / "q", CONFIG)
    p.import_tasks([{"t": str(n)} for n in range(30)])
    order = ranking.queue_task_ids(p.store, p.rank("uncertainty")).tolist()
    assert sorted(order) == list(range(1, 31))
    assert order != sorted(order)
    assert order == ranking.queue_task_ids(p.store, p.rank("random")).tolist()


def test_labelled_tasks_at_the_head_are_dropped_when_the_next_is_leased(project: lnb.Project) -> None:
    queue_id = project.rank("uncertainty")
    project.submit(4, pick(), user="bob")  # the queue's first two, labelled outside it
    project.submit(7, pick(), user="bob")
    project.submit(3, pick(), user="bob")  # further down: stays until the head reaches it
    assert ranking.queue_task_ids(project.store, queue_id).tolist() == BY_V1
    task = project.next_task("alice", strategy="uncertainty")
    assert task is not None
    assert task["id"] == 2
    assert ranking.queue_task_ids(project.store, queue_id).tolist() == [2, 5, 3, 6, 1, 8]
    for task_id in (2, 5, 6, 1, 8):
        project.submit(task_id, pick(), user="bob")
    assert project.next_task("alice", strategy="uncertainty") is None
    assert ranking.queue_task_ids(project.store, queue_id).tolist() == []  # all labelled: nothing to walk


def test_a_model_in_the_loop_reorders_the_queue_sessions_label_from(project: lnb.Project) -> None:
    session = project.session("alice", strategy="margin")
    rank_by_model = ranking.model_ranker("margin")
    # as labelnb.learn.loop.retrain calls it: the unlabelled tasks and the model's probabilities for them
    queue_id = rank_by_model(
        project.store, np.array([3, 5, 7]), np.array([[0.9, 0.1], [0.8, 0.2], [0.45, 0.55]])
    )
    assert queue_id == session.queue_id
    assert ranking.queue_task_ids(project.store, queue_id).tolist() == [7, 5, 3]
    task = session.next()
    assert task is not None
    assert task["id"] == 7
    # with a selection, only its tasks are ranked
    chosen = ranking.model_ranker("margin", tasks=[5, 3])
    queue_id = chosen(project.store, np.array([3, 5, 7]), np.array([[0.9, 0.1], [0.8, 0.2], [0.45, 0.55]]))
    assert queue_id == project.session("bob", strategy="margin", tasks=[3, 5]).queue_id
    assert ranking.queue_task_ids(project.store, queue_id).tolist() == [5, 3]


def test_an_open_session_follows_a_new_model_version_by_itself(project: lnb.Project) -> None:
    frames = 0
    original = project._all_tasks_frame

    def counted() -> pd.DataFrame:
        nonlocal frames
        frames += 1
        return original()

    project._all_tasks_frame = counted  # type: ignore[method-assign]
    session = project.session("alice", strategy="uncertainty", tasks="`data.n` < 7")  # tasks 1..7
    first = session.next()
    assert first is not None
    assert first["id"] == 4
    new_version(project, "v2", {t: 0.9 for t in range(1, 9)} | {6: 0.3, 8: 0.1})  # 8 is outside
    session.submit(first["id"], pick(), lead_time=None)
    following = session.advance()
    assert following is not None
    assert following["id"] == 6
    assert frames == 1  # the query ran once, for the session, not again per answer
