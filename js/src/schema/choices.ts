// The model of a <Choices> control read from its config node: its Choice children (value, alias, hotkeys,
// style), its mode and its layout. Pure: the control in controls/choices.tsx renders it, and the editor's
// rules (state/) use it for defaults and for visibleWhen.

import { attr, boolAttr, children, parseStyle } from "../config";
import { parseHotkey, type Hotkey } from "../hotkeys";
import type { ViewNode } from "../protocol";

export type ChoiceMode = "single" | "single-radio" | "multiple";
export type ChoiceLayout = "vertical" | "inline" | "select";

export interface ChoiceSpec {
  /** the text shown (the Choice's value) */
  value: string;
  /** what goes into the result: alias if present, else value */
  label: string;
  hotkeys: Hotkey[];
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

export function choiceStyle(style: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(parseStyle(style))) {
    if (CHOICE_STYLE_PROPS.has(key)) out[key] = value;
  }
  return out;
}

/** The Choice tags of a Choices control, in order (looking through nested Views, not nested controls). */
export function choiceSpecs(node: ViewNode): ChoiceSpec[] {
  const out: ChoiceSpec[] = [];
  const visit = (n: ViewNode) => {
    for (const child of children(n)) {
      if (child.tag === "Choice") {
        const value = attr(child, "value") ?? "";
        const alias = attr(child, "alias");
        const hotkeyText = attr(child, "hotkey") ?? "";
        const hint = attr(child, "hint");
        const html = attr(child, "html");
        out.push({
          value,
          label: alias !== undefined && alias !== "" ? alias : value,
          hotkeys: parseHotkey(hotkeyText),
          hotkeyText,
          style: choiceStyle(attr(child, "style")),
          selected: boolAttr(child, "selected"),
          ...(hint ? { hint } : {}),
          ...(html ? { html } : {}),
        });
      } else if (child.tag === "View") {
        visit(child);
      }
    }
  };
  visit(node);
  return out;
}

export function choiceMode(node: ViewNode): ChoiceMode {
  const raw = (attr(node, "choice") ?? "single").trim().toLowerCase();
  return raw === "multiple" || raw === "single-radio" ? raw : "single";
}

export function choiceLayout(node: ViewNode): ChoiceLayout {
  const layout = (attr(node, "layout") ?? "").trim().toLowerCase();
  if (layout === "select") return "select";
  if (layout === "inline" || boolAttr(node, "showInline")) return "inline";
  return "vertical";
}
