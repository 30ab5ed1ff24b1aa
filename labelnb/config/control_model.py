"""The analysed control model: every rule the browser needs about a config's controls, worked out in Python.

:func:`build_control_model` (and :meth:`LabelConfig.control_model <labelnb.config.LabelConfig.control_model>`)
turns a checked config into plain JSON-able dicts: per control its labels with their colours and hotkeys, its
choice mode, ``required``, limits, ``perRegion``, visibility rules and display attributes; per object its typed
attributes. The kernel sends it next to the tag tree, and the browser reads rules from it instead of reading
attribute strings, so Python and the browser cannot disagree about a rule. Values are typed (booleans,
numbers, lists); an attribute left out has Label Studio's default.

Label Studio (LS) 1.22 facts this module follows. Paths are under ``web/libs/editor/src/`` of
HumanSignal/label-studio (the 1.22.0 wheel's ``web/dist/apps/labelstudio/*.js.map`` carries the same sources):

Attribute text
    ``core/Tree.tsx`` ``attrsToProps``: attribute names are lower-cased; a value that is exactly ``"true"`` or
    ``"false"`` becomes a boolean (except for ``value``); everything else stays a string. A boolean property
    given any other text (``"1"``, ``"yes"``, ``""``) is a type error (``core/DataValidator/ConfigValidator.js``
    ``validateAttributes``), so ``"1"`` is never true. labelnb reads booleans with
    :func:`~labelnb.config.analyze.bool_attr` (``true``/``false`` in any case, else the default), the same
    helper behind :attr:`ControlTag.per_region <labelnb.config.model.ControlTag.per_region>` and ``required``.
    Numbers stay strings in LS's models and are converted where used, by JavaScript's ``Number()``
    (``strokeWidth``: ``+style.strokewidth`` in ``hooks/useRegionColor.ts`` ``getRegionStyles``; ``maxUsages``:
    ``Number(...)`` in ``tags/control/Label.jsx`` view ``maxUsages``; Rating ``maxRating``), ``parseFloat``
    (``opacity``/``fillOpacity``: ``customTypes.range`` in ``core/CustomTypes.ts``; Image ``zoomBy``) or
    ``parseInt`` (TextArea ``rows`` and ``maxSubmissions`` in ``tags/control/TextArea/TextArea.jsx``); the
    readers below copy those three. ``toName`` is split on ``","`` (``ConfigValidator.validateToNameTag``);
    ``whenLabelValue`` and ``whenChoiceValue`` are split on ``","`` without trimming
    (``mixins/Visibility.js`` ``isVisible``); ``whenTagName`` is one name, never split.

Label colours
    ``tags/control/Label.jsx``: ``background`` defaults to ``Constants.LABEL_BACKGROUND`` (``"#DA935D"``,
    ``core/Constants.ts``); ``afterCreate`` -> ``_updateBackgroundColor(value)`` replaces that default (also
    when written out literally) with ``ColorScheme.make_color({seed: value})[0]`` from pleasejs 0.4.2: an RC4
    generator keyed by the label's ``value`` (not its alias) picks a hue, saturation 0.4, value 0.75
    (:func:`please_color`). So a label's colour depends only on its value, not on its position.
    ``selectedColor`` defaults to ``"#ffffff"``. ``Relation`` ``background`` defaults to ``"#fff"``
    (``Constants.RELATION_BACKGROUND``, ``tags/control/Relation.js``); ``Shortcut`` to ``"#333333"``. ``Choice``
    has no default colour; its ``color`` only colours Taxonomy items (``tags/control/Choice.jsx``,
    ``tags/control/Taxonomy/Taxonomy.jsx`` ``traverse``). ``allowEmpty`` adds an empty label first, coloured
    ``defaultStyle.fillcolor`` (``"#666"``, ``tags/control/Labels/Labels.jsx`` ``afterCreate``).

Hotkeys
    ``stores/Annotation/Annotation.js`` ``setupHotKeys``, in three passes over the tag tree in document
    order, over the nodes that have an ``onHotKey`` action: every ``Label``, a ``Choice`` whose nearest
    Choices/Taxonomy ancestor is a ``Choices`` (``tags/control/Choice.jsx``), ``Rating``, ``Number``,
    ``Filter``, ``Shortcut``, ``Audio`` and ``TimeSeries`` (``DateTime``, ``TextArea`` and the other
    controls have none, so their ``hotkey`` does nothing). Pass 1 binds every written hotkey. Pass 2 gives
    audio players without one ``shift+space`` (``shift+space+1``, ``+2``, ... when there are several). Pass 3
    gives every other node without a hotkey (absent or empty) the first key of
    ``"1234567890qwetasdfgzxcvbyiopjklnm"`` that is not bound yet (``core/Hotkey.ts`` ``makeComb``); once the
    33 keys are used up the rest get none. "Bound" compares the lower-cased hotkey text after ``applyAliases``,
    so a written ``"1"`` or ``"C"`` is skipped, while ``"ctrl+1"`` or ``"1,2"`` do not take ``"1"``. So numbers
    go to labels and choices in document order, skipping keys written elsewhere in the config. Dynamic
    labels and choices (from task data) are created after the first pass and numbered after the others in LS;
    this model numbers a :meth:`~labelnb.config.LabelConfig.for_task` config in document order, so the two
    differ only when a config mixes auto-numbered static and dynamic options.

Choices
    ``tags/control/Choices.jsx``: ``choice`` is ``single`` (default), ``single-radio`` or ``multiple``;
    ``layout`` is ``vertical`` (default), ``inline`` or ``select``, and ``showInline="true"``/``"false"``
    overrides it with ``inline``/``vertical`` (``afterCreate``). ``Choice`` (``tags/control/Choice.jsx``):
    ``alias`` replaces the value in results, ``selected`` preselects (all preselected choices become the
    default result, even for a single choice: ``preselectedValues`` and ``Annotation.setDefaultValues``),
    ``hint`` is a tooltip, ``html`` replaces the shown text (sanitised), ``style`` is CSS for the button.
    Without ``allowNested`` a ``Choice`` inside a ``Choice`` is skipped (``isSkipped``). Labels controls
    preselect only the first ``Label selected="true"`` (``Annotation.setInitialValues``).

Limits
    ``tags/control/Rating.jsx``: ``maxRating`` (default ``"5"``) is used as ``count={Number(maxrating)}`` with
    no clamp, and the hotkey steps 1, 2, ... up to it and back to none (``increaseValue``); ``defaultValue`` is
    handed to antd's ``Rate`` next to a controlled ``value``, so it shows and saves nothing. labelnb refuses a
    ``maxRating`` that is not a whole number >= 1 and, like LS, caps nothing: ``max_rating`` here is
    :attr:`ControlTag.max_rating <labelnb.config.model.ControlTag.max_rating>`, the bound
    :mod:`labelnb.config.result_values` checks. ``tags/control/Number.jsx``: ``min``/``max`` bound the value,
    ``step`` (``parseFloat``) puts it on a grid from ``min`` (or 0), checked with a tolerance of 1e-8
    (``validateValue``); ``defaultValue`` is written into the result at submit when no number was entered
    (``beforeSend``); the hotkey adds ``step`` (default 1) and wraps to ``min`` past ``max`` (``increaseValue``).
    ``tags/control/TextArea/TextArea.jsx``: ``rows`` (default ``"1"``), ``maxSubmissions`` (``parseInt``;
    no more entries once reached), ``editable``, ``skipDuplicates``, ``placeholder``, ``showSubmitButton``
    (default: shown when ``rows`` is not 1), ``value`` (prefilled text, ``$field`` read from the task).
    ``tags/control/DateTime.jsx``: ``only`` is matched by substring (``"date"``, ``"time"``, ``"month"``,
    ``"year"``), ``min``/``max`` are ISO strings.

Required, perRegion, visibility
    Only Choices, Taxonomy, Number, DateTime, Rating and TextArea take ``required``, ``requiredMessage``,
    ``perRegion`` and ``perItem`` (``mixins/Required.js``, ``mixins/PerRegion.js``, ``mixins/PerItem.js``; the
    default messages are in each tag's ``requiredModal``); on other controls LS ignores them. ``perItem`` works
    only with the feature flag ``fflag_feat_front_lsdv_4583_multi_image_segmentation_short``. A perRegion
    control with ``whenLabelValue`` shows only for regions carrying that whole label (``perRegionVisible``).
    ``visibleWhen`` is honoured on ``View``, ``Markdown``, ``Choices``, ``Taxonomy`` and ``TextArea`` only
    (``mixins/Visibility.js``): ``region-selected`` (optionally the region's labels control ``whenTagName``
    and one of ``whenLabelValue``), ``no-region-selected``, ``choice-selected`` / ``choice-unselected``
    (with ``whenTagName``: that control has a selection, or one of the choices ``whenChoiceValue`` names by
    value or alias is selected; without it: any ``Choices`` control has a selection, ``whenChoiceValue``
    ignored; a hidden target counts as unselected). ``whenChoiceValue`` without ``visibleWhen`` shows the tag
    when any control's selected values include that whole text. A tag is also hidden when an enclosing tag
    is (``getParent(self, 2)?.isVisible``).

Shapes
    Defaults from the tool models, the later one winning as ``types.compose`` does (``tags/control/Labels/
    Labels.jsx`` ``TagAttrs``, then ``Rectangle.js``, ``Polygon.js``, ``Ellipse.js``, ``KeyPoint.js``,
    ``Brush.js``, ``Bitmask.js``, ``Vector.js``, ``MagicWand.js``, ``TimeSeriesLabels.jsx``); ``smart``
    (true) and ``smartOnly`` (false) come from ``tags/control/Base.js`` (also on ``Labels``, whose smart
    selections of a text go to an assistant). A labelled region is drawn in its
    label's colour (``regions/Result.js`` ``style``).

Image
    ``tags/object/Image/Image.js`` ``TagAttrs`` (``zoom`` true, ``zoomControl`` true, ``rotateControl``,
    ``brightnessControl``, ``contrastControl``, ``crosshair`` false, ``zoomBy`` 1.1, ``defaultZoom`` fit ...).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .analyze import bool_attr
from .model import ControlTag, ObjectTag, Tag
from .tags import LABELS_CONTROLS, TAGS

#: Bumped when the shape of the model changes in a way the browser must know about.
MODEL_VERSION = 1

# -- JavaScript's readings of attribute text ---------------------------------------------------------

# The characters JavaScript's String.prototype.trim and Number() strip (WhiteSpace and LineTerminator).
_JS_SPACE = "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_DECIMAL = re.compile(r"[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)\Z", re.ASCII)
_RADIX = re.compile(r"0(?:([xX][0-9a-fA-F]+)|([oO][0-7]+)|([bB][01]+))\Z", re.ASCII)
_FLOAT_PREFIX = re.compile(r"[+-]?(?:\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)", re.ASCII)
_INT_PREFIX = re.compile(r"([+-]?)(?:0[xX]([0-9a-fA-F]+)|(\d+))", re.ASCII)


def _finite(value: float) -> int | float | None:
    """A JSON-able number: None for NaN and infinities, an int when the value is whole."""
    if math.isnan(value) or math.isinf(value):
        return None
    if value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def js_number(text: str | None) -> int | float | None:
    """``Number(text)`` in JavaScript; None for ``NaN``, infinities and a missing attribute."""
    if text is None:
        return None
    s = text.strip(_JS_SPACE)
    if not s:
        return 0
    if _DECIMAL.match(s):
        return _finite(float(s))
    radix = _RADIX.match(s)
    if radix:
        digits = s[2:]
        base = 16 if radix.group(1) else 8 if radix.group(2) else 2
        return _finite(float(int(digits, base)))
    return None


def js_parse_float(text: str | None) -> int | float | None:
    """``parseFloat(text)`` in JavaScript (the longest decimal prefix); None for ``NaN`` and infinities."""
    if text is None:
        return None
    match = _FLOAT_PREFIX.match(text.lstrip(_JS_SPACE))
    return _finite(float(match.group(0))) if match else None


def js_parse_int(text: str | None) -> int | None:
    """``parseInt(text)`` in JavaScript (decimal, or hex after ``0x``); None for ``NaN``."""
    if text is None:
        return None
    match = _INT_PREFIX.match(text.lstrip(_JS_SPACE))
    if not match:
        return None
    value = int(match.group(2), 16) if match.group(2) else int(match.group(3))
    return -value if match.group(1) == "-" else value


# -- pleasejs make_color({seed}) ---------------------------------------------------------------------

_GOLDEN = 0.618033988749895


def please_color(seed: str) -> str:
    """``ColorScheme.make_color({seed})[0]`` of pleasejs 0.4.2: the colour Label Studio gives a label by default.

    pleasejs seeds an RC4 stream with the seed's UTF-16 code units, draws one float from eight bytes, picks
    the hue ``p = floor(r * 361)``, ``h = (p + p / 0.618033988749895) % 360`` and converts HSV ``(h, 0.4, 0.75)``
    to ``#rrggbb`` with ``floor(255 * channel)``. Float operations are done in the same order as there.
    """
    units = seed.encode("utf-16-le")
    key = [units[k] | (units[k + 1] << 8) for k in range(0, len(units), 2)]
    if not key:  # JavaScript reads charCodeAt(NaN) here and never gets a number; LS never passes ""
        key = [0]
    state = list(range(256))
    j = 0
    for i in range(256):
        j = (j + state[i] + key[i % len(key)]) % 256
        state[i], state[j] = state[j], state[i]
    x = y = 0

    def byte() -> int:
        nonlocal x, y
        x = (x + 1) % 256
        y = (y + state[x]) % 256
        state[x], state[y] = state[y], state[x]
        return state[(state[x] + state[y]) % 256]

    total = 0.0
    weight = 1.0
    for _ in range(8):
        total += byte() * weight
        weight *= 256
    rand = total / 18446744073709551616.0
    p = math.floor(rand * 361)
    hue = math.fmod(p + p / _GOLDEN, 360)
    sat, val = 0.4, 0.75
    sector_f = hue / 60
    sector = math.floor(sector_f)
    frac = sector_f - sector
    low = val * (1 - sat)
    falling = val * (1 - sat * frac)
    rising = val * (1 - sat * (1 - frac))
    red, green, blue = {
        0: (val, rising, low),
        1: (falling, val, low),
        2: (low, val, rising),
        3: (low, falling, val),
        4: (rising, low, val),
        5: (val, low, falling),
    }[sector]
    rgb = (math.floor(255 * red), math.floor(255 * green), math.floor(255 * blue))
    return "#" + format((1 << 24) + (rgb[0] << 16) + (rgb[1] << 8) + rgb[2], "x")[1:]


# -- hotkeys -----------------------------------------------------------------------------------------

#: The keys Label Studio hands out, in order, to labels, choices and the like without a hotkey.
AUTO_HOTKEYS = "1234567890qwetasdfgzxcvbyiopjklnm"
_HOTKEY_ALIASES = {"plus": "=", "minus": "-", ",": "\u00bc"}
_HOTKEY_TOKEN = re.compile(r"((?:\w+\+)*(?:[^,]+|,)),?", re.ASCII)
_ONE_JS_SPACE = re.compile(f"[{_JS_SPACE}]")
_AUDIO_KEY = "shift+space"


def hotkey_key(hotkey: str) -> str:
    """The name a hotkey is bound under in Label Studio (``Hotkey.addKey``: lower-cased, ``applyAliases``)."""
    key = _ONE_JS_SPACE.sub("", hotkey.lower(), count=1)
    parts = [m.group(1) for m in _HOTKEY_TOKEN.finditer(key)]
    return ",".join(
        "+".join(_HOTKEY_ALIASES.get(k.strip(_JS_SPACE), k) for k in part.split("+")) for part in parts
    )


@dataclass
class _Holder:
    """A node with an ``onHotKey`` action, and the model entry whose ``hotkey`` it fills in."""

    entry: dict[str, Any]
    written: str | None
    audio: bool = False


def _assign_hotkeys(holders: list[_Holder]) -> None:
    """``Annotation.setupHotKeys``: written hotkeys first, then audio, then the automatic keys."""
    bound: set[str] = set()
    for holder in holders:
        holder.entry["hotkey"] = holder.written or None
        holder.entry["hotkey_auto"] = False
        if holder.written:
            bound.add(hotkey_key(holder.written))
    players = [h for h in holders if h.audio and not h.written]
    for index, holder in enumerate(players):
        key = _AUDIO_KEY if len(players) == 1 else f"{_AUDIO_KEY}+{index + 1}"
        holder.entry["hotkey"] = key
        holder.entry["hotkey_auto"] = True
        bound.add(key)
    free = [key for key in AUTO_HOTKEYS if key not in bound]
    for holder in holders:
        if holder.entry["hotkey"] is not None:
            continue
        if not free:
            break
        key = free.pop(0)
        holder.entry["hotkey"] = key
        holder.entry["hotkey_auto"] = True
        bound.add(key)
        free = [k for k in free if k not in bound]


# -- attribute tables --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Attr:
    """One attribute of Label Studio's model of a tag: how its text is read, and its default."""

    name: str
    kind: str  # "bool", "str", "number" (Number()), "float" (parseFloat), "int" (parseInt), "enum"
    default: Any = None
    choices: tuple[str, ...] = ()
    key: str | None = None  # the model's key when not the snake_case of ``name``


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _read(node: Tag, spec: _Attr) -> Any:
    raw = attr(node, spec.name)
    if spec.kind == "bool":
        return bool_attr(raw, spec.default)
    if raw is None:
        return spec.default
    if spec.kind == "str":
        return raw
    if spec.kind == "enum":
        return raw if raw in spec.choices else spec.default
    value: int | float | None
    if spec.kind == "number":
        value = js_number(raw)
    elif spec.kind == "float":
        value = js_parse_float(raw)
    else:
        value = js_parse_int(raw)
    return spec.default if value is None else value


