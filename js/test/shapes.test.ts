// Shape utils: the registry, rectangles and ellipses (geometry in percent, handles in px), and that no util
// ever returns NaN/Infinity. Polygons, vectors and keypoints: shapes-points.test.ts; render: shapes-render.test.ts.
import { describe, expect, it } from "vitest";
import { SHAPES, shapeUtil } from "../src/controls/shapes";
import { ellipse, ellipseFromDrag, ellipsePx } from "../src/controls/shapes/ellipse";
import { boxInside, boxOf, rectCorners, rectCenter } from "../src/controls/shapes/geometry";
import { rectangle, rectangleFromDrag, rectPx } from "../src/controls/shapes/rectangle";
import type { Pt } from "../src/controls/shapes/types";
import type { Json } from "../src/state/document";

// a non-square image: width% and height% have different px scales
const SIZE = { width: 200, height: 100 };

const closePt = (a: Pt, b: Pt, digits = 6) => {
  expect(a.x).toBeCloseTo(b.x, digits);
  expect(a.y).toBeCloseTo(b.y, digits);
};

const corners = (g: Json) => rectCorners(rectPx(g, SIZE));

/** Every number in a value (deeply), for the NaN checks. */
function numbers(v: unknown, out: number[] = []): number[] {
  if (typeof v === "number") out.push(v);
  else if (Array.isArray(v)) for (const x of v) numbers(x, out);
  else if (v && typeof v === "object") for (const x of Object.values(v)) numbers(x, out);
  return out;
}
const allFinite = (v: unknown) => numbers(v).every(Number.isFinite);

/** The keys a util writes (it keeps every other key as it came). */
const OWNED: Record<string, string[]> = {
  rectangle: ["x", "y", "width", "height", "rotation"],
  ellipse: ["x", "y", "radiusX", "radiusY", "rotation"],
  polygon: ["points"],
  keypoint: ["x", "y", "width"],
  vector: ["vertices"],
};
const owned = (kind: string, g: Json) => Object.fromEntries((OWNED[kind] ?? []).map((k) => [k, g[k]]));

describe("registry", () => {
  it("has one util per image region kind", () => {
    expect(Object.keys(SHAPES).sort()).toEqual(["ellipse", "keypoint", "polygon", "rectangle", "vector"]);
    for (const [kind, util] of Object.entries(SHAPES)) {
      expect(util.kind).toBe(kind);
      expect(shapeUtil(kind)).toBe(util);
    }
    expect(shapeUtil("brush")).toBeUndefined();
    expect(shapeUtil("span")).toBeUndefined();
    expect(shapeUtil("toString")).toBeUndefined();
  });
});

