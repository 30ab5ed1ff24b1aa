import { describe, expect, it } from "vitest";
import { rng } from "./rng";
import {
  MIN_RADIUS,
  cloneMask,
  createMask,
  isEmpty,
  maskBounds,
  maskFromRle,
  maskToRgba,
  maskToRgbaValues,
  maskToRle,
  maskToRleBytes,
  newMask,
  paintStroke,
  unionMask,
  type Mask,
  type Point,
} from "../src/controls/shapes/brush/mask";
import { decodeRle, encodeRle, readRleHeader } from "../src/controls/shapes/brush/rle";

function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return -1;
}

function maskOf(width: number, height: number, f: (x: number, y: number) => number): Mask {
  const m = createMask(width, height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) m.data[y * width + x] = f(x, y);
  return m;
}

/** Distance from p to the segment a-b. */
function distToSegment(p: Point, a: Point, b: Point): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const l2 = dx * dx + dy * dy;
  const t = l2 === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / l2));
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

/** The pixels whose centres are within r of the polyline disagree with the mask (ties within 1e-6 are
 * allowed either way): the list of [x, y, expected]. */
function disagreements(mask: Mask, points: Point[], r: number): [number, number, number][] {
  const out: [number, number, number][] = [];
  const segs: [Point, Point][] =
    points.length === 1
      ? [[points[0] as Point, points[0] as Point]]
      : points.slice(1).map((p, i) => [points[i] as Point, p]);
  for (let y = 0; y < mask.height; y++) {
    for (let x = 0; x < mask.width; x++) {
      const c = { x: x + 0.5, y: y + 0.5 };
      const d = Math.min(...segs.map(([a, b]) => distToSegment(c, a, b)));
      if (Math.abs(d - r) < 1e-6) continue;
      const want = d < r ? 255 : 0;
      if (mask.data[y * mask.width + x] !== want) out.push([x, y, want]);
    }
  }
  return out;
}

function roundTrip(mask: Mask): number[] {
  const rle = maskToRle(mask);
  // what label-studio-sdk's mask2rle encodes: RGBA with the alpha in every channel
  expect(firstDifference(rle, encodeRle(maskToRgbaValues(mask)))).toBe(-1);
  expect(readRleHeader(rle).count).toBe(mask.width * mask.height * 4);
  const back = maskFromRle(rle, mask.width, mask.height);
  expect(back.width).toBe(mask.width);
  expect(back.height).toBe(mask.height);
  expect(firstDifference(back.data, mask.data)).toBe(-1);
  return rle;
}

describe("masks and Label Studio RLE", () => {
  it("creates empty masks and refuses bad sizes", () => {
    const m = createMask(3, 2);
    expect(m.data).toHaveLength(6);
    expect(isEmpty(m)).toBe(true);
    expect(newMask(4, 4).data).toHaveLength(16);
    for (const [w, h] of [[0, 1], [1, 0], [-1, 3], [1.5, 2], [Number.NaN, 2]] as const) {
      expect(() => createMask(w, h)).toThrow(RangeError);
    }
  });

  it("round-trips empty and full masks, 1x1, odd sizes", () => {
    for (const [w, h] of [[1, 1], [2, 1], [1, 2], [37, 23], [600, 400], [257, 1]] as const) {
      roundTrip(createMask(w, h));
      roundTrip(maskOf(w, h, () => 255));
      roundTrip(maskOf(w, h, (x, y) => ((x + y) % 2 ? 255 : 0)));
      roundTrip(maskOf(w, h, (x, y) => (x === w - 1 && y === h - 1 ? 255 : 0)));
      roundTrip(maskOf(w, h, (x, y) => (x === 0 && y === 0 ? 255 : 0)));
      roundTrip(maskOf(w, h, (x) => (x % 3 === 0 ? 255 : 0)));
    }
  });

  it("round-trips runs that cross the 65,536-value split (16,384 pixels)", () => {
    for (const n of [16_383, 16_384, 16_385, 32_768, 32_769, 100_000]) {
      roundTrip(maskOf(n + 2, 1, (x) => (x === 0 || x === n + 1 ? 0 : 255)));
    }
    roundTrip(maskOf(1000, 1000, () => 255)); // 4,000,000 values: 62 full blocks and a tail
  });

  it("round-trips random masks, dense and sparse", () => {
    const r = rng(7);
    for (let t = 0; t < 30; t++) {
      const w = 1 + Math.floor(r() * 90);
      const h = 1 + Math.floor(r() * 90);
      const p = r();
      roundTrip(maskOf(w, h, () => (r() < p ? 255 : 0)));
    }
  });

  it("keeps whatever alpha an imported stream holds, and reads only the alpha channel", () => {
    // 2 x 1 pixels, RGBA: colour channels that differ from the alpha, which is 128 and 0
    const rle = encodeRle(new Uint8Array([10, 20, 30, 128, 255, 255, 255, 0]));
    const m = maskFromRle(rle, 2, 1);
    expect(Array.from(m.data)).toEqual([128, 0]);
    roundTrip(m); // goes out with the same alpha (all four channels = alpha, as mask2rle does)
  });

  it("refuses a stream made for another size, and malformed streams", () => {
    const rle = maskToRle(createMask(10, 10));
    expect(() => maskFromRle(rle, 10, 11)).toThrow(/400 values; a 10 x 11 RGBA mask needs 440/);
    expect(() => maskFromRle(rle, 100, 2)).toThrow(/needs 800/);
    expect(maskFromRle(rle, 20, 5).data).toHaveLength(100); // the count alone cannot tell 10x10 from 20x5
    expect(() => maskFromRle(rle.slice(0, 8), 10, 10)).toThrow(/truncated/);
    expect(() => maskFromRle([], 10, 10)).toThrow(/truncated/);
    expect(() => maskFromRle(rle, 0, 10)).toThrow(RangeError);
  });

  it("maskToRleBytes is maskToRle as a Uint8Array", () => {
    const m = maskOf(50, 40, (x, y) => (x * y) % 5 === 0 ? 255 : 0);
    expect(Array.from(maskToRleBytes(m))).toEqual(maskToRle(m));
    expect(firstDifference(decodeRle(maskToRleBytes(m)), maskToRgbaValues(m))).toBe(-1);
  });
});

