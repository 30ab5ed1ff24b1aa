"""The tag registry: every tag a Label Studio labeling config may hold, and what labelnb knows about it.

Tags fall into four kinds:

* ``object``: shows task data (``Image``, ``Text``, ...); needs ``name`` and a ``value`` such as ``"$image"``.
* ``control``: produces result items (``Choices``, ``RectangleLabels``, ...); needs ``name`` and ``toName``,
  though most may leave ``toName`` out when the config has exactly one object tag (see
  :data:`TO_NAME_REQUIRED`).
* ``visual``: layout and decoration (``View``, ``Header``, ``Style``, ``Repeater``, ...).
* ``child``: only meaningful inside a particular owner (``Label``, ``Choice``, ``Relation``, ``Bucket``,
  ``Shortcut``, ``Channel``, ``MultiChannel``).

Tag and attribute names are matched case-insensitively (Label Studio's front end lower-cases them) and stored
in the canonical spelling given here, which is what Label Studio's Python tools expect.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["object", "control", "visual", "child"]

NoneType = type(None)

#: Attributes any tag may carry.
COMMON_ATTRS: tuple[str, ...] = (
    "style",
    "className",
    "idAttr",
    "visibleWhen",
    "whenTagName",
    "whenLabelValue",
    "whenChoiceValue",
)

#: Values ``visibleWhen`` accepts.
VISIBLE_WHEN = ("region-selected", "no-region-selected", "choice-selected", "choice-unselected")

_CONTROL = ("name", "toName", "required", "requiredMessage", "perRegion", "perItem", "hotkey")
_LABELS = (
    *_CONTROL,
    "value",
    "choice",
    "maxUsages",
    "showInline",
    "opacity",
    "fillColor",
    "strokeColor",
    "strokeWidth",
    "allowEmpty",
)
_TOOL = (*_CONTROL, "opacity", "fillColor", "strokeColor", "strokeWidth", "smart", "smartOnly")
_VECTOR = (
    "closable",
    "curves",
    "skeleton",
    "minPoints",
    "maxPoints",
    "pointSize",
    "pointStyle",
    "snap",
    "pointSizeEnabled",
    "pointSizeDisabled",
)
_RICH_TEXT = (
    "name",
    "value",
    "valueType",
    "saveTextResult",
    "encoding",
    "selectionEnabled",
    "highlightColor",
    "showLabels",
    "granularity",
)
_AUDIO = (
    "name",
    "value",
    "hotkey",
    "sync",
    "speed",
    "defaultspeed",
    "defaultscale",
    "defaultzoom",
    "defaultvolume",
    "height",
    "waveheight",
    "spectrogram",
    "splitchannels",
    "decoder",
    "player",
    "cursorColor",
)
# Layout tags that may sit among a control's label children.
_LAYOUT = frozenset({"View", "Header", "Style", "Filter", "Markdown"})

#: Controls that must name their object tag with ``toName``. Label Studio's server refuses ``Labels``,
#: ``Choices``, ``TextArea`` and ``Number`` without it (``label_studio/core/utils/schema/label_config_schema.json``);
#: its editor registers ``Pairwise`` and ``Ranker`` as object types, so it never fills theirs in. Any other control
#: may leave ``toName`` out: the editor then binds it to the config's only object tag (``extractNames`` in
#: ``web/libs/editor/src/core/Tree.tsx``), and labelnb does the same (``Relations`` takes no ``toName`` at all).
TO_NAME_REQUIRED = frozenset({"Labels", "Choices", "TextArea", "Number", "Pairwise", "Ranker"})

#: Labels-type controls: their children are ``<Label>`` and their results carry a label array.
LABELS_CONTROLS = frozenset(
    {
        "Labels",
        "RectangleLabels",
        "PolygonLabels",
        "EllipseLabels",
        "KeyPointLabels",
        "BrushLabels",
        "BitmaskLabels",
        "VectorLabels",
        "HyperTextLabels",
        "ParagraphLabels",
        "TimeSeriesLabels",
        "TimelineLabels",
        "OcrLabels",
    }
)


@dataclass(frozen=True)
class TagSpec:
    """What labelnb knows about one tag.

    Attributes:
        name: canonical tag name, e.g. ``"RectangleLabels"``.
        kind: ``"object"``, ``"control"``, ``"visual"`` or ``"child"``.
        result_type: for controls, the ``type`` of the result items they produce (``"rectanglelabels"``).
        required: attributes that must be present and non-empty; ``"value|valueList"`` means either.
        attrs: known attribute names in canonical spelling (besides :data:`COMMON_ATTRS`).
        data_attrs: attributes that may reference task data as ``"$key"``, with the Python types the data
            value may have (an empty tuple accepts any type).
        children: tags allowed as direct children (``None`` = any tag).
        parents: for ``child`` tags (and ``Panel``), the owners it must sit in; ``View`` between them is
            transparent.
        label_child: for controls holding labels, the child tag that defines them (``Label``/``Choice``/
            ``Relation``).
        geometry: for image/video region controls, the region family (``"rectangle"``, ``"polygon"``, ...).
    """

    name: str
    kind: Kind
    result_type: str | None = None
    required: tuple[str, ...] = ()
    attrs: tuple[str, ...] = ()
    data_attrs: Mapping[str, tuple[type, ...]] = field(default_factory=dict)
    children: frozenset[str] | None = None
    parents: frozenset[str] = frozenset()
    label_child: str | None = None
    geometry: str | None = None

    @property
    def is_labels(self) -> bool:
        """True for labels-type controls (``Labels``, ``RectangleLabels``, ...)."""
        return self.name in LABELS_CONTROLS


def _object(
    name: str,
    attrs: Iterable[str],
    types: tuple[type, ...],
    *,
    required: tuple[str, ...] = ("name", "value"),
    children: frozenset[str] = frozenset(),
    extra_data: Mapping[str, tuple[type, ...]] | None = None,
) -> TagSpec:
    data: dict[str, tuple[type, ...]] = {"value": types}
    data.update(extra_data or {})
    return TagSpec(name, "object", required=required, attrs=tuple(attrs), data_attrs=data, children=children)


def _control(
    name: str,
    attrs: Iterable[str],
    *,
    result_type: str | None = None,
    label_child: str | None = None,
    geometry: str | None = None,
    children: frozenset[str] = frozenset(),
    data: Mapping[str, tuple[type, ...]] | None = None,
    required: tuple[str, ...] | None = None,
) -> TagSpec:
    if required is None:
        required = ("name", "toName") if name in TO_NAME_REQUIRED else ("name",)
    if label_child is not None:
        children = children | _LAYOUT | {label_child}
    if data is None:
        data = {"value": (str, list)} if label_child is not None else {}
    return TagSpec(
        name,
        "control",
        result_type=result_type or name.lower(),
        required=required,
        attrs=tuple(attrs),
        data_attrs=data,
        children=children,
        label_child=label_child,
        geometry=geometry,
    )


def _labels(name: str, extra: Iterable[str] = (), geometry: str | None = None) -> TagSpec:
    return _control(name, (*_LABELS, *extra), label_child="Label", geometry=geometry)


def _tool(name: str, extra: Iterable[str] = (), geometry: str | None = None) -> TagSpec:
    return _control(name, (*_TOOL, *extra), geometry=geometry)


def _build() -> dict[str, TagSpec]:
    specs = [
        # ---- objects (A.2)
        _object(
            "Image",
            (
                "name",
                "value",
                "valueList",
                "zoom",
                "negativeZoom",
                "zoomBy",
                "zoomControl",
                "brightnessControl",
                "contrastControl",
                "rotateControl",
                "grid",
                "gridSize",
                "gridColor",
                "crosshair",
                "smoothing",
                "width",
                "maxWidth",
                "height",
                "maxHeight",
                "horizontalAlignment",
                "verticalAlignment",
                "defaultZoom",
                "crossOrigin",
            ),
            (str, list),
            required=("name", "value|valueList"),
            extra_data={"valueList": (list, str)},
        ),
        _object("Text", _RICH_TEXT, (str, int, float, list)),
        _object("HyperText", (*_RICH_TEXT, "inline", "clickableLinks"), (str,)),
        _object(
            "Paragraphs",
            (
                "name",
                "value",
                "valueType",
                "audioUrl",
                "sync",
                "showPlayer",
                "saveTextResult",
                "layout",
                "nameKey",
                "textKey",
                "contextScroll",
            ),
            (list, str),
            extra_data={"audioUrl": (str,)},
        ),
        _object("Audio", _AUDIO, (str,)),
        _object("AudioPlus", _AUDIO, (str,)),
        _object(
            "Video",
            (
                "name",
                "value",
                "frameRate",
                "sync",
                "muted",
                "height",
                "timelineHeight",
                "defaultPlaybackSpeed",
                "minPlaybackSpeed",
            ),
            (str,),
            extra_data={"frameRate": (int, float, str)},
        ),
        _object(
            "TimeSeries",
            (
                "name",
                "value",
                "valueType",
                "sync",
                "cursorColor",
                "timeColumn",
                "timeFormat",
                "timeDisplayFormat",
                "durationDisplayFormat",
                "sep",
                "overviewChannels",
                "overviewWidth",
                "fixedScale",
            ),
            (dict, list, str),
            children=frozenset({"Channel", "MultiChannel"}),
        ),
        _object("Table", ("name", "value", "valueType"), (dict, list, str)),
        _object("List", ("name", "value", "title"), (list, str)),
        _object("Pdf", ("name", "value"), (str,)),
        _object(
            "Chat",
            ("name", "value", "messageroles", "editable", "minmessages", "maxmessages", "llm"),
            (list, str),
        ),
        TagSpec(
            "Channel",
            "child",
            required=("column",),
            attrs=(
                "column",
                "legend",
                "units",
                "displayFormat",
                "height",
                "strokeColor",
                "strokeWidth",
                "markerColor",
                "markerSize",
                "markerSymbol",
                "timeRange",
                "dataRange",
                "showAxis",
                "fixedScale",
            ),
            children=frozenset(),
            parents=frozenset({"TimeSeries", "MultiChannel"}),
        ),
        TagSpec(
            "MultiChannel",
            "child",
            attrs=("height", "showAxis", "fixedScale"),
            children=frozenset({"Channel"}),
            parents=frozenset({"TimeSeries"}),
        ),
        # ---- controls (A.3)
        _control(
            "Choices",
            (*_CONTROL, "choice", "showInline", "layout", "value", "allowNested"),
            label_child="Choice",
        ),
        _control(
            "Taxonomy",
            (
                *_CONTROL,
                "value",
                "apiUrl",
                "leafsOnly",
                "showFullPath",
                "pathSeparator",
                "maxUsages",
                "maxWidth",
                "minWidth",
                "placeholder",
                "labeling",
                "legacy",
            ),
            label_child="Choice",
            data={"value": (str, list, NoneType)},
        ),
        _labels("Labels"),
        _labels("RectangleLabels", ("canRotate", "snap"), geometry="rectangle"),
        _tool("Rectangle", ("canRotate", "snap"), geometry="rectangle"),
        _labels("PolygonLabels", ("pointSize", "pointStyle", "snap"), geometry="polygon"),
        _tool("Polygon", ("pointSize", "pointStyle", "snap"), geometry="polygon"),
        _labels("EllipseLabels", ("canRotate",), geometry="ellipse"),
        _tool("Ellipse", ("canRotate",), geometry="ellipse"),
        _labels("KeyPointLabels", ("snap",), geometry="keypoint"),
        _tool("KeyPoint", ("snap",), geometry="keypoint"),
        _labels("BrushLabels", geometry="brush"),
        _tool("Brush", geometry="brush"),
        _labels("BitmaskLabels", geometry="bitmask"),
        _tool("Bitmask", geometry="bitmask"),
        _labels("VectorLabels", _VECTOR, geometry="vector"),
        _tool("Vector", _VECTOR, geometry="vector"),
        _tool("MagicWand", ("blurradius", "defaultthreshold"), geometry="brush"),
        _labels("OcrLabels", geometry="rectangle"),
        _labels("HyperTextLabels"),
        _labels("ParagraphLabels"),
        _labels("TimeSeriesLabels"),
        _labels("TimelineLabels"),
        _tool("VideoRectangle", geometry="videorectangle"),
        _control(
            "TextArea",
            (
                *_CONTROL,
                "value",
                "label",
                "placeholder",
                "maxSubmissions",
                "editable",
                "skipDuplicates",
                "transcription",
                "displayMode",
                "rows",
                "showSubmitButton",
            ),
            children=frozenset({"Shortcut"}),
            data={"value": ()},
        ),
        _control("Number", (*_CONTROL, "min", "max", "step", "defaultValue", "slider")),
        _control("Rating", (*_CONTROL, "maxRating", "defaultValue", "size", "icon")),
        _control("DateTime", (*_CONTROL, "only", "format", "min", "max")),
        _control("Pairwise", (*_CONTROL, "selectionStyle", "leftClass", "rightClass")),
        _control("Ranker", (*_CONTROL, "value"), children=frozenset({"Bucket"}), data={"value": (list, str)}),
        _control(
            "Relations",
            ("name", "choice"),
            result_type="relation",
            label_child="Relation",
            required=(),
            data={},
        ),
        # ---- children of controls
        TagSpec(
            "Label",
            "child",
            required=("value",),
            attrs=(
                "value",
                "alias",
                "selected",
                "maxUsages",
                "hint",
                "hotkey",
                "showAlias",
                "aliasStyle",
                "size",
                "background",
                "selectedColor",
                "granularity",
                "html",
                "category",
                "model_index",
            ),
            children=frozenset(),
            parents=LABELS_CONTROLS,
        ),
        TagSpec(
            "Choice",
            "child",
            required=("value",),
            attrs=("value", "alias", "selected", "hotkey", "html", "hint", "color"),
            children=frozenset({"Choice"}),
            parents=frozenset({"Choices", "Taxonomy", "Choice"}),
        ),
        TagSpec(
            "Relation",
            "child",
            required=("value",),
            attrs=("value", "alias", "background"),
            children=frozenset(),
            parents=frozenset({"Relations"}),
        ),
        TagSpec(
            "Bucket",
            "child",
            required=("name",),
            attrs=("name", "title", "default"),
            children=frozenset(),
            parents=frozenset({"Ranker"}),
        ),
        TagSpec(
            "Shortcut",
            "child",
            required=("value",),
            attrs=("value", "alias", "hotkey", "background"),
            children=frozenset(),
            parents=frozenset({"TextArea"}),
        ),
        # ---- visual (A.4)
        TagSpec("View", "visual", attrs=("name", "display")),
        TagSpec(
            "Header",
            "visual",
            attrs=("name", "value", "size", "underline"),
            data_attrs={"value": (str, int, float)},
            children=frozenset(),
        ),
        TagSpec("Style", "visual", children=frozenset()),
        TagSpec(
            "Filter",
            "visual",
            attrs=("name", "toName", "placeholder", "minlength", "hotkey", "cleanup"),
            children=frozenset(),
        ),
        TagSpec("Collapse", "visual", attrs=("name", "accordion", "bordered"), children=frozenset({"Panel"})),
        TagSpec("Panel", "visual", attrs=("name", "value", "open"), parents=frozenset({"Collapse"})),
        TagSpec(
            "Markdown",
            "visual",
            attrs=("name", "value"),
            data_attrs={"value": (str,)},
            children=frozenset(),
        ),
        TagSpec(
            "Repeater",
            "visual",
            required=("on",),
            attrs=("on", "indexFlag", "mode"),
            data_attrs={"on": (list,)},
        ),
    ]
    return {spec.name: spec for spec in specs}


#: Every known tag, by canonical name.
TAGS: dict[str, TagSpec] = _build()

_BY_LOWER: dict[str, str] = {name.lower(): name for name in TAGS}


def _attr_table(spec: TagSpec) -> dict[str, str]:
    names = [*COMMON_ATTRS, *spec.attrs]
    for req in spec.required:
        names.extend(req.split("|"))
    return {attr.lower(): attr for attr in names}


_ATTRS_BY_TAG: dict[str, dict[str, str]] = {name: _attr_table(spec) for name, spec in TAGS.items()}


def canonical_tag(name: str) -> str | None:
    """The canonical spelling of a tag name (matched case-insensitively), or ``None`` if unknown."""
    return _BY_LOWER.get(name.lower())


def canonical_attr(tag: str, attr: str) -> str:
    """The canonical spelling of ``attr`` on canonical tag ``tag``; unknown attributes come back as written."""
    table = _ATTRS_BY_TAG.get(tag)
    if table is None:
        return attr
    return table.get(attr.lower(), attr)