describe("rectangle", () => {
  it("rectangleFromDrag: normalised, rotation 0, in percent", () => {
    expect(rectangleFromDrag({ x: 20, y: 10 }, { x: 120, y: 60 }, SIZE)).toEqual({ x: 10, y: 10, width: 50, height: 50, rotation: 0 });
    // dragged up-left: the same box
    expect(rectangleFromDrag({ x: 120, y: 60 }, { x: 20, y: 10 }, SIZE)).toEqual({ x: 10, y: 10, width: 50, height: 50, rotation: 0 });
    // past the border: clamped into the image
    expect(rectangleFromDrag({ x: 150, y: 50 }, { x: 500, y: -40 }, SIZE)).toEqual({ x: 75, y: 0, width: 25, height: 50, rotation: 0 });
    // full float precision
    const g = rectangleFromDrag({ x: 1 / 3, y: 0 }, { x: 2, y: 1 }, SIZE);
    expect(g.x).toBe((1 / 3 / 200) * 100);
  });

  it("rectangleFromDrag with keepRatio: a square in px, as large as fits", () => {
    const g = rectangleFromDrag({ x: 20, y: 10 }, { x: 60, y: 30 }, SIZE, true);
    const r = rectPx(g, SIZE);
    expect(r.w).toBeCloseTo(40, 9);
    expect(r.h).toBeCloseTo(40, 9);
    expect(g.width).toBeCloseTo(20, 9); // 40 px of 200
    expect(g.height).toBeCloseTo(40, 9); // 40 px of 100
    // towards the bottom edge: stops at it
    const s = rectPx(rectangleFromDrag({ x: 20, y: 80 }, { x: 100, y: 95 }, SIZE, true), SIZE);
    expect(s.w).toBeCloseTo(20, 9);
    expect(s.h).toBeCloseTo(20, 9);
    // up-left
    const t = rectangleFromDrag({ x: 100, y: 50 }, { x: 90, y: 20 }, SIZE, true);
    expect(rectPx(t, SIZE)).toMatchObject({ x: 70, y: 20, w: 30, h: 30 });
  });

  it("a zero-size drag gives a zero-size box, not NaN", () => {
    const g = rectangleFromDrag({ x: 10, y: 10 }, { x: 10, y: 10 }, SIZE, true);
    expect(g).toEqual({ x: 5, y: 10, width: 0, height: 0, rotation: 0 });
  });

  it("bounds and center of a rotated rectangle", () => {
    const g = { x: 50, y: 20, width: 20, height: 30, rotation: 90 }; // 40 x 30 px at (100, 20)
    const b = rectangle.bounds(g, SIZE);
    expect(b.minX).toBeCloseTo(70, 9);
    expect(b.maxX).toBeCloseTo(100, 9);
    expect(b.minY).toBeCloseTo(20, 9);
    expect(b.maxY).toBeCloseTo(60, 9);
    closePt(rectangle.center(g, SIZE), { x: 85, y: 40 });
  });

  it("hit test: inside, outside, near the edges, rotated", () => {
    const g = { x: 10, y: 10, width: 20, height: 40, rotation: 0 }; // (20,10) 40 x 40 px
    expect(rectangle.hitTest(g, { x: 40, y: 30 }, SIZE, 0)).toBe(true);
    expect(rectangle.hitTest(g, { x: 100, y: 30 }, SIZE, 0)).toBe(false);
    expect(rectangle.hitTest(g, { x: 62, y: 30 }, SIZE, 0)).toBe(false);
    expect(rectangle.hitTest(g, { x: 62, y: 30 }, SIZE, 3)).toBe(true);
    expect(rectangle.hitTest(g, { x: 40, y: 7.5 }, SIZE, 3)).toBe(true);
    // rotated 45° about its top-left (20,10): the diamond's tip points down
    const rot = { ...g, rotation: 45 };
    const tip = corners(rot)[3]!; // bottom-left before rotation, now left of the start
    expect(rectangle.hitTest(rot, { x: 20, y: 50 }, SIZE, 0)).toBe(true); // on the diagonal, inside
    expect(rectangle.hitTest(rot, { x: 55, y: 15 }, SIZE, 0)).toBe(false); // inside the unrotated box, outside the rotated
    expect(rectangle.hitTest(rot, { x: tip.x + 0.5, y: tip.y }, SIZE, 0)).toBe(true);
    expect(rectangle.hitTest(rot, { x: tip.x - 2, y: tip.y }, SIZE, 0)).toBe(false);
    expect(rectangle.hitTest(rot, { x: tip.x - 2, y: tip.y }, SIZE, 3)).toBe(true);
  });

  it("handles: 4 corners, 4 edges, and rotate when allowed, at the rotated positions", () => {
    const g = { x: 20, y: 20, width: 30, height: 40, rotation: 30 };
    const hs = rectangle.handles(g, SIZE, false);
    expect(hs.map((h) => h.id)).toEqual(["nw", "ne", "se", "sw", "n", "e", "s", "w"]);
    const c = corners(g);
    closePt(hs[0]!, c[0]!);
    closePt(hs[1]!, c[1]!);
    closePt(hs[2]!, c[2]!);
    closePt(hs[3]!, c[3]!);
    closePt(hs[4]!, { x: (c[0]!.x + c[1]!.x) / 2, y: (c[0]!.y + c[1]!.y) / 2 });
    expect(hs.slice(0, 4).every((h) => h.kind === "corner")).toBe(true);
    expect(hs.slice(4).every((h) => h.kind === "edge")).toBe(true);
    const withRotate = rectangle.handles(g, SIZE, true);
    expect(withRotate).toHaveLength(9);
    expect(withRotate[8]).toMatchObject({ id: "rotate", kind: "rotate" });
  });

  // corners in order nw, ne, se, sw; what stays put when a handle is dragged
  const FIXED: Record<string, number[]> = { nw: [2], ne: [3], se: [0], sw: [1], n: [2, 3], s: [0, 1], e: [0, 3], w: [1, 2] };
  const DRAG: Record<string, Pt> = { nw: { x: -6, y: -4 }, ne: { x: 6, y: -4 }, se: { x: 6, y: 4 }, sw: { x: -6, y: 4 }, n: { x: 0, y: -5 }, s: { x: 0, y: 5 }, e: { x: 7, y: 0 }, w: { x: -7, y: 0 } };

  for (const rotation of [0, 30, 200]) {
    it(`dragging each handle of a rectangle rotated ${rotation}° keeps the opposite side put`, () => {
      const g = { x: 40, y: 40, width: 15, height: 20, rotation }; // 30 x 20 px at (80, 40), inside at every angle here
      expect(boxInside(rectangle.bounds(g, SIZE), SIZE)).toBe(true);
      const before = corners(g);
      const hs = rectangle.handles(g, SIZE, false);
      for (const [id, fixed] of Object.entries(FIXED)) {
        const h = hs.find((x) => x.id === id)!;
        // a small move in the rectangle's own frame, turned to the screen
        const a = (rotation * Math.PI) / 180;
        const d = DRAG[id]!;
        const p = { x: h.x + d.x * Math.cos(a) - d.y * Math.sin(a), y: h.y + d.x * Math.sin(a) + d.y * Math.cos(a) };
        const next = rectangle.dragHandle(g, id, p, SIZE);
        expect(next.rotation).toBeCloseTo(rotation, 9);
        const after = corners(next);
        for (const i of fixed) closePt(after[i]!, before[i]!);
        if (fixed.length === 1) closePt(after[(fixed[0]! + 2) % 4]!, p); // the dragged corner is at the pointer
        expect(next.width as number).toBeGreaterThan(0);
        expect(next.height as number).toBeGreaterThan(0);
      }
    });
  }

  it("an edge handle changes one dimension only", () => {
    const g = { x: 40, y: 35, width: 20, height: 30, rotation: 30 };
    const e = rectangle.handles(g, SIZE, false).find((h) => h.id === "e")!;
    const next = rectangle.dragHandle(g, "e", { x: e.x + 10, y: e.y + 3 }, SIZE);
    expect(next.height).toBeCloseTo(30, 9);
    expect(next.width as number).toBeGreaterThan(20);
  });

  it("dragging a corner past the opposite one flips the box (width, height >= 0)", () => {
    const g = { x: 40, y: 40, width: 10, height: 20, rotation: 0 }; // (80,40) 20 x 20 px
    const next = rectangle.dragHandle(g, "se", { x: 70, y: 30 }, SIZE);
    expect(rectPx(next, SIZE)).toMatchObject({ x: 70, y: 30, w: 10, h: 10 });
  });

  it("Shift keeps the ratio (px) when dragging a corner, the opposite corner put", () => {
    const g = { x: 20, y: 20, width: 20, height: 20, rotation: 0 }; // 40 x 20 px at (40,20)
    const next = rectangle.dragHandle(g, "se", { x: 120, y: 45 }, SIZE, { keepRatio: true });
    const r = rectPx(next, SIZE);
    expect(r.w / r.h).toBeCloseTo(2, 9);
    expect(r.x).toBeCloseTo(40, 9);
    expect(r.y).toBeCloseTo(20, 9);
    expect(r.w).toBeCloseTo(80, 9); // the larger stretch wins
    // a rotated one too
    const rg = { ...g, rotation: 40 };
    const fixed = corners(rg)[0]!;
    const se = rectangle.handles(rg, SIZE, false).find((h) => h.id === "se")!;
    const rn = rectPx(rectangle.dragHandle(rg, "se", { x: se.x + 5, y: se.y + 1 }, SIZE, { keepRatio: true }), SIZE);
    expect(rn.w / rn.h).toBeCloseTo(2, 9);
    closePt(rectCorners(rn)[0]!, fixed);
    // an edge with Shift: the other dimension follows
    const en = rectPx(rectangle.dragHandle(g, "e", { x: 100, y: 30 }, SIZE, { keepRatio: true }), SIZE);
    expect(en.w).toBeCloseTo(60, 9);
    expect(en.h).toBeCloseTo(30, 9);
  });

  it("rotate: the angle from the centre to the pointer, the centre fixed on screen", () => {
    const g = { x: 40, y: 30, width: 20, height: 40, rotation: 0 }; // (80,30) 40 x 40 px, centre (100,50)
    const c = rectangle.center(g, SIZE);
    const right = rectangle.dragHandle(g, "rotate", { x: c.x + 30, y: c.y }, SIZE);
    expect(right.rotation).toBeCloseTo(90, 9);
    closePt(rectangle.center(right, SIZE), c);
    const below = rectangle.dragHandle(g, "rotate", { x: c.x, y: c.y + 30 }, SIZE);
    expect(below.rotation).toBeCloseTo(180, 9);
    closePt(rectangle.center(below, SIZE), c);
    const left = rectangle.dragHandle(g, "rotate", { x: c.x - 30, y: c.y }, SIZE);
    expect(left.rotation).toBeCloseTo(270, 9);
    closePt(rectangle.center(left, SIZE), c);
    // the top-left-anchored value matches: its corners are the old ones turned about the centre
    const turned = corners(right);
    closePt(turned[0]!, { x: 120, y: 30 });
    const up = rectangle.dragHandle(g, "rotate", { x: c.x + 1e-9, y: c.y - 30 }, SIZE);
    const rot = up.rotation as number;
    expect(rot >= 0 && rot < 360).toBe(true);
    expect(Math.min(rot, 360 - rot)).toBeCloseTo(0, 6);
    // the rotate handle is above the top edge: dragging it onto itself changes nothing
    const knob = rectangle.handles(g, SIZE, true).find((h) => h.id === "rotate")!;
    expect(knob.y).toBeLessThan(30);
    expect(rectangle.dragHandle(g, "rotate", knob, SIZE).rotation).toBeCloseTo(0, 9);
    // at the top of the image the knob sits below the rectangle, and dragging it onto itself changes nothing either
    const top = { x: 40, y: 0, width: 20, height: 40, rotation: 0 };
    const low = rectangle.handles(top, SIZE, true).find((h) => h.id === "rotate")!;
    expect(low.y).toBeGreaterThan(40);
    expect(rectangle.dragHandle(top, "rotate", low, SIZE).rotation).toBeCloseTo(0, 9);
    const c2 = rectangle.center(top, SIZE);
    expect(rectangle.dragHandle(top, "rotate", { x: c2.x - 30, y: c2.y }, SIZE).rotation).toBeCloseTo(90, 9);
  });

  it("rotation stops at the image border", () => {
    const g = { x: 0, y: 0, width: 50, height: 10, rotation: 0 }; // 100 x 10 px in the top-left corner
    const c = rectangle.center(g, SIZE);
    const next = rectangle.dragHandle(g, "rotate", { x: c.x + 50, y: c.y }, SIZE); // wants 90°
    expect(boxInside(rectangle.bounds(next, SIZE), SIZE)).toBe(true);
    closePt(rectangle.center(next, SIZE), c);
  });

  it("translate keeps the whole shape inside (rotated corners), unsquashed", () => {
    const g = { x: 50, y: 50, width: 10, height: 20, rotation: 0 };
    expect(rectangle.translate(g, 1000, 1000, SIZE)).toEqual({ x: 90, y: 80, width: 10, height: 20, rotation: 0 });
    expect(rectangle.translate(g, -1000, -1000, SIZE)).toEqual({ x: 0, y: 0, width: 10, height: 20, rotation: 0 });
    expect(rectangle.translate(g, 20, -10, SIZE)).toEqual({ x: 60, y: 40, width: 10, height: 20, rotation: 0 });
    const rot = { ...g, rotation: 45 };
    for (const [dx, dy] of [
      [1000, 0],
      [-1000, 0],
      [0, 1000],
      [0, -1000],
    ] as const) {
      const next = rectangle.translate(rot, dx, dy, SIZE);
      expect(boxInside(rectangle.bounds(next, SIZE), SIZE)).toBe(true);
      expect(next.width).toBe(10);
      expect(next.height).toBe(20);
      expect(next.rotation).toBe(45);
    }
    // other keys are kept
    expect(rectangle.translate({ ...g, rectanglelabels: ["Car"] }, 1, 1, SIZE).rectanglelabels).toEqual(["Car"]);
  });

  it("resizing stops at the border, for rotated rectangles too", () => {
    const g = { x: 50, y: 50, width: 10, height: 20, rotation: 0 };
    expect(rectangle.dragHandle(g, "se", { x: 900, y: 900 }, SIZE)).toEqual({ x: 50, y: 50, width: 50, height: 50, rotation: 0 });
    const rot = { ...g, rotation: 30 };
    const se = rectangle.handles(rot, SIZE, false).find((h) => h.id === "se")!;
    const next = rectangle.dragHandle(rot, "se", { x: se.x + 300, y: se.y + 300 }, SIZE);
    expect(boxInside(rectangle.bounds(next, SIZE), SIZE)).toBe(true);
    closePt(corners(next)[0]!, corners(rot)[0]!);
    expect(rectangle.dragHandle(g, "nope", { x: 1, y: 1 }, SIZE)).toBe(g);
  });

  it("rotation is normalised to [0, 360)", () => {
    const g = { x: 10, y: 10, width: 10, height: 10, rotation: -90 };
    expect(rectangle.translate(g, 0, 0, SIZE).rotation).toBe(270);
    expect(rectangle.translate({ ...g, rotation: 360 }, 0, 0, SIZE).rotation).toBe(0);
  });
});

