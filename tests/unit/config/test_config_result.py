"""validate_result: each rule accepts what Label Studio produces and rejects a broken item precisely."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from labelnb.config import LabelConfig, ResultError

IMAGE = LabelConfig.from_xml(
    """<View>
  <Image name="img" value="$image"/>
  <RectangleLabels name="box" toName="img"><Label value="Car"/><Label value="Bus"/></RectangleLabels>
  <PolygonLabels name="poly" toName="img" choice="multiple"><Label value="Road"/><Label value="Lane"/></PolygonLabels>
  <EllipseLabels name="ell" toName="img"><Label value="Ball"/></EllipseLabels>
  <KeyPointLabels name="kp" toName="img"><Label value="Nose"/></KeyPointLabels>
  <BrushLabels name="brush" toName="img"><Label value="Sky"/></BrushLabels>
  <BitmaskLabels name="mask" toName="img"><Label value="Sky"/></BitmaskLabels>
  <VectorLabels name="vec" toName="img"><Label value="Line"/></VectorLabels>
  <Choices name="cls" toName="img"><Choice value="Day"/><Choice value="Night"/></Choices>
  <Choices name="tags" toName="img" choice="multiple"><Choice value="Rain"/><Choice value="Snow"/></Choices>
  <Choices name="nested" toName="img" allowNested="true" choice="multiple" value="$opts"/>
  <Taxonomy name="tax" toName="img"><Choice value="A"><Choice value="B"/></Choice><Choice value="C"/></Taxonomy>
  <TextArea name="note" toName="img"/>
  <Number name="count" toName="img" min="0" max="10"/>
  <Rating name="stars" toName="img" maxRating="3"/>
  <DateTime name="when" toName="img"/>
  <Relations><Relation value="near"/></Relations>
