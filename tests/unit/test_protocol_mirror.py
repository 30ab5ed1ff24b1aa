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
        "BackMessage": protocol.Back,
        "DraftMessage": protocol.Draft,
        "MediaRequestMessage": protocol.MediaRequest,
    }
    union = re.search(r"export type BrowserMessage =([^;]+);", TS)
    assert union
    assert {name.strip() for name in union.group(1).split("|")} == set(pairs)
    for ts_name, py_class in pairs.items():
        assert ts_interface(ts_name) == {f.name for f in dataclasses.fields(py_class)}, ts_name


def test_synced_state_has_the_same_keys() -> None:
    assert ts_interface("TaskState") == set(protocol.TaskState.__annotations__)
    assert ts_interface("StatusState") == set(protocol.StatusState.__annotations__)
    assert ts_interface("ViewNode") == set(protocol.ViewNode.__annotations__)


def test_kernel_messages_have_the_same_shape() -> None:
    assert ts_interface("MediaMessage") == set(protocol.media("v", "m"))
    assert ts_interface("MediaErrorMessage") == set(protocol.media_error("v", "e"))
    for variant in re.findall(r"\{ kind: \"reply\";([^}]*)\}", TS):
        keys = {"kind", *re.findall(r"(\w+):", variant)}
        ok = "true" in variant
        assert keys == set(protocol.reply("r") if ok else protocol.reply("r", "e"))
