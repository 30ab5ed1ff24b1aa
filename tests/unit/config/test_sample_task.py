"""``LabelConfig.sample_task()``: a plausible, offline task for any config (labelnb/config/sample.py)."""

from __future__ import annotations

import base64
import csv
import io
import json
import re
import struct
import wave
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from labelnb.config import LabelConfig
from labelnb.config.paths import lookup
from labelnb.config.sample import (
    AUDIO_RATE,
    AUDIO_SECONDS,
    AUDIO_TONES,
    IMAGE_SIZE,
    REPEAT_COUNT,
    TIME_SERIES_POINTS,
    VIDEO_FPS,
    VIDEO_SECONDS,
    VIDEO_SIZE,
)
from tests.unit.config.test_config_corpus import VALID
from tests.unit.config.test_gallery import gallery  # noqa: F401  (the fixture: every gallery template)

#: the largest data: URL a sample may hold
MAX_DATA_URL = 50_000


def _sample(xml: str) -> dict[str, Any]:
    task = LabelConfig.from_xml(xml).sample_task()
    assert set(task) == {"data"}
    data: dict[str, Any] = task["data"]
    return data


def _decode(url: str, mime: str) -> bytes:
    prefix = f"data:{mime};base64,"
    assert url.startswith(prefix), url[:60]
    return base64.b64decode(url[len(prefix) :], validate=True)


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def _problems(xml: str) -> list[str]:
    """What is wrong with the sample of one config (empty when all is well)."""
    config = LabelConfig.from_xml(xml)
    task = config.sample_task()
    data = task["data"]
    problems: list[str] = []
    if set(task) != {"data"}:
        problems.append(f"task keys {sorted(task)}")
    try:
        config.validate_task(data)
        special = config.for_task(data)
        special.validate_task(data)
    except Exception as exc:
        return [f"{type(exc).__name__}: {exc}"]
    for key in config.data_keys:
        try:
            lookup(data, key)
        except LookupError:
            problems.append(f"data key {key!r} is missing")
    for text in _strings(data):
        if re.search(r"(?i)\b(https?|ftp|s3|gs)://", text):
            problems.append(f"a remote URL: {text[:80]!r}")
        if text.startswith("data:") and len(text) > MAX_DATA_URL:
            problems.append(f"a data: URL of {len(text)} characters")
    if json.loads(json.dumps(task)) != task:
        problems.append("not plain JSON")
    if config.sample_task() != task:
        problems.append("a second call gives another sample")
    return problems


# -- every config ----------------------------------------------------------------------------------
def test_every_gallery_template_gets_a_working_sample(gallery: dict[str, dict[str, object]]) -> None:  # noqa: F811
    assert len(gallery) > 50
    failures: list[str] = []
    for path, doc in gallery.items():
        xml = doc["config"]
        assert isinstance(xml, str)
        try:
            problems = _problems(xml)
        except Exception as exc:  # every failure is reported, by template
            problems = [f"{type(exc).__name__}: {exc}"]
        failures.extend(f"{path}: {problem}" for problem in problems)
    assert not failures, f"{len(failures)} problems in gallery samples:\n" + "\n".join(failures)


def test_gallery_samples_fill_every_object(gallery: dict[str, dict[str, object]]) -> None:  # noqa: F811
    # the objects that read a field get a value of their kind, not a placeholder string
    kinds: dict[str, set[str]] = {}
    for doc in gallery.values():
        xml = doc["config"]
        assert isinstance(xml, str)
        config = LabelConfig.from_xml(xml)
        data = config.sample_task()["data"]
        for obj in config.objects.values():
            if obj.value_key is not None:
                value = lookup(data, obj.value_key)
                kinds.setdefault(obj.tag, set()).add(type(value).__name__)
                assert value != "Sample", f"{obj.tag} {obj.name} got the fallback"
    assert kinds["Paragraphs"] == {"list"}
    assert kinds["Chat"] == {"list"}
    assert kinds["List"] == {"list"}
    assert kinds["Table"] == {"dict"}
    assert kinds["Image"] <= {"str", "list"}


@pytest.mark.parametrize("path", VALID, ids=[p.stem for p in VALID])
def test_every_corpus_config_gets_a_working_sample(path: Path) -> None:
    assert _problems(path.read_text(encoding="utf-8")) == []


