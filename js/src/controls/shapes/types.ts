// The contract every shape util meets (one util per region kind, as tldraw does): geometry, hit test, handles,
// and how the shape draws itself. Utils are pure: they take a region's geometry (its Label Studio `value`
// without labels, coordinates in percent of the original image) and the image's natural size, and give back
// new geometry; they never touch the document. The image surface draws in natural pixels (an SVG whose
// viewBox is the image's natural size), so every point a util receives or returns as `Pt` is in natural px.

import type { JSX } from "preact";
import type { Json, RegionKind } from "../../state/document";

/** A point in natural image pixels (origin top-left, y down). */
export interface Pt {
  x: number;
  y: number;
}

/** The natural size of the image, in px. */
export interface Size {
  width: number;
  height: number;
}

/** An axis-aligned box in natural px. */
export interface Box {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/**
 * A grip the user can drag: a rectangle's corners and edges, its rotation knob, a polygon's vertices and the
 * midpoints of its edges (dragging one inserts a vertex there).
 */
export interface Handle {
  id: string;
  kind: "corner" | "edge" | "rotate" | "vertex" | "midpoint";
  x: number;
  y: number;
}

/** How a region looks: from the control model (strokeWidth, opacity, fillColor) and the label's colour. */
export interface ShapeStyle {
  stroke: string;
  /** in screen px (drawn with vector-effect: non-scaling-stroke, so it stays crisp at any zoom) */
  strokeWidth: number;
  fill: string;
  fillOpacity: number;
}

export interface RenderProps {
  geometry: Json;
  size: Size;
  style: ShapeStyle;
  /** screen px per natural px at the current zoom: a util that draws something of a fixed screen size
   * (a keypoint's minimum radius, a dash) divides by it */
  scale: number;
  selected: boolean;
  hover: boolean;
}

export interface DragOptions {
  /** Shift held: keep the aspect ratio (rectangle, ellipse) */
  keepRatio?: boolean;
}

export interface ShapeUtil {
  kind: RegionKind;
  /** Axis-aligned bounds in px, rotation included. */
  bounds(geometry: Json, size: Size): Box;
  /** Where relation arrows attach and the label tag sits. */
  center(geometry: Json, size: Size): Pt;
  /** Inside the shape, or within `tolerance` px of its outline (open polylines and keypoints: near it). */
  hitTest(geometry: Json, p: Pt, size: Size, tolerance: number): boolean;
  /** Moved by (dx, dy) px, kept inside the image (the whole shape stops at the border, it is not squashed). */
  translate(geometry: Json, dx: number, dy: number, size: Size): Json;
  /** The grips of a selected shape. `canRotate` adds a rotation handle to rectangles and ellipses. */
  handles(geometry: Json, size: Size, canRotate: boolean): Handle[];
  /** The geometry with handle `id` dragged to `p` (px), kept inside the image. */
  dragHandle(geometry: Json, id: string, p: Pt, size: Size, options?: DragOptions): Json;
  /** The SVG element(s) of the shape, in natural px coordinates. */
  render(props: RenderProps): JSX.Element;
}
