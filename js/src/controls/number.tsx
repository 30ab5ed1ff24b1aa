// <Number>: a number field (or a slider with slider="true"). Result: {type: "number", value: {number: x}}.

import { useEffect, useState } from "preact/hooks";
import { attr, boolAttr, numAttr } from "../config";
import { useControlItem, useLabel } from "../context";
import { hotkeyLabel, parseHotkey } from "../hotkeys";
import { numberValue, readNumber } from "../state/results";
import { NumberRules } from "../state/rules";
import type { ControlDef, ControlProps } from "./types";

function NumberControl({ node, control }: ControlProps) {
  const { annotation, focusRoot, invalid } = useLabel();
  const stored = readNumber(useControlItem(control));
  const [text, setText] = useState(stored === null ? "" : String(stored));
  // follow outside changes (undo) only; compare with the annotation now, not the value this render saw
  useEffect(() => {
    const current = readNumber(annotation.find(control.name, control.type));
    setText((local) => {
      const mine = local.trim() === "" ? null : Number(local);
      return mine === current || (mine !== null && Number.isNaN(mine) && current === null) ? local : current === null ? "" : String(current);
    });
  }, [stored]);

  const min = numAttr(node, "min");
  const max = numAttr(node, "max");
  const step = attr(node, "step") ?? "1";
  const slider = boolAttr(node, "slider");
  const hotkey = attr(node, "hotkey");
  const problem = invalid.get(control.name);

  const onInput = (e: Event) => {
    const input = e.currentTarget as HTMLInputElement;
    setText(input.value);
    const n = input.value.trim() === "" ? null : Number(input.value);
    annotation.set(control, numberValue(n), { coalesce: true });
  };
  return (
    <div class="lnb-number">
      <input
        class={slider ? "lnb-slider" : "lnb-input"}
        type={slider ? "range" : "number"}
        value={text}
        min={min}
        max={max}
        step={step}
        aria-label={control.name}
        aria-invalid={problem ? true : undefined}
        onInput={onInput}
        onKeyDown={(e) => {
          if (e.key === "Enter" && !e.ctrlKey && !e.metaKey) {
            e.preventDefault();
            focusRoot();
          }
        }}
      />
      {slider && <span class="lnb-rating-value">{text}</span>}
      {(min !== undefined || max !== undefined) && !slider && (
        <span class="lnb-hint">{rangeText(min, max)}</span>
      )}
      {hotkey && <kbd class="lnb-kbd">{hotkeyLabel(hotkey)}</kbd>}
    </div>
  );
}

function rangeText(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return `${min} – ${max}`;
  if (min !== undefined) return `≥ ${min}`;
  return `≤ ${max}`;
}

export const NumberTag: ControlDef = {
  ...NumberRules,
  Component: NumberControl,
  hotkeys(node) {
    const hotkeys = parseHotkey(attr(node, "hotkey"));
    if (!hotkeys.length) return [];
    return [{ hotkeys, run: ({ element }) => element?.querySelector("input")?.focus() }];
  },
};
