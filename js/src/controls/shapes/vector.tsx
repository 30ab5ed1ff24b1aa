// Vector (Vector / VectorLabels): value {vertices: [{id, x, y, prevPointId?, isBezier?, controlPoint1?,
// controlPoint2?}], closed} in percent of the image (reference B.4; Label Studio's KonvaVector).
//
// The lines are those Label Studio draws: a vertex with `prevPointId` is joined to that vertex; one without it
// is joined to the vertex before it in the list (KonvaVector's normalizePoints), the first vertex to nothing.
// Label Studio closes a path by giving the first vertex the last one's id as prevPointId; a value with
// `closed: true` whose first vertex has no line into it is closed from the last vertex as well. A Bezier vertex
// (isBezier with controlPoint1/controlPoint2, in percent too) curves its lines as KonvaVector does.
//
// Given ids are kept; new vertices get random ones (geometry.ts randomId).

import type { Json } from "../../state/document";
import {
  boxContains,
  boxExpand,
  boxCenter,
  boxOf,
  clampDelta,
  clampPercent,
  clampPt,
  distToSegment,
  midpoint,
  num,
  pointInEdges,
  pxToPct,
  randomId,
  safePt,
  safeSize,
  shapeClass,
  strokeAttrs,
  toPercent,
  toPx,
} from "./geometry";
import type { Handle, Pt, RenderProps, ShapeUtil, Size } from "./types";

export const MIN_CLOSED_VERTICES = 3;
export const MIN_OPEN_VERTICES = 2;

/** A vertex in px, with its place in the value. */
export interface VertexPx extends Pt {
  index: number;
  id: string | undefined;
  /** the explicit prevPointId, if any */
  prev: string | undefined;
  c1?: Pt;
  c2?: Pt;
}

export interface Edge {
  from: number;
  to: number;
}

/** Is this a vector's geometry (vertices, not points)? */
export function isVectorGeometry(g: Json): boolean {
  return Array.isArray(g.vertices) && !Array.isArray(g.points);
}

function rawVertices(g: Json): Json[] {
  const raw = Array.isArray(g.vertices) ? (g.vertices as unknown[]) : [];
  return raw.map((v) => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Json) : {}));
}

/** The vertices to write back: copies, their coordinates made finite (unreadable ones become 0). */
function outVertices(g: Json): Json[] {
  return rawVertices(g).map((v) => ({ ...v, x: num(v.x), y: num(v.y) }));
}

function idOf(v: Json): string | undefined {
  const id = v.id;
  return typeof id === "string" || typeof id === "number" ? String(id) : undefined;
}

function prevOf(v: Json): string | undefined {
  const p = v.prevPointId;
  return typeof p === "string" || typeof p === "number" ? String(p) : undefined;
}

function controlPx(c: unknown, size: Size): Pt | undefined {
  if (typeof c !== "object" || c === null) return undefined;
  const o = c as Json;
  return { x: toPx(num(o.x), size.width), y: toPx(num(o.y), size.height) };
}

export function vectorPx(g: Json, size: Size): VertexPx[] {
  const s = safeSize(size);
  return rawVertices(g).map((v, index) => {
    const out: VertexPx = { index, id: idOf(v), prev: prevOf(v), x: toPx(num(v.x), s.width), y: toPx(num(v.y), s.height) };
    if (v.isBezier === true) {
      const c1 = controlPx(v.controlPoint1, s);
      const c2 = controlPx(v.controlPoint2, s);
      if (c1) out.c1 = c1;
      if (c2) out.c2 = c2;
    }
    return out;
  });
}

/** The lines between vertices (see the header). */
export function vectorEdges(vs: readonly VertexPx[], closed: boolean): Edge[] {
  const n = vs.length;
  const byId = new Map<string, number>();
  for (const v of vs) if (v.id !== undefined && !byId.has(v.id)) byId.set(v.id, v.index);
  const edges: Edge[] = [];
  let intoFirst: Edge | null = null; // drawn last, so a closed path reads first -> ... -> last -> first
  for (let i = 0; i < n; i++) {
    const v = vs[i] as VertexPx;
    if (v.prev !== undefined) {
      const j = byId.get(v.prev);
      if (j !== undefined && j !== i) {
        if (i === 0) intoFirst = { from: j, to: 0 };
        else edges.push({ from: j, to: i });
      }
    } else if (i > 0) {
      edges.push({ from: i - 1, to: i });
    }
  }
  if (intoFirst) edges.push(intoFirst);
  else if (closed && n >= MIN_CLOSED_VERTICES) edges.push({ from: n - 1, to: 0 });
  return edges;
}