</View>"""
)

RECT: dict[str, Any] = {
    "id": "r1",
    "from_name": "box",
    "to_name": "img",
    "type": "rectanglelabels",
    "value": {"x": 10, "y": 10, "width": 20, "height": 20, "rotation": 0, "rectanglelabels": ["Car"]},
}


def _with(item: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """A copy of ``item`` with dotted-path changes; ``...`` deletes the key."""
    out = copy.deepcopy(item)
    for path, new in changes.items():
        *head, last = path.split("__")
        target = out
        for key in head:
            target = target[key]
        if new is ...:
            del target[last]
        else:
            target[last] = new
    return out


def _fails(
    config: LabelConfig, items: list[Any], field: str | None, needle: str, data: Any = None, index: int = 0
) -> None:
    with pytest.raises(ResultError) as info:
        config.validate_result(items, data)
    assert info.value.field == field, str(info.value)
    assert info.value.index == (index if field is not None or items else None), str(info.value)
    assert needle in info.value.message, str(info.value)


# -- envelope -------------------------------------------------------------------------------------------


def test_result_must_be_a_list_of_dicts() -> None:
    with pytest.raises(ResultError, match="must be a list"):
        IMAGE.validate_result({"type": "choices"})  # type: ignore[arg-type]
    _fails(IMAGE, ["oops"], None, "must be a dict")
    IMAGE.validate_result([])


def test_type_is_required() -> None:
    _fails(IMAGE, [_with(RECT, type=...)], "type", "type must be")


def test_from_name_must_name_a_control_and_suggests_one() -> None:
    _fails(IMAGE, [_with(RECT, from_name="bx")], "from_name", "from_name 'bx' names no control tag")
    _fails(IMAGE, [_with(RECT, from_name="bx")], "from_name", "did you mean 'box'?")
    _fails(IMAGE, [_with(RECT, from_name=...)], "from_name", "must be the name of a control")


def test_to_name_must_be_a_target_of_the_control() -> None:
    _fails(IMAGE, [_with(RECT, to_name="other")], "to_name", "is not a target of control 'box'")
    _fails(IMAGE, [_with(RECT, to_name=None)], "to_name", "to_name must name an object tag")


def test_type_must_match_the_control() -> None:
    _fails(IMAGE, [_with(RECT, type="polygonlabels")], "type", "does not match control 'box'")
    # a labels-type control may also produce the generic "labels" type
    IMAGE.validate_result([_with(RECT, type="labels", value__labels=["Car"], value__rectanglelabels=...)])


def test_value_must_be_an_object() -> None:
    _fails(IMAGE, [_with(RECT, value=...)], "value", "value must be a dict")
    _fails(IMAGE, [_with(RECT, value=[1, 2])], "value", "value must be a dict")


def test_id_and_item_index_types() -> None:
    _fails(IMAGE, [_with(RECT, id=["x"])], "id", "id must be a string")
    _fails(IMAGE, [_with(RECT, item_index=-1)], "item_index", "whole number")


def test_unknown_fields_are_allowed() -> None:
    IMAGE.validate_result(
        [
            _with(
                RECT,
                meta={"text": ["note"]},
                readonly=True,
                hidden=False,
                score=0.5,
                origin="prediction-changed",
                parentID="p",
                original_width=100,
                original_height=50,
                image_rotation=0,
                normalization="x",
                something_new={"a": 1},
                value__score=0.9,
            )
        ]
    )


# -- labels ---------------------------------------------------------------------------------------------


def test_labels_must_be_in_the_label_set() -> None:
    _fails(
        IMAGE,
        [_with(RECT, value__rectanglelabels=["Cra"])],
        "value.rectanglelabels[0]",
        "did you mean 'Car'?",
    )
    _fails(IMAGE, [_with(RECT, value__rectanglelabels=...)], "value.rectanglelabels", "is missing")
    _fails(IMAGE, [_with(RECT, value__rectanglelabels="Car")], "value.rectanglelabels", "list of strings")


def test_single_labels_control_takes_one_label_per_region() -> None:
    _fails(
        IMAGE,
        [_with(RECT, value__rectanglelabels=["Car", "Bus"])],
        "value.rectanglelabels",
        "one label per region",
    )
    poly = {
        "from_name": "poly",
        "to_name": "img",
        "type": "polygonlabels",
        "value": {"points": [[1, 1], [2, 2], [1, 3]], "polygonlabels": ["Road", "Lane"]},
    }
    IMAGE.validate_result([poly])


def test_generic_labels_merge_with_a_sibling_tool_only() -> None:
    with_tool = LabelConfig.from_xml(
        '<View><Image name="i" value="$i"/><Labels name="l" toName="i"><Label value="A"/></Labels>'
        '<Rectangle name="r" toName="i"/></View>'
    )
    merged = {
        "from_name": "l",
        "to_name": "i",
        "type": "rectanglelabels",
        "value": {"x": 1, "y": 1, "width": 5, "height": 5, "rectanglelabels": ["A"]},
    }
    with_tool.validate_result([merged])
    _fails(
        with_tool,
        [_with(merged, value__rectanglelabels=["B"])],
        "value.rectanglelabels[0]",
        "not in the label set",
    )
    _fails(with_tool, [_with(merged, type="polygonlabels")], "type", "does not match")
    # the tool's own result may carry labels of the Labels control on the same image
    with_tool.validate_result([_with(merged, from_name="r")])
    _fails(
        with_tool,
        [_with(merged, from_name="r", value__rectanglelabels=["Z"])],
        "value.rectanglelabels[0]",
        "'A'",
    )


def test_dynamic_labels_are_checked_only_against_given_data() -> None:
    config = LabelConfig.from_xml(
        '<View><Text name="t" value="$text"/><Labels name="l" toName="t" value="$kinds"/></View>'
    )
    item = {
        "from_name": "l",
        "to_name": "t",
        "type": "labels",
        "value": {"start": 0, "end": 2, "labels": ["Drug"]},
    }
    config.validate_result([item])
    config.validate_result([item], {"text": "Hi there", "kinds": ["Drug", "Dose"]})
    _fails(
        config,
        [item],
        "value.labels[0]",
        "not in the label set",
        data={"text": "Hi there", "kinds": ["Dose"]},
    )


# -- image geometry ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "needle"),
    [
        ({"value__x": ...}, "value.x", "must be a number"),
        ({"value__x": "10"}, "value.x", "must be a number"),
        ({"value__x": True}, "value.x", "must be a number"),
        ({"value__x": float("nan")}, "value.x", "must be a number"),
        ({"value__x": -1}, "value.x", "outside 0-100"),
        ({"value__y": 100.5}, "value.y", "outside 0-100"),
        ({"value__width": -0.5}, "value.width", "outside 0-100"),
        ({"value__x": 90, "value__width": 20}, "value.width", "goes past the image edge"),
        ({"value__rotation": 400}, "value.rotation", "between -360 and 360"),
    ],
)
def test_rectangle_geometry(changes: dict[str, Any], field: str, needle: str) -> None:
    _fails(IMAGE, [_with(RECT, **changes)], field, needle)


def test_rectangle_allows_a_tiny_epsilon_and_rotated_overhang() -> None:
    IMAGE.validate_result([_with(RECT, value__x=-1e-9, value__width=100.0000001)])
    IMAGE.validate_result([_with(RECT, value__x=90, value__width=20, value__rotation=45)])


def test_polygon_ellipse_keypoint_geometry() -> None:
    poly = {
        "from_name": "poly",
        "to_name": "img",
        "type": "polygonlabels",
        "value": {"points": [[1, 1], [2, 2]], "polygonlabels": ["Road"]},
    }
    _fails(IMAGE, [_with(poly, value__points=[])], "value.points", "non-empty list")
    _fails(IMAGE, [_with(poly, value__points=[[1, 2, 3]])], "value.points[0]", "[x, y] pair")
    _fails(IMAGE, [_with(poly, value__points=[[1, 2], [101, 2]])], "value.points[1][0]", "outside 0-100")
    _fails(IMAGE, [_with(poly, value__closed="yes")], "value.closed", "true or false")
    ell = {
        "from_name": "ell",
        "to_name": "img",
        "type": "ellipselabels",
        "value": {"x": 5, "y": 5, "radiusX": 2, "radiusY": 2, "ellipselabels": ["Ball"]},
    }
    IMAGE.validate_result([ell])
    _fails(IMAGE, [_with(ell, value__radiusY=-2)], "value.radiusY", "outside 0-100")
    kp = {
        "from_name": "kp",
        "to_name": "img",
        "type": "keypointlabels",
        "value": {"x": 5, "y": 5, "width": 1, "keypointlabels": ["Nose"]},
    }
    IMAGE.validate_result([kp])
    _fails(IMAGE, [_with(kp, value__y=120)], "value.y", "outside 0-100")


def test_brush_bitmask_vector_values() -> None:
    brush = {
        "from_name": "brush",
        "to_name": "img",
        "type": "brushlabels",
        "value": {"format": "rle", "rle": [0, 255], "brushlabels": ["Sky"]},
    }
    IMAGE.validate_result([brush])
    IMAGE.validate_result([_with(brush, value__rle=..., value__maskDataURL="data:image/png;base64,xx")])
    _fails(IMAGE, [_with(brush, value__rle=[0, 256])], "value.rle", "0-255")
    _fails(IMAGE, [_with(brush, value__format="png")], "value.format", "must be 'rle'")
    mask = {
        "from_name": "mask",
        "to_name": "img",
        "type": "bitmasklabels",
        "value": {"bitmasklabels": ["Sky"]},
    }
    _fails(IMAGE, [mask], "value.imageDataURL", "data URL")
    IMAGE.validate_result([_with(mask, value__imageDataURL="data:image/png;base64,iVBORw0KGgo=")])
    # the widget draws this value: only a PNG data URL, never another type or a remote address
    for bad in [
        "https://evil.example/x.png",
        "data:image/svg+xml;base64,PHN2Zz4=",
        "data:image/png;base64,<b>",
    ]:
        _fails(IMAGE, [_with(mask, value__imageDataURL=bad)], "value.imageDataURL", "PNG data URL")
    vec = {
        "from_name": "vec",
        "to_name": "img",
        "type": "vectorlabels",
        "value": {"vertices": [{"x": 1, "y": 1}], "vectorlabels": ["Line"]},
    }
    IMAGE.validate_result([vec])
    _fails(IMAGE, [_with(vec, value__vertices=[{"x": 1}])], "value.vertices[0].y", "must be a number")
    _fails(IMAGE, [_with(vec, value__vertices="a")], "value.vertices", "list of")


def test_per_region_results_repeat_geometry_which_is_checked() -> None:
    item = {
        "id": "r1",
        "from_name": "cls",
        "to_name": "img",
        "type": "choices",
        "value": {**RECT["value"], "choices": ["Day"]},
    }
    del item["value"]["rectanglelabels"]
    IMAGE.validate_result([RECT, item])
    _fails(IMAGE, [RECT, _with(item, value__x=150)], "value.x", "outside 0-100", index=1)


# -- classification types ---------------------------------------------------------------------------------


def _cls(name: str, rtype: str, value: dict[str, Any]) -> dict[str, Any]:
    return {"id": "c", "from_name": name, "to_name": "img", "type": rtype, "value": value}


def test_choices() -> None:
    IMAGE.validate_result([_cls("cls", "choices", {"choices": ["Day"]})])
    IMAGE.validate_result([_cls("tags", "choices", {"choices": ["Rain", "Snow"]})])
    _fails(
        IMAGE,
        [_cls("cls", "choices", {"choices": ["Day", "Night"]})],
        "value.choices",
        "takes a single choice",
    )
    _fails(IMAGE, [_cls("tags", "choices", {"choices": []})], "value.choices", "is empty")
    _fails(IMAGE, [_cls("cls", "choices", {"choices": ["Dusk"]})], "value.choices[0]", "not offered by 'cls'")
    _fails(IMAGE, [_cls("cls", "choices", {"choices": "Day"})], "value.choices", "list of strings")
    _fails(IMAGE, [_cls("cls", "choices", {})], "value.choices", "list of strings")


def test_nested_dynamic_choices() -> None:
    item = _cls("nested", "choices", {"choices": [["Fruit", "Apple"], ["Veg"]]})
    IMAGE.validate_result([item])
    data = {"image": "x", "opts": [{"value": "Fruit", "children": [{"value": "Apple"}]}, "Veg"]}
    IMAGE.validate_result([item], data)
    _fails(
        IMAGE,
        [_cls("nested", "choices", {"choices": [["Fruit", "Pear"]]})],
        "value.choices[0]",
        "'Pear'",
        data=data,
    )


def test_taxonomy_paths() -> None:
    IMAGE.validate_result([_cls("tax", "taxonomy", {"taxonomy": [["A"], ["A", "B"], ["C"]]})])
    _fails(
        IMAGE,
        [_cls("tax", "taxonomy", {"taxonomy": [["B"]]})],
        "value.taxonomy[0]",
        "not a path in the taxonomy",
    )
    _fails(IMAGE, [_cls("tax", "taxonomy", {"taxonomy": ["A"]})], "value.taxonomy[0]", "list of strings")
    _fails(IMAGE, [_cls("tax", "taxonomy", {"taxonomy": "A"})], "value.taxonomy", "list of paths")


def test_textarea() -> None:
    IMAGE.validate_result([_cls("note", "textarea", {"text": ["a", "b"]})])
    IMAGE.validate_result([_cls("note", "textarea", {"text": "legacy string"})])
    _fails(IMAGE, [_cls("note", "textarea", {"text": [1]})], "value.text[0]", "must be a string")


def test_number_range() -> None:
    IMAGE.validate_result([_cls("count", "number", {"number": 10})])
    _fails(
        IMAGE, [_cls("count", "number", {"number": 11})], "value.number", "outside 'count''s range 0.0..10.0"
    )
    _fails(IMAGE, [_cls("count", "number", {"number": -1})], "value.number", "outside")
    _fails(IMAGE, [_cls("count", "number", {"number": True})], "value.number", "must be a number")


SLIDER = LabelConfig.from_xml(
    """<View>
  <Text name="t" value="$t"/>
  <Number name="n" toName="t" min="0.5" max="10" step="0.5" slider="true"/>
  <Number name="free" toName="t" step="0.1"/>
