// <Number>: a number field (or a slider with slider="true"). Result: {type: "number", value: {number: x}}.
// min, max, step, slider and the hotkey (written, or Label Studio's automatic one) come from the control's
// analysed spec; the hotkey adds a step as Label Studio's does (schema/number.ts nextNumber). The slider is
// a range input (the browser keeps it on min, max and step); dragged with the mouse, or moved with the
// arrows, Page Up/Down, Home and End while it has the focus (the widget leaves those keys to it, App.tsx),
// it shows its value beside it, "–" while it has none (Label Studio's <output>); a click on a slider with
// no value sets the value under the thumb, even where the thumb already was.

import { useEffect, useState } from "preact/hooks";
import { useControlItem, useLabel } from "../context";
import { hotkeyLabel, parseHotkey } from "../hotkeys";
import { nextNumber, numberLimits } from "../schema/number";
import { numberValue, readNumber } from "../state/results";
import { NumberRules } from "../state/rules";
import type { ControlDef, ControlProps } from "./types";

function NumberControl({ control, spec }: ControlProps) {
  const { annotation, focusRoot, invalid } = useLabel();
  const stored = readNumber(useControlItem(control));
  const [text, setText] = useState(stored === null ? "" : String(stored));
  // follow outside changes (undo) only; compare with the annotation now, not the value this render saw
  useEffect(() => {
    const current = readNumber(annotation.find(control.name, control.type, control.region));
    setText((local) => {
      const mine = local.trim() === "" ? null : Number(local);
      return mine === current || (mine !== null && Number.isNaN(mine) && current === null) ? local : current === null ? "" : String(current);
    });
  }, [stored]);

  const { min, max, step } = numberLimits(spec);
  const slider = spec.slider === true;
  const hotkey = spec.hotkey;
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
        min={min ?? undefined}
        max={max ?? undefined}
        step={step ?? 1}
        aria-label={control.name}
        aria-invalid={problem ? true : undefined}
        onInput={onInput}
        // a slider with no value shows its thumb in the middle: a click that leaves it there is that value
        onClick={slider ? (e) => text === "" && onInput(e) : undefined}
        onKeyDown={(e) => {
          if (e.key === "Enter" && !e.ctrlKey && !e.metaKey) {
            e.preventDefault();
            focusRoot();
          }
        }}
      />
      {slider && (
        <output class="lnb-slider-value" data-slider-value={text}>
          {text === "" ? "–" : text}
        </output>
      )}
      {(min !== null || max !== null) && !slider && (
        <span class="lnb-hint">{rangeText(min, max)}</span>
      )}
      {hotkey && <kbd class="lnb-kbd">{hotkeyLabel(hotkey)}</kbd>}
    </div>
  );
}

function rangeText(min: number | null, max: number | null): string {
  if (min !== null && max !== null) return `${min} – ${max}`;
  if (min !== null) return `≥ ${min}`;
  return `≤ ${max}`;
}

export const NumberTag: ControlDef = {
  ...NumberRules,
  Component: NumberControl,
  hotkeys(spec, control) {
    const hotkeys = parseHotkey(spec.hotkey);
    if (!hotkeys.length) return [];
    return [
      {
        hotkeys,
        run: ({ annotation }) => {
          const current = readNumber(annotation.find(control.name, control.type, control.region));
          annotation.set(control, numberValue(nextNumber(spec, current)));
        },
      },
    ];
  },
};
