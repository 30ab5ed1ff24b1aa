"""Which tags of a config the widget can show in this version.

The front end's registries (``js/src/objects/index.ts`` and ``js/src/controls/index.ts``) list the tags
it renders; these sets mirror them (a test keeps them equal). A config with controls outside them can still
be imported, exported and labelled from Python, but the widget must not store an empty annotation for a
task whose controls it could not even show.
"""

from __future__ import annotations

from labelnb.config import LabelConfig

#: the region controls the image surface draws with (js/src/controls/regionTools.ts); OcrLabels draws
#: boxes on the pages of a Pdf, which shows each page on that surface
REGION_TOOLS = (
    "RectangleLabels",
    "Rectangle",
    "OcrLabels",
    "PolygonLabels",
    "Polygon",
    "EllipseLabels",
    "Ellipse",
    "KeyPointLabels",
    "KeyPoint",
    "BrushLabels",
    "Brush",
    "BitmaskLabels",
    "Bitmask",
    "VectorLabels",
    "Vector",
)

#: object and layout tags the widget renders (``Style`` is applied to its widget only, never shown)
OBJECTS = frozenset(
    {
        "View",
        "Text",
        "HyperText",
        "Paragraphs",
        "Image",
        "Pdf",
        "Header",
        "Style",
        "Markdown",
        "Table",
        "Collapse",
        "Panel",
        "Chat",
        "List",
        "Filter",
    }
)
#: control tags the widget renders: classifications, the image region tools, and Relations (made and
#: listed in the region list)
CONTROLS = frozenset(
    {
        "Choices",
        "TextArea",
        "Rating",
        "Number",
        "DateTime",
        "Taxonomy",
        "Pairwise",
        "Ranker",
        *REGION_TOOLS,
        "Labels",  # on images (the bare tools' labels), or spans of Text and HyperText; else noted below
        "ParagraphLabels",  # spans of Paragraphs only (as Labels on Text)
        "HyperTextLabels",  # spans of HyperText only
        "Relations",
    }
)


def _labels_only(config: LabelConfig, name: str | None, tags: tuple[str, ...]) -> bool:
    """True when the Labels control ``name`` targets objects of these tags only (js/src/controls/
    regionTools.ts ``isImageLabels``, ``isTextLabels``)."""
    control = config.controls.get(name or "")
    if control is None or not control.to_name:
        return False
    return all(getattr(config.objects.get(target), "tag", None) in tags for target in control.to_name)


def unsupported_tags(config: LabelConfig) -> list[str]:
    """Short descriptions of the tags of ``config`` the widget cannot show yet, in config order."""
    found: list[str] = []

    def note(text: str) -> None:
        if text not in found:
            found.append(text)

    for node in config.root.iter():
        tag = node.tag
        if tag in ("Label", "Choice", "Relation", "Bucket"):
            continue  # children of their control: counted with it
        if tag == "Text" and (node.get("valueType") or "").strip().lower() == "url":
            note('Text with valueType="url"')
        elif tag == "Labels" and _labels_only(config, node.get("name"), ("Image",)):
            continue  # labels for the bare image tools' regions
        elif tag == "Labels" and _labels_only(config, node.get("name"), ("Text", "HyperText")):
            continue  # spans of a text or of a HyperText's document
        elif tag == "Labels":
            note("Labels")
        elif tag == "ParagraphLabels" and not _labels_only(config, node.get("name"), ("Paragraphs",)):
            note("ParagraphLabels")
        elif tag == "HyperTextLabels" and not _labels_only(config, node.get("name"), ("HyperText",)):
            note("HyperTextLabels")
        elif tag == "HyperText" and (node.get("valueType") or "").strip().lower() == "url":
            note('HyperText with valueType="url"')
        elif tag == "Paragraphs" and (node.get("valueType") or "").strip().lower() == "url":
            note('Paragraphs with valueType="url"')
        elif tag not in OBJECTS and tag not in CONTROLS:
            note(tag)
    return found
