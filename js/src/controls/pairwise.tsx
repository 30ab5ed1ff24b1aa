// <Pairwise toName="a,b">: pick the better of two objects. As in Label Studio, clicking either object
// picks it (clicking the picked one again clears the pick), and the picked one takes `selectionStyle`;
// beside that, two buttons do the same from the keyboard. Result: {type: "pairwise", from_name and
// to_name the control's name, value: {selected: "left" | "right"}} (tags/control/Pairwise.js).

import type { ComponentChildren } from "preact";
import { parseStyle } from "../config";
import { useControlItem, useLabel } from "../context";
import type { ControlModel, ControlSpec } from "../schema/model";
import type { ControlRef } from "../state/results";
import { PairwiseRules } from "../state/rules";
import type { ControlDef, ControlProps } from "./types";

export type Side = "left" | "right";

const refOf = (spec: ControlSpec): ControlRef => ({ name: spec.name, toName: spec.name, type: "pairwise" });

/** The Pairwise control that compares object `name`, and which side it is, or null. */
export function pairwiseOf(model: ControlModel, name: string): { spec: ControlSpec; side: Side } | null {
  for (const spec of model.controls) {
    if (spec.tag !== "Pairwise") continue;
    const at = spec.to_name.indexOf(name);
    if (at === 0 || at === 1) return { spec, side: at === 0 ? "left" : "right" };
  }
  return null;
}

function readSide(value: unknown): Side | null {
  return value === "left" || value === "right" ? value : null;
}

function usePick(spec: ControlSpec) {
  const { annotation } = useLabel();
  const ref = refOf(spec);
  const picked = readSide(useControlItem(ref)?.value?.selected);
  const pick = (side: Side) => annotation.set(ref, picked === side ? null : { selected: side });
  return { picked, pick };
}

/** An object a Pairwise compares: clicking it picks it; the picked one shows the selection style. */
export function PairwiseSide({ spec, side, children }: { spec: ControlSpec; side: Side; children: ComponentChildren }) {
  const { picked, pick } = usePick(spec);
  const on = picked === side;
  const style = on && spec.selection_style ? parseStyle(spec.selection_style) : undefined;
  return (
    <div class={`lnb-pair-side${on ? " lnb-pair-picked" : ""}`} data-pairwise={spec.name} data-side={side} data-picked={on ? "true" : undefined} style={style} onClick={() => pick(side)}>
      {children}
    </div>
  );
}

function PairwiseControl({ spec }: ControlProps) {
  const { picked, pick } = usePick(spec);
  const [left, right] = spec.to_name;
  return (
    <div class="lnb-pairwise" role="group" aria-label={spec.name}>
      <button type="button" class={`lnb-btn lnb-small${picked === "left" ? " lnb-active" : ""}`} data-pick="left" aria-pressed={picked === "left"} onClick={() => pick("left")}>
        ◀ {left}
      </button>
      <button type="button" class={`lnb-btn lnb-small${picked === "right" ? " lnb-active" : ""}`} data-pick="right" aria-pressed={picked === "right"} onClick={() => pick("right")}>
        {right} ▶
      </button>
    </div>
  );
}

export const Pairwise: ControlDef = {
  ...PairwiseRules,
  Component: PairwiseControl,
};
