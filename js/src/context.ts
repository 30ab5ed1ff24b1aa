// What every tag component can reach while rendering one task.

import { createContext, type FunctionComponent } from "preact";
import { useContext, useEffect, useRef, useState } from "preact/hooks";
import type { ResultItem, TaskState, ViewNode } from "./protocol";
import type { ControlModel } from "./schema/model";
import type { Editor } from "./editor";
import type { Session } from "./session";
import type { Selection } from "./state/analysis";
import type { Annotation } from "./state/annotation";
import { classificationOf } from "./state/document";
import type { ControlRef } from "./state/results";

export interface LabelContext {
  task: TaskState;
  data: Record<string, unknown>;
  /** the analysed control model of the task (the `controls` trait): every rule about its controls */
  model: ControlModel;
  session: Session;
  /** the annotation being edited; a control listens to its own part with useControlItem */
  annotation: Annotation;
  /** regions, UI state (selection, tool, label, zoom) and the gesture in progress */
  editor: Editor;
  /** a request is in flight: controls stay usable, the toolbar does not */
  busy: boolean;
  /** which choices are selected, for visibleWhen (reads the current annotation) */
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

/**
 * A control's result item, re-rendering the calling component when (and only when) that control changes.
 * The root does not re-render on edits, so this is how a control sees its own value move (typing, undo).
 */
export function useControlItem(control: ControlRef): ResultItem | undefined {
  const { annotation } = useLabel();
  const [, setTick] = useState(0);
  const seen = useRef<unknown>(null);
  seen.current = classificationOf(annotation.doc, control.name, control.region);
  useEffect(() => {
    const bump = () => setTick((n) => n + 1);
    const unsubscribe = annotation.subscribeControl(control.name, bump);
    // a change between the render and this subscription
    if (classificationOf(annotation.doc, control.name, control.region) !== seen.current) bump();
    return unsubscribe;
  }, [annotation, control.name, control.region]);
  return annotation.find(control.name, control.type, control.region);
}
