"""How a team's labelling is going, as pandas tables: per user, per label, over time, overall, and who
agrees with whom.

>>> from labelnb.team import progress
>>> progress.user_progress(project.store)                       # doctest: +SKIP
>>> progress.label_progress(project.store, project.config)      # doctest: +SKIP

Every count is aggregated by the database (:mod:`labelnb.store.activity`): the tables are small whatever
the project's size. Users are shown by email; annotations imported without a user have ``user`` None.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any, Literal

import pandas as pd

from labelnb.config import LabelConfig
from labelnb.config.tags import LABELS_CONTROLS, TAGS
from labelnb.store import Store
from labelnb.store.activity import BUCKET_CHARS

from .agreement.frame import REGION_MEASURES, SPAN_MEASURES, AgreementReport
from .agreement.inputs import specs_from_config

#: result types whose ``value[type]`` is a list of labels (Taxonomy: of label paths)
LABEL_TYPES: frozenset[str] = frozenset({"choices", "taxonomy"}).union(
    result for tag in LABELS_CONTROLS if (result := TAGS[tag].result_type) is not None
)
Unit = Literal["auto", "minute", "hour", "day"]
UNIT_STEP = {"minute": timedelta(minutes=1), "hour": timedelta(hours=1), "day": timedelta(days=1)}
#: "auto" picks the finest unit that keeps the chart at most this many buckets wide
MAX_BUCKETS = 200
#: the measure an agreement matrix shows by default, per kind of control
DEFAULT_MEASURE = {"choices": "cohen_kappa", "rating": "cohen_kappa", "regions": "f1", "spans": "f1_exact"}
#: the measures agreement_frame gives per pair of annotators, per kind of control
PAIR_MEASURES = {
    "choices": ("cohen_kappa",),
    "rating": ("cohen_kappa",),
    "regions": REGION_MEASURES,
    "spans": SPAN_MEASURES,
}

USER_COLUMNS = ["user", "submitted", "skipped", "tasks", "mean_lead_time"]
LABEL_COLUMNS = ["control", "tag", "label", "count", "color"]
THROUGHPUT_COLUMNS = ["time", "user", "annotations"]


def overall_progress(store: Store, users: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row: ``tasks``, ``labeled`` (tasks fully labelled), ``percent_done`` (0-100, 0 without tasks),
    ``submitted`` and ``skipped`` annotations and ``annotators`` (users with at least one answer).
    ``users`` is :func:`user_progress` when the caller has it already (it is read otherwise)."""
    labeled, tasks = store.progress()
    if users is None:
        users = user_progress(store)
    row = {
        "tasks": tasks,
        "labeled": labeled,
        "percent_done": 100.0 * labeled / tasks if tasks else 0.0,
        "submitted": int(users["submitted"].sum()),
        "skipped": int(users["skipped"].sum()),
        "annotators": int(users["user"].notna().sum()),
    }
    return pd.DataFrame([row])


def user_progress(store: Store) -> pd.DataFrame:
    """One row per user who answered something, by email: ``submitted`` and ``skipped`` annotations,
    ``tasks`` (distinct tasks they submitted or skipped) and ``mean_lead_time`` (seconds, over their
    submissions that recorded one; NaN if none did)."""
    rows = [u._asdict() for u in store.activity.users()]
    frame = pd.DataFrame(rows, columns=USER_COLUMNS)
    frame["mean_lead_time"] = frame["mean_lead_time"].astype(float)
    return frame


def label_progress(store: Store, config: LabelConfig) -> pd.DataFrame:
    """How many regions or choices carry each label, per control, over the submitted annotations.

    One row per (``control``, ``label``): every label the config declares (count 0 when unused, in the
    config's order, with its ``color`` from the config or None) followed by labels found only in results
    (dynamic labels, labels of a control no longer in the config). ``tag`` is the control's tag. A region
    with two labels counts for both; a Taxonomy path counts for its deepest entry.
    """
    found = {(c.control, c.label): c for c in store.activity.label_counts(LABEL_TYPES)}
    rows: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    tags: dict[str, str] = {}
    for control in config.control_model()["controls"]:
        if control["type"] not in LABEL_TYPES:
            continue
        tags[control["name"]] = control["tag"]
        for label in control.get("labels", []):
            key = (control["name"], label["value"])
            if key in seen:
                continue
            seen.add(key)
            hit = found.get(key)
            rows.append(
                {
                    "control": key[0],
                    "tag": control["tag"],
                    "label": key[1],
                    "count": hit.items if hit else 0,
                    "color": label.get("color"),
                }
            )
    for key, hit in found.items():
        if key not in seen:
            tag = tags.get(hit.control) or _tag_of_type(hit.type)
            rows.append({"control": key[0], "tag": tag, "label": key[1], "count": hit.items, "color": None})
    return pd.DataFrame(rows, columns=LABEL_COLUMNS).astype({"count": "int64"})


def _tag_of_type(result_type: str) -> str:
    for name, spec in TAGS.items():
        if spec.kind == "control" and spec.result_type == result_type:
            return name
    return result_type


def choose_unit(first: datetime, last: datetime, max_buckets: int = MAX_BUCKETS) -> str:
    """The finest of minute, hour and day that spans ``first`` to ``last`` in at most ``max_buckets``."""
    span = last - first
    for unit in ("minute", "hour"):
        if span / UNIT_STEP[unit] < max_buckets:
            return unit
    return "day"


