// The image tools, each a small state machine over pointer events in natural image px. A tool keeps its
// gesture to itself (the drawing layer shows it as a preview) and changes the document once, when the
// gesture ends, inside one history group: a drag is one undo step however many moves it had.

import { addRegion, setValue, updateRegion } from "../../state/commands";
import type { AnnotationDoc, Json, Region } from "../../state/document";
import type { Annotation } from "../../state/annotation";
import type { ActiveLabel, UiStore } from "../../state/ui";
import { controlSpec, type ControlModel } from "../../schema/model";
import { usageRefusal as usageRefusalOf } from "../../state/usage";
import type { RegionControl } from "../../controls/regionTools";
import { regionStyle } from "../../controls/regionTools";
import { shapeUtil } from "../../controls/shapes";
import { rectangleFromDrag } from "../../controls/shapes/rectangle";
import { ellipseFromDrag } from "../../controls/shapes/ellipse";
import { deleteVertex, insertVertex, polygonFromPoints } from "../../controls/shapes/polygon";
import { keypointAt, keypointWidth } from "../../controls/shapes/keypoint";
import { vectorFromPoints } from "../../controls/shapes/vector";
import type { Pt, ShapeStyle, Size } from "../../controls/shapes/types";
import type { RegionKind } from "../../state/document";

/** What the pointer is over: a region's body or one of its handles. */
export interface Hit {
  region?: string;
  handle?: string;
}

export interface PointerInfo {
  /** natural image px */
  p: Pt;
  /** CSS px relative to the frame (for panning) */
  screen: Pt;
  hit: Hit;
  shift: boolean;
  alt: boolean;
  button: number;
  /** click count of this press (2: double click) */
  detail: number;
}

/** What the drawing layer shows while a gesture runs. */
export interface Preview {
  kind: RegionKind;
  geometry: Json;
  style: ShapeStyle;
  /** the region this preview stands in for (hidden while it shows) */
  replaces?: string;
  /** the vertices placed so far, while a polygon or polyline is being clicked */
  points?: Pt[];
  /** the working mask of a brush stroke (a Mask of controls/shapes/brush/mask.ts) */
  mask?: unknown;
  /** the part of the mask the last move changed (null: all of it) */
  dirty?: unknown;
}

export interface ToolHost {
  object: string;
  size: Size;
  /** screen px per natural px */
  scale(): number;
  annotation: Annotation;
  ui: UiStore;
  /** the control the active tool draws for, and its active label (null: none chosen) */
  control: RegionControl | null;
  label: string | null;
  /** for a bare tool: the label of an image <Labels> its new regions get (a `labels` item sharing the id) */
  genericLabel: ActiveLabel | null;
  model: ControlModel;
  newId(): string;
  /** top-level fields every new region of this image carries (original_width, original_height, ...) */
  regionExtra(): Json;
  /** the item_index of new regions (valueList images) */
  itemIndex: number | undefined;
  /** the image's width on screen at fit (zoom 1), CSS px */
  fitWidth(): number;
  /** the PDF page shown, when the surface shows one: new regions carry its value.pageIndex */
  pdfPage?: PdfPageTarget | undefined;
  setPreview(preview: Preview | null): void;
  panBy(dx: number, dy: number): void;
  canRotate(region: Region): boolean;
  styleOf(region: Region): ShapeStyle;
  /** a tool starts or ends a gesture that wants every key (Enter, Escape, Backspace) */
  capture(on: boolean): void;
  /** auto-annotate: set when the active control's drawings go to the assistant instead of the document */
  smart?: ((geometry: Json, positive: boolean) => void) | undefined;
}

/** A page of a <Pdf>, shown on the image surface (objects/pdf/Pdf.tsx). */
export interface PdfPageTarget {
  /** 0-based page number: Label Studio's value.pageIndex */
  index: number;
  /** the page's text under a box value (percent of the page), in reading order; undefined while unknown */
  textIn?(geometry: Json): string | undefined;
}

