"""Chance-corrected agreement on categories and ratings: Cohen's kappa, Fleiss' kappa, Krippendorff's alpha.

Every measure works on *long* data, one row per answer: ``unit`` (the task, as a code ``0..U-1``), ``rater``
(the annotator, a code) and ``code`` (the answer, a code ``0..K-1``). No unit x rater matrix is built: pairs
of answers are found by joining answers on their unit, so the cost follows the answers given, not the
number of tasks times the number of people. The matrix-shaped functions (:func:`cohen_kappa`,
:func:`fleiss_kappa`, :func:`krippendorff_alpha`) take the inputs the usual libraries take and turn them
into long data.

Undefined values are NaN, as scikit-learn gives them: a kappa when both people used one and the same
category throughout (chance agreement is 1), an alpha with fewer than two pairable answers or no variation.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

Level = Literal["nominal", "ordinal", "interval"]
LEVELS: tuple[Level, ...] = ("nominal", "ordinal", "interval")
IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


# -- long data ------------------------------------------------------------------------------------------


def pairs_on_unit(unit: IntArray, rater: IntArray, code: IntArray) -> pd.DataFrame:
    """Every pair of answers two different raters gave to the same unit, the lower rater code first.

    Columns ``unit``, ``rater_a``, ``rater_b``, ``code_a``, ``code_b``. Each (unit, rater) must appear
    once.
    """
    answers = pd.DataFrame({"unit": unit, "rater": rater, "code": code})
    joined = answers.merge(answers, on="unit", suffixes=("_a", "_b"))
    joined = joined[joined["rater_a"].to_numpy() < joined["rater_b"].to_numpy()]
    return joined.reset_index(drop=True)


def pairwise_cohen_kappa(unit: IntArray, rater: IntArray, code: IntArray, n_codes: int) -> pd.DataFrame:
    """Cohen's kappa (nominal) of every pair of raters over the units both answered.

    Returns one row per pair that shares at least one unit: ``rater_a`` < ``rater_b`` (codes), ``value``
    and ``n_tasks`` (the shared units).
    """
    pairs = pairs_on_unit(unit, rater, code)
    columns = ["rater_a", "rater_b", "value", "n_tasks"]
    if pairs.empty:
        return pd.DataFrame(
            {name: pd.Series(dtype="float64" if name == "value" else "int64") for name in columns}
        )
    ra, rb = pairs["rater_a"].to_numpy(), pairs["rater_b"].to_numpy()
    ca, cb = pairs["code_a"].to_numpy(), pairs["code_b"].to_numpy()
    pair_keys, first, pair = np.unique(
        ra * (int(rater.max()) + 1) + rb, return_index=True, return_inverse=True
    )
    n_pairs = len(pair_keys)
    n = np.bincount(pair, minlength=n_pairs)
    agreed = np.bincount(pair, weights=(ca == cb), minlength=n_pairs)
    # each rater's category counts within the pair: chance agreement is the dot product of the two
    counts_a = np.bincount(pair * n_codes + ca, minlength=n_pairs * n_codes).reshape(n_pairs, n_codes)
    counts_b = np.bincount(pair * n_codes + cb, minlength=n_pairs * n_codes).reshape(n_pairs, n_codes)
    chance_hits = (counts_a * counts_b).sum(axis=1)  # integers: "chance is certain" is tested exactly
    squared = n.astype(np.int64) ** 2
    p_observed = agreed / n
    p_chance = chance_hits / squared
    with np.errstate(divide="ignore", invalid="ignore"):
        kappa = np.where(chance_hits == squared, np.nan, (p_observed - p_chance) / (1 - p_chance))
    return pd.DataFrame({"rater_a": ra[first], "rater_b": rb[first], "value": kappa, "n_tasks": n})


def rater_counts(unit: IntArray, n_units: int | None = None) -> IntArray:
    """How many raters answered each unit."""
    return np.bincount(unit, minlength=n_units or 0).astype(np.int64)


def modal_rater_count(per_unit: IntArray) -> int | None:
    """The most common number of raters among units with two or more (ties: the larger), or None."""
    rated = per_unit[per_unit >= 2]
    if rated.size == 0:
        return None
    sizes, seen = np.unique(rated, return_counts=True)
    return int(sizes[seen == seen.max()].max())


def fleiss_kappa_long(unit: IntArray, code: IntArray) -> tuple[float, int]:
    """Fleiss' kappa over the units that have the modal number of raters; returns ``(kappa, n_units)``.

    Fleiss' kappa needs the same number of raters on every unit. Here only the units rated by the most
    common number of raters (two or more; on a tie the larger number) take part; units with other counts
    are left out, and ``n_units`` says how many took part. NaN (and 0 units) when no unit has two raters.
    """
    per_unit = rater_counts(unit)
    m = modal_rater_count(per_unit)
    if m is None:
        return float("nan"), 0
    keep = per_unit[unit] == m
    unit, code = unit[keep], code[keep]
    n_codes = int(code.max()) + 1
    cells, counts = np.unique(unit * n_codes + code, return_counts=True)
    cell_unit, cell_code = cells // n_codes, cells % n_codes
    return _fleiss(cell_unit, cell_code, counts.astype(np.float64), m), int(np.unique(unit).size)


def _fleiss(cell_unit: IntArray, cell_code: IntArray, counts: FloatArray, m: int) -> float:
    """Fleiss' kappa from the nonzero cells (unit, category, count) of a table with ``m`` raters per unit."""
    units = np.unique(cell_unit)
    n_units = units.size
    squares = np.bincount(np.searchsorted(units, cell_unit), weights=counts**2, minlength=n_units)
    p_unit = (squares - m) / (m * (m - 1))
    p_code = np.bincount(cell_code, weights=counts) / (n_units * m)
    p_bar, p_chance = p_unit.mean(), float((p_code**2).sum())
    if p_chance == 1:
        return float("nan")
    return float((p_bar - p_chance) / (1 - p_chance))


