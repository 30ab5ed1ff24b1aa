"""The parsed tag tree and the typed views of object and control tags."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from xml.sax.saxutils import escape, quoteattr


@dataclass
class Tag:
    """One element of a labeling config.

    Attributes:
        tag: canonical tag name, e.g. ``"RectangleLabels"`` (matched case-insensitively when parsed).
        attrs: attribute values as written; names of attributes the tag knows are in canonical camelCase
            (``toname`` becomes ``toName``), other names are kept as written.
        children: child tags in document order (comments are dropped).
        text: the element's own text (e.g. the CSS of ``<Style>``), or ``None`` when only whitespace.
        line: 1-based line of the ``<`` opening the tag in the source XML, when known.
        column: 1-based column of that ``<``, when known.
    """

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Tag] = field(default_factory=list)
    text: str | None = None
    line: int | None = None
    column: int | None = None

    def get(self, attr: str, default: str | None = None) -> str | None:
        """The value of attribute ``attr`` (canonical name), or ``default``."""
        return self.attrs.get(attr, default)

    def iter(self) -> Iterator[Tag]:
        """This tag and all its descendants, in document order."""
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))

    def describe(self) -> str:
        """A short human-readable form such as ``<Choices name='sentiment'>`` for error messages."""
        for key in ("name", "value", "column", "on"):
            if key in self.attrs:
                return f"<{self.tag} {key}={self.attrs[key]!r}>"
        return f"<{self.tag}>"

    def to_json(self) -> dict[str, Any]:
        """The tree as plain JSON-able dicts: ``{"tag", "attrs", "children", "text"?}``."""
        out: dict[str, Any] = {
            "tag": self.tag,
            "attrs": dict(self.attrs),
            "children": [child.to_json() for child in self.children],
        }
        if self.text is not None:
            out["text"] = self.text
        return out

    def to_xml(self, indent: str = "  ", _depth: int = 0) -> str:
        """Serialise the tree back to XML text (canonical tag and attribute names)."""
        pad = indent * _depth
        attrs = "".join(f" {key}={quoteattr(value)}" for key, value in self.attrs.items())
        if not self.children and self.text is None:
            return f"{pad}<{self.tag}{attrs}/>"
        parts = [f"{pad}<{self.tag}{attrs}>"]
        if self.text is not None:
            parts.append(escape(self.text))
        if self.children:
            parts.append("\n")
            parts.extend(child.to_xml(indent, _depth + 1) + "\n" for child in self.children)
            parts.append(pad)
        parts.append(f"</{self.tag}>")
        return "".join(parts)

    def copy(self) -> Tag:
        """A deep copy of this subtree."""
        return Tag(
            self.tag,
            dict(self.attrs),
            [child.copy() for child in self.children],
            self.text,
            self.line,
            self.column,
        )


@dataclass(frozen=True)
class ObjectTag:
    """An object tag: shows one piece of task data.

    Attributes:
        name: the tag's ``name``.
        tag: canonical tag name (``"Image"``, ``"Text"``, ...).
        value: the ``value`` (or ``valueList``) attribute as written, e.g. ``"$image"``.
        value_key: the data key it reads (``"image"``; dotted keys such as ``"a.b"`` kept as written), or
            ``None`` for a literal value.
        value_list: True when the data comes from ``valueList`` (several images, one per page).
        value_type: ``valueType`` when given (``"text"``/``"url"``/``"json"``), else ``None``.
        node: the tag in the tree.
    """

    name: str
    tag: str
    value: str
    value_key: str | None
    node: Tag = field(compare=False, repr=False)
    value_list: bool = False
    value_type: str | None = None


@dataclass(frozen=True)
class ControlTag:
    """A control tag: produces result items.

    Attributes:
        name: the tag's ``name`` (the ``from_name`` of its results).
        tag: canonical tag name, e.g. ``"RectangleLabels"`` (``type`` in json_min exports).
        type: the result ``type``: lower-cased tag, ``"relation"`` for ``Relations``.
        to_name: the object names from ``toName``; for a control written without one, the config's only object
            tag (see ``to_name_implied``).
        labels: label strings of the child ``Label``/``Choice``/``Relation`` tags (alias over value), in
            document order, unique; nested ``Choice`` trees are flattened.
        dynamic_labels: True when the labels come from task data (``value="$field"``) or ``apiUrl``.
        choice: ``"single"``, ``"single-radio"`` or ``"multiple"``.
        per_region: True when ``perRegion="true"`` (the result belongs to a selected region).
        node: the tag in the tree.
        required: True when ``required="true"``.
        per_item: True when ``perItem="true"``.
        value_key: the data key dynamic labels come from, if any.
        max_rating: ``Rating`` only: the highest rating (default 5).
        min: ``Number``/``DateTime``: lower bound when set (a number for ``Number``, text for ``DateTime``).
        max: upper bound, likewise.
        label_attrs: attributes of each label's child tag, keyed by label string.
        label_paths: ``Taxonomy``/nested ``Choices``: every path from a root choice to a node.
        buckets: ``Ranker`` only: names of its ``Bucket`` children.
        to_name_implied: True when the tag has no ``toName`` and ``to_name`` was filled in as Label Studio's
            editor does it. Label Studio's Python tools (``parse_config``, the SDK, the converter) do not count
            such a tag as a control at all.
    """

    name: str
    tag: str
    type: str
    to_name: tuple[str, ...]
    labels: tuple[str, ...]
    dynamic_labels: bool
    choice: str
    per_region: bool
    node: Tag = field(compare=False, repr=False)
    required: bool = False
    per_item: bool = False
    value_key: str | None = None
    max_rating: int | None = None
    min: float | str | None = None
    max: float | str | None = None
    label_attrs: Mapping[str, Mapping[str, str]] = field(default_factory=dict, compare=False, repr=False)
    label_paths: frozenset[tuple[str, ...]] = field(default_factory=frozenset, compare=False, repr=False)
    buckets: tuple[str, ...] = ()
    to_name_implied: bool = False

    @property
    def single(self) -> bool:
        """True when at most one label/choice may be picked (``choice`` is single or single-radio)."""
        return self.choice != "multiple"
