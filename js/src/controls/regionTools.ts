// The controls that draw regions on an image, and what each one makes (reference B.4). A `*Labels` control
// draws with a label chosen from its children; a bare tool (Rectangle, Polygon, ...) draws without one.

import type { RegionKind } from "../state/document";
import type { ControlModel, ControlSpec } from "../schema/model";

export interface RegionToolDef {
  kind: RegionKind;
  /** the Label Studio result type it writes */
  type: string;
  /** true for *Labels: a region needs a label, stored under value[type] */
  labelled: boolean;
}

export const REGION_TOOLS: Readonly<Record<string, RegionToolDef>> = {
  RectangleLabels: { kind: "rectangle", type: "rectanglelabels", labelled: true },
  Rectangle: { kind: "rectangle", type: "rectangle", labelled: false },
  OcrLabels: { kind: "rectangle", type: "ocrlabels", labelled: true }, // boxes on a <Pdf> page
  PolygonLabels: { kind: "polygon", type: "polygonlabels", labelled: true },
  Polygon: { kind: "polygon", type: "polygon", labelled: false },
  EllipseLabels: { kind: "ellipse", type: "ellipselabels", labelled: true },
  Ellipse: { kind: "ellipse", type: "ellipse", labelled: false },
  KeyPointLabels: { kind: "keypoint", type: "keypointlabels", labelled: true },
  KeyPoint: { kind: "keypoint", type: "keypoint", labelled: false },
  BrushLabels: { kind: "brush", type: "brushlabels", labelled: true },
  Brush: { kind: "brush", type: "brush", labelled: false },
  BitmaskLabels: { kind: "brush", type: "bitmasklabels", labelled: true },
  Bitmask: { kind: "brush", type: "bitmask", labelled: false },
  VectorLabels: { kind: "vector", type: "vectorlabels", labelled: true },
  Vector: { kind: "vector", type: "vector", labelled: false },
};

export function regionTool(tag: string | undefined): RegionToolDef | undefined {
  return tag !== undefined && Object.prototype.hasOwnProperty.call(REGION_TOOLS, tag) ? REGION_TOOLS[tag] : undefined;
}

/** A region control bound to its spec. */
export interface RegionControl extends RegionToolDef {
  name: string;
  tag: string;
  spec: ControlSpec;
}

/** The region controls that draw on object `object`, in config order. */
export function regionControlsOf(model: ControlModel, object: string): RegionControl[] {
  const out: RegionControl[] = [];
  for (const spec of model.controls) {
    const def = regionTool(spec.tag);
    if (def && spec.to_name.includes(object)) out.push({ ...def, name: spec.name, tag: spec.tag, spec });
  }
  return out;
}

/** Every region control of the config. */
export function allRegionControls(model: ControlModel): RegionControl[] {
  const out: RegionControl[] = [];
  for (const spec of model.controls) {
    const def = regionTool(spec.tag);
    if (def) out.push({ ...def, name: spec.name, tag: spec.tag, spec });
  }
  return out;
}

export interface RegionStyleSpec {
  stroke: string;
  strokeWidth: number;
  fill: string;
  fillOpacity: number;
}

const DEFAULT_COLOR = "#f48a42"; // Label Studio's default region colour (fillColor/strokeColor)

/**
 * A generic `<Labels>` whose targets are all images: its labels go on the regions of bare tools (Rectangle,
 * Polygon, ...), stored as a `labels` result sharing the region's id (Label Studio's OCR templates).
 */
export function isImageLabels(model: ControlModel, spec: ControlSpec): boolean {
  if (spec.tag !== "Labels" || !spec.to_name.length) return false;
  return spec.to_name.every((name) => model.objects.some((o) => o.name === name && o.tag === "Image"));
}

/**
 * The object tags each span-labelling control labels: `<Labels>` on `Text` and `HyperText`,
 * `<HyperTextLabels>` on `HyperText`, `<ParagraphLabels>` on `Paragraphs`.
 */
export const SPAN_LABELS: Readonly<Record<string, readonly string[]>> = {
  Labels: ["Text", "HyperText"],
  HyperTextLabels: ["HyperText"],
  ParagraphLabels: ["Paragraphs"],
};

/**
 * A span-labelling control (SPAN_LABELS) whose targets are all objects it labels spans of: spans of a text
 * (reference B.5), of a HyperText's document, or of the phrases.
 */
export function isTextLabels(model: ControlModel, spec: ControlSpec): boolean {
  const targets = Object.prototype.hasOwnProperty.call(SPAN_LABELS, spec.tag) ? SPAN_LABELS[spec.tag] : undefined;
  if (targets === undefined || !spec.to_name.length) return false;
  return spec.to_name.every((name) => model.objects.some((o) => o.name === name && targets.includes(o.tag)));
}

/** The span Labels controls (text Labels, ParagraphLabels) that label spans of `object`. */
export function textLabelsOf(model: ControlModel, object: string): ControlSpec[] {
  return model.controls.filter((c) => isTextLabels(model, c) && c.to_name.includes(object));
}

/** The image Labels controls that label regions on `object`. */
export function imageLabelsOf(model: ControlModel, object: string): ControlSpec[] {
  return model.controls.filter((c) => isImageLabels(model, c) && c.to_name.includes(object));
}

/**
 * How a region of `control` with `labels` looks: the first label's colour, else the control's colours. With
 * `model`, a label the control does not have is looked up in the image Labels controls (a bare tool's region
 * labelled by a generic <Labels>).
 */
export function regionStyle(control: ControlSpec | undefined, labels: readonly string[] | undefined, model?: ControlModel): RegionStyleSpec {
  const first = labels?.[0];
  const match = (spec: ControlSpec | undefined) => (first !== undefined ? spec?.labels?.find((l) => l.label === first || l.value === first) : undefined);
  let label = match(control);
  if (!label && model && first !== undefined) {
    for (const spec of model.controls) if (spec.tag === "Labels" && (label = match(spec))) break;
  }
  const color = label?.color ?? control?.stroke_color ?? control?.fill_color ?? DEFAULT_COLOR;
  const fill = label?.color ?? control?.fill_color ?? color;
  const opacity = control?.fill_opacity ?? control?.opacity ?? 0.2;
  return {
    stroke: color,
    strokeWidth: Math.max(0, control?.stroke_width ?? 1),
    fill,
    fillOpacity: Math.min(1, Math.max(0, opacity)),
  };
}