def _read_all(node: Tag, specs: Iterable[_Attr]) -> dict[str, Any]:
    return {spec.key or _snake(spec.name): _read(node, spec) for spec in specs}


_ORANGE = "#f48a42"
# tags/control/Labels/Labels.jsx TagAttrs (choice and allowEmpty are read separately)
_LABELS_STYLE = (
    _Attr("opacity", "float", 0.2),
    _Attr("fillColor", "str", _ORANGE),
    _Attr("strokeWidth", "number", 1),
    _Attr("strokeColor", "str", _ORANGE),
    _Attr("fillOpacity", "float", None),
)
_SMART = (_Attr("smart", "bool", True), _Attr("smartOnly", "bool", False))
_RECTANGLE = (
    _Attr("opacity", "float", 0.2),
    _Attr("fillColor", "str", _ORANGE),
    _Attr("strokeWidth", "number", 1),
    _Attr("strokeColor", "str", _ORANGE),
    _Attr("fillOpacity", "float", None),
    _Attr("canRotate", "bool", True),
    _Attr("snap", "str", "none"),
)
_POLYGON = (
    _Attr("opacity", "float", 0.2),
    _Attr("fillColor", "str", _ORANGE),
    _Attr("strokeWidth", "number", 2),
    _Attr("strokeColor", "str", _ORANGE),
    _Attr("snap", "str", "none"),
    _Attr("pointSize", "str", "small"),
    _Attr("pointStyle", "str", "circle"),
)
_ELLIPSE = (
    _Attr("opacity", "float", 0.2),
    _Attr("fillColor", "str", _ORANGE),
    _Attr("strokeWidth", "number", 1),
    _Attr("strokeColor", "str", _ORANGE),
    _Attr("fillOpacity", "float", None),
    _Attr("canRotate", "bool", True),
)
_KEYPOINT = (
    _Attr("opacity", "float", 0.9),
    _Attr("fillColor", "str", "#8bad00"),
    _Attr("snap", "str", "none"),
    _Attr("strokeColor", "str", "#8bad00"),
    _Attr("strokeWidth", "number", 2),
)
_BRUSH = (_Attr("strokeWidth", "number", 15),)
_VECTOR = (
    *_POLYGON,
    _Attr("closable", "bool", False),
    _Attr("curves", "bool", False),
    _Attr("minPoints", "number", None),
    _Attr("maxPoints", "number", None),
    _Attr("skeleton", "bool", False),
    _Attr("pointSizeEnabled", "number", 5),
    _Attr("pointSizeDisabled", "number", 3),
)
_MAGIC_WAND = (
    _Attr("opacity", "float", 0.6),
    _Attr("blurradius", "number", 5, key="blur_radius"),
    _Attr("defaultthreshold", "number", 15, key="default_threshold"),
)
# TimeSeriesLabels.jsx overrides opacity and fillcolor; its camelCase strokeWidth/strokeColor never match
# the lower-cased attribute names, so Labels' defaults stay.
_TIMESERIES_LABELS = (_Attr("opacity", "float", 0.9), _Attr("fillColor", "str", None))

