// Runs the front end's brush modules (js/src/controls/shapes/brush) in node for
// tests/unit/test_brush_rle_sdk.py, which bundles this file with esbuild and checks the results against
// label-studio-sdk. Usage: node brush_driver.bundle.mjs DIR, where DIR/job.json is
//
//   {"encode": [{"name", "width", "height", "alpha"?: file of width*height bytes,
//                "strokes"?: [{"points": [{x, y}...], "radius", "erase"}]}...],
//    "decode": [{"name", "width", "height", "rle": file holding a JSON list of bytes}...]}
//
// encode: a mask (from the alpha file, else empty), the strokes painted on it in order; writes
//   NAME.alpha (the mask's bytes) and NAME.rle.json (maskToRle).
// decode: maskFromRle; writes NAME.alpha.
// DIR/result.json maps each name to {"ok": true} or {"error": message}.

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createMask, maskFromRle, maskToRle, paintStroke } from "../../js/src/controls/shapes/brush/mask";

const dir = process.argv[2];
if (!dir) throw new Error("usage: node brush_driver.bundle.mjs DIR");
const job = JSON.parse(readFileSync(join(dir, "job.json"), "utf8"));
const result = {};

function attempt(name, work) {
  try {
    work();
    result[name] = { ok: true };
  } catch (e) {
    result[name] = { error: e instanceof Error ? e.message : String(e) };
  }
}

for (const c of job.encode ?? []) {
  attempt(c.name, () => {
    const mask = createMask(c.width, c.height);
    if (c.alpha) mask.data.set(readFileSync(join(dir, c.alpha)));
    for (const s of c.strokes ?? []) paintStroke(mask, s.points, s.radius, s.erase);
    writeFileSync(join(dir, `${c.name}.alpha`), mask.data);
    writeFileSync(join(dir, `${c.name}.rle.json`), JSON.stringify(maskToRle(mask)));
  });
}

for (const c of job.decode ?? []) {
  attempt(c.name, () => {
    const rle = JSON.parse(readFileSync(join(dir, c.rle), "utf8"));
    const mask = maskFromRle(rle, c.width, c.height);
    writeFileSync(join(dir, `${c.name}.alpha`), mask.data);
  });
}

writeFileSync(join(dir, "result.json"), JSON.stringify(result));