/** The two inner control points of the line a -> b, or null for a straight one (KonvaVector's rule). */
function controls(a: VertexPx, b: VertexPx): [Pt, Pt] | null {
  if (a.c2 && b.c1) return [a.c2, b.c1];
  if (a.c2) return [a.c2, { x: b.x - (b.x - a.x) * 0.3, y: b.y - (b.y - a.y) * 0.3 }];
  if (b.c1) return [{ x: a.x + (b.x - a.x) * 0.3, y: a.y + (b.y - a.y) * 0.3 }, b.c1];
  return null;
}

const BEZIER_STEPS = 16;

/** The line a -> b as a polyline (a curve sampled). */
function edgePolyline(a: VertexPx, b: VertexPx): Pt[] {
  const c = controls(a, b);
  if (!c) return [a, b];
  const [p1, p2] = c;
  const out: Pt[] = [];
  for (let k = 0; k <= BEZIER_STEPS; k++) {
    const t = k / BEZIER_STEPS;
    const u = 1 - t;
    out.push({
      x: u * u * u * a.x + 3 * u * u * t * p1.x + 3 * u * t * t * p2.x + t * t * t * b.x,
      y: u * u * u * a.y + 3 * u * u * t * p1.y + 3 * u * t * t * p2.y + t * t * t * b.y,
    });
  }
  return out;
}

/** Everything the drawing may reach: vertices and control points (a curve stays inside their hull). */
function extentPoints(vs: readonly VertexPx[]): Pt[] {
  const out: Pt[] = [];
  for (const v of vs) {
    out.push(v);
    if (v.c1) out.push(v.c1);
    if (v.c2) out.push(v.c2);
  }
  return out;
}

/** The SVG path data of the lines. */
export function vectorPath(vs: readonly VertexPx[], edges: readonly Edge[], closed: boolean): string {
  let d = "";
  let cur = -1;
  let start = -1;
  for (const e of edges) {
    const a = vs[e.from] as VertexPx;
    const b = vs[e.to] as VertexPx;
    if (cur !== e.from) {
      d += `${d ? " " : ""}M${a.x} ${a.y}`;
      start = e.from;
    }
    const c = controls(a, b);
    d += c ? ` C${c[0].x} ${c[0].y} ${c[1].x} ${c[1].y} ${b.x} ${b.y}` : ` L${b.x} ${b.y}`;
    cur = e.to;
    if (closed && e.to === start) {
      d += " Z";
      cur = -1;
    }
  }
  if (!d && vs.length === 1) {
    const v = vs[0] as VertexPx;
    d = `M${v.x} ${v.y} L${v.x} ${v.y}`; // a lone vertex: a dot with round caps
  }
  return d;
}

function newVertex(p: Pt, size: Size, prev: string | undefined): Json {
  const q = pxToPct(clampPt(safePt(p), size), size);
  const v: Json = { id: randomId(), x: q.x, y: q.y };
  if (prev !== undefined) v.prevPointId = prev;
  v.isBezier = false;
  return v;
}

/**
 * A vector value through px points: each vertex joined to the one before it; `closed` (3 points or more)
 * also joins the first to the last, as Label Studio does (first.prevPointId = last.id).
 */
export function vectorFromPoints(points: readonly Pt[], size: Size, closed: boolean): Json {
  const vertices: Json[] = [];
  let prev: string | undefined;
  for (const p of points) {
    const v = newVertex(p, size, prev);
    prev = v.id as string;
    vertices.push(v);
  }
  const first = vertices[0];
  if (closed && first && vertices.length >= MIN_CLOSED_VERTICES) first.prevPointId = prev;
  return { vertices, closed };
}

