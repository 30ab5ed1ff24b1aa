// Media bytes pushed by the kernel, kept as blob URLs in a small LRU cache.
//
// The kernel pushes media for the current and the next tasks before the browser asks, so a view usually
// finds its image here already. Entries in use by a rendered view are retained and never evicted; evicted
// entries have their blob URL revoked.
//
// A blob URL is same-origin: opened on its own (right click, "open image in new tab") it is a document of the
// notebook's origin. So no blob URL made here may hold a type that can run script:
// - SVG (declared `image/svg+xml`, or bytes that look like SVG/XML whatever the declared type) is rasterised
//   first: loaded only in an `Image()` (image context: no script, no external loads), drawn to a canvas and
//   exposed as a PNG; the SVG's own URL is revoked as soon as that is done and is never handed out. Until the
//   PNG is ready the value reads as "missing" (loading).
// - any other type that is not passive media (images, audio, video, plain text) is stored as
//   `application/octet-stream`, which a browser downloads instead of rendering (an `<img>` still sniffs it).

/** The size of the original image when the kernel sent a smaller preview of it (DESIGN.md, "Media"). */
export interface OriginalSize {
  width: number;
  height: number;
}

export type MediaState =
  | { status: "ready"; url: string; mime: string; original?: OriginalSize }
  | { status: "error"; error: string }
  | { status: "missing" };

interface Entry {
  url: string;
  mime: string;
  original?: OriginalSize;
}

/** Turn an SVG, given as a blob URL, into PNG bytes. The default draws it in the browser (rasterizeSvg). */
export type SvgRasterizer = (svgUrl: string) => Promise<Blob>;

export interface MediaCacheOptions {
  capacity?: number;
  createObjectURL?: (blob: Blob) => string;
  revokeObjectURL?: (url: string) => void;
  rasterizeSvg?: SvgRasterizer;
}

export const SVG_RENDER_ERROR = "the SVG image could not be rendered";

/** The shorter goal for a rasterised SVG's longer side, and the cap (canvas memory). */
export const SVG_MIN_LONG_SIDE = 2048;
export const SVG_MAX_LONG_SIDE = 8192;

type Bytes = ArrayBuffer | ArrayBufferView;

export class MediaCache {
  readonly capacity: number;
  private entries = new Map<string, Entry>(); // insertion order = least recently used first
  private errors = new Map<string, string>();
  private retained = new Map<string, number>();
  private listeners = new Set<() => void>();
  private readonly create: (blob: Blob) => string;
  private readonly revoke: (url: string) => void;
  private readonly rasterize: SvgRasterizer;
  /** values whose SVG is being rasterised */
  private pending = new Set<string>();
  private disposed = false;

  constructor(options: MediaCacheOptions = {}) {
    this.capacity = Math.max(1, options.capacity ?? 20);
    this.create = options.createObjectURL ?? ((blob) => URL.createObjectURL(blob));
    this.revoke = options.revokeObjectURL ?? ((url) => URL.revokeObjectURL(url));
    this.rasterize = options.rasterizeSvg ?? rasterizeSvg;
  }

  /** Bytes for `value` arrived. A value already cached keeps its URL (the same file, pushed again). */
  put(value: string, bytes: Bytes, mime: string, original?: OriginalSize): void {
    if (this.disposed) return;
    if (this.pending.has(value)) return; // already being rasterised: it announces itself when done
    this.errors.delete(value);
    const existing = this.entries.get(value);
    if (existing) {
      this.touch(value, existing);
    } else {
      const part = bytes instanceof ArrayBuffer ? bytes : copyView(bytes);
      if (isSvg(mime, part)) {
        this.putSvg(value, part);
      } else {
        const type = blobType(mime);
        const url = this.create(new Blob([part], { type }));
        this.entries.set(value, { url, mime: type, ...(original ? { original } : {}) });
        this.evict();
      }
    }
    this.emit();
  }

  /** Rasterise an SVG: its own blob URL lives only until the PNG is drawn and is never handed out. */
  private putSvg(value: string, part: ArrayBuffer): void {
    this.pending.add(value);
    const svgUrl = this.create(new Blob([part], { type: "image/svg+xml" }));
    let png: Promise<Blob>;
    try {
      png = this.rasterize(svgUrl);
    } catch (err) {
      png = Promise.reject(err);
    }
    png.then(
      (blob) => {
        this.revoke(svgUrl);
        this.pending.delete(value);
        if (this.disposed) return;
        if (!(blob instanceof Blob) || blob.size === 0) {
          this.fail(value, SVG_RENDER_ERROR);
          return;
        }
        const url = this.create(blob.type === "image/png" ? blob : new Blob([blob], { type: "image/png" }));
        this.errors.delete(value);
        this.entries.set(value, { url, mime: "image/png" });
        this.evict();
        this.emit();
      },
      () => {
        this.revoke(svgUrl);
        this.pending.delete(value);
        if (!this.disposed) this.fail(value, SVG_RENDER_ERROR);
      },
    );
  }

  fail(value: string, error: string): void {
    if (this.disposed) return;
    this.errors.set(value, error);
    // keep the error list from growing without bound
    if (this.errors.size > this.capacity * 4) {
      const oldest = this.errors.keys().next().value;
      if (oldest !== undefined) this.errors.delete(oldest);
    }
    this.emit();
  }

