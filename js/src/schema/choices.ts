// A <Choices> control as the control in controls/choices.tsx shows it, read from its analysed spec
// (schema/model.ts): its choices (value, result label, hotkey, automatic ones included, style), its mode
// and its layout. Nothing here reads attribute text: the kernel worked those rules out.

import { parseStyle } from "../config";
import { parseHotkey, type Hotkey } from "../hotkeys";
import type { ControlSpec, LabelSpec } from "./model";

export type ChoiceMode = "single" | "single-radio" | "multiple";
export type ChoiceLayout = "vertical" | "inline" | "select";

export interface ChoiceSpec {
  /** the text shown (the Choice's value) */
  value: string;
  /** what goes into the result: alias if present, else value */
  label: string;
  hotkeys: Hotkey[];
  /** the hotkey as the model gives it (written, or Label Studio's automatic 1, 2, ...) */
  hotkeyText: string;
  hint?: string;
  html?: string;
  style: Record<string, string>;
  selected: boolean;
}

/**
 * A Choice's `style` may come from task data (dynamic choices copy every key of an option into the tag), so
 * the button keeps only what colours and types it: nothing that sizes, moves or layers it out of its box.
 */
const CHOICE_STYLE_PROPS = new Set([
  "color", "background", "backgroundColor", "fontWeight", "fontStyle", "fontFamily", "textDecoration",
  "textTransform", "borderColor", "borderStyle", "borderRadius", "opacity",
]); // prettier-ignore

export function choiceStyle(style: string | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(parseStyle(style ?? undefined))) {
    if (CHOICE_STYLE_PROPS.has(key)) out[key] = value;
  }
  return out;
}

function choiceOf(label: LabelSpec): ChoiceSpec {
  const value = label.value ?? "";
  const hotkeyText = label.hotkey ?? "";
  return {
    value,
    label: label.label ?? value,
    hotkeys: parseHotkey(hotkeyText),
    hotkeyText,
    style: choiceStyle(label.style),
    selected: label.selected === true,
    ...(label.hint ? { hint: label.hint } : {}),
    ...(label.html ? { html: label.html } : {}),
  };
}

/**
 * The choices of a Choices control, in config order (the model looks through nested Views). Only the top
 * level: without allowNested a Choice inside a Choice is not shown (Label Studio's isSkipped); with it the
 * control shows the tree (schema/nestedChoices.ts).
 */
export function choiceSpecs(spec: ControlSpec): ChoiceSpec[] {
  return (spec.labels ?? []).filter((l) => (l.depth ?? 0) === 0).map(choiceOf);
}

export function choiceMode(spec: ControlSpec): ChoiceMode {
  const mode = spec.choice;
  return mode === "multiple" || mode === "single-radio" ? mode : "single";
}

/** `layout`, where showInline="true"/"false" has already won as in Label Studio (Choices.jsx afterCreate). */
export function choiceLayout(spec: ControlSpec): ChoiceLayout {
  const layout = spec.layout;
  return layout === "select" || layout === "inline" ? layout : "vertical";
}

/** The labels a fresh task starts with: every preselected choice (Label Studio keeps them all). */
export function preselectedChoices(spec: ControlSpec): string[] {
  return (spec.preselected ?? []).filter((p): p is string => typeof p === "string");
}
