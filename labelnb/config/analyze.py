"""Config-level rules: walk a :class:`Tag` tree, check it, and collect its objects, controls and data keys."""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from .errors import ConfigError
from .model import ControlTag, ObjectTag, Tag
from .paths import Templates, base_key, data_ref, split_path
from .tags import TAGS, VISIBLE_WHEN

DEFAULT_INDEX_FLAG = "{{idx}}"
_CHOICE_MODES = {"single", "single-radio", "multiple"}
# Controls that Label Studio's editor registers as object types (``Registry.addObjectType``): they count as
# objects when it decides whether a missing toName can be filled in.
_OBJECT_LIKE_CONTROLS = frozenset({"Pairwise", "Ranker"})


_Default = TypeVar("_Default", bool, None)


def bool_attr(value: str | None, default: _Default) -> bool | _Default:
    """A boolean attribute: ``true`` / ``false`` (any case, spaces around ignored), else ``default``.

    The one reading of boolean attributes in labelnb (:func:`is_true`, the tag tree's controls and
    :mod:`labelnb.config.control_model` all use it). Label Studio's editor turns exactly ``"true"`` and
    ``"false"`` into booleans (``attrsToProps`` in ``web/libs/editor/src/core/Tree.tsx``) and refuses any other
    text in a boolean attribute (``ConfigValidator.validateAttributes`` in
    ``web/libs/editor/src/core/DataValidator/ConfigValidator.js``: ``"1"``, ``"yes"`` and ``""`` are type
    errors), so ``"1"`` is never true; an absent attribute takes the tag's default.
    """
    if value is None:
        return default
    text = value.strip().lower()
    if text == "true":
        return True
    if text == "false":
        return False
    return default


def is_true(value: str | None) -> bool:
    """Label Studio's reading of a boolean attribute that defaults to false: the text ``true`` (any case)."""
    return bool_attr(value, False)


@dataclass(frozen=True)
class DataRef:
    """One reference to task data: attribute ``attr`` of ``node`` reads ``$path``."""

    path: str
    attr: str
    node: Tag
    types: tuple[type, ...]
    templated: bool


@dataclass
class Analysis:
    """What :func:`analyse` found in a tree."""

    objects: dict[str, ObjectTag] = field(default_factory=dict)
    controls: dict[str, ControlTag] = field(default_factory=dict)
    relations: ControlTag | None = None
    refs: list[DataRef] = field(default_factory=list)
    data_keys: list[str] = field(default_factory=list)
    has_repeater: bool = False
    has_dynamic: bool = False


def _err(node: Tag, message: str) -> ConfigError:
    return ConfigError(message, node.line, node.column)


def _quoted(names: Iterable[str]) -> str:
    items = [repr(n) for n in names]
    return ", ".join(items) if items else "(none)"


def _suggest(name: str, candidates: Iterable[str]) -> str:
    match = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.5)
    return f" (did you mean {match[0]!r}?)" if match else ""


