"""Specialise a config tree to one task: expand ``<Repeater>`` and fill in dynamic labels from the data."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from .analyze import DEFAULT_INDEX_FLAG
from .errors import TaskDataError
from .model import Tag
from .paths import Missing, data_ref, lookup
from .tags import TAGS, canonical_attr

# Nesting limit for dynamic option trees taken from task data.
MAX_OPTION_DEPTH = 32


def _fetch(data: Mapping[str, Any], path: str, who: str) -> Any:
    try:
        return lookup(data, path)
    except Missing as exc:
        raise TaskDataError(
            path,
            f'"{path}" key is expected in task data (missing part {exc.at!r}): {who} reads it; add it to '
            "the task's data",
        ) from None


def _substitute(node: Tag, flag: str, index: str) -> None:
    for current in node.iter():
        for key, value in current.attrs.items():
            if flag in value:
                current.attrs[key] = value.replace(flag, index)
        if current.text is not None and flag in current.text:
            current.text = current.text.replace(flag, index)


def _expand_repeaters(node: Tag, data: Mapping[str, Any]) -> list[Tag]:
    """The node's replacement list: itself with expanded children, or a Repeater's copies."""
    if node.tag != "Repeater":
        children: list[Tag] = []
        for child in node.children:
            children.extend(_expand_repeaters(child, data))
        node.children = children
        return [node]
    path = data_ref(node.attrs.get("on")) or ""
    items = _fetch(data, path, node.describe())
    if not isinstance(items, list):
        raise TaskDataError(
            path,
            f"{node.describe()} repeats over a list, but the task has {type(items).__name__}; "
            "make the field a JSON array",
        )
    flag = node.attrs.get("indexFlag") or DEFAULT_INDEX_FLAG
    copies: list[Tag] = []
    for index in range(len(items)):
        for child in node.children:
            clone = child.copy()
            _substitute(clone, flag, str(index))
            copies.extend(_expand_repeaters(clone, data))
    return copies


def _attr_text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, (int, float)):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def _options(raw: Any, path: str, who: str) -> list[Any]:
    if raw is None:
        return []
    if isinstance(raw, str):
        try:
            parsed = json.loads(raw)
        except ValueError:
            return [raw]
        return parsed if isinstance(parsed, list) else [raw]
    if isinstance(raw, list):
        return raw
    raise TaskDataError(
        path,
        f"{who} takes its options from this field, which must be a list of strings or of objects "
        f'like {{"value": "A"}}, not {type(raw).__name__}',
    )


def _option_tags(items: list[Any], child_tag: str, path: str, who: str, depth: int = 0) -> list[Tag]:
    if depth > MAX_OPTION_DEPTH:
        raise TaskDataError(
            path, f"the options for {who} are nested more than {MAX_OPTION_DEPTH} levels deep"
        )
    tags: list[Tag] = []
    for position, item in enumerate(items):
        if isinstance(item, Mapping):
            attrs = {
                canonical_attr(child_tag, str(key)): _attr_text(value)
                for key, value in item.items()
                if key != "children"
            }
            if not attrs.get("value") and not attrs.get("alias"):
                raise TaskDataError(
                    path,
                    f"option {position} for {who} has no 'value'; give every option a value, e.g. "
                    '{"value": "Cat"}',
                )
            nested = item.get("children") or []
            if not isinstance(nested, list):
                raise TaskDataError(path, f"'children' of option {position} for {who} must be a list")
            children = _option_tags(nested, child_tag, path, who, depth + 1) if child_tag == "Choice" else []
            tags.append(Tag(child_tag, attrs, children))
        elif isinstance(item, (str, int, float)) and not isinstance(item, bool):
            tags.append(Tag(child_tag, {"value": str(item)}))
        else:
            raise TaskDataError(
                path,
                f"option {position} for {who} is {type(item).__name__}; use a string or an object like "
                '{"value": "Cat"}',
            )
    return tags


def _fill_dynamic(root: Tag, data: Mapping[str, Any]) -> None:
    for node in root.iter():
        spec = TAGS.get(node.tag)
        if spec is None or spec.label_child is None:
            continue
        path = data_ref(node.attrs.get("value"))
        if path is None:
            continue
        who = node.describe()
        options = _options(_fetch(data, path, who), path, who)
        node.children.extend(_option_tags(options, spec.label_child, path, who))
        # The labels are now written out; the browser should not look them up again.
        del node.attrs["value"]


def specialise(root: Tag, data: Mapping[str, Any]) -> Tag:
    """A new tree for one task: Repeaters replaced by their copies, dynamic labels written out."""
    if not isinstance(data, Mapping):
        raise TaskDataError("data", "task data must be a dict (JSON object)")
    tree = root.copy()
    expanded = _expand_repeaters(tree, data)
    if len(expanded) == 1 and tree.tag != "Repeater":
        result = expanded[0]
    else:
        # A Repeater at the root: wrap its copies so the tree keeps a single root.
        result = Tag("View", {}, expanded, None, root.line, root.column)
    _fill_dynamic(result, data)
    return result
