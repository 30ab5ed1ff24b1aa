"""Matching two annotators' regions or spans one to one, and the precision, recall and F1 that follow.

For each pair of annotators (``rater_a`` < ``rater_b``) and each task both answered, every region of one
may match at most one region of the other, with the same label (and the same ``item_index`` for
multi-image tasks). Matching is greedy: candidate pairs are taken best score first (IoU for regions,
overlap for spans), ties in input order, and a pair is kept when neither region is matched yet and its
score passes the rule. Greedy matching is what COCO's evaluation does; it can differ from the optimal
(Hungarian) assignment only when one region overlaps several others well enough.

With ``matched`` pairs out of ``n_a`` regions of ``rater_a`` and ``n_b`` of ``rater_b`` on the shared
tasks: recall = matched / n_a (how much of A's work B found), precision = matched / n_b, and
F1 = 2 matched / (n_a + n_b), the same whichever of the two is taken as the reference. NaN where the
denominator is 0.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt
import pandas as pd

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


def candidates(group: IntArray, rater: IntArray) -> tuple[IntArray, IntArray]:
    """Index pairs ``(i, j)`` of entries in the same group whose raters differ, ``rater[i] < rater[j]``."""
    entries = pd.DataFrame({"group": group, "rater": rater, "index": np.arange(group.size)})
    joined = entries.merge(entries, on="group", suffixes=("_a", "_b"))
    keep = joined["rater_a"].to_numpy() < joined["rater_b"].to_numpy()
    return joined["index_a"].to_numpy()[keep], joined["index_b"].to_numpy()[keep]


def greedy_match(
    i: IntArray, j: IntArray, score: FloatArray, accepted: BoolArray, rater: IntArray
) -> BoolArray:
    """Which candidate pairs (``i[k]``, ``j[k]``) the greedy one-to-one matching keeps (see the module).

    A region is used at most once per other annotator, so one region of A can match one of B and one
    of C.
    """
    kept = np.zeros(i.size, dtype=bool)
    order = np.flatnonzero(accepted)
    order = order[np.argsort(-score[order], kind="stable")]
    n_raters = int(rater.max()) + 1 if rater.size else 1
    # a region's slot: the region and the annotator it is matched against
    slot_a = (i * n_raters + rater[j]).tolist()
    slot_b = (j * n_raters + rater[i]).tolist()
    used: set[int] = set()
    for k in order.tolist():
        a, b = slot_a[k], slot_b[k]
        if a in used or b in used:
            continue
        used.add(a)
        used.add(b)
        kept[k] = True
    return kept


def shared_counts(unit: IntArray, rater: IntArray, count: IntArray) -> pd.DataFrame:
    """Per pair of raters: ``n_tasks`` both answered and the regions each gave there (``n_a``, ``n_b``).

    ``unit``, ``rater`` and ``count`` list each (task, annotator) that counts as an answer, with its
    number of regions.
    """
    answers = pd.DataFrame({"unit": unit, "rater": rater, "n": count})
    joined = answers.merge(answers, on="unit", suffixes=("_a", "_b"))
    joined = joined[joined["rater_a"].to_numpy() < joined["rater_b"].to_numpy()]
    grouped = joined.groupby(["rater_a", "rater_b"], sort=True)
    return pd.DataFrame({"n_tasks": grouped.size(), "n_a": grouped["n_a"].sum(), "n_b": grouped["n_b"].sum()})


def pair_table(
    shared: pd.DataFrame, i: IntArray, j: IntArray, kept: BoolArray, score: FloatArray, rater: IntArray
) -> pd.DataFrame:
    """Precision, recall, F1 and the mean score of the matched pairs, per pair of raters.

    ``shared`` is :func:`shared_counts`; the rest says which candidate pairs were matched. Columns
    ``rater_a``, ``rater_b``, ``n_tasks``, ``n_a``, ``n_b``, ``matched``, ``score_sum`` and the measures.
    """
    matched = pd.DataFrame({"rater_a": rater[i[kept]], "rater_b": rater[j[kept]], "score": score[kept]})
    per_pair = matched.groupby(["rater_a", "rater_b"])["score"].agg(["size", "sum"])
    table = shared.join(per_pair, how="left").fillna({"size": 0, "sum": 0.0})
    table = table.rename(columns={"size": "matched", "sum": "score_sum"}).reset_index()
    table["matched"] = table["matched"].astype("int64")
    return add_rates(table)


def add_rates(table: pd.DataFrame) -> pd.DataFrame:
    """Add ``precision``, ``recall``, ``f1`` and ``mean_score`` to a table of counts (``n_a``, ``n_b``,
    ``matched``, ``score_sum``)."""

    def ratio(top: pd.Series, bottom: pd.Series) -> pd.Series:
        return (top / bottom.where(bottom > 0)).astype("float64")

    table["precision"] = ratio(table["matched"], table["n_b"])
    table["recall"] = ratio(table["matched"], table["n_a"])
    table["f1"] = ratio(2 * table["matched"], table["n_a"] + table["n_b"])
    table["mean_score"] = ratio(table["score_sum"], table["matched"])
    return table


ScoreRule = Callable[[IntArray, IntArray], tuple[FloatArray, BoolArray]]


def match_pairs(
    group: IntArray, rater: IntArray, rule: ScoreRule
) -> tuple[IntArray, IntArray, BoolArray, FloatArray]:
    """Candidates within groups, scored by ``rule`` (scores and which pass), greedily matched."""
    i, j = candidates(group, rater)
    score, accepted = rule(i, j)
    return i, j, greedy_match(i, j, score, accepted, rater), score