def _split_names(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    return tuple(part.strip() for part in value.split(",") if part.strip())


_REQUIRED_HINTS = {
    "name": 'a name attribute: a unique identifier such as name="{tag_lower}"',
    "toName": 'a toName attribute: the name of the object tag it labels, e.g. toName="image"',
    "value": 'a value attribute, e.g. value="$field" to show the task data field "field"',
    "value|valueList": 'a value attribute naming the task data field to show, e.g. value="$image"',
    "on": 'an on attribute naming a task data list to repeat over, e.g. on="$pages"',
    "column": 'a column attribute naming the data column to plot, e.g. column="value"',
}
_CHILD_VALUE_HINT = 'a value attribute: the text of the {tag_lower}, e.g. value="Positive"'


def _check_required(node: Tag) -> None:
    spec = TAGS[node.tag]
    for req in spec.required:
        if any(node.attrs.get(attr, "").strip() for attr in req.split("|")):
            continue
        hint = _REQUIRED_HINTS.get(req, f"a {req} attribute")
        if req == "value" and spec.kind == "child":
            hint = _CHILD_VALUE_HINT
        raise _err(node, f"{node.describe()} needs {hint.format(tag_lower=node.tag.lower())}")


class _Walker:
    def __init__(self, root: Tag, specialised: bool) -> None:
        self.root = root
        self.specialised = specialised
        self.out = Analysis()
        self.names: dict[str, Tag] = {}
        self.object_nodes: list[Tag] = []
        # ids of object tags inside a <Repeater> (copied once per item when the config is expanded)
        self.repeated_objects: set[int] = set()
        self.control_nodes: list[Tag] = []
        self.filter_nodes: list[Tag] = []
        self.when_nodes: list[Tag] = []
        self.owned: dict[int, list[Tag]] = {}
        self.flags: list[str] = []
        self.all_flags: list[str] = []

    # -- walking ------------------------------------------------------------------------------------
    def walk(self, node: Tag, chain: list[Tag]) -> None:
        spec = TAGS[node.tag]
        parent = chain[-1] if chain else None
        if spec.parents:
            self._check_owner(node, chain)
        if parent is not None:
            allowed = TAGS[parent.tag].children
            if allowed is not None and node.tag not in allowed:
                choices = ", ".join(f"<{c}>" for c in sorted(allowed)) or "no child tags"
                raise _err(
                    node,
                    f"{node.describe()} cannot be inside {parent.describe()}, which takes {choices}; "
                    f"move it out of <{parent.tag}>",
                )
        _check_required(node)
        self._check_name(node)
        self._check_visible_when(node)
        self._collect_refs(node)
        if spec.kind == "object":
            self.object_nodes.append(node)
            if self.flags:
                self.repeated_objects.add(id(node))
        elif spec.kind == "control":
            if node.tag == "Relations" and any(n.tag == "Relations" for n in self.control_nodes):
                raise _err(node, "only one <Relations> tag is allowed; merge their <Relation> children")
            self.control_nodes.append(node)
            self.owned[id(node)] = []
        elif node.tag == "Filter":
            self.filter_nodes.append(node)
        if spec.label_child is None and node.tag in ("Label", "Choice", "Relation", "Bucket"):
            owner = next((a for a in reversed(chain) if TAGS[a.tag].kind == "control"), None)
            if owner is not None:
                self.owned[id(owner)].append(node)
        pushed = False
        if node.tag == "Repeater":
            self.out.has_repeater = True
            if data_ref(node.attrs.get("on")) is None:
                raise _err(
                    node,
                    f'on={node.attrs.get("on", "")!r} of <Repeater> must name a task data list, e.g. on="$pages"',
                )
            self.flags.append(node.attrs.get("indexFlag") or DEFAULT_INDEX_FLAG)
            self.all_flags.append(self.flags[-1])
            pushed = True
        chain.append(node)
        for child in node.children:
            self.walk(child, chain)
        chain.pop()
        if pushed:
            self.flags.pop()

    def _check_owner(self, node: Tag, chain: list[Tag]) -> None:
        spec = TAGS[node.tag]
        owner = next((a for a in reversed(chain) if a.tag != "View"), None)
        if owner is not None and owner.tag in spec.parents:
            return
        if node.tag == "Label":
            wanted = "a labels control such as <Labels>, <RectangleLabels> or <PolygonLabels>"
        elif node.tag == "Choice":
            wanted = "<Choices> or <Taxonomy>"
        else:
            wanted = " or ".join(f"<{p}>" for p in sorted(spec.parents))
        control = next((a for a in reversed(chain) if TAGS[a.tag].kind == "control"), None)
        if control is None and node.tag in ("Label", "Choice", "Relation"):
            raise _err(node, f"{node.describe()} is outside any control; put it inside {wanted}")
        where = owner.describe() if owner is not None else "the root"
        extra = ""
        if owner is not None and TAGS[owner.tag].label_child:
            extra = f" ({owner.describe()} takes <{TAGS[owner.tag].label_child}> children)"
        raise _err(node, f"{node.describe()} cannot sit in {where}{extra}; put it inside {wanted}")

    def _check_name(self, node: Tag) -> None:
        name = node.attrs.get("name")
        if name is None:
            return
        first = self.names.get(name)
        if first is not None:
            raise _err(
                node,
                f"name {name!r} is used twice: by {first.describe()} on line {first.line} and by "
                f"<{node.tag}> on line {node.line}; give each tag its own name",
            )
        self.names[name] = node
        if self.flags and not any(flag in name for flag in self.flags):
            raise _err(
                node,
                f"{node.describe()} is inside a <Repeater> but its name has no {self.flags[-1]}; every copy "
                f'would get the same name, so write name="{name}_{self.flags[-1]}"',
            )

    def _check_visible_when(self, node: Tag) -> None:
        when = node.attrs.get("visibleWhen")
        if when is not None and when not in VISIBLE_WHEN:
            raise _err(
                node,
                f"visibleWhen={when!r} of {node.describe()} is not one of {_quoted(VISIBLE_WHEN)}",
            )
        if "whenTagName" in node.attrs:
            self.when_nodes.append(node)

    def _collect_refs(self, node: Tag) -> None:
        spec = TAGS[node.tag]
        for attr, types in spec.data_attrs.items():
            path = data_ref(node.attrs.get(attr))
            if path is None:
                continue
            templated = split_path(path) is None
            self.out.refs.append(DataRef(path, attr, node, types, templated))

    # -- after the walk -----------------------------------------------------------------------------
    def finish(self) -> Analysis:
        out = self.out
        for node in self.object_nodes:
            attr = "value" if node.attrs.get("value", "").strip() else "valueList"
            value = node.attrs[attr]
            out.objects[node.attrs["name"]] = ObjectTag(
                name=node.attrs["name"],
                tag=node.tag,
                value=value,
                value_key=data_ref(value),
                node=node,
                value_list=attr == "valueList",
                value_type=node.attrs.get("valueType"),
            )
        for node in self.control_nodes:
            control = self._control(node)
            if node.tag == "Relations":
                out.relations = control
            else:
                out.controls[control.name] = control
        for node in self.filter_nodes:
            for target in _split_names(node.attrs.get("toName")):
                if target not in self.names:
                    raise _err(
                        node,
                        f"toName {target!r} of {node.describe()} names no tag; names here are: "
                        f"{_quoted(self.names)}{_suggest(target, self.names)}",
                    )
        for node in self.when_nodes:
            for target in _split_names(node.attrs.get("whenTagName")):
                if target not in self.names:
                    raise _err(
                        node,
                        f"whenTagName {target!r} of {node.describe()} names no tag; names here are: "
                        f"{_quoted(self.names)}{_suggest(target, self.names)}",
                    )
        seen: set[str] = set()
        for ref in out.refs:
            key = base_key(ref.path) if ref.templated or "[" in ref.path else ref.path
            if key not in seen:
                seen.add(key)
                out.data_keys.append(key)
        return out

    def _control(self, node: Tag) -> ControlTag:
        spec = TAGS[node.tag]
        name = node.attrs.get("name", "")
        to_name = _split_names(node.attrs.get("toName"))
        implied = node.tag != "Relations" and not to_name
        if implied:
            to_name = (self._implied_target(node),)
        if node.tag != "Relations":
            self._check_targets(node, to_name)
        # Label Studio's default: "multiple" for Relations (tags/control/Relations.js), "single" elsewhere
        choice = node.attrs.get("choice", "multiple" if node.tag == "Relations" else "single")
        allowed_modes = {"single", "multiple"} if node.tag == "Relations" else _CHOICE_MODES
        if "choice" in node.attrs and choice not in allowed_modes:
            raise _err(
                node,
                f"choice={choice!r} of {node.describe()} must be one of {_quoted(sorted(allowed_modes))}",
            )
        labels: dict[str, dict[str, str]] = {}
        buckets: list[str] = []
        for child in self.owned[id(node)]:
            if child.tag == "Bucket":
                buckets.append(child.attrs["name"])
                continue
            label = child.attrs.get("alias") or child.attrs.get("value")
            if label and label not in labels:
                labels[label] = dict(child.attrs)
        value_key = None
        dynamic = False
        if spec.label_child is not None:
            value_key = data_ref(node.attrs.get("value"))
            dynamic = value_key is not None or bool(node.attrs.get("apiUrl"))
            if dynamic:
                self.out.has_dynamic = True
            if (
                not labels
                and not dynamic
                and not self.specialised
                and (spec.is_labels or node.tag == "Choices")
            ):
                kid = spec.label_child
                raise _err(
                    node,
                    f"{node.describe()} has no <{kid}> children and no dynamic value; add "
                    f'<{kid} value="..."/> children, or value="$field" to take the {kid.lower()}s '
                    "from task data",
                )
        max_rating = None
        low: float | str | None = None
        high: float | str | None = None
        if node.tag == "Rating":
            max_rating = self._int_attr(node, "maxRating", 5)
        elif node.tag == "Number":
            low = self._number_attr(node, "min")
            high = self._number_attr(node, "max")
            if low is not None and high is not None and low > high:
                raise _err(node, f"min={low} of {node.describe()} is greater than max={high}; swap them")
        elif node.tag == "DateTime":
            low = node.attrs.get("min")
            high = node.attrs.get("max")
        return ControlTag(
            name=name,
            tag=node.tag,
            type=spec.result_type or node.tag.lower(),
            to_name=to_name,
            labels=tuple(labels),
            dynamic_labels=dynamic,
            choice=choice,
            per_region=is_true(node.attrs.get("perRegion")),
            node=node,
            required=is_true(node.attrs.get("required")),
            per_item=is_true(node.attrs.get("perItem")),
            value_key=value_key,
            max_rating=max_rating,
            min=low,
            max=high,
            label_attrs=labels,
            label_paths=_label_paths(node) if spec.label_child == "Choice" else frozenset(),
            buckets=tuple(buckets),
            to_name_implied=implied,
        )

    def _implied_target(self, node: Tag) -> str:
        """The object a control without toName labels: the config's only object tag, as in Label Studio.

        Label Studio's editor fills in a missing toName with the one object tag of a config that has exactly
        one (counting ``Pairwise`` and ``Ranker``, which it registers as objects); otherwise the control has
        no object to bind its results to.
        """
        names = [n.attrs["name"] for n in self.object_nodes]
        if not names:
            raise _err(
                node,
                f"{node.describe()} has no toName and this config has no object tag for it to label; add one "
                'such as <Text name="text" value="$text"/>',
            )
        if len(names) > 1:
            raise _err(
                node,
                f"{node.describe()} has no toName and this config has {len(names)} object tags "
                f"({_quoted(names)}); a missing toName is filled in only when there is exactly one, so add "
                f"toName naming the one it labels, e.g. toName={names[0]!r}",
            )
        also = [n.describe() for n in self.control_nodes if n.tag in _OBJECT_LIKE_CONTROLS]
        if also:
            raise _err(
                node,
                f"{node.describe()} has no toName; {names[0]!r} is the only object tag, but Label Studio also "
                f"counts {', '.join(also)} as one and then fills in no toName, so add toName={names[0]!r}",
            )
        if id(self.object_nodes[0]) in self.repeated_objects:
            raise _err(
                node,
                f"{node.describe()} has no toName and the only object tag, {names[0]!r}, is inside a "
                "<Repeater>, which makes one copy per item; a missing toName is filled in only when there is "
                f"exactly one object tag, so add toName (e.g. toName={names[0]!r} inside the <Repeater>)",
            )
        return names[0]

    def _check_targets(self, node: Tag, to_name: tuple[str, ...]) -> None:
        objects = [n.attrs["name"] for n in self.object_nodes]
        for target in to_name:
            if target in objects:
                continue
            if not objects:
                raise _err(
                    node,
                    f"toName {target!r} of {node.describe()} names no object tag, and this config has none; "
                    'add one such as <Text name="text" value="$text"/>',
                )
            other = self.names.get(target)
            what = f" ({target!r} is a <{other.tag}>)" if other is not None else ""
            copied = Templates(objects, self.all_flags).match(target)
            if copied is not None:
                raise _err(
                    node,
                    f"toName {target!r} of {node.describe()} names a copy of {copied[0]!r}, which exists only "
                    "once the <Repeater> is expanded for a task; move the control into the <Repeater> and "
                    f"use toName={copied[0]!r}",
                )
            raise _err(
                node,
                f"toName {target!r} of {node.describe()} names no object tag{what}; object tags here are: "
                f"{_quoted(objects)}{_suggest(target, objects)}",
            )
        if node.tag == "Pairwise" and len(to_name) != 2:
            raise _err(
                node,
                f"{node.describe()} compares two objects, so toName must name exactly two "
                f'(e.g. toName="left,right"), not {len(to_name)}',
            )

    @staticmethod
    def _int_attr(node: Tag, attr: str, default: int) -> int:
        raw = node.attrs.get(attr)
        if raw is None:
            return default
        try:
            value = int(raw.strip())
        except ValueError:
            raise _err(node, f"{attr}={raw!r} of {node.describe()} must be a whole number") from None
        if value < 1:
            raise _err(node, f"{attr}={raw!r} of {node.describe()} must be at least 1")
        return value

    @staticmethod
    def _number_attr(node: Tag, attr: str) -> float | None:
        raw = node.attrs.get(attr)
        if raw is None or not raw.strip():
            return None
        try:
            value = float(raw)
        except ValueError:
            raise _err(node, f"{attr}={raw!r} of {node.describe()} must be a number") from None
        if math.isnan(value):
            raise _err(node, f"{attr}={raw!r} of {node.describe()} must be a number")
        return value


def _label_paths(control: Tag) -> frozenset[tuple[str, ...]]:
    """Every root-to-node path through the ``Choice`` tree of a Choices/Taxonomy tag."""
    paths: set[tuple[str, ...]] = set()

    def visit(node: Tag, prefix: tuple[str, ...]) -> None:
        for child in node.children:
            if child.tag == "Choice":
                label = child.attrs.get("alias") or child.attrs.get("value") or ""
                path = (*prefix, label)
                paths.add(path)
                visit(child, path)
            elif child.tag == "View":
                visit(child, prefix)

    visit(control, ())
    return frozenset(paths)


def analyse(root: Tag, *, specialised: bool = False) -> Analysis:
    """Check a parsed tree and collect its objects, controls and data references.

    ``specialised`` marks a tree already expanded for one task (no Repeater left, dynamic labels filled
    in), where a control may legitimately have no labels.
    """
    walker = _Walker(root, specialised)
    walker.walk(root, [])
    return walker.finish()
