"""The kernel's side of the widget protocol: inbound messages are shape-checked before anything else."""

import pytest

from labelnb.widget.protocol import (
    MAX_RESULT_ITEMS,
    Back,
    MediaRequest,
    ProtocolError,
    Reject,
    Skip,
    Submit,
    parse_browser_message,
    reply,
)


def test_submit_is_parsed_with_its_fields() -> None:
    msg = parse_browser_message(
        {"kind": "submit", "request_id": "r1", "task_id": 7, "result": [{"type": "choices"}], "lead_time": 2}
    )
    assert msg == Submit("r1", 7, [{"type": "choices"}], 2.0)


def test_other_kinds() -> None:
    assert parse_browser_message({"kind": "skip", "request_id": "a", "task_id": 1}) == Skip("a", 1)
    assert parse_browser_message({"kind": "back", "request_id": "b"}) == Back("b")
    assert parse_browser_message(
        {"kind": "reject", "request_id": "d", "task_id": 2, "comment": "why"}
    ) == Reject("d", 2, "why")
    assert parse_browser_message({"kind": "media", "request_id": "c", "values": ["x.png"]}) == MediaRequest(
        "c", ["x.png"]
    )


@pytest.mark.parametrize(
    ("msg", "fragment"),
    [
        ("not a dict", "JSON object"),
        ({"kind": "submit", "task_id": 1, "result": []}, "request_id"),
        ({"kind": "submit", "request_id": "r", "task_id": "1", "result": []}, "task_id"),
        ({"kind": "submit", "request_id": "r", "task_id": True, "result": []}, "task_id"),
        ({"kind": "submit", "request_id": "r", "task_id": 1, "result": {}}, "result"),
        ({"kind": "submit", "request_id": "r", "task_id": 1, "result": [1]}, "result item 0"),
        ({"kind": "submit", "request_id": "r", "task_id": 1, "result": [], "lead_time": -1}, "lead_time"),
        (
            {"kind": "submit", "request_id": "r", "task_id": 1, "result": [], "lead_time": float("nan")},
            "lead_time",
        ),
        ({"kind": "media", "request_id": "r", "values": [1]}, "media values"),
        ({"kind": "reject", "request_id": "r", "task_id": 1, "comment": ["x"]}, "comment"),
        ({"kind": "reject", "request_id": "r", "task_id": 1}, "comment"),
        ({"kind": "reject", "request_id": "r", "task_id": 1, "comment": "x" * 10_001}, "at most 10000"),
        ({"kind": "delete_everything", "request_id": "r"}, "unknown message kind"),
    ],
)
def test_bad_messages_are_refused_with_a_reason(msg: object, fragment: str) -> None:
    with pytest.raises(ProtocolError, match=fragment):
        parse_browser_message(msg)


def test_oversized_result_is_refused() -> None:
    items = [{}] * (MAX_RESULT_ITEMS + 1)
    with pytest.raises(ProtocolError, match="at most"):
        parse_browser_message({"kind": "submit", "request_id": "r", "task_id": 1, "result": items})


def test_reply_shapes() -> None:
    assert reply("x") == {"kind": "reply", "request_id": "x", "ok": True}
    assert reply("x", "bad label") == {"kind": "reply", "request_id": "x", "ok": False, "error": "bad label"}
