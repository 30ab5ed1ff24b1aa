"""Interactive pre-annotation, kernel side: assist requests are checked before the assistant sees them,
its answers are checked against the config before the browser does, and the colour segmenter is right.

The browser is played with tests.kernel_browser (its real messages through the widget's handler); the
round trip through a real page is tests/e2e/test_assist.py.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from label_studio_sdk.converter.brush import decode_rle
from PIL import Image, ImageDraw

import labelnb as lnb
from labelnb.config import LabelConfig
from labelnb.learn.assist import encode_rle, flood_fill_segmenter, mask_to_rle, occurrence_assistant
from labelnb.learn.interactive import (
    MAX_CONTEXT_ITEMS,
    AssistError,
    answer_items,
    as_assistant,
    check_context,
)
from labelnb.widget import protocol
from tests.kernel_browser import Browser, open_widget

CONFIG = """
<View>
  <Image name="image" value="$image"/>
  <BrushLabels name="mask" toName="image"><Label value="Ball"/><Label value="Box"/></BrushLabels>
  <RectangleLabels name="box" toName="image" smart="true"><Label value="Ball"/><Label value="Box"/></RectangleLabels>
  <KeyPointLabels name="kp" toName="image" smart="true"><Label value="Ball"/><Label value="Box"/></KeyPointLabels>
  <KeyPointLabels name="plain" toName="image" smart="false"><Label value="Ball"/></KeyPointLabels>
