// Plane geometry the shape utils share: percent <-> natural px, rotation, distances, point in polygon, boxes,
// and keeping a moved shape inside the image. Label Studio stores image coordinates in percent (0-100) of the
// original image, origin top-left, y down; width% and height% have different px scales, so anything that
// rotates works in px and converts at the edges.
//
// Nothing here returns NaN or Infinity: unreadable input becomes 0 (or the given fallback), a zero image size
// converts to 0.

import type { Box, Pt, Size } from "./types";

/** A finite number, else `fallback`. */
export function num(value: unknown, fallback = 0): number {
  return typeof value === "number" && Number.isFinite(value) ? value : fallback;
}

export function clamp(value: number, lo: number, hi: number): number {
  if (!Number.isFinite(value)) return Number.isFinite(lo) ? lo : 0;
  if (hi < lo) return lo;
  return value < lo ? lo : value > hi ? hi : value;
}

export function clampPercent(value: number): number {
  return clamp(value, 0, 100);
}

/** A usable image size: finite, non-negative. */
export function safeSize(size: Size): Size {
  return { width: Math.max(0, num(size.width)), height: Math.max(0, num(size.height)) };
}

/** percent of `extent` -> px */
export function toPx(percent: number, extent: number): number {
  return (num(percent) / 100) * Math.max(0, num(extent));
}

/** px -> percent of `extent` (0 when the extent is 0) */
export function toPercent(px: number, extent: number): number {
  const e = num(extent);
  return e > 0 ? (num(px) / e) * 100 : 0;
}

/** A point given in percent, in px. */
export function pctToPx(x: unknown, y: unknown, size: Size): Pt {
  return { x: toPx(num(x), size.width), y: toPx(num(y), size.height) };
}

/** A point in px, in percent, clamped into 0..100. */
export function pxToPct(p: Pt, size: Size): { x: number; y: number } {
  return { x: clampPercent(toPercent(p.x, size.width)), y: clampPercent(toPercent(p.y, size.height)) };
}

/** A point with finite coordinates (NaN -> 0). */
export function safePt(p: Pt): Pt {
  return { x: num(p?.x), y: num(p?.y) };
}

/** The point clamped into the image. */
export function clampPt(p: Pt, size: Size): Pt {
  const s = safeSize(size);
  return { x: clamp(num(p.x), 0, s.width), y: clamp(num(p.y), 0, s.height) };
}

/** Degrees normalised to [0, 360); NaN -> 0. */
export function normDeg(deg: number): number {
  const d = num(deg);
  const r = ((d % 360) + 360) % 360;
  return r >= 360 ? 0 : r;
}

export const DEG = Math.PI / 180;

/** `p` rotated by `deg` degrees (clockwise on screen, y down) about `origin`. */
export function rotatePt(p: Pt, deg: number, origin: Pt = { x: 0, y: 0 }): Pt {
  const a = num(deg) * DEG;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  const dx = p.x - origin.x;
  const dy = p.y - origin.y;
  return { x: origin.x + dx * cos - dy * sin, y: origin.y + dx * sin + dy * cos };
}

export function dist(a: Pt, b: Pt): number {
  return Math.hypot(a.x - b.x, a.y - b.y);
}

export function midpoint(a: Pt, b: Pt): Pt {
  return { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 };
}

/** Distance from `p` to the segment a-b (a point when a = b). */
export function distToSegment(p: Pt, a: Pt, b: Pt): number {
  const cx = b.x - a.x;
  const cy = b.y - a.y;
  const len2 = cx * cx + cy * cy;
  let t = len2 > 0 ? ((p.x - a.x) * cx + (p.y - a.y) * cy) / len2 : 0;
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  return Math.hypot(p.x - (a.x + t * cx), p.y - (a.y + t * cy));
}