/** The index of the vertex a handle key (`v:<key>`) names: by id, else (for a vertex without id) by index. */
export function vertexIndexOf(g: Json, key: string): number {
  const vs = rawVertices(g);
  const byId = vs.findIndex((v) => idOf(v) === key);
  if (byId >= 0) return byId;
  const i = Number(key);
  return Number.isInteger(i) && i >= 0 && i < vs.length && idOf(vs[i] as Json) === undefined ? i : -1;
}

function handleKey(v: VertexPx): string {
  return v.id ?? String(v.index);
}

/** The effective previous vertex id of vertex i (explicit, else the one before it in the list). */
function effectivePrev(vs: readonly Json[], i: number): string | undefined {
  const v = vs[i] as Json;
  const explicit = prevOf(v);
  if (explicit !== undefined) return explicit;
  return i > 0 ? idOf(vs[i - 1] as Json) : undefined;
}

/**
 * The geometry with a new vertex at `p` (px) on the line from vertex i to vertex i + 1 (or, when i is the
 * last vertex of a closed vector, on the closing line): placed after vertex i in the list, joined to it, and
 * the vertex that was joined to vertex i joined to it instead.
 */
export function insertVectorVertex(g: Json, i: number, p: Pt, size: Size): Json {
  const vs = outVertices(g);
  const n = vs.length;
  const at = Math.min(Math.max(0, Math.trunc(num(i, n - 1))), Math.max(0, n - 1));
  const a = vs[at];
  const aId = a ? idOf(a) : undefined;
  const w = newVertex(p, size, aId);
  const nextIndex = at + 1 < n ? at + 1 : g.closed === true ? 0 : -1;
  const next = nextIndex >= 0 ? vs[nextIndex] : undefined;
  if (next && aId !== undefined && prevOf(next) === aId) next.prevPointId = w.id;
  vs.splice(n ? at + 1 : 0, 0, w);
  return { ...g, vertices: vs };
}

/**
 * The geometry without vertex i, the vertices joined to it joined to its own previous vertex (Label Studio's
 * deletePoint); null when that would leave fewer than 3 vertices in a closed vector (2 in an open one) or
 * there is no vertex i.
 */
export function deleteVectorVertex(g: Json, i: number): Json | null {
  const vs = outVertices(g);
  if (!Number.isInteger(i) || i < 0 || i >= vs.length) return null;
  if (vs.length - 1 < (g.closed === true ? MIN_CLOSED_VERTICES : MIN_OPEN_VERTICES)) return null;
  const gone = vs[i] as Json;
  const goneId = idOf(gone);
  const reconnect = effectivePrev(vs, i);
  const out: Json[] = [];
  for (let k = 0; k < vs.length; k++) {
    if (k === i) continue;
    const v = vs[k] as Json;
    if (goneId !== undefined && prevOf(v) === goneId) {
      const { prevPointId: _drop, ...rest } = v;
      out.push(reconnect !== undefined && reconnect !== idOf(v) ? { ...rest, prevPointId: reconnect } : rest);
    } else if (k === i + 1 && prevOf(v) === undefined && i > 0 && reconnect !== idOf(vs[i - 1] as Json)) {
      // joined implicitly to the vertex before it in the list, which is about to change
      out.push(reconnect !== undefined ? { ...v, prevPointId: reconnect } : v);
    } else {
      out.push(v);
    }
  }
  return { ...g, vertices: out };
}

/** The vertex moved to p (px), its control points with it. */
function moveVertex(v: Json, p: Pt, size: Size): Json {
  const s = safeSize(size);
  const q = pxToPct(clampPt(safePt(p), s), s);
  const dx = q.x - num(v.x);
  const dy = q.y - num(v.y);
  const out: Json = { ...v, x: q.x, y: q.y };
  shiftControls(out, dx, dy);
  return out;
}

function shiftControls(v: Json, dx: number, dy: number): void {
  for (const key of ["controlPoint1", "controlPoint2"]) {
    const c = v[key];
    if (typeof c === "object" && c !== null) {
      const o = c as Json;
      v[key] = { ...o, x: clampPercent(num(o.x) + dx), y: clampPercent(num(o.y) + dy) };
    }
  }
}

