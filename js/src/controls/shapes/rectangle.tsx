// Rectangle (Rectangle / RectangleLabels): value {x, y, width, height, rotation} in percent of the image;
// x, y = the top-left corner before rotation; rotation in degrees, clockwise (y down), about that corner
// (reference B.4). Everything that rotates works in px: width% and height% have different px scales.

import type { Json } from "../../state/document";
import {
  DEG,
  boxInside,
  boxOf,
  clamp,
  clampPercent,
  clampPt,
  clampRectMove,
  largestFit,
  normDeg,
  num,
  rectCenter,
  rectCorners,
  safePt,
  safeSize,
  shapeClass,
  strokeAttrs,
  toPercent,
  toPx,
  type RectPx,
} from "./geometry";
import type { DragOptions, Handle, Pt, RenderProps, ShapeUtil, Size } from "./types";

/** The rectangle of a value, in px (width and height never negative). */
export function rectPx(g: Json, size: Size): RectPx {
  const s = safeSize(size);
  return {
    x: toPx(num(g.x), s.width),
    y: toPx(num(g.y), s.height),
    w: Math.max(0, toPx(num(g.width), s.width)),
    h: Math.max(0, toPx(num(g.height), s.height)),
    rotation: normDeg(num(g.rotation)),
  };
}

/** The value of a px rectangle, in percent clamped into 0..100 (unrotated: x + width <= 100), other keys kept. */
export function rectValue(g: Json, r: RectPx, size: Size): Json {
  const s = safeSize(size);
  const rotation = normDeg(r.rotation);
  const x = clampPercent(toPercent(r.x, s.width));
  const y = clampPercent(toPercent(r.y, s.height));
  const wMax = rotation === 0 ? 100 - x : 100;
  const hMax = rotation === 0 ? 100 - y : 100;
  return {
    ...g,
    x,
    y,
    width: clamp(toPercent(Math.max(0, r.w), s.width), 0, wMax),
    height: clamp(toPercent(Math.max(0, r.h), s.height), 0, hMax),
    rotation,
  };
}

/**
 * The rectangle spanned by a press at `a` and a release at `b` (px), normalised so width and height are
 * >= 0, rotation 0, inside the image. `keepRatio` (Shift): a square (in px), as large as fits.
 */
export function rectangleFromDrag(a: Pt, b: Pt, size: Size, keepRatio = false): Json {
  const s = safeSize(size);
  const p = clampPt(safePt(a), s);
  const q = clampPt(safePt(b), s);
  let dx = q.x - p.x;
  let dy = q.y - p.y;
  if (keepRatio) {
    const sx = dx < 0 ? -1 : 1;
    const sy = dy < 0 ? -1 : 1;
    const room = Math.min(sx > 0 ? s.width - p.x : p.x, sy > 0 ? s.height - p.y : p.y);
    const side = Math.min(Math.max(Math.abs(dx), Math.abs(dy)), room);
    dx = sx * side;
    dy = sy * side;
  }
  const r: RectPx = { x: Math.min(p.x, p.x + dx), y: Math.min(p.y, p.y + dy), w: Math.abs(dx), h: Math.abs(dy), rotation: 0 };
  return rectValue({}, r, s);
}

// the rectangle's own frame ----------------------------------------------------------------------------

interface Frame {
  origin: Pt;
  u: Pt; // along the width
  v: Pt; // along the height
}

function frameOf(r: RectPx): Frame {
  const a = r.rotation * DEG;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  return { origin: { x: r.x, y: r.y }, u: { x: cos, y: sin }, v: { x: -sin, y: cos } };
}

function toLocal(f: Frame, p: Pt): Pt {
  const dx = p.x - f.origin.x;
  const dy = p.y - f.origin.y;
  return { x: dx * f.u.x + dy * f.u.y, y: dx * f.v.x + dy * f.v.y };
}

function toScreen(f: Frame, l: Pt): Pt {
  return { x: f.origin.x + l.x * f.u.x + l.y * f.v.x, y: f.origin.y + l.x * f.u.y + l.y * f.v.y };
}

