// The drawing layer's state while a gesture runs: the preview shape. A tiny store, so the preview and the
// one region it stands in for re-render on every pointer move and nothing else does.

import type { Preview } from "./tools";

export class PreviewStore {
  private current: Preview | null = null;
  private listeners = new Set<() => void>();

  get(): Preview | null {
    return this.current;
  }

  set(preview: Preview | null): void {
    if (preview === null && this.current === null) return;
    this.current = preview;
    for (const l of [...this.listeners]) l();
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }
}
