"""The simple per-task measure the task table shows: the mean pairwise Jaccard share of result items.

Chance-corrected measures (kappa, alpha) and region matching live in the sibling modules.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import combinations
from typing import Any

import orjson

#: the keys of a result item that carry the answer (ids, origin and scores do not)
_ANSWER_KEYS = ("from_name", "to_name", "type", "value")


def _answer(item: Mapping[str, Any]) -> bytes:
    return orjson.dumps({key: item.get(key) for key in _ANSWER_KEYS}, option=orjson.OPT_SORT_KEYS)


def task_agreement(results: Sequence[Sequence[Mapping[str, Any]]]) -> float | None:
    """The mean, over every pair of annotators, of the share of result items both gave (Jaccard).

    Items are compared by control, object, type and value, not by region id: two people who chose the
    same class agree (1.0); one who chose "cat" and one who chose "dog" do not (0.0). Two empty answers
    agree. None for fewer than two answers.
    """
    if len(results) < 2:
        return None
    answers = [{_answer(item) for item in result} for result in results]
    shares = [1.0 if not (a | b) else len(a & b) / len(a | b) for a, b in combinations(answers, 2)]
    return sum(shares) / len(shares)
