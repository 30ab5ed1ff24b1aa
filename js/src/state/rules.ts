// What the editor needs to know of each control this version renders, apart from how it looks: the Label
// Studio result type it writes, the value a fresh task starts with, and what it refuses beyond `required`.
// The controls (controls/) add their component and hotkeys to these; the rules in ./analysis use them alone,
// so deciding what is shown, submitted or missing needs no UI.

import { attr, interpolate, numAttr } from "../config";
import type { ResultItem, ViewNode } from "../protocol";
import { choiceMode, choiceSpecs } from "../schema/choices";
import { maxRating } from "../schema/rating";
import {
  choicesValue,
  numberValue,
  ratingValue,
  readNumber,
  textareaValue,
  type ControlRef,
  type ResultValue,
} from "./results";

export interface ControlRules {
  /** canonical tag name */
  tag: string;
  /** Label Studio result type */
  type: string;
  /** the value a fresh task starts with (Choice selected="true", Number defaultValue, ...) */
  defaultValue?(node: ViewNode, data: Record<string, unknown>): ResultValue | null;
  /** a problem with the item the user made, beyond `required` */
  validate?(node: ViewNode, control: ControlRef, item: ResultItem | undefined): string | null;
}

/** <Choices>: the Choices marked selected="true" (only the first unless choice="multiple"). */
export const ChoicesRules: ControlRules = {
  tag: "Choices",
  type: "choices",
  defaultValue(node) {
    const specs = choiceSpecs(node).filter((s) => s.selected);
    const labels = specs.map((s) => s.label);
    return choicesValue(choiceMode(node) === "multiple" ? labels : labels.slice(0, 1));
  },
};

/** <TextArea>: its `value`, with "$field" tokens read from the task data. */
export const TextAreaRules: ControlRules = {
  tag: "TextArea",
  type: "textarea",
  defaultValue(node, data) {
    const value = attr(node, "value");
    return value ? textareaValue(interpolate(value, data)) : null;
  },
};

/** <Rating>: defaultValue, at most maxRating. */
export const RatingRules: ControlRules = {
  tag: "Rating",
  type: "rating",
  defaultValue(node) {
    const n = Math.round(numAttr(node, "defaultValue") ?? 0);
    return n > 0 ? ratingValue(Math.min(n, maxRating(node))) : null;
  },
};

/** <Number>: defaultValue; a number outside min..max is refused. */
export const NumberRules: ControlRules = {
  tag: "Number",
  type: "number",
  defaultValue(node) {
    return numberValue(numAttr(node, "defaultValue"));
  },
  validate(node, control, item) {
    const n = readNumber(item);
    if (n === null) return null;
    const min = numAttr(node, "min");
    const max = numAttr(node, "max");
    if (min !== undefined && n < min) return `"${control.name}" must be at least ${min}.`;
    if (max !== undefined && n > max) return `"${control.name}" must be at most ${max}.`;
    return null;
  },
};

/** The control tags this version renders, by canonical tag name (controls/index.ts renders the same ones). */
export const CONTROL_RULES = {
  Choices: ChoicesRules,
  TextArea: TextAreaRules,
  Rating: RatingRules,
  Number: NumberRules,
} as const satisfies Readonly<Record<string, ControlRules>>;

export type ControlTag = keyof typeof CONTROL_RULES;

export function controlRules(tag: string | undefined): ControlRules | undefined {
  return tag !== undefined && Object.prototype.hasOwnProperty.call(CONTROL_RULES, tag)
    ? CONTROL_RULES[tag as ControlTag]
    : undefined;
}
