// Subscriptions with selectors: a component re-renders when its slice of the document or UI state changes,
// not on every edit. (The root never re-renders for an edit; see DESIGN.md, "The editor".)

import { useEffect, useRef, useState } from "preact/hooks";
import type { Annotation } from "../../state/annotation";
import type { AnnotationDoc, Region } from "../../state/document";
import type { UiState, UiStore } from "../../state/ui";

function useForceUpdate(): () => void {
  const [, set] = useState(0);
  return () => set((n) => n + 1);
}

/** A value computed from the UI state, re-rendering only when it changes (compared with `same`). */
export function useUi<T>(ui: UiStore, select: (s: UiState) => T, same: (a: T, b: T) => boolean = Object.is): T {
  const force = useForceUpdate();
  const value = select(ui.state);
  const ref = useRef({ value, select, same });
  ref.current = { value, select, same };
  useEffect(
    () =>
      ui.subscribe((s) => {
        const { value: prev, select: sel, same: eq } = ref.current;
        if (!eq(prev, sel(s))) force();
      }),
    [ui],
  );
  return value;
}

/**
 * One region, re-rendering when (and only when) a command touches it: its record, or what hangs on it (a
 * generic labels item, a relation), which can change how it looks.
 */
export function useRegion(annotation: Annotation, id: string): Region | undefined {
  const force = useForceUpdate();
  const region = annotation.doc.regions[id];
  const seen = useRef(region);
  seen.current = region;
  useEffect(() => {
    const unsubscribe = annotation.subscribeRegion(id, (change) => {
      if (!change.all || annotation.doc.regions[id] !== seen.current) force();
    });
    if (annotation.doc.regions[id] !== seen.current) force();
    return unsubscribe;
  }, [annotation, id]);
  return region;
}

/** A value computed from the document, re-rendering when it changes (compared with `same`). */
export function useDoc<T>(annotation: Annotation, select: (doc: AnnotationDoc) => T, same: (a: T, b: T) => boolean): T {
  const force = useForceUpdate();
  const value = select(annotation.doc);
  const ref = useRef({ value, select, same });
  ref.current = { value, select, same };
  useEffect(() => {
    const check = () => {
      const { value: prev, select: sel, same: eq } = ref.current;
      if (!eq(prev, sel(annotation.doc))) force();
    };
    const unsubscribe = annotation.subscribe(check);
    check();
    return unsubscribe;
  }, [annotation]);
  return value;
}

export const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
