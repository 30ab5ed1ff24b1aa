"""for_task: Repeater expansion and dynamic labels written out from task data."""

from __future__ import annotations

import re

import pytest

from labelnb.config import ConfigError, LabelConfig, ResultError, TaskDataError

REPEATER = """<View>
  <Header value="Document"/>
  <Text name="title" value="$title"/>
  <Repeater on="$pages" indexFlag="{{idx}}" mode="pagination">
    <Image name="page_{{idx}}" value="$pages[{{idx}}].url"/>
    <RectangleLabels name="labels_{{idx}}" toName="page_{{idx}}" hint="page {{idx}}">
      <Label value="Stamp"/>
    </RectangleLabels>
  </Repeater>
  <TextArea name="summary" toName="title"/>
</View>"""


def test_static_config_is_returned_as_is() -> None:
    config = LabelConfig.from_xml('<View><Text name="t" value="$t"/></View>')
    assert config.for_task({"t": "x"}) is config


def test_repeater_clones_children_per_item_with_the_index() -> None:
    config = LabelConfig.from_xml(REPEATER)
    assert list(config.controls) == ["labels_{{idx}}", "summary"]
    special = config.for_task({"pages": [{"url": "a.png"}, {"url": "b.png"}, {"url": "c.png"}]})
    assert [n.tag for n in special.root.children] == [
        "Header",
        "Text",
        *["Image", "RectangleLabels"] * 3,
        "TextArea",
    ]
    assert list(special.objects) == ["title", "page_0", "page_1", "page_2"]
    assert special.objects["page_2"].value == "$pages[2].url"
    assert special.objects["page_2"].value_key == "pages[2].url"
    assert list(special.controls) == ["labels_0", "labels_1", "labels_2", "summary"]
    assert special.controls["labels_1"].to_name == ("page_1",)
    assert special.controls["labels_1"].node.attrs["hint"] == "page 1"
    assert special.controls["labels_1"].labels == ("Stamp",)
    tree = special.to_json()
    assert "{{idx}}" not in str(tree)
    assert "Repeater" not in str(tree)
    # the specialised config still validates the task and its own results
    special.validate_task({"title": "T", "pages": [{"url": "a.png"}, {"url": "b.png"}, {"url": "c.png"}]})
    # the original is untouched
    assert "{{idx}}" in config.root.children[2].children[0].attrs["name"]


def test_repeater_with_an_empty_list_and_a_custom_flag() -> None:
    config = LabelConfig.from_xml(
        '<View><Repeater on="$items" indexFlag="[i]"><Text name="t[i]" value="$items[[i]]"/>'
        '<Choices name="c[i]" toName="t[i]"><Choice value="ok"/></Choices></Repeater></View>'
    )
    assert config.for_task({"items": []}).objects == {}
    special = config.for_task({"items": ["x", "y"]})
    assert list(special.objects) == ["t0", "t1"]
    assert special.objects["t1"].value == "$items[1]"
    special.validate_result(
        [{"from_name": "c1", "to_name": "t1", "type": "choices", "value": {"choices": ["ok"]}}],
        {"items": ["x", "y"]},
    )


def test_repeater_at_the_root_keeps_a_single_root() -> None:
    config = LabelConfig.from_xml(
        '<Repeater on="$xs"><Text name="t_{{idx}}" value="$xs[{{idx}}]"/></Repeater>'
    )
    special = config.for_task({"xs": ["a", "b"]})
    assert special.root.tag == "View"
    assert list(special.objects) == ["t_0", "t_1"]


def test_nested_repeaters_with_distinct_flags() -> None:
    config = LabelConfig.from_xml(
        '<View><Repeater on="$docs" indexFlag="{{d}}"><Repeater on="$docs[{{d}}].pages" indexFlag="{{p}}">'
        '<Image name="img_{{d}}_{{p}}" value="$docs[{{d}}].pages[{{p}}]"/></Repeater></Repeater></View>'
    )
    special = config.for_task({"docs": [{"pages": ["a", "b"]}, {"pages": ["c"]}]})
    assert list(special.objects) == ["img_0_0", "img_0_1", "img_1_0"]
    assert special.objects["img_1_0"].value == "$docs[1].pages[0]"


def test_repeater_needs_a_list() -> None:
    config = LabelConfig.from_xml(REPEATER)
    with pytest.raises(TaskDataError) as info:
        config.for_task({"pages": "a.png"})
    assert info.value.field == "pages"
    with pytest.raises(TaskDataError, match='"pages" key is expected'):
        config.for_task({})


