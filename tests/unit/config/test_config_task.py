"""validate_task: every key the config reads is present, with a type Label Studio accepts."""

from __future__ import annotations

from typing import Any

import pytest

from labelnb.config import LabelConfig, TaskDataError


def _config(body: str) -> LabelConfig:
    return LabelConfig.from_xml(f"<View>{body}</View>")


def test_missing_key_is_named() -> None:
    config = _config('<Image name="img" value="$image"/><Text name="t" value="$text"/>')
    config.validate_task({"image": "a.jpg", "text": "hi", "extra": 1})
    with pytest.raises(TaskDataError) as info:
        config.validate_task({"image": "a.jpg"})
    assert info.value.field == "text"
    assert '"text" key is expected in task data' in info.value.message
    assert "<Text name='t'>" in info.value.message


def test_data_must_be_a_mapping() -> None:
    config = _config('<Text name="t" value="$text"/>')
    with pytest.raises(TaskDataError, match="must be a dict"):
        config.validate_task(["text"])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("body", "good", "bad"),
    [
        ('<Text name="o" value="$k"/>', ["s", 3, 2.5, ["a", "b"]], [{"a": 1}, None]),
        ('<HyperText name="o" value="$k"/>', ["<p>x</p>"], [3, ["x"]]),
        ('<Image name="o" value="$k"/>', ["u.jpg", ["a.jpg", "b.jpg"]], [3, {"u": 1}]),
        ('<Image name="o" valueList="$k"/>', [["a.jpg"], "a.jpg"], [3]),
        ('<Paragraphs name="o" value="$k"/>', [[{"author": "a", "text": "b"}], "url"], [3, {"a": 1}]),
        ('<Chat name="o" value="$k"/>', [[{"role": "user", "content": "x"}], "x"], [1.5]),
        ('<Table name="o" value="$k"/>', [{"a": 1}, [1], "x"], [3]),
        (
            '<TimeSeries name="o" value="$k"><Channel column="c"/></TimeSeries>',
            [{"t": [1]}, [], "u.csv"],
            [3],
        ),
        ('<List name="o" value="$k"/>', [[{"id": "a"}], "x"], [{"a": 1}]),
        ('<Header value="$k"/>', ["s", 1, 2.5], [["s"], None]),
        ('<Audio name="o" value="$k"/>', ["a.wav"], [3]),
        ('<Video name="o" value="$k"/>', ["v.mp4"], [["v.mp4"]]),
        ('<Pdf name="o" value="$k"/>', ["d.pdf"], [None]),
        ('<Text name="t" value="x"/><Choices name="c" toName="t" value="$k"/>', [["a"], "a"], [3, None]),
        ('<Text name="t" value="x"/><Labels name="c" toName="t" value="$k"/>', [["a"], "a"], [{"a": 1}]),
        ('<Text name="t" value="x"/><Taxonomy name="c" toName="t" value="$k"/>', [["a"], "a", None], [3]),
        (
            '<Repeater on="$k"><Text name="t_{{idx}}" value="$k[{{idx}}]"/></Repeater>',
            [[], ["a"]],
            ["a", {"a": 1}],
        ),
    ],
)
def test_types_per_object_tag(body: str, good: list[Any], bad: list[Any]) -> None:
    config = _config(body)
    for value in good:
        config.validate_task({"k": value})
    for value in bad:
        with pytest.raises(TaskDataError) as info:
            config.validate_task({"k": value})
        assert info.value.field == "k"
        assert "needs" in info.value.message


def test_dotted_keys_are_looked_up_nested_or_literally() -> None:
    config = _config('<Text name="t" value="$meta.body"/>')
    config.validate_task({"meta": {"body": "nested"}})
    config.validate_task({"meta.body": "literal"})
    with pytest.raises(TaskDataError) as info:
        config.validate_task({"meta": {"title": "no body"}})
    assert info.value.field == "meta.body"
    with pytest.raises(TaskDataError, match="nested part 'meta' is absent"):
        config.validate_task({"other": 1})
    with pytest.raises(TaskDataError, match="needs a string or a number or a list"):
        config.validate_task({"meta": {"body": {"deeper": 1}}})


def test_every_reader_of_a_key_constrains_it() -> None:
    # Text alone would accept a list; HyperText on the same key does not.
    config = _config('<Text name="a" value="$doc"/><HyperText name="b" value="$doc"/>')
    config.validate_task({"doc": "<p>x</p>"})
    with pytest.raises(TaskDataError, match="<HyperText name='b'> needs a string"):
        config.validate_task({"doc": ["x"]})


def test_video_frame_rate_and_paragraph_audio_are_data_keys() -> None:
    config = _config(
        '<Video name="v" value="$video" frameRate="$fps"/>'
        '<Paragraphs name="p" value="$lines" audioUrl="$audio"/>'
    )
    config.validate_task({"video": "v.mp4", "fps": 29.97, "lines": [], "audio": "a.wav"})
    with pytest.raises(TaskDataError) as info:
        config.validate_task({"video": "v.mp4", "lines": [], "audio": "a.wav"})
    assert info.value.field == "fps"
    with pytest.raises(TaskDataError) as info:
        config.validate_task({"video": "v.mp4", "fps": 25, "lines": [], "audio": 3})
    assert info.value.field == "audio"


def test_textarea_prefill_key_must_exist_but_any_type_is_fine() -> None:
    config = _config('<Text name="t" value="$t"/><TextArea name="a" toName="t" value="$draft"/>')
    config.validate_task({"t": "x", "draft": {"anything": True}})
    with pytest.raises(TaskDataError) as info:
        config.validate_task({"t": "x"})
    assert info.value.field == "draft"


def test_repeater_templates_require_only_the_list() -> None:
    config = _config(
        '<Repeater on="$pages"><Image name="p_{{idx}}" value="$pages[{{idx}}].url"/>'
        '<Header value="$other[{{idx}}]"/></Repeater>'
    )
    config.validate_task({"pages": [{"url": "a"}], "other": ["x"]})
    with pytest.raises(TaskDataError) as info:
        config.validate_task({"pages": [{"url": "a"}]})
    assert info.value.field == "other"
    with pytest.raises(TaskDataError) as info:
        config.validate_task({"pages": "a", "other": []})
    assert info.value.field == "pages"


def test_static_values_need_no_data() -> None:
    config = _config('<Header value="Hello $name is not a reference"/><Text name="t" value="literal"/>')
    config.validate_task({})
    assert config.data_keys == []
