// Brush regions: masks at the image's natural resolution, stored as Label Studio RLE (reference C.6). The
// brush tool paints a stroke into a working copy of the mask (shown live on a canvas above the image) and
// writes it back once, when the stroke ends: one undo step per stroke. A stroke with the same label while a
// brush region is selected adds to that region; the eraser takes away from the selected region.

import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import type { Editor } from "../../editor";
import { regionStyle } from "../../controls/regionTools";
import {
  cloneMask,
  createMask,
  isEmpty,
  maskFromRle,
  maskToRgba,
  maskToRle,
  paintStroke,
  type Mask,
  type PixelBox,
} from "../../controls/shapes/brush/mask";
import type { Pt, Size } from "../../controls/shapes/types";
import { controlSpec } from "../../schema/model";
import { deleteRegion, updateRegion } from "../../state/commands";
import { regionLabels, type Json, type Region } from "../../state/document";
import { sameList, useDoc, useRegion, useUi } from "./hooks";
import { usePreviewReplaces, type PreviewStore } from "./preview";
import { regionIdsOn } from "./RegionLayer";
import { addNewRegion, refuseIfUsedUp, type PointerInfo, type Tool, type ToolHost } from "./tools";

const masks = new WeakMap<object, Mask | null>();

/** Label Studio's Bitmask value: a PNG of the image's size, opaque where painted. Nothing else is drawn. */
const PNG_DATA_URL = /^data:image\/png;base64,[A-Za-z0-9+/]*={0,2}$/;

/** A bitmask region's value (`{imageDataURL}`), as Bitmask/BitmaskLabels store it, or null. */
function bitmaskUrl(geometry: Json): string | null {
  const url = geometry.imageDataURL;
  return typeof url === "string" && PNG_DATA_URL.test(url) ? url : null;
}

/**
 * Decode a bitmask's PNG into a mask (async: an image decodes off the main path). The result lands in the
 * same cache regionMask() reads; `done` hears when it is there.
 */
export function loadBitmask(geometry: Json, size: Size, done: () => void): void {
  const url = bitmaskUrl(geometry);
  if (url === null || masks.has(geometry) || typeof Image === "undefined") return;
  const img = new Image();
  img.onload = () => {
    const canvas = document.createElement("canvas");
    canvas.width = size.width;
    canvas.height = size.height;
    const ctx = canvas.getContext("2d", { willReadFrequently: true });
    if (!ctx || img.naturalWidth !== size.width || img.naturalHeight !== size.height) {
      masks.set(geometry, null); // a mask for another image size is kept as it came, not drawn
      done();
      return;
    }
    ctx.drawImage(img, 0, 0);
    const rgba = ctx.getImageData(0, 0, size.width, size.height).data;
    const mask = createMask(size.width, size.height);
    for (let i = 0, j = 3; i < mask.data.length; i += 1, j += 4) mask.data[i] = (rgba[j] ?? 0) > 0 ? 255 : 0;
    masks.set(geometry, mask);
    done();
  };
  img.onerror = () => {
    masks.set(geometry, null);
    done();
  };
  img.src = url;
}

/** A mask as Label Studio's bitmask value: a PNG of the mask's size, black and opaque where set. */
export function bitmaskValue(mask: Mask): Json {
  const canvas = document.createElement("canvas");
  drawMask(canvas, mask, "#000000", 1);
  return { imageDataURL: canvas.toDataURL("image/png") };
}

/** The decoded mask of a brush region's geometry (cached per geometry object; null when unreadable). */
export function regionMask(geometry: Json, size: Size): Mask | null {
  const cached = masks.get(geometry);
  if (cached !== undefined && (cached === null || (cached.width === size.width && cached.height === size.height))) return cached;
  if (bitmaskUrl(geometry) !== null) return null; // loading (loadBitmask)
  let mask: Mask | null = null;
  const rle = geometry.rle;
  if (geometry.format === "rle" && Array.isArray(rle)) {
    try {
      mask = maskFromRle(rle as number[], size.width, size.height);
    } catch {
      mask = null; // a mask made for another image size, or a broken stream: kept as it came, not drawn
    }
  }
  masks.set(geometry, mask);
  return mask;
}

let probe: CanvasRenderingContext2D | null | undefined;