/** The rectangle rotated to `deg` about its centre. */
export function rotateRectAboutCenter(r: RectPx, deg: number): RectPx {
  const c = rectCenter(r);
  const rotation = normDeg(deg);
  const a = rotation * DEG;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  return { x: c.x - (r.w / 2) * cos + (r.h / 2) * sin, y: c.y - (r.w / 2) * sin - (r.h / 2) * cos, w: r.w, h: r.h, rotation };
}

const fits = (r: RectPx, size: Size) => boxInside(boxOf(rectCorners(r)), size);

/** How far the rotation knob sits from the edge, in natural px. */
export function rotateHandleOffset(size: Size): number {
  const s = safeSize(size);
  return Math.max(1, 0.04 * Math.min(s.width, s.height));
}

/** The rotation knob: above the top edge in the rectangle's frame, or below the bottom when above is off the image. */
function rotateKnob(r: RectPx, size: Size): { at: Pt; above: boolean } {
  const f = frameOf(r);
  const off = rotateHandleOffset(size);
  const s = safeSize(size);
  const above = toScreen(f, { x: r.w / 2, y: -off });
  if (above.x >= 0 && above.y >= 0 && above.x <= s.width && above.y <= s.height) return { at: above, above: true };
  return { at: toScreen(f, { x: r.w / 2, y: r.h + off }), above: false };
}

/** Which sides of the box a handle moves. */
const SIDES: Record<string, { x?: 0 | 1; y?: 0 | 1 }> = {
  nw: { x: 0, y: 0 },
  ne: { x: 1, y: 0 },
  se: { x: 1, y: 1 },
  sw: { x: 0, y: 1 },
  n: { y: 0 },
  s: { y: 1 },
  e: { x: 1 },
  w: { x: 0 },
};

/** Where handle `id` sits, in the rectangle's frame. */
function handleLocal(id: string, r: RectPx): Pt {
  const sides = SIDES[id] ?? {};
  return {
    x: sides.x === undefined ? r.w / 2 : sides.x * r.w,
    y: sides.y === undefined ? r.h / 2 : sides.y * r.h,
  };
}

/** The rectangle with handle `id` at local point `l` (the opposite corner/edge fixed), in px. */
function resized(r: RectPx, id: string, l: Pt, keepRatio: boolean): RectPx {
  const sides = SIDES[id] ?? {};
  let x0 = 0;
  let x1 = r.w;
  let y0 = 0;
  let y1 = r.h;
  if (sides.x === 0) x0 = l.x;
  if (sides.x === 1) x1 = l.x;
  if (sides.y === 0) y0 = l.y;
  if (sides.y === 1) y1 = l.y;
  if (keepRatio && r.w > 0 && r.h > 0) {
    if (sides.x !== undefined && sides.y !== undefined) {
      // a corner: scale by the larger of the two stretches, from the fixed corner
      const fx = sides.x === 0 ? r.w : 0;
      const fy = sides.y === 0 ? r.h : 0;
      const mx = sides.x === 0 ? x0 : x1;
      const my = sides.y === 0 ? y0 : y1;
      const k = Math.max(Math.abs(mx - fx) / r.w, Math.abs(my - fy) / r.h);
      const nx = fx + (mx - fx < 0 ? -1 : 1) * r.w * k;
      const ny = fy + (my - fy < 0 ? -1 : 1) * r.h * k;
      if (sides.x === 0) x0 = nx;
      else x1 = nx;
      if (sides.y === 0) y0 = ny;
      else y1 = ny;
    } else if (sides.x !== undefined) {
      // a side edge: the height follows, centred on the rectangle's middle line
      const h = (Math.abs(x1 - x0) * r.h) / r.w;
      y0 = r.h / 2 - h / 2;
      y1 = r.h / 2 + h / 2;
    } else if (sides.y !== undefined) {
      const w = (Math.abs(y1 - y0) * r.w) / r.h;
      x0 = r.w / 2 - w / 2;
      x1 = r.w / 2 + w / 2;
    }
  }
  const f = frameOf(r);
  const o = toScreen(f, { x: Math.min(x0, x1), y: Math.min(y0, y1) });
  return { x: o.x, y: o.y, w: Math.abs(x1 - x0), h: Math.abs(y1 - y0), rotation: r.rotation };
}

