// Polygon (Polygon / PolygonLabels): value {points: [[x, y], ...], closed} in percent of the image
// (reference B.4). A value without `closed` (older exports) is a closed polygon.
//
// insertVertex and deleteVertex also take a vector's geometry ({vertices: [...]}) and hand it to ./vector, so
// the editing tools can treat both point shapes alike.

import type { Json } from "../../state/document";
import {
  boxExpand,
  boxContains,
  boxCenter,
  boxOf,
  clampDelta,
  clampPercent,
  clampPt,
  distToPolyline,
  midpoint,
  num,
  pointInPolygon,
  pxToPct,
  safePt,
  safeSize,
  shapeClass,
  strokeAttrs,
  toPercent,
  toPx,
} from "./geometry";
import type { Handle, Pt, RenderProps, ShapeUtil, Size } from "./types";
import { deleteVectorVertex, insertVectorVertex, isVectorGeometry } from "./vector";

/** A closed polygon needs this many points; an open one (a polyline) two. */
export const MIN_CLOSED_POINTS = 3;
export const MIN_OPEN_POINTS = 2;

export function isClosed(g: Json): boolean {
  return g.closed !== false;
}

/** The points of a value, in px (an unreadable point becomes 0, so indices stay those of the value). */
export function polygonPx(g: Json, size: Size): Pt[] {
  const s = safeSize(size);
  const raw = Array.isArray(g.points) ? (g.points as unknown[]) : [];
  const out: Pt[] = new Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const p = raw[i];
    const x = Array.isArray(p) ? num(p[0]) : 0;
    const y = Array.isArray(p) ? num(p[1]) : 0;
    out[i] = { x: toPx(x, s.width), y: toPx(y, s.height) };
  }
  return out;
}

function percentPoints(g: Json): [number, number][] {
  const raw = Array.isArray(g.points) ? (g.points as unknown[]) : [];
  return raw.map((p) => (Array.isArray(p) ? [num(p[0]), num(p[1])] : [0, 0]));
}

function pct(p: Pt, size: Size): [number, number] {
  const q = pxToPct(clampPt(safePt(p), size), size);
  return [q.x, q.y];
}

/** A polygon value through px points, in percent clamped into 0..100. */
export function polygonFromPoints(points: readonly Pt[], size: Size, closed: boolean): Json {
  return { points: points.map((p) => pct(p, size)), closed };
}

/**
 * The geometry with a new vertex at `p` (px) after vertex `i` (on edge i, from vertex i to i + 1, or the
 * closing edge when i is the last). Vector geometry is handled by ./vector.
 */
export function insertVertex(g: Json, i: number, p: Pt, size: Size): Json {
  if (isVectorGeometry(g)) return insertVectorVertex(g, i, p, size);
  const points = percentPoints(g);
  const at = Math.min(Math.max(0, Math.trunc(num(i, points.length - 1)) + 1), points.length);
  points.splice(at, 0, pct(p, size));
  return { ...g, points };
}

/**
 * The geometry without vertex `i`, or null when that would leave a closed polygon with fewer than 3 points
 * (an open one with fewer than 2) or there is no vertex `i`. Vector geometry is handled by ./vector.
 */
export function deleteVertex(g: Json, i: number): Json | null {
  if (isVectorGeometry(g)) return deleteVectorVertex(g, i);
  const points = percentPoints(g);
  if (!Number.isInteger(i) || i < 0 || i >= points.length) return null;
  if (points.length - 1 < (isClosed(g) ? MIN_CLOSED_POINTS : MIN_OPEN_POINTS)) return null;
  points.splice(i, 1);
  return { ...g, points };
}

/** The edges of a polygon as index pairs: i -> i + 1, and the closing edge when closed (3 points or more). */
function edgeCount(n: number, closed: boolean): number {
  if (n < 2) return 0;
  return closed && n >= 3 ? n : n - 1;
}

/** The SVG `points` attribute of px points. */
export function pointsAttr(pts: readonly Pt[]): string {
  let out = "";
  for (let i = 0; i < pts.length; i++) {
    const p = pts[i] as Pt;
    out += i ? ` ${p.x},${p.y}` : `${p.x},${p.y}`;
  }
  return out;
}

export const polygon: ShapeUtil = {
  kind: "polygon",

  bounds(g, size) {
    return boxOf(polygonPx(g, size));
  },

  center(g, size) {
    return boxCenter(boxOf(polygonPx(g, size)));
  },

  hitTest(g, p, size, tolerance) {
    const pts = polygonPx(g, size);
    if (!pts.length) return false;
    const q = safePt(p);
    const tol = Math.max(0, num(tolerance));
    if (!boxContains(boxExpand(boxOf(pts), tol), q)) return false;
    const closed = isClosed(g) && pts.length >= 3;
    if (closed && pointInPolygon(q, pts)) return true;
    return distToPolyline(q, pts, closed) <= tol;
  },

  translate(g, dx, dy, size) {
    const s = safeSize(size);
    const d = clampDelta(boxOf(polygonPx(g, s)), num(dx), num(dy), s);
    const px = toPercent(d.dx, s.width);
    const py = toPercent(d.dy, s.height);
    return { ...g, points: percentPoints(g).map(([x, y]) => [clampPercent(x + px), clampPercent(y + py)]) };
  },

  handles(g, size) {
    const pts = polygonPx(g, size);
    const out: Handle[] = pts.map((p, i) => ({ id: `v:${i}`, kind: "vertex", x: p.x, y: p.y }));
    const n = pts.length;
    const edges = edgeCount(n, isClosed(g));
    for (let i = 0; i < edges; i++) out.push({ id: `m:${i}`, kind: "midpoint", ...midpoint(pts[i] as Pt, pts[(i + 1) % n] as Pt) });
    return out;
  },

  dragHandle(g, id, p, size) {
    const [kind, index] = id.split(":");
    const i = Number(index);
    if (!Number.isInteger(i) || i < 0) return g;
    if (kind === "m") {
      const n = percentPoints(g).length;
      if (i >= edgeCount(n, isClosed(g))) return g;
      return insertVertex(g, i, p, size);
    }
    if (kind !== "v") return g;
    const points = percentPoints(g);
    if (i >= points.length) return g;
    points[i] = pct(p, size);
    return { ...g, points };
  },

  render({ geometry, size, style, selected, hover }: RenderProps) {
    const pts = polygonPx(geometry, size);
    const cls = shapeClass("polygon", selected, hover);
    if (isClosed(geometry)) return <polygon class={cls} points={pointsAttr(pts)} {...strokeAttrs(style, selected, hover)} />;
    return <polyline class={cls} points={pointsAttr(pts)} {...strokeAttrs(style, selected, hover, false)} />;
  },
};
