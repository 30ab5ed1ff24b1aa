"""Simulated annotators: label a project with an oracle instead of people, to compare strategies.

``simulate`` runs the same queue, learner and store the widget uses, headless and in one thread (retraining
inline, so a run is reproducible), and returns the learning curve.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from labelnb.project import Project

#: who gives the right answer: a data field holding it, task id -> label, or a function of the task
Oracle = str | Mapping[int, Any] | Callable[[dict[str, Any]], Any]


def _answer_of(oracle: Oracle, task: dict[str, Any]) -> Any:
    if isinstance(oracle, str):
        if oracle not in task["data"]:
            raise KeyError(f"task {task['id']} has no data field {oracle!r} for the oracle to answer from")
        return task["data"][oracle]
    if isinstance(oracle, Mapping):
        if task["id"] not in oracle:
            raise KeyError(f"the oracle has no answer for task {task['id']}")
        return oracle[task["id"]]
    return oracle(task)


def _result(answer: Any, control: str, to_name: str) -> list[dict[str, Any]]:
    """An oracle's answer as result items: items as given, or a class label for the learned control."""
    if isinstance(answer, list):
        return answer
    return [
        {"from_name": control, "to_name": to_name, "type": "choices", "value": {"choices": [str(answer)]}}
    ]


def simulate(
    project: Project,
    oracle: Oracle,
    *,
    estimator: Any = None,
    features: Any = None,
    strategy: Any = "least_confidence",
    budget: int = 100,
    retrain_every: int = 10,
    holdout: Any = None,
    user: str = "simulated",
    seed: int = 0,
    **learn_options: Any,
) -> pd.DataFrame:
    """Label up to ``budget`` tasks of ``project`` with ``oracle``'s answers and return the learning curve.

    With ``estimator`` (and ``features``) a learner is put in the loop with ``strategy`` (see
    :meth:`labelnb.Project.learn`), retraining inline every ``retrain_every`` labels; otherwise the
    project's learner is used as it is. The curve has one row per
    model version: ``labels`` it was trained on and the held-out metric, plus ``strategy`` and ``seed``.
    """
    if estimator is not None:
        from labelnb.learn.loop import run_inline

        project.learn(
            estimator,
            start_job=run_inline,
            features=features,
            strategy=strategy,
            retrain_every=retrain_every,
            holdout=holdout,
            seed=seed,
            **learn_options,
        )
    learner = project.learner
    if learner is None:
        raise ValueError(
            "simulate needs a model in the loop: pass estimator= and features=, or call learn first"
        )
    spec = learner.spec
    for _ in range(budget):
        task = project.next_task(user)
        if task is None:
            break
        project.submit(task["id"], _result(_answer_of(oracle, task), spec.control, spec.to_name), user=user)
    curve: pd.DataFrame = learner.curve()
    curve["strategy"] = getattr(spec.strategy, "name", str(spec.strategy))
    curve["seed"] = seed
    return curve
