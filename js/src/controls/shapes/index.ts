// The shape utils of the image region kinds (brush has its own module in ./brush).

import type { ShapeUtil } from "./types";
import { rectangle } from "./rectangle";
import { ellipse } from "./ellipse";
import { polygon } from "./polygon";
import { keypoint } from "./keypoint";
import { vector } from "./vector";

export type ShapeKind = "rectangle" | "ellipse" | "polygon" | "keypoint" | "vector";

export const SHAPES: Readonly<Record<ShapeKind, ShapeUtil>> = Object.freeze({ rectangle, ellipse, polygon, keypoint, vector });

/** The util of a region kind, or undefined for kinds without one (brush, span). */
export function shapeUtil(kind: string): ShapeUtil | undefined {
  return Object.prototype.hasOwnProperty.call(SHAPES, kind) ? SHAPES[kind as ShapeKind] : undefined;
}

export type { Box, DragOptions, Handle, Pt, RenderProps, ShapeStyle, ShapeUtil, Size } from "./types";
