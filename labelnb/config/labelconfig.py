""":class:`LabelConfig`: a parsed, checked labeling config and the validators built from it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from .analyze import DEFAULT_INDEX_FLAG, analyse
from .control_model import build_control_model
from .expand import specialise
from .model import ControlTag, ObjectTag, Tag
from .parse import parse_xml
from .paths import Templates
from .sample import sample_data
from .validate_result import ResultContext, validate_results
from .validate_task import compile_task_checker


class LabelConfig:
    """A Label Studio labeling config, parsed and checked.

    Build one with :meth:`from_xml`. A ``LabelConfig`` is immutable in practice: the validators are
    compiled when it is made, so :meth:`validate_task` costs a few dictionary look-ups per call.

    Attributes:
        xml: the config text (for :meth:`for_task` results: the specialised tree serialised).
        root: the tag tree.
        objects: object tags (``Image``, ``Text``, ...) by name, in document order. Inside a ``<Repeater>``
            names are the templates as written (``"page_{{idx}}"``) until :meth:`for_task` expands them.
        controls: control tags by name, in document order. ``<Relations>`` is not among them (it has no
            name and its results no ``from_name``); see :attr:`relations`.
        relations: the ``<Relations>`` tag as a :class:`ControlTag` (type ``"relation"``), or ``None``.
        data_keys: task data keys the config reads (``$field`` references of objects, Header/Choices/
            Labels values, Repeater lists ...), unique, in document order.
    """

    xml: str
    root: Tag
    objects: dict[str, ObjectTag]
    controls: dict[str, ControlTag]
    relations: ControlTag | None
    data_keys: list[str]

    def __init__(self, xml: str, root: Tag, *, specialised: bool = False) -> None:
        """Check ``root`` and build the validators; prefer :meth:`from_xml`.

        Raises:
            ConfigError: when the tree breaks a rule (see :meth:`from_xml`).
        """
        found = analyse(root, specialised=specialised)
        self.xml = xml
        self.root = root
        self.objects = found.objects
        self.controls = found.controls
        self.relations = found.relations
        self.data_keys = found.data_keys
        self._needs_task = found.has_repeater or found.has_dynamic
        self._check_task = compile_task_checker(found.refs)
        flags = [
            node.attrs.get("indexFlag") or DEFAULT_INDEX_FLAG
            for node in root.iter()
            if node.tag == "Repeater"
        ]
        self._results = ResultContext(
            objects=self.objects,
            controls=self.controls,
            relations=self.relations,
            templates_controls=Templates(list(self.controls), flags),
            templates_objects=Templates(list(self.objects), flags),
        )

    @classmethod
    def from_xml(cls, xml: str) -> LabelConfig:
        """Parse and check a labeling config.

        The parser is hardened (no entities, no DTD, no network, no huge trees) and refuses DOCTYPE and
        ENTITY declarations outright; comments are dropped. Tag and attribute names are matched
        case-insensitively and stored canonically.

        Raises:
            ConfigError: with the line and column of the offending tag: malformed XML, unknown tags,
                duplicate names, a toName naming no object tag, missing required attributes, a labels
                control without labels, a ``Label``/``Choice`` outside a control, a ``Pairwise`` without
                exactly two targets, a ``Repeater`` without ``on`` ...
        """
        return cls(xml, parse_xml(xml))

    # -- task data ----------------------------------------------------------------------------------
    def validate_task(self, data: Mapping[str, Any]) -> None:
        """Check that a task's ``data`` holds every key the config reads, with a usable type.

        Dotted keys (``$meta.text``) are looked up nested when no literal key of that name exists.

        Raises:
            TaskDataError: naming the missing or mistyped key.
        """
        self._check_task(data)

    def for_task(self, data: Mapping[str, Any]) -> LabelConfig:
        """This config specialised to one task.

        ``<Repeater>`` tags are replaced by one copy of their children per item of their ``on`` list, with
        the index flag (``{{idx}}``) replaced by the 0-based index in every attribute value; ``Choices``,
        ``Taxonomy`` and labels controls with ``value="$field"`` get real ``Choice``/``Label`` children
        from the task data (a list of strings, or of objects whose keys become attributes; ``children``
        nests). Configs with neither return ``self``.

        Option attributes such as ``html`` come from task data unchanged: whoever renders them must
        sanitise them.

        Raises:
            TaskDataError: the data lacks a list or option field the config needs.
            ConfigError: the expanded config breaks a rule (e.g. two copies share a name).
        """
        if not self._needs_task:
            return self
        tree = specialise(self.root, data)
        return LabelConfig(tree.to_xml(), tree, specialised=True)

    def sample_task(self) -> dict[str, Any]:
        """A plausible task for this config, as Label Studio's editor preview makes one: ``{"data": {...}}``.

        Every field the config reads (:attr:`data_keys`, nested ``$a.b`` keys as nested dicts, Repeater
        lists with :data:`~labelnb.config.sample.REPEAT_COUNT` items) gets a sample of the kind its tag
        shows: text, HTML, dialogue, chat messages, a table, time series columns, ranker items, options for
        dynamic choices and labels, and media (image, sound, video, PDF) as ``data:`` URLs, so the sample
        needs no network and no files. The task has no ``annotations`` or ``predictions``; it can be
        imported as it is. The same config always gives the same sample, and it passes
        :meth:`validate_task` and :meth:`for_task`. See :mod:`labelnb.config.sample` for what each tag
        gets.

        >>> LabelConfig.from_xml('<View><Header value="$title"/></View>').sample_task()
        {'data': {'title': 'Sample title'}}
        """
        return {"data": sample_data(self.root)}

    # -- results ------------------------------------------------------------------------------------
    def validate_result(
        self,
        items: Sequence[Mapping[str, Any]],
        data: Mapping[str, Any] | None = None,
        *,
        draft: bool = False,
    ) -> None:
        """Check a list of result items (an annotation's or prediction's ``result``) against the config.

        Checks each item's ``type``, ``from_name``/``to_name``, label set membership, value shape per
        result type, image coordinates (percent, 0-100), rating/number ranges, single-choice counts, and
        that relations link regions present in the same list. With ``data`` (the task's data) it also
        checks text offsets (code points) and ``value.text`` against the task text and dynamic labels
        against the task's options. Unknown extra fields are allowed. ``draft=True`` checks unfinished
        work: the same, except the counts and ranges a user passes through while editing (two picks of a
        single choice, a number typed past its range, an empty choice list).

        Raises:
            ResultError: naming the item index and field.
            TaskDataError: ``data`` lacks a list or option field needed to expand the config
                (:meth:`for_task`).
        """
        config = self
        if data is not None and self._needs_task:
            config = self.for_task(data)
        validate_results(config._results, items, data, draft=draft)

    # -- export -------------------------------------------------------------------------------------
    def control_for(self, from_name: str) -> ControlTag | None:
        """The control a result's ``from_name`` names: the control itself, or for a copy a ``Repeater``
        made (``choice_3``) the control it was copied from (``choice_{{idx}}``); ``None`` for neither."""
        found = self.controls.get(from_name)
        if found is not None:
            return found
        matched = self._results.templates_controls.match(from_name)
        return self.controls[matched[0]] if matched is not None else None

    def to_json(self) -> dict[str, Any]:
        """The tag tree as plain dicts for the browser: ``{"tag", "attrs", "children", "text"?}``.

        A control written without ``toName`` gets the one it was bound to (the config's only object tag, see
        :data:`~labelnb.config.tags.TO_NAME_REQUIRED`), as Label Studio's editor fills it in, so the browser
        writes the same ``to_name`` that :meth:`validate_result` expects. :attr:`root` stays as written.
        """
        out = self.root.to_json()
        implied = {
            id(control.node): ",".join(control.to_name)
            for control in self.controls.values()
            if control.to_name_implied
        }
        if implied:
            _fill_to_name(self.root, out, implied)
        return out

    def control_model(self) -> dict[str, Any]:
        """The analysed control model for the browser: every rule about this config's controls, typed.

        Per control its labels (value, alias, result label, colour, hotkey, hint, ...) in document order,
        choice mode, ``required`` and its message, ``perRegion``/``perItem``, limits (``min``/``max``,
        ``max_rating``, ``step`` ...), visibility rule, own hotkey and display attributes; per object its
        typed attributes; plus the visibility rules of ``View`` tags. Colours, automatic hotkeys and defaults
        are worked out as Label Studio's editor does (see :mod:`labelnb.config.control_model`), so the
        browser reads rules instead of attribute strings. For a config with dynamic labels or a
        ``<Repeater>``, call it on :meth:`for_task` to get the task's options and copies. Plain JSON.
        """
        return build_control_model(self.root, self.objects, self.controls, self.relations)

    def __repr__(self) -> str:
        return (
            f"LabelConfig(objects={list(self.objects)!r}, controls={list(self.controls)!r}, "
            f"data_keys={self.data_keys!r})"
        )


def _fill_to_name(node: Tag, out: dict[str, Any], implied: Mapping[int, str]) -> None:
    """Set ``toName`` in the JSON form ``out`` of ``node``'s subtree wherever ``implied`` has one."""
    to_name = implied.get(id(node))
    if to_name is not None:
        out["attrs"]["toName"] = to_name
    for child, child_out in zip(node.children, out["children"], strict=True):
        _fill_to_name(child, child_out, implied)
