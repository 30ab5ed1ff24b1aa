"""``agreement_frame``: every agreement measure of every measurable control, as two pandas tables."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

import numpy as np
import numpy.typing as npt
import pandas as pd

from labelnb.config import LabelConfig

from . import categorical as cat
from .geometry import Fans, box_iou_arrays
from .inputs import Annotation, Answers, Reading, read_answers, specs_from_config, specs_from_names
from .matching import IntArray, add_rates, match_pairs, pair_table, shared_counts

CATEGORY_MEASURES = ("cohen_kappa", "fleiss_kappa", "alpha_nominal", "alpha_ordinal", "alpha_interval")
REGION_MEASURES = ("precision", "recall", "f1", "mean_iou")
SPAN_MEASURES = tuple(
    f"{rate}_{variant}" for variant in ("exact", "partial") for rate in ("precision", "recall", "f1")
)
MEASURES = CATEGORY_MEASURES + REGION_MEASURES + SPAN_MEASURES

PAIR_COLUMNS = ["control", "label", "annotator_a", "annotator_b", "measure", "value", "n_tasks"]
OVERALL_COLUMNS = ["control", "label", "measure", "value", "n_tasks", "n_annotators"]

Absent = Literal["missing", "empty"]


class AgreementReport(NamedTuple):
    """The two tables of :func:`agreement_frame` (unpack them: ``pairs, overall = ...``).

    ``pairs``: one row per (control, label, annotator_a, annotator_b, measure) with ``value`` and
    ``n_tasks`` (the tasks both answered). ``overall``: one row per (control, label, measure) over all
    annotators, with ``n_tasks`` (the tasks the measure used) and ``n_annotators``.
    """

    pairs: pd.DataFrame
    overall: pd.DataFrame


def agreement_frame(
    annotations: Iterable[Annotation],
    config: LabelConfig | str | Sequence[str],
    control: str | Sequence[str] | None = None,
    *,
    measure: str | Sequence[str] | None = None,
    iou_threshold: float = 0.5,
    absent: Absent = "missing",
) -> AgreementReport:
    """How far annotators agree, per control, per pair of annotators and over all of them.

    ``annotations`` are ``(task_id, annotator, result)`` (see :mod:`labelnb.team.agreement.inputs`;
    :func:`annotations_from_tasks` reads Label Studio task dicts). ``config`` is the project's
    :class:`~labelnb.config.LabelConfig` (or its XML), and ``control`` narrows it to one or a few
    controls; or ``config`` names the control(s) itself, whose kind then comes from the results' ``type``
    (a Choices control counts as multi-choice when some answer holds several choices).

    An annotation with no item for a control gave no answer to it (missing), as Label Studio counts it.
    Measures, by control:

    * Choices (single) and Rating: ``cohen_kappa`` per pair (nominal, over the tasks both answered; in
      ``overall`` the mean over pairs, NaN pairs left out); ``fleiss_kappa`` over all annotators, on the
      tasks answered by the modal number of annotators only (two or more; on a tie the larger number;
      ``n_tasks`` says how many); Krippendorff's alpha over every task with two answers or more
      (missing answers allowed): ``alpha_nominal`` for choices, ``alpha_ordinal`` and ``alpha_interval``
      for ratings.
    * Choices with ``choice="multiple"``: each label on its own, as a yes/no answer of everyone who
      answered the control (``label`` column), with the same measures as single choices.
    * Boxes and polygons (RectangleLabels, Rectangle, PolygonLabels, Polygon): ``precision``,
      ``recall``, ``f1`` and ``mean_iou`` (of the matched pairs) after matching each pair's regions per
      task, same label, IoU >= ``iou_threshold`` (see :mod:`labelnb.team.agreement.matching`; rotated
      boxes as polygons, :mod:`labelnb.team.agreement.geometry`). In ``overall`` the counts of all pairs
      are pooled.
    * Text spans (Labels on Text or HyperText): ``*_exact`` (same start, end and label) and
      ``*_partial`` (same label, overlapping by at least one character; matched one to one, largest
      overlap first) precision, recall and F1.

    For regions and spans a task counts for a pair when both drew something with the control; with
    ``absent="empty"`` it counts when both submitted the task, so an annotator who drew nothing there
    found no regions (and the other's regions are misses).

    ``measure`` keeps only the named measures. Values that cannot be computed are NaN (kappa when both
    used one category only, F1 with no region on either side).
    """
    if not 0 < iou_threshold <= 1:
        raise ValueError(f"iou_threshold must be in (0, 1], not {iou_threshold!r}")
    if absent not in ("missing", "empty"):
        raise ValueError(f"absent must be 'missing' or 'empty', not {absent!r}")
    wanted = _wanted_measures(measure)
    if isinstance(config, str) and config.lstrip().startswith("<"):
        config = LabelConfig.from_xml(config)
    if isinstance(config, LabelConfig):
        specs = specs_from_config(config, control)
    else:
        if control is not None:
            raise ValueError("give control names either as config or as control, not both")
        specs = specs_from_names(config)
    reading = read_answers(annotations, specs)
    tables = _Tables(_Codes.of(reading), wanted)
    for answers in reading.controls.values():
        if answers.kind in ("choices", "rating"):
            _categorical(answers, tables)
        elif answers.kind == "regions" and answers.answered and wanted & set(REGION_MEASURES):
            found = _answering(answers, tables.codes, absent)
            tables.add_matching(
                answers.spec.name, found, {"": _regions(answers, tables.codes, found, iou_threshold)}
            )
        elif answers.kind == "spans" and answers.answered and wanted & set(SPAN_MEASURES):
            found = _answering(answers, tables.codes, absent)
            tables.add_matching(answers.spec.name, found, _spans(answers, tables.codes, found))
    return tables.report()


def _wanted_measures(measure: str | Sequence[str] | None) -> set[str]:
    if measure is None:
        return set(MEASURES)
    names = {measure} if isinstance(measure, str) else set(measure)
    unknown = sorted(names - set(MEASURES))
    if unknown:
        raise ValueError(f"unknown measure {unknown[0]!r}; the measures: {', '.join(MEASURES)}")
    return names


@dataclass
class _Codes:
    """Task and annotator codes shared by every control; annotator codes follow the annotators' order,
    so ``annotator_a`` is the first of each pair."""

    task_code: dict[Hashable, int]
    rater_code: dict[Hashable, int]
    raters: list[Hashable]
    submitted: list[tuple[Hashable, Hashable]]

    @classmethod
    def of(cls, reading: Reading) -> _Codes:
        tasks: dict[Hashable, int] = {}
        people: dict[Hashable, None] = {}
        for task, annotator in reading.submitted:
            tasks.setdefault(task, len(tasks))
            people[annotator] = None
        try:
            raters = sorted(people)  # type: ignore[type-var]
        except TypeError:  # ids and e-mails mixed
            raters = sorted(people, key=str)
        return cls(tasks, {who: k for k, who in enumerate(raters)}, raters, reading.submitted)

    def units(self, tasks: Sequence[Hashable]) -> IntArray:
        code = self.task_code
        return np.fromiter((code[t] for t in tasks), dtype=np.int64, count=len(tasks))

    def rater(self, annotators: Sequence[Hashable]) -> IntArray:
        code = self.rater_code
        return np.fromiter((code[a] for a in annotators), dtype=np.int64, count=len(annotators))


class _Answering(NamedTuple):
    """Who counts as answering a region or span control: per pair, the shared tasks and the regions each
    gave there (:func:`~labelnb.team.agreement.matching.shared_counts`); the tasks two or more answered;
    how many annotators answered."""

    shared: pd.DataFrame
    n_tasks: int
    n_annotators: int


@dataclass
class _Tables:
    """The rows of the two tables as they are found."""

    codes: _Codes
    wanted: set[str]
    pairs: list[dict[str, Any]] = field(default_factory=list)
    overall: list[dict[str, Any]] = field(default_factory=list)

    def pair(self, control: str, label: Hashable, a: int, b: int, measure: str, value: float, n: int) -> None:
        """A row of the pair table; ``a`` and ``b`` are annotator codes."""
        raters = self.codes.raters
        self.pairs.append({"control": control, "label": label, "annotator_a": raters[a], "annotator_b": raters[b],
                           "measure": measure, "value": value, "n_tasks": n})  # fmt: skip

    def total(self, control: str, label: Hashable, measure: str, value: float, n: int, people: int) -> None:
        """A row of the overall table."""
        self.overall.append({"control": control, "label": label, "measure": measure, "value": value,
                             "n_tasks": n, "n_annotators": people})  # fmt: skip

    def add_matching(self, control: str, found: _Answering, tables: dict[str, pd.DataFrame]) -> None:
        """The rows of :func:`_regions`' or :func:`_spans`' tables (one per variant: "" for regions,
        "exact" and "partial" for spans); overall, the counts of every pair are pooled."""
        for variant, table in tables.items():
            suffix = f"_{variant}" if variant else ""
            measures = {f"precision{suffix}": "precision", f"recall{suffix}": "recall", f"f1{suffix}": "f1"}
            if not variant:
                measures["mean_iou"] = "mean_score"
            measures = {measure: column for measure, column in measures.items() if measure in self.wanted}
            records: list[dict[Any, Any]] = table.to_dict("records")
            for row in records:
                for measure, column in measures.items():
                    self.pair(
                        control, None, row["rater_a"], row["rater_b"], measure, row[column], row["n_tasks"]
                    )
            pooled = add_rates(pd.DataFrame([table[["n_a", "n_b", "matched", "score_sum"]].sum()]))
            for measure, column in measures.items():
                self.total(
                    control, None, measure, float(pooled[column].iloc[0]), found.n_tasks, found.n_annotators
                )

    def report(self) -> AgreementReport:
        """The two DataFrames."""
        pairs = pd.DataFrame(self.pairs, columns=PAIR_COLUMNS).astype(
            {"value": "float64", "n_tasks": "int64"}
        )
        overall = pd.DataFrame(self.overall, columns=OVERALL_COLUMNS)
        overall = overall.astype({"value": "float64", "n_tasks": "int64", "n_annotators": "int64"})
        return AgreementReport(pairs, overall)


# -- choices and ratings ----------------------------------------------------------------------------------


def _categorical(answers: Answers, tables: _Tables) -> None:
    """The rows of a Choices or Rating control."""
    if not answers.values:
        return
    codes = tables.codes
    unit, rater = codes.units(answers.tasks), codes.rater(answers.annotators)
    name = answers.spec.name
    if answers.kind == "rating":
        domain = sorted(set(answers.values))
        index = {value: k for k, value in enumerate(domain)}
        code = np.fromiter((index[v] for v in answers.values), dtype=np.int64, count=len(answers.values))
        _category_measures(tables, name, None, (unit, rater, code), domain, ("ordinal", "interval"))
    elif not answers.spec.multiple:
        chosen = [values[0] for values in answers.values]
        order = {label: k for k, label in enumerate(dict.fromkeys([*answers.spec.labels, *chosen]))}
        code = np.fromiter((order[c] for c in chosen), dtype=np.int64, count=len(chosen))
        _category_measures(tables, name, None, (unit, rater, code), None, ("nominal",))
    else:
        seen = dict.fromkeys(label for values in answers.values for label in values)
        for label in dict.fromkeys([*answers.spec.labels, *seen]):
            # each label as a yes/no question put to everyone who answered the control
            yes = np.fromiter(
                (label in values for values in answers.values), dtype=np.int64, count=len(answers.values)
            )
            _category_measures(tables, name, label, (unit, rater, yes), None, ("nominal",))


def _category_measures(
    tables: _Tables,
    name: str,
    label: Hashable,
    coded: tuple[IntArray, IntArray, IntArray],
    values: Sequence[float] | None,
    levels: Sequence[cat.Level],
) -> None:
    """Kappas and alphas of one control (or one label of a multi-choice control): ``coded`` holds the
    unit, rater and answer code of each answer; ``values`` the value of each code (ratings)."""
    unit, rater, code = coded
    wanted = tables.wanted
    people = int(np.unique(rater).size)
    if "cohen_kappa" in wanted:
        kappas = cat.pairwise_cohen_kappa(unit, rater, code, int(code.max()) + 1)
        for a, b, value, n in kappas.itertuples(index=False):
            tables.pair(name, label, a, b, "cohen_kappa", value, n)
        valid = kappas["value"].dropna()
        shared = int((cat.rater_counts(unit) >= 2).sum())
        tables.total(
            name, label, "cohen_kappa", float(valid.mean()) if len(valid) else float("nan"), shared, people
        )
    if "fleiss_kappa" in wanted:
        tables.total(name, label, "fleiss_kappa", *cat.fleiss_kappa_long(unit, code), people)
    for level in levels:
        if f"alpha_{level}" in wanted:
            tables.total(
                name, label, f"alpha_{level}", *cat.krippendorff_alpha_long(unit, code, values, level), people
            )


# -- regions and spans ------------------------------------------------------------------------------------


def _answering(answers: Answers, codes: _Codes, absent: Absent) -> _Answering:
    """Each (task, annotator) that counts as an answer to the control (see ``absent``), with its number
    of regions."""
    if absent == "empty":
        keys = codes.submitted
        counts = [answers.answered.get(key, 0) for key in keys]
    else:
        keys = list(answers.answered)
        counts = list(answers.answered.values())
    unit = codes.units([task for task, _ in keys])
    rater = codes.rater([annotator for _, annotator in keys])
    shared = shared_counts(unit, rater, np.asarray(counts, dtype=np.int64))
    n_tasks = int((cat.rater_counts(unit) >= 2).sum())
    return _Answering(shared, n_tasks, int(np.unique(rater).size))


def _groups(*columns: IntArray) -> IntArray:
    """One number per distinct row of the non-negative integer columns (mixed radix: one int64 key)."""
    key: IntArray = np.zeros(columns[0].size, dtype=np.int64)
    for column in columns:
        key = (key * (int(column.max()) + 1 if column.size else 1) + column).astype(np.int64)
    return key


def _label_codes(labels: Sequence[Hashable]) -> IntArray:
    index: dict[Hashable, int] = {}
    return np.fromiter(
        (index.setdefault(label, len(index)) for label in labels), dtype=np.int64, count=len(labels)
    )


def _regions(answers: Answers, codes: _Codes, found: _Answering, threshold: float) -> pd.DataFrame:
    """Per pair of annotators: counts, matches and rates of the control's boxes and polygons."""
    unit, rater = codes.units(answers.tasks), codes.rater(answers.annotators)
    group = _groups(unit, np.asarray(answers.items, dtype=np.int64), _label_codes(answers.labels))
    boxes = np.asarray(answers.boxes, dtype=np.float64).reshape(-1, 4)
    polygons = answers.polygons
    shaped = np.fromiter((p is not None for p in polygons), dtype=bool, count=len(polygons))

    def outline(k: int) -> Any:
        found = polygons[k]
        if found is not None:
            return found
        x0, y0, x1, y1 = boxes[k]
        return [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]

    def iou(i: IntArray, j: IntArray) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
        score = box_iou_arrays(boxes[i], boxes[j])  # exact for two axis-aligned boxes
        # a rotated box or a polygon: its exact IoU, where the bounding boxes overlap at all
        exact = np.flatnonzero((shaped[i] | shaped[j]) & (score > 0))
        if exact.size:
            involved, local = np.unique(np.concatenate([i[exact], j[exact]]), return_inverse=True)
            fans = Fans([outline(int(k)) for k in involved])
            score[exact] = fans.iou(local[: exact.size], local[exact.size :])
        score = np.minimum(score, 1.0)
        return score, (score >= threshold) & (score > 0)

    i, j, kept, score = match_pairs(group, rater, iou)
    return pair_table(found.shared, i, j, kept, score, rater)


def _spans(answers: Answers, codes: _Codes, found: _Answering) -> dict[str, pd.DataFrame]:
    """Per pair of annotators and per variant ("exact", "partial"): counts, matches and rates of spans."""
    unit, rater = codes.units(answers.tasks), codes.rater(answers.annotators)
    group = _groups(unit, _label_codes(answers.labels))
    starts = np.asarray(answers.starts, dtype=np.float64)
    ends = np.asarray(answers.ends, dtype=np.float64)

    def exact(i: IntArray, j: IntArray) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
        same = (starts[i] == starts[j]) & (ends[i] == ends[j])
        return same.astype(np.float64), same

    def partial(i: IntArray, j: IntArray) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
        overlap = np.minimum(ends[i], ends[j]) - np.maximum(starts[i], starts[j])
        cover = np.maximum(ends[i], ends[j]) - np.minimum(starts[i], starts[j])
        same = (starts[i] == starts[j]) & (ends[i] == ends[j])
        with np.errstate(divide="ignore", invalid="ignore"):
            score = np.where(same, 1.0, np.clip(overlap, 0, None) / cover)
        return score, same | (overlap > 0)

    tables = {}
    for variant, rule in (("exact", exact), ("partial", partial)):
        i, j, kept, score = match_pairs(group, rater, rule)
        tables[variant] = pair_table(found.shared, i, j, kept, score, rater)
    return tables
