// The plane geometry the shape utils share (js/src/controls/shapes/geometry.ts).
import { describe, expect, it } from "vitest";
import {
  boxInside,
  boxOf,
  clamp,
  clampDelta,
  clampPt,
  clampRectMove,
  dist,
  distToPolyline,
  distToSegment,
  largestFit,
  normDeg,
  num,
  pctToPx,
  pointInEdges,
  pointInPolygon,
  pxToPct,
  randomId,
  rectCenter,
  rectCorners,
  rotatePt,
  shapeClass,
  strokeAttrs,
  toPercent,
  toPx,
} from "../src/controls/shapes/geometry";

const close = (a: number, b: number, digits = 9) => expect(a).toBeCloseTo(b, digits);
const closePt = (a: { x: number; y: number }, b: { x: number; y: number }, digits = 9) => {
  close(a.x, b.x, digits);
  close(a.y, b.y, digits);
};

describe("numbers", () => {
  it("num keeps finite numbers and replaces the rest", () => {
    expect(num(1.5)).toBe(1.5);
    expect(num(NaN)).toBe(0);
    expect(num(Infinity, 7)).toBe(7);
    expect(num("3")).toBe(0);
    expect(num(undefined, 2)).toBe(2);
  });

  it("clamp", () => {
    expect(clamp(5, 0, 10)).toBe(5);
    expect(clamp(-1, 0, 10)).toBe(0);
    expect(clamp(11, 0, 10)).toBe(10);
    expect(clamp(NaN, 0, 10)).toBe(0);
    expect(clamp(3, 5, 1)).toBe(5);
  });

  it("normDeg gives [0, 360)", () => {
    expect(normDeg(0)).toBe(0);
    expect(normDeg(360)).toBe(0);
    expect(normDeg(720)).toBe(0);
    expect(normDeg(-30)).toBe(330);
    expect(normDeg(400.5)).toBeCloseTo(40.5, 12);
    expect(normDeg(-1e-15)).toBeGreaterThanOrEqual(0);
    expect(normDeg(-1e-15)).toBeLessThan(360);
    expect(normDeg(NaN)).toBe(0);
  });

  it("percent <-> px, full precision, zero extent safe", () => {
    expect(toPx(12.345678901234, 1000)).toBeCloseTo(123.45678901234, 10);
    expect(toPercent(123.45678901234, 1000)).toBeCloseTo(12.345678901234, 10);
    expect(toPercent(5, 0)).toBe(0);
    expect(toPx(50, 0)).toBe(0);
    expect(toPx(NaN, 100)).toBe(0);
    expect(pctToPx(50, 25, { width: 200, height: 100 })).toEqual({ x: 100, y: 25 });
    expect(pxToPct({ x: 300, y: -5 }, { width: 200, height: 100 })).toEqual({ x: 100, y: 0 });
    expect(clampPt({ x: -1, y: 1e9 }, { width: 200, height: 100 })).toEqual({ x: 0, y: 100 });
  });
});

