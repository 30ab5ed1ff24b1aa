"""The configs the front end's tests render, with the ``view`` and ``controls`` traits the kernel sends for them.

The widget's tests (js/test) must not make up a control model: what they render has to be what the kernel
sends. This module turns each config below into both traits exactly as :class:`labelnb.widget.Annotator`
makes them (``for_task(data).to_json()`` and ``for_task(data).control_model()``) and writes them into
``js/test/models.generated.ts``; ``test_js_fixtures.py`` fails when that file is not current. After changing
a config here or the control model, regenerate it::

    .venv/bin/python -m tests.unit.widget.js_fixtures
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from labelnb.config import LabelConfig

ROOT = Path(__file__).resolve().parents[3]
TARGET = ROOT / "js" / "test" / "models.generated.ts"

_WIDGET = """
<View>
  <Header value="Review of $title"/>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text" showInline="true"{required}>
    <Choice value="Positive" hotkey="1"/>
    <Choice value="Negative" alias="neg" hotkey="2"/>
  </Choices>
  <Choices name="topics" toName="text" choice="multiple">
    <Choice value="Food" hotkey="f"/>
    <Choice value="Service" hotkey="s"/>
  </Choices>
  <Rating name="stars" toName="text" hotkey="r"/>
  <TextArea name="note" toName="text" placeholder="Why?"/>
  <Number name="price" toName="text" min="0" max="100"/>
  <Style>.x {{ color: red }}</Style>
  <Taxonomy name="tax" toName="text"><Choice value="A"/></Taxonomy>
  <Markdown value="Some **notes**"/>
  <Collapse><Panel value="Details"><Header value="Inside"/></Panel></Collapse>
  <HyperText name="page" value="&lt;b&gt;x&lt;/b&gt;"/>
  <Audio name="clip" value="$title"/>
</View>
"""

_DYNAMIC = '<View><Text name="t" value="$t"/><Choices name="c" toName="t" value="$options"/></View>'

_RANKER_ITEMS = [
    {"id": "blog", "title": "10 tips", "body": "Write better functions."},
    {
        "id": "mdn",
        "title": "Arrow functions",
        "body": "A compact alternative.",
        "html": '<b>MDN</b><span onclick="steal()">!</span>',
    },
    {"id": "wiki", "title": "Arrow (computer science)", "body": "A type class."},
    {"id": "so", "title": "Stack Overflow", "body": "Questions."},
]

#: name -> (config XML, task data)
CONFIGS: dict[str, tuple[str, dict[str, Any]]] = {
    # js/test/widget.test.tsx
    "widget": (_WIDGET.format(required=' required="true"'), {"title": "Pizza Place", "text": "Great crust."}),
    "widgetOptional": (_WIDGET.format(required=""), {"title": "Pizza Place", "text": "Great crust."}),
    "image": (
        '<View><Image name="img" value="$image" maxWidth="500px"/></View>',
        {"image": "s3://b/cat.png"},
    ),
    "preselected": (
        '<View><Text name="t" value="$t"/><Choices name="q" toName="t"><Choice value="ok" selected="true"/>'
        '<Choice value="no" selected="true"/></Choices></View>',
        {"t": "x"},
    ),
    "visibleWhen": (
        """
<View>
  <Text name="t" value="$t"/>
  <Choices name="has" toName="t"><Choice value="Yes"/><Choice value="No"/></Choices>
  <Choices name="which" toName="t" visibleWhen="choice-selected" whenTagName="has" whenChoiceValue="Yes"
           required="true">
    <Choice value="A"/>
  </Choices>
</View>
""",
        {"t": "x"},
    ),
    # js/test/render.test.tsx
    "render": (
        """
<View>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text">
    <Choice value="Positive" hotkey="1"/><Choice value="Negative" hotkey="2"/>
  </Choices>
  <Choices name="topics" toName="text" choice="multiple"><Choice value="Food"/></Choices>
  <Rating name="stars" toName="text"/>
  <TextArea name="note" toName="text"/>
  <Number name="price" toName="text"/>
  <View visibleWhen="choice-selected" whenTagName="sentiment" whenChoiceValue="Negative">
    <TextArea name="why" toName="text"/>
  </View>