def krippendorff_alpha_long(
    unit: IntArray, code: IntArray, values: Sequence[float] | None, level: Level
) -> tuple[float, int]:
    """Krippendorff's alpha over all units with two or more answers; returns ``(alpha, n_units)``.

    ``code`` indexes ``values``, the answers' values in increasing order (needed for "ordinal" and
    "interval"; "nominal" needs none). Units with one answer are not pairable and take no part; missing
    answers are simply absent rows. NaN when fewer than two answers are pairable or all are equal.
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}, not {level!r}")
    n_codes = len(values) if values is not None else (int(code.max()) + 1 if code.size else 0)
    cells, n_uc = np.unique(unit.astype(np.int64) * max(n_codes, 1) + code, return_counts=True)
    cell_unit, cell_code = cells // max(n_codes, 1), cells % max(n_codes, 1)
    m_u = np.bincount(cell_unit, weights=n_uc)
    pairable = m_u[cell_unit] >= 2
    cell_unit, cell_code, n_uc = cell_unit[pairable], cell_code[pairable], n_uc[pairable]
    if cell_unit.size == 0:
        return float("nan"), 0
    # the coincidence matrix: o[c, k] = sum over units of n_uc * (n_uk - [c == k]) / (m_u - 1)
    cells_frame = pd.DataFrame({"unit": cell_unit, "code": cell_code, "n": n_uc})
    joined = cells_frame.merge(cells_frame, on="unit", suffixes=("_a", "_b"))
    c, k = joined["code_a"].to_numpy(), joined["code_b"].to_numpy()
    weight = (
        joined["n_a"].to_numpy()
        * (joined["n_b"].to_numpy() - (c == k))
        / (m_u[joined["unit"].to_numpy()] - 1)
    )
    coincidences = np.bincount(c * n_codes + k, weights=weight, minlength=n_codes * n_codes)
    coincidences = coincidences.reshape(n_codes, n_codes)
    n_c = coincidences.sum(axis=0)
    total = n_c.sum()
    distance = _distances(n_c, values, level)
    expected = (np.outer(n_c, n_c) - np.diag(n_c)) / (total - 1)
    disagreement = float((expected * distance).sum())
    n_units = int(np.unique(cell_unit).size)
    if disagreement == 0:
        return float("nan"), n_units
    return float(1 - (coincidences * distance).sum() / disagreement), n_units


def _distances(n_c: FloatArray, values: Sequence[float] | None, level: Level) -> FloatArray:
    """Krippendorff's squared difference between every two values, for the level of measurement."""
    size = n_c.size
    if level == "nominal":
        return 1 - np.eye(size)
    if values is None:
        raise ValueError(f"{level} alpha needs the values of the codes")
    if level == "interval":
        v = np.asarray(values, dtype=np.float64)
        return np.subtract.outer(v, v) ** 2
    # ordinal: the pairable answers from one value to the other, less half of the two ends
    cumulative = np.concatenate([[0.0], np.cumsum(n_c)])
    low = np.minimum.outer(np.arange(size), np.arange(size))
    high = np.maximum.outer(np.arange(size), np.arange(size))
    between = cumulative[high + 1] - cumulative[low]
    return np.asarray((between - (n_c[low] + n_c[high]) / 2) ** 2, dtype=np.float64)