# -- media -----------------------------------------------------------------------------------------
def test_image_is_a_real_png() -> None:
    data = _sample('<View><Image name="img" value="$image"/></View>')
    png = _decode(data["image"], "image/png")
    with Image.open(io.BytesIO(png)) as image:
        image.load()
        assert image.format == "PNG"
        assert image.size == IMAGE_SIZE == (480, 320)
        assert image.mode == "RGB"
        red, green, blue = image.getpixel((5, 5))  # type: ignore[misc]
        assert blue > red
        assert blue > 150
        red, green, blue = image.getpixel((5, 315))  # type: ignore[misc]
        assert green > red
        assert green > blue
        assert len(image.getcolors(maxcolors=100_000) or []) > 20  # a scene, not a flat colour


def test_several_images_differ_and_value_list_gets_pages() -> None:
    data = _sample(
        '<View><Image name="left" value="$left"/><Image name="right" value="$right"/>'
        '<Image name="pages" valueList="$pages"/></View>'
    )
    assert data["left"] != data["right"]
    assert isinstance(data["pages"], list)
    assert len(data["pages"]) == REPEAT_COUNT
    assert len(set(data["pages"])) == REPEAT_COUNT
    for url in data["pages"]:
        with Image.open(io.BytesIO(_decode(url, "image/png"))) as image:
            assert image.size == IMAGE_SIZE


@pytest.mark.parametrize("tag", ["Audio", "AudioPlus"])
def test_audio_is_a_decodable_wav(tag: str) -> None:
    data = _sample(f'<View><{tag} name="audio" value="$audio"/></View>')
    with wave.open(io.BytesIO(_decode(data["audio"], "audio/wav"))) as sound:
        assert sound.getnchannels() == 1
        assert sound.getsampwidth() == 2
        assert sound.getframerate() == AUDIO_RATE
        assert sound.getnframes() == round(AUDIO_RATE * AUDIO_SECONDS)
        frames = sound.readframes(sound.getnframes())
    samples = memoryview(frames).cast("h")

    def loudest(start: float, end: float) -> int:
        return max(abs(s) for s in samples[round(start * AUDIO_RATE) : round(end * AUDIO_RATE)])

    for start, end, _ in AUDIO_TONES:
        assert loudest(start, end) > 5000
    assert loudest(0.31, 0.39) == 0  # silence between the tones


def test_video_is_a_webm_and_frame_rate_a_number() -> None:
    data = _sample('<View><Video name="video" value="$video" frameRate="$fps"/></View>')
    webm = _decode(data["video"], "video/webm")
    assert webm[:4] == bytes.fromhex("1a45dfa3")  # EBML
    assert b"\x42\x82\x84webm" in webm[:64]  # DocType "webm"
    assert b"\x86\x85V_VP8" in webm  # CodecID "V_VP8"
    width, height = VIDEO_SIZE
    assert b"\xb0\x82" + width.to_bytes(2, "big") in webm  # PixelWidth
    assert b"\xba\x81" + height.to_bytes(1, "big") in webm  # PixelHeight
    assert b"\x2a\xd7\xb1\x83\x0f\x42\x40" in webm  # TimecodeScale: 1 ms
    at = webm.index(b"\x44\x89\x88")  # Duration, an 8-byte float in ms
    assert struct.unpack(">d", webm[at + 3 : at + 11]) == (VIDEO_SECONDS * 1000,)
    assert data["fps"] == VIDEO_FPS == 24


def test_video_wins_over_hypertext_reading_the_same_field() -> None:
    # Label Studio's rule: for <Video value="$x"/> and another tag on $x, the field is a video
    data = _sample('<View><HyperText name="h" value="$video"/><Video name="v" value="$video"/></View>')
    assert data["video"].startswith("data:video/webm;base64,")


def test_pdf_is_a_valid_one_page_pdf() -> None:
    data = _sample(
        '<View><Pdf name="pdf" value="$pdf"/><Choices name="c" toName="pdf"><Choice value="a"/></Choices></View>'
    )
    pdf = _decode(data["pdf"], "application/pdf")
    assert pdf.startswith(b"%PDF-1.4\n")
    assert pdf.rstrip().endswith(b"%%EOF")
    assert pdf.count(b"/Type /Page ") == 1
    start = int(pdf.rsplit(b"startxref\n", 1)[1].split()[0])
    assert pdf[start:].startswith(b"xref\n")
    offsets = [int(line.split()[0]) for line in pdf[start:].split(b"\n")[3:] if line.endswith(b" n ")]
    assert len(offsets) == 5
    for number, offset in enumerate(offsets, start=1):
        assert pdf[offset:].startswith(f"{number} 0 obj".encode())