/** A CSS colour as [r, g, b] (hex parsed directly; anything else through a 1x1 canvas). */
export function rgbOf(color: string): [number, number, number] {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color.trim());
  if (hex) {
    const h = hex[1] as string;
    const full = h.length === 3 ? [...h].map((c) => c + c).join("") : h;
    return [parseInt(full.slice(0, 2), 16), parseInt(full.slice(2, 4), 16), parseInt(full.slice(4, 6), 16)];
  }
  if (probe === undefined) probe = document.createElement("canvas").getContext("2d", { willReadFrequently: true });
  if (!probe) return [128, 128, 128];
  probe.clearRect(0, 0, 1, 1);
  probe.fillStyle = "#808080";
  probe.fillStyle = color;
  probe.fillRect(0, 0, 1, 1);
  const [r = 128, g = 128, b = 128] = probe.getImageData(0, 0, 1, 1).data;
  return [r, g, b];
}

/** Paint the mask (or just `box` of it) onto a canvas of the mask's size, in `color`. */
function drawMask(canvas: HTMLCanvasElement, mask: Mask, color: string, alpha: number, box?: PixelBox | null): void {
  if (canvas.width !== mask.width) canvas.width = mask.width;
  if (canvas.height !== mask.height) canvas.height = mask.height;
  const ctx = canvas.getContext("2d");
  if (!ctx) return;
  const area = box ?? { x: 0, y: 0, width: mask.width, height: mask.height };
  if (area.width <= 0 || area.height <= 0) return;
  const [r, g, b] = rgbOf(color);
  const pixels = maskToRgba(mask, [r, g, b, Math.round(Math.min(1, Math.max(0, alpha)) * 255)], area);
  const image = ctx.createImageData(area.width, area.height);
  image.data.set(pixels);
  ctx.putImageData(image, area.x, area.y);
}

const BRUSH_ALPHA = 0.55;

function BrushRegion({ editor, id, size, preview }: { editor: Editor; id: string; size: Size; preview: PreviewStore }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const region = useRegion(editor.annotation, id);
  const selected = useUi(editor.ui, (s) => s.selected.includes(id));
  const hover = useUi(editor.ui, (s) => s.hover === id);
  const replaced = usePreviewReplaces(preview, id);
  const labels = region ? regionLabels(editor.annotation.doc, id) : [];
  const style = regionStyle(region ? controlSpec(editor.model, region.control) : undefined, labels, editor.model);
  const [loaded, setLoaded] = useState(0);
  // a canvas shown again (after hiding, or after a stroke on it was dropped) is a new, blank element
  const shown = region !== undefined && !region.hidden && !replaced;
  // drawn before the browser paints: a canvas that replaces the stroke's preview never shows blank for a frame
  useLayoutEffect(() => {
    const canvas = ref.current;
    if (!canvas || !region) return;
    const mask = regionMask(region.geometry, size);
    if (mask) drawMask(canvas, mask, style.fill, BRUSH_ALPHA);
    else loadBitmask(region.geometry, size, () => setLoaded((n) => n + 1));
  }, [region?.geometry, style.fill, size, loaded, shown]);
  if (!shown) return null;
  return (
    <canvas
      ref={ref}
      class={`lnb-brush${selected ? " lnb-selected" : ""}${hover ? " lnb-hover" : ""}`}
      data-region={id}
      data-kind="brush"
      data-label={labels.join(",")}
      width={size.width}
      height={size.height}
    />
  );
}

/** The stroke in progress. */
function BrushPreview({ preview, size }: { preview: PreviewStore; size: Size }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const [, set] = useState(0);
  useEffect(() => preview.subscribe(() => set((n) => n + 1)), [preview]);
  const p = preview.get();
  const mask = p?.kind === "brush" ? (p.mask as Mask | undefined) : undefined;
  useLayoutEffect(() => {
    // the first preview of a stroke on a region draws its whole mask, later ones only the box the last move
    // painted (in the frame of the move, not the one after)
    if (ref.current && mask && p) drawMask(ref.current, mask, p.style.fill, BRUSH_ALPHA, p.dirty as PixelBox | null | undefined);
  });
  if (!mask) return null;
  return <canvas ref={ref} class="lnb-brush lnb-brush-preview" data-preview="brush" width={size.width} height={size.height} />;
}

