"""Reading annotations for agreement: which controls to measure, and each answer's value, checked.

An annotation is ``(task_id, annotator, result)``: ``result`` is a Label Studio result list (a list of
result item dicts) or None for a cancelled (skipped) annotation. Cancelled annotations and empty result
lists are left out, as Label Studio leaves them out of its statistics; :func:`annotations_from_tasks`
reads Label Studio task dicts (an export, or the store's tasks) into that shape.

When an annotator has several annotations of the same task, the last one given (that is not cancelled
or empty) counts. Annotations are read one by one and only their answers are kept, as numbers and
labels, so a stream of them (``Project.agreement`` reads the store page by page) never sits in memory
whole.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from labelnb.config import LabelConfig

from . import items
from .geometry import Point

Annotation = tuple[Hashable, Hashable, Sequence[Mapping[str, Any]] | None]
Kind = Literal["choices", "rating", "regions", "spans"]

#: the result types each kind of control writes
RESULT_TYPES: dict[Kind, frozenset[str]] = {
    "choices": frozenset({"choices"}),
    "rating": frozenset({"rating"}),
    "regions": frozenset({"rectanglelabels", "rectangle", "polygonlabels", "polygon"}),
    "spans": frozenset({"labels", "hypertextlabels"}),
}
_KIND_OF_TYPE = {result_type: kind for kind, types in RESULT_TYPES.items() for result_type in types}
_REGION_TAGS = {"RectangleLabels", "Rectangle", "PolygonLabels", "Polygon"}
_SPAN_OBJECTS = {"Text", "HyperText"}


class AgreementInputError(ValueError):
    """An annotation that cannot be measured; says which task, annotator and field, and why."""

    def __init__(self, message: str, *, task: Any = None, annotator: Any = None, field: str | None = None):
        self.task, self.annotator, self.field = task, annotator, field
        where = [
            f"task {task!r}" if task is not None else "",
            f"annotator {annotator!r}" if annotator is not None else "",
        ]
        where.append(field or "")
        prefix = ", ".join(part for part in where if part)
        super().__init__(f"{prefix}: {message}" if prefix else message)


@dataclass(frozen=True)
class ControlSpec:
    """One control to measure: its name, the kind of answer it gives and, for choices, the mode.

    Named without a config, ``kind`` is None (the ``type`` of the control's first result item says it)
    and so is ``multiple`` (a choices control is multi-choice when some answer holds several choices).
    """

    name: str
    kind: Kind | None = None
    multiple: bool | None = None
    labels: tuple[str, ...] = ()


def specs_from_config(config: LabelConfig, control: str | Sequence[str] | None) -> list[ControlSpec]:
    """The controls of ``config`` to measure: the named ones (each must exist and be measurable), or
    every measurable one when ``control`` is None (per-region and per-item controls are not)."""
    names = [control] if isinstance(control, str) else list(control) if control is not None else None
    if names is not None:
        unknown = [name for name in names if name not in config.controls]
        if unknown:
            raise ValueError(
                f"control {unknown[0]!r} is not in the config; its controls: {', '.join(config.controls)}"
            )
    specs = []
    for name, tag in config.controls.items():
        if names is not None and name not in names:
            continue
        kind = _kind_of_control(config, name)
        if kind is None:
            if names is not None:
                raise ValueError(
                    f"agreement is not measured for control {name!r} (<{tag.tag}>"
                    f"{' perRegion' if tag.per_region else ''}{' perItem' if tag.per_item else ''}): "
                    "only Choices, Rating, RectangleLabels/Rectangle, PolygonLabels/Polygon and Labels on "
                    "Text or HyperText are"
                )
            continue
        specs.append(
            ControlSpec(
                name, kind, multiple=not tag.single if kind == "choices" else False, labels=tag.labels
            )
        )
    return specs


def _kind_of_control(config: LabelConfig, name: str) -> Kind | None:
    tag = config.controls[name]
    if tag.per_region or tag.per_item:
        return None  # their answers belong to a region or an image, not to the task
    if tag.tag == "Choices":
        return "choices"
    if tag.tag == "Rating":
        return "rating"
    if tag.tag in _REGION_TAGS:
        return "regions"
    objects = [config.objects[o].tag for o in tag.to_name if o in config.objects]
    if tag.tag == "HyperTextLabels" or (tag.tag == "Labels" and objects and set(objects) <= _SPAN_OBJECTS):
        return "spans"
    return None


def specs_from_names(names: str | Sequence[str]) -> list[ControlSpec]:
    """Controls named without a config: each one's kind is read from the ``type`` of its result items."""
    return [ControlSpec(name) for name in ([names] if isinstance(names, str) else names)]


def annotations_from_tasks(tasks: Iterable[Mapping[str, Any]]) -> Iterator[Annotation]:
    """``(task_id, annotator, result)`` for every annotation of Label Studio task dicts that was not
    cancelled. The annotator is ``completed_by``'s ``email`` when it is an object, else ``completed_by``."""
    for task in tasks:
        for annotation in task.get("annotations") or ():
            if annotation.get("was_cancelled"):
                continue
            who = annotation.get("completed_by")
            if isinstance(who, Mapping):
                who = who.get("email", who.get("id"))
            yield task["id"], who, annotation.get("result")


# -- the answers of one control ---------------------------------------------------------------------------


@dataclass
class Answers:
    """What every annotator answered for one control, as flat columns (one entry per answer or region).

    * choices: ``values`` holds a tuple of the chosen values per (task, annotator);
    * rating: ``values`` holds the number;
    * regions: one entry per region and label: ``labels``, ``items`` (``item_index``), ``boxes``
      (x0, y0, x1, y1 in percent, the bounding box) and ``polygons`` (None for an axis-aligned box);
    * spans: one entry per span and label: ``labels``, ``starts``, ``ends``.

    ``answered`` lists each (task, annotator) that gave this control at least one item, with the number
    of entries.
    """

    spec: ControlSpec
    kind: Kind
    tasks: list[Hashable] = field(default_factory=list)
    annotators: list[Hashable] = field(default_factory=list)
    values: list[Any] = field(default_factory=list)
    labels: list[Hashable] = field(default_factory=list)
    items: list[int] = field(default_factory=list)
    boxes: list[tuple[float, float, float, float]] = field(default_factory=list)
    polygons: list[list[Point] | None] = field(default_factory=list)
    starts: list[float] = field(default_factory=list)
    ends: list[float] = field(default_factory=list)
    answered: dict[tuple[Hashable, Hashable], int] = field(default_factory=dict)


@dataclass
class Reading:
    """The answers of every measured control, and every (task, annotator) that submitted something."""

    controls: dict[str, Answers]
    submitted: list[tuple[Hashable, Hashable]]


def read_answers(annotations: Iterable[Annotation], specs: Sequence[ControlSpec]) -> Reading:
    """Check and collect the answers to ``specs`` (see :class:`Answers`); raises
    :class:`AgreementInputError` naming the task, annotator and field of a bad one."""
    readers = {spec.name: _Reader(spec) for spec in specs}
    # the newest annotation of each (task, annotator): its place in the stream
    newest: dict[tuple[Hashable, Hashable], int] = {}
    superseded = False
    for seq, annotation in enumerate(annotations):
        if not isinstance(annotation, (tuple, list)) or len(annotation) != 3:
            raise AgreementInputError(
                f"annotation #{seq} must be (task_id, annotator, result), not {annotation!r:.80}"
            )
        task, annotator, result = annotation
        if result is None:
            continue
        if not isinstance(result, (list, tuple)):
            raise AgreementInputError(
                f"result must be a list of result items, not {type(result).__name__}",
                task=task, annotator=annotator, field="result",
            )  # fmt: skip
        if not result:
            continue
        key = (task, annotator)
        superseded = superseded or key in newest
        newest[key] = seq
        position = 0
        try:
            for position, item in enumerate(result):  # noqa: B007 - the error below names the item
                reader = readers.get(items.mapping(item, "", "a result item").get("from_name"))  # type: ignore[arg-type]
                if reader is not None:
                    reader.add(key, item, seq)
        except items.BadValue as bad:
            field = f"result[{position}]{bad.field}"
            raise AgreementInputError(bad.message, task=task, annotator=annotator, field=field) from None
    stale = newest if superseded else None
    return Reading({name: reader.finish(stale) for name, reader in readers.items()}, list(newest))


class _Reader:
    """Collects one control's answers, item by item (bad values raise :class:`items.BadValue`)."""

    def __init__(self, spec: ControlSpec) -> None:
        self.spec = spec
        self.kind: Kind | None = spec.kind
        self.types = RESULT_TYPES[spec.kind] if spec.kind is not None else frozenset()
        self.answers = Answers(spec, spec.kind or "choices")
        #: the annotation (its place in the stream) each (task, annotator)'s answer came from
        self.source: dict[tuple[Hashable, Hashable], int] = {}
        #: choices and ratings: the one answer of each (task, annotator)
        self.single: dict[tuple[Hashable, Hashable], Any] = {}
        #: regions and spans: the annotation each entry came from
        self.entry_source: list[int] = []

    def _learn_kind(self, result_type: Any) -> None:
        """Named without a config: the control's first item says what it is."""
        kind = _KIND_OF_TYPE.get(result_type)
        if kind is None:
            raise items.BadValue(
                f"control {self.spec.name!r} gives {result_type!r} results; agreement is measured for "
                f"{', '.join(sorted(_KIND_OF_TYPE))}",
                ".type",
            )
        self.kind, self.types = kind, RESULT_TYPES[kind]
        self.answers = Answers(self.spec, kind)

    def add(self, key: tuple[Hashable, Hashable], item: Mapping[str, Any], seq: int) -> None:
        """Take one result item of this control from annotation ``seq``, by ``key`` = (task, annotator)."""
        result_type = item.get("type")
        if self.kind is None:
            self._learn_kind(result_type)
        if result_type not in self.types:
            raise items.BadValue(
                f"control {self.spec.name!r} gives {'/'.join(sorted(self.types))} results, not {result_type!r}",
                ".type",
            )
        value = items.mapping(item.get("value"), ".value")
        answers = self.answers
        fresh = self.source.get(key) != seq  # the first item of this control in this annotation
        self.source[key] = seq
        if self.kind == "choices" or self.kind == "rating":
            if not fresh:
                raise items.BadValue(
                    f"control {self.spec.name!r} has several items in one annotation; agreement compares one "
                    "answer per task (perRegion and perItem classifications are not measured)",
                    "",
                )
            if self.kind == "rating":
                self.single[key] = items.number(value, "rating", ".value")
            else:
                self.single[key] = items.choices(value, self.spec.multiple is False, self.spec.name)
            return
        labels = items.labels(value, result_type)
        task, annotator = key
        if self.kind == "regions":
            bounds, outline = items.shape(item, value, result_type)
            image = items.item_index(item)
            for label in labels:
                answers.tasks.append(task)
                answers.annotators.append(annotator)
                answers.labels.append(label)
                answers.items.append(image)
                answers.boxes.append(bounds)
                answers.polygons.append(outline)
        else:
            start, end = items.span(value, result_type)
            for label in labels:
                answers.tasks.append(task)
                answers.annotators.append(annotator)
                answers.labels.append(label)
                answers.starts.append(start)
                answers.ends.append(end)
        self.entry_source.extend([seq] * len(labels))
        answers.answered[key] = (0 if fresh else answers.answered[key]) + len(labels)

    def finish(self, newest: Mapping[tuple[Hashable, Hashable], int] | None) -> Answers:
        """The collected answers; with ``newest`` (some annotator annotated a task twice), only those of
        each (task, annotator)'s newest annotation."""
        answers = self.answers
        if newest is not None:
            stale = {key for key, seq in self.source.items() if newest[key] != seq}
            for key in stale:
                self.single.pop(key, None)
                answers.answered.pop(key, None)
            if stale and self.entry_source:
                self._drop_stale_entries(newest)
        if answers.kind == "choices":
            multiple = self.spec.multiple
            if multiple is None:
                multiple = any(len(chosen) > 1 for chosen in self.single.values())
            answers.spec = ControlSpec(self.spec.name, "choices", multiple, self.spec.labels)
        for key, value in self.single.items():
            if answers.kind == "choices" and not value:
                continue  # no choice made: no answer
            answers.tasks.append(key[0])
            answers.annotators.append(key[1])
            answers.values.append(value)
            answers.answered[key] = 1
        return answers

    def _drop_stale_entries(self, newest: Mapping[tuple[Hashable, Hashable], int]) -> None:
        answers = self.answers
        keep = [
            k
            for k, (task, annotator, seq) in enumerate(
                zip(answers.tasks, answers.annotators, self.entry_source, strict=True)
            )
            if newest[(task, annotator)] == seq
        ]
        for name in ("tasks", "annotators", "labels", "items", "boxes", "polygons", "starts", "ends"):
            column = getattr(answers, name)
            if column:
                setattr(answers, name, [column[k] for k in keep])
