// The interface each control family implements; the registry in ./index.ts maps tag names to them.

import type { FunctionComponent } from "preact";
import type { Hotkey } from "../hotkeys";
import type { ResultItem, ViewNode } from "../protocol";
import type { ControlRef, ResultValue } from "../state/results";
import type { AnnotationStore } from "../state/store";

export interface ControlProps {
  node: ViewNode;
  control: ControlRef;
}

export interface HotkeyBinding {
  hotkeys: Hotkey[];
  /** what the key does; `focus` finds an element inside the control (Number focuses its input) */
  run(api: HotkeyApi): void;
}

export interface HotkeyApi {
  store: AnnotationStore;
  /** the control's element in the DOM ([data-control=name]) */
  element: HTMLElement | null;
}

export interface ControlDef {
  /** canonical tag name */
  tag: string;
  /** Label Studio result type */
  type: string;
  Component: FunctionComponent<ControlProps>;
  /** the control's hotkeys (computed from its attributes and children) */
  hotkeys?(node: ViewNode, control: ControlRef): HotkeyBinding[];
  /** the value a fresh task starts with (Choice selected="true", Number defaultValue, ...) */
  defaultValue?(node: ViewNode, data: Record<string, unknown>): ResultValue | null;
  /** a problem with the item the user made, beyond `required` */
  validate?(node: ViewNode, control: ControlRef, item: ResultItem | undefined): string | null;
}
