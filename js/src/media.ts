// Media bytes pushed by the kernel, kept as blob URLs in a small LRU cache.
//
// The kernel pushes media for the current and the next tasks before the browser asks, so a view usually
// finds its image here already. Entries in use by a rendered view are retained and never evicted; evicted
// entries have their blob URL revoked.

export type MediaState =
  | { status: "ready"; url: string; mime: string }
  | { status: "error"; error: string }
  | { status: "missing" };

interface Entry {
  url: string;
  mime: string;
}

export interface MediaCacheOptions {
  capacity?: number;
  createObjectURL?: (blob: Blob) => string;
  revokeObjectURL?: (url: string) => void;
}

type Bytes = ArrayBuffer | ArrayBufferView;

export class MediaCache {
  readonly capacity: number;
  private entries = new Map<string, Entry>(); // insertion order = least recently used first
  private errors = new Map<string, string>();
  private retained = new Map<string, number>();
  private listeners = new Set<() => void>();
  private readonly create: (blob: Blob) => string;
  private readonly revoke: (url: string) => void;
  private disposed = false;

  constructor(options: MediaCacheOptions = {}) {
    this.capacity = Math.max(1, options.capacity ?? 20);
    this.create = options.createObjectURL ?? ((blob) => URL.createObjectURL(blob));
    this.revoke = options.revokeObjectURL ?? ((url) => URL.revokeObjectURL(url));
  }

  /** Bytes for `value` arrived. A value already cached keeps its URL (the same file, pushed again). */
  put(value: string, bytes: Bytes, mime: string): void {
    if (this.disposed) return;
    this.errors.delete(value);
    const existing = this.entries.get(value);
    if (existing) {
      this.touch(value, existing);
    } else {
      const part: BlobPart = bytes instanceof ArrayBuffer ? bytes : copyView(bytes);
      const url = this.create(new Blob([part], { type: mime }));
      this.entries.set(value, { url, mime });
      this.evict();
    }
    this.emit();
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
      return { status: "ready", url: entry.url, mime: entry.mime };
    }
    const error = this.errors.get(value);
    if (error !== undefined) return { status: "error", error };
    return { status: "missing" };
  }

  has(value: string): boolean {
    return this.entries.has(value);
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