# -- text-like objects -----------------------------------------------------------------------------
def test_text_has_sentences_and_texts_differ() -> None:
    data = _sample('<View><Text name="a" value="$a"/><Text name="b" value="$b"/></View>')
    assert data["a"] != data["b"]
    for text in (data["a"], data["b"]):
        assert isinstance(text, str)
        assert text.count(". ") >= 2, "several sentences, so spans can be drawn"


def test_text_by_url_and_base64_encoding() -> None:
    data = _sample(
        '<View><Text name="a" value="$a" valueType="url"/><Text name="b" value="$b" encoding="base64"/></View>'
    )
    assert _decode(data["a"], "text/plain;charset=utf-8").decode("utf-8").startswith("On a rainy Tuesday")
    assert base64.b64decode(data["b"]).decode("utf-8").startswith("I bought this kettle")


def test_hypertext_is_harmless_html() -> None:
    html = _sample('<View><HyperText name="h" value="$html"/></View>')["html"]
    assert html.startswith("<h2>")
    assert not re.search(r"(?i)<script|<iframe|<style|\bstyle=|\bon\w+=|\bsrc=|\bhref=", html)
    url = _sample('<View><HyperText name="h" value="$html" valueType="url"/></View>')["html"]
    assert _decode(url, "text/html;charset=utf-8").decode("utf-8") == html


def test_paragraphs_use_name_and_text_keys() -> None:
    data = _sample('<View><Paragraphs name="p" value="$dialogue" nameKey="speaker" textKey="line"/></View>')
    phrases = data["dialogue"]
    assert len(phrases) >= 3
    assert all(set(p) == {"speaker", "line"} for p in phrases)
    assert phrases[0]["speaker"] != phrases[1]["speaker"]
    default = _sample('<View><Paragraphs name="p" value="$dialogue"/></View>')["dialogue"]
    assert [set(p) for p in default] == [{"author", "text"}] * len(default)


def test_paragraphs_synced_to_audio_get_times_within_the_sound() -> None:
    data = _sample(
        '<View><Audio name="audio" value="$audio" sync="text"/>'
        '<Paragraphs name="text" value="$text" audioUrl="$audio" sync="audio"/></View>'
    )
    assert data["audio"].startswith("data:audio/wav;base64,")
    starts = [p["start"] for p in data["text"]]
    ends = [p["end"] for p in data["text"]]
    assert starts == sorted(starts)
    assert starts[0] == 0
    assert all(s < e for s, e in zip(starts, ends, strict=True))
    assert ends[-1] == pytest.approx(AUDIO_SECONDS)


def test_paragraphs_by_url_are_a_json_data_url() -> None:
    data = _sample('<View><Paragraphs name="p" value="$dialogue" valueType="url"/></View>')
    phrases = json.loads(_decode(data["dialogue"], "application/json"))
    assert phrases[0] == {"author": "Alice", "text": "Hi Bob, did the parcel arrive?"}


def test_chat_messages_use_the_roles_of_the_tag() -> None:
    data = _sample('<View><Chat name="chat" value="$chat"/></View>')
    assert [m["role"] for m in data["chat"]] == ["user", "assistant", "user", "assistant"]
    assert all(set(m) == {"role", "content"} and m["content"] for m in data["chat"])
    roles = _sample('<View><Chat name="chat" value="$chat" messageroles="customer,agent"/></View>')["chat"]
    assert [m["role"] for m in roles][:2] == ["customer", "agent"]


def test_table_list_and_ranker() -> None:
    data = _sample(
        '<View><Table name="t" value="$row"/><List name="results" value="$items" title="Results"/>'
        '<Ranker name="rank" toName="results"/></View>'
    )
    assert isinstance(data["row"], dict)
    assert data["row"]["Customer"] == "Maria Lopez"
    assert [item["id"] for item in data["items"]] == ["item_1", "item_2", "item_3"]
    assert all(set(item) == {"id", "title", "body"} and item["body"] for item in data["items"])


