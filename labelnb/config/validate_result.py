"""Result item checks: does a list of Label Studio result items (regions) fit the config?

Shapes follow Label Studio 1.22 (see the compatibility reference, sections B.3-B.5). Fields labelnb does not
know (``meta``, ``score``, ``origin``, ``readonly``, ``parentID``, ``original_width`` ...) are always allowed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .errors import ResultError
from .model import ControlTag, ObjectTag
from .paths import Templates, substitute
from .result_values import ValueChecks, closest_hint, is_int, quoted
from .tags import LABELS_CONTROLS, TAGS

_RELATION_DIRECTIONS = ("right", "left", "bi")

# Result type -> shape family of its value.
_SHAPES = {
    "rectangle": "rect",
    "rectanglelabels": "rect",
    "ocrlabels": "rect",
    "ellipse": "ellipse",
    "ellipselabels": "ellipse",
    "polygon": "polygon",
    "polygonlabels": "polygon",
    "keypoint": "keypoint",
    "keypointlabels": "keypoint",
    "brush": "brush",
    "brushlabels": "brush",
    "magicwand": "brush",
    "bitmask": "bitmask",
    "bitmasklabels": "bitmask",
    "vector": "vector",
    "vectorlabels": "vector",
    "videorectangle": "videorect",
    "timelinelabels": "timeline",
    "hypertextlabels": "hypertext",
    "paragraphlabels": "paragraph",
    "timeserieslabels": "timeseries",
}
# Object tag -> shape of a generic "labels" result on it.
_LABELS_SHAPE_BY_OBJECT = {
    "Text": "text",
    "HyperText": "hypertext",
    "Paragraphs": "paragraph",
    "Audio": "audio",
    "AudioPlus": "audio",
    "TimeSeries": "timeseries",
}
# Keys that reveal the geometry of a region on an image, most specific first.
_IMAGE_KEYS = (
    ("points", "polygon"),
    ("radiusX", "ellipse"),
    ("rle", "brush"),
    ("imageDataURL", "bitmask"),
    ("vertices", "vector"),
    ("width", "rect"),
    ("x", "keypoint"),
)


@dataclass
class ResultContext:
    """What result validation needs from a config."""

    objects: dict[str, ObjectTag]
    controls: dict[str, ControlTag]
    relations: ControlTag | None
    templates_controls: Templates
    templates_objects: Templates


class _ItemChecker(ValueChecks):
    def __init__(self, ctx: ResultContext, data: Mapping[str, Any] | None, *, draft: bool = False) -> None:
        super().__init__(data, draft=draft)
        self.ctx = ctx
        # Repeater flag values of the item being checked ({"{{idx}}": "3"}).
        self.mapping: dict[str, str] = {}

    # -- resolution ---------------------------------------------------------------------------------
    def control(self, i: int, from_name: Any) -> tuple[ControlTag, dict[str, str]]:
        if not isinstance(from_name, str) or not from_name:
            raise self.fail(i, "from_name", f"from_name must be the name of a control tag, not {from_name!r}")
        control = self.ctx.controls.get(from_name)
        if control is not None:
            return control, {}
        matched = self.ctx.templates_controls.match(from_name)
        if matched is not None:
            return self.ctx.controls[matched[0]], matched[1]
        names = list(self.ctx.controls)
        raise self.fail(
            i,
            "from_name",
            f"from_name {from_name!r} names no control tag; controls here are: {quoted(names)}"
            f"{closest_hint(from_name, names)}",
        )

    def obj(self, name: str) -> ObjectTag | None:
        found = self.ctx.objects.get(name)
        if found is not None:
            return found
        matched = self.ctx.templates_objects.match(name)
        return self.ctx.objects[matched[0]] if matched else None

    # -- the item -----------------------------------------------------------------------------------
    def check(self, i: int, item: Any) -> None:
        if not isinstance(item, Mapping):
            raise self.fail(
                i, None, f"each result item must be a dict (JSON object), not {type(item).__name__}"
            )
        rtype = item.get("type")
        if not isinstance(rtype, str) or not rtype:
            raise self.fail(i, "type", f"type must be a result type such as 'choices', not {rtype!r}")
        if "id" in item and not (isinstance(item["id"], str) or is_int(item["id"])):
            raise self.fail(i, "id", f"id must be a string, not {item['id']!r}")
        if (
            "item_index" in item
            and item["item_index"] is not None
            and not (is_int(item["item_index"]) and item["item_index"] >= 0)
        ):
            raise self.fail(
                i, "item_index", f"item_index must be a whole number >= 0, not {item['item_index']!r}"
            )
        value = item.get("value")
        if not isinstance(value, Mapping):
            raise self.fail(i, "value", f"value must be a dict (JSON object), not {value!r}")
        if rtype == "chatmessage":
            self.check_chat(i, item, value)
            return
        control, self.mapping = self.control(i, item.get("from_name"))
        to_names = tuple(substitute(t, self.mapping) for t in control.to_name)
        target = item.get("to_name")
        if not isinstance(target, str) or not target:
            raise self.fail(i, "to_name", f"to_name must name an object tag, one of {quoted(to_names)}")
        parts = [p.strip() for p in target.split(",")]
        own = control.tag == "Pairwise" and target == item.get("from_name")
        if not own and not all(p in to_names for p in parts):
            raise self.fail(
                i,
                "to_name",
                f"to_name {target!r} is not a target of control {item.get('from_name')!r}; its toName is "
                f"{quoted(to_names)}",
            )
        obj = None if own else self.obj(parts[0])
        self.check_type(i, rtype, control, to_names)
        self.check_value(i, rtype, value, control, obj, to_names)

    def check_type(self, i: int, rtype: str, control: ControlTag, to_names: tuple[str, ...]) -> None:
        allowed = {control.type}
        spec = TAGS[control.tag]
        if control.tag in LABELS_CONTROLS:
            allowed.add("labels")
        if control.tag == "Labels":
            # A generic <Labels> next to a drawing tool labels that tool's regions ("rectanglelabels").
            for other in self.ctx.controls.values():
                tool = TAGS[other.tag].geometry and other.tag not in LABELS_CONTROLS
                if tool and set(other.to_name) & set(control.to_name):
                    allowed.add(f"{other.type}labels")
        elif spec.geometry and control.tag not in LABELS_CONTROLS:
            allowed.add(f"{control.type}labels")
        if rtype not in allowed:
            raise self.fail(
                i,
                "type",
                f"type {rtype!r} does not match control {control.name!r} (<{control.tag}>), which produces "
                f"{quoted(sorted(allowed))}",
            )

    # -- values -------------------------------------------------------------------------------------
    def check_value(
        self,
        i: int,
        rtype: str,
        value: Mapping[str, Any],
        control: ControlTag,
        obj: ObjectTag | None,
        to_names: tuple[str, ...],
    ) -> None:
        shape = _SHAPES.get(rtype)
        if rtype == "labels" and obj is not None:
            shape = _LABELS_SHAPE_BY_OBJECT.get(obj.tag)
            if shape is None and obj.tag == "Image":
                geometry = TAGS[control.tag].geometry
                shape = _SHAPES.get(geometry or "") or next(
                    (s for key, s in _IMAGE_KEYS if key in value), None
                )
            elif shape is None and obj.tag == "Video":
                shape = "videorect" if "sequence" in value else "timeline" if "ranges" in value else None
        if shape is not None:
            getattr(self, f"shape_{shape}")(i, value, obj)
        elif obj is not None and obj.tag == "Image":
            self.region_geometry(i, value)
        checker = getattr(self, f"type_{rtype}", None)
        if checker is not None:
            checker(i, value, control, obj)
        if rtype.endswith("labels") or (rtype == "videorectangle" and "labels" in value):
            self.check_labels(i, rtype, value, control, to_names)

    def check_labels(
        self, i: int, rtype: str, value: Mapping[str, Any], control: ControlTag, to_names: tuple[str, ...]
    ) -> None:
        key = rtype if rtype in value else "labels"
        if key not in value:
            raise self.fail(
                i, f"value.{rtype}", f"value.{rtype} is missing; it holds the region's labels, e.g. ['Cat']"
            )
        labels = self.text_list(i, value, key)
        if control.tag in LABELS_CONTROLS:
            sources = [control]
            if control.single and len(labels) > 1:
                raise self.fail(
                    i,
                    f"value.{key}",
                    f'control {control.name!r} allows one label per region (choice="{control.choice}"), '
                    f'got {len(labels)}; set choice="multiple" to allow more',
                )
        else:
            sources = [
                c
                for c in self.ctx.controls.values()
                if c.tag in LABELS_CONTROLS
                and {substitute(t, self.mapping) for t in c.to_name} & set(to_names)
            ]
        if any(c.dynamic_labels for c in sources):
            return
        known: list[str] = []
        for source in sources:
            known.extend(label for label in source.labels if label not in known)
        for pos, label in enumerate(labels):
            if label not in known:
                raise self.fail(
                    i,
                    f"value.{key}[{pos}]",
                    f"label {label!r} is not in the label set of {control.name!r}: {quoted(known)}"
                    f"{closest_hint(label, known)}",
                )

    def check_chat(self, i: int, item: Mapping[str, Any], value: Mapping[str, Any]) -> None:
        name = item.get("from_name")
        obj = self.ctx.objects.get(name) if isinstance(name, str) else None
        if obj is None or obj.tag != "Chat":
            chats = [o.name for o in self.ctx.objects.values() if o.tag == "Chat"]
            raise self.fail(
                i,
                "from_name",
                f"a chatmessage result must name a <Chat> tag; chats here are: {quoted(chats)}",
            )
        if item.get("to_name") != name:
            raise self.fail(i, "to_name", f"a chatmessage result has to_name equal to from_name ({name!r})")
        message = value.get("chatmessage")
        if not isinstance(message, Mapping) or not isinstance(message.get("role"), str):
            raise self.fail(i, "value.chatmessage", "value.chatmessage must be an object {role, content}")
        if not isinstance(message.get("content"), str):
            raise self.fail(i, "value.chatmessage.content", "value.chatmessage.content must be a string")

    # relations ---------------------------------------------------------------------------------------
    def check_relation(self, i: int, item: Mapping[str, Any], ids: set[Any]) -> None:
        for key in ("from_id", "to_id"):
            got = item.get(key)
            if not (isinstance(got, str) or is_int(got)):
                raise self.fail(i, key, f"{key} must be the id of a region in this result, not {got!r}")
            if got not in ids:
                raise self.fail(
                    i,
                    key,
                    f"{key} {got!r} refers to no region in this result list; relations link regions by id",
                )
        direction = item.get("direction", "right")
        if direction not in _RELATION_DIRECTIONS:
            raise self.fail(
                i, "direction", f"direction must be one of {quoted(_RELATION_DIRECTIONS)}, not {direction!r}"
            )
        labels = item.get("labels")
        if labels is None:
            return
        if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
            raise self.fail(i, "labels", "labels of a relation must be a list of strings")
        known = self.ctx.relations.labels if self.ctx.relations is not None else ()
        for pos, label in enumerate(labels):
            if label not in known:
                raise self.fail(
                    i,
                    f"labels[{pos}]",
                    f"relation label {label!r} is not defined; add <Relation value={label!r}/> inside <Relations>"
                    if not known
                    else f"relation label {label!r} is not one of {quoted(known)}",
                )


def validate_results(
    ctx: ResultContext,
    items: Sequence[Mapping[str, Any]],
    data: Mapping[str, Any] | None,
    *,
    draft: bool = False,
) -> None:
    """Check every item of a result list against the config; raise :class:`ResultError` on the first problem.

    ``draft``: the list is unfinished work (see :class:`ValueChecks`).
    """
    if isinstance(items, (str, bytes)) or not isinstance(items, Sequence):
        raise ResultError(f"a result must be a list of result items, not {type(items).__name__}")
    checker = _ItemChecker(ctx, data, draft=draft)
    relations: list[tuple[int, Mapping[str, Any]]] = []
    ids: set[Any] = set()
    for index, item in enumerate(items):
        if isinstance(item, Mapping) and item.get("type") == "relation":
            relations.append((index, item))
            continue
        checker.check(index, item)
        if "id" in item:
            ids.add(item["id"])
    for index, item in relations:
        checker.check_relation(index, item, ids)
