"""XML text -> :class:`~labelnb.config.model.Tag` tree, with a hardened parser and precise positions."""

from __future__ import annotations

import bisect
import difflib
import re

from lxml import etree

from .errors import ConfigError
from .model import Tag
from .tags import TAGS, canonical_attr, canonical_tag

# Longest config accepted (characters). Real configs are a few kilobytes.
MAX_CONFIG_CHARS = 2_000_000

_XML_DECL = re.compile(r"\A\s*<\?xml\b[^>]*\?>")
_LXML_POSITION = re.compile(r",\s*line \d+, column \d+\s*$")


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        dtd_validation=False,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        remove_blank_text=False,
    )


class _Positions:
    """Maps character offsets in the source to 1-based (line, column)."""

    def __init__(self, text: str) -> None:
        self._starts = [0]
        self._starts.extend(m.end() for m in re.finditer("\n", text))

    def at(self, offset: int) -> tuple[int, int]:
        row = bisect.bisect_right(self._starts, offset) - 1
        return row + 1, offset - self._starts[row] + 1


def _scan_markup(text: str, pos: _Positions) -> list[int]:
    """Offsets of the ``<`` of every start tag, in document order.

    XML forbids a raw ``<`` in text and attribute values, so every ``<`` outside comments, CDATA sections
    and processing instructions opens a tag. Raises ConfigError on DOCTYPE/ENTITY declarations.
    """
    starts: list[int] = []
    i = text.find("<")
    while i >= 0:
        if text.startswith("<!--", i):
            end = text.find("-->", i + 4)
            i = text.find("<", end + 3) if end >= 0 else -1
            continue
        if text.startswith("<![CDATA[", i):
            end = text.find("]]>", i + 9)
            i = text.find("<", end + 3) if end >= 0 else -1
            continue
        if text.startswith("<?", i):
            end = text.find("?>", i + 2)
            i = text.find("<", end + 2) if end >= 0 else -1
            continue
        if text.startswith("<!", i):
            line, column = pos.at(i)
            word = re.match(r"<!\s*([A-Za-z]*)", text[i : i + 40])
            what = word.group(1).upper() if word and word.group(1) else "markup declaration"
            raise ConfigError(
                f"<!{what}> is not allowed in a labeling config (DOCTYPE and ENTITY declarations are "
                "refused for safety); remove it and write the values out literally",
                line,
                column,
            )
        if not text.startswith("</", i):
            starts.append(i)
        i = text.find("<", i + 1)
    return starts


def _closest(name: str, candidates: list[str]) -> str | None:
    lowered = {c.lower(): c for c in candidates}
    match = difflib.get_close_matches(name.lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[match[0]] if match else None


def _own_text(element: etree._Element) -> str | None:
    pieces = [element.text or ""]
    pieces.extend(child.tail or "" for child in element)
    text = "".join(pieces)
    return text if text.strip() else None


def parse_xml(xml: str) -> Tag:
    """Parse config text into a :class:`Tag` tree with canonical tag and attribute names.

    Raises:
        ConfigError: empty text, malformed XML, DOCTYPE/ENTITY declarations, unknown tags (with a
            suggestion), or an attribute given twice in different letter case.
    """
    if not isinstance(xml, str):
        raise ConfigError(f"a labeling config must be XML text (str), not {type(xml).__name__}")
    if not xml.strip():
        raise ConfigError(
            "the labeling config is empty; write one such as "
            '<View><Image name="image" value="$image"/></View>',
            1,
            1,
        )
    if len(xml) > MAX_CONFIG_CHARS:
        raise ConfigError(
            f"the labeling config is {len(xml):,} characters long (limit {MAX_CONFIG_CHARS:,}); "
            "move long texts into task data",
            1,
            1,
        )
    # A byte order mark is invisible in editors, so columns are counted without it.
    if xml.startswith("\ufeff"):
        xml = xml[1:]
    # lxml refuses str input with an encoding declaration; blank it out so offsets stay the same.
    decl = _XML_DECL.match(xml)
    source = re.sub(r"[^\n]", " ", xml[: decl.end()]) + xml[decl.end() :] if decl else xml
    positions = _Positions(source)
    starts = _scan_markup(source, positions)
    try:
        root = etree.fromstring(source.encode("utf-8"), _parser())
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (None, None)
        detail = _LXML_POSITION.sub("", str(exc.msg or exc))
        if "Entity" in detail:
            fix = (
                "XML knows only the entities &amp; &lt; &gt; &quot; &apos;, so write the character itself "
                "or a numeric reference such as &#160;"
            )
        else:
            fix = (
                "check that every tag is closed (<Tag .../> or <Tag>...</Tag>) and attribute values are "
                "quoted"
            )
        raise ConfigError(
            f"the labeling config is not well-formed XML: {detail}; {fix}",
            line or None,
            column or None,
        ) from None
    elements = [el for el in root.iter() if isinstance(el.tag, str)]
    located = len(elements) == len(starts)

    def build(element: etree._Element, index: int) -> tuple[Tag, int]:
        line: int | None
        column: int | None
        if located:
            line, column = positions.at(starts[index])
        else:
            source_line: object = element.sourceline
            line = source_line if isinstance(source_line, int) else None
            column = None
        raw = element.tag
        assert isinstance(raw, str)
        name = canonical_tag(raw) if "}" not in raw else None
        if name is None:
            hint = _closest(raw, list(TAGS))
            suggestion = f"did you mean <{hint}>? " if hint else ""
            raise ConfigError(
                f"unknown tag <{raw}>; {suggestion}known tags are listed in labelnb.config.TAGS",
                line,
                column,
            )
        attrs: dict[str, str] = {}
        for key, value in element.attrib.items():
            key = str(key)
            canon = canonical_attr(name, key)
            if canon in attrs:
                raise ConfigError(
                    f"attribute {canon!r} is given twice on <{raw}> (names are case-insensitive); keep one",
                    line,
                    column,
                )
            attrs[canon] = str(value)
        node = Tag(name, attrs, [], _own_text(element), line, column)
        index += 1
        if name == "HyperText" and (len(element) or (element.text or "").strip()):
            # As Label Studio's editor: what a HyperText holds is HTML, its value, never config tags
            # (its Tree.tsx takes the element's innerHTML).
            inner = (element.text or "") + "".join(
                etree.tostring(child, encoding="unicode", with_tail=True) for child in element
            )
            if inner.strip():
                node.attrs["value"] = inner.strip()
                node.text = None
            index += sum(1 for el in element.iter() if isinstance(el.tag, str)) - 1
            return node, index
        for child in element:
            if not isinstance(child.tag, str):
                continue
            sub, index = build(child, index)
            node.children.append(sub)
        return node, index

    tree, _ = build(root, 0)
    return tree