describe("ellipse", () => {
  it("ellipseFromDrag: the press is the centre, radii |dx|, |dy| in percent of width/height", () => {
    expect(ellipseFromDrag({ x: 100, y: 50 }, { x: 140, y: 30 }, SIZE)).toEqual({ x: 50, y: 50, radiusX: 20, radiusY: 20, rotation: 0 });
    const circle = ellipsePx(ellipseFromDrag({ x: 100, y: 50 }, { x: 110, y: 70 }, SIZE, true), SIZE);
    expect(circle.rx).toBeCloseTo(20, 9);
    expect(circle.ry).toBeCloseTo(20, 9);
    // the radii stop where the ellipse meets the border
    const e = ellipsePx(ellipseFromDrag({ x: 20, y: 50 }, { x: 100, y: 50 }, SIZE), SIZE);
    expect(e.rx).toBeCloseTo(20, 9);
    expect(ellipseFromDrag({ x: 20, y: 20 }, { x: 20, y: 20 }, SIZE)).toEqual({ x: 10, y: 20, radiusX: 0, radiusY: 0, rotation: 0 });
  });

  it("bounds, center, hit test (rotated)", () => {
    const g = { x: 50, y: 50, radiusX: 20, radiusY: 10, rotation: 0 }; // centre (100,50), radii 40 x 10 px
    expect(ellipse.bounds(g, SIZE)).toEqual({ minX: 60, minY: 40, maxX: 140, maxY: 60 });
    expect(ellipse.center(g, SIZE)).toEqual({ x: 100, y: 50 });
    expect(ellipse.hitTest(g, { x: 135, y: 50 }, SIZE, 0)).toBe(true);
    expect(ellipse.hitTest(g, { x: 100, y: 58 }, SIZE, 0)).toBe(true);
    expect(ellipse.hitTest(g, { x: 135, y: 58 }, SIZE, 0)).toBe(false); // inside the box, outside the ellipse
    expect(ellipse.hitTest(g, { x: 142, y: 50 }, SIZE, 0)).toBe(false);
    expect(ellipse.hitTest(g, { x: 142, y: 50 }, SIZE, 3)).toBe(true);
    const rot = { ...g, rotation: 90 };
    const b = ellipse.bounds(rot, SIZE);
    expect(b.minX).toBeCloseTo(90, 9);
    expect(b.maxY).toBeCloseTo(90, 9);
    expect(ellipse.hitTest(rot, { x: 100, y: 85 }, SIZE, 0)).toBe(true);
    expect(ellipse.hitTest(rot, { x: 130, y: 50 }, SIZE, 0)).toBe(false);
    const r45 = { ...g, rotation: 45 };
    expect(ellipse.hitTest(r45, { x: 120, y: 70 }, SIZE, 0)).toBe(true); // along the turned long axis
    expect(ellipse.hitTest(r45, { x: 120, y: 30 }, SIZE, 0)).toBe(false);
    // degenerate radii: only near the centre
    const dot = { x: 50, y: 50, radiusX: 0, radiusY: 0, rotation: 0 };
    expect(ellipse.hitTest(dot, { x: 101, y: 50 }, SIZE, 2)).toBe(true);
    expect(ellipse.hitTest(dot, { x: 104, y: 50 }, SIZE, 2)).toBe(false);
    expect(ellipse.hitTest(dot, { x: 100, y: 50 }, SIZE, 0)).toBe(true);
    const flat = { x: 50, y: 50, radiusX: 0, radiusY: 10, rotation: 0 }; // a vertical segment
    expect(ellipse.hitTest(flat, { x: 100, y: 58 }, SIZE, 0)).toBe(true);
    expect(ellipse.hitTest(flat, { x: 100, y: 62 }, SIZE, 0)).toBe(false);
  });

  it("handles at the ends of the axes, and rotate", () => {
    const g = { x: 50, y: 50, radiusX: 20, radiusY: 10, rotation: 90 };
    const hs = ellipse.handles(g, SIZE, true);
    expect(hs.map((h) => h.id)).toEqual(["e", "w", "s", "n", "rotate"]);
    closePt(hs[0]!, { x: 100, y: 90 });
    closePt(hs[1]!, { x: 100, y: 10 });
    closePt(hs[2]!, { x: 90, y: 50 });
    closePt(hs[3]!, { x: 110, y: 50 });
    expect(ellipse.handles(g, SIZE, false)).toHaveLength(4);
  });

  it("dragging an axis end keeps the opposite end put", () => {
    for (const rotation of [0, 30]) {
      const g = { x: 50, y: 50, radiusX: 20, radiusY: 10, rotation };
      const hs = ellipse.handles(g, SIZE, false);
      for (const [id, opposite] of [
        ["e", "w"],
        ["w", "e"],
        ["s", "n"],
        ["n", "s"],
      ] as const) {
        const h = hs.find((x) => x.id === id)!;
        const o = hs.find((x) => x.id === opposite)!;
        const c = ellipse.center(g, SIZE);
        const out = { x: h.x + (h.x - c.x) * 0.1, y: h.y + (h.y - c.y) * 0.1 };
        const next = ellipse.dragHandle(g, id, out, SIZE);
        const after = ellipse.handles(next, SIZE, false);
        closePt(after.find((x) => x.id === opposite)!, o);
        closePt(after.find((x) => x.id === id)!, out);
        expect(next.rotation).toBeCloseTo(rotation, 9);
      }
    }
    // Shift: the other radius follows
    const g = { x: 50, y: 50, radiusX: 20, radiusY: 10, rotation: 0 };
    const kept = ellipsePx(ellipse.dragHandle(g, "e", { x: 150, y: 50 }, SIZE, { keepRatio: true }), SIZE);
    expect(kept.rx / kept.ry).toBeCloseTo(4, 9);
  });

  it("rotate about the centre; stops at the border", () => {
    const g = { x: 50, y: 50, radiusX: 10, radiusY: 10, rotation: 0 };
    const next = ellipse.dragHandle(g, "rotate", { x: 150, y: 50 }, SIZE);
    expect(next.rotation).toBeCloseTo(90, 9);
    expect(ellipse.center(next, SIZE)).toEqual({ x: 100, y: 50 });
    const wide = { x: 50, y: 50, radiusX: 40, radiusY: 5, rotation: 0 }; // 160 x 10 px: cannot stand up in 100 px
    const stood = ellipse.dragHandle(wide, "rotate", { x: 190, y: 50 }, SIZE);
    expect(boxInside(ellipse.bounds(stood, SIZE), SIZE)).toBe(true);
    expect(stood.rotation as number).toBeGreaterThan(0);
    expect(stood.rotation as number).toBeLessThan(90);
  });

  it("translate and resize keep it inside", () => {
    const g = { x: 50, y: 50, radiusX: 10, radiusY: 20, rotation: 0 };
    expect(ellipse.translate(g, 1000, 0, SIZE)).toEqual({ x: 90, y: 50, radiusX: 10, radiusY: 20, rotation: 0 });
    const rot = { ...g, rotation: 45 };
    expect(boxInside(ellipse.bounds(ellipse.translate(rot, -1000, 1000, SIZE), SIZE), SIZE)).toBe(true);
    const grown = ellipse.dragHandle(g, "s", { x: 100, y: 500 }, SIZE);
    expect(boxInside(ellipse.bounds(grown, SIZE), SIZE)).toBe(true);
    expect(ellipse.bounds(grown, SIZE).maxY).toBeCloseTo(100, 5);
  });
});