  /** Forget an error so that a new attempt shows "loading" again. */
  clearError(value: string): void {
    if (this.errors.delete(value)) this.emit();
  }

  get(value: string): MediaState {
    const entry = this.entries.get(value);
    if (entry) {
      this.touch(value, entry);
      return { status: "ready", url: entry.url, mime: entry.mime, ...(entry.original ? { original: entry.original } : {}) };
    }
    const error = this.errors.get(value);
    if (error !== undefined) return { status: "error", error };
    return { status: "missing" };
  }

  /** The bytes are here (ready, or an SVG still being rasterised): no need to ask the kernel again. */
  has(value: string): boolean {
    return this.entries.has(value) || this.pending.has(value);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Keep `value` from being evicted while a view shows it. Returns the release function. */
  retain(value: string): () => void {
    this.retained.set(value, (this.retained.get(value) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const n = (this.retained.get(value) ?? 1) - 1;
      if (n <= 0) this.retained.delete(value);
      else this.retained.set(value, n);
      this.evict();
    };
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  dispose(): void {
    this.disposed = true;
    for (const entry of this.entries.values()) this.revoke(entry.url);
    this.entries.clear();
    this.errors.clear();
    this.listeners.clear();
    // a rasterisation still running revokes its SVG URL when it settles and exposes nothing
  }

  private touch(value: string, entry: Entry): void {
    this.entries.delete(value);
    this.entries.set(value, entry);
  }

  private evict(): void {
    if (this.entries.size <= this.capacity) return;
    for (const [value, entry] of this.entries) {
      if (this.entries.size <= this.capacity) break;
      if (this.retained.has(value)) continue;
      this.entries.delete(value);
      this.revoke(entry.url);
    }
  }

  private emit(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

function copyView(view: ArrayBufferView): ArrayBuffer {
  // A DataView from the comm may look into a larger buffer (or a SharedArrayBuffer): copy just its bytes.
  const out = new Uint8Array(view.byteLength);
  out.set(new Uint8Array(view.buffer, view.byteOffset, view.byteLength));
  return out.buffer;
}

/** Media types a blob URL may carry as they are: opened on their own, none of them runs script. */
const PASSIVE_TYPE = /^(?:image\/(?!svg)[a-z0-9.+-]+|audio\/[a-z0-9.+-]+|video\/[a-z0-9.+-]+|text\/plain|text\/csv|application\/octet-stream)$/;

function essence(mime: string): string {
  return (mime.split(";")[0] ?? "").trim().toLowerCase();
}

/** The type a blob is stored with: the declared one when it is passive, else a download. */
export function blobType(mime: string): string {
  const type = essence(mime);
  return PASSIVE_TYPE.test(type) ? type : "application/octet-stream";
}

/** SVG by its declared type, or by its first bytes (`<svg`, `<?xml`, after a BOM, spaces or comments). */
export function isSvg(mime: string, bytes: ArrayBuffer): boolean {
  if (essence(mime) === "image/svg+xml") return true;
  const head = new TextDecoder("utf-8", { fatal: false })
    .decode(new Uint8Array(bytes, 0, Math.min(bytes.byteLength, 1024)))
    .replace(/^\uFEFF/, "")
    .replace(/^(?:\s|<!--[\s\S]*?-->)*/, "")
    .toLowerCase();
  return head.startsWith("<svg") || head.startsWith("<?xml") || head.startsWith("<!doctype svg");
}

/** The size a rasterised SVG is drawn at: its own, scaled up to SVG_MIN_LONG_SIDE, capped at the max. */
export function rasterSize(width: number, height: number): { width: number; height: number } {
  // an SVG without an intrinsic size draws at a replaced element's default, 300 x 150
  const w = Number.isFinite(width) && width > 0 ? width : 300;
  const h = Number.isFinite(height) && height > 0 ? height : 150;
  const long = Math.max(w, h);
  let scale = long < SVG_MIN_LONG_SIDE ? SVG_MIN_LONG_SIDE / long : 1;
  if (long * scale > SVG_MAX_LONG_SIDE) scale = SVG_MAX_LONG_SIDE / long;
  return { width: Math.max(1, Math.round(w * scale)), height: Math.max(1, Math.round(h * scale)) };
}

/**
 * The browser's rasteriser: the SVG is loaded only as an image (no script runs, nothing external loads),
 * drawn to a canvas and read back as PNG bytes.
 */
export async function rasterizeSvg(svgUrl: string): Promise<Blob> {
  const img = new Image();
  img.decoding = "async";
  await new Promise<void>((resolve, reject) => {
    img.onload = () => resolve();
    img.onerror = () => reject(new Error(SVG_RENDER_ERROR));
    img.src = svgUrl;
  });
  const { width, height } = rasterSize(img.naturalWidth, img.naturalHeight);
  const canvas = document.createElement("canvas");
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext("2d");
  if (!ctx) throw new Error(SVG_RENDER_ERROR);
  ctx.drawImage(img, 0, 0, width, height);
  img.src = "";
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, "image/png"));
  canvas.width = 0;
  canvas.height = 0;
  if (!blob) throw new Error(SVG_RENDER_ERROR);
  return blob;
}
