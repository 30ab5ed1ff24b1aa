// What the editor needs to know of each control this version renders, apart from how it looks: the Label
// Studio result type it writes, the value a fresh task starts with, and what it refuses beyond `required`.
// The controls (controls/) add their component and hotkeys to these; the rules in ./analysis use them alone,
// so deciding what is shown, submitted or missing needs no UI.

import { interpolate } from "../config";
import type { ResultItem } from "../protocol";
import { preselectedChoices } from "../schema/choices";
import type { ControlModel, ControlSpec } from "../schema/model";
import { dateTimeProblem, readDateTime } from "../schema/datetime";
import { numberLimits, numberProblem } from "../schema/number";
import { rankerBoard, rankerItems } from "../schema/ranker";
import { taxonomyLimit } from "../schema/taxonomy";
import {
  choicesValue,
  numberValue,
  rankerValue,
  readDatetime,
  readNumber,
  readTaxonomy,
  type ControlRef,
  type ResultValue,
} from "./results";

export interface ControlRules {
  /** canonical tag name */
  tag: string;
  /** Label Studio result type */
  type: string;
  /** the value a fresh task starts with (preselected choices, Number defaultValue, ...), from its spec */
  defaultValue?(spec: ControlSpec, data: Record<string, unknown>, model: ControlModel): ResultValue | null;
  /** the text a fresh task's input starts with, not yet an entry (TextArea `value`) */
  initialInput?(spec: ControlSpec, data: Record<string, unknown>): string | null;
  /** a problem with the item the user made, beyond `required` */
  validate?(spec: ControlSpec, control: ControlRef, item: ResultItem | undefined): string | null;
  /** its result names the control itself as `to_name` (Pairwise: Label Studio registers it as an object) */
  ownTarget?: boolean;
}

/** <Choices>: every Choice marked selected="true" (the kernel's `preselected`, as Label Studio keeps them). */
export const ChoicesRules: ControlRules = {
  tag: "Choices",
  type: "choices",
  defaultValue(spec) {
    return choicesValue(preselectedChoices(spec));
  },
};

/**
 * <TextArea>: its `value`, with "$field" tokens read from the task data, fills the input (Label Studio's
 * ProcessAttrs updateValue); it becomes an entry when added, or when the task is submitted.
 */
export const TextAreaRules: ControlRules = {
  tag: "TextArea",
  type: "textarea",
  initialInput(spec, data) {
    return spec.value ? interpolate(spec.value, data) : null;
  },
};

/** <Rating>: no default (Label Studio shows and saves nothing for defaultValue). */
export const RatingRules: ControlRules = {
  tag: "Rating",
  type: "rating",
};

/** <Number>: defaultValue; a number outside min..max or off its step's grid is refused. */
export const NumberRules: ControlRules = {
  tag: "Number",
  type: "number",
  defaultValue(spec) {
    return numberValue(spec.default_value);
  },
  validate(spec, control, item) {
    const n = readNumber(item);
    if (n === null) return null;
    const problem = numberProblem(numberLimits(spec), n);
    return problem ? `"${control.name}" ${problem}.` : null;
  },
};

/** <DateTime>: no default; a date outside min..max is refused (tags/control/DateTime.jsx validateValue). */
export const DateTimeRules: ControlRules = {
  tag: "DateTime",
  type: "datetime",
  validate(spec, control, item) {
    const value = readDatetime(item);
    if (value === null) return null;
    const problem = dateTimeProblem(spec, readDateTime(spec, value));
    return problem ? `"${control.name}" ${problem}.` : null;
  },
};

/** <Taxonomy>: no default; more picked items than maxUsages are refused. */
export const TaxonomyRules: ControlRules = {
  tag: "Taxonomy",
  type: "taxonomy",
  validate(spec, control, item) {
    const limit = taxonomyLimit(spec);
    const picked = readTaxonomy(item).length;
    return limit !== null && picked > limit ? `"${control.name}": at most ${limit} may be picked, not ${picked}.` : null;
  },
};

/** <Pairwise>: {selected: "left" | "right"}, its to_name its own name (tags/control/Pairwise.js). */
export const PairwiseRules: ControlRules = {
  tag: "Pairwise",
  type: "pairwise",
  ownTarget: true,
};

/**
 * <Ranker> on a <List>: {ranker: {column: [ids]}}, to_name the List. A fresh task starts with the board as
 * it is shown (every item in the Ranker's column, the default Bucket or "_"; every other column empty), as
 * Label Studio stores it on submit when the annotator moved nothing (tags/control/Ranker.jsx beforeSend).
 */
export const RankerRules: ControlRules = {
  tag: "Ranker",
  type: "ranker",
  defaultValue(spec, data, model) {
    return rankerValue(rankerBoard(spec, rankerItems(model, spec, data), null));
  },
};

/** The control tags this version renders, by canonical tag name (controls/index.ts renders the same ones). */
export const CONTROL_RULES = {
  Choices: ChoicesRules,
  TextArea: TextAreaRules,
  Rating: RatingRules,
  Number: NumberRules,
  DateTime: DateTimeRules,
  Taxonomy: TaxonomyRules,
  Pairwise: PairwiseRules,
  Ranker: RankerRules,
} as const satisfies Readonly<Record<string, ControlRules>>;

export type ControlTag = keyof typeof CONTROL_RULES;

export function controlRules(tag: string | undefined): ControlRules | undefined {
  return tag !== undefined && Object.prototype.hasOwnProperty.call(CONTROL_RULES, tag)
    ? CONTROL_RULES[tag as ControlTag]
    : undefined;
}
