"""Parsing: hardened XML, case-insensitive tags, positions, the tree, the registry, error objects."""

from __future__ import annotations

import pickle

import pytest

from labelnb.config import (
    TAGS,
    ConfigError,
    ControlTag,
    LabelConfig,
    ObjectTag,
    ResultError,
    Tag,
    TaskDataError,
)

BASIC = """<View>
  <Image name="img" value="$image"/>
  <RectangleLabels name="box" toName="img">
    <Label value="Cat" alias="cat"/><Label value="Dog"/>
  </RectangleLabels>
  <Choices name="quality" toName="img"><Choice value="ok"/><Choice value="blurry"/></Choices>
</View>"""


def test_objects_controls_and_data_keys() -> None:
    config = LabelConfig.from_xml(BASIC)
    assert list(config.objects) == ["img"]
    image = config.objects["img"]
    assert isinstance(image, ObjectTag)
    assert (image.tag, image.value, image.value_key) == ("Image", "$image", "image")
    assert list(config.controls) == ["box", "quality"]
    box = config.controls["box"]
    assert isinstance(box, ControlTag)
    assert (box.tag, box.type, box.to_name, box.labels) == (
        "RectangleLabels",
        "rectanglelabels",
        ("img",),
        ("cat", "Dog"),
    )
    assert box.choice == "single"
    assert not box.dynamic_labels
    assert not box.per_region
    assert box.node is config.root.children[1]
    assert box.label_attrs["cat"] == {"value": "Cat", "alias": "cat"}
    assert config.data_keys == ["image"]
    assert config.xml == BASIC
    assert config.relations is None


def test_tags_and_attributes_are_case_insensitive_and_stored_canonically() -> None:
    config = LabelConfig.from_xml(
        """<view>
             <TEXT name="t" VALUE="$text"/>
             <choices name="c" toname="t" showinline="true" perregion="false" CHOICE="multiple">
               <choice value="A"/><CHOICE value="B"/>
             </choices>
             <rating name="r" toName="t" maxrating="3"/>
           </view>"""
    )
    assert [n.tag for n in config.root.iter()] == ["View", "Text", "Choices", "Choice", "Choice", "Rating"]
    choices = config.controls["c"]
    assert choices.node.attrs == {
        "name": "c",
        "toName": "t",
        "showInline": "true",
        "perRegion": "false",
        "choice": "multiple",
    }
    assert choices.choice == "multiple"
    assert choices.labels == ("A", "B")
    assert config.controls["r"].max_rating == 3
    assert config.objects["t"].value_key == "text"


def test_unknown_attributes_are_kept_as_written() -> None:
    config = LabelConfig.from_xml('<View><Text name="t" value="$t" data-Custom="x"/></View>')
    assert config.objects["t"].node.attrs["data-Custom"] == "x"


def test_positions_point_at_the_opening_bracket() -> None:
    xml = '<View>\n  <Text name="t" value="$t"/>\n     <Choices\n   name="c" toName="nope">\n<Choice value="a"/></Choices></View>'
    with pytest.raises(ConfigError) as info:
        LabelConfig.from_xml(xml)
    assert (info.value.line, info.value.column) == (3, 6)
    assert str(info.value).startswith(
        "line 3, column 6: toName 'nope' of <Choices name='c'> names no object tag"
    )
    config = LabelConfig.from_xml(xml.replace("nope", "t"))
    assert [(n.tag, n.line, n.column) for n in config.root.iter()] == [
        ("View", 1, 1),
        ("Text", 2, 3),
        ("Choices", 3, 6),
        ("Choice", 5, 1),
    ]


def test_positions_skip_comments_cdata_and_declarations() -> None:
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!-- <Fake> -->\n<View><Style><![CDATA[ a<b{} ]]></Style>'
        '<!-- <Choices name="x"> --><Text name="t" value="$t"/></View>'
    )
    config = LabelConfig.from_xml(xml)
    third_line = xml.splitlines()[2]
    assert [(n.tag, n.line, n.column) for n in config.root.iter()] == [
        ("View", 3, 1),
        ("Style", 3, 7),
        ("Text", 3, third_line.index("<Text") + 1),
    ]
    assert config.root.children[0].text == " a<b{} "


