// KeyPoint (KeyPoint / KeyPointLabels): value {x, y, width}; x, y = the point in percent; width = its size
// in percent of the image width (reference B.4). Drawn as a circle of radius width/100·W px, never smaller
// than MIN_RADIUS screen px.

import type { Json } from "../../state/document";
import { clampPercent, clampPt, num, pxToPct, safePt, safeSize, shapeClass, strokeAttrs, toPx } from "./geometry";
import type { Pt, RenderProps, ShapeUtil, Size } from "./types";

/** The smallest radius a keypoint is drawn with, in screen px. */
export const MIN_RADIUS = 3;

export function keypointPx(g: Json, size: Size): { x: number; y: number; r: number } {
  const s = safeSize(size);
  return { x: toPx(num(g.x), s.width), y: toPx(num(g.y), s.height), r: Math.abs(toPx(num(g.width), s.width)) };
}

/** The radius a keypoint is drawn with at `scale` screen px per natural px. */
export function keypointRadius(g: Json, size: Size, scale: number): number {
  const k = num(scale, 1) > 0 ? num(scale, 1) : 1;
  return Math.max(keypointPx(g, size).r, MIN_RADIUS / k);
}

/** A keypoint control's default strokeWidth (Label Studio's KeyPoint tag). */
export const KEYPOINT_STROKE_WIDTH = 2;

/**
 * The `width` of a new keypoint, as Label Studio sets it: the control's strokeWidth, a size in screen px,
 * as a percentage of the image's width on screen at fit (zoom 1) (its KeyPoint tool, `canvasToInternalX`).
 */
export function keypointWidth(strokeWidth: number | null | undefined, fitWidthPx: number): number {
  const stroke = typeof strokeWidth === "number" && Number.isFinite(strokeWidth) && strokeWidth > 0 ? strokeWidth : KEYPOINT_STROKE_WIDTH;
  return clampPercent((stroke / Math.max(1, num(fitWidthPx, 1))) * 100);
}

/** A keypoint at `p` (px, clamped into the image), `widthPercent` wide. */
export function keypointAt(p: Pt, size: Size, widthPercent: number): Json {
  const q = pxToPct(clampPt(safePt(p), size), size);
  return { x: q.x, y: q.y, width: clampPercent(Math.abs(num(widthPercent))) };
}

function moved(g: Json, p: Pt, size: Size): Json {
  const q = pxToPct(clampPt(safePt(p), size), size);
  return { ...g, x: q.x, y: q.y, width: clampPercent(Math.abs(num(g.width))) };
}

export const keypoint: ShapeUtil = {
  kind: "keypoint",

  bounds(g, size) {
    const k = keypointPx(g, size);
    return { minX: k.x - k.r, minY: k.y - k.r, maxX: k.x + k.r, maxY: k.y + k.r };
  },

  center(g, size) {
    const k = keypointPx(g, size);
    return { x: k.x, y: k.y };
  },

  hitTest(g, p, size, tolerance) {
    const k = keypointPx(g, size);
    const q = safePt(p);
    return Math.hypot(q.x - k.x, q.y - k.y) <= k.r + Math.max(0, num(tolerance));
  },

  translate(g, dx, dy, size) {
    // the point itself stays inside the image (its circle is a marker, like Label Studio's)
    const k = keypointPx(g, size);
    return moved(g, { x: k.x + num(dx), y: k.y + num(dy) }, size);
  },

  handles(g, size) {
    const k = keypointPx(g, size);
    return [{ id: "c", kind: "vertex", x: k.x, y: k.y }];
  },

  dragHandle(g, id, p, size) {
    return id === "c" ? moved(g, p, size) : g;
  },

  render({ geometry, size, style, scale, selected, hover }: RenderProps) {
    const k = keypointPx(geometry, size);
    return (
      <circle
        class={shapeClass("keypoint", selected, hover)}
        cx={k.x}
        cy={k.y}
        r={keypointRadius(geometry, size, scale)}
        {...strokeAttrs(style, selected, hover)}
      />
    );
  },
};