def test_dynamic_choices_from_dicts_and_strings() -> None:
    config = LabelConfig.from_xml(
        '<View><Text name="t" value="$t"/><Choices name="c" toName="t" value="$opts" choice="multiple"/></View>'
    )
    assert config.controls["c"].dynamic_labels
    assert config.controls["c"].labels == ()
    special = config.for_task(
        {"t": "x", "opts": [{"value": "A", "html": "<b>A</b>", "hint": "first", "selected": True}, "B", 3]}
    )
    control = special.controls["c"]
    assert control.labels == ("A", "B", "3")
    assert not control.dynamic_labels
    assert "value" not in control.node.attrs
    first = control.node.children[0]
    assert (first.tag, first.attrs) == (
        "Choice",
        {"value": "A", "html": "<b>A</b>", "hint": "first", "selected": "true"},
    )
    assert special.to_json()["children"][1]["children"][1] == {
        "tag": "Choice",
        "attrs": {"value": "B"},
        "children": [],
    }


def test_dynamic_nested_choices_for_taxonomy() -> None:
    config = LabelConfig.from_xml(
        '<View><Text name="t" value="$t"/><Taxonomy name="tax" toName="t" value="$tree"/></View>'
    )
    tree = [
        {"value": "Food", "children": [{"value": "Fish"}, {"value": "Meat", "alias": "meat"}]},
        {"value": "Drink"},
    ]
    special = config.for_task({"t": "x", "tree": tree})
    tax = special.controls["tax"]
    assert tax.labels == ("Food", "Fish", "meat", "Drink")
    assert ("Food", "meat") in tax.label_paths
    assert config.for_task({"t": "x", "tree": None}).controls["tax"].labels == ()
    assert config.for_task({"t": "x", "tree": '["A", "B"]'}).controls["tax"].labels == ("A", "B")


def test_dynamic_labels_canonicalise_attribute_names() -> None:
    config = LabelConfig.from_xml(
        '<View><Text name="t" value="$t"/><Labels name="l" toName="t" value="$kinds"/></View>'
    )
    special = config.for_task({"t": "x", "kinds": [{"value": "Drug", "BACKGROUND": "red"}]})
    assert special.controls["l"].node.children[0].attrs == {"value": "Drug", "background": "red"}
    assert special.controls["l"].node.children[0].tag == "Label"


@pytest.mark.parametrize(
    ("options", "needle"),
    [
        (5, "must be a list"),
        ([{"hint": "no value"}], "has no 'value'"),
        ([["nested", "list"]], "option 0"),
        ([{"value": "A", "children": "B"}], "'children' of option 0"),
    ],
)
def test_bad_dynamic_options_are_named(options: object, needle: str) -> None:
    config = LabelConfig.from_xml(
        '<View><Text name="t" value="$t"/><Choices name="c" toName="t" value="$opts"/></View>'
    )
    with pytest.raises(TaskDataError, match=needle) as info:
        config.for_task({"t": "x", "opts": options})
    assert info.value.field == "opts"


def test_dynamic_options_key_must_exist() -> None:
    config = LabelConfig.from_xml(
        '<View><Text name="t" value="$t"/><Choices name="c" toName="t" value="$opts"/></View>'
    )
    with pytest.raises(TaskDataError, match='"opts" key is expected'):
        config.for_task({"t": "x"})


def test_expansion_that_creates_duplicate_names_is_a_config_error() -> None:
    config = LabelConfig.from_xml(
        '<View><Text name="t" value="$t"/><Choices name="c" toName="t" value="$opts"/>'
        '<Repeater on="$xs"><Text name="x_{{idx}}" value="$t"/></Repeater><Text name="x_1" value="$t"/></View>'
    )
    with pytest.raises(ConfigError, match="name 'x_1' is used twice"):
        config.for_task({"t": "x", "opts": ["a"], "xs": [1, 2]})


def test_validate_result_with_data_uses_the_specialised_config() -> None:
    config = LabelConfig.from_xml(REPEATER)
    data = {"title": "T", "pages": [{"url": "a.png"}]}
    box = {"x": 1, "y": 1, "width": 2, "height": 2, "rectanglelabels": ["Stamp"]}
    config.validate_result(
        [{"from_name": "labels_0", "to_name": "page_0", "type": "rectanglelabels", "value": box}], data
    )
    config.validate_result(
        [{"from_name": "summary", "to_name": "title", "type": "textarea", "value": {"text": ["s"]}}], data
    )
    with pytest.raises(ResultError, match="names no control"):
        config.validate_result(
            [{"from_name": "labels_1", "to_name": "page_1", "type": "rectanglelabels", "value": box}], data
        )


def test_controls_outside_a_repeater_cannot_target_its_copies() -> None:
    with pytest.raises(ConfigError, match=re.escape("names a copy of 'page_{{idx}}'")) as info:
        LabelConfig.from_xml(REPEATER.replace('toName="title"', 'toName="page_0"'))
    assert info.value.line == 10
