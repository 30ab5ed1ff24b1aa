"""Brush masks in Label Studio's RLE (js/src/controls/shapes/brush), timed in node.

Two 2000 x 2000 masks (16,000,000 RGBA values each): a painted shape (several strokes with the brush and
one with the eraser) and noise (each pixel set with probability 1/2, the worst case for run lengths).
For each: ``encodeRle`` on the RGBA values (each pixel's alpha in all four channels, what label-studio-sdk's
mask2rle encodes), ``maskToRle`` on the mask itself (the same bytes, from the alpha plane), and decoding
with ``decodeRle`` and ``maskFromRle``. The baseline, in the same node process, is a plain loop that reads
every one of the 16,000,000 RGBA values once (summing them). Figures are medians of --runs runs after
two warm-up runs.

    .venv/bin/python benchmarks/bench_brush.py --runs 9
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from common import percentile, record

ROOT = Path(__file__).resolve().parents[1]
BRUSH = ROOT / "js" / "src" / "controls" / "shapes" / "brush"
ESBUILD = ROOT / "node_modules" / ".bin" / "esbuild"

DRIVER = """
import { decodeRle, encodeRleBytes } from "@brush/rle";
import { createMask, maskFromRle, maskToRgbaValues, maskToRle, paintStroke } from "@brush/mask";

const RUNS = Number(process.argv[2]);
const W = 2000, H = 2000;

function time(work) {
  for (let i = 0; i < 2; i++) work();
  const ms = [];
  let out;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    out = work();
    ms.push(performance.now() - t0);
  }
  return { ms, out };
}

function sum(values) {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i];
  return s;
}

// a painted shape: a closed loop, a filled blob, a scribble, a long thin line, and an eraser stroke
const shape = createMask(W, H);
const strokes = [];
const loop = [];
for (let i = 0; i <= 120; i++) {
  const a = (i / 120) * 2 * Math.PI;
  loop.push({ x: 700 + 450 * Math.cos(a) + 40 * Math.cos(5 * a), y: 800 + 380 * Math.sin(a) });
}
strokes.push([loop, 30, false]);
for (let k = 0; k < 12; k++) {
  strokes.push([[{ x: 1300, y: 300 + k * 40 }, { x: 1800, y: 350 + k * 38 }], 28, false]);
}
const scribble = [];
for (let i = 0; i < 400; i++) scribble.push({ x: 300 + i * 3.5, y: 1600 + 150 * Math.sin(i / 15) });
strokes.push([scribble, 45, false]);
strokes.push([[{ x: 20, y: 1980 }, { x: 1980, y: 20 }], 2, false]);
strokes.push([[{ x: 500, y: 600 }, { x: 900, y: 1000 }], 60, true]);
const paint = time(() => {
  shape.data.fill(0);
  for (const [points, radius, erase] of strokes) paintStroke(shape, points, radius, erase);
});

let seed = 12345;
const noise = createMask(W, H);
for (let i = 0; i < noise.data.length; i++) {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  noise.data[i] = seed & 0x10000 ? 255 : 0;
}

const out = { paint_shape_ms: paint.ms, strokes: strokes.length };
for (const [name, mask] of [["shape", shape], ["noise", noise]]) {
  const rgba = maskToRgbaValues(mask);
  const base = time(() => sum(rgba));
  const enc = time(() => encodeRleBytes(rgba));
  const fromMask = time(() => maskToRle(mask));
  const bytes = enc.out;
  const list = fromMask.out;
  if (list.length !== bytes.length || list.some((b, i) => b !== bytes[i])) throw new Error("maskToRle differs");
  const dec = time(() => decodeRle(bytes));
  const decMask = time(() => maskFromRle(list, W, H));
  const back = decMask.out.data;
  for (let i = 0; i < back.length; i++) if (back[i] !== mask.data[i]) throw new Error(`pixel ${i} differs`);
  let set = 0;
  for (let i = 0; i < mask.data.length; i++) if (mask.data[i]) set++;
  out[name] = {
    set_pixels: set,
    rle_bytes: bytes.length,
    baseline_sum_ms: base.ms,
    encodeRle_ms: enc.ms,
    maskToRle_ms: fromMask.ms,
    decodeRle_ms: dec.ms,
    maskFromRle_ms: decMask.ms,
  };
}
console.log(JSON.stringify(out));
"""


def median(samples: list[float]) -> float:
    return round(percentile(samples, 50), 2)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    node = shutil.which("node")
    assert node, "node is needed"
    assert ESBUILD.exists(), f"{ESBUILD} is missing: the front end's packages are not installed"
    with tempfile.TemporaryDirectory() as tmp:
        entry = Path(tmp) / "bench_brush.mjs"
        entry.write_text(DRIVER)
        bundle = Path(tmp) / "bench_brush.bundle.mjs"
        subprocess.run(
            [str(ESBUILD), str(entry), "--bundle", "--format=esm", "--platform=node", f"--alias:@brush={BRUSH}",
             f"--outfile={bundle}", "--log-level=warning"],
            check=True, cwd=ROOT,
        )  # fmt: skip
        done = subprocess.run([node, str(bundle), str(args.runs)], capture_output=True, text=True, check=True)
    raw: dict[str, Any] = json.loads(done.stdout)
    figures: dict[str, Any] = {
        "size": "2000x2000",
        "rgba_values": 16_000_000,
        "runs": args.runs,
        "node": subprocess.run([node, "--version"], capture_output=True, text=True).stdout.strip(),
        "paint_shape_ms": median(raw["paint_shape_ms"]),
        "strokes": raw["strokes"],
    }
    for name in ("shape", "noise"):
        r = raw[name]
        base = median(r["baseline_sum_ms"])
        figures[name] = {
            "set_pixels": r["set_pixels"],
            "rle_bytes": r["rle_bytes"],
            "baseline_sum_ms": base,
            **{
                f"{op}_ms": median(r[f"{op}_ms"])
                for op in ("encodeRle", "maskToRle", "decodeRle", "maskFromRle")
            },
            **{
                f"{op}_ratio_to_baseline": round(
                    percentile(r[f"{op}_ms"], 50) / percentile(r["baseline_sum_ms"], 50), 2
                )
                for op in ("encodeRle", "maskToRle", "decodeRle", "maskFromRle")
            },
        }
    record("brush", figures)


if __name__ == "__main__":
    main()