/** A new region's value on a PDF page: the box, its pageIndex and (ocrlabels) the text under it. */
export function onPdfPage(page: PdfPageTarget, type: string, geometry: Json): Json {
  const text = type === "ocrlabels" ? page.textIn?.(geometry) : undefined;
  return { ...geometry, pageIndex: page.index, ...(text !== undefined ? { ocrtext: text } : {}) };
}

/** A box moved or resized on a PDF page: its ocrtext (when it has one) follows it. */
export function retext(page: PdfPageTarget | undefined, region: Region, geometry: Json): Json {
  if (!page?.textIn || region.type !== "ocrlabels" || typeof geometry.ocrtext !== "string") return geometry;
  const text = page.textIn(geometry);
  return text !== undefined ? { ...geometry, ocrtext: text } : geometry;
}

export interface Tool {
  down(info: PointerInfo, host: ToolHost): void;
  move(info: PointerInfo, host: ToolHost): void;
  up(info: PointerInfo, host: ToolHost): void;
  /** a key while this tool has the gesture; true when used */
  key(e: KeyboardEvent, host: ToolHost): boolean;
  cancel(host: ToolHost): void;
  /** true while the gesture runs: every event goes to this tool */
  readonly busy: boolean;
}

/** Screen px a press must travel before it counts as a drag. */
export const DRAG_SLOP = 3;
/** Screen px a new box or ellipse must measure across, in both directions. */
export const MIN_SIDE = 2;
/** Screen px within which a click on the first vertex closes a polygon. */
export const CLOSE_RADIUS = 8;

const dist = (a: Pt, b: Pt) => Math.hypot(a.x - b.x, a.y - b.y);

/** One undo step of commands. */
function commit(annotation: Annotation, mark: string, commands: (doc: () => AnnotationDoc) => void): void {
  annotation.begin(mark);
  try {
    commands(() => annotation.doc);
  } finally {
    annotation.end();
  }
}

function newRegionStyle(host: ToolHost): ShapeStyle {
  const label = host.label ?? host.genericLabel?.value ?? null;
  return regionStyle(host.control?.spec, label !== null ? [label] : undefined, host.model);
}

/** A bare tool's new region gets the chosen image <Labels> label: its own `labels` item, same id. */
export function attachGenericLabel(host: ToolHost, id: string): void {
  const generic = host.genericLabel;
  if (!generic || host.control?.labelled) return;
  const target = { control: generic.control, object: host.object, type: "labels", region: id };
  host.annotation.run(setValue(host.annotation.doc, target, { labels: [generic.value] }, host.newId));
}

/** Why a new region with the active label is refused (maxUsages), or null. */
export function usageRefusal(host: Pick<ToolHost, "annotation" | "control" | "label">): string | null {
  const control = host.control;
  if (!control || host.label === null) return null;
  return usageRefusalOf(host.annotation.doc, control.name, control.spec, host.label);
}

/** Refuse a new region when its label is used up, saying so by the control; true when refused. */
export function refuseIfUsedUp(host: ToolHost): boolean {
  const why = usageRefusal(host);
  if (why !== null && host.control) host.ui.update({ notice: { control: host.control.name, text: why } });
  return why !== null;
}

/** Add a region of the active control with this geometry, selected (auto-annotate: ask about it instead). */
function createRegion(host: ToolHost, geometry: Json, positive = true): string | null {
  const control = host.control;
  if (!control) return null;
  if (control.labelled && host.label === null) return null;
  if (host.smart) {
    host.smart(geometry, positive);
    return null;
  }
  if (refuseIfUsedUp(host)) return null;
  const id = host.newId();
  commit(host.annotation, "draw", () => addNewRegion(host, control, id, geometry));
  host.ui.select([id]);
  return id;
}

/**
 * Run the commands of a new region of `control` (inside the caller's history group): the region with the
 * active label, origin "manual", the image's item_index and size fields (on a PDF page: value.pageIndex
 * and ocrtext instead), and an image <Labels> label.
 */