#: The tool attributes of each region control (after Labels' own for ``*Labels``).
_TOOL_ATTRS: dict[str, tuple[_Attr, ...]] = {
    "Rectangle": _RECTANGLE,
    "RectangleLabels": _RECTANGLE,
    "Polygon": _POLYGON,
    "PolygonLabels": _POLYGON,
    "Ellipse": _ELLIPSE,
    "EllipseLabels": _ELLIPSE,
    "KeyPoint": _KEYPOINT,
    "KeyPointLabels": _KEYPOINT,
    "Brush": _BRUSH,
    "BrushLabels": _BRUSH,
    "Bitmask": _BRUSH,
    "BitmaskLabels": _BRUSH,
    "Vector": _VECTOR,
    "VectorLabels": _VECTOR,
    "MagicWand": _MAGIC_WAND,
    "TimeSeriesLabels": _TIMESERIES_LABELS,
}

_IMAGE = (
    _Attr("zoom", "bool", True),
    _Attr("negativeZoom", "bool", False),
    _Attr("zoomBy", "float", 1.1),
    _Attr("zoomControl", "bool", True),
    _Attr("brightnessControl", "bool", False),
    _Attr("contrastControl", "bool", False),
    _Attr("rotateControl", "bool", False),
    _Attr("crosshair", "bool", False),
    _Attr("selectionControl", "bool", True),
    _Attr("grid", "bool", False),
    _Attr("gridSize", "int", 30),
    _Attr("gridColor", "str", "#EEEEF4"),
    _Attr("smoothing", "bool", None),
    _Attr("showLabels", "bool", False),
    _Attr("width", "str", "100%"),
    _Attr("height", "str", None),
    _Attr("maxWidth", "str", "100%"),
    _Attr("maxHeight", "str", "calc(100vh - 194px)"),
    _Attr("horizontalAlignment", "enum", "left", ("left", "center", "right")),
    _Attr("verticalAlignment", "enum", "top", ("top", "center", "bottom")),
    _Attr("defaultZoom", "enum", "fit", ("auto", "original", "fit")),
    _Attr("crossOrigin", "enum", "none", ("none", "anonymous", "use-credentials")),
)
# tags/object/RichText/model.js (Text and HyperText)
_RICH_TEXT = (
    _Attr("selectionEnabled", "bool", True),
    _Attr("highlightColor", "str", None),
    _Attr("showLabels", "bool", None),
    _Attr("granularity", "enum", "symbol", ("symbol", "word", "sentence", "paragraph")),
    _Attr("encoding", "enum", "none", ("none", "base64", "base64unicode")),
)
_OBJECT_ATTRS: dict[str, tuple[_Attr, ...]] = {
    "Image": _IMAGE,
    "Text": _RICH_TEXT,
    "HyperText": (*_RICH_TEXT, _Attr("inline", "bool", False), _Attr("clickableLinks", "bool", False)),
    "List": (_Attr("title", "str", ""),),
}