# -- the usual shapes -------------------------------------------------------------------------------------


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def _codes(values: Sequence[Hashable], numeric: bool) -> tuple[IntArray, list[Any]]:
    """Codes ``0..K-1`` for the values, in increasing order when ``numeric`` (else first seen)."""
    domain = sorted(set(values)) if numeric else list(dict.fromkeys(values))  # type: ignore[type-var]
    index = {value: position for position, value in enumerate(domain)}
    return np.fromiter((index[v] for v in values), dtype=np.int64, count=len(values)), domain


def cohen_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> float:
    """Cohen's kappa (nominal) of two raters' answers to the same units, given in the same order.

    Units where either answer is missing (None or NaN) are left out. NaN when no unit is left or both
    raters used one and the same category throughout. Equals ``sklearn.metrics.cohen_kappa_score``.
    """
    if len(a) != len(b):
        raise ValueError(f"the two raters answered {len(a)} and {len(b)} units; give both for every unit")
    both = [(x, y) for x, y in zip(a, b, strict=True) if not (_is_missing(x) or _is_missing(y))]
    if not both:
        return float("nan")
    codes, domain = _codes([x for x, _ in both] + [y for _, y in both], numeric=False)
    n = len(both)
    unit = np.concatenate([np.arange(n), np.arange(n)])
    rater = np.concatenate([np.zeros(n, dtype=np.int64), np.ones(n, dtype=np.int64)])
    found = pairwise_cohen_kappa(unit, rater, codes, len(domain))
    return float(found["value"].iloc[0])


def fleiss_kappa(table: Any) -> float:
    """Fleiss' kappa of a subjects x categories table of counts, every row summing to the same number of
    raters (two or more), as ``statsmodels.stats.inter_rater.fleiss_kappa`` takes it."""
    counts = np.asarray(table, dtype=np.float64)
    if counts.ndim != 2 or counts.shape[0] == 0:
        raise ValueError("fleiss_kappa needs a 2-d table: one row per subject, one column per category")
    raters = counts.sum(axis=1)
    if not np.all(raters == raters[0]) or raters[0] < 2:
        raise ValueError(
            f"every subject needs the same number of raters (two or more); rows sum to {sorted(set(raters))}"
        )
    rows, columns = np.nonzero(counts)
    return _fleiss(rows.astype(np.int64), columns.astype(np.int64), counts[rows, columns], int(raters[0]))


def krippendorff_alpha(reliability_data: Any, level: Level = "nominal") -> float:
    """Krippendorff's alpha of a raters x units matrix, missing answers as NaN (or None), as the
    ``krippendorff`` package takes it. "ordinal" and "interval" need numbers."""
    rows = [list(row) for row in reliability_data]
    answers = [(u, value) for row in rows for u, value in enumerate(row) if not _is_missing(value)]
    if not answers:
        return float("nan")
    numeric = level != "nominal"
    if numeric and not all(isinstance(v, (int, float, np.number)) for _, v in answers):
        raise ValueError(f"{level} alpha needs numbers")
    codes, domain = _codes([v for _, v in answers], numeric=numeric)
    unit = np.fromiter((u for u, _ in answers), dtype=np.int64, count=len(answers))
    values = [float(v) for v in domain] if numeric else None
    return krippendorff_alpha_long(unit, codes, values, level)[0]
