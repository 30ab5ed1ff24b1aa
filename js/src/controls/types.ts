// The interface each control family implements; the registry in ./index.ts maps tag names to them.

import type { FunctionComponent } from "preact";
import type { Hotkey } from "../hotkeys";
import type { ViewNode } from "../protocol";
import type { ControlSpec } from "../schema/model";
import type { ControlRef } from "../state/results";
import type { ControlRules } from "../state/rules";
import type { Annotation } from "../state/annotation";

export interface ControlProps {
  node: ViewNode;
  control: ControlRef;
  /** the control's analysed spec: every rule and display attribute, worked out by the kernel */
  spec: ControlSpec;
}

export interface HotkeyBinding {
  hotkeys: Hotkey[];
  /** what the key does; `focus` finds an element inside the control (Number focuses its input) */
  run(api: HotkeyApi): void;
}

export interface HotkeyApi {
  annotation: Annotation;
  /** the control's element in the DOM ([data-control=name]) */
  element: HTMLElement | null;
}

/** A control family: its rules (result type, default value, validation: state/rules.ts) and how it looks. */
export interface ControlDef extends ControlRules {
  Component: FunctionComponent<ControlProps>;
  /** the control's hotkeys, from its spec (written ones and Label Studio's automatic ones) */
  hotkeys?(spec: ControlSpec, control: ControlRef): HotkeyBinding[];
}