_CHAT_ROLES = ("user", "assistant", "system", "tool", "developer")


def _roles(text: str | None) -> list[str]:
    return [r for r in (p.strip().lower() for p in (text or "").split(",")) if r in _CHAT_ROLES]


def _chat_attrs(node: Tag) -> dict[str, Any]:
    """``Chat`` (Label Studio's tag doc): the roles an annotator may write as (``messageroles``; by default
    "user,assistant", or "user" when ``llm`` is set, which labelnb never calls), which messages may be
    edited (``editable``: true/false or roles; the annotator's own messages only), and the total number of
    messages a submit needs (``minMessages``) and allows (``maxMessages``)."""
    llm = attr(node, "llm")
    roles = _roles(attr(node, "messageroles") or attr(node, "messageRoles"))
    if not roles:
        roles = ["user"] if llm else ["user", "assistant"]
    editable_raw = (attr(node, "editable") or "").strip().lower()
    if editable_raw in ("", "false"):
        editable: list[str] = []
    elif editable_raw == "true":
        editable = list(_CHAT_ROLES)
    else:
        editable = _roles(editable_raw)
    low = js_parse_int(attr(node, "minMessages") or attr(node, "minmessages"))
    high = js_parse_int(attr(node, "maxMessages") or attr(node, "maxmessages"))
    return {
        "message_roles": roles,
        "editable_roles": editable,
        "min_messages": low if low is not None and low > 0 else None,
        "max_messages": high if high is not None and high > 0 else None,
        "llm": llm,
    }