def test_comments_are_dropped_and_text_is_kept() -> None:
    config = LabelConfig.from_xml(
        "<View><!-- hi --><Style>.a{}<!-- x -->.b{}</Style><Header value='h'/></View>"
    )
    assert [n.tag for n in config.root.iter()] == ["View", "Style", "Header"]
    assert config.root.children[0].text == ".a{}.b{}"
    assert config.root.text is None


@pytest.mark.parametrize(
    ("xml", "needle"),
    [
        ("<!DOCTYPE View><View/>", "<!DOCTYPE> is not allowed"),
        ('<!DOCTYPE View SYSTEM "file:///etc/passwd"><View>&x;</View>', "<!DOCTYPE> is not allowed"),
        ('<View>\n<!ENTITY x "y"></View>', "<!ENTITY> is not allowed"),
        (
            '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><View>&lol2;</View>',
            "<!DOCTYPE> is not allowed",
        ),
    ],
)
def test_doctype_and_entities_are_refused(xml: str, needle: str) -> None:
    with pytest.raises(ConfigError, match=needle):
        LabelConfig.from_xml(xml)


def test_syntax_errors_carry_line_and_column() -> None:
    with pytest.raises(ConfigError) as info:
        LabelConfig.from_xml("<View>\n  <Text name='t' value='$t'>\n</View>")
    assert info.value.line == 3
    assert info.value.column is not None
    assert "not well-formed XML" in info.value.message


@pytest.mark.parametrize("xml", ["", "   ", "\n\t\n"])
def test_empty_config_is_refused(xml: str) -> None:
    with pytest.raises(ConfigError, match="empty"):
        LabelConfig.from_xml(xml)


def test_non_string_config_is_refused() -> None:
    with pytest.raises(ConfigError, match="must be XML text"):
        LabelConfig.from_xml(b"<View/>")  # type: ignore[arg-type]


def test_unknown_tag_suggests_the_closest_known_one() -> None:
    with pytest.raises(ConfigError, match=r"unknown tag <RectangleLabel>; did you mean <RectangleLabels>\?"):
        LabelConfig.from_xml('<View><Image name="i" value="$i"/><RectangleLabel name="b" toName="i"/></View>')
    with pytest.raises(ConfigError) as info:
        LabelConfig.from_xml("<View><Zzzqqq/></View>")
    assert "did you mean" not in info.value.message


def test_known_non_view_root_is_accepted() -> None:
    config = LabelConfig.from_xml('<Text name="t" value="$t"/>')
    assert config.root.tag == "Text"
    assert config.data_keys == ["t"]


def test_to_json_is_the_plain_tree() -> None:
    config = LabelConfig.from_xml('<View><Style>.x{}</Style><Text name="t" value="$t"/></View>')
    assert config.to_json() == {
        "tag": "View",
        "attrs": {},
        "children": [
            {"tag": "Style", "attrs": {}, "children": [], "text": ".x{}"},
            {"tag": "Text", "attrs": {"name": "t", "value": "$t"}, "children": []},
        ],
    }


def test_tag_dataclass_helpers() -> None:
    tag = Tag("Choices", {"name": "c"}, [Tag("Choice", {"value": "a & <b>"})])
    assert tag.describe() == "<Choices name='c'>"
    assert Tag("View").describe() == "<View>"
    assert tag.get("name") == "c"
    assert tag.get("missing", "d") == "d"
    assert [t.tag for t in tag.iter()] == ["Choices", "Choice"]
    copy = tag.copy()
    copy.children[0].attrs["value"] = "changed"
    assert tag.children[0].attrs["value"] == "a & <b>"
    assert 'value="a &amp; &lt;b&gt;"' in tag.to_xml()


def test_data_keys_are_unique_and_in_document_order() -> None:
    config = LabelConfig.from_xml(
        """<View>
             <Header value="$title"/>
             <Audio name="a" value="$audio"/>
             <Paragraphs name="p" value="$dialogue" audioUrl="$audio"/>
             <Video name="v" value="$video" frameRate="$fps"/>
             <Choices name="c" toName="p" value="$options"/>
             <Text name="t" value="$meta.body"/>
             <Text name="lit" value="literal text"/>
             <Repeater on="$pages"><Image name="i_{{idx}}" value="$pages[{{idx}}].url"/></Repeater>
           </View>"""
    )
    assert config.data_keys == ["title", "audio", "dialogue", "video", "fps", "options", "meta.body", "pages"]
    assert config.objects["lit"].value_key is None
    assert config.objects["t"].value_key == "meta.body"
    assert config.controls["c"].dynamic_labels
    assert config.controls["c"].value_key == "options"