export function addNewRegion(host: ToolHost, control: RegionControl, id: string, geometry: Json): void {
  host.annotation.run(
    addRegion(host.annotation.doc, {
      id,
      object: host.object,
      control: control.name,
      type: control.type,
      kind: control.kind,
      geometry: host.pdfPage ? onPdfPage(host.pdfPage, control.type, geometry) : geometry,
      ...(control.labelled && host.label !== null ? { labels: [host.label], labelsKey: control.type } : {}),
      origin: "manual",
      ...(host.itemIndex !== undefined ? { item_index: host.itemIndex } : {}),
      extra: host.regionExtra(),
    }),
  );
  attachGenericLabel(host, id);
}

// select / move / resize -------------------------------------------------------------------------------

/** Pressing a region selects it; dragging it moves it; dragging a handle reshapes it. */
export class EditTool implements Tool {
  private region: Region | null = null;
  private handle: string | null = null;
  private start: Pt = { x: 0, y: 0 };
  private startGeometry: Json = {};
  private moved = false;
  private geometry: Json | null = null;
  busy = false;

  down(info: PointerInfo, host: ToolHost): void {
    const doc = host.annotation.doc;
    const id = info.hit.region;
    const region = id !== undefined ? doc.regions[id] : undefined;
    if (!region) {
      host.ui.select([]);
      return;
    }
    const selected = host.ui.state.selected;
    if (info.shift && !info.hit.handle) {
      host.ui.select(selected.includes(region.id) ? selected.filter((s) => s !== region.id) : [...selected, region.id]);
    } else if (!selected.includes(region.id) || selected.length > 1) {
      host.ui.select([region.id]);
    }
    if (region.locked || region.kind === "brush") return;
    const util = shapeUtil(region.kind);
    if (!util) return;
    let geometry = region.geometry;
    let handle = info.hit.handle ?? null;
    if (handle !== null) {
      const [kind, index] = handle.split(":");
      if (kind === "v" && info.alt && (region.kind === "polygon" || region.kind === "vector")) {
        // Alt+click on a vertex deletes it
        const i = vertexIndex(region, index ?? "");
        const next = i >= 0 ? deleteVertex(region.geometry, i) : null;
        if (next) commit(host.annotation, "delete-point", (d) => host.annotation.run(updateRegion(d(), region.id, { geometry: next })));
        return;
      }
      if (kind === "m" && (region.kind === "polygon" || region.kind === "vector")) {
        // dragging an edge's midpoint inserts a vertex there
        const i = Number(index);
        geometry = insertVertex(region.geometry, i, info.p, host.size);
        handle = region.kind === "polygon" ? `v:${i + 1}` : vectorHandleAfter(geometry, i);
      }
    }
    this.region = region;
    this.handle = handle;
    this.start = info.p;
    this.startGeometry = geometry;
    this.geometry = handle !== null && geometry !== region.geometry ? geometry : null;
    this.moved = this.geometry !== null;
    this.busy = true;
  }

  move(info: PointerInfo, host: ToolHost): void {
    const region = this.region;
    if (!region) return;
    const util = shapeUtil(region.kind);
    if (!util) return;
    if (!this.moved && dist(info.p, this.start) * host.scale() < DRAG_SLOP) return;
    this.moved = true;
    const geometry =
      this.handle !== null
        ? util.dragHandle(this.startGeometry, this.handle, info.p, host.size, { keepRatio: info.shift })
        : util.translate(this.startGeometry, info.p.x - this.start.x, info.p.y - this.start.y, host.size);
    this.geometry = geometry;
    host.setPreview({ kind: region.kind, geometry, style: host.styleOf(region), replaces: region.id });
  }