/** The shortest signed turn from `from` to `to`, in degrees (-180, 180]. */
function turn(from: number, to: number): number {
  let d = normDeg(to - from);
  if (d > 180) d -= 360;
  return d;
}

/** The rectangle rotated so the knob points at `p` (the centre fixed), stopped at the image border. */
function rotatedTowards(r: RectPx, p: Pt, size: Size): RectPx {
  const c = rectCenter(r);
  const dx = p.x - c.x;
  const dy = p.y - c.y;
  if (!(Math.hypot(dx, dy) > 0)) return r;
  const { above } = rotateKnob(r, size);
  const target = Math.atan2(dy, dx) / DEG + (above ? 90 : -90);
  const delta = turn(r.rotation, target);
  const at = (t: number) => rotateRectAboutCenter(r, r.rotation + delta * t);
  if (!fits(r, size)) return at(1);
  return at(largestFit((t) => fits(at(t), size)));
}

export const rectangle: ShapeUtil = {
  kind: "rectangle",

  bounds(g, size) {
    return boxOf(rectCorners(rectPx(g, size)));
  },

  center(g, size) {
    return rectCenter(rectPx(g, size));
  },

  hitTest(g, p, size, tolerance) {
    const r = rectPx(g, size);
    const q = safePt(p);
    const tol = Math.max(0, num(tolerance));
    const l = toLocal(frameOf(r), q);
    return l.x >= -tol && l.x <= r.w + tol && l.y >= -tol && l.y <= r.h + tol;
  },

  translate(g, dx, dy, size) {
    return rectValue(g, clampRectMove(rectPx(g, size), num(dx), num(dy), size), size);
  },

  handles(g, size, canRotate) {
    const r = rectPx(g, size);
    const f = frameOf(r);
    const out: Handle[] = [];
    for (const id of ["nw", "ne", "se", "sw"]) out.push({ id, kind: "corner", ...toScreen(f, handleLocal(id, r)) });
    for (const id of ["n", "e", "s", "w"]) out.push({ id, kind: "edge", ...toScreen(f, handleLocal(id, r)) });
    if (canRotate) out.push({ id: "rotate", kind: "rotate", ...rotateKnob(r, size).at });
    return out;
  },

  dragHandle(g, id, p, size, options?: DragOptions) {
    const r = rectPx(g, size);
    if (id === "rotate") return rectValue(g, rotatedTowards(r, safePt(p), size), size);
    if (!SIDES[id]) return g;
    // unrotated, a pointer clamped into the image is exact (and lets the other axis follow along the border);
    // rotated, the pointer is followed until the shape meets the border
    const target = r.rotation === 0 ? clampPt(safePt(p), size) : safePt(p);
    const f = frameOf(r);
    const keep = options?.keepRatio === true;
    const next = resized(r, id, toLocal(f, target), keep);
    if (fits(next, size) || !fits(r, size)) return rectValue(g, next, size);
    // stop where the shape meets the border, along the way from the handle to the pointer
    const from = toScreen(f, handleLocal(id, r));
    const at = (t: number) =>
      resized(r, id, toLocal(f, { x: from.x + (target.x - from.x) * t, y: from.y + (target.y - from.y) * t }), keep);
    return rectValue(g, at(largestFit((t) => fits(at(t), size))), size);
  },

  render({ geometry, size, style, selected, hover }: RenderProps) {
    const r = rectPx(geometry, size);
    return (
      <rect
        class={shapeClass("rectangle", selected, hover)}
        x={r.x}
        y={r.y}
        width={r.w}
        height={r.h}
        transform={r.rotation !== 0 ? `rotate(${r.rotation} ${r.x} ${r.y})` : undefined}
        {...strokeAttrs(style, selected, hover)}
      />
    );
  },
};
