"""The front end's tag registry (js/src/schema/registry.ts) lists every tag the Python table knows.

A tag Python parses but the front end does not list would fall through to a generic note: the registry
must say where each tag lives, or that it is not there yet. And what the kernel believes the widget shows
(labelnb.widget.support) must be what the registry says it shows.
"""

from __future__ import annotations

import re
from pathlib import Path

from labelnb.config.tags import TAGS
from labelnb.widget import support

REGISTRY = (Path(__file__).resolve().parents[2] / "js" / "src" / "schema" / "registry.ts").read_text()


def homes() -> dict[str, str]:
    body = re.search(r"TAG_HOMES[^=]*= \{(.*?)\n\};", REGISTRY, re.S)
    assert body, "registry.ts has no TAG_HOMES table"
    found = dict(re.findall(r"^\s+(\w+): ([^,]+),", body.group(1), re.M))
    assert found, "TAG_HOMES is empty"
    return {tag: home.strip().strip('"') for tag, home in found.items()}


def test_the_registry_lists_every_tag_python_knows() -> None:
    listed = homes()
    assert sorted(set(TAGS) - set(listed)) == [], "tags with no home in js/src/schema/registry.ts"
    assert sorted(set(listed) - set(TAGS)) == [], "registry.ts lists tags labelnb/config/tags.py lacks"


def test_the_kernel_and_the_registry_agree_on_what_the_widget_shows() -> None:
    shown = {
        tag
        for tag, home in homes().items()
        if home not in ("NOT_YET", "KERNEL") and TAGS[tag].kind != "child"
    }
    assert shown == set(support.OBJECTS | support.CONTROLS)


def test_paragraphs_and_their_labels_are_shown_only_as_the_widget_draws_them() -> None:
    from labelnb.config import LabelConfig

    def notes(body: str) -> list[str]:
        return support.unsupported_tags(LabelConfig.from_xml(f"<View>{body}</View>"))

    shown = (
        '<Paragraphs name="p" value="$d" layout="dialogue" nameKey="who" textKey="said"/>'
        '<ParagraphLabels name="pl" toName="p"><Label value="A"/></ParagraphLabels>'
    )
    assert notes(shown) == []
    # ParagraphLabels draws spans on Paragraphs only; a Paragraphs read from a URL is not shown
    assert notes(
        '<Text name="t" value="$t"/><ParagraphLabels name="pl" toName="t"><Label value="A"/></ParagraphLabels>'
    ) == ["ParagraphLabels"]
    assert notes('<Paragraphs name="p" value="$u" valueType="url"/>') == ['Paragraphs with valueType="url"']