</View>
"""
W, H = 160, 120


def click(x: float, y: float, positive: bool = True, **over: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": "c1",
        "from_name": "kp",
        "to_name": "image",
        "type": "keypointlabels",
        "original_width": W,
        "original_height": H,
        "image_rotation": 0,
        "value": {"x": x, "y": y, "width": 1.0, "keypointlabels": ["Ball"]},
        "is_positive": positive,
    }
    value = over.pop("value", None)
    if value is not None:
        item["value"] = {**item["value"], **value}
    return {**item, **over}


def picture() -> Image.Image:
    """A red disc touching an orange bar on a light background, and a blue square apart."""
    img = Image.new("RGB", (W, H), (240, 240, 240))
    draw = ImageDraw.Draw(img)
    draw.ellipse((10, 20, 70, 80), fill=(220, 40, 40))
    draw.rectangle((70, 40, 110, 60), fill=(230, 100, 40))
    draw.rectangle((120, 80, 150, 110), fill=(40, 60, 220))
    return img


def decoded(item: dict[str, Any]) -> np.ndarray:
    return (
        decode_rle(item["value"]["rle"]).reshape(item["original_height"], item["original_width"], 4)[:, :, 3]
        > 0
    )


@pytest.fixture
def config() -> LabelConfig:
    return LabelConfig.from_xml(CONFIG)


# -- the request ------------------------------------------------------------------------------------


def test_a_click_is_rebuilt_from_checked_fields_only(config: LabelConfig) -> None:
    raw = click(25.0, 50.0, False, extra="<script>", value={"script": "x"})
    (item,) = check_context(config, {"image": "a.png"}, [raw])
    assert item == {
        "id": "c1",
        "from_name": "kp",
        "to_name": "image",
        "type": "keypointlabels",
        "value": {"x": 25.0, "y": 50.0, "width": 1.0, "keypointlabels": ["Ball"]},
        "is_positive": False,
        "original_width": W,
        "original_height": H,
        "image_rotation": 0,
    }


@pytest.mark.parametrize(
    ("item", "message"),
    [
        (click(math.nan, 10), "value.x must be a finite number"),
        (click(10, math.inf), "value.y must be a finite number"),
        (click(101, 10), "percentage from 0 to 100"),
        (click(-1, 10), "percentage from 0 to 100"),
        (click(10, 10, value={"x": True}), "value.x must be a finite number"),
        (click(10, 10, from_name="mask", type="brushlabels"), "not a smart key point, rectangle"),
        (click(10, 10, from_name="plain"), "not a smart key point, rectangle"),  # smart="false"
        (click(10, 10, from_name="nope"), "not a smart key point, rectangle"),
        (click(10, 10, to_name="other"), "not an object 'kp' draws on"),
        (click(10, 10, type="rectanglelabels"), "type must be 'keypointlabels'"),
        (click(10, 10, is_positive="yes"), "is_positive must be true or false"),
        (click(10, 10, id="<img src=x>"), "id must be a short id"),
        (click(10, 10, value={"keypointlabels": ["<b>Cat</b>"]}), "not in the label set"),
        (click(10, 10, value={"keypointlabels": "Ball"}), "must be a list"),
        (click(10, 10, original_width=-5), "original_width must be a whole number"),
        (
            {
                **click(10, 10, from_name="box", type="rectanglelabels"),
                "value": {"x": 60, "y": 10, "width": 50, "height": 10, "rectanglelabels": ["Ball"]},
            },
            "reaches past the image",
        ),
    ],
)
def test_bad_clicks_are_refused_naming_the_field(
    config: LabelConfig, item: dict[str, Any], message: str
) -> None:
    with pytest.raises(AssistError, match=message):
        check_context(config, {"image": "a.png"}, [item])


def test_a_request_holds_one_to_a_bounded_number_of_items(config: LabelConfig) -> None:
    with pytest.raises(AssistError, match="at least one"):
        check_context(config, {}, [])
    with pytest.raises(AssistError, match=f"at most {MAX_CONTEXT_ITEMS}"):
        check_context(config, {}, [click(1, 1)] * (MAX_CONTEXT_ITEMS + 1))
    assert len(check_context(config, {}, [click(1, 1)] * MAX_CONTEXT_ITEMS)) == MAX_CONTEXT_ITEMS
    with pytest.raises(protocol.ProtocolError, match="at most"):
        protocol.parse_browser_message(
            {
                "kind": "assist",
                "request_id": "r",
                "task_id": 1,
                "context": [{}] * (protocol.MAX_ASSIST_ITEMS + 1),
            }
        )
    with pytest.raises(protocol.ProtocolError, match="objects"):
        protocol.parse_browser_message({"kind": "assist", "request_id": "r", "task_id": 1, "context": ["x"]})


# -- the answer -------------------------------------------------------------------------------------


def box(**value: Any) -> dict[str, Any]:
    return {
        "from_name": "box",
        "to_name": "image",
        "type": "rectanglelabels",
        "value": {
            "x": 1,
            "y": 2,
            "width": 3,
            "height": 4,
            "rotation": 0,
            "rectanglelabels": ["Ball"],
            **value,
        },
    }


def test_an_answer_is_checked_against_the_config_and_marked_predicted(config: LabelConfig) -> None:
    ids = iter(["n1", "n2"])
    numpy_box = box(x=np.float64(1.5), width=np.int64(3))
    items = answer_items(config, {}, {"result": [numpy_box, {**box(), "id": 7}]}, lambda: next(ids))
    assert [(i["id"], i["origin"]) for i in items] == [("n1", "prediction"), ("7", "prediction")]
    assert items[0]["value"]["x"] == 1.5
    assert type(items[0]["value"]["x"]) is float
    assert answer_items(config, {}, None, lambda: "x") == []


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ([box(rectanglelabels=["<img src=x onerror=alert(1)>"])], "not in the label set"),
        ([{**box(), "from_name": "nope"}], "names no control"),
        ([box(x=math.nan)], "nan, which JSON cannot hold"),
        ([box(x=150)], "value.x"),
        ({"predictions": []}, "without 'result'"),
        ("boxes", "must return a list"),
        ([box()] * 1001, "at most 1000"),
        ([object()], "not JSON"),
    ],
)
def test_bad_answers_are_refused(config: LabelConfig, answer: Any, message: str) -> None:
    with pytest.raises(AssistError, match=message):
        answer_items(config, {}, answer, lambda: "x")


def test_an_ml_backend_is_asked_as_label_studio_asks_it() -> None:
    seen: list[tuple[list[dict[str, Any]], dict[str, Any]]] = []

    class Backend:
        def predict(self, tasks: list[dict[str, Any]], context: dict[str, Any] | None = None) -> Any:
            seen.append((tasks, context or {}))
            return [{"result": [box()], "score": 0.5}]

    assistant = as_assistant(Backend())
    assert assistant.ask({"id": 3}, {"result": []}) == {"result": [box()], "score": 0.5}
    assert seen == [([{"id": 3}], {"result": []})]

    class Several:
        predictions = [[{"result": []}, {"result": [box()]}]]

        def predict(self, tasks: list[dict[str, Any]], context: dict[str, Any] | None = None) -> Any:
            return self  # label_studio_ml's ModelResponse: predictions, each a list for several

    assert as_assistant(Several()).ask({}, {}) == {"result": []}
    with pytest.raises(TypeError, match="assist must be"):
        as_assistant(42)


# -- through the widget -----------------------------------------------------------------------------


@pytest.fixture
def project(tmp_path: Path) -> lnb.Project:
    picture().save(tmp_path / "shapes.png")
    p = lnb.Project.create(tmp_path / "p", CONFIG, media_roots=[tmp_path])
    p.import_tasks([{"image": str(tmp_path / "shapes.png")}, {"image": str(tmp_path / "shapes.png")}])
    return p


def widget(project: lnb.Project, assist: Any) -> Browser:
    return open_widget(project, assist=assist)


def test_the_widget_asks_the_assistant_and_sends_its_checked_answer(project: lnb.Project) -> None:
    calls: list[tuple[dict[str, Any], dict[str, Any]]] = []

    def assist(task: dict[str, Any], context: dict[str, Any]) -> list[dict[str, Any]]:
        calls.append((task, context))
        task["data"]["image"] = "changed by the callback"
        return [box()]

    browser = widget(project, assist)
    assert browser.widget.status["assist"] is True
    answer = browser.send("assist", task_id=1, context=[click(25, 50), click(30, 50, False, id="c2")])
    assert answer["ok"] is True
    (item,) = answer["result"]
    assert (item["origin"], item["from_name"], type(item["id"])) == ("prediction", "box", str)
    task, context = calls[0]
    assert task["id"] == 1
    assert [c["is_positive"] for c in context["result"]] == [True, False]
    assert browser.widget.task["data"]["image"] != "changed by the callback"  # the callback had a copy


@pytest.mark.parametrize(
    ("fields", "answer", "message"),
    [
        ({"task_id": 2}, [box()], "task 2 is not the task on screen"),
        ({"context": [click(math.nan, 1)]}, [box()], "value.x must be a finite number"),
        ({}, [box(rectanglelabels=["<script>alert(1)</script>"])], "not in the label set"),
        ({}, [{**box(), "from_name": "kp"}], "type"),
    ],
)
def test_the_widget_answers_bad_requests_and_answers_with_an_error(
    project: lnb.Project, fields: dict[str, Any], answer: Any, message: str
) -> None:
    browser = widget(project, lambda task, context: answer)
    got = browser.send("assist", **{"task_id": 1, "context": [click(10, 10)], **fields})
    assert got["ok"] is False
    assert got["error"].startswith("Auto-annotation failed:")
    assert message in got["error"]
    assert "result" not in got
    # nothing was stored, and the widget goes on working
    assert project.annotations(1) == []
    assert browser.send("submit", task_id=1, result=[box()])["ok"] is True


def test_a_failing_assistant_becomes_an_error_message(project: lnb.Project) -> None:
    def assist(task: dict[str, Any], context: dict[str, Any]) -> Any:
        raise RuntimeError("model not loaded")

    browser = widget(project, assist)
    got = browser.send("assist", task_id=1, context=[click(10, 10)])
    assert got == {
        "kind": "reply",
        "request_id": got["request_id"],
        "ok": False,
        "error": "Auto-annotation failed: the assistant raised RuntimeError: model not loaded",
    }


def test_without_an_assistant_there_is_no_toggle_and_no_answer(project: lnb.Project) -> None:
    browser = open_widget(project)
    assert "assist" not in browser.widget.status
    got = browser.send("assist", task_id=1, context=[click(10, 10)])
    assert got["ok"] is False
    assert "no assistant" in got["error"]


# -- the segmenter ----------------------------------------------------------------------------------


def test_rle_is_label_studios() -> None:
    rng = np.random.default_rng(7)
    for values in (
        rng.integers(0, 3, 5_000).astype(np.uint8),  # literals and short runs
        np.r_[np.zeros(70_000 * 4, np.uint8), np.full(9, 255, np.uint8)],  # a run past 65,536
        np.arange(70_000, dtype=np.uint64).astype(np.uint8),  # a literal block past 65,536
        np.zeros(0, np.uint8),
    ):
        assert (decode_rle(encode_rle(values)) == values).all()
    mask = np.zeros((3, 4), bool)
    mask[1, 1:3] = True
    rgba = decode_rle(mask_to_rle(mask)).reshape(3, 4, 4)
    assert (rgba[:, :, 3] > 0).tolist() == mask.tolist()
    assert (rgba[:, :, 0] == rgba[:, :, 3]).all()


def test_the_segmenter_grows_from_positive_clicks_and_shrinks_at_negative_ones(config: LabelConfig) -> None:
    img = picture()
    segment = flood_fill_segmenter(lambda task: img, brush="mask", box="box", tolerance=90)
    disc = click(40 / W * 100, 50 / H * 100)
    one = segment({"id": 1}, {"result": [disc]})
    assert [i["type"] for i in one] == ["brushlabels", "rectanglelabels"]
    answer_items(config, {}, one, lambda: "x")  # fits the config
    grown = decoded(one[0])
    # the disc and the bar touching it (orange is near red); not the background, not the blue square
    assert [grown[50, 40], grown[50, 100], grown[5, 5], grown[95, 135]] == [True, True, False, False]
    assert one[1]["value"]["x"] == pytest.approx(10 / W * 100, abs=1)
    assert one[1]["value"]["width"] == pytest.approx(101 / W * 100, abs=1.5)
    assert one[0]["value"]["brushlabels"] == ["Ball"]

    bar = click(100 / W * 100, 50 / H * 100, False, id="c2")
    two = segment({"id": 1}, {"result": [disc, bar]})
    shrunk = decoded(two[0])
    assert [shrunk[50, 40], shrunk[50, 100]] == [True, False]  # the bar is left out
    assert 0 < shrunk.sum() < grown.sum()
    assert two[1]["value"]["width"] == pytest.approx(61 / W * 100, abs=1.5)
    assert two[0]["id"] == one[0]["id"]  # the same series keeps its ids: the browser replaces in place


def test_the_segmenter_takes_a_box_and_answers_nothing_for_nothing() -> None:
    img = picture()
    segment = flood_fill_segmenter(lambda task: np.asarray(img), brush="mask", label="Box")
    drawn = {
        **click(0, 0, from_name="box", type="rectanglelabels"),
        "value": {"x": 70, "y": 60, "width": 28, "height": 35, "rotation": 0, "rectanglelabels": ["Box"]},
    }
    (mask,) = segment({}, {"result": [drawn]})
    got = decoded(mask)
    assert got[95, 135]
    assert got.sum() == pytest.approx(31 * 31, rel=0.1)
    assert mask["value"]["brushlabels"] == ["Box"]
    assert segment({}, {"result": []}) == []
    # a negative click on the very pixel of the only positive one leaves nothing
    assert segment({}, {"result": [click(50, 50), click(50, 50, False)]}) == []


# -- text -------------------------------------------------------------------------------------------

NER = """
<View>
  <Text name="text" value="$text"/>
  <Labels name="ner" toName="text"><Label value="LOC"/><Label value="PER"/></Labels>
  <Labels name="quiet" toName="text" smart="false"><Label value="LOC"/></Labels>
