"""labelnb/widget/protocol.py and js/src/protocol.ts describe one protocol: their names must agree."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from labelnb.widget import protocol

TS = (Path(__file__).resolve().parents[2] / "js" / "src" / "protocol.ts").read_text()


def ts_interface(name: str) -> set[str]:
    body = re.search(rf"export interface {name} \{{(.*?)\n\}}", TS, re.S)
    assert body, f"protocol.ts has no interface {name}"
    return set(re.findall(r"^\s+(\w+)\??:", body.group(1), re.M))


def test_browser_messages_have_the_same_kinds_and_fields() -> None:
    pairs = {
        "SubmitMessage": protocol.Submit,
        "SkipMessage": protocol.Skip,
        "RejectMessage": protocol.Reject,
        "BackMessage": protocol.Back,
        "DraftMessage": protocol.Draft,
        "RenewMessage": protocol.Renew,
        "MediaRequestMessage": protocol.MediaRequest,
        "AssetRequestMessage": protocol.AssetRequest,
        "AssistMessage": protocol.Assist,
    }
    union = re.search(r"export type BrowserMessage =([^;]+);", TS)
    assert union
    assert {name.strip() for name in union.group(1).split("|") if name.strip()} == set(pairs)
    for ts_name, py_class in pairs.items():
        assert ts_interface(ts_name) == {f.name for f in dataclasses.fields(py_class)}, ts_name


def test_synced_state_has_the_same_keys() -> None:
    assert ts_interface("TaskState") == set(protocol.TaskState.__annotations__)
    assert ts_interface("ReviewNote") == set(protocol.ReviewNote.__annotations__)
    assert ts_interface("StatusState") == set(protocol.StatusState.__annotations__)
    assert ts_interface("ViewNode") == set(protocol.ViewNode.__annotations__)
    assert ts_interface("ControlModel") == set(protocol.ControlModel.__annotations__)


def test_the_control_model_typed_dict_has_the_model_keys() -> None:
    from labelnb.config import LabelConfig

    model = LabelConfig.from_xml('<View><Text name="t" value="$t"/></View>').control_model()
    assert set(model) == set(protocol.ControlModel.__annotations__)


def test_synced_traits_are_documented_on_both_sides() -> None:
    from labelnb.widget.annotator import Annotator

    synced = {name for name, trait in Annotator.class_traits(sync=True).items() if not name.startswith("_")}
    ours = {"view", "controls", "task", "status"}
    assert ours <= synced
    header = TS.split("export const PROTOCOL_VERSION", 1)[0]
    for name in ours:
        assert f"``{name}``" in (protocol.__doc__ or ""), name
        assert f"`{name}`" in header, name


def test_kernel_messages_have_the_same_shape() -> None:
    assert ts_interface("MediaMessage") == set(protocol.media("v", "m", (4, 3)))
    assert ts_interface("MediaErrorMessage") == set(protocol.media_error("v", "e"))
    variants = re.findall(r"\{ kind: \"reply\";([^}]*)\}", TS)
    assert len(variants) == 3
    for variant in variants:
        keys = {"kind", *re.findall(r"(\w+):", variant)}
        if "result" in keys:
            expected = protocol.reply("r", result=[])
        else:
            expected = protocol.reply("r") if "true" in variant else protocol.reply("r", "e")
        assert keys == set(expected)