export const vector: ShapeUtil = {
  kind: "vector",

  bounds(g, size) {
    return boxOf(extentPoints(vectorPx(g, size)));
  },

  center(g, size) {
    return boxCenter(boxOf(vectorPx(g, size)));
  },

  hitTest(g, p, size, tolerance) {
    const vs = vectorPx(g, size);
    if (!vs.length) return false;
    const q = safePt(p);
    const tol = Math.max(0, num(tolerance));
    if (!boxContains(boxExpand(boxOf(extentPoints(vs)), tol), q)) return false;
    const closed = g.closed === true;
    const edges = vectorEdges(vs, closed);
    const segments: [Pt, Pt][] = [];
    for (const e of edges) {
      const line = edgePolyline(vs[e.from] as VertexPx, vs[e.to] as VertexPx);
      for (let k = 1; k < line.length; k++) segments.push([line[k - 1] as Pt, line[k] as Pt]);
    }
    for (const [a, b] of segments) if (distToSegment(q, a, b) <= tol) return true;
    for (const v of vs) if (Math.hypot(q.x - v.x, q.y - v.y) <= tol) return true;
    return closed && pointInEdges(q, segments);
  },

  translate(g, dx, dy, size) {
    const s = safeSize(size);
    const d = clampDelta(boxOf(extentPoints(vectorPx(g, s))), num(dx), num(dy), s);
    const px = toPercent(d.dx, s.width);
    const py = toPercent(d.dy, s.height);
    const vertices = rawVertices(g).map((v) => {
      const out: Json = { ...v, x: clampPercent(num(v.x) + px), y: clampPercent(num(v.y) + py) };
      shiftControls(out, px, py);
      return out;
    });
    return { ...g, vertices };
  },

  handles(g, size) {
    const vs = vectorPx(g, size);
    const out: Handle[] = vs.map((v) => ({ id: `v:${handleKey(v)}`, kind: "vertex", x: v.x, y: v.y }));
    const n = vs.length;
    for (const e of vectorEdges(vs, g.closed === true)) {
      // midpoints on the lines between neighbours in the list (insertVertex puts the new vertex after `from`)
      if (e.to === e.from + 1 || (e.from === n - 1 && e.to === 0 && n >= MIN_CLOSED_VERTICES)) {
        const line = edgePolyline(vs[e.from] as VertexPx, vs[e.to] as VertexPx);
        const mid = line.length === 2 ? midpoint(line[0] as Pt, line[1] as Pt) : (line[line.length >> 1] as Pt);
        out.push({ id: `m:${e.from}`, kind: "midpoint", x: mid.x, y: mid.y });
      }
    }
    return out;
  },

  dragHandle(g, id, p, size) {
    const colon = id.indexOf(":");
    const kind = id.slice(0, colon);
    const key = id.slice(colon + 1);
    if (colon < 0) return g;
    if (kind === "m") {
      const i = Number(key);
      const n = rawVertices(g).length;
      if (!Number.isInteger(i) || i < 0 || i >= n) return g;
      return insertVectorVertex(g, i, p, size);
    }
    if (kind !== "v") return g;
    const i = vertexIndexOf(g, key);
    if (i < 0) return g;
    const vertices = outVertices(g);
    vertices[i] = moveVertex(vertices[i] as Json, p, size);
    return { ...g, vertices };
  },

  render({ geometry, size, style, selected, hover }: RenderProps) {
    const vs = vectorPx(geometry, size);
    const closed = geometry.closed === true;
    const d = vectorPath(vs, vectorEdges(vs, closed), closed);
    return (
      <path
        class={shapeClass("vector", selected, hover)}
        d={d}
        stroke-linejoin="round"
        stroke-linecap="round"
        {...strokeAttrs(style, selected, hover, closed)}
      />
    );
  },
};

// the names polygon.tsx uses, for callers that treat both point shapes alike
export { insertVectorVertex as insertVertex, deleteVectorVertex as deleteVertex };