def test_control_extras() -> None:
    config = LabelConfig.from_xml(
        """<View>
             <Text name="t" value="$t"/>
             <Number name="n" toName="t" min="1.5" max="9" required="TRUE" perItem="true"/>
             <Rating name="r" toName="t"/>
             <DateTime name="d" toName="t" min="2020-01-01"/>
             <Taxonomy name="tax" toName="t"><Choice value="A"><Choice value="B"/></Choice><Choice value="B"/></Taxonomy>
             <List name="l" value="$items"/>
             <Ranker name="rk" toName="l"><Bucket name="good"/><Bucket name="bad"/></Ranker>
             <Relations choice="multiple"><Relation value="near"/></Relations>
             <Pairwise name="pw" toName="t, l"/>
           </View>"""
    )
    number = config.controls["n"]
    assert (number.min, number.max, number.required, number.per_item) == (1.5, 9.0, True, True)
    assert config.controls["r"].max_rating == 5
    assert config.controls["d"].min == "2020-01-01"
    tax = config.controls["tax"]
    assert tax.labels == ("A", "B")
    assert tax.label_paths == frozenset({("A",), ("A", "B"), ("B",)})
    assert config.controls["rk"].buckets == ("good", "bad")
    assert config.controls["pw"].to_name == ("t", "l")
    assert config.relations is not None
    assert (config.relations.type, config.relations.labels, config.relations.choice) == (
        "relation",
        ("near",),
        "multiple",
    )
    assert "Relations" not in {c.tag for c in config.controls.values()}


def test_registry_covers_reference_section_a() -> None:
    expected = {
        # objects
        "Image", "Text", "HyperText", "Paragraphs", "Audio", "AudioPlus", "Video", "TimeSeries", "Channel",
        "MultiChannel", "Table", "List", "Pdf", "Chat",
        # controls
        "Choices", "Taxonomy", "Labels", "RectangleLabels", "Rectangle", "PolygonLabels", "Polygon",
        "EllipseLabels", "Ellipse", "KeyPointLabels", "KeyPoint", "BrushLabels", "Brush", "BitmaskLabels",
        "Bitmask", "VectorLabels", "Vector", "MagicWand", "TextArea", "Number", "Rating", "DateTime",
        "HyperTextLabels", "ParagraphLabels", "TimeSeriesLabels", "TimelineLabels", "VideoRectangle",
        "Pairwise", "Ranker", "Relations", "Shortcut", "Bucket", "OcrLabels",
        # visual and children
        "View", "Header", "Style", "Filter", "Collapse", "Panel", "Markdown", "Repeater", "Label", "Choice",
        "Relation",
    }  # fmt: skip
    assert expected <= set(TAGS)
    for name, spec in TAGS.items():
        assert spec.name == name
        assert spec.kind in {"object", "control", "visual", "child"}
        if spec.kind == "control":
            assert spec.result_type == ("relation" if name == "Relations" else name.lower())
        else:
            assert spec.result_type is None
        if spec.kind == "object":
            assert spec.data_attrs["value"], name
    assert TAGS["Image"].required == ("name", "value|valueList")
    assert TAGS["Choices"].required == ("name", "toName")
    assert TAGS["RectangleLabels"].label_child == "Label"
    assert TAGS["RectangleLabels"].is_labels
    assert not TAGS["Rectangle"].is_labels
    assert "Label" in (TAGS["Labels"].children or set())
    assert TAGS["Label"].parents >= {"Labels", "RectangleLabels"}
    assert TAGS["Filter"].kind == "visual"