</View>
""",
        {"text": "Nice."},
    ),
    # js/test/config.test.ts: visibility, submission, validation, defaults
    "analysis": (
        """
<View>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text" required="true">
    <Choice value="Positive" alias="pos"/><Choice value="Negative" selected="true"/>
  </Choices>
  <View visibleWhen="choice-selected" whenTagName="sentiment" whenChoiceValue="Positive">
    <Rating name="how" toName="text" required="true" defaultValue="3"/>
  </View>
  <Number name="n" toName="text" min="0" max="10" defaultValue="4"/>
  <TextArea name="region_note" toName="text" perRegion="true"/>
  <Collapse><Panel value="More"><TextArea name="hidden_note" toName="text" required="true"/></Panel></Collapse>
</View>
""",
        {"text": "x"},
    ),
    "requiredMessage": (
        '<View><Text name="t" value="$t"/><Rating name="r" toName="t" required="true" requiredMessage="Rate it!"/>'
        '<TextArea name="say" toName="t" required="true"/></View>',
        {"t": "x"},
    ),
    "hiddenTarget": (
        """
<View>
  <Text name="t" value="$t"/>
  <Choices name="gate" toName="t"><Choice value="open"/></Choices>
  <View visibleWhen="choice-selected" whenTagName="gate" whenChoiceValue="open">
    <Choices name="inner" toName="t"><Choice value="x"/></Choices>
  </View>
  <Choices name="after" toName="t" visibleWhen="choice-selected" whenTagName="inner">
    <Choice value="y"/>
  </Choices>
  <TextArea name="free" toName="t" visibleWhen="choice-unselected" whenTagName="gate"/>
</View>
""",
        {"t": "x"},
    ),
    "regionRule": (
        """
<View>
  <Text name="t" value="$t"/>
  <Labels name="ner" toName="t"><Label value="PER"/><Label value="ORG"/></Labels>
  <View visibleWhen="region-selected" whenTagName="ner" whenLabelValue="PER">
    <TextArea name="who" toName="t"/>
  </View>
  <View visibleWhen="no-region-selected"><TextArea name="general" toName="t"/></View>
</View>
""",
        {"t": "x"},
    ),
    # regions on an image, perRegion controls (one only for "Car" boxes) and a View shown while a box is selected
    "regions": (
        """
<View>
  <Image name="img" value="$image"/>
  <RectangleLabels name="box" toName="img"><Label value="Car"/><Label value="Tree"/></RectangleLabels>
  <Choices name="state" toName="img" perRegion="true"><Choice value="parked"/><Choice value="moving"/></Choices>
  <TextArea name="plate" toName="img" perRegion="true" whenLabelValue="Car"/>
  <Number name="speed" toName="img" perRegion="true" slider="true" min="0" max="100" step="10"/>
  <View visibleWhen="region-selected" whenTagName="box"><Rating name="quality" toName="img"/></View>
  <Relations><Relation value="next to"/></Relations>
</View>
""",
        {"image": "https://example.org/street.jpg"},
    ),
    # js/test/textarea.test.tsx: entries added, edited, deleted; maxSubmissions, skipDuplicates, a prefill
    "textarea": (
        """
<View>
  <Text name="t" value="$t"/>
  <TextArea name="tags" toName="t" maxSubmissions="2" skipDuplicates="true" placeholder="A tag"/>
  <TextArea name="notes" toName="t" rows="3" editable="true"/>
  <TextArea name="fix" toName="t" editable="true" transcription="true"/>
  <TextArea name="summary" toName="t" value="About $t" showSubmitButton="true"/>
</View>
""",
        {"t": "cats"},
    ),
    # named entities: spans of a text, in code points
    "ner": (
        """
<View>
  <Labels name="ner" toName="text"><Label value="PER"/><Label value="ORG"/></Labels>
  <Text name="text" value="$text"/>
</View>
""",
        {"text": "Hi 👋 Bob met Alice."},
    ),
    # word granularity on the Text, and a Label that asks for symbols again
    "nerWords": (
        """
<View>
  <Labels name="ner" toName="text"><Label value="PER"/><Label value="CHR" granularity="symbol"/></Labels>
  <Text name="text" value="$text" granularity="word"/>
