// What the front end reads from a control model: the rules the widget applies, for the agreement test
// (tests/unit/widget/test_js_agreement.py bundles this file with esbuild and runs it under node, feeding it
// what the kernel sends for a config, then compares every reading with the kernel's own rules).

import { controlDef } from "../src/controls";
import type { ResultItem, ViewNode } from "../src/protocol";
import { choiceLayout, choiceMode, choiceSpecs, preselectedChoices } from "../src/schema/choices";
import { asControlModel } from "../src/schema/model";
import { maxRating } from "../src/schema/rating";
import { textareaRows } from "../src/schema/textarea";
import { allControls, isPerRegion, perRegionControls, renderedControls, validate } from "../src/state/analysis";

export interface AgreementInput {
  view: ViewNode;
  controls: unknown;
  /** result items to validate one at a time, each as the front end would before submitting */
  items: ResultItem[];
}

export interface ControlReading {
  tag: string;
  per_region: boolean;
  /** rendered as a control of its own (not left out as perRegion) */
  rendered: boolean;
  required: boolean;
  required_message: string | null;
  choice?: string;
  layout?: string;
  choices?: { label: string; hotkey: string }[];
  preselected?: string[];
  max_rating?: number;
  rows?: number;
  /** the keys the widget binds for this control, in order */
  hotkeys: string[];
}

export interface AgreementOutput {
  controls: Record<string, ControlReading>;
  /** per item: the front end's problem with it, or null */
  problems: (string | null)[];
}

export function readings(input: AgreementInput): AgreementOutput {
  const model = asControlModel(input.controls);
  const rendered = new Set(renderedControls(input.view, model).map((c) => c.control.name));
  const controls: Record<string, ControlReading> = {};
  for (const spec of model.controls) {
    const reading: ControlReading = {
      tag: spec.tag,
      per_region: isPerRegion(spec),
      rendered: rendered.has(spec.name),
      required: false,
      required_message: null,
      hotkeys: [],
    };
    const inst = allControls(input.view, model).find((c) => c.control.name === spec.name);
    if (inst) {
      const missing = validate([inst], []).find((p) => p.control === spec.name);
      reading.required = missing !== undefined;
      reading.required_message = missing?.message ?? null;
      const def = controlDef(spec.tag);
      reading.hotkeys = (def?.hotkeys?.(spec, inst.control) ?? []).flatMap((b) => b.hotkeys.map((h) => h.key));
    }
    if (spec.tag === "Choices") {
      reading.choice = choiceMode(spec);
      reading.layout = choiceLayout(spec);
      reading.choices = choiceSpecs(spec).map((c) => ({ label: c.label, hotkey: c.hotkeyText }));
      reading.preselected = preselectedChoices(spec);
    } else if (spec.tag === "Rating") {
      reading.max_rating = maxRating(spec);
    } else if (spec.tag === "TextArea") {
      reading.rows = textareaRows(spec);
    }
    controls[spec.name] = reading;
  }
  // perRegion controls refuse what they refuse in any region (state/analysis.ts validateRegional)
  const all = [...allControls(input.view, model), ...perRegionControls(input.view, model)];
  const problems = input.items.map((item) => {
    const inst = all.filter((c) => c.control.name === item.from_name);
    return validate(inst, [item])[0]?.message ?? null;
  });
  return { controls, problems };
}
