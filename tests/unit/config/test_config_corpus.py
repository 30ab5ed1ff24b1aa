"""The fixture corpus: valid configs with sample tasks, invalid configs with the error they must raise."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest

from labelnb.config import TAGS, ConfigError, LabelConfig

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "configs"
VALID = sorted((FIXTURES / "valid").glob("*.xml"))
INVALID = sorted((FIXTURES / "invalid").glob("*.xml"))


def _task(path: Path) -> dict[str, Any]:
    task: dict[str, Any] = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    return task


def _ids(paths: list[Path]) -> list[str]:
    return [p.stem for p in paths]


def test_corpus_is_large_enough() -> None:
    assert len(VALID) >= 40
    assert len(INVALID) >= 20
    assert sum(1 for p in VALID if _task(p)["result"]) >= 40


def test_corpus_uses_every_registered_tag() -> None:
    seen: set[str] = set()
    for path in VALID:
        seen.update(node.tag for node in LabelConfig.from_xml(path.read_text(encoding="utf-8")).root.iter())
    assert set(TAGS) - seen == set(), "add a valid config using these tags"
    assert seen <= set(TAGS)


@pytest.mark.parametrize("path", VALID, ids=_ids(VALID))
def test_valid_config_accepts_its_sample_task(path: Path) -> None:
    config = LabelConfig.from_xml(path.read_text(encoding="utf-8"))
    task = _task(path)
    config.validate_task(task["data"])
    config.validate_result(task["result"], task["data"])
    config.validate_result(task["result"])
    special = config.for_task(task["data"])
    special.validate_task(task["data"])
    special.validate_result(task["result"], task["data"])
    assert "Repeater" not in {node.tag for node in special.root.iter()}


@pytest.mark.parametrize("path", VALID, ids=_ids(VALID))
def test_valid_config_round_trips_through_xml(path: Path) -> None:
    config = LabelConfig.from_xml(path.read_text(encoding="utf-8"))
    again = LabelConfig.from_xml(config.root.to_xml())

    def strip(tree: dict[str, Any]) -> dict[str, Any]:
        return {
            "tag": tree["tag"],
            "attrs": tree["attrs"],
            "text": (tree.get("text") or "").strip(),
            "children": [strip(c) for c in tree["children"]],
        }

    assert strip(again.to_json()) == strip(config.to_json())
    assert again.controls == config.controls
    assert again.data_keys == config.data_keys
    json.dumps(config.to_json())  # JSON-able


@pytest.mark.parametrize("path", VALID, ids=_ids(VALID))
def test_valid_config_matches_label_studio_parse_config(path: Path) -> None:
    """Our controls' tag, toName and labels equal those of Label Studio's own ``parse_config``."""
    module = pytest.importorskip("label_studio_sdk._extensions.label_studio_tools.core.label_config")
    xml = path.read_text(encoding="utf-8")
    logging.disable(logging.CRITICAL)
    try:
        # lxml refuses str input with an encoding declaration; Label Studio hands such configs over as bytes.
        theirs = module.parse_config(xml.encode("utf-8") if xml.startswith("<?xml") else xml)
    finally:
        logging.disable(logging.NOTSET)
    config = LabelConfig.from_xml(xml)
    ours = {name: (c.tag, list(c.to_name), list(c.labels)) for name, c in config.controls.items()}
    assert ours == {name: (v["type"], v["to_name"], v["labels"]) for name, v in theirs.items()}
    for name, control in config.controls.items():
        if TAGS[control.tag].label_child is not None:
            assert control.dynamic_labels == bool(theirs[name].get("dynamic_labels")), name


@pytest.mark.parametrize("path", INVALID, ids=_ids(INVALID))
def test_invalid_config_is_rejected_precisely(path: Path) -> None:
    expect = json.loads(path.with_name(f"{path.stem}.expect.json").read_text(encoding="utf-8"))
    with pytest.raises(ConfigError) as info:
        LabelConfig.from_xml(path.read_text(encoding="utf-8"))
    err = info.value
    assert err.line == expect["line"], str(err)
    assert expect["message_contains"] in str(err)
    assert str(err).startswith(f"line {err.line}")