def test_header_markdown_and_textarea_values_are_strings() -> None:
    data = _sample(
        '<View><Header value="$page_title"/><Text name="t" value="$text"/>'
        '<TextArea name="answer" toName="t" value="$draft"/></View>'
    )
    assert data["page_title"] == "Sample page title"
    assert isinstance(data["draft"], str)
    assert data["draft"]


# -- time series -----------------------------------------------------------------------------------
def _ts_config(attrs: str) -> str:
    return (
        f'<View><TimeSeries name="ts" value="$ts" {attrs}>'
        '<Channel column="speed"/><MultiChannel><Channel column="heat"/></MultiChannel></TimeSeries>'
        '<TimeSeriesLabels name="l" toName="ts"><Label value="Run"/></TimeSeriesLabels></View>'
    )


def test_time_series_json_has_the_channel_and_time_columns() -> None:
    data = _sample(_ts_config('valueType="json" timeColumn="t"'))["ts"]
    assert list(data) == ["t", "speed", "heat"]
    assert data["t"] == list(range(TIME_SERIES_POINTS))
    assert all(len(column) == TIME_SERIES_POINTS for column in data.values())
    assert all(isinstance(v, float) for v in data["speed"])
    assert data["speed"] != data["heat"]


def test_time_series_url_is_a_csv_with_formatted_times() -> None:
    # the default valueType of TimeSeries is url
    url = _sample(_ts_config('timeColumn="time" sep=";" timeFormat="%Y-%m-%d %H:%M:%S.%f"'))["ts"]
    rows = list(csv.reader(io.StringIO(_decode(url, "text/csv").decode("utf-8")), delimiter=";"))
    assert rows[0] == ["time", "speed", "heat"]
    assert len(rows) == TIME_SERIES_POINTS + 1
    times = [datetime.strptime(row[0], "%Y-%m-%d %H:%M:%S.%f") for row in rows[1:]]
    assert times[0] == datetime(2020, 1, 1)
    assert (times[1] - times[0]).total_seconds() == 1
    values = [float(cell) for cell in rows[1][1:]]
    assert len(values) == 2


def test_time_series_dates_step_by_day_and_stop_before_repeating() -> None:
    data = _sample(_ts_config('valueType="json" timeColumn="day" timeFormat="%Y-%m-%d"'))["ts"]
    assert data["day"][:2] == ["2020-01-01", "2020-01-02"]
    hours = _sample(_ts_config('valueType="json" timeColumn="h" timeFormat="%H"'))["ts"]
    assert hours["h"] == [f"{h:02d}" for h in range(24)]
    assert len(hours["speed"]) == 24


def test_time_series_headless_csv_by_column_index() -> None:
    xml = (
        '<View><TimeSeries name="ts" value="$csv" timeColumn="0"><Channel column="2"/></TimeSeries>'
        '<TimeSeriesLabels name="l" toName="ts"><Label value="Run"/></TimeSeriesLabels></View>'
    )
    rows = list(csv.reader(io.StringIO(_decode(_sample(xml)["csv"], "text/csv").decode("utf-8"))))
    assert len(rows) == TIME_SERIES_POINTS
    assert all(len(row) == 3 for row in rows)
    assert rows[0][0] == "0"
    assert rows[5][0] == "5"


# -- dynamic labels, repeaters, nested keys --------------------------------------------------------
def test_dynamic_choices_get_options() -> None:
    xml = '<View><Text name="text" value="$text"/><Choices name="c" toName="text" value="$options"/></View>'
    config = LabelConfig.from_xml(xml)
    data = config.sample_task()["data"]
    assert data["options"] == [{"value": "Option A"}, {"value": "Option B"}, {"value": "Option C"}]
    assert config.for_task(data).controls["c"].labels == ("Option A", "Option B", "Option C")


