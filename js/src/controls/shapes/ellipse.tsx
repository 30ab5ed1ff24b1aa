// Ellipse (Ellipse / EllipseLabels): value {x, y, radiusX, radiusY, rotation}; x, y = the centre in percent;
// radiusX in percent of the image width, radiusY in percent of its height; rotation in degrees, clockwise
// (y down), about the centre (reference B.4).

import type { Json } from "../../state/document";
import {
  DEG,
  boxInside,
  clampDelta,
  clampPercent,
  clampPt,
  largestFit,
  normDeg,
  num,
  safePt,
  safeSize,
  shapeClass,
  strokeAttrs,
  toPercent,
  toPx,
} from "./geometry";
import type { Box, DragOptions, Handle, Pt, RenderProps, ShapeUtil, Size } from "./types";

/** An ellipse in px: centre, radii along its own axes, rotation in degrees clockwise. */
export interface EllipsePx {
  cx: number;
  cy: number;
  rx: number;
  ry: number;
  rotation: number;
}

export function ellipsePx(g: Json, size: Size): EllipsePx {
  const s = safeSize(size);
  return {
    cx: toPx(num(g.x), s.width),
    cy: toPx(num(g.y), s.height),
    rx: Math.abs(toPx(num(g.radiusX), s.width)),
    ry: Math.abs(toPx(num(g.radiusY), s.height)),
    rotation: normDeg(num(g.rotation)),
  };
}

/** The value of a px ellipse, in percent clamped into 0..100, other keys kept. */
export function ellipseValue(g: Json, e: EllipsePx, size: Size): Json {
  const s = safeSize(size);
  return {
    ...g,
    x: clampPercent(toPercent(e.cx, s.width)),
    y: clampPercent(toPercent(e.cy, s.height)),
    radiusX: clampPercent(toPercent(Math.abs(e.rx), s.width)),
    radiusY: clampPercent(toPercent(Math.abs(e.ry), s.height)),
    rotation: normDeg(e.rotation),
  };
}

/** The axis-aligned bounds of a rotated ellipse. */
export function ellipseBox(e: EllipsePx): Box {
  const a = e.rotation * DEG;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  const hx = Math.hypot(e.rx * cos, e.ry * sin);
  const hy = Math.hypot(e.rx * sin, e.ry * cos);
  return { minX: e.cx - hx, minY: e.cy - hy, maxX: e.cx + hx, maxY: e.cy + hy };
}

const fits = (e: EllipsePx, size: Size) => boxInside(ellipseBox(e), size);

/**
 * The ellipse of a drag as Label Studio draws it: the press is the centre, the radii are |dx| and |dy| (px);
 * `keepRatio` (Shift): a circle. The radii stop where the ellipse meets the image border.
 */
export function ellipseFromDrag(center: Pt, edge: Pt, size: Size, keepRatio = false): Json {
  const s = safeSize(size);
  const c = clampPt(safePt(center), s);
  const q = safePt(edge);
  let rx = Math.abs(q.x - c.x);
  let ry = Math.abs(q.y - c.y);
  const roomX = Math.min(c.x, s.width - c.x);
  const roomY = Math.min(c.y, s.height - c.y);
  if (keepRatio) {
    rx = ry = Math.min(Math.max(rx, ry), roomX, roomY);
  } else {
    rx = Math.min(rx, roomX);
    ry = Math.min(ry, roomY);
  }
  return ellipseValue({}, { cx: c.x, cy: c.y, rx, ry, rotation: 0 }, s);
}

function axes(e: EllipsePx): { u: Pt; v: Pt } {
  const a = e.rotation * DEG;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  return { u: { x: cos, y: sin }, v: { x: -sin, y: cos } };
}

/** How far the rotation knob sits beyond the top of the ellipse, in natural px. */
function knobOffset(size: Size): number {
  const s = safeSize(size);
  return Math.max(1, 0.04 * Math.min(s.width, s.height));
}

function knob(e: EllipsePx, size: Size): { at: Pt; above: boolean } {
  const { v } = axes(e);
  const d = e.ry + knobOffset(size);
  const s = safeSize(size);
  const above = { x: e.cx - v.x * d, y: e.cy - v.y * d };
  if (above.x >= 0 && above.y >= 0 && above.x <= s.width && above.y <= s.height) return { at: above, above: true };
  return { at: { x: e.cx + v.x * d, y: e.cy + v.y * d }, above: false };
}

/** The handle ids at the ends of the axes and which end they are: along u (x) or v (y), +1 or -1. */
const ENDS: Record<string, { axis: "u" | "v"; sign: 1 | -1 }> = {
  e: { axis: "u", sign: 1 },
  w: { axis: "u", sign: -1 },
  s: { axis: "v", sign: 1 },
  n: { axis: "v", sign: -1 },
};

