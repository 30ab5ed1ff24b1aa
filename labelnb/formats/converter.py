"""Label Studio's converter semantics: export tasks -> one item per annotation with prettified values.

This is the shared first step of the json_min and csv/tsv exports (Label Studio's
``Converter.annotation_result_from_task`` and ``prettify_result``), written again here over iterables of
export task dicts so that it streams and needs no files.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from labelnb.config import LabelConfig

CHAT_TYPES = ("Chat", "chatmessage")


@dataclass(slots=True)
class AnnotationItem:
    """One output row of the converter: a task with one of its annotations (or with none).

    Attributes:
        task: the export task dict.
        annotation: the annotation, or None for a task that has no annotations at all.
        outputs: ``from_name`` -> list of value dicts (a copy of each result's ``value`` plus its
            ``original_width``/``original_height``), for results of controls the config knows.
        tags: ``from_name`` -> the control's tag name as written in the config (``"Choices"``...).
    """

    task: Mapping[str, Any]
    annotation: Mapping[str, Any] | None
    outputs: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    tags: dict[str, str] = field(default_factory=dict)


def _created(annotation: Mapping[str, Any]) -> str:
    value = annotation.get("created_at")
    return "" if value is None else str(value)


def live_annotations(task: Mapping[str, Any]) -> list[Mapping[str, Any]] | None:
    """The task's annotations that were not cancelled, newest first (``created_at`` descending).

    Returns None when the task has neither ``annotations`` nor legacy ``completions``. The sort is stable,
    so annotations with equal ``created_at`` keep their order.
    """
    if "annotations" in task:
        annotations = task["annotations"]
    elif "completions" in task:
        annotations = task["completions"]
    else:
        return None
    live = [a for a in annotations or () if not (a.get("skipped") or a.get("was_cancelled"))]
    if len(live) > 1:
        live.sort(key=_created, reverse=True)
    return live


class ControlTags(dict[str, str]):
    """``from_name`` -> tag name for every control of ``config``, and for the copies a ``Repeater`` makes
    (``choice_3`` of ``choice_{{idx}}``), which Label Studio's converter drops."""

    def __init__(self, config: LabelConfig) -> None:
        super().__init__((name, control.tag) for name, control in config.controls.items())
        self._config = config

    def get(self, name: str, default: Any = None) -> Any:
        found = super().get(name)
        if found is None and isinstance(name, str):
            control = self._config.control_for(name)
            found = control.tag if control is not None else None
        return default if found is None else found


def control_tags(config: LabelConfig) -> ControlTags:
    """``from_name`` -> tag name for every control of ``config`` (Repeater copies included)."""
    return ControlTags(config)


def collect_outputs(
    result: Iterable[Mapping[str, Any]], tags: Mapping[str, str]
) -> tuple[dict[str, list[dict[str, Any]]], dict[str, str]]:
    """Group result items' values by ``from_name`` as the converter does.

    Results of unknown controls are dropped, except ``chatmessage`` items; a config without controls
    (a custom interface) keeps everything under the result's own ``type``.
    """
    outputs: dict[str, list[dict[str, Any]]] = {}
    used: dict[str, str] = {}
    for item in result:
        name = item.get("from_name")
        if not name:
            continue
        tag = tags.get(name)
        if tag is None:
            if item.get("type") == "chatmessage":
                tag = "chatmessage"
            elif not tags:
                tag = item.get("type") or "unknown"
            else:
                continue
        value = item.get("value")
        v = dict(value) if isinstance(value, dict) else {}
        v.pop("type", None)
        if tag != "chatmessage":
            if "original_width" in item:
                v["original_width"] = item["original_width"]
            if "original_height" in item:
                v["original_height"] = item["original_height"]
        outputs.setdefault(name, []).append(v)
        used[name] = tag
    return outputs, used


def annotation_items(tasks: Iterable[Mapping[str, Any]], config: LabelConfig) -> Iterator[AnnotationItem]:
    """One item per non-cancelled annotation, newest first within a task; one empty item per task
    without annotations; nothing for tasks whose annotations were all cancelled (as Label Studio).
    """
    tags = control_tags(config)
    for task in tasks:
        live = live_annotations(task)
        if live is None:
            continue
        if not task.get("annotations", task.get("completions")):
            yield AnnotationItem(task, None)
            continue
        for annotation in live:
            outputs, used = collect_outputs(annotation.get("result") or (), tags)
            yield AnnotationItem(task, annotation, outputs, used)


def prettify(tag: str, values: list[dict[str, Any]]) -> Any:
    """The converter's compact form of one control's values.

    A single Choices value with one choice becomes that choice; a single TextArea value with one text
    becomes that text; chat messages become their message; anything else stays a list of value dicts.
    """
    out: list[Any] = []
    for v in values:
        if tag == "Choices" and _one(v.get("choices")):
            out.append(v["choices"][0])
        elif tag == "TextArea" and _one(v.get("text")):
            out.append(v["text"][0])
        elif tag in CHAT_TYPES:
            out.append(v.get("chatmessage", v))
        else:
            out.append(v)
    if tag in ("Choices", "TextArea") and len(out) == 1:
        return out[0]
    return out


def _one(value: Any) -> bool:
    return isinstance(value, (list, str)) and len(value) == 1


def annotator(completed_by: Any, *, int_id: bool = False) -> Any:
    """``completed_by`` as the converter writes it: the e-mail of a user dict, else the id as text.

    With ``int_id`` (json_min) an integer id stays an integer.
    """
    if isinstance(completed_by, dict):
        return completed_by.get("email")
    if int_id and isinstance(completed_by, int):
        return completed_by
    return str(completed_by)