describe("paintStroke", () => {
  it("a single point paints one disc", () => {
    const m = createMask(40, 30);
    const box = paintStroke(m, [{ x: 20.3, y: 14.8 }], 6.2, false);
    expect(disagreements(m, [{ x: 20.3, y: 14.8 }], 6.2)).toEqual([]);
    expect(box).toEqual(maskBounds(m));
    expect(box).toEqual({ x: 14, y: 9, width: 12, height: 12 });
  });

  it("two far-apart points leave no gap: every pixel within the radius of the segment is painted", () => {
    const m = createMask(300, 200);
    const pts = [{ x: 10.2, y: 20.7 }, { x: 290.1, y: 180.4 }];
    paintStroke(m, pts, 4, false);
    expect(disagreements(m, pts, 4)).toEqual([]);
    // and so each column between the points holds painted pixels
    for (let x = 11; x < 290; x++) {
      let any = false;
      for (let y = 0; y < 200; y++) any ||= m.data[y * 300 + x] === 255;
      expect(any, `column ${x}`).toBe(true);
    }
  });

  it("matches the exact capsule at random angles, radii and polylines", () => {
    const r = rng(11);
    for (let t = 0; t < 40; t++) {
      const m = createMask(64, 48);
      const n = 1 + Math.floor(r() * 4);
      const pts = Array.from({ length: n }, () => ({ x: r() * 80 - 8, y: r() * 64 - 8 }));
      const radius = 0.5 + r() * 9;
      paintStroke(m, pts, radius, false);
      expect(disagreements(m, pts, radius), `stroke ${t}`).toEqual([]);
    }
    // axis-aligned and repeated points
    for (const pts of [
      [{ x: 5, y: 10.5 }, { x: 50, y: 10.5 }],
      [{ x: 10.5, y: 2 }, { x: 10.5, y: 40 }],
      [{ x: 7, y: 7 }, { x: 7, y: 7 }, { x: 30, y: 7 }],
    ]) {
      const m = createMask(64, 48);
      paintStroke(m, pts, 3, false);
      expect(disagreements(m, pts, 3)).toEqual([]);
    }
  });

  it("a thin stroke (radius below MIN_RADIUS) is still connected", () => {
    const m = createMask(100, 100);
    paintStroke(m, [{ x: 0.2, y: 3.1 }, { x: 99.7, y: 61.3 }], 0.05, false);
    expect(disagreements(m, [{ x: 0.2, y: 3.1 }, { x: 99.7, y: 61.3 }], MIN_RADIUS)).toEqual([]);
    for (let x = 0; x < 100; x++) {
      let any = false;
      for (let y = 0; y < 100; y++) any ||= m.data[y * 100 + x] === 255;
      expect(any, `column ${x}`).toBe(true);
    }
  });

  it("erase clears what it covers and nothing else", () => {
    const m = maskOf(60, 40, () => 255);
    const pts = [{ x: 5, y: 5 }, { x: 55, y: 35 }];
    paintStroke(m, pts, 5, true);
    const inverse = createMask(60, 40);
    paintStroke(inverse, pts, 5, false);
    for (let i = 0; i < m.data.length; i++) {
      expect(m.data[i]).toBe(inverse.data[i] === 255 ? 0 : 255);
    }
    paintStroke(m, [{ x: -100, y: -100 }, { x: 200, y: 200 }], 500, true);
    expect(isEmpty(m)).toBe(true);
  });

  it("writes only inside the stroke: the rest of the mask is untouched", () => {
    const m = maskOf(80, 80, () => 7); // a value painting never writes
    const box = paintStroke(m, [{ x: 20, y: 30 }, { x: 50, y: 33 }], 6, false);
    if (!box) throw new Error("nothing painted");
    for (let y = 0; y < 80; y++) {
      for (let x = 0; x < 80; x++) {
        const v = m.data[y * 80 + x];
        const inBox = x >= box.x && x < box.x + box.width && y >= box.y && y < box.y + box.height;
        if (!inBox) expect(v).toBe(7);
        else expect(v === 7 || v === 255).toBe(true);
      }
    }
  });

  it("clips to the mask; a stroke beside it paints nothing", () => {
    const m = createMask(20, 10);
    expect(paintStroke(m, [{ x: -5, y: 5 }, { x: 3, y: 5 }], 2, false)).toEqual({
      x: 0,
      y: 3,
      width: 5,
      height: 4,
    });
    expect(paintStroke(m, [{ x: -50, y: 5 }, { x: -30, y: 5 }], 2, false)).toBeNull();
    expect(paintStroke(m, [{ x: 10, y: 50 }], 3, false)).toBeNull();
    expect(paintStroke(m, [], 3, false)).toBeNull();
  });

  it("refuses a bad radius or point", () => {
    const m = createMask(10, 10);
    expect(() => paintStroke(m, [{ x: 1, y: 1 }], 0, false)).toThrow(RangeError);
    expect(() => paintStroke(m, [{ x: 1, y: 1 }], Number.NaN, false)).toThrow(RangeError);
    expect(() => paintStroke(m, [{ x: Number.NaN, y: 1 }], 2, false)).toThrow(/not finite/);
    expect(() => paintStroke(m, [{ x: 1, y: Infinity }], 2, false)).toThrow(/not finite/);
  });

  it("a stroke across a 2000 x 2000 mask round-trips", () => {
    const m = createMask(2000, 2000);
    paintStroke(m, [{ x: 100, y: 100 }, { x: 1900, y: 1700 }, { x: 200, y: 1950 }], 80, false);
    paintStroke(m, [{ x: 1000, y: 0 }, { x: 1000, y: 2000 }], 30, true);
    const rle = maskToRle(m);
    expect(rle.length).toBeLessThan(40_000);
    expect(firstDifference(maskFromRle(rle, 2000, 2000).data, m.data)).toBe(-1);
  });
});

