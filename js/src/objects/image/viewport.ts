// Zoom and pan of one image, as pure functions. The image is laid out at its "fit" size (the frame's width,
// keeping the aspect ratio, never larger than maxHeight); the viewport scales that by `zoom` and shifts it by
// a pan given in percent of the fitted size, so a resize of the notebook keeps the same part of the image in
// view. Coordinates of regions never depend on any of this: they stay in percent of the original image.

import type { Viewport } from "../../state/ui";

export const MIN_ZOOM = 1;
export const MAX_ZOOM = 64;

export const FIT: Viewport = Object.freeze({ zoom: 1, x: 0, y: 0 });

export interface Layout {
  /** the fitted display size in CSS px (zoom 1) */
  width: number;
  height: number;
}

/** The fitted size of an image of natural size (w, h) in a frame `frameWidth` wide, at most `maxHeight` tall. */
export function fitLayout(natural: { width: number; height: number }, frameWidth: number, maxHeight = Infinity): Layout {
  const w = Math.max(1, natural.width);
  const h = Math.max(1, natural.height);
  let width = Math.max(1, frameWidth);
  let height = (width * h) / w;
  if (Number.isFinite(maxHeight) && maxHeight > 0 && height > maxHeight) {
    height = maxHeight;
    width = (height * w) / h;
  }
  return { width, height };
}

/** Keep the zoomed image covering the frame: no panning past an edge, no zoom below fit (unless allowed). */
export function clampViewport(v: Viewport, minZoom = MIN_ZOOM): Viewport {
  const zoom = Math.min(MAX_ZOOM, Math.max(minZoom, Number.isFinite(v.zoom) ? v.zoom : 1));
  // pan is the offset of the image's top-left corner, in percent of the fitted size; at zoom z it may go
  // from -(z-1)*100 (right edge at the frame's right edge) to 0
  const lo = Math.min(0, -(zoom - 1) * 100);
  const clamp = (p: number) => (zoom <= 1 ? (1 - zoom) * 50 : Math.min(0, Math.max(lo, Number.isFinite(p) ? p : 0)));
  return { zoom, x: clamp(v.x), y: clamp(v.y) };
}

/**
 * Zoom by `factor` keeping the point under the cursor still. `anchor` is in frame coordinates as a fraction
 * (0..1) of the fitted size.
 */
export function zoomAt(v: Viewport, factor: number, anchor: { x: number; y: number }, minZoom = MIN_ZOOM): Viewport {
  const zoom = Math.min(MAX_ZOOM, Math.max(minZoom, v.zoom * factor));
  const k = zoom / v.zoom;
  // screen = pan + z * p  (all in percent of the fitted size); keep screen fixed for the anchor
  const ax = anchor.x * 100;
  const ay = anchor.y * 100;
  return clampViewport({ zoom, x: ax - (ax - v.x) * k, y: ay - (ay - v.y) * k }, minZoom);
}

/** Pan by (dx, dy) CSS px at layout `layout`. */
export function panBy(v: Viewport, dx: number, dy: number, layout: Layout, minZoom = MIN_ZOOM): Viewport {
  return clampViewport({ zoom: v.zoom, x: v.x + (dx / layout.width) * 100, y: v.y + (dy / layout.height) * 100 }, minZoom);
}

/** The zoom at which one image pixel is one CSS pixel. */
export function actualSizeZoom(natural: { width: number }, layout: Layout): number {
  return natural.width / Math.max(1, layout.width);
}

/** The CSS transform of the stage (the fitted image and its regions). */
export function stageTransform(v: Viewport, layout: Layout): string {
  const tx = (v.x / 100) * layout.width;
  const ty = (v.y / 100) * layout.height;
  return `translate(${tx}px, ${ty}px) scale(${v.zoom})`;
}

/**
 * The CSS transform (origin top-left) that turns what is drawn for the `committed` view into the `live` one:
 * a point on screen at S = T + z·P (T the pan in px, P its place at fit size) moves to T' + z'·P. Empty when
 * the two are the same view.
 */
export function liveTransform(live: Viewport, committed: Viewport, layout: Layout): string {
  if (live.zoom === committed.zoom && live.x === committed.x && live.y === committed.y) return "";
  const k = live.zoom / committed.zoom;
  const tx = ((live.x - k * committed.x) / 100) * layout.width;
  const ty = ((live.y - k * committed.y) / 100) * layout.height;
  return `translate(${tx}px, ${ty}px) scale(${k})`;
}

/** Screen px per natural image px. */
export function screenScale(v: Viewport, layout: Layout, natural: { width: number }): number {
  return (layout.width * v.zoom) / Math.max(1, natural.width);
}
