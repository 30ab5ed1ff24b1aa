// Shape utils of point shapes: polygon, vector (polyline), keypoint.
import { describe, expect, it } from "vitest";
import { boxInside } from "../src/controls/shapes/geometry";
import { keypoint, keypointAt, keypointRadius } from "../src/controls/shapes/keypoint";
import { deleteVertex, insertVertex, polygon, polygonFromPoints } from "../src/controls/shapes/polygon";
import { vector, vectorEdges, vectorFromPoints, vectorPx, vertexIndexOf } from "../src/controls/shapes/vector";
import type { Json } from "../src/state/document";

const SIZE = { width: 200, height: 100 };

describe("polygon", () => {
  const square = { points: [[10, 10], [30, 10], [30, 50], [10, 50]], closed: true }; // (20,10)-(60,50) px

  it("polygonFromPoints: px -> percent, clamped, full precision", () => {
    expect(
      polygonFromPoints(
        [
          { x: 20, y: 10 },
          { x: 60, y: 10 },
          { x: 300, y: -5 },
        ],
        SIZE,
        true,
      ),
    ).toEqual({ points: [[10, 10], [30, 10], [100, 0]], closed: true });
    expect(polygonFromPoints([{ x: 1 / 3, y: 0 }], SIZE, false).points).toEqual([[(1 / 3 / 200) * 100, 0]]);
  });

  it("bounds and center", () => {
    expect(polygon.bounds(square, SIZE)).toEqual({ minX: 20, minY: 10, maxX: 60, maxY: 50 });
    expect(polygon.center(square, SIZE)).toEqual({ x: 40, y: 30 });
  });

  it("hit test: inside, outside, near an edge; an open polygon only near its line", () => {
    expect(polygon.hitTest(square, { x: 40, y: 30 }, SIZE, 0)).toBe(true);
    expect(polygon.hitTest(square, { x: 70, y: 30 }, SIZE, 0)).toBe(false);
    expect(polygon.hitTest(square, { x: 62, y: 30 }, SIZE, 0)).toBe(false);
    expect(polygon.hitTest(square, { x: 62, y: 30 }, SIZE, 3)).toBe(true);
    const open = { ...square, closed: false };
    expect(polygon.hitTest(open, { x: 40, y: 30 }, SIZE, 3)).toBe(false);
    expect(polygon.hitTest(open, { x: 40, y: 11 }, SIZE, 3)).toBe(true);
    expect(polygon.hitTest(open, { x: 21, y: 30 }, SIZE, 3)).toBe(false); // the missing closing edge
    // no `closed` key (older exports): closed
    expect(polygon.hitTest({ points: square.points }, { x: 40, y: 30 }, SIZE, 0)).toBe(true);
    expect(polygon.hitTest({ points: [] }, { x: 0, y: 0 }, SIZE, 5)).toBe(false);
  });

  it("handles: a vertex each, a midpoint per edge (the closing one when closed)", () => {
    const hs = polygon.handles(square, SIZE, true);
    expect(hs.map((h) => h.id)).toEqual(["v:0", "v:1", "v:2", "v:3", "m:0", "m:1", "m:2", "m:3"]);
    expect(hs[4]).toEqual({ id: "m:0", kind: "midpoint", x: 40, y: 10 });
    expect(hs[7]).toEqual({ id: "m:3", kind: "midpoint", x: 20, y: 30 });
    expect(polygon.handles({ ...square, closed: false }, SIZE, false).map((h) => h.id)).toEqual(["v:0", "v:1", "v:2", "v:3", "m:0", "m:1", "m:2"]);
  });

  it("insertVertex after index i; dragHandle m:i does the same", () => {
    const g = insertVertex(square, 0, { x: 40, y: 5 }, SIZE);
    expect(g.points).toEqual([[10, 10], [20, 5], [30, 10], [30, 50], [10, 50]]);
    expect(g.closed).toBe(true);
    const closing = insertVertex(square, 3, { x: 10, y: 30 }, SIZE);
    expect(closing.points).toEqual([[10, 10], [30, 10], [30, 50], [10, 50], [5, 30]]);
    expect(polygon.dragHandle(square, "m:0", { x: 40, y: 5 }, SIZE)).toEqual(g);
    expect(square.points).toHaveLength(4); // not mutated
  });

  it("deleteVertex refuses to leave a closed polygon with fewer than 3 points", () => {
    const g = deleteVertex(square, 1)!;
    expect(g.points).toEqual([[10, 10], [30, 50], [10, 50]]);
    expect(deleteVertex(g, 0)).toBeNull();
    expect(deleteVertex(square, 9)).toBeNull();
    expect(deleteVertex(square, -1)).toBeNull();
    const open = { points: [[1, 1], [2, 2], [3, 3]], closed: false };
    expect(deleteVertex(open, 0)!.points).toEqual([[2, 2], [3, 3]]);
    expect(deleteVertex(deleteVertex(open, 0)!, 0)).toBeNull();
  });

  it("dragHandle v:i moves one vertex, clamped into the image", () => {
    expect(polygon.dragHandle(square, "v:2", { x: 500, y: 80 }, SIZE).points).toEqual([[10, 10], [30, 10], [100, 80], [10, 50]]);
    expect(polygon.dragHandle(square, "v:9", { x: 1, y: 1 }, SIZE)).toBe(square);
  });

  it("translate moves every point; the whole shape stops at the border", () => {
    expect(polygon.translate(square, 20, 10, SIZE).points).toEqual([[20, 20], [40, 20], [40, 60], [20, 60]]);
    const far = polygon.translate(square, 1000, 1000, SIZE);
    expect(far.points).toEqual([[80, 60], [100, 60], [100, 100], [80, 100]]); // not squashed
    expect(boxInside(polygon.bounds(far, SIZE), SIZE)).toBe(true);
    expect(polygon.translate({ ...square, polygonlabels: ["A"] }, 1, 1, SIZE).polygonlabels).toEqual(["A"]);
  });

  it("insertVertex/deleteVertex hand vector geometry to the vector util", () => {
    const v = vectorFromPoints(
      [
        { x: 20, y: 10 },
        { x: 60, y: 10 },
        { x: 60, y: 50 },
      ],
      SIZE,
      false,
    );
    const inserted = insertVertex(v, 0, { x: 40, y: 5 }, SIZE);
    expect((inserted.vertices as Json[]).length).toBe(4);
    expect(inserted.points).toBeUndefined();
    const deleted = deleteVertex(v, 1)!;
    expect((deleted.vertices as Json[]).length).toBe(2);
  });
});

