"""The kernel and the front end apply the same rules: the browser reads them from the control model.

For each config of :mod:`tests.unit.widget.js_fixtures`, the kernel's control model and view go to the front
end's own readers (js/test/agreement.ts, bundled with esbuild and run under node), and what they say is
compared with the kernel's rules: ``ControlTag`` (perRegion, required, maxRating, choice mode), the hotkeys
Label Studio hands out, and :meth:`LabelConfig.validate_result` for Number values. The configs include the
attributes the front end used to read differently (``perRegion="1"``, ``maxRating="30"``,
``layout="select"`` with ``showInline``, TextArea without ``rows``, labels without hotkeys).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from labelnb.config import LabelConfig, ResultError
from labelnb.config.control_model import AUTO_HOTKEYS
from labelnb.config.tags import LABELS_CONTROLS
from tests.unit.widget.js_fixtures import CONFIGS, ROOT

ESBUILD = ROOT / "node_modules" / ".bin" / "esbuild"
RUNNER = """\
import { readFileSync } from "node:fs";
import { readings } from "./agreement.mjs";
const inputs = JSON.parse(readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(inputs.map(readings)));
"""


@pytest.fixture(scope="module")
def front_end(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """js/test/agreement.ts bundled for node, with a runner that reads inputs on stdin."""
    assert shutil.which("node"), "the agreement test needs node"
    assert ESBUILD.exists(), "the agreement test needs node_modules (npm ci)"
    out = tmp_path_factory.mktemp("agreement")
    subprocess.run(
        [
            str(ESBUILD),
            str(ROOT / "js" / "test" / "agreement.ts"),
            "--bundle",
            "--platform=node",
            "--format=esm",
            "--jsx=automatic",
            "--jsx-import-source=preact",
            "--log-level=warning",
            f"--outfile={out / 'agreement.mjs'}",
        ],
        check=True,
        cwd=ROOT,
    )
    (out / "run.mjs").write_text(RUNNER)
    return out


def read_in_js(front_end: Path, inputs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    done = subprocess.run(
        ["node", str(front_end / "run.mjs")],
        input=json.dumps(inputs),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    result: list[dict[str, Any]] = json.loads(done.stdout)
    return result


def number_items(config: LabelConfig) -> list[dict[str, Any]]:
    """Number results around each Number control's limits, on its step's grid and off it."""
    items = []
    for control in config.controls.values():
        if control.tag != "Number":
            continue
        low = control.min if isinstance(control.min, float) else 0.0
        high = control.max if isinstance(control.max, float) else 10.0
        spec = next(c for c in config.control_model()["controls"] if c["name"] == control.name)
        step = spec["step"] or 1
        for value in (low - step, low, low + step, low + step / 3, high, high + step, -3 * step, 1000 * step):
            items.append(
                {
                    "id": f"{control.name}{len(items)}",
                    "from_name": control.name,
                    "to_name": ",".join(control.to_name),
                    "type": "number",
                    "value": {"number": value},
                }
            )
    return items


def expected_hotkeys(config: LabelConfig) -> dict[str, list[str]]:
    """Label Studio's hotkeys (Annotation.setupHotKeys) worked out again from the XML, for configs with
    plain one-key hotkeys: written ones are bound first, then every Choice, Label, Rating and Number
    without one takes the next free key of 1234567890qwe... in document order."""
    holders: list[tuple[str, str | None]] = []
    for control in config.controls.values():  # document order
        if control.tag in ("Rating", "Number"):
            holders.append((control.name, control.node.attrs.get("hotkey")))
        elif control.tag == "Choices" or control.tag in LABELS_CONTROLS:
            holders += [
                (control.name, n.attrs.get("hotkey"))
                for n in control.node.iter()
                if n.tag in ("Choice", "Label")
            ]
    free = [key for key in AUTO_HOTKEYS if key not in {written for _, written in holders}]
    out: dict[str, list[str]] = {}
    for name, written in holders:
        out.setdefault(name, []).append(written or free.pop(0))
    return out


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_the_front_end_reads_the_kernels_rules(front_end: Path, name: str) -> None:
    xml, data = CONFIGS[name]
    config = LabelConfig.from_xml(xml).for_task(data)
    model = config.control_model()
    items = number_items(config)
    [js] = read_in_js(front_end, [{"view": config.to_json(), "controls": model, "items": items}])

    hotkeys = expected_hotkeys(config)
    for control in config.controls.values():
        reading = js["controls"][control.name]
        assert reading["per_region"] == control.per_region, control.name
        if control.tag == "Rating":
            assert reading["max_rating"] == control.max_rating, control.name
        if control.tag == "Choices":
            assert reading["choice"] == control.choice, control.name
            assert [c["label"] for c in reading["choices"]] == [
                n.attrs.get("alias") or n.attrs["value"] for n in control.node.children if n.tag == "Choice"
            ]
        if reading["rendered"]:
            assert reading["required"] == control.required, control.name
            if control.tag in ("Choices", "Rating", "Number"):
                assert reading["hotkeys"] == hotkeys.get(control.name, []), control.name

    # Number values: the front end refuses exactly what the kernel refuses (range and step grid)
    for item, problem in zip(items, js["problems"], strict=True):
        try:
            config.validate_result([item], data)
            kernel = None
        except ResultError as exc:
            kernel = str(exc)
        assert (problem is None) == (kernel is None), (item, problem, kernel)


def test_the_rules_the_front_end_used_to_read_differently(front_end: Path) -> None:
    xml, data = CONFIGS["rules"]
    config = LabelConfig.from_xml(xml).for_task(data)
    [js] = read_in_js(
        front_end, [{"view": config.to_json(), "controls": config.control_model(), "items": []}]
    )
    got = js["controls"]
    # perRegion="1" is not perRegion, in Label Studio and in the kernel; the front end renders it
    assert config.controls["one"].per_region is False
    assert (got["one"]["per_region"], got["one"]["rendered"]) == (False, True)
    assert (got["regional"]["per_region"], got["regional"]["rendered"]) == (True, False)
    # required="yes" and selected="1" are not true
    assert config.controls["picked"].required is False
    assert (got["picked"]["required"], got["picked"]["preselected"]) == (False, [])
    # maxRating="30" is thirty stars, no clamp
    assert config.controls["stars"].max_rating == got["stars"]["max_rating"] == 30
    # showInline="true" beats layout="select"
    assert got["drop"]["layout"] == "inline"
    # a TextArea without rows has one
    assert (got["note"]["rows"], got["essay"]["rows"]) == (1, 4)
    # choices without hotkeys get 1, 2, ... in document order, Rating and Number too
    assert [c["hotkey"] for c in got["one"]["choices"]] == ["1", "2"]
    assert [c["hotkey"] for c in got["drop"]["choices"]] == ["4", "5"]
    assert (got["one"]["hotkeys"], got["stars"]["hotkeys"], got["half"]["hotkeys"]) == (
        ["1", "2"],
        ["7"],
        ["8"],
    )
    assert got["regional"]["hotkeys"] == []  # not shown, so its key "3" is not bound


def test_the_front_end_keeps_numbers_on_their_step(front_end: Path) -> None:
    """Label Studio's Number.jsx validateValue: on the grid of step from min (or 0), within 1e-8."""
    xml, data = CONFIGS["rules"]
    config = LabelConfig.from_xml(xml).for_task(data)

    def number(name: str, value: float) -> dict[str, Any]:
        return {"id": "n", "from_name": name, "to_name": "t", "type": "number", "value": {"number": value}}

    cases = [("half", 1.5), ("half", 1.25), ("tenth", 0.1 + 0.2), ("tenth", 0.35), ("half", 4.0)]
    [js] = read_in_js(
        front_end,
        [
            {
                "view": config.to_json(),
                "controls": config.control_model(),
                "items": [number(*c) for c in cases],
            }
        ],
    )
    assert [p is None for p in js["problems"]] == [True, False, True, False, True]