def test_errors_are_value_errors_with_parts_and_survive_pickling() -> None:
    config_error = ConfigError("bad", 3, 5)
    assert isinstance(config_error, ValueError)
    assert str(config_error) == "line 3, column 5: bad"
    assert str(ConfigError("bad", 3)) == "line 3: bad"
    assert str(ConfigError("bad")) == "bad"
    task_error = TaskDataError("image", "missing")
    assert (task_error.field, task_error.message) == ("image", "missing")
    assert "'image'" in str(task_error)
    result_error = ResultError("out of range", 2, "value.x")
    assert str(result_error) == "result item 2, field 'value.x': out of range"
    for err in (config_error, task_error, result_error):
        again = pickle.loads(pickle.dumps(err))
        assert type(again) is type(err)
        assert str(again) == str(err)


def test_header_may_carry_its_text_as_body() -> None:
    config = LabelConfig.from_xml("<View><Header>Rate the <!-- not this -->pair</Header></View>")
    header = config.root.children[0]
    assert (header.tag, header.attrs, header.text) == ("Header", {}, "Rate the pair")


def test_byte_order_mark_and_leading_space_are_tolerated() -> None:
    config = LabelConfig.from_xml('\ufeff<View><Text name="t" value="$t"/></View>')
    assert config.root.children[0].column == 7
    config = LabelConfig.from_xml('\n  <?xml version="1.0" encoding="utf-8"?>\n<View/>')
    assert config.root.line == 3


# -- controls without toName ------------------------------------------------------------------------------
# Label Studio's server refuses Labels/Choices/TextArea/Number without toName (label_config_schema.json); its
# editor fills a missing toName in with the config's only object tag (Tree.tsx extractNames), counting Pairwise
# and Ranker as objects, and writes that object's name as the result's to_name.

CHATBOT = """<View>
  <Paragraphs name="dialogue" value="$messages" layout="dialogue" nameKey="role" textKey="content"/>
  <View className="assessment-item"><Rating name="likert_scale" maxRating="7"/></View>
  <Choices name="hallucination" toName="dialogue"><Choice value="Yes"/><Choice value="No"/></Choices>
</View>"""


def test_rating_without_to_name_labels_the_only_object_tag() -> None:
    config = LabelConfig.from_xml(CHATBOT)
    rating = config.controls["likert_scale"]
    assert (rating.to_name, rating.to_name_implied, rating.max_rating) == (("dialogue",), True, 7)
    assert not config.controls["hallucination"].to_name_implied
    assert "toName" not in rating.node.attrs  # the tree stays as written
    assert "toName" not in config.root.to_xml().split("<Rating", 1)[1].split("/>", 1)[0]
    # the browser gets the filled-in toName, so it writes the to_name results need
    sent = config.to_json()["children"][1]["children"][0]
    assert sent["attrs"] == {"name": "likert_scale", "maxRating": "7", "toName": "dialogue"}
    config.validate_result(
        [{"from_name": "likert_scale", "to_name": "dialogue", "type": "rating", "value": {"rating": 7}}]
    )
    for to_name in ("", "likert_scale", "other"):
        with pytest.raises(ResultError) as info:
            config.validate_result(
                [{"from_name": "likert_scale", "to_name": to_name, "type": "rating", "value": {"rating": 1}}]
            )
        assert info.value.field == "to_name"
    with pytest.raises(ResultError, match=r"outside 0\.\.7"):
        config.validate_result(
            [{"from_name": "likert_scale", "to_name": "dialogue", "type": "rating", "value": {"rating": 8}}]
        )


@pytest.mark.parametrize(
    "control",
    [
        '<Rating name="c"/>',
        '<Rating name="c" toName=""/>',
        '<DateTime name="c"/>',
        '<Taxonomy name="c"><Choice value="A"/></Taxonomy>',
        '<RectangleLabels name="c"><Label value="A"/></RectangleLabels>',
        '<Rectangle name="c"/>',
        '<TimelineLabels name="c"><Label value="A"/></TimelineLabels>',
    ],
)
def test_other_controls_may_leave_to_name_out_with_one_object_tag(control: str) -> None:
    config = LabelConfig.from_xml(f'<View>{control}<Image name="img" value="$image"/></View>')
    assert config.controls["c"].to_name == ("img",)
    assert config.controls["c"].to_name_implied
    assert LabelConfig.from_xml(config.root.to_xml()).controls == config.controls


