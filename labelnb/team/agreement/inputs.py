"""Reading annotations for agreement: which controls to measure, and each answer's value, checked.

An annotation is ``(task_id, annotator, result)``: ``result`` is a Label Studio result list (a list of
result item dicts) or None for a cancelled (skipped) annotation. Cancelled annotations and empty result
lists are left out, as Label Studio leaves them out of its statistics; :func:`annotations_from_tasks`
reads Label Studio task dicts (an export, or the store's tasks) into that shape.

When an annotator has several annotations of the same task, the last one given counts.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from labelnb.config import LabelConfig

from .geometry import Point, box_polygon

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

    ``answered`` lists each (task, annotator) that gave this control at least one item.
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
    latest: dict[tuple[Hashable, Hashable], Sequence[Mapping[str, Any]]] = {}
    for position, annotation in enumerate(annotations):
        if not isinstance(annotation, (tuple, list)) or len(annotation) != 3:
            raise AgreementInputError(
                f"annotation #{position} must be (task_id, annotator, result), not {annotation!r:.80}"
            )
        task, annotator, result = annotation
        if result is None:
            continue
        if not isinstance(result, (list, tuple)):
            raise AgreementInputError(
                f"result must be a list of result items, not {type(result).__name__}",
                task=task,
                annotator=annotator,
                field="result",
            )
        if result:
            latest[(task, annotator)] = result
    readers = {spec.name: _Reader(spec) for spec in specs}
    for (task, annotator), result in latest.items():
        for position, item in enumerate(result):
            if not isinstance(item, Mapping):
                raise AgreementInputError(
                    f"a result item must be an object, not {type(item).__name__}",
                    task=task, annotator=annotator, field=f"result[{position}]",
                )  # fmt: skip
            reader = readers.get(item.get("from_name"))  # type: ignore[arg-type]
            if reader is not None:
                reader.add(task, annotator, item, f"result[{position}]")
    return Reading({name: reader.finish() for name, reader in readers.items()}, list(latest))


def _number(
    value: Mapping[str, Any], key: str, where: str, context: dict[str, Any], default: float | None = None
) -> float:
    raw = value.get(key, default)
    if isinstance(raw, bool) or not isinstance(raw, (int, float)) or not math.isfinite(raw):
        raise AgreementInputError(
            f"{key} must be a finite number, not {raw!r}", field=f"{where}.{key}", **context
        )
    return float(raw)


class _Reader:
    """Collects one control's answers, item by item."""

    def __init__(self, spec: ControlSpec) -> None:
        self.spec = spec
        self.kind: Kind | None = spec.kind
        self.answers: Answers | None = None
        self.choice_values: dict[tuple[Hashable, Hashable], tuple[Hashable, ...]] = {}

    def add(self, task: Hashable, annotator: Hashable, item: Mapping[str, Any], where: str) -> None:
        context = {"task": task, "annotator": annotator}
        result_type = item.get("type")
        if self.kind is None:  # named without a config: the first item says what the control is
            self.kind = _KIND_OF_TYPE.get(result_type)  # type: ignore[arg-type]
            if self.kind is None:
                raise AgreementInputError(
                    f"control {self.spec.name!r} gives {result_type!r} results; agreement is measured for "
                    f"{', '.join(sorted(_KIND_OF_TYPE))}",
                    field=f"{where}.type", **context,
                )  # fmt: skip
        if result_type not in RESULT_TYPES[self.kind]:
            raise AgreementInputError(
                f"control {self.spec.name!r} gives {'/'.join(sorted(RESULT_TYPES[self.kind]))} results, "
                f"not {result_type!r}",
                field=f"{where}.type", **context,
            )  # fmt: skip
        value = item.get("value")
        if not isinstance(value, Mapping):
            raise AgreementInputError("value must be an object", field=f"{where}.value", **context)
        answers = self._answers()
        key = (task, annotator)
        if self.kind in ("choices", "rating"):
            if key in answers.answered or key in self.choice_values:
                raise AgreementInputError(
                    f"control {self.spec.name!r} has several items in one annotation; agreement compares one "
                    "answer per task (perRegion and perItem classifications are not measured)",
                    field=where, **context,
                )  # fmt: skip
            if self.kind == "rating":
                answers.tasks.append(task)
                answers.annotators.append(annotator)
                answers.values.append(_number(value, "rating", f"{where}.value", context))
                answers.answered[key] = 1
            else:
                chosen = self._choices(value, f"{where}.value", context)
                if chosen:
                    self.choice_values[key] = chosen
            return
        labels = self._labels(value, str(result_type), f"{where}.value", context)
        if self.kind == "regions":
            shape = self._shape(item, value, str(result_type), f"{where}.value", context)
            for label in labels:
                answers.tasks.append(task)
                answers.annotators.append(annotator)
                answers.labels.append(label)
                answers.items.append(_item_index(item, where, context))
                answers.boxes.append(shape[0])
                answers.polygons.append(shape[1])
        else:
            start, end = self._span(value, str(result_type), f"{where}.value", context)
            for label in labels:
                answers.tasks.append(task)
                answers.annotators.append(annotator)
                answers.labels.append(label)
                answers.starts.append(start)
                answers.ends.append(end)
        answers.answered[key] = answers.answered.get(key, 0) + len(labels)

    def _answers(self) -> Answers:
        if self.answers is None:
            assert self.kind is not None
            self.answers = Answers(self.spec, self.kind)
        return self.answers

    def _choices(self, value: Mapping[str, Any], where: str, context: dict[str, Any]) -> tuple[Hashable, ...]:
        chosen = value.get("choices")
        if not isinstance(chosen, list):
            raise AgreementInputError(
                f"choices must be a list, not {chosen!r:.60}", field=f"{where}.choices", **context
            )
        out: list[Hashable] = []
        for choice in chosen:
            if isinstance(choice, str):
                out.append(choice)
            elif isinstance(choice, list) and all(isinstance(part, str) for part in choice):
                out.append(tuple(choice))  # a nested choice: its path from the root
            else:
                raise AgreementInputError(
                    f"a choice must be a string (or a path of strings), not {choice!r:.60}",
                    field=f"{where}.choices", **context,
                )  # fmt: skip
        if self.spec.multiple is False and len(out) > 1:
            raise AgreementInputError(
                f"single-choice control {self.spec.name!r} has {len(out)} choices",
                field=f"{where}.choices", **context,
            )  # fmt: skip
        return tuple(out)

    @staticmethod
    def _labels(
        value: Mapping[str, Any], result_type: str, where: str, context: dict[str, Any]
    ) -> list[Hashable]:
        key = result_type if result_type in value else "labels"
        labels = value.get(key)
        if labels is None:
            return [None]  # an unlabelled region (Rectangle, Polygon): it matches unlabelled ones
        if not isinstance(labels, list) or not all(isinstance(label, str) for label in labels):
            raise AgreementInputError(
                f"{key} must be a list of strings, not {labels!r:.60}", field=f"{where}.{key}", **context
            )
        return list(dict.fromkeys(labels)) or [None]

    @staticmethod
    def _shape(
        item: Mapping[str, Any],
        value: Mapping[str, Any],
        result_type: str,
        where: str,
        context: dict[str, Any],
    ) -> tuple[tuple[float, float, float, float], list[Point] | None]:
        if result_type.startswith("rectangle"):
            x, y = _number(value, "x", where, context), _number(value, "y", where, context)
            w, h = _number(value, "width", where, context), _number(value, "height", where, context)
            rotation = _number(value, "rotation", where, context, default=0.0)
            if rotation % 360 == 0:
                return (min(x, x + w), min(y, y + h), max(x, x + w), max(y, y + h)), None
            corners = box_polygon(x, y, w, h, rotation, _aspect(item))
        else:
            points = value.get("points")
            if not isinstance(points, list):
                raise AgreementInputError(
                    f"points must be a list of [x, y], not {points!r:.60}", field=f"{where}.points", **context
                )
            corners = []
            for k, point in enumerate(points):
                if not isinstance(point, (list, tuple)) or len(point) != 2:
                    raise AgreementInputError(
                        f"a point must be [x, y], not {point!r:.60}", field=f"{where}.points[{k}]", **context
                    )
                corners.append((_number({"x": point[0]}, "x", f"{where}.points[{k}]", context),
                                _number({"y": point[1]}, "y", f"{where}.points[{k}]", context)))  # fmt: skip
        if not corners:
            return (0.0, 0.0, 0.0, 0.0), corners
        xs, ys = [c[0] for c in corners], [c[1] for c in corners]
        return (min(xs), min(ys), max(xs), max(ys)), corners

    @staticmethod
    def _span(
        value: Mapping[str, Any], result_type: str, where: str, context: dict[str, Any]
    ) -> tuple[float, float]:
        source, path = value, where
        if result_type == "hypertextlabels" or not isinstance(value.get("start"), (int, float)):
            offsets = value.get("globalOffsets")
            if not isinstance(offsets, Mapping):
                raise AgreementInputError(
                    "a HyperText span needs globalOffsets {start, end} (code points in the whole text) to "
                    "be compared",
                    field=f"{where}.globalOffsets", **context,
                )  # fmt: skip
            source, path = offsets, f"{where}.globalOffsets"
        start, end = _number(source, "start", path, context), _number(source, "end", path, context)
        if end < start:
            raise AgreementInputError(
                f"the span ends ({end:g}) before it starts ({start:g})", field=f"{path}.end", **context
            )
        return start, end

    def finish(self) -> Answers:
        answers = self._answers() if self.kind is not None else Answers(self.spec, "choices")
        if answers.kind == "choices":
            multiple = self.spec.multiple
            if multiple is None:
                multiple = any(len(chosen) > 1 for chosen in self.choice_values.values())
            answers.spec = ControlSpec(self.spec.name, "choices", multiple, self.spec.labels)
            for (task, annotator), chosen in self.choice_values.items():
                answers.tasks.append(task)
                answers.annotators.append(annotator)
                answers.values.append(chosen)
                answers.answered[(task, annotator)] = 1
        return answers


def _item_index(item: Mapping[str, Any], where: str, context: dict[str, Any]) -> int:
    index = item.get("item_index", 0)
    if index is None:
        return 0
    if isinstance(index, bool) or not isinstance(index, int):
        raise AgreementInputError(
            f"item_index must be an integer, not {index!r}", field=f"{where}.item_index", **context
        )
    return index


def _aspect(item: Mapping[str, Any]) -> float:
    """The image's width over its height, when the item says its size (else 1: a square image)."""
    width, height = item.get("original_width"), item.get("original_height")
    if isinstance(width, (int, float)) and isinstance(height, (int, float)) and width > 0 and height > 0:
        return float(width) / float(height)
    return 1.0