describe("vector", () => {
  const pts = [
    { x: 20, y: 10 },
    { x: 60, y: 10 },
    { x: 60, y: 50 },
    { x: 20, y: 50 },
  ];

  it("vectorFromPoints: ids, each vertex joined to the one before, closed joins first to last", () => {
    const open = vectorFromPoints(pts, SIZE, false);
    const vs = open.vertices as Json[];
    expect(open.closed).toBe(false);
    expect(vs.map((v) => [v.x, v.y])).toEqual([[10, 10], [30, 10], [30, 50], [10, 50]]);
    expect(new Set(vs.map((v) => v.id)).size).toBe(4);
    for (const v of vs) expect(v.id).toMatch(/^[A-Za-z0-9]+$/);
    expect(vs[0]!.prevPointId).toBeUndefined();
    for (let i = 1; i < 4; i++) expect(vs[i]!.prevPointId).toBe(vs[i - 1]!.id);
    const closed = vectorFromPoints(pts, SIZE, true);
    const cs = closed.vertices as Json[];
    expect(closed.closed).toBe(true);
    expect(cs[0]!.prevPointId).toBe(cs[3]!.id);
  });

  it("lines: prevPointId, else the vertex before; closed without a line into the first: closed from the last", () => {
    const plain = { vertices: [{ x: 10, y: 10 }, { x: 30, y: 10 }, { x: 30, y: 50 }], closed: false };
    expect(vectorEdges(vectorPx(plain, SIZE), false)).toEqual([
      { from: 0, to: 1 },
      { from: 1, to: 2 },
    ]);
    expect(vectorEdges(vectorPx({ ...plain, closed: true }, SIZE), true)).toContainEqual({ from: 2, to: 0 });
    // a skeleton: b and c both hang from a
    const skeleton = {
      vertices: [
        { id: "a", x: 10, y: 10 },
        { id: "b", x: 30, y: 10, prevPointId: "a" },
        { id: "c", x: 10, y: 50, prevPointId: "a" },
      ],
      closed: false,
    };
    expect(vectorEdges(vectorPx(skeleton, SIZE), false)).toEqual([
      { from: 0, to: 1 },
      { from: 0, to: 2 },
    ]);
    // a dangling prevPointId draws nothing (as Label Studio)
    expect(vectorEdges(vectorPx({ vertices: [{ id: "a", x: 1, y: 1 }, { id: "b", x: 2, y: 2, prevPointId: "zz" }] }, SIZE), false)).toEqual([]);
  });

  it("hit test: near the polyline; inside only when closed", () => {
    const open = vectorFromPoints(pts, SIZE, false);
    expect(vector.hitTest(open, { x: 40, y: 11 }, SIZE, 3)).toBe(true);
    expect(vector.hitTest(open, { x: 40, y: 30 }, SIZE, 3)).toBe(false);
    expect(vector.hitTest(open, { x: 21, y: 30 }, SIZE, 3)).toBe(false); // no closing line
    expect(vector.hitTest(open, { x: 100, y: 90 }, SIZE, 3)).toBe(false);
    const closed = vectorFromPoints(pts, SIZE, true);
    expect(vector.hitTest(closed, { x: 40, y: 30 }, SIZE, 0)).toBe(true);
    expect(vector.hitTest(closed, { x: 21, y: 30 }, SIZE, 3)).toBe(true);
    expect(vector.hitTest(closed, { x: 70, y: 30 }, SIZE, 3)).toBe(false);
    // a single vertex: near it
    const dot = vectorFromPoints([{ x: 50, y: 50 }], SIZE, false);
    expect(vector.hitTest(dot, { x: 52, y: 50 }, SIZE, 3)).toBe(true);
    expect(vector.hitTest(dot, { x: 60, y: 50 }, SIZE, 3)).toBe(false);
  });

  it("handles v:<id> and midpoints m:i; dragging a vertex keeps every id", () => {
    const g = vectorFromPoints(pts, SIZE, true);
    const vs = g.vertices as Json[];
    const hs = vector.handles(g, SIZE, false);
    expect(hs.filter((h) => h.kind === "vertex").map((h) => h.id)).toEqual(vs.map((v) => `v:${v.id as string}`));
    expect(hs.filter((h) => h.kind === "midpoint").map((h) => h.id).sort()).toEqual(["m:0", "m:1", "m:2", "m:3"]);
    expect(hs.find((h) => h.id === "m:3")).toMatchObject({ x: 20, y: 30 });
    const moved = vector.dragHandle(g, `v:${vs[2]!.id as string}`, { x: 80, y: 60 }, SIZE);
    const ms = moved.vertices as Json[];
    expect(ms.map((v) => v.id)).toEqual(vs.map((v) => v.id));
    expect(ms.map((v) => v.prevPointId)).toEqual(vs.map((v) => v.prevPointId));
    expect([ms[2]!.x, ms[2]!.y]).toEqual([40, 60]);
    expect(vector.handles(vectorFromPoints(pts, SIZE, false), SIZE, false).filter((h) => h.kind === "midpoint")).toHaveLength(3);
    expect(vector.dragHandle(g, "v:nope", { x: 1, y: 1 }, SIZE)).toBe(g);
  });

  it("insert after i: a new id joined to vertex i, the next vertex joined to it", () => {
    const g = vectorFromPoints(pts, SIZE, true);
    const vs = g.vertices as Json[];
    const next = insertVertex(g, 1, { x: 70, y: 30 }, SIZE);
    const ns = next.vertices as Json[];
    expect(ns).toHaveLength(5);
    const w = ns[2]!;
    expect([w.x, w.y]).toEqual([35, 30]);
    expect(vs.map((v) => v.id)).not.toContain(w.id);
    expect(w.prevPointId).toBe(vs[1]!.id);
    expect(ns[3]!.prevPointId).toBe(w.id);
    // what the edit tool does next: the handle after i is the new vertex
    expect(vertexIndexOf(next, w.id as string)).toBe(2);
    // on the closing line: appended, and the first vertex now hangs from it
    const closing = insertVertex(g, 3, { x: 10, y: 30 }, SIZE);
    const cs = closing.vertices as Json[];
    expect(cs[4]!.prevPointId).toBe(vs[3]!.id);
    expect(cs[0]!.prevPointId).toBe(cs[4]!.id);
    expect(vector.hitTest(closing, { x: 40, y: 30 }, SIZE, 0)).toBe(true);
    // dragHandle m:i
    expect((vector.dragHandle(g, "m:1", { x: 70, y: 30 }, SIZE).vertices as Json[]).length).toBe(5);
  });

  it("delete: the vertices joined to it are joined to its previous one; minimum 3 closed, 2 open", () => {
    const g = vectorFromPoints(pts, SIZE, true);
    const vs = g.vertices as Json[];
    const d = deleteVertex(g, 1)!;
    const ds = d.vertices as Json[];
    expect(ds.map((v) => v.id)).toEqual([vs[0]!.id, vs[2]!.id, vs[3]!.id]);
    expect(ds[1]!.prevPointId).toBe(vs[0]!.id);
    expect(deleteVertex(d, 0)).toBeNull();
    // deleting the first of a closed vector keeps it closed
    const first = deleteVertex(g, 0)!;
    const fs = first.vertices as Json[];
    expect(fs[0]!.prevPointId).toBe(vs[3]!.id);
    expect(vector.hitTest(first, { x: 50, y: 30 }, SIZE, 0)).toBe(true);
    const open = vectorFromPoints(pts.slice(0, 2), SIZE, false);
    expect(deleteVertex(open, 0)).toBeNull();
    expect(deleteVertex(g, 7)).toBeNull();
    // implicit joins (no prevPointId) stay right
    const plain = { vertices: [{ id: "a", x: 10, y: 10 }, { id: "b", x: 30, y: 10, prevPointId: "x" }, { id: "c", x: 30, y: 50 }, { id: "x", x: 0, y: 0 }], closed: false };
    const pd = deleteVertex(plain, 1)!;
    expect((pd.vertices as Json[])[1]).toEqual({ id: "c", x: 30, y: 50, prevPointId: "x" });
  });

  it("translate moves vertices and Bezier control points, ids kept; stops at the border", () => {
    const g = {
      vertices: [
        { id: "p1", x: 10, y: 10, isBezier: false },
        { id: "p2", x: 30, y: 30, prevPointId: "p1", isBezier: true, controlPoint1: { x: 20, y: 40 }, controlPoint2: { x: 40, y: 20 } },
        { id: "p3", x: 50, y: 10, prevPointId: "p2" },
      ],
      closed: false,
      vectorlabels: ["Road"],
    };
    const t = vector.translate(g, 20, 10, SIZE);
    const ts = t.vertices as Json[];
    expect(ts.map((v) => v.id)).toEqual(["p1", "p2", "p3"]);
    expect(ts[1]).toMatchObject({ x: 40, y: 40, controlPoint1: { x: 30, y: 50 }, controlPoint2: { x: 50, y: 30 } });
    expect(t.vectorlabels).toEqual(["Road"]);
    const far = vector.translate(g, 1000, 1000, SIZE);
    expect(boxInside(vector.bounds(far, SIZE), SIZE)).toBe(true);
    expect((far.vertices as Json[])[2]).toMatchObject({ x: 100 });
    // a curve is drawn as one
    const d = (vector.render({ geometry: g, size: SIZE, style: { stroke: "#000", strokeWidth: 1, fill: "#fff", fillOpacity: 0.2 }, scale: 1, selected: false, hover: false }).props as Json).d as string;
    expect(d).toMatch(/^M20 10 C/);
  });

  it("vertices without ids get index handles", () => {
    const g = { vertices: [{ x: 10, y: 10 }, { x: 30, y: 10 }], closed: false };
    const hs = vector.handles(g, SIZE, false);
    expect(hs.map((h) => h.id)).toEqual(["v:0", "v:1", "m:0"]);
    expect((vector.dragHandle(g, "v:1", { x: 100, y: 50 }, SIZE).vertices as Json[])[1]).toEqual({ x: 50, y: 50 });
  });
});

