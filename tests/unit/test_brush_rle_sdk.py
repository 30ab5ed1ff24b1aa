"""The front end's brush RLE (js/src/controls/shapes/brush) is Label Studio's, pixel for pixel.

Reference C.6: a brush mask is an RGBA image flattened row by row, run-length encoded; Label Studio reads
the alpha channel. The TypeScript modules are bundled with esbuild together with tests/unit/brush_driver.mjs
and run in node; label-studio-sdk's ``decode_rle`` reads what they write, and they read what the SDK's
``mask2rle`` / ``encode_rle`` write.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from label_studio_sdk.converter.brush import decode_rle, encode_rle, mask2rle

ROOT = Path(__file__).resolve().parents[2]
DRIVER = Path(__file__).resolve().parent / "brush_driver.mjs"
ESBUILD = ROOT / "node_modules" / ".bin" / "esbuild"

Driver = Callable[[dict[str, Any]], dict[str, Any]]


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    node = shutil.which("node")
    assert node, "node is needed to run the front end's brush code"
    assert ESBUILD.exists(), f"{ESBUILD} is missing: the front end's packages are not installed"
    out = tmp_path_factory.mktemp("brush") / "brush_driver.bundle.mjs"
    subprocess.run(
        [
            str(ESBUILD),
            str(DRIVER),
            "--bundle",
            "--format=esm",
            "--platform=node",
            f"--outfile={out}",
            "--log-level=warning",
        ],
        check=True,
        cwd=ROOT,
    )
    return out


@pytest.fixture
def run(bundle: Path, tmp_path: Path) -> Driver:
    """Runs one job (see brush_driver.mjs) in tmp_path; returns result.json."""

    def go(job: dict[str, Any]) -> dict[str, Any]:
        (tmp_path / "job.json").write_text(json.dumps(job))
        done = subprocess.run(
            ["node", str(bundle), str(tmp_path)], capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stderr
        result: dict[str, Any] = json.loads((tmp_path / "result.json").read_text())
        return result

    return go


def alpha_of(path: Path, width: int, height: int) -> np.ndarray[Any, np.dtype[np.uint8]]:
    data = np.frombuffer(path.read_bytes(), dtype=np.uint8)
    assert data.size == width * height
    return data.reshape(height, width)


def sdk_alpha(rle: list[int], width: int, height: int) -> np.ndarray[Any, np.dtype[np.uint8]]:
    """What Label Studio's exporter makes of a brush result (converter/brush.py decode_from_annotation)."""
    return np.reshape(decode_rle(rle), [height, width, 4])[:, :, 3]


def random_mask(rng: np.random.Generator, height: int, width: int, density: float) -> np.ndarray[Any, Any]:
    return ((rng.random((height, width)) < density) * 255).astype(np.uint8)


def longest_run(values: np.ndarray[Any, Any]) -> int:
    change = np.flatnonzero(np.diff(values) != 0)
    bounds = np.concatenate(([-1], change, [values.size - 1]))
    return int(np.diff(bounds).max())


STROKES = [
    {"points": [{"x": 3.2, "y": 4.1}], "radius": 2.5, "erase": False},
    {"points": [{"x": 0, "y": 20}, {"x": 36.5, "y": 1.5}], "radius": 1.2, "erase": False},
    {"points": [{"x": -10, "y": 11}, {"x": 50, "y": 12}], "radius": 0.3, "erase": False},
    {"points": [{"x": 30, "y": 0}, {"x": 30, "y": 23}], "radius": 3, "erase": True},
]
BIG_STROKES = [
    {
        "points": [{"x": 50, "y": 50}, {"x": 550, "y": 350}, {"x": 100, "y": 380}],
        "radius": 40,
        "erase": False,
    },
    {"points": [{"x": 590, "y": 10}, {"x": 10, "y": 390}], "radius": 5, "erase": False},
    {"points": [{"x": 300, "y": 0}, {"x": 301, "y": 400}], "radius": 12, "erase": True},
    {"points": [{"x": 599.5, "y": 399.5}], "radius": 0.5, "erase": False},
]


def test_masks_our_code_writes_decode_with_the_sdk_to_our_pixels(run: Driver, tmp_path: Path) -> None:
    rng = np.random.default_rng(2024)
    encode: list[dict[str, Any]] = []
    inputs: dict[str, np.ndarray[Any, Any]] = {}

    def case(
        name: str, width: int, height: int, alpha: np.ndarray[Any, Any] | None = None, strokes: Any = ()
    ) -> None:
        c: dict[str, Any] = {"name": name, "width": width, "height": height, "strokes": list(strokes)}
        if alpha is not None:
            (tmp_path / f"{name}.in").write_bytes(alpha.astype(np.uint8).tobytes())
            c["alpha"] = f"{name}.in"
            inputs[name] = alpha
        encode.append(c)

    case("one-empty", 1, 1)
    case("one-set", 1, 1, np.full((1, 1), 255))
    case("odd-empty", 37, 23)
    case("odd-full", 37, 23, np.full((23, 37), 255))
    case("odd-strokes", 37, 23, strokes=STROKES)
    case("wide-full", 20_000, 1, np.full((1, 20_000), 255))  # one run of 80,000 values: split
    case("big-strokes", 600, 400, strokes=BIG_STROKES)
    case("big-noise", 600, 400, random_mask(rng, 400, 600, 0.5))
    for i, density in enumerate([0.01, 0.3, 0.5, 0.9, 0.999]):
        h, w = (int(x) for x in rng.integers(1, 80, size=2))
        case(f"random-{i}", w, h, random_mask(rng, h, w, density))
    case("any-alpha", 9, 7, rng.integers(0, 256, size=(7, 9)))
    result = run({"encode": encode})

    assert result == {c["name"]: {"ok": True} for c in encode}
    for c in encode:
        name, w, h = c["name"], c["width"], c["height"]
        ours = alpha_of(tmp_path / f"{name}.alpha", w, h)
        if name in inputs:
            np.testing.assert_array_equal(ours, inputs[name], err_msg=name)
        rle = json.loads((tmp_path / f"{name}.rle.json").read_text())
        assert all(isinstance(b, int) and 0 <= b <= 255 for b in rle)
        # all four channels carry the alpha, as mask2rle writes them
        np.testing.assert_array_equal(decode_rle(rle), np.repeat(ours.ravel(), 4), err_msg=name)
        np.testing.assert_array_equal(sdk_alpha(rle, w, h), ours, err_msg=name)

    painted = alpha_of(tmp_path / "big-strokes.alpha", 600, 400)
    assert 10_000 < int((painted == 255).sum()) < 200_000
    assert not painted[:, 290:311].any()  # the eraser went through
    assert painted[399, 599] == 255
    assert set(np.unique(alpha_of(tmp_path / "odd-strokes.alpha", 37, 23))) == {0, 255}