def throughput(store: Store, unit: Unit = "auto") -> pd.DataFrame:
    """Submitted annotations per user per ``unit`` of their ``created_at`` (UTC).

    Columns ``time`` (the bucket's start, a UTC timestamp), ``user`` and ``annotations``; every user has a
    row for every bucket from the first to the last (0 where they did nothing), so the frame plots as it
    is. ``unit="auto"`` picks minutes, hours or days (:func:`choose_unit`). ``frame.attrs["unit"]`` says
    which unit was used.
    """
    if unit != "auto" and unit not in UNIT_STEP:
        raise ValueError(f"unit must be 'auto' or one of {', '.join(UNIT_STEP)}, not {unit!r}")
    activity = store.activity
    span = activity.time_span()
    chosen: str = unit
    if span is None:
        frame = pd.DataFrame(columns=THROUGHPUT_COLUMNS).astype(
            {"time": "datetime64[ns, UTC]", "annotations": "int64"}
        )
        frame.attrs["unit"] = "hour" if unit == "auto" else unit
        return frame
    if unit == "auto":
        chosen = choose_unit(_parse_time(span[0]), _parse_time(span[1]))
    counts = activity.counts_over_time(chosen)
    users = sorted({c.user for c in counts}, key=lambda u: (u is None, u or ""))
    starts = [_bucket_start(c.bucket) for c in counts]
    step = UNIT_STEP[chosen]
    first, last = min(starts), max(starts)
    times = [first + step * i for i in range(int((last - first) / step) + 1)]
    table = {(c.user, start): c.annotations for c, start in zip(counts, starts, strict=True)}
    rows = [
        {"time": moment, "user": user, "annotations": table.get((user, moment), 0)}
        for moment in times
        for user in users
    ]
    frame = pd.DataFrame(rows, columns=THROUGHPUT_COLUMNS)
    frame["time"] = pd.to_datetime(frame["time"], utc=True)
    frame = frame.astype({"annotations": "int64"})
    frame.attrs["unit"] = chosen
    return frame


def _parse_time(stamp: str) -> datetime:
    """A stored ``created_at`` (ISO 8601, ``Z`` or an offset) as an aware UTC datetime."""
    moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def _bucket_start(prefix: str) -> datetime:
    """The start of a bucket from its ``created_at`` prefix (``2026-11-23T12`` -> 12:00 that day)."""
    if len(prefix) == BUCKET_CHARS["day"]:
        return datetime.fromisoformat(prefix).replace(tzinfo=timezone.utc)
    padded = prefix + ":00" if len(prefix) == BUCKET_CHARS["hour"] else prefix
    return datetime.fromisoformat(padded).replace(tzinfo=timezone.utc)


def default_agreement_control(config: LabelConfig) -> str | None:
    """The first control of the config whose agreement can be measured, or None."""
    specs = specs_from_config(config, None)
    return specs[0].name if specs else None


def agreement_matrix(
    agreement: Callable[..., AgreementReport],
    config: LabelConfig,
    control: str | None = None,
    measure: str | None = None,
) -> pd.DataFrame:
    """Annotator x annotator table of a pairwise agreement measure for one control.

    ``agreement`` is :meth:`labelnb.Project.agreement` (or any function of ``(control, measure)`` that
    returns its report). ``control`` defaults to :func:`default_agreement_control`; ``measure`` to the
    control's usual one (:data:`DEFAULT_MEASURE`: Cohen's kappa for choices and ratings, F1 for regions,
    exact F1 for text spans). Where a measure is per label (multi-choice), a pair's value is the mean
    over labels. The table is symmetric; the diagonal and pairs with no shared task are NaN.
    ``frame.attrs`` holds ``control``, ``measure`` and ``n_tasks`` (``n_tasks[b][a]``: the tasks a pair shared).
    """
    name = control if control is not None else default_agreement_control(config)
    if name is None:
        raise ValueError("no control of this config has a measurable agreement")
    kind = specs_from_config(config, name)[0].kind or "choices"
    chosen = measure if measure is not None else DEFAULT_MEASURE[kind]
    if chosen not in PAIR_MEASURES[kind]:
        raise ValueError(
            f"measure {chosen!r} is not measured per pair of annotators for control {name!r} ({kind}); "
            f"use one of {', '.join(PAIR_MEASURES[kind])}"
        )
    pairs = agreement(name, chosen).pairs
    pairs = pairs[(pairs["control"] == name) & (pairs["measure"] == chosen)]
    people = sorted(set(pairs["annotator_a"]) | set(pairs["annotator_b"]), key=str)
    values = pd.DataFrame(math.nan, index=pd.Index(people, name="annotator"), columns=people)
    shared = pd.DataFrame(0, index=values.index, columns=people)
    grouped = pairs.groupby(["annotator_a", "annotator_b"], sort=False).agg(
        value=("value", "mean"), n_tasks=("n_tasks", "max")
    )
    for a, b, value, n_tasks in grouped.reset_index().itertuples(index=False):
        values.loc[a, b] = values.loc[b, a] = value
        shared.loc[a, b] = shared.loc[b, a] = int(n_tasks)
    values.attrs.update(control=name, measure=chosen, n_tasks=shared.to_dict())
    return values