#: Controls with Label Studio's Required/PerRegion/PerItem mixins, and their default required message.
_REQUIRED_MESSAGE = {
    "Choices": 'Checkbox "{name}" is required.',
    "Taxonomy": 'Taxonomy "{name}" is required.',
    "Number": 'Number "{name}" is required.',
    "DateTime": 'DateTime "{name}" is required.',
    "Rating": 'Rating "{name}" is required.',
    "TextArea": 'Input for the textarea "{name}" is required.',
}
#: Tags with Label Studio's Visibility mixin: the only ones whose ``visibleWhen`` does anything.
_VISIBILITY_TAGS = frozenset({"View", "Markdown", "Choices", "Taxonomy", "TextArea"})
_HOTKEY_CONTROLS = frozenset({"Rating", "Number"})
_AUDIO = frozenset({"Audio", "AudioPlus"})
_EMPTY_LABEL_COLOR = "#666"
_LABEL_BACKGROUND = "#DA935D"


def attr(node: Tag, name: str) -> str | None:
    """Attribute ``name`` of ``node``: the canonical spelling, else matched case-insensitively as LS does."""
    value = node.attrs.get(name)
    if value is not None:
        return value
    lower = name.lower()
    for key, text in node.attrs.items():
        if key.lower() == lower:
            return text
    return None


def _split(text: str | None) -> list[str] | None:
    """A comma list as Label Studio splits it (``split(",")``, nothing trimmed); None when absent or empty."""
    return text.split(",") if text else None


def label_color(node: Tag) -> str:
    """The colour of a ``<Label>``: its ``background``, or pleasejs's colour for its value (see module doc)."""
    background = attr(node, "background")
    if background is None or background == _LABEL_BACKGROUND:
        return please_color(attr(node, "value") or "")
    return background


# -- the builder -------------------------------------------------------------------------------------


@dataclass
class _Place:
    """Where the walk is: the ancestors of the current node and its index path in the tree."""

    chain: list[Tag] = field(default_factory=list)
    path: list[int] = field(default_factory=list)


