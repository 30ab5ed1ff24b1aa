// What every tag component can reach while rendering one task.

import { createContext, type FunctionComponent } from "preact";
import { useContext } from "preact/hooks";
import type { TaskState, ViewNode } from "./protocol";
import type { Session } from "./session";
import type { Selection } from "./state/analysis";
import type { AnnotationStore } from "./state/store";

export interface LabelContext {
  task: TaskState;
  data: Record<string, unknown>;
  session: Session;
  store: AnnotationStore;
  /** bumps on every store change, so memoised children re-render */
  version: number;
  /** a request is in flight: controls stay usable, the toolbar does not */
  busy: boolean;
  /** which choices are selected, for visibleWhen */
  selection: Selection;
  /** controls to mark as invalid (after a refused submit) with the reason */
  invalid: ReadonlyMap<string, string>;
  /** renders one config node (objects use it for their children) */
  Node: FunctionComponent<{ node: ViewNode }>;
  /** give the keyboard back to the widget root (after Enter in a text field) */
  focusRoot(): void;
}

export const Ctx = createContext<LabelContext | null>(null);

export function useLabel(): LabelContext {
  const ctx = useContext(Ctx);
  if (!ctx) throw new Error("labelnb: a tag was rendered outside the widget");
  return ctx;
}
