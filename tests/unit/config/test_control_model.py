"""The analysed control model (labelnb/config/control_model.py): complete for every config, and each Label
Studio rule it follows pinned with values (colours and number readings were checked against pleasejs 0.4.2
and JavaScript's Number/parseFloat/parseInt under node)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from labelnb.config import LabelConfig
from labelnb.config.analyze import bool_attr, is_true
from labelnb.config.control_model import (
    AUTO_HOTKEYS,
    hotkey_key,
    js_number,
    js_parse_float,
    js_parse_int,
    please_color,
)
from labelnb.config.errors import ResultError
from tests.unit.config.test_config_corpus import VALID, _task
from tests.unit.config.test_gallery import gallery  # noqa: F401  (the fixture: every gallery template)


def _model(xml: str) -> dict[str, Any]:
    model = LabelConfig.from_xml(xml).control_model()
    json.dumps(model, allow_nan=False)
    return model


def _control(model: dict[str, Any], name: str) -> dict[str, Any]:
    found = [c for c in model["controls"] if c["name"] == name]
    assert len(found) == 1, f"{name!r} is not in the model once"
    return found[0]


def _check_complete(config: LabelConfig) -> None:
    model = config.control_model()
    json.dumps(model, allow_nan=False)
    assert [c["name"] for c in model["controls"]] == list(config.controls)
    assert [o["name"] for o in model["objects"]] == list(config.objects)
    if config.relations is None:
        assert model["relations"] is None
    else:
        assert model["relations"]["tag"] == "Relations"
        assert [label["label"] for label in model["relations"]["labels"]] == list(config.relations.labels)
    for entry, control in zip(model["controls"], config.controls.values(), strict=True):
        assert entry["type"] == control.type
        assert entry["to_name"] == list(control.to_name)
        if "labels" in entry:
            labels = [label["label"] for label in entry["labels"]]
            assert list(dict.fromkeys(labels)) == list(control.labels), control.name


# -- every config ----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", VALID, ids=[p.stem for p in VALID])
def test_corpus_config_model_is_json_and_complete(path: Path) -> None:
    config = LabelConfig.from_xml(path.read_text(encoding="utf-8"))
    _check_complete(config)
    _check_complete(config.for_task(_task(path)["data"]))


def test_gallery_models_are_json_and_complete(gallery: dict[str, dict[str, object]]) -> None:  # noqa: F811
    assert len(gallery) > 50
    failures = []
    for name, doc in gallery.items():
        try:
            _check_complete(LabelConfig.from_xml(str(doc["config"])))
        except Exception as exc:  # every failure is reported, by template
            failures.append(f"{name}: {type(exc).__name__}: {exc}")
    assert not failures, "\n".join(failures)


# -- attribute text ---------------------------------------------------------------------------------


def test_booleans_are_true_and_false_only() -> None:
    assert [bool_attr(v, False) for v in ("true", "True", " TRUE ", "false", "1", "yes", "", None)] == [
        True,
        True,
        True,
        False,
        False,
        False,
        False,
        False,
    ]
    assert [bool_attr(v, True) for v in ("false", "False", "0", "no", "", None)] == [
        False,
        False,
        True,
        True,
        True,
        True,
    ]
    assert bool_attr("1", None) is None
    assert [is_true(v) for v in ("true", "1", None)] == [True, False, False]


def test_per_region_one_is_not_true() -> None:
    model = _model(
        """<View><Image name="img" value="$i"/>
        <RectangleLabels name="box" toName="img"><Label value="Car"/></RectangleLabels>
        <Choices name="a" toName="img" perRegion="1"><Choice value="x"/></Choices>
        <Choices name="b" toName="img" perRegion="true" whenLabelValue="Car"><Choice value="x"/></Choices>
        <TextArea name="c" toName="img" perRegion="True" required="1"/>
        <Number name="d" toName="img" required="true"/>
        <Labels name="e" toName="img" perRegion="true" required="true"><Label value="y"/></Labels>
        </View>"""
    )
    assert [_control(model, n)["per_region"] for n in "abcde"] == [False, True, True, False, False]
    assert [_control(model, n)["required"] for n in "abcde"] == [False, False, False, True, False]
    assert _control(model, "b")["per_region_label_value"] == "Car"
    # Labels take no required/perRegion in Label Studio, so neither a message
    assert _control(model, "e")["required_message"] is None


def test_shape_booleans_and_numbers_keep_label_studio_defaults() -> None:
    model = _model(
        """<View><Image name="img" value="$i" zoom="false" rotateControl="true" zoomBy="1.5x" crosshair="1"/>
        <RectangleLabels name="r" toName="img" canRotate="false" strokeWidth=" 3 " opacity="0.5">
          <Label value="A"/></RectangleLabels>
        <PolygonLabels name="p" toName="img"><Label value="A"/></PolygonLabels>
        <KeyPointLabels name="k" toName="img" strokeWidth="abc"><Label value="A"/></KeyPointLabels>
        <BrushLabels name="b" toName="img" showInline="false"><Label value="A"/></BrushLabels>
        <TimeSeriesLabels name="t" toName="img"><Label value="A"/></TimeSeriesLabels>
        </View>"""
    )
    rect, poly, kp, brush, ts = (_control(model, n) for n in "rpkbt")
    assert (rect["can_rotate"], rect["stroke_width"], rect["opacity"], rect["fill_color"]) == (
        False,
        3,
        0.5,
        "#f48a42",
    )
    assert (rect["snap"], rect["smart"], rect["smart_only"], rect["show_inline"]) == (
        "none",
        True,
        False,
        True,
    )
    assert (poly["stroke_width"], poly["opacity"], poly["point_size"], poly["point_style"]) == (
        2,
        0.2,
        "small",
        "circle",
    )
    assert "can_rotate" not in poly
    assert (kp["stroke_width"], kp["opacity"], kp["fill_color"], kp["stroke_color"]) == (
        2,
        0.9,
        "#8bad00",
        "#8bad00",
    )
    assert (brush["stroke_width"], brush["show_inline"]) == (15, False)
    assert (ts["opacity"], ts["fill_color"], ts["stroke_width"]) == (0.9, None, 1)
    image = model["objects"][0]
    assert (image["zoom"], image["zoom_control"], image["rotate_control"]) == (False, True, True)
    assert (image["zoom_by"], image["crosshair"], image["default_zoom"], image["grid_size"]) == (
        1.5,
        False,
        "fit",
        30,
    )


def test_number_readings_follow_javascript() -> None:
    # expected values printed by node: Number(x), parseFloat(x), parseInt(x)
    cases = {
        "": (0, None, None),
        " 2 ": (2, 2, 2),
        "1.5": (1.5, 1.5, 1),
        ".5": (0.5, 0.5, None),
        "1e3": (1000, 1000, 1),
        "0x1f": (31, 0, 31),
        "12px": (None, 12, 12),
        "Infinity": (None, None, None),
        "abc": (None, None, None),
        "\u00a012\u00a0": (12, 12, 12),
        "\u0663": (None, None, None),
    }
    for text, expected in cases.items():
        assert (js_number(text), js_parse_float(text), js_parse_int(text)) == expected, repr(text)


def test_to_name_lists_and_implied_to_name() -> None:
    model = _model(
        """<View><Text name="left" value="$a"/><Text name="right" value="$b"/>
        <Pairwise name="pw" toName="left,right"/></View>"""
    )
    assert _control(model, "pw")["to_name"] == ["left", "right"]
    model = _model(
        '<View><Image name="img" value="$i"/><Rating name="r"/><RectangleLabels name="b"><Label value="A"/></RectangleLabels></View>'
    )
    for name in ("r", "b"):
        assert (_control(model, name)["to_name"], _control(model, name)["to_name_implied"]) == (["img"], True)


# -- colours ----------------------------------------------------------------------------------------


def test_please_color_matches_pleasejs() -> None:
    expected = {
        "Cat": "#bf8d72",
        "Dog": "#bf8072",
        "Person": "#72bf7d",
        "PER": "#bf9472",
        "ORG": "#72bf87",
        "LOC": "#bf7283",
        "Positive": "#72bfa0",
        "Negative": "#72b7bf",
        "Neutral": "#8e72bf",
        "\U0001f600 emoji": "#72bfbc",
        "\u65e5\u672c\u8a9e": "#7abf72",
    }
    assert {seed: please_color(seed) for seed in expected} == expected


def test_label_colours_come_from_the_value_not_the_position() -> None:
    xml = """<View><Text name="t" value="$t"/><Labels name="l" toName="t">{}</Labels>
        <Relations><Relation value="near"/><Relation value="far" background="#123456"/></Relations></View>"""
    labels = [
        '<Label value="PER"/>',
        '<Label value="ORG" alias="O"/>',
        '<Label value="LOC" background="#DA935D"/>',
        '<Label value="Misc" background="red" selectedColor="#000"/>',
    ]
    forward = _model(xml.format("".join(labels)))
    backward = _model(xml.format("".join(reversed(labels))))
    colours = {x["value"]: x["color"] for x in _control(forward, "l")["labels"]}
    assert colours == {"PER": "#bf9472", "ORG": "#72bf87", "LOC": "#bf7283", "Misc": "red"}
    assert {x["value"]: x["color"] for x in _control(backward, "l")["labels"]} == colours
    assert [x["selected_color"] for x in _control(forward, "l")["labels"]] == ["#ffffff"] * 3 + ["#000"]
    assert [x["color"] for x in forward["relations"]["labels"]] == ["#fff", "#123456"]
    assert forward["relations"]["choice"] == "multiple"


# -- hotkeys ----------------------------------------------------------------------------------------


def _labels_xml(count: int, extra: dict[int, str] | None = None) -> str:
    extra = extra or {}
    labels = "".join(f'<Label value="L{i}"{extra.get(i, "")}/>' for i in range(count))
    return f'<View><Image name="img" value="$i"/><RectangleLabels name="b" toName="img">{labels}</RectangleLabels></View>'


def test_auto_hotkeys_number_labels_in_document_order() -> None:
    labels = _control(_model(_labels_xml(4)), "b")["labels"]
    assert [(x["hotkey"], x["hotkey_auto"]) for x in labels] == [
        ("1", True),
        ("2", True),
        ("3", True),
        ("4", True),
    ]


def test_written_hotkeys_win_and_are_skipped() -> None:
    extra = {0: ' hotkey="ctrl+1"', 2: ' hotkey="1"', 3: ' hotkey="Q"', 4: ' hotkey=""'}
    labels = _control(_model(_labels_xml(14, extra)), "b")["labels"]
    got = [x["hotkey"] for x in labels]
    # "1" and "q" are taken by written hotkeys; "ctrl+1" takes nothing; an empty hotkey is none
    assert got == ["ctrl+1", "2", "1", "Q", "3", "4", "5", "6", "7", "8", "9", "0", "w", "e"]
    assert [x["hotkey_auto"] for x in labels][:5] == [False, True, False, False, True]
    assert hotkey_key(" Ctrl+Plus") == "ctrl+="


def test_auto_hotkeys_run_out_after_33() -> None:
    labels = _control(_model(_labels_xml(40)), "b")["labels"]
    assert "".join(x["hotkey"] for x in labels[:33]) == AUTO_HOTKEYS
    assert len(AUTO_HOTKEYS) == 33
    assert [x["hotkey"] for x in labels[33:]] == [None] * 7


def test_auto_hotkeys_across_controls_and_objects() -> None:
    model = _model(
        """<View>
        <Labels name="l" toName="ts" allowEmpty="true"><Label value="A"/></Labels>
        <TimeSeries name="ts" value="$ts"><Channel column="v"/></TimeSeries>
        <Choices name="c" toName="ts"><Choice value="x"/><Choice value="y" hotkey="9"/></Choices>
        <Taxonomy name="tx" toName="ts"><Choice value="p"><Choice value="q"/></Choice></Taxonomy>
        <Rating name="r" toName="ts"/><Number name="n" toName="ts" hotkey="n"/><DateTime name="d" toName="ts" hotkey="d"/>
        <Filter toName="c"/>
        <TextArea name="ta" toName="ts"><Shortcut value="hello"/></TextArea>
        </View>"""
    )
    labels = _control(model, "l")
    assert labels["empty_label"] == {"color": "#666", "hotkey": "1", "hotkey_auto": True}
    assert [x["hotkey"] for x in labels["labels"]] == ["2"]
    assert model["objects"][0]["hotkey"] == "3"  # TimeSeries has an onHotKey action, so it takes a number
    assert [x["hotkey"] for x in _control(model, "c")["labels"]] == ["4", "9"]
    assert [x["hotkey"] for x in _control(model, "tx")["labels"]] == [None, None]
    assert (_control(model, "r")["hotkey"], _control(model, "n")["hotkey"]) == ("5", "n")
    assert _control(model, "d")["hotkey"] is None  # DateTime binds no hotkey in Label Studio
    assert model["filters"][0]["hotkey"] == "6"
    assert _control(model, "ta")["shortcuts"] == [
        {"value": "hello", "alias": None, "background": "#333333", "hotkey": "7", "hotkey_auto": True}
    ]


def test_audio_players_get_shift_space() -> None:
    one = _model(
        '<View><Audio name="a" value="$a"/><Labels name="l" toName="a"><Label value="A"/></Labels></View>'
    )
    assert one["objects"][0]["hotkey"] == "shift+space"
    assert _control(one, "l")["labels"][0]["hotkey"] == "1"
    three = _model(
        '<View><Audio name="a" value="$a"/><Audio name="b" value="$b" hotkey="p"/><Audio name="c" value="$c"/>'
        '<Choices name="ch" toName="a"><Choice value="x"/></Choices></View>'
    )
    assert [o["hotkey"] for o in three["objects"]] == ["shift+space+1", "p", "shift+space+2"]


# -- choices ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("attrs", "layout"),
    [
        ("", "vertical"),
        ('layout="select"', "select"),
        ('layout="inline"', "inline"),
        ('showInline="true"', "inline"),
        ('showInline="true" layout="select"', "inline"),
        ('showInline="false" layout="select"', "vertical"),
        ('showInline="1" layout="select"', "select"),
        ('layout="grid"', "vertical"),
    ],
)
def test_choices_layout(attrs: str, layout: str) -> None:
    model = _model(
        f'<View><Text name="t" value="$t"/><Choices name="c" toName="t" {attrs}><Choice value="a"/></Choices></View>'
    )
    assert _control(model, "c")["layout"] == layout


def test_choice_attributes_mode_and_preselection() -> None:
    model = _model(
        """<View><Text name="t" value="$t"/>
        <Choices name="c" toName="t" choice="single-radio" required="true" requiredMessage="Pick one">
          <Choice value="Positive" alias="pos" selected="true" hint="good" style="color: red"/>
          <Choice value="Negative" html="&lt;b&gt;neg&lt;/b&gt;" selected="true"/>
          <Choice value="Neutral"/>
        </Choices>
        <RectangleLabels name="b" toName="t"><Label value="A"/><Label value="B" selected="true"/><Label value="C" selected="true"/></RectangleLabels>
        </View>"""
    )
    choices = _control(model, "c")
    assert (choices["choice"], choices["required"], choices["required_message"]) == (
        "single-radio",
        True,
        "Pick one",
    )
    first, second, third = choices["labels"]
    assert (first["value"], first["alias"], first["label"], first["hint"], first["style"]) == (
        "Positive",
        "pos",
        "pos",
        "good",
        "color: red",
    )
    assert (second["label"], second["html"], third["selected"]) == ("Negative", "<b>neg</b>", False)
    # Label Studio preselects every selected choice, and only the first selected label
    assert choices["preselected"] == ["pos", "Negative"]
    assert _control(model, "b")["preselected"] == ["B"]


def test_taxonomy_labels_are_nested_paths() -> None:
    model = _model(
        """<View><Text name="t" value="$t"/><Taxonomy name="tx" toName="t" leafsOnly="true">
        <Choice value="Animal"><Choice value="Cat" alias="cat" selected="true"/><Choice value="Dog"/></Choice>
        <Choice value="Plant"/></Taxonomy></View>"""
    )
    tax = _control(model, "tx")
    assert [(x["path"], x["depth"], x["selectable"]) for x in tax["labels"]] == [
        (["Animal"], 0, False),
        (["Animal", "cat"], 1, True),
        (["Animal", "Dog"], 1, True),
        (["Plant"], 0, True),
    ]
    assert tax["preselected"] == [["Animal", "cat"]]
    assert (tax["leafs_only"], tax["path_separator"], tax["required_message"]) == (
        True,
        " / ",
        'Taxonomy "tx" is required.',
    )


def test_dynamic_choices_come_from_the_task() -> None:
    config = LabelConfig.from_xml(
        '<View><Text name="t" value="$t"/><Choices name="c" toName="t" value="$options"/></View>'
    )
    assert _control(config.control_model(), "c")["labels"] == []
    assert _control(config.control_model(), "c")["dynamic_labels"] is True
    data = {
        "t": "x",
        "options": [
            {"value": "Yes", "hint": "agree", "selected": True},
            "No",
            {"value": "Maybe", "alias": "m"},
        ],
    }
    model = config.for_task(data).control_model()
    json.dumps(model, allow_nan=False)
    labels = _control(model, "c")["labels"]
    assert [(x["value"], x["label"], x["hint"], x["hotkey"]) for x in labels] == [
        ("Yes", "Yes", "agree", "1"),
        ("No", "No", None, "2"),
        ("Maybe", "m", None, "3"),
    ]
    assert _control(model, "c")["preselected"] == ["Yes"]


# -- limits -----------------------------------------------------------------------------------------


def test_max_rating_is_not_clamped_and_validation_agrees() -> None:
    xml = '<View><Text name="t" value="$t"/><Rating name="r" toName="t" {}/></View>'
    assert _control(_model(xml.format("")), "r")["max_rating"] == 5
    config = LabelConfig.from_xml(xml.format('maxRating="100" defaultValue="3"'))
    rating = _control(config.control_model(), "r")
    assert rating["max_rating"] == 100 == config.controls["r"].max_rating
    assert "default_value" not in rating  # Label Studio shows and saves nothing for it
    item = {"id": "a", "from_name": "r", "to_name": "t", "type": "rating", "value": {"rating": 100}}
    config.validate_result([item])
    with pytest.raises(ResultError):
        config.validate_result([{**item, "value": {"rating": 101}}])


def test_number_and_textarea_and_datetime_limits() -> None:
    model = _model(
        """<View><Text name="t" value="$t"/>
        <Number name="n" toName="t" min="1.5" max="9" step="0.5" defaultValue="2" slider="true"/>
        <Number name="m" toName="t"/>
        <TextArea name="ta" toName="t" rows="3" maxSubmissions="2" editable="true" placeholder="Say"/>
        <TextArea name="tb" toName="t"/>
        <DateTime name="d" toName="t" only="date" min="2020-01-01"/>
        </View>"""
    )
    n, m = _control(model, "n"), _control(model, "m")
    assert (n["min"], n["max"], n["step"], n["default_value"], n["slider"]) == (1.5, 9.0, 0.5, 2, True)
    assert (m["min"], m["max"], m["step"], m["default_value"], m["slider"]) == (None, None, None, None, False)
    ta, tb = _control(model, "ta"), _control(model, "tb")
    assert (
        ta["rows"],
        ta["max_submissions"],
        ta["editable"],
        ta["placeholder"],
        ta["show_submit_button"],
    ) == (
        3,
        2,
        True,
        "Say",
        True,
    )
    assert (tb["rows"], tb["max_submissions"], tb["editable"], tb["show_submit_button"]) == (
        1,
        None,
        False,
        False,
    )
    assert tb["required_message"] == 'Input for the textarea "tb" is required.'
    d = _control(model, "d")
    assert (d["min"], d["show_date"], d["show_time"], d["show_month"], d["show_year"]) == (
        "2020-01-01",
        True,
        False,
        False,
        False,
    )


def test_labels_max_usages_and_allow_empty() -> None:
    model = _model(
        """<View><Text name="t" value="$t"/><Labels name="l" toName="t" maxUsages="2" choice="multiple">
        <Label value="A"/><Label value="B" maxUsages="1"/></Labels>
        <Labels name="k" toName="t" maxUsages="0"><Label value="C"/></Labels></View>"""
    )
    labels = _control(model, "l")
    assert (labels["choice"], labels["max_usages"], labels["allow_empty"], labels["empty_label"]) == (
        "multiple",
        2,
        False,
        None,
    )
    assert [x["max_usages"] for x in labels["labels"]] == [2, 1]
    assert _control(model, "k")["max_usages"] is None  # 0 means no limit in Label Studio


# -- visibility -------------------------------------------------------------------------------------


def test_visibility_rules() -> None:
    model = _model(
        """<View><Text name="t" value="$t"/>
        <Choices name="sentiment" toName="t"><Choice value="Positive" alias="pos"/><Choice value="Negative"/></Choices>
        <Choices name="other" toName="t"><Choice value="x"/></Choices>
        <View visibleWhen="choice-selected" whenTagName="sentiment" whenChoiceValue="Positive,Negative">
          <View visibleWhen="region-selected" whenLabelValue="PER, ORG">
            <Rating name="r" toName="t" visibleWhen="no-region-selected"/>
          </View>
        </View>
        <Choices name="any" toName="t" visibleWhen="choice-unselected" whenChoiceValue="x"><Choice value="y"/></Choices>
        <TextArea name="bare" toName="t" whenChoiceValue="x"/>
        <Labels name="lab" toName="t"><Label value="PER"/></Labels>
        </View>"""
    )
    outer, inner = model["views"]
    assert outer["path"] == [3]
    assert outer["visible_when"] == {
        "rule": "choice-selected",
        "tag_name": "sentiment",
        "controls": ["sentiment"],
        "choice_values": ["Positive", "Negative"],
        "choice_labels": ["pos", "Negative"],
    }
    assert inner["visible_when"] == {
        "rule": "region-selected",
        "tag_name": None,
        "label_values": ["PER", " ORG"],
        "role_values": None,
    }
    assert inner["views"] == [0]
    rating = _control(model, "r")
    # Rating has no Visibility mixin in Label Studio: its own visibleWhen is ignored; the Views count
    assert (rating["visible_when"], rating["views"], rating["path"]) == (None, [0, 1], [3, 0, 0])
    # without whenTagName, choice-selected looks at every Choices control and ignores whenChoiceValue
    assert _control(model, "any")["visible_when"] == {
        "rule": "choice-unselected",
        "tag_name": None,
        "controls": ["sentiment", "other", "any"],
        "choice_values": None,
        "choice_labels": None,
    }
    # whenChoiceValue alone: any control whose selected values include the whole text
    assert _control(model, "bare")["visible_when"] == {
        "rule": "choice-selected",
        "tag_name": None,
        "controls": ["sentiment", "other", "any", "lab"],
        "choice_values": ["x"],
        "choice_labels": ["x"],
    }


def test_chat_attributes() -> None:
    """Chat (Label Studio's tag doc): roles to write as (default user and assistant, only user with an
    llm, which labelnb never calls), the roles whose messages may be edited, and the message limits."""

    def chat(attrs: str) -> dict[str, object]:
        config = LabelConfig.from_xml(f'<View><Chat name="c" value="$d" {attrs}/></View>')
        (entry,) = config.control_model()["objects"]
        return {k: entry[k] for k in ("message_roles", "editable_roles", "min_messages", "max_messages")}

    assert chat("") == {
        "message_roles": ["user", "assistant"],
        "editable_roles": [],
        "min_messages": None,
        "max_messages": None,
    }
    assert chat('llm="openai/gpt-5"')["message_roles"] == ["user"]
    assert chat('messageroles="assistant, nobody"')["message_roles"] == ["assistant"]
    assert chat('editable="true"')["editable_roles"] == ["user", "assistant", "system", "tool", "developer"]
    assert chat('editable="user,assistant"')["editable_roles"] == ["user", "assistant"]
    assert chat('minMessages="2" maxMessages="x"') == {
        "message_roles": ["user", "assistant"],
        "editable_roles": [],
        "min_messages": 2,
        "max_messages": None,
    }