class _Builder:
    def __init__(
        self,
        objects: Mapping[str, ObjectTag],
        controls: Mapping[str, ControlTag],
        relations: ControlTag | None,
    ) -> None:
        self.all_objects = objects
        self.all_controls = controls
        self.relations = relations
        self.controls: dict[int, ControlTag] = {id(c.node): c for c in controls.values()}
        if relations is not None:
            self.controls[id(relations.node)] = relations
        self.objects: dict[int, ObjectTag] = {id(o.node): o for o in objects.values()}
        self.entries: dict[int, dict[str, Any]] = {}
        self.labels: dict[int, list[dict[str, Any]]] = {}
        self.holders: list[_Holder] = []
        self.views: list[dict[str, Any]] = []
        self.filters: list[dict[str, Any]] = []
        # id of a View/Markdown node with a rule -> its index in self.views
        self.view_index: dict[int, int] = {}

    # -- walking the tree in document order (the order of Label Studio's traverseTree)
    def walk(self, node: Tag, place: _Place) -> None:
        self.visit(node, place)
        place.chain.append(node)
        for index, child in enumerate(node.children):
            place.path.append(index)
            self.walk(child, place)
            place.path.pop()
        place.chain.pop()

    def owner(self, place: _Place) -> ControlTag | None:
        for node in reversed(place.chain):
            if TAGS[node.tag].kind == "control":
                return self.controls.get(id(node))
        return None

    def enclosing(self, place: _Place) -> list[int]:
        return [self.view_index[id(n)] for n in place.chain if id(n) in self.view_index]

    def visit(self, node: Tag, place: _Place) -> None:
        spec = TAGS[node.tag]
        if node.tag in ("View", "Markdown"):
            rule = self.visibility(node)
            if rule is not None:
                self.view_index[id(node)] = len(self.views)
                self.views.append(
                    {
                        "tag": node.tag,
                        "path": list(place.path),
                        "visible_when": rule,
                        "views": self.enclosing(place),
                    }
                )
            return
        if spec.kind == "control":
            control = self.controls.get(id(node))
            if control is not None:
                self.entries[id(node)] = self.control_entry(control, place)
            return
        if spec.kind == "object":
            obj = self.objects.get(id(node))
            if obj is not None:
                self.entries[id(node)] = self.object_entry(obj, place)
            return
        if node.tag in ("Label", "Choice", "Relation"):
            owner = self.owner(place)
            if owner is not None:
                self.label_entry(node, owner, place)
        elif node.tag == "Filter":
            entry = {
                "name": attr(node, "name"),
                "to_name": _split(attr(node, "toName")) or [],
                "placeholder": attr(node, "placeholder") or "Quick Filter",
                "min_length": js_number(attr(node, "minlength") or "3"),
                "path": list(place.path),
            }
            self.filters.append(entry)
            self.holders.append(_Holder(entry, attr(node, "hotkey")))
        elif node.tag == "Shortcut":
            owner = self.owner(place)
            if owner is not None and owner.tag == "TextArea":
                entry = {
                    "value": attr(node, "value"),
                    "alias": attr(node, "alias"),
                    "background": attr(node, "background") or "#333333",
                }
                self.entries[id(owner.node)].setdefault("shortcuts", []).append(entry)
                self.holders.append(_Holder(entry, attr(node, "hotkey")))

    # -- visibility
    def visibility(self, node: Tag) -> dict[str, Any] | None:
        """The ``visibleWhen`` rule of a tag that honours it (mixins/Visibility.js), or None."""
        when = attr(node, "visibleWhen")
        tag_name = attr(node, "whenTagName") or None
        choice_value = attr(node, "whenChoiceValue")
        if not when:
            if not choice_value:
                return None
            # whenChoiceValue alone: any control whose selected values include the whole text
            return {
                "rule": "choice-selected",
                "tag_name": None,
                "controls": [
                    c.name
                    for c in self.all_controls.values()
                    if c.tag in ("Choices", "Taxonomy") or c.tag in LABELS_CONTROLS
                ],
                "choice_values": [choice_value],
                "choice_labels": [choice_value],
            }
        rule: dict[str, Any] = {"rule": when, "tag_name": tag_name}
        if when == "region-selected":
            rule["label_values"] = _split(attr(node, "whenLabelValue"))
            rule["role_values"] = _split(attr(node, "whenRole"))
        elif when in ("choice-selected", "choice-unselected"):
            if tag_name is None:
                rule["controls"] = [c.name for c in self.all_controls.values() if c.tag == "Choices"]
                rule["choice_values"] = None
                rule["choice_labels"] = None
            else:
                values = _split(choice_value)
                rule["controls"] = [tag_name]
                rule["choice_values"] = values
                rule["choice_labels"] = None if values is None else self.choice_labels(tag_name, values)
        return rule

    def choice_labels(self, tag_name: str, values: list[str]) -> list[str]:
        """The result labels that ``whenChoiceValue`` names in control ``tag_name`` (value or alias match).

        Choices: ``findLabel``, the first choice whose alias or value is the text (no match, no label).
        Taxonomy: ``findItemByValueOrAlias``, the same but an unmatched text is looked for as it is.
        """
        control = self.all_controls.get(tag_name)
        if control is None or control.tag not in ("Choices", "Taxonomy"):
            return list(values)
        nodes = [n for n in control.node.iter() if n.tag == "Choice"]
        out: list[str] = []
        for value in values:
            found = next(
                (
                    n
                    for n in nodes
                    if (attr(n, "alias") is not None and attr(n, "alias") == value)
                    or attr(n, "value") == value
                ),
                None,
            )
            if found is not None:
                label = attr(found, "alias") or attr(found, "value") or ""
            elif control.tag == "Taxonomy":
                label = value
            else:
                continue
            if label not in out:
                out.append(label)
        return out

    # -- entries
    def control_entry(self, control: ControlTag, place: _Place) -> dict[str, Any]:
        node = control.node
        tag = control.tag
        classification = tag in _REQUIRED_MESSAGE
        required_message = attr(node, "requiredMessage") or None
        entry: dict[str, Any] = {
            "name": control.name,
            "tag": tag,
            "type": control.type,
            "to_name": list(control.to_name),
            "to_name_implied": control.to_name_implied,
            "path": list(place.path),
            "views": self.enclosing(place),
            "visible_when": self.visibility(node) if tag in _VISIBILITY_TAGS else None,
            "required": control.required and classification,
            "required_message": (
                (required_message or _REQUIRED_MESSAGE[tag].format(name=control.name))
                if classification
                else None
            ),
            "per_region": control.per_region and classification,
            "per_item": control.per_item and classification,
            "per_region_label_value": (attr(node, "whenLabelValue") if classification else None),
            "hotkey": None,
            "hotkey_auto": False,
            "dynamic_labels": control.dynamic_labels,
            "value_key": control.value_key,
        }
        if tag in _HOTKEY_CONTROLS:
            self.holders.append(_Holder(entry, attr(node, "hotkey")))
        spec = TAGS[tag]
        if spec.label_child is not None:
            entry["labels"] = []
            self.labels[id(node)] = entry["labels"]
        if tag == "Relations":
            entry["choice"] = control.choice
        elif tag == "Choices":
            show_inline = bool_attr(attr(node, "showInline"), None)
            layout = _read(node, _Attr("layout", "enum", "vertical", ("select", "inline", "vertical")))
            if show_inline is not None:
                layout = "inline" if show_inline else "vertical"
            entry.update(
                choice=control.choice,
                layout=layout,
                allow_nested=bool_attr(attr(node, "allowNested"), False),
                preselected=[],
            )
        elif tag == "Taxonomy":
            entry.update(
                _read_all(
                    node,
                    (
                        _Attr("leafsOnly", "bool", False),
                        _Attr("showFullPath", "bool", False),
                        _Attr("pathSeparator", "str", " / "),
                        _Attr("placeholder", "str", ""),
                        _Attr("maxUsages", "number", None),
                        _Attr("minWidth", "str", None),
                        _Attr("maxWidth", "str", None),
                        _Attr("dropdownWidth", "str", None),
                        _Attr("legacy", "bool", False),
                        _Attr("labeling", "bool", False),
                        _Attr("apiUrl", "str", None),
                    ),
                ),
                preselected=[],
            )
        elif spec.is_labels:
            max_usages = js_number(attr(node, "maxUsages"))
            allow_empty = bool_attr(attr(node, "allowEmpty"), False)
            entry.update(
                choice=control.choice,
                max_usages=max_usages or None,
                show_inline=bool_attr(attr(node, "showInline"), True),
                allow_empty=allow_empty,
                empty_label=None,
                preselected=[],
            )
            entry.update(_read_all(node, _LABELS_STYLE))
            if allow_empty:
                # Labels.jsx afterCreate: an empty label is put first, so it is first for hotkeys too
                empty = {"color": _EMPTY_LABEL_COLOR}
                entry["empty_label"] = empty
                self.holders.append(_Holder(empty, None))
        if tag in _TOOL_ATTRS:
            entry.update(_read_all(node, _TOOL_ATTRS[tag]))
        if spec.geometry is not None or tag == "Labels":  # Labels: smart selections of a text
            entry.update(_read_all(node, _SMART))
        if tag == "Number":
            step = js_parse_float(attr(node, "step"))
            entry.update(
                min=control.min,
                max=control.max,
                step=step if step else None,
                default_value=js_number(attr(node, "defaultValue"))
                if attr(node, "defaultValue") is not None
                else None,
                slider=bool_attr(attr(node, "slider"), False),
            )
        elif tag == "Rating":
            entry.update(
                max_rating=control.max_rating,
                size=attr(node, "size") or "medium",
                icon=attr(node, "icon") or "star",
            )
        elif tag == "DateTime":
            only = attr(node, "only")
            entry.update(
                min=control.min,
                max=control.max,
                format=attr(node, "format"),
                only=only,
                show_date=not only or "date" in only,
                show_time=not only or "time" in only,
                only_time=only == "time",
                show_month="month" in (only or "") and "date" not in (only or ""),
                show_year="year" in (only or ""),
            )
        elif tag == "TextArea":
            rows = js_parse_int(attr(node, "rows") or "1")
            show_submit = bool_attr(attr(node, "showSubmitButton"), None)
            max_submissions = js_parse_int(attr(node, "maxSubmissions"))
            entry.update(
                value=attr(node, "value"),
                label=attr(node, "label") or "",
                placeholder=attr(node, "placeholder"),
                rows=rows,
                max_submissions=max_submissions or None,
                editable=bool_attr(attr(node, "editable"), False),
                skip_duplicates=bool_attr(attr(node, "skipDuplicates"), False),
                transcription=bool_attr(attr(node, "transcription"), False),
                allow_submit=bool_attr(attr(node, "allowSubmit"), True),
                show_submit_button=show_submit if show_submit is not None else rows != 1,
                display_mode=_read(node, _Attr("displayMode", "enum", "tag", ("tag", "region-list"))),
                shortcuts=[],
            )
        elif tag == "Pairwise":
            entry.update(
                selection_style=attr(node, "selectionStyle"),
                left_class=attr(node, "leftClass"),
                right_class=attr(node, "rightClass"),
            )
        elif tag == "Ranker":
            entry["buckets"] = [
                {
                    "name": attr(b, "name"),
                    "title": attr(b, "title"),
                    "default": bool_attr(attr(b, "default"), False),
                }
                for b in node.iter()
                if b.tag == "Bucket"
            ]
        return entry

    def label_entry(self, node: Tag, owner: ControlTag, place: _Place) -> None:
        labels = self.labels.get(id(owner.node))
        if labels is None:
            return
        value = attr(node, "value")
        alias = attr(node, "alias")
        entry: dict[str, Any] = {"value": value, "alias": alias, "label": alias or value}
        if node.tag == "Label":
            own_usages = js_number(attr(node, "maxUsages"))
            entry.update(
                color=label_color(node),
                selected_color=attr(node, "selectedColor") or "#ffffff",
                hint=attr(node, "hint"),
                html=attr(node, "html"),
                selected=bool_attr(attr(node, "selected"), False),
                max_usages=own_usages or self.entries[id(owner.node)].get("max_usages"),
                show_alias=bool_attr(attr(node, "showAlias"), False),
                alias_style=attr(node, "aliasStyle") or "opacity: 0.6",
                size=attr(node, "size") or "medium",
                granularity=attr(node, "granularity"),
                category=attr(node, "category"),
            )
            self.holders.append(_Holder(entry, attr(node, "hotkey")))
        elif node.tag == "Choice":
            parents = [n for n in place.chain if n.tag == "Choice"]
            path = [attr(n, "alias") or attr(n, "value") or "" for n in parents]
            depth = len(parents)
            control_entry = self.entries[id(owner.node)]
            if owner.tag == "Choices":
                selectable = depth == 0 or bool(control_entry.get("allow_nested"))
            else:
                selectable = not control_entry.get("leafs_only") or not any(
                    c.tag == "Choice" for c in node.children
                )
            entry.update(
                path=[*path, entry["label"]],
                depth=depth,
                selectable=selectable,
                hint=attr(node, "hint"),
                html=attr(node, "html"),
                style=attr(node, "style"),
                color=attr(node, "color"),
                selected=bool_attr(attr(node, "selected"), False),
            )
            nearest = next((n for n in reversed(place.chain) if n.tag in ("Choices", "Taxonomy")), None)
            if nearest is not None and nearest.tag == "Choices":
                self.holders.append(_Holder(entry, attr(node, "hotkey")))
            else:
                entry.update(hotkey=None, hotkey_auto=False)
        else:  # Relation
            entry["color"] = attr(node, "background") or "#fff"
        labels.append(entry)

    def object_entry(self, obj: ObjectTag, place: _Place) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "name": obj.name,
            "tag": obj.tag,
            "value": obj.value,
            "value_key": obj.value_key,
            "value_list": obj.value_list,
            "value_type": obj.value_type,
            "path": list(place.path),
            "views": self.enclosing(place),
            "hotkey": None,
            "hotkey_auto": False,
        }
        if obj.tag in _AUDIO:
            self.holders.append(_Holder(entry, attr(obj.node, "hotkey"), audio=True))
        elif obj.tag == "TimeSeries":
            self.holders.append(_Holder(entry, attr(obj.node, "hotkey")))
        entry.update(_read_all(obj.node, _OBJECT_ATTRS.get(obj.tag, ())))
        if obj.tag == "Chat":
            entry.update(_chat_attrs(obj.node))
        return entry

    # -- after the walk
    def finish(self) -> dict[str, Any]:
        _assign_hotkeys(self.holders)
        for control in self.all_controls.values():
            entry = self.entries[id(control.node)]
            if "preselected" not in entry:
                continue
            picked = [
                label for label in entry["labels"] if label["selected"] and label.get("selectable", True)
            ]
            if control.tag in LABELS_CONTROLS:
                # only the first selected label is preselected (Annotation.setInitialValues)
                entry["preselected"] = [label["label"] for label in picked[:1]]
            elif control.tag == "Taxonomy" or entry.get("allow_nested"):
                # nested results hold the path from the root (Choice.jsx resultValue)
                entry["preselected"] = [label["path"] for label in picked]
            else:
                entry["preselected"] = [label["label"] for label in picked]
        relations = self.relations
        return {
            "version": MODEL_VERSION,
            "controls": [self.entries[id(c.node)] for c in self.all_controls.values()],
            "relations": self.entries[id(relations.node)] if relations is not None else None,
            "objects": [self.entries[id(o.node)] for o in self.all_objects.values()],
            "views": self.views,
            "filters": self.filters,
        }