  up(_info: PointerInfo, host: ToolHost): void {
    const region = this.region;
    const geometry = this.geometry && region ? retext(host.pdfPage, region, this.geometry) : this.geometry;
    this.reset(host);
    if (!region || !geometry) return;
    commit(host.annotation, this.handle !== null ? "reshape" : "move", (doc) =>
      host.annotation.run(updateRegion(doc(), region.id, { geometry })),
    );
  }

  key(e: KeyboardEvent, host: ToolHost): boolean {
    if (e.key === "Escape") {
      this.cancel(host);
      return true;
    }
    return false;
  }

  cancel(host: ToolHost): void {
    this.reset(host);
  }

  private reset(host: ToolHost): void {
    this.region = null;
    this.geometry = null;
    this.moved = false;
    this.busy = false;
    host.setPreview(null);
  }
}

function vertexIndex(region: Region, key: string): number {
  if (region.kind === "polygon") return Number.isInteger(Number(key)) ? Number(key) : -1;
  const vertices = region.geometry.vertices;
  return Array.isArray(vertices) ? vertices.findIndex((v) => typeof v === "object" && v !== null && (v as Json).id === key) : -1;
}

function vectorHandleAfter(geometry: Json, i: number): string {
  const vertices = geometry.vertices;
  const v = Array.isArray(vertices) ? (vertices[i + 1] as Json | undefined) : undefined;
  return `v:${String(v?.id ?? i + 1)}`;
}

// pan --------------------------------------------------------------------------------------------------

export class PanTool implements Tool {
  private last: Pt | null = null;
  busy = false;

  down(info: PointerInfo): void {
    this.last = info.screen;
    this.busy = true;
  }

  move(info: PointerInfo, host: ToolHost): void {
    if (!this.last) return;
    host.panBy(info.screen.x - this.last.x, info.screen.y - this.last.y);
    this.last = info.screen;
  }

  up(): void {
    this.last = null;
    this.busy = false;
  }

  key(): boolean {
    return false;
  }

  cancel(): void {
    this.up();
  }
}

// rectangle, ellipse: press, drag, release ---------------------------------------------------------------

export class DragShapeTool implements Tool {
  private start: Pt | null = null;
  private geometry: Json | null = null;
  busy = false;

  constructor(private readonly kind: "rectangle" | "ellipse") {}

  down(info: PointerInfo, host: ToolHost): void {
    host.ui.select([]);
    this.start = info.p;
    this.geometry = null;
    this.busy = true;
  }

  move(info: PointerInfo, host: ToolHost): void {
    const start = this.start;
    if (!start) return;
    if (!this.geometry && dist(info.p, start) * host.scale() < DRAG_SLOP) return;
    const geometry =
      this.kind === "rectangle"
        ? rectangleFromDrag(start, info.p, host.size, info.shift)
        : ellipseFromDrag(start, info.p, host.size, info.shift);
    this.geometry = geometry;
    host.setPreview({ kind: this.kind, geometry, style: newRegionStyle(host) });
  }

  up(_info: PointerInfo, host: ToolHost): void {
    const geometry = this.geometry;
    this.cancel(host);
    if (geometry && !this.flat(geometry, host)) createRegion(host, geometry);
  }

  /** A box or ellipse less than MIN_SIDE screen px across in either direction is a slip, not a region. */
  private flat(g: Json, host: ToolHost): boolean {
    const { width: w, height: h } = host.size;
    const across = this.kind === "rectangle" ? [Number(g.width) * w, Number(g.height) * h] : [Number(g.radiusX) * 2 * w, Number(g.radiusY) * 2 * h];
    return across.some((d) => !((d / 100) * host.scale() >= MIN_SIDE));
  }

  key(e: KeyboardEvent, host: ToolHost): boolean {
    if (e.key !== "Escape") return false;
    this.cancel(host);
    return true;
  }

  cancel(host: ToolHost): void {
    this.start = null;
    this.geometry = null;
    this.busy = false;
    host.setPreview(null);
  }
}

// polygon, vector: click the vertices ------------------------------------------------------------------