@pytest.mark.parametrize(
    "control",
    [
        '<Labels name="c"><Label value="A"/></Labels>',
        '<Choices name="c"><Choice value="A"/></Choices>',
        '<TextArea name="c"/>',
        '<Number name="c"/>',
        '<Pairwise name="c"/>',
        '<Ranker name="c"/>',
    ],
)
def test_controls_label_studio_refuses_without_to_name_still_need_it(control: str) -> None:
    with pytest.raises(ConfigError, match=r"needs a toName attribute"):
        LabelConfig.from_xml(f'<View><List name="img" value="$items"/>{control}</View>')


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ('<Header value="x"/>', "this config has no object tag for it to label"),
        (
            '<Text name="a" value="$a"/><Text name="b" value="$b"/>',
            "this config has 2 object tags ('a', 'b'); a missing toName is filled in only when there is exactly "
            "one, so add toName naming the one it labels, e.g. toName='a'",
        ),
        (
            '<List name="l" value="$items"/><Ranker name="rk" toName="l"/>',
            "'l' is the only object tag, but Label Studio also counts <Ranker name='rk'> as one",
        ),
        (
            '<Repeater on="$pages"><Image name="p_{{idx}}" value="$pages[{{idx}}]"/></Repeater>',
            "the only object tag, 'p_{{idx}}', is inside a <Repeater>",
        ),
    ],
)
def test_a_missing_to_name_is_refused_unless_one_object_tag_is_there(body: str, needle: str) -> None:
    with pytest.raises(ConfigError) as info:
        LabelConfig.from_xml(f'<View>{body}\n  <Rating name="r"/></View>')
    assert info.value.message.startswith("<Rating name='r'> has no toName"), info.value.message
    assert needle in info.value.message
    assert info.value.line == 2


def test_a_repeated_control_without_to_name_labels_the_one_object_in_every_copy() -> None:
    config = LabelConfig.from_xml(
        '<View><Text name="t" value="$t"/><Repeater on="$qs"><Rating name="r_{{idx}}"/></Repeater></View>'
    )
    assert config.controls["r_{{idx}}"].to_name == ("t",)
    special = config.for_task({"t": "x", "qs": [1, 2]})
    assert [(c.name, c.to_name) for c in special.controls.values()] == [("r_0", ("t",)), ("r_1", ("t",))]
    assert [c["attrs"].get("toName") for c in special.to_json()["children"][1:]] == ["t", "t"]
    config.validate_result(
        [{"from_name": "r_1", "to_name": "t", "type": "rating", "value": {"rating": 2}}],
        {"t": "x", "qs": [1, 2]},
    )


def test_hypertext_children_are_its_html_value() -> None:
    """As Label Studio's editor (core/Tree.tsx): the elements inside a HyperText are HTML, its value,
    not config tags, however they are named; tags after it keep their positions."""
    config = LabelConfig.from_xml(
        "<View>\n"
        '  <HyperText name="page"><p>Price: <b>5 &amp; up</b></p><Choices name="not_a_control"/>tail</HyperText>\n'
        '  <Choices name="topic" toName="page"><Choice value="ads"/></Choices>\n'
        "</View>"
    )
    page = config.root.children[0]
    assert page.tag == "HyperText"
    assert page.children == []
    assert page.text is None
    assert page.attrs["value"] == '<p>Price: <b>5 &amp; up</b></p><Choices name="not_a_control"/>tail'
    assert set(config.controls) == {"topic"}
    assert (config.root.children[1].line, config.root.children[1].column) == (3, 3)
    # only text inside: that text; nothing inside: the value attribute stays
    assert (
        LabelConfig.from_xml('<View><HyperText name="h">Just text</HyperText></View>')
        .root.children[0]
        .attrs["value"]
        == "Just text"
    )
    assert (
        LabelConfig.from_xml('<View><HyperText name="h" value="$html"> </HyperText></View>')
        .objects["h"]
        .value_key
        == "html"
    )
    # an unknown tag after the HTML is still found, at its place
    with pytest.raises(ConfigError, match="unknown tag <Bogus>") as info:
        LabelConfig.from_xml(
            '<View><HyperText name="h"><div><span>x</span></div></HyperText>\n<Bogus/></View>'
        )
    assert (info.value.line, info.value.column) == (2, 1)
