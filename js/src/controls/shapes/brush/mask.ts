// A brush region's mask: one alpha byte per pixel of the image's natural size, row by row. Painting writes
// 255 (or 0 when erasing); a mask read from Label Studio keeps whatever alpha the stream holds, so that an
// imported annotation goes back out unchanged. Label Studio stores the mask as an RGBA image whose four
// channels all repeat the alpha (label-studio-sdk's mask2rle), run-length encoded (rle.ts). Pure module:
// no DOM.

import { RleWriter, byteList, decodeRle, readRleHeader } from "./rle";

export interface Mask {
  readonly width: number;
  readonly height: number;
  /** width * height alpha bytes, row-major */
  readonly data: Uint8Array;
}

/** A point in natural image pixels: pixel (i, j) covers [i, i+1) x [j, j+1). */
export interface Point {
  x: number;
  y: number;
}

/** A box of whole pixels. */
export interface PixelBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export type Rgba = readonly [number, number, number, number];

/** The smallest radius painted: a line of this half-width still sets a pixel in every row or column. */
export const MIN_RADIUS = 0.5;

const EPS = 1e-9;

function checkSize(width: number, height: number): void {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new RangeError(`mask size ${width} x ${height} is not two positive integers`);
  }
}

/** An empty mask. */
export function createMask(width: number, height: number): Mask {
  checkSize(width, height);
  return { width, height, data: new Uint8Array(width * height) };
}

/** The same as createMask. */
export const newMask = createMask;

export function cloneMask(mask: Mask): Mask {
  return { width: mask.width, height: mask.height, data: mask.data.slice() };
}

/** Sets in `target` every pixel set in `source` (keeping the larger alpha); both of one size. */
export function unionMask(target: Mask, source: Mask): void {
  if (target.width !== source.width || target.height !== source.height) {
    throw new RangeError(
      `masks differ in size: ${target.width} x ${target.height} and ${source.width} x ${source.height}`,
    );
  }
  const t = target.data;
  const s = source.data;
  for (let i = 0; i < t.length; i++) {
    const v = s[i] as number;
    if (v > (t[i] as number)) t[i] = v;
  }
}

/** Whether no pixel is set. */
export function isEmpty(mask: Mask): boolean {
  const d = mask.data;
  let i = 0;
  if (d.byteOffset % 4 === 0) {
    const words = new Uint32Array(d.buffer, d.byteOffset, d.length >>> 2);
    for (let w = 0; w < words.length; w++) if (words[w] !== 0) return false;
    i = words.length * 4;
  }
  for (; i < d.length; i++) if (d[i] !== 0) return false;
  return true;
}

function rowEmpty(d: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (d[i] !== 0) return false;
  return true;
}

/** The tightest box around the set pixels, or null when none is set. */
export function maskBounds(mask: Mask): PixelBox | null {
  const { width: w, height: h, data: d } = mask;
  let top = 0;
  while (top < h && rowEmpty(d, top * w, top * w + w)) top++;
  if (top === h) return null;
  let bottom = h - 1;
  while (rowEmpty(d, bottom * w, bottom * w + w)) bottom--;
  let minX = w;
  let maxX = -1;
  for (let y = top; y <= bottom; y++) {
    const row = y * w;
    // only the parts outside the box found so far can widen it
    for (let x = 0; x < minX; x++) {
      if (d[row + x] !== 0) {
        minX = x;
        break;
      }
    }
    for (let x = w - 1; x > maxX; x--) {
      if (d[row + x] !== 0) {
        maxX = x;
        break;
      }
    }
  }
  return { x: minX, y: top, width: maxX - minX + 1, height: bottom - top + 1 };
}

/**
 * Paints (or erases) a stroke: a disc of `radius` natural px at every point and the band between
 * consecutive points, so a fast stroke leaves no gaps. A pixel is painted when its centre lies within the
 * radius of the polyline (radius at least MIN_RADIUS). Touches only the rows and spans of the stroke.
 * Returns the box of the pixels written (clipped to the mask), or null when the stroke missed the mask.
 */