</View>"""
)


def _number(name: str, got: Any) -> list[dict[str, Any]]:
    return [{"id": "n1", "from_name": name, "to_name": "t", "type": "number", "value": {"number": got}}]


NUMBER_REFUSALS: list[tuple[Any, str]] = [
    (float("nan"), "must be a number, not nan"),
    (float("inf"), "must be a number, not inf"),
    (float("-inf"), "must be a number, not -inf"),
    (10**400, "must be a number, not 1000"),  # JSON allows it; a float cannot hold it
    (10**5000, "must be a number, not a whole number of thousands of digits"),
    ("3", "must be a number, not '3'"),
    (None, "must be a number, not None"),
    (False, "must be a number, not False"),
    (10.5, "value.number 10.5 is outside 'n''s range 0.5..10.0"),
    (0, "outside 'n''s range"),
    (1.25, "value.number 1.25 is not on 'n''s step of 0.5 from 0.5"),
]


# (ids by message: pytest cannot print an int of 5000 digits either)
@pytest.mark.parametrize(("got", "needle"), NUMBER_REFUSALS, ids=[n for _, n in NUMBER_REFUSALS])
def test_number_refuses_what_is_not_a_finite_number_in_range_on_the_step(got: Any, needle: str) -> None:
    _fails(SLIDER, _number("n", got), "value.number", needle, data={"t": "x"})


def test_number_on_the_step_within_label_studios_tolerance() -> None:
    for got in (0.5, 1, 9.5, 10, 2.5 + 1e-9):
        SLIDER.validate_result(_number("n", got), {"t": "x"})
    # a slider's values in floating point: 0.1 * 3 is 0.30000000000000004, on the grid of 0.1 all the same
    SLIDER.validate_result(_number("free", 0.1 * 3), {"t": "x"})
    _fails(SLIDER, _number("free", 0.35), "value.number", "not on 'free''s step of 0.1", data={"t": "x"})
    # the value must be there
    _fails(SLIDER, [{**_number("n", 1)[0], "value": {}}], "value.number", "is missing", data={"t": "x"})


def test_number_drafts_may_be_out_of_range_but_never_nan() -> None:
    SLIDER.validate_result(_number("n", 11), {"t": "x"}, draft=True)
    with pytest.raises(ResultError, match="must be a number"):
        SLIDER.validate_result(_number("n", float("nan")), {"t": "x"}, draft=True)


def test_rating_range() -> None:
    IMAGE.validate_result([_cls("stars", "rating", {"rating": 3})])
    IMAGE.validate_result([_cls("stars", "rating", {"rating": 0})])
    _fails(IMAGE, [_cls("stars", "rating", {"rating": 4})], "value.rating", "outside 0..3")
    _fails(IMAGE, [_cls("stars", "rating", {"rating": -1})], "value.rating", "outside 0..3")
    _fails(IMAGE, [_cls("stars", "rating", {"rating": 1.5})], "value.rating", "whole number")


def test_datetime() -> None:
    IMAGE.validate_result([_cls("when", "datetime", {"datetime": "2024-01-31T10:00"})])
    _fails(IMAGE, [_cls("when", "datetime", {"datetime": 20240131})], "value.datetime", "date/time string")


# -- relations ----------------------------------------------------------------------------------------------


def test_relations_link_regions_of_the_same_list() -> None:
    other = _with(RECT, id="r2")
    relation = {"from_id": "r1", "to_id": "r2", "type": "relation", "direction": "right", "labels": ["near"]}
    IMAGE.validate_result([relation, RECT, other])  # relations may come before their regions
    IMAGE.validate_result([RECT, other, _with(relation, labels=...), _with(relation, direction="bi")])
    _fails(IMAGE, [RECT, other, _with(relation, to_id="r9")], "to_id", "refers to no region", index=2)
    _fails(IMAGE, [RECT, other, _with(relation, from_id=None)], "from_id", "must be the id", index=2)
    _fails(
        IMAGE, [RECT, other, _with(relation, direction="up")], "direction", "'right', 'left', 'bi'", index=2
    )
    _fails(IMAGE, [RECT, other, _with(relation, labels=["far"])], "labels[0]", "not one of 'near'", index=2)


def test_relation_labels_need_a_relations_tag() -> None:
    config = LabelConfig.from_xml(
        '<View><Text name="t" value="$t"/><Labels name="l" toName="t"><Label value="X"/></Labels></View>'
    )
    spans = [
        {
            "id": f"s{i}",
            "from_name": "l",
            "to_name": "t",
            "type": "labels",
            "value": {"start": i, "end": i + 1, "labels": ["X"]},
        }
        for i in range(2)
    ]
    config.validate_result([*spans, {"from_id": "s0", "to_id": "s1", "type": "relation"}])
    _fails(
        config,
        [*spans, {"from_id": "s0", "to_id": "s1", "type": "relation", "labels": ["x"]}],
        "labels[0]",
        "add <Relation",
        index=2,
    )


# -- text, hypertext, paragraphs, audio, time series, video ------------------------------------------------------

TEXTS = LabelConfig.from_xml(
    """<View>
  <Text name="text" value="$text"/>
  <Text name="remote" value="$url" valueType="url"/>
  <Labels name="ner" toName="text,remote"><Label value="PER"/></Labels>
  <HyperText name="html" value="$html"/>
  <HyperTextLabels name="hner" toName="html"><Label value="PER"/></HyperTextLabels>
  <Paragraphs name="dialog" value="$dialog"/>
  <ParagraphLabels name="pl" toName="dialog"><Label value="Q"/></ParagraphLabels>
  <Audio name="audio" value="$audio"/>
  <Labels name="seg" toName="audio"><Label value="Beat"/></Labels>
  <TimeSeries name="ts" value="$ts" valueType="json"><Channel column="v"/></TimeSeries>
  <TimeSeriesLabels name="tsl" toName="ts"><Label value="Run"/></TimeSeriesLabels>
  <Video name="video" value="$video"/>
  <Labels name="vl" toName="video"><Label value="Car"/></Labels>
  <VideoRectangle name="track" toName="video"/>
  <TimelineLabels name="tl" toName="video"><Label value="Jump"/></TimelineLabels>