</View>
""",
        {"text": "Hi 👋 Bob-Smith met e\u0301mile, o\u0301k?"},
    ),
    # several images in one task: regions carry the image's item_index
    "imageList": (
        """
<View>
  <Image name="pages" valueList="$pages"/>
  <RectangleLabels name="box" toName="pages"><Label value="Stamp"/></RectangleLabels>
</View>
""",
        {"pages": ["https://example.org/p1.png", "https://example.org/p2.png", "https://example.org/p3.png"]},
    ),
    # the rules the kernel and Label Studio read differently from what the front end used to
    "rules": (
        """
<View>
  <Text name="t" value="$t"/>
  <Choices name="one" toName="t" perRegion="1"><Choice value="a"/><Choice value="b"/></Choices>
  <Choices name="regional" toName="t" perRegion="true"><Choice value="c"/></Choices>
  <Choices name="drop" toName="t" layout="select" showInline="true"><Choice value="d"/><Choice value="e"/></Choices>
  <Choices name="picked" toName="t" required="yes"><Choice value="f" selected="1"/></Choices>
  <Rating name="stars" toName="t" maxRating="30"/>
  <TextArea name="note" toName="t"/>
  <TextArea name="essay" toName="t" rows="4"/>
  <Number name="half" toName="t" min="1" max="5" step="0.5"/>
  <Number name="tenth" toName="t" step="0.1"/>
</View>
""",
        {"t": "x"},
    ),
    # options from the task (dynamic choices) get their automatic hotkeys too
    "dynamic": (
        _DYNAMIC,
        {"t": "x", "options": [{"value": "Red"}, {"value": "Blue", "hotkey": "b"}, {"value": "Green"}]},
    ),
    "dynamicNext": (_DYNAMIC, {"t": "y", "options": [{"value": "Violet"}]}),
    # js/test/ranker.test.ts: a Ranker on a List, without and with Buckets (one of them the default)
    "ranker": (
        '<View><List name="results" value="$items" title="Search results"/>'
        '<Ranker name="rank" toName="results"/></View>',
        {"items": _RANKER_ITEMS},
    ),
    "rankerBuckets": (
        '<View><List name="results" value="$items" title="Search results"/>'
        '<Ranker name="rank" toName="results"><Bucket name="best" title="Best"/>'
        '<Bucket name="ads" title="Paid"/></Ranker></View>',
        {"items": _RANKER_ITEMS},
    ),
    "rankerDefault": (
        '<View><List name="results" value="$items"/><Ranker name="rank" toName="results">'
        '<Bucket name="keep" title="Keep" default="true"/><Bucket name="drop" title="Drop"/></Ranker></View>',
        {"items": [{"id": 3, "title": "three"}, {"id": 1, "title": "one"}, {"id": "b", "title": "bee"}]},
    ),
}


def build() -> dict[str, dict[str, Any]]:
    """name -> {"view", "controls", "data"}: the traits the kernel sends for each config's task."""
    out: dict[str, dict[str, Any]] = {}
    for name, (xml, data) in CONFIGS.items():
        config = LabelConfig.from_xml(xml).for_task(data)
        out[name] = {"view": config.to_json(), "controls": config.control_model(), "data": data}
    return out


def render() -> str:
    """The text of js/test/models.generated.ts."""
    body = ",\n".join(
        f"  {name}: fixture({json.dumps(value, indent=None, sort_keys=True)})"
        for name, value in build().items()
    )
    return (
        "// Generated by tests/unit/widget/js_fixtures.py: the view and controls traits the kernel sends for the\n"
        "// configs there. Do not edit; regenerate with `.venv/bin/python -m tests.unit.widget.js_fixtures`.\n"
        "/* eslint-disable */\n"
        'import type { ViewNode } from "../src/protocol";\n'
        'import type { ControlModel } from "../src/schema/model";\n'
        "\n"
        "export interface Fixture {\n"
        "  view: ViewNode;\n"
        "  controls: ControlModel;\n"
        "  data: Record<string, unknown>;\n"
        "}\n"
        "\n"
        "const fixture = (f: Fixture): Fixture => f;\n"
        "\n"
        "export const FIXTURES = {\n" + body + ",\n};\n"
    )


if __name__ == "__main__":
    TARGET.write_text(render())
    print(f"wrote {TARGET.relative_to(ROOT)}")