export function paintStroke(
  mask: Mask,
  points: readonly Point[],
  radius: number,
  erase = false,
): PixelBox | null {
  if (!Number.isFinite(radius) || radius <= 0) {
    throw new RangeError(`brush radius ${radius} is not a positive number`);
  }
  for (const p of points) {
    if (!Number.isFinite(p.x) || !Number.isFinite(p.y)) {
      throw new RangeError(`stroke point (${p.x}, ${p.y}) is not finite`);
    }
  }
  const r = Math.max(radius, MIN_RADIUS);
  const box = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
  const value = erase ? 0 : 255;
  const first = points[0];
  if (first === undefined) return null;
  if (points.length === 1) paintCapsule(mask, first, first, r, value, box);
  for (let i = 1; i < points.length; i++) {
    paintCapsule(mask, points[i - 1] as Point, points[i] as Point, r, value, box);
  }
  if (box.maxX < box.minX) return null;
  return {
    x: box.minX,
    y: box.minY,
    width: box.maxX - box.minX + 1,
    height: box.maxY - box.minY + 1,
  };
}

interface Extent {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/** Fills the pixels whose centres are within r of segment a-b: row by row, one span per row (the shape
 * is convex). */
function paintCapsule(
  mask: Mask,
  a: Point,
  b: Point,
  r: number,
  value: number,
  box: Extent,
): void {
  const { width: w, height: h, data } = mask;
  const r2 = r * r;
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len = Math.hypot(dx, dy);
  const ux = len > 0 ? dx / len : 0;
  const uy = len > 0 ? dy / len : 0;
  const y0 = Math.max(0, Math.ceil(Math.min(a.y, b.y) - r - 0.5 - EPS));
  const y1 = Math.min(h - 1, Math.floor(Math.max(a.y, b.y) + r - 0.5 + EPS));
  for (let py = y0; py <= y1; py++) {
    const cy = py + 0.5;
    let lo = Infinity;
    let hi = -Infinity;
    // the discs at both ends
    const da = cy - a.y;
    if (da * da <= r2) {
      const half = Math.sqrt(r2 - da * da);
      lo = Math.min(lo, a.x - half);
      hi = Math.max(hi, a.x + half);
    }
    const db = cy - b.y;
    if (db * db <= r2) {
      const half = Math.sqrt(r2 - db * db);
      lo = Math.min(lo, b.x - half);
      hi = Math.max(hi, b.x + half);
    }
    // the band: 0 <= along <= len and |across| <= r, both linear in qx = x - a.x
    if (len > 0) {
      const qy = da;
      let sLo = -Infinity;
      let sHi = Infinity;
      // along = qx * ux + qy * uy
      if (Math.abs(ux) > EPS) {
        const p = -qy * uy / ux;
        const q = (len - qy * uy) / ux;
        sLo = Math.max(sLo, Math.min(p, q));
        sHi = Math.min(sHi, Math.max(p, q));
      } else if (qy * uy < 0 || qy * uy > len) {
        sHi = -Infinity;
      }
      // across = qx * uy - qy * ux
      if (Math.abs(uy) > EPS) {
        const p = (qy * ux - r) / uy;
        const q = (qy * ux + r) / uy;
        sLo = Math.max(sLo, Math.min(p, q));
        sHi = Math.min(sHi, Math.max(p, q));
      } else if (Math.abs(qy * ux) > r) {
        sHi = -Infinity;
      }
      if (sLo <= sHi) {
        lo = Math.min(lo, a.x + sLo);
        hi = Math.max(hi, a.x + sHi);
      }
    }
    if (lo > hi) continue;
    const x0 = Math.max(0, Math.ceil(lo - 0.5 - EPS));
    const x1 = Math.min(w - 1, Math.floor(hi - 0.5 + EPS));
    if (x0 > x1) continue;
    data.fill(value, py * w + x0, py * w + x1 + 1);
    if (x0 < box.minX) box.minX = x0;
    if (x1 > box.maxX) box.maxX = x1;
    if (py < box.minY) box.minY = py;
    if (py > box.maxY) box.maxY = py;
  }
}

/**
 * The values Label Studio encodes for a mask: RGBA row by row, each pixel's alpha in all four channels
 * (label-studio-sdk's mask2rle). maskToRle does not build this; it is here for tests and tools.
 */
export function maskToRgbaValues(mask: Mask): Uint8Array {
  const d = mask.data;
  const out = new Uint8Array(d.length * 4);
  for (let i = 0, j = 0; i < d.length; i++, j += 4) {
    const v = d[i] as number;
    out[j] = v;
    out[j + 1] = v;
    out[j + 2] = v;
    out[j + 3] = v;
  }
  return out;
}

/** The mask as a Label Studio stream, as bytes (what encodeRle(maskToRgbaValues(mask)) gives). */
export function maskToRleBytes(mask: Mask): Uint8Array {
  const d = mask.data;
  const n = d.length;
  // every pixel is four equal values, so each run of pixels is one run of four times its length
  const writer = new RleWriter(n * 4, 256);
  let i = 0;
  while (i < n) {
    const v = d[i] as number;
    let j = i + 1;
    while (j < n && d[j] === v) j++;
    writer.run(v, (j - i) * 4);
    i = j;
  }
  return writer.finish();
}

/** The mask as the `rle` of a brush result: `{format: "rle", rle: maskToRle(mask)}`. */
export function maskToRle(mask: Mask): number[] {
  return byteList(maskToRleBytes(mask));
}

/**
 * Reads a Label Studio stream as a width x height mask: the alpha channel (every fourth value from the
 * fourth). Refuses a stream whose count is not width * height * 4, and any malformed stream (decodeRle).
 */
export function maskFromRle(rle: ArrayLike<number>, width: number, height: number): Mask {
  checkSize(width, height);
  const expected = width * height * 4;
  const { count } = readRleHeader(rle);
  if (count !== expected) {
    throw new Error(
      `RLE holds ${count} values; a ${width} x ${height} RGBA mask needs ${expected}`,
    );
  }
  const values = decodeRle(rle, expected);
  const data = new Uint8Array(width * height);
  for (let i = 0, j = 3; i < data.length; i++, j += 4) data[i] = values[j] as number;
  return { width, height, data };
}

/**
 * RGBA pixels for a canvas (ImageData's layout): `color` where the mask is set, its alpha scaled by the
 * mask's (exactly `color` at 255), transparent elsewhere. With `box`, only that part (clipped to the mask),
 * for redrawing what a stroke touched.
 */
export function maskToRgba(mask: Mask, color: Rgba, box?: PixelBox): Uint8ClampedArray {
  const x0 = Math.max(0, box?.x ?? 0);
  const y0 = Math.max(0, box?.y ?? 0);
  const x1 = Math.min(mask.width, box ? box.x + box.width : mask.width);
  const y1 = Math.min(mask.height, box ? box.y + box.height : mask.height);
  const bw = Math.max(0, x1 - x0);
  const bh = Math.max(0, y1 - y0);
  const out = new Uint8ClampedArray(bw * bh * 4);
  if (bw === 0 || bh === 0) return out;
  const [r, g, b, a] = color;
  const full = new Uint8ClampedArray([r, g, b, a]);
  const fullWord = new Uint32Array(full.buffer)[0] as number; // the colour in this machine's byte order
  const words = new Uint32Array(out.buffer);
  const d = mask.data;
  const w = mask.width;
  for (let y = y0; y < y1; y++) {
    const row = y * w;
    const o = (y - y0) * bw - x0;
    for (let x = x0; x < x1; x++) {
      const v = d[row + x] as number;
      if (v === 0) continue;
      if (v === 255) {
        words[o + x] = fullWord;
      } else {
        const k = (o + x) * 4;
        out[k] = full[0] as number;
        out[k + 1] = full[1] as number;
        out[k + 2] = full[2] as number;
        out[k + 3] = Math.round(((full[3] as number) * v) / 255);
      }
    }
  }
  return out;
}