/**
 * Click to place vertices. A polygon closes with a click on its first vertex, a double click or Enter; a
 * polyline (Vector) ends open with a double click or Enter and closes on its first vertex when closable.
 * Backspace removes the last vertex, Escape drops the shape.
 */
export class PointsTool implements Tool {
  private points: Pt[] = [];
  private cursor: Pt | null = null;
  busy = false;

  constructor(private readonly kind: "polygon" | "vector") {}

  down(info: PointerInfo, host: ToolHost): void {
    if (info.button !== 0) return;
    if (!this.busy) {
      host.ui.select([]);
      this.points = [info.p];
      this.busy = true;
      host.capture(true);
      this.show(host);
      return;
    }
    const first = this.points[0] as Pt;
    const closable = this.kind === "polygon" || host.control?.spec.closable === true;
    if (closable && this.points.length >= (this.kind === "polygon" ? 3 : 2) && dist(info.p, first) * host.scale() <= CLOSE_RADIUS) {
      this.finish(host, true);
      return;
    }
    if (info.detail >= 2) {
      this.finish(host, this.kind === "polygon");
      return;
    }
    const last = this.points[this.points.length - 1] as Pt;
    if (dist(info.p, last) * host.scale() >= 1) this.points.push(info.p);
    this.show(host);
  }

  move(info: PointerInfo, host: ToolHost): void {
    if (!this.busy) return;
    this.cursor = info.p;
    this.show(host);
  }

  up(): void {}

  key(e: KeyboardEvent, host: ToolHost): boolean {
    if (!this.busy) return false;
    if (e.key === "Enter") {
      this.finish(host, this.kind === "polygon");
      return true;
    }
    if (e.key === "Escape") {
      this.cancel(host);
      return true;
    }
    if (e.key === "Backspace" || e.key === "Delete") {
      this.points.pop();
      if (!this.points.length) this.cancel(host);
      else this.show(host);
      return true;
    }
    return false;
  }

  cancel(host: ToolHost): void {
    this.points = [];
    this.cursor = null;
    if (this.busy) host.capture(false);
    this.busy = false;
    host.setPreview(null);
  }

  private show(host: ToolHost): void {
    const pts = this.cursor ? [...this.points, this.cursor] : this.points;
    const geometry = this.kind === "polygon" ? polygonFromPoints(pts, host.size, false) : vectorFromPoints(pts, host.size, false);
    host.setPreview({ kind: this.kind, geometry, style: newRegionStyle(host), points: [...this.points] });
  }

  private finish(host: ToolHost, closed: boolean): void {
    const points = this.points;
    this.cancel(host);
    const min = this.kind === "polygon" ? 3 : 2;
    if (points.length < min) return;
    const geometry = this.kind === "polygon" ? polygonFromPoints(points, host.size, closed) : vectorFromPoints(points, host.size, closed);
    createRegion(host, geometry);
  }
}

// keypoint: one click ----------------------------------------------------------------------------------

export class KeyPointTool implements Tool {
  busy = false;

  down(info: PointerInfo, host: ToolHost): void {
    // auto-annotate: Alt+click or a right click is a negative point
    const negative = host.smart !== undefined && (info.alt || info.button === 2);
    if (info.button !== 0 && !negative) return;
    const stroke = host.control ? controlSpec(host.model, host.control.name)?.stroke_width : undefined;
    createRegion(host, keypointAt(info.p, host.size, keypointWidth(stroke, host.fitWidth())), !negative);
  }

  move(): void {}
  up(): void {}
  key(): boolean {
    return false;
  }
  cancel(): void {}
}

/** The drawing tool of a region kind (brush has its own, in ./brush.ts). */
export function drawTool(kind: RegionKind): Tool | null {
  switch (kind) {
    case "rectangle":
    case "ellipse":
      return new DragShapeTool(kind);
    case "polygon":
    case "vector":
      return new PointsTool(kind);
    case "keypoint":
      return new KeyPointTool();
    default:
      return null;
  }
}