</View>
"""
SENTENCE = "Ada went to Le Havre; Le Havre 😀 liked Ada."


def selection(start: int, end: int, **over: Any) -> dict[str, Any]:
    value = {"start": start, "end": end, "text": SENTENCE[start:end], "labels": ["LOC"]}
    return {
        "id": "s1",
        "from_name": "ner",
        "to_name": "text",
        "type": "labels",
        "value": {**value, **over.pop("value", {})},
        "is_positive": True,
        **over,
    }


@pytest.mark.parametrize(
    ("item", "message"),
    [
        (selection(12, 15, value={"text": "<script>"}), "value.text"),  # not the task's text
        (selection(12, 15, value={"end": 10**6}), "end"),
        (selection(12, 15, value={"start": -1}), "value.start must be a whole number"),
        (selection(12, 15, value={"start": 12.5}), "value.start must be a whole number"),
        (selection(15, 12), "end must come after"),
        (selection(12, 15, from_name="quiet"), "not a smart key point, rectangle"),
        (selection(12, 15, type="rectanglelabels"), "type must be 'labels'"),
    ],
)
def test_a_text_selection_is_checked_against_the_task_text(item: dict[str, Any], message: str) -> None:
    config = LabelConfig.from_xml(NER)
    with pytest.raises(AssistError, match=message):
        check_context(config, {"text": SENTENCE}, [item])


def test_the_occurrence_assistant_labels_every_occurrence_of_the_selected_words() -> None:
    config = LabelConfig.from_xml(NER)
    data = {"text": SENTENCE}
    (item,) = check_context(config, data, [selection(13, 17)])  # "e Ha", inside "Le Havre"
    assist = occurrence_assistant(lambda task: task["data"]["text"], labels="ner")
    answer = answer_items(config, data, assist({"data": data}, {"result": [item]}), lambda: "x")
    assert [(a["value"]["start"], a["value"]["text"], a["value"]["labels"]) for a in answer] == [
        (12, "Le Havre", ["LOC"]),
        (22, "Le Havre", ["LOC"]),
    ]
    # offsets in code points after an emoji: the second "Ada" is where Python counts it
    (ada,) = check_context(config, data, [selection(0, 2, value={"labels": ["PER"]})])
    spans = assist({"data": data}, {"result": [ada]})
    assert [s["value"]["start"] for s in spans] == [0, SENTENCE.rindex("Ada")]
    answer_items(config, data, spans, lambda: "x")  # the config agrees with the offsets