describe("bounds, emptiness, union, drawing", () => {
  it("maskBounds is the tight box, or null", () => {
    expect(maskBounds(createMask(5, 5))).toBeNull();
    expect(maskBounds(maskOf(5, 5, () => 255))).toEqual({ x: 0, y: 0, width: 5, height: 5 });
    const m = maskOf(30, 20, (x, y) => ((x === 4 && y === 7) || (x === 21 && y === 15) || (x === 2 && y === 9) ? 255 : 0));
    expect(maskBounds(m)).toEqual({ x: 2, y: 7, width: 20, height: 9 });
    expect(maskBounds(maskOf(1, 1, () => 1))).toEqual({ x: 0, y: 0, width: 1, height: 1 });
  });

  it("isEmpty sees one set pixel anywhere, in any buffer alignment", () => {
    for (const [w, h] of [[1, 1], [3, 3], [7, 5], [64, 64]] as const) {
      for (const i of [0, w * h - 1, Math.floor((w * h) / 2)]) {
        const m = createMask(w, h);
        m.data[i] = 255;
        expect(isEmpty(m)).toBe(false);
      }
    }
    const buf = new Uint8Array(13);
    const odd: Mask = { width: 4, height: 3, data: buf.subarray(1) };
    expect(isEmpty(odd)).toBe(true);
    buf[12] = 255;
    expect(isEmpty(odd)).toBe(false);
  });

  it("unionMask and cloneMask", () => {
    const a = maskOf(4, 1, (x) => (x === 0 ? 255 : 0));
    const b = maskOf(4, 1, (x) => (x === 2 ? 255 : x === 0 ? 10 : 0));
    const c = cloneMask(a);
    unionMask(c, b);
    expect(Array.from(c.data)).toEqual([255, 0, 255, 0]);
    expect(Array.from(a.data)).toEqual([255, 0, 0, 0]);
    expect(() => unionMask(a, createMask(2, 2))).toThrow(/differ in size/);
  });

  it("maskToRgba paints the colour where the mask is set, transparent elsewhere", () => {
    const m = maskOf(3, 2, (x, y) => (x === 1 && y === 0 ? 255 : x === 2 && y === 1 ? 51 : 0));
    const px = maskToRgba(m, [200, 100, 50, 180]);
    expect(px).toBeInstanceOf(Uint8ClampedArray);
    expect(Array.from(px)).toEqual([
      0, 0, 0, 0, 200, 100, 50, 180, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0, 0, 0, 200, 100, 50, 36,
    ]); // alpha 51: 180 * 51 / 255 = 36
    // a part of it, clipped to the mask
    expect(Array.from(maskToRgba(m, [1, 2, 3, 4], { x: 1, y: 0, width: 5, height: 1 }))).toEqual([
      1, 2, 3, 4, 0, 0, 0, 0,
    ]);
    expect(maskToRgba(m, [1, 2, 3, 4], { x: 5, y: 5, width: 2, height: 2 })).toHaveLength(0);
  });
});
