// The drawing layer's state while a gesture runs: the preview shape. A tiny store, so the preview and the
// one region it stands in for re-render on every pointer move and nothing else does.

import { useEffect, useState } from "preact/hooks";
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

/** True while the gesture's preview stands in for region `id` (the region hides, the preview shows). */
export function usePreviewReplaces(preview: PreviewStore, id: string): boolean {
  const [replaced, setReplaced] = useState(false);
  useEffect(() => {
    const check = () => setReplaced(preview.get()?.replaces === id);
    check();
    return preview.subscribe(check);
  }, [preview, id]);
  return replaced;
}