def test_nested_dynamic_choices_taxonomy_and_labels() -> None:
    xml = (
        '<View><Text name="text" value="$text"/>'
        '<Choices name="c" toName="text" value="$tree" allowNested="true"/>'
        '<Taxonomy name="tax" toName="text" value="$taxonomy"/>'
        '<Labels name="l" toName="text" value="$labels"/></View>'
    )
    config = LabelConfig.from_xml(xml)
    data = config.sample_task()["data"]
    assert data["tree"][0] == {"value": "Group A", "children": [{"value": "A.1"}, {"value": "A.2"}]}
    assert data["taxonomy"] == data["tree"]
    assert all(set(option) == {"value", "background"} for option in data["labels"])
    special = config.for_task(data)
    assert ("Group B", "B.3") in special.controls["tax"].label_paths
    assert special.controls["l"].labels == ("Label A", "Label B", "Label C")


def test_repeater_expands_to_the_right_number_of_copies() -> None:
    xml = """
    <View>
      <Repeater on="$pages" indexFlag="{{idx}}">
        <Image name="page_{{idx}}" value="$pages[{{idx}}].url"/>
        <Text name="caption_{{idx}}" value="$pages[{{idx}}].caption"/>
        <Choices name="ok_{{idx}}" toName="page_{{idx}}" value="$pages[{{idx}}].options"/>
      </Repeater>
    </View>"""
    config = LabelConfig.from_xml(xml)
    data = config.sample_task()["data"]
    assert list(data) == ["pages"]
    assert len(data["pages"]) == REPEAT_COUNT == 3
    for page in data["pages"]:
        assert set(page) == {"url", "caption", "options"}
        assert page["url"].startswith("data:image/png;base64,")
        assert page["options"][0] == {"value": "Option A"}
    special = config.for_task(data)
    assert list(special.objects) == ["page_0", "caption_0", "page_1", "caption_1", "page_2", "caption_2"]
    assert list(special.controls) == ["ok_0", "ok_1", "ok_2"]


def test_repeater_over_plain_items_and_without_inner_fields() -> None:
    data = _sample(
        '<View><Repeater on="$texts"><Text name="t_{{idx}}" value="$texts[{{idx}}]"/></Repeater>'
        '<Repeater on="$rows"><Header value="Row {{idx}}"/></Repeater></View>'
    )
    assert len(data["texts"]) == REPEAT_COUNT
    assert all(isinstance(t, str) for t in data["texts"])
    assert data["rows"] == [{}, {}, {}]


def test_nested_keys_become_nested_dicts() -> None:
    data = _sample(
        '<View><Header value="$meta.title"/><Text name="body" value="$meta.body"/>'
        '<Image name="img" value="$meta.media.image"/><Image name="second" value="$scans[1]"/></View>'
    )
    assert set(data) == {"meta", "scans"}
    assert set(data["meta"]) == {"title", "body", "media"}
    assert data["meta"]["title"] == "Sample title"
    assert data["meta"]["body"].startswith("On a rainy Tuesday")
    assert data["meta"]["media"]["image"].startswith("data:image/png;base64,")
    assert len(data["scans"]) == 2
    assert all(s.startswith("data:image/png") for s in data["scans"])


def test_a_field_read_whole_and_nested_gets_a_literal_dotted_key() -> None:
    xml = '<View><Text name="a" value="$meta"/><Text name="b" value="$meta.text"/></View>'
    config = LabelConfig.from_xml(xml)
    data = config.sample_task()["data"]
    assert isinstance(data["meta"], str)
    assert isinstance(data["meta.text"], str)
    config.validate_task(data)


def test_a_config_without_data_fields_gets_empty_data() -> None:
    xml = '<View><Header value="Static"/><Text name="t" value="Just this text"/><Choices name="c" toName="t"><Choice value="a"/></Choices></View>'
    assert LabelConfig.from_xml(xml).sample_task() == {"data": {}}


def test_the_sample_is_the_same_every_time() -> None:
    xml = (
        '<View><Image name="img" value="$image"/><Text name="t" value="$text"/>'
        '<Repeater on="$items"><Text name="i_{{idx}}" value="$items[{{idx}}].text"/></Repeater>'
        '<TimeSeries name="ts" value="$ts"><Channel column="a"/></TimeSeries>'
        '<Choices name="c" toName="img" value="$options"/></View>'
    )
    first = LabelConfig.from_xml(xml).sample_task()
    assert LabelConfig.from_xml(xml).sample_task() == first
    first["data"]["items"].clear()  # each call builds its own data
    assert len(LabelConfig.from_xml(xml).sample_task()["data"]["items"]) == REPEAT_COUNT