def build_control_model(
    root: Tag,
    objects: Mapping[str, ObjectTag],
    controls: Mapping[str, ControlTag],
    relations: ControlTag | None,
) -> dict[str, Any]:
    """The analysed control model of a checked config (a :class:`~labelnb.config.LabelConfig`'s ``root``,
    ``objects``, ``controls`` and ``relations``): plain JSON-able dicts, see the module docstring.

    Shape::

        {"version": 1,
         "controls": [ {name, tag, type, to_name, to_name_implied, path, views, visible_when,
                        required, required_message, per_region, per_item, per_region_label_value,
                        hotkey, hotkey_auto, dynamic_labels, value_key, labels?, ...per tag}, ... ],
         "relations": {name, tag: "Relations", type: "relation", choice, labels, ...} | None,
         "objects": [ {name, tag, value, value_key, value_list, value_type, path, views, hotkey,
                       hotkey_auto, ...typed attributes}, ... ],
         "views": [ {tag, path, visible_when, views}, ... ],
         "filters": [ {name, to_name, placeholder, min_length, path, hotkey, hotkey_auto}, ... ]}

    Controls and objects are in document order. ``path`` is the node's index path in the tag tree
    (:meth:`LabelConfig.to_json <labelnb.config.LabelConfig.to_json>`); ``views`` lists the indexes (into
    ``"views"``) of the enclosing tags with a visibility rule, outermost first: a node shows only when its own
    ``visible_when`` and all of those hold.
    """
    builder = _Builder(objects, controls, relations)
    builder.walk(root, _Place())
    return builder.finish()