/** The ellipse with the end of an axis dragged to local coordinate `t` along it (the opposite end fixed). */
function stretched(e: EllipsePx, id: string, t: number, keepRatio: boolean): EllipsePx {
  const end = ENDS[id];
  if (!end) return e;
  const { u, v } = axes(e);
  const dir = end.axis === "u" ? u : v;
  const r = end.axis === "u" ? e.rx : e.ry;
  const fixed = -end.sign * r; // the opposite end, along the axis from the centre
  const shift = (t + fixed) / 2; // the new centre, along the axis
  const radius = Math.abs(t - fixed) / 2;
  const next: EllipsePx = { ...e, cx: e.cx + dir.x * shift, cy: e.cy + dir.y * shift };
  if (end.axis === "u") {
    next.rx = radius;
    if (keepRatio && e.rx > 0) next.ry = (e.ry * radius) / e.rx;
  } else {
    next.ry = radius;
    if (keepRatio && e.ry > 0) next.rx = (e.rx * radius) / e.ry;
  }
  return next;
}

function turn(from: number, to: number): number {
  let d = normDeg(to - from);
  if (d > 180) d -= 360;
  return d;
}

export const ellipse: ShapeUtil = {
  kind: "ellipse",

  bounds(g, size) {
    return ellipseBox(ellipsePx(g, size));
  },

  center(g, size) {
    const e = ellipsePx(g, size);
    return { x: e.cx, y: e.cy };
  },

  hitTest(g, p, size, tolerance) {
    const e = ellipsePx(g, size);
    const q = safePt(p);
    const tol = Math.max(0, num(tolerance));
    const { u, v } = axes(e);
    const dx = q.x - e.cx;
    const dy = q.y - e.cy;
    const lx = dx * u.x + dy * u.y;
    const ly = dx * v.x + dy * v.y;
    // inside the ellipse grown by the tolerance (close to "within tolerance of the outline")
    const a = e.rx + tol;
    const b = e.ry + tol;
    if (!(a > 0) || !(b > 0)) return Math.abs(lx) <= a && Math.abs(ly) <= b; // flat: on the segment
    return (lx / a) ** 2 + (ly / b) ** 2 <= 1;
  },

  translate(g, dx, dy, size) {
    const e = ellipsePx(g, size);
    const d = clampDelta(ellipseBox(e), num(dx), num(dy), size);
    return ellipseValue(g, { ...e, cx: e.cx + d.dx, cy: e.cy + d.dy }, size);
  },

  handles(g, size, canRotate) {
    const e = ellipsePx(g, size);
    const { u, v } = axes(e);
    const out: Handle[] = [];
    for (const [id, end] of Object.entries(ENDS)) {
      const dir = end.axis === "u" ? u : v;
      const r = (end.axis === "u" ? e.rx : e.ry) * end.sign;
      out.push({ id, kind: "edge", x: e.cx + dir.x * r, y: e.cy + dir.y * r });
    }
    if (canRotate) out.push({ id: "rotate", kind: "rotate", ...knob(e, size).at });
    return out;
  },

  dragHandle(g, id, p, size, options?: DragOptions) {
    const e = ellipsePx(g, size);
    // unrotated, a pointer clamped into the image is exact; rotated, it is followed until the shape meets the border
    const target = e.rotation === 0 && id !== "rotate" ? clampPt(safePt(p), size) : safePt(p);
    if (id === "rotate") {
      const dx = target.x - e.cx;
      const dy = target.y - e.cy;
      if (!(Math.hypot(dx, dy) > 0)) return ellipseValue(g, e, size);
      const { above } = knob(e, size);
      const delta = turn(e.rotation, Math.atan2(dy, dx) / DEG + (above ? 90 : -90));
      const at = (t: number): EllipsePx => ({ ...e, rotation: normDeg(e.rotation + delta * t) });
      if (!fits(e, size)) return ellipseValue(g, at(1), size);
      return ellipseValue(g, at(largestFit((t) => fits(at(t), size))), size);
    }
    const end = ENDS[id];
    if (!end) return g;
    const { u, v } = axes(e);
    const dir = end.axis === "u" ? u : v;
    const along = (q: Pt) => (q.x - e.cx) * dir.x + (q.y - e.cy) * dir.y;
    const keep = options?.keepRatio === true;
    const next = stretched(e, id, along(target), keep);
    if (fits(next, size) || !fits(e, size)) return ellipseValue(g, next, size);
    const from = end.sign * (end.axis === "u" ? e.rx : e.ry);
    const to = along(target);
    const at = (t: number) => stretched(e, id, from + (to - from) * t, keep);
    return ellipseValue(g, at(largestFit((t) => fits(at(t), size))), size);
  },

  render({ geometry, size, style, selected, hover }: RenderProps) {
    const e = ellipsePx(geometry, size);
    return (
      <ellipse
        class={shapeClass("ellipse", selected, hover)}
        cx={e.cx}
        cy={e.cy}
        rx={e.rx}
        ry={e.ry}
        transform={e.rotation !== 0 ? `rotate(${e.rotation} ${e.cx} ${e.cy})` : undefined}
        {...strokeAttrs(style, selected, hover)}
      />
    );
  },
};