</View>"""
)
DATA = {
    "text": "Hi 👋 Bob",
    "url": "https://x/t.txt",
    "html": "<p>Bob</p>",
    "dialog": [{"author": "a", "text": "x"}, {"author": "b", "text": "y"}],
    "audio": "a.wav",
    "ts": {"time": [1, 2], "v": [1, 2]},
    "video": "v.mp4",
}


def _span(start: int, end: int, text: str | None = None, to: str = "text") -> dict[str, Any]:
    value: dict[str, Any] = {"start": start, "end": end, "labels": ["PER"]}
    if text is not None:
        value["text"] = text
    return {"id": "s", "from_name": "ner", "to_name": to, "type": "labels", "value": value}


def test_text_offsets_count_code_points() -> None:
    assert DATA["text"][5:8] == "Bob"
    TEXTS.validate_result([_span(5, 8, "Bob")], DATA)
    TEXTS.validate_result([_span(5, 8)], DATA)
    # UTF-16 offsets (the emoji counted twice) are off by one
    _fails(TEXTS, [_span(6, 9, "Bob")], "value.end", "past the end of the text (8 characters)", data=DATA)
    _fails(TEXTS, [_span(4, 7, "Bob")], "value.text", "differs from the task text at [4:7]", data=DATA)


def test_text_span_shape() -> None:
    _fails(TEXTS, [_span(3, 2)], "value.end", "before value.start")
    _fails(TEXTS, [_span(-1, 2)], "value.start", "whole number >= 0")
    _fails(TEXTS, [_with(_span(0, 2), value__end=...)], "value.end", "is missing")
    _fails(TEXTS, [_span(0, 2, text=["Hi"])], "value.text", "must be the labeled text")  # type: ignore[arg-type]
    # no data, or a URL text: offsets cannot be checked against the text
    TEXTS.validate_result([_span(100, 200, "anything")])
    TEXTS.validate_result([_span(100, 200, "anything", to="remote")], DATA)


#: a HyperText span as Label Studio writes it, over "Bob" in <p>Bob ...</p>
HYPERTEXT_SPAN = {
    "from_name": "hner",
    "to_name": "html",
    "type": "hypertextlabels",
    "value": {"start": "/p[1]/text()[1]", "end": "/p[1]/text()[1]", "startOffset": 0, "endOffset": 3,
              "globalOffsets": {"start": 0, "end": 3}, "text": "Bob", "hypertextlabels": ["PER"]},
}  # fmt: skip


def test_hypertext_span_shape() -> None:
    item = HYPERTEXT_SPAN
    TEXTS.validate_result([item], DATA)
    _fails(TEXTS, [_with(item, value__start=0)], "value.start", "XPath")
    _fails(TEXTS, [_with(item, value__endOffset=...)], "value.endOffset", "is missing")
    _fails(
        TEXTS,
        [_with(item, value__globalOffsets={"start": 3, "end": 1})],
        "value.globalOffsets",
        "before its start",
    )


def test_hypertext_span_refuses_what_label_studio_never_writes() -> None:
    item = HYPERTEXT_SPAN
    # Label Studio's own shapes: no globalOffsets (older exports), no text (saveTextResult="no"), and a
    # <Labels> on the HyperText (type "labels")
    TEXTS.validate_result([_with(item, value__globalOffsets=...)], DATA)
    TEXTS.validate_result([_with(item, value__text=...)], DATA)
    labels = {**item, "from_name": "ner2", "type": "labels"}
    labels["value"] = {k: v for k, v in item["value"].items() if k != "hypertextlabels"} | {"labels": ["PER"]}
    config = LabelConfig.from_xml(
        '<View><HyperText name="html" value="$html"/><Labels name="ner2" toName="html"><Label value="PER"/>'
        "</Labels></View>"
    )
    config.validate_result([labels], DATA)
    # XPaths: strings from the root, not numbers, relative paths or megabytes
    _fails(TEXTS, [_with(item, value__end="p[1]/text()[1]")], "value.end", "XPath from the document's root")
    _fails(TEXTS, [_with(item, value__start="")], "value.start", "XPath")
    _fails(TEXTS, [_with(item, value__start="/p" * 3000)], "value.start", "at most 4096 characters")
    # offsets: whole numbers >= 0 (no floats, NaN, infinity, booleans or strings)
    for bad in (-1, 1.5, float("nan"), float("inf"), True, "3", None):
        _fails(TEXTS, [_with(item, value__startOffset=bad)], "value.startOffset", "whole number >= 0")
        _fails(
            TEXTS,
            [_with(item, value__globalOffsets={"start": bad, "end": 3})],
            "value.globalOffsets.start",
            "whole number >= 0",
        )
    _fails(TEXTS, [_with(item, value__globalOffsets={"start": 0})], "value.globalOffsets.end", "is missing")
    _fails(TEXTS, [_with(item, value__globalOffsets=[0, 3])], "value.globalOffsets", "an object {start, end}")
    # backwards inside one text node; across nodes an end offset may be smaller than the start's
    _fails(
        TEXTS,
        [_with(item, value__startOffset=3, value__endOffset=1)],
        "value.endOffset",
        "before value.startOffset (3) in the same text node",
    )
    TEXTS.validate_result(
        [_with(item, value__end="/p[1]/b[1]/text()[1]", value__startOffset=3, value__endOffset=1)], DATA
    )


def test_paragraph_span_shape() -> None:
    item = {"from_name": "pl", "to_name": "dialog", "type": "paragraphlabels",
            "value": {"start": 0, "end": "1", "startOffset": 0, "endOffset": 1, "paragraphlabels": ["Q"]}}  # fmt: skip
    TEXTS.validate_result([item], DATA)
    _fails(TEXTS, [_with(item, value__end=2)], "value.end", "past the last paragraph", data=DATA)
    _fails(TEXTS, [_with(item, value__start="x")], "value.start", "paragraph index")
    _fails(TEXTS, [_with(item, value__start=1, value__end=0)], "value.end", "before value.start")
    # Label Studio's strings of digits; other digits str.isdigit() takes are refused cleanly (int("²") raises)
    TEXTS.validate_result([_with(item, value__start="0", value__end="0")], DATA)
    _fails(TEXTS, [_with(item, value__start="²")], "value.start", "paragraph index")
    _fails(TEXTS, [_with(item, value__end="٣")], "value.end", "paragraph index")
    # inside one paragraph the end offset cannot come before the start; across paragraphs it may
    _fails(
        TEXTS,
        [_with(item, value__end=0, value__startOffset=1, value__endOffset=0)],
        "value.endOffset",
        "before value.startOffset",
    )
    TEXTS.validate_result([_with(item, value__startOffset=1, value__endOffset=0)], DATA)


def test_audio_and_time_series_spans() -> None:
    audio = {
        "from_name": "seg",
        "to_name": "audio",
        "type": "labels",
        "value": {"start": 1.5, "end": 2.0, "labels": ["Beat"]},
    }
    TEXTS.validate_result([audio])
    _fails(TEXTS, [_with(audio, value__start=-1)], "value.end", "0 <= start <= end")
    _fails(TEXTS, [_with(audio, value__end="2")], "value.end", "must be a number")
    ts = {
        "from_name": "tsl",
        "to_name": "ts",
        "type": "timeserieslabels",
        "value": {"start": 1, "end": 2, "instant": False, "timeserieslabels": ["Run"]},
    }
    TEXTS.validate_result([ts])
    TEXTS.validate_result([_with(ts, value__start="2020-01-01", value__end="2020-01-02")])
    _fails(TEXTS, [_with(ts, value__start=3)], "value.end", "before value.start")
    _fails(TEXTS, [_with(ts, value__instant="no")], "value.instant", "true or false")


def test_video_rectangle_and_timeline() -> None:
    frame = {
        "frame": 1,
        "enabled": True,
        "x": 1,
        "y": 1,
        "width": 10,
        "height": 10,
        "rotation": 0,
        "time": 0.04,
    }
    track = {"from_name": "track", "to_name": "video", "type": "videorectangle",
             "value": {"sequence": [frame], "framesCount": 100, "labels": ["Car"]}}  # fmt: skip
    TEXTS.validate_result([track])
    _fails(TEXTS, [_with(track, value__labels=["Bus"])], "value.labels[0]", "not in the label set")
    _fails(TEXTS, [_with(track, value__sequence=[{**frame, "frame": 0}])], "value.sequence[0].frame", ">= 1")
    _fails(
        TEXTS, [_with(track, value__sequence=[{**frame, "x": 101}])], "value.sequence[0].x", "outside 0-100"
    )
    _fails(TEXTS, [_with(track, value__sequence=None)], "value.sequence", "list of keyframes")
    timeline = {
        "from_name": "tl",
        "to_name": "video",
        "type": "timelinelabels",
        "value": {"ranges": [{"start": 1, "end": 5}], "timelinelabels": ["Jump"]},
    }
    TEXTS.validate_result([timeline])
    _fails(TEXTS, [_with(timeline, value__ranges=[])], "value.ranges", "non-empty list")
    _fails(
        TEXTS, [_with(timeline, value__ranges=[{"start": 5, "end": 1}])], "value.ranges[0]", "start <= end"
    )


# -- pairwise, ranker, chat ---------------------------------------------------------------------------------


def test_pairwise() -> None:
    config = LabelConfig.from_xml(
        '<View><Text name="a" value="$a"/><Text name="b" value="$b"/><Pairwise name="pw" toName="a,b"/></View>'
    )
    item = {"from_name": "pw", "to_name": "pw", "type": "pairwise", "value": {"selected": "right"}}
    config.validate_result([item])
    config.validate_result([_with(item, to_name="a,b")])
    _fails(config, [_with(item, value__selected="middle")], "value.selected", "'left' or 'right'")
    _fails(config, [_with(item, to_name="c")], "to_name", "not a target")


def test_ranker() -> None:
    config = LabelConfig.from_xml(
        '<View><List name="l" value="$items"/><Ranker name="rk" toName="l"><Bucket name="good"/></Ranker></View>'
    )
    data = {"items": [{"id": "a"}, {"id": "b"}]}
    item = {
        "from_name": "rk",
        "to_name": "l",
        "type": "ranker",
        "value": {"ranker": {"good": ["a"], "_": ["b"]}},
    }
    config.validate_result([item], data)
    config.validate_result([_with(item, value__ranker={"rk": ["b", "a"]})], data)
    _fails(config, [_with(item, value__ranker={"bad": ["a"]})], "value.ranker.bad", "not a bucket of 'rk'")
    _fails(
        config,
        [_with(item, value__ranker={"good": ["z"]})],
        "value.ranker.good",
        "not in the task's list",
        data=data,
    )
    _fails(config, [_with(item, value__ranker=["a"])], "value.ranker", "must be an object")


def test_ranker_ids_are_label_studios_strings() -> None:
    """Label Studio's List ranks String(id): a task's integer ids come back as strings, and are known."""
    config = LabelConfig.from_xml(
        '<View><List name="l" value="$items"/><Ranker name="rk" toName="l"/></View>'
    )
    data = {"items": [{"id": 1, "title": "one"}, {"id": 2.0}, {"id": "x"}]}
    item = {"from_name": "rk", "to_name": "l", "type": "ranker", "value": {"ranker": {"rk": ["2", "x", "1"]}}}
    config.validate_result([item], data)
    config.validate_result([_with(item, value__ranker={"rk": [1, "2"]})], data)
    _fails(
        config,
        [_with(item, value__ranker={"rk": ["3"]})],
        "value.ranker.rk",
        "not in the task's list",
        data=data,
    )


def test_chat_messages() -> None:
    config = LabelConfig.from_xml('<View><Chat name="chat" value="$m"/><Text name="t" value="$t"/></View>')
    item = {
        "from_name": "chat",
        "to_name": "chat",
        "type": "chatmessage",
        "value": {"chatmessage": {"role": "user", "content": "hi"}},
    }
    config.validate_result([item])
    _fails(config, [_with(item, from_name="t", to_name="t")], "from_name", "must name a <Chat> tag")
    _fails(config, [_with(item, to_name="t")], "to_name", "equal to from_name")
    _fails(
        config,
        [_with(item, value__chatmessage__content=...)],
        "value.chatmessage.content",
        "must be a string",
    )


# -- Repeater names ---------------------------------------------------------------------------------------------

REPEATED = LabelConfig.from_xml(
    """<View><Repeater on="$pages">
         <Image name="page_{{idx}}" value="$pages[{{idx}}].url"/>
         <Choices name="q_{{idx}}" toName="page_{{idx}}"><Choice value="ok"/></Choices>
       </Repeater></View>"""
)


def test_repeater_names_match_without_data_and_are_bounded_with_data() -> None:
    item = {"from_name": "q_1", "to_name": "page_1", "type": "choices", "value": {"choices": ["ok"]}}
    REPEATED.validate_result([item])
    REPEATED.validate_result([_with(item, from_name="q_7", to_name="page_7")])
    _fails(REPEATED, [_with(item, to_name="page_2")], "to_name", "its toName is 'page_1'")
    data = {"pages": [{"url": "a"}, {"url": "b"}]}
    REPEATED.validate_result([item], data)
    _fails(
        REPEATED,
        [_with(item, from_name="q_2", to_name="page_2")],
        "from_name",
        "names no control tag",
        data=data,
    )


def test_multi_target_to_name_may_be_one_name_or_comma_joined() -> None:
    config = LabelConfig.from_xml(
        '<View><Image name="a" value="$a"/><Image name="b" value="$b"/><Image name="c" value="$c"/>'
        '<Rating name="r" toName="a,b"/></View>'
    )
    item = {"from_name": "r", "to_name": "a,b", "type": "rating", "value": {"rating": 1}}
    config.validate_result([item])
    config.validate_result([_with(item, to_name="b")])
    _fails(config, [_with(item, to_name="a,c")], "to_name", "not a target of control 'r'")


def test_lower_case_config_validates_canonical_results() -> None:
    config = LabelConfig.from_xml(
        '<view><image name="img" value="$image"/><rectanglelabels name="box" toname="img">'
        '<label value="Car"/></rectanglelabels></view>'
    )
    assert config.controls["box"].type == "rectanglelabels"
    assert config.controls["box"].tag == "RectangleLabels"
    config.validate_result([RECT | {"value": {**RECT["value"], "rectanglelabels": ["Car"]}}])


def test_tool_results_inside_a_repeater_take_labels_from_the_matching_copy() -> None:
    config = LabelConfig.from_xml(
        """<View><Repeater on="$pages">
             <Image name="p_{{idx}}" value="$pages[{{idx}}]"/>
             <Labels name="l_{{idx}}" toName="p_{{idx}}"><Label value="Logo"/></Labels>
             <Rectangle name="r_{{idx}}" toName="p_{{idx}}"/>
           </Repeater></View>"""
    )
    value = {"x": 1, "y": 1, "width": 5, "height": 5, "rectanglelabels": ["Logo"]}
    item = {"id": "a", "from_name": "r_3", "to_name": "p_3", "type": "rectanglelabels", "value": value}
    config.validate_result([item])
    config.validate_result([item | {"from_name": "l_3"}])
    _fails(config, [_with(item, value__rectanglelabels=["Text"])], "value.rectanglelabels[0]", "'Logo'")


def test_datetime_values_are_held_to_min_and_max_in_their_format() -> None:
    """As Label Studio's DateTime validateValue: the value's ISO date (or year) lies within min..max; a
    value that does not fit the format is kept (Label Studio's editor shows it empty, imports must pass)."""
    config = LabelConfig.from_xml(
        '<View><Text name="t" value="$t"/>'
        '<DateTime name="d" toName="t" only="date" min="2020-01-01" max="2025-12-31"/>'
        '<DateTime name="f" toName="t" format="%d/%m/%Y %H:%M" min="2020-01-01"/>'
        '<DateTime name="y" toName="t" only="year" max="2012"/></View>'
    )

    def item(name: str, value: str) -> dict[str, object]:
        return {
            "id": name,
            "from_name": name,
            "to_name": "t",
            "type": "datetime",
            "value": {"datetime": value},
        }

    config.validate_result([item("d", "2023-06-15"), item("f", "05/01/2024 03:04"), item("y", "2011-01-01")])
    config.validate_result([item("d", "June 2023")])  # not the format: kept
    with pytest.raises(ResultError, match=r"2019-06-15.*must be 2020-01-01 or later"):
        config.validate_result([item("d", "2019-06-15")])
    with pytest.raises(ResultError, match="must be 2025-12-31 or earlier"):
        config.validate_result([item("d", "2026-01-01")])
    with pytest.raises(ResultError, match="must be 2020-01-01 or later"):
        config.validate_result([item("f", "31/12/2019 23:59")])
    with pytest.raises(ResultError, match="must be 2012 or earlier"):
        config.validate_result([item("y", "2013-01-01")])


def test_nested_choices_count_top_level_picks_for_a_single_choice() -> None:
    """With allowNested a picked branch lists its children as longer paths; Label Studio's single-choice
    check counts the top-level choices picked (Choices.jsx checkResultLength)."""
    config = LabelConfig.from_xml(
        '<View><Text name="t" value="$t"/><Choices name="c" toName="t" allowNested="true">'
        '<Choice value="A"><Choice value="A1"/><Choice value="A2"/></Choice><Choice value="B"/>'
        "</Choices></View>"
    )

    def item(choices: list[object]) -> dict[str, object]:
        return {"id": "1", "from_name": "c", "to_name": "t", "type": "choices", "value": {"choices": choices}}

    config.validate_result([item([["A"], ["A", "A1"], ["A", "A2"]])])
    config.validate_result([item([["A", "A2"]])])
    with pytest.raises(ResultError, match="takes a single choice"):
        config.validate_result([item([["A"], ["B"]])])