describe("rotation and distances", () => {
  it("rotates clockwise on screen (y down)", () => {
    closePt(rotatePt({ x: 1, y: 0 }, 90), { x: 0, y: 1 });
    closePt(rotatePt({ x: 2, y: 1 }, 180, { x: 1, y: 1 }), { x: 0, y: 1 });
    closePt(rotatePt({ x: 1, y: 0 }, -90), { x: 0, y: -1 });
  });

  it("distance to a segment", () => {
    const a = { x: 0, y: 0 };
    const b = { x: 10, y: 0 };
    expect(distToSegment({ x: 5, y: 3 }, a, b)).toBeCloseTo(3, 12);
    expect(distToSegment({ x: -3, y: 4 }, a, b)).toBeCloseTo(5, 12);
    expect(distToSegment({ x: 13, y: 4 }, a, b)).toBeCloseTo(5, 12);
    expect(distToSegment({ x: 3, y: 4 }, a, a)).toBeCloseTo(5, 12); // degenerate: a point
    expect(distToPolyline({ x: 5, y: 5 }, [a, b, { x: 10, y: 10 }], false)).toBeCloseTo(5, 12);
    expect(distToPolyline({ x: 5, y: 5.5 }, [a, b, { x: 10, y: 10 }], true)).toBeLessThan(1);
    expect(distToPolyline({ x: 5, y: 5.5 }, [a, b, { x: 10, y: 10 }], false)).toBeCloseTo(5, 12);
    expect(dist({ x: 0, y: 0 }, { x: 3, y: 4 })).toBe(5);
  });

  it("point in polygon, even-odd", () => {
    const square = [
      { x: 0, y: 0 },
      { x: 10, y: 0 },
      { x: 10, y: 10 },
      { x: 0, y: 10 },
    ];
    expect(pointInPolygon({ x: 5, y: 5 }, square)).toBe(true);
    expect(pointInPolygon({ x: 15, y: 5 }, square)).toBe(false);
    expect(pointInPolygon({ x: -0.1, y: 5 }, square)).toBe(false);
    // concave "U"
    const u = [
      { x: 0, y: 0 },
      { x: 3, y: 0 },
      { x: 3, y: 7 },
      { x: 7, y: 7 },
      { x: 7, y: 0 },
      { x: 10, y: 0 },
      { x: 10, y: 10 },
      { x: 0, y: 10 },
    ];
    expect(pointInPolygon({ x: 5, y: 3 }, u)).toBe(false);
    expect(pointInPolygon({ x: 5, y: 8 }, u)).toBe(true);
    // a pentagram: the centre is outside under the even-odd rule
    const star = [0, 2, 4, 1, 3].map((k) => ({ x: Math.sin((k * 2 * Math.PI) / 5) * 10, y: -Math.cos((k * 2 * Math.PI) / 5) * 10 }));
    expect(pointInPolygon({ x: 0, y: 0 }, star)).toBe(false);
    expect(pointInPolygon({ x: 0, y: -8 }, star)).toBe(true);
    expect(pointInPolygon({ x: 0, y: 0 }, square.slice(0, 2))).toBe(false);
    // the same square as unordered edges
    const edges = square.map((p, i) => [p, square[(i + 1) % 4]!] as const).reverse();
    expect(pointInEdges({ x: 5, y: 5 }, edges)).toBe(true);
    expect(pointInEdges({ x: 11, y: 5 }, edges)).toBe(false);
  });
});