export function BrushLayer({ editor, object, size, itemIndex, preview }: { editor: Editor; object: string; size: Size; itemIndex: number | undefined; preview: PreviewStore }) {
  const ids = useDoc(editor.annotation, (doc) => regionIdsOn(doc, object, itemIndex, true), sameList);
  return (
    <div class="lnb-brush-layer">
      {ids.map((id) => (
        <BrushRegion key={id} editor={editor} id={id} size={size} preview={preview} />
      ))}
      <BrushPreview preview={preview} size={size} />
    </div>
  );
}

/** Paint (or erase) one stroke per press. */
export class BrushTool implements Tool {
  private mask: Mask | null = null;
  private target: Region | null = null;
  private last: Pt | null = null;
  private erase = false;
  /** the next preview draws the whole working mask (then only what each move painted) */
  private first = true;
  busy = false;

  down(info: PointerInfo, host: ToolHost): void {
    const control = host.control;
    if (!control || info.button !== 0) return;
    const doc = host.annotation.doc;
    const size = host.size;
    this.erase = host.ui.state.brush.erase;
    // the selected brush region of this control (with the active label) is painted on; else a new one
    const selected = host.ui.state.selected.map((id) => doc.regions[id]).find(
      (r): r is Region =>
        r !== undefined &&
        r.kind === "brush" &&
        r.control === control.name &&
        !r.locked &&
        (this.erase || !control.labelled || regionLabels(doc, r.id).includes(host.label ?? "")),
    );
    if (this.erase && !selected) return;
    if (!this.erase && control.labelled && host.label === null) return;
    const base = selected ? regionMask(selected.geometry, size) : null;
    if (selected && !base) return; // a mask this version cannot read is not painted over
    this.target = selected ?? null;
    this.mask = base ? cloneMask(base) : createMask(size.width, size.height);
    // a new mask is blank like the preview's new canvas: only what the strokes paint needs drawing
    this.first = base !== null;
    this.last = info.p;
    this.busy = true;
    this.paint([info.p], host);
  }

  move(info: PointerInfo, host: ToolHost): void {
    if (!this.busy || !this.last) return;
    this.paint([this.last, info.p], host);
    this.last = info.p;
  }

  up(_info: PointerInfo, host: ToolHost): void {
    const mask = this.mask;
    const target = this.target;
    this.cancel(host);
    const control = host.control;
    if (!mask || !control) return;
    const a = host.annotation;
    if (isEmpty(mask)) {
      if (target) {
        a.begin("erase");
        a.run(deleteRegion(a.doc, target.id));
        a.end();
      }
      return;
    }
    const geometry: Json = control.type.startsWith("bitmask") ? bitmaskValue(mask) : { format: "rle", rle: maskToRle(mask) };
    masks.set(geometry, mask);
    a.begin(this.erase ? "erase" : "paint");
    if (target) {
      a.run(updateRegion(a.doc, target.id, { geometry }));
    } else {
      if (refuseIfUsedUp(host)) {
        a.end();
        return;
      }
      const id = host.newId();
      addNewRegion(host, control, id, geometry);
      host.ui.select([id]);
    }
    a.end();
  }

  key(e: KeyboardEvent, host: ToolHost): boolean {
    if (e.key !== "Escape" || !this.busy) return false;
    this.cancel(host);
    return true;
  }

  cancel(host: ToolHost): void {
    this.mask = null;
    this.target = null;
    this.last = null;
    this.busy = false;
    host.setPreview(null);
  }

  private paint(points: Pt[], host: ToolHost): void {
    const mask = this.mask;
    if (!mask) return;
    const radius = Math.max(0.5, host.ui.state.brush.size / 2 / host.scale());
    const dirty = paintStroke(mask, points, radius, this.erase);
    const full = this.first;
    this.first = false;
    const labels = host.label !== null ? [host.label] : this.target ? regionLabels(host.annotation.doc, this.target.id) : undefined;
    host.setPreview({
      kind: "brush",
      geometry: {},
      style: regionStyle(host.control?.spec, labels),
      ...(this.target ? { replaces: this.target.id } : {}),
      mask,
      dirty: full ? null : dirty,
    });
  }
}