def test_our_bytes_are_the_sdks_when_no_run_is_split(run: Driver, tmp_path: Path) -> None:
    """The same bit layout: byte for byte the SDK's mask2rle, but for the whole zero byte the SDK appends
    when its stream already ends on a byte boundary. (Past 65,536 values the SDK writes a run's remainder
    with the 16-bit length field; we pick the shortest field, which decodes the same.)"""
    rng = np.random.default_rng(5)
    masks = {f"m{i}": random_mask(rng, int(h), int(w), d) for i, (h, w, d) in enumerate(
        [(1, 1, 1.0), (23, 37, 0.0), (23, 37, 1.0), (40, 50, 0.5), (64, 64, 0.05), (13, 101, 0.95)])}  # fmt: skip
    encode = []
    for name, m in masks.items():
        assert longest_run(np.repeat(m.ravel(), 4)) <= 65_536
        (tmp_path / f"{name}.in").write_bytes(m.tobytes())
        encode.append({"name": name, "width": m.shape[1], "height": m.shape[0], "alpha": f"{name}.in"})
    assert run({"encode": encode}) == {name: {"ok": True} for name in masks}
    for name, m in masks.items():
        ours = json.loads((tmp_path / f"{name}.rle.json").read_text())
        sdk = mask2rle(m)
        assert sdk in (ours, [*ours, 0]), name


def test_masks_the_sdk_writes_decode_with_our_code_to_its_pixels(run: Driver, tmp_path: Path) -> None:
    rng = np.random.default_rng(99)
    decode: list[dict[str, Any]] = []
    expected: dict[str, np.ndarray[Any, Any]] = {}

    def case(name: str, alpha: np.ndarray[Any, Any], rle: list[int]) -> None:
        (tmp_path / f"{name}.rle").write_text(json.dumps([int(b) for b in rle]))
        decode.append({"name": name, "width": alpha.shape[1], "height": alpha.shape[0], "rle": f"{name}.rle"})
        expected[name] = alpha

    for name, m in {
        "one-empty": np.zeros((1, 1), np.uint8),
        "one-set": np.full((1, 1), 255, np.uint8),
        "odd-noise": random_mask(rng, 23, 37, 0.5),
        "odd-full": np.full((23, 37), 255, np.uint8),
        "big-empty": np.zeros((400, 600), np.uint8),
        "big-full": np.full((400, 600), 255, np.uint8),
        "big-noise": random_mask(rng, 400, 600, 0.2),
        "grey": rng.integers(0, 256, size=(31, 17)).astype(np.uint8),
    }.items():
        case(name, m, mask2rle(m))
    # a disc and a bar, as a model's prediction would come
    yy, xx = np.mgrid[0:400, 0:600]
    shape = (((xx - 200) ** 2 + (yy - 150) ** 2 < 90**2) | ((xx > 350) & (xx < 580) & (yy > 300))) * 255
    case("big-shape", shape.astype(np.uint8), mask2rle(shape.astype(np.uint8)))
    # encode_rle of a real RGBA image: channels that differ, so the SDK writes one-value literal blocks
    rgba = rng.integers(0, 256, size=(12, 15, 4)).astype(np.uint8)
    rgba[:6, :, 3] = 255
    case("rgba", rgba[:, :, 3], encode_rle(rgba.ravel()))
    result = run({"decode": decode})

    assert result == {c["name"]: {"ok": True} for c in decode}
    for c in decode:
        np.testing.assert_array_equal(
            alpha_of(tmp_path / f"{c['name']}.alpha", c["width"], c["height"]),
            expected[c["name"]],
            err_msg=c["name"],
        )


def test_sdk_streams_for_another_size_or_cut_short_are_refused(run: Driver, tmp_path: Path) -> None:
    m = np.zeros((10, 10), np.uint8)
    m[2:5, 3:8] = 255
    rle = mask2rle(m)
    (tmp_path / "whole.rle").write_text(json.dumps(rle))
    (tmp_path / "cut.rle").write_text(json.dumps(rle[: len(rle) // 2]))
    result = run(
        {
            "decode": [
                {"name": "other-size", "width": 10, "height": 11, "rle": "whole.rle"},
                {"name": "cut", "width": 10, "height": 10, "rle": "cut.rle"},
                {"name": "fine", "width": 10, "height": 10, "rle": "whole.rle"},
            ]
        }
    )
    assert result["other-size"] == {"error": "RLE holds 400 values; a 10 x 11 RGBA mask needs 440"}
    assert "truncated" in result["cut"]["error"]
    assert result["fine"] == {"ok": True}