describe("boxes and clamping", () => {
  const size = { width: 200, height: 100 };

  it("boxOf", () => {
    expect(boxOf([])).toEqual({ minX: 0, minY: 0, maxX: 0, maxY: 0 });
    expect(boxOf([{ x: 3, y: 1 }, { x: -1, y: 5 }])).toEqual({ minX: -1, minY: 1, maxX: 3, maxY: 5 });
  });

  it("clampDelta stops the whole shape at the border", () => {
    const b = { minX: 10, minY: 10, maxX: 50, maxY: 30 };
    expect(clampDelta(b, 5, 5, size)).toEqual({ dx: 5, dy: 5 });
    expect(clampDelta(b, -100, 0, size)).toEqual({ dx: -10, dy: 0 });
    expect(clampDelta(b, 1000, 1000, size)).toEqual({ dx: 150, dy: 70 });
    // larger than the image along x: it does not move along x
    expect(clampDelta({ minX: -10, minY: 0, maxX: 210, maxY: 10 }, 5, 5, size)).toEqual({ dx: 0, dy: 5 });
    // already out on the left: may come back in, not go further out
    expect(clampDelta({ minX: -10, minY: 0, maxX: 20, maxY: 10 }, -5, 0, size).dx).toBe(0);
    expect(clampDelta({ minX: -10, minY: 0, maxX: 20, maxY: 10 }, 30, 0, size).dx).toBe(30);
    expect(clampDelta(b, NaN, Infinity, size)).toEqual({ dx: 0, dy: 0 });
  });

  it("rotated rectangle corners match the Label Studio SDK formula", () => {
    // SDK converter/utils.py::convert_annotation_to_yolo_obb, in px
    const sdk = (x: number, y: number, w: number, h: number, deg: number) => {
      const r = (deg * Math.PI) / 180;
      const cos = Math.cos(r);
      const sin = Math.sin(r);
      return [
        [x, y],
        [x + w * cos, y + w * sin],
        [x + w * cos - h * sin, y + w * sin + h * cos],
        [x - h * sin, y + h * cos],
      ];
    };
    for (const deg of [0, 15, 30, 45, 90, 135, 180, 270, 359.5]) {
      const r = { x: 40, y: 20, w: 60, h: 30, rotation: deg };
      const got = rectCorners(r).map((p) => [p.x, p.y]);
      const want = sdk(40, 20, 60, 30, deg);
      for (let i = 0; i < 4; i++) {
        close(got[i]![0]!, want[i]![0]!, 10);
        close(got[i]![1]!, want[i]![1]!, 10);
      }
      // the centre is the mean of the corners
      const c = rectCenter(r);
      close(c.x, (want[0]![0]! + want[2]![0]!) / 2);
      close(c.y, (want[0]![1]! + want[2]![1]!) / 2);
    }
    // unrotated: the plain box
    expect(rectCorners({ x: 1, y: 2, w: 3, h: 4, rotation: 0 })).toEqual([
      { x: 1, y: 2 },
      { x: 4, y: 2 },
      { x: 4, y: 6 },
      { x: 1, y: 6 },
    ]);
  });

  it("clampRectMove uses the rotated corners", () => {
    const r = { x: 100, y: 20, w: 60, h: 30, rotation: 45 };
    const moved = clampRectMove(r, 1000, 1000, size);
    const b = boxOf(rectCorners(moved));
    expect(boxInside(b, size)).toBe(true);
    close(b.maxX, 200);
    close(b.maxY, 100);
    const back = clampRectMove(r, -1000, -1000, size);
    const bb = boxOf(rectCorners(back));
    close(bb.minX, 0);
    close(bb.minY, 0);
    expect(back.w).toBe(60); // not squashed
    expect(back.rotation).toBe(45);
  });

  it("largestFit bisects to the border", () => {
    expect(largestFit(() => true)).toBe(1);
    expect(largestFit((t) => t <= 0.3)).toBeCloseTo(0.3, 6);
    expect(largestFit(() => false)).toBe(0);
  });
});

describe("ids and styles", () => {
  it("randomId: short, alphanumeric, different each time", () => {
    const ids = new Set(Array.from({ length: 200 }, () => randomId()));
    expect(ids.size).toBe(200);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9]{10}$/);
    expect(randomId(4)).toHaveLength(4);
  });

  it("shapeClass and strokeAttrs", () => {
    expect(shapeClass("polygon", false, false)).toBe("lnb-shape lnb-shape-polygon");
    expect(shapeClass("polygon", true, true)).toBe("lnb-shape lnb-shape-polygon lnb-selected lnb-hover");
    const style = { stroke: "#f00", strokeWidth: 2, fill: "#0f0", fillOpacity: 0.2 };
    expect(strokeAttrs(style, false, false)).toEqual({
      stroke: "#f00",
      "stroke-width": 2,
      fill: "#0f0",
      "fill-opacity": 0.2,
      "vector-effect": "non-scaling-stroke",
    });
    expect(strokeAttrs(style, true, false)["stroke-width"]).toBe(3);
    const hover = strokeAttrs(style, false, true);
    expect(hover["stroke-width"]).toBe(3);
    expect(hover["fill-opacity"] as number).toBeGreaterThan(0.2);
    expect(strokeAttrs({ ...style, fillOpacity: 0.95 }, false, true)["fill-opacity"]).toBe(1);
    expect(strokeAttrs(style, false, false, false).fill).toBe("none");
    expect(strokeAttrs({ ...style, strokeWidth: NaN, fillOpacity: NaN }, false, false)["stroke-width"]).toBe(1);
  });
});