/** Distance from `p` to the polyline through `pts` (closed: with the edge back to the first point). */
export function distToPolyline(p: Pt, pts: readonly Pt[], closed: boolean): number {
  const n = pts.length;
  if (n === 0) return Infinity;
  if (n === 1) return dist(p, pts[0] as Pt);
  let best = Infinity;
  const edges = closed ? n : n - 1;
  for (let i = 0; i < edges; i++) {
    const d = distToSegment(p, pts[i] as Pt, pts[(i + 1) % n] as Pt);
    if (d < best) best = d;
  }
  return best;
}

/** Even-odd rule: is `p` inside the polygon through `pts` (closed implicitly)? */
export function pointInPolygon(p: Pt, pts: readonly Pt[]): boolean {
  const n = pts.length;
  if (n < 3) return false;
  let inside = false;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const a = pts[i] as Pt;
    const b = pts[j] as Pt;
    if (a.y > p.y !== b.y > p.y && p.x < ((b.x - a.x) * (p.y - a.y)) / (b.y - a.y) + a.x) inside = !inside;
  }
  return inside;
}

/** Even-odd rule over a set of edges (a ring given as segments, in any order). */
export function pointInEdges(p: Pt, edges: readonly (readonly [Pt, Pt])[]): boolean {
  let inside = false;
  for (const [a, b] of edges) {
    if (a.y > p.y !== b.y > p.y && p.x < ((b.x - a.x) * (p.y - a.y)) / (b.y - a.y) + a.x) inside = !inside;
  }
  return inside;
}

// boxes ------------------------------------------------------------------------------------------------

export const EMPTY_BOX: Box = Object.freeze({ minX: 0, minY: 0, maxX: 0, maxY: 0 });

/** The bounds of points (a zero box at the origin when there are none). */
export function boxOf(pts: readonly Pt[]): Box {
  if (!pts.length) return { ...EMPTY_BOX };
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const p of pts) {
    if (p.x < minX) minX = p.x;
    if (p.y < minY) minY = p.y;
    if (p.x > maxX) maxX = p.x;
    if (p.y > maxY) maxY = p.y;
  }
  return { minX, minY, maxX, maxY };
}

export function boxCenter(b: Box): Pt {
  return { x: (b.minX + b.maxX) / 2, y: (b.minY + b.maxY) / 2 };
}

export function boxWidth(b: Box): number {
  return b.maxX - b.minX;
}

export function boxHeight(b: Box): number {
  return b.maxY - b.minY;
}

export function boxUnion(a: Box, b: Box): Box {
  return { minX: Math.min(a.minX, b.minX), minY: Math.min(a.minY, b.minY), maxX: Math.max(a.maxX, b.maxX), maxY: Math.max(a.maxY, b.maxY) };
}

/** The box grown by `d` on every side. */
export function boxExpand(b: Box, d: number): Box {
  return { minX: b.minX - d, minY: b.minY - d, maxX: b.maxX + d, maxY: b.maxY + d };
}

export function boxContains(b: Box, p: Pt): boolean {
  return p.x >= b.minX && p.x <= b.maxX && p.y >= b.minY && p.y <= b.maxY;
}

/** Slack for float noise when checking that a shape is inside the image, in px. */
export const EPS = 1e-6;

/** Is the box inside the image (within EPS)? */
export function boxInside(b: Box, size: Size): boolean {
  const s = safeSize(size);
  return b.minX >= -EPS && b.minY >= -EPS && b.maxX <= s.width + EPS && b.maxY <= s.height + EPS;
}

/**
 * The part of a move (dx, dy) px a shape with bounds `b` can make and stay inside the image: the whole shape
 * stops at the border. A shape already (partly) outside may move back in but not further out; a shape larger
 * than the image does not move along that axis.
 */
export function clampDelta(b: Box, dx: number, dy: number, size: Size): { dx: number; dy: number } {
  const s = safeSize(size);
  const axis = (min: number, max: number, d: number, limit: number) => {
    const lo = -min;
    const hi = limit - max;
    return clamp(num(d), Math.min(lo, 0), Math.max(hi, 0));
  };
  return { dx: axis(b.minX, b.maxX, dx, s.width), dy: axis(b.minY, b.maxY, dy, s.height) };
}

