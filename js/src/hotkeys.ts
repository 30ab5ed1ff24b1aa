// Label Studio hotkey strings ("1", "c", "ctrl+1", "shift+a", "ctrl+shift+x", "1, 2") parsed and matched
// against keydown events. Which key belongs to which label, choice or control is not worked out here: the
// control model (schema/model.ts) carries every hotkey, written ones and Label Studio's automatic ones
// (1234567890qwe... in document order, labelnb/config/control_model.py), and modelHotkeys lists them.

import type { ControlModel, ControlSpec, LabelSpec } from "./schema/model";

export interface Hotkey {
  /** lower-case KeyboardEvent.key, e.g. "a", "1", "enter", " ", "arrowup" */
  key: string;
  ctrl: boolean;
  alt: boolean;
  shift: boolean;
  meta: boolean;
}

export interface KeyLike {
  key: string;
  code?: string;
  ctrlKey?: boolean;
  altKey?: boolean;
  shiftKey?: boolean;
  metaKey?: boolean;
}

const KEY_ALIASES: Record<string, string> = {
  space: " ",
  spacebar: " ",
  esc: "escape",
  return: "enter",
  up: "arrowup",
  down: "arrowdown",
  left: "arrowleft",
  right: "arrowright",
  del: "delete",
  plus: "+",
  comma: ",",
  minus: "-",
};

const MODIFIERS: Record<string, keyof Omit<Hotkey, "key">> = {
  ctrl: "ctrl",
  control: "ctrl",
  alt: "alt",
  option: "alt",
  opt: "alt",
  shift: "shift",
  meta: "meta",
  cmd: "meta",
  command: "meta",
  "⌘": "meta",
  super: "meta",
  win: "meta",
};

/** Parse one combination like "ctrl+shift+a". Returns null when it names no key. */
export function parseCombo(text: string): Hotkey | null {
  const combo = text.trim().toLowerCase();
  if (!combo) return null;
  // a trailing "+" is the plus key itself: "ctrl++" or "+"
  const parts = combo.endsWith("+") ? [...combo.slice(0, -1).split("+").slice(0, -1), "+"] : combo.split("+");
  const hotkey: Hotkey = { key: "", ctrl: false, alt: false, shift: false, meta: false };
  for (const [i, raw] of parts.entries()) {
    const part = raw.trim();
    const isLast = i === parts.length - 1;
    const modifier = MODIFIERS[part];
    if (modifier && !isLast) {
      hotkey[modifier] = true;
    } else if (isLast) {
      if (!part) return null;
      hotkey.key = KEY_ALIASES[part] ?? part;
    } else {
      return null; // something like "a+b": not a combination we understand
    }
  }
  return hotkey;
}

/** Parse a hotkey attribute: comma-separated alternatives. */
export function parseHotkey(text: string | undefined | null): Hotkey[] {
  if (!text) return [];
  if (text.trim() === ",") return [{ key: ",", ctrl: false, alt: false, shift: false, meta: false }];
  return text
    .split(",")
    .map(parseCombo)
    .filter((h): h is Hotkey => h !== null);
}

function keyFromCode(code: string | undefined): string | null {
  if (!code) return null;
  let m = /^Key([A-Z])$/.exec(code);
  if (m?.[1]) return m[1].toLowerCase();
  m = /^(?:Digit|Numpad)([0-9])$/.exec(code);
  if (m?.[1]) return m[1];
  return null;
}

/** Does the event press this hotkey? */
export function matchesHotkey(event: KeyLike, hotkey: Hotkey): boolean {
  if (!!event.ctrlKey !== hotkey.ctrl || !!event.altKey !== hotkey.alt || !!event.metaKey !== hotkey.meta) {
    return false;
  }
  const key = event.key.toLowerCase();
  const plain = /^[a-z0-9]$/.test(hotkey.key);
  const named = hotkey.key.length > 1;
  // a symbol hotkey like "?" needs shift on most layouts; do not insist on the shift flag for those
  if ((plain || named) && !!event.shiftKey !== hotkey.shift) return false;
  if (key === hotkey.key) return true;
  // shift+1 types "!", non-Latin layouts type other letters: fall back to the physical key
  if (!/^[a-z0-9]$/.test(key)) return keyFromCode(event.code) === hotkey.key;
  return false;
}

export function matchesAny(event: KeyLike, hotkeys: readonly Hotkey[]): boolean {
  return hotkeys.some((h) => matchesHotkey(event, h));
}

/** Ctrl+Enter or Cmd+Enter. */
export function isSubmitKey(event: KeyLike): boolean {
  return event.key === "Enter" && (!!event.ctrlKey || !!event.metaKey) && !event.altKey;
}

/** A short label for a key badge: "1", "C", "Ctrl+1", "⇧A". */
export function hotkeyLabel(text: string | undefined | null): string {
  const first = parseHotkey(text)[0];
  if (!first) return "";
  const mods = [first.ctrl && "Ctrl", first.alt && "Alt", first.shift && "Shift", first.meta && "Cmd"].filter(Boolean);
  const key = first.key === " " ? "Space" : first.key.length === 1 ? first.key.toUpperCase() : cap(first.key);
  return [...mods, key].join("+");
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** One hotkey of the control model: a label's or choice's, or a control's own (Rating, Number). */
export interface ModelHotkey {
  /** the control it belongs to */
  control: string;
  /** the label or choice it picks; absent for a control's own hotkey */
  label?: LabelSpec;
  /** the hotkey text as the model gives it */
  text: string;
  hotkeys: Hotkey[];
  /** given by Label Studio's automatic numbering, not written in the config */
  auto: boolean;
}

/** The hotkeys of a labels or choices control's options, in config order (written and automatic ones). */
export function labelHotkeys(spec: ControlSpec): ModelHotkey[] {
  const out: ModelHotkey[] = [];
  for (const label of spec.labels ?? []) {
    if (!label.hotkey) continue;
    const hotkeys = parseHotkey(label.hotkey);
    if (hotkeys.length) out.push({ control: spec.name, label, text: label.hotkey, hotkeys, auto: label.hotkey_auto === true });
  }
  return out;
}

/** Every hotkey of the model's controls, in config order: each control's own, then its options'. */
export function modelHotkeys(model: ControlModel): ModelHotkey[] {
  const out: ModelHotkey[] = [];
  for (const spec of model.controls) {
    if (spec.hotkey) {
      const hotkeys = parseHotkey(spec.hotkey);
      if (hotkeys.length) out.push({ control: spec.name, text: spec.hotkey, hotkeys, auto: spec.hotkey_auto });
    }
    out.push(...labelHotkeys(spec));
  }
  return out;
}