describe("keypoint", () => {
  it("keypointAt, bounds, center, hit", () => {
    const g = keypointAt({ x: 100, y: 50 }, SIZE, 2); // radius 4 px
    expect(g).toEqual({ x: 50, y: 50, width: 2 });
    expect(keypoint.center(g, SIZE)).toEqual({ x: 100, y: 50 });
    expect(keypoint.bounds(g, SIZE)).toEqual({ minX: 96, minY: 46, maxX: 104, maxY: 54 });
    expect(keypoint.hitTest(g, { x: 103, y: 50 }, SIZE, 0)).toBe(true);
    expect(keypoint.hitTest(g, { x: 106, y: 50 }, SIZE, 0)).toBe(false);
    expect(keypoint.hitTest(g, { x: 106, y: 50 }, SIZE, 3)).toBe(true);
    expect(keypointAt({ x: -5, y: 500 }, SIZE, 0.5)).toEqual({ x: 0, y: 100, width: 0.5 });
  });

  it("one handle c; drag and translate keep the point inside", () => {
    const g = { x: 50, y: 50, width: 1, keypointlabels: ["Eye"] };
    expect(keypoint.handles(g, SIZE, true)).toEqual([{ id: "c", kind: "vertex", x: 100, y: 50 }]);
    expect(keypoint.dragHandle(g, "c", { x: 150, y: 25 }, SIZE)).toEqual({ x: 75, y: 25, width: 1, keypointlabels: ["Eye"] });
    expect(keypoint.translate(g, 1000, -1000, SIZE)).toEqual({ x: 100, y: 0, width: 1, keypointlabels: ["Eye"] });
  });

  it("is never drawn smaller than 3 screen px", () => {
    const g = { x: 50, y: 50, width: 0.5 }; // 1 px radius
    expect(keypointRadius(g, SIZE, 1)).toBe(3);
    expect(keypointRadius(g, SIZE, 0.5)).toBe(6);
    expect(keypointRadius(g, SIZE, 10)).toBe(1);
    expect(keypointRadius(g, SIZE, 0)).toBe(3);
    expect(keypointRadius(g, SIZE, NaN)).toBe(3);
  });
});