// rotated rectangles -----------------------------------------------------------------------------------

/** A rectangle in px: top-left corner before rotation, size, rotation in degrees clockwise about (x, y). */
export interface RectPx {
  x: number;
  y: number;
  w: number;
  h: number;
  rotation: number;
}

/**
 * The corners of a rotated rectangle in px, in the order top-left, top-right, bottom-right, bottom-left:
 * (x, y), (x + w·cos, y + w·sin), (x + w·cos − h·sin, y + w·sin + h·cos), (x − h·sin, y + h·cos), as the
 * Label Studio SDK computes them (converter/utils.py::convert_annotation_to_yolo_obb).
 */
export function rectCorners(r: RectPx): [Pt, Pt, Pt, Pt] {
  const a = num(r.rotation) * DEG;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  const { x, y, w, h } = r;
  return [
    { x, y },
    { x: x + w * cos, y: y + w * sin },
    { x: x + w * cos - h * sin, y: y + w * sin + h * cos },
    { x: x - h * sin, y: y + h * cos },
  ];
}

/** The centre of a rotated rectangle in px. */
export function rectCenter(r: RectPx): Pt {
  const a = num(r.rotation) * DEG;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  return { x: r.x + (r.w / 2) * cos - (r.h / 2) * sin, y: r.y + (r.w / 2) * sin + (r.h / 2) * cos };
}

/** A rotated rectangle moved by (dx, dy) px, its rotated corners kept inside the image. */
export function clampRectMove(r: RectPx, dx: number, dy: number, size: Size): RectPx {
  const d = clampDelta(boxOf(rectCorners(r)), dx, dy, size);
  return { ...r, x: r.x + d.dx, y: r.y + d.dy };
}

// searching for the largest change that fits -----------------------------------------------------------

/**
 * The largest t in [0, 1] for which `fits(t)` holds, assuming it holds at 0 and fails from some point on
 * (bisection, to about 1e-7). Used to stop a rotation or a resize of a rotated shape at the image border.
 */
export function largestFit(fits: (t: number) => boolean, steps = 24): number {
  if (fits(1)) return 1;
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < steps; i++) {
    const mid = (lo + hi) / 2;
    if (fits(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

// ids --------------------------------------------------------------------------------------------------

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** A short random id (10 alphanumerics, like Label Studio's guidGenerator); no counter, safe across views. */
export function randomId(length = 10): string {
  const bytes = new Uint8Array(length);
  const c = (globalThis as { crypto?: { getRandomValues?: (a: Uint8Array) => Uint8Array } }).crypto;
  if (c?.getRandomValues) c.getRandomValues(bytes);
  else for (let i = 0; i < length; i++) bytes[i] = Math.floor(Math.random() * 256);
  let out = "";
  for (let i = 0; i < length; i++) out += ALPHABET[(bytes[i] as number) % ALPHABET.length];
  return out;
}

// rendering --------------------------------------------------------------------------------------------

/** The class of a shape's root element. */
export function shapeClass(kind: string, selected: boolean, hover: boolean): string {
  return `lnb-shape lnb-shape-${kind}${selected ? " lnb-selected" : ""}${hover ? " lnb-hover" : ""}`;
}

/** How much stronger the fill gets on hover. */
export const HOVER_FILL_BOOST = 0.25;

/** The presentation attributes every outline shares. */
export function strokeAttrs(
  style: { stroke: string; strokeWidth: number; fill: string; fillOpacity: number },
  selected: boolean,
  hover: boolean,
  filled = true,
): Record<string, string | number> {
  const width = Math.max(0, num(style.strokeWidth, 1)) + (selected || hover ? 1 : 0);
  const opacity = clamp(num(style.fillOpacity, 0.2) + (hover ? HOVER_FILL_BOOST : 0), 0, 1);
  return {
    stroke: style.stroke,
    "stroke-width": width,
    fill: filled ? style.fill : "none",
    "fill-opacity": filled ? opacity : 0,
    "vector-effect": "non-scaling-stroke",
  };
}