describe("degenerate input never gives NaN", () => {
  const junk: Json[] = [
    {},
    { x: NaN, y: Infinity, width: -5, height: "a", rotation: NaN, radiusX: NaN, radiusY: -Infinity },
    { points: "no", vertices: 3 },
    { points: [[NaN, 1], "x", [1]], closed: true },
    { vertices: [{}, { x: NaN }, null, { id: 4, prevPointId: 4, x: 1, y: 1 }], closed: true },
    { x: 10, y: 10, width: 0, height: 0, rotation: 0, radiusX: 0, radiusY: 0 },
  ];
  const sizes = [SIZE, { width: 0, height: 0 }, { width: NaN, height: 100 }];
  const pts = [{ x: 10, y: 10 }, { x: NaN, y: NaN }, { x: Infinity, y: -Infinity }];

  for (const [kind, util] of Object.entries(SHAPES)) {
    it(kind, () => {
      for (const g of junk)
        for (const size of sizes) {
          expect(allFinite(util.bounds(g, size))).toBe(true);
          expect(allFinite(util.center(g, size))).toBe(true);
          for (const p of pts) {
            expect(typeof util.hitTest(g, p, size, 2)).toBe("boolean");
            expect(allFinite(owned(kind, util.translate(g, p.x, p.y, size)))).toBe(true);
          }
          const hs = util.handles(g, size, true);
          expect(allFinite(hs)).toBe(true);
          for (const h of hs)
            for (const p of pts) expect(allFinite(owned(kind, util.dragHandle(g, h.id, p, size, { keepRatio: true })))).toBe(true);
          const vnode = util.render({ geometry: g, size, style: { stroke: "#000", strokeWidth: 1, fill: "#fff", fillOpacity: 0.2 }, scale: 0, selected: false, hover: true });
          expect(vnode).toBeTruthy();
          expect(JSON.stringify(vnode.props)).not.toMatch(/NaN|Infinity/);
        }
    });
  }

  it("creation helpers", () => {
    for (const size of sizes)
      for (const a of pts)
        for (const b of pts) {
          expect(allFinite(rectangleFromDrag(a, b, size, true))).toBe(true);
          expect(allFinite(rectangleFromDrag(a, b, size, false))).toBe(true);
          expect(allFinite(ellipseFromDrag(a, b, size, true))).toBe(true);
          expect(allFinite(ellipseFromDrag(a, b, size, false))).toBe(true);
        }
    expect(boxOf([])).toEqual({ minX: 0, minY: 0, maxX: 0, maxY: 0 });
    expect(allFinite(rectCenter({ x: 0, y: 0, w: 0, h: 0, rotation: NaN }))).toBe(true);
  });
});
