// Pure functions over (config tree, result items): which controls are shown, what gets submitted, what is
// missing. The renderer and the submit path use the same rules.

import { attr, boolAttr, isVisible, walk } from "../config";
import type { ResultItem, ViewNode } from "../protocol";
import { choiceSpecs } from "../schema/choices";
import { CONTAINERS } from "../schema/layout";
import { encode, encodeClassification } from "./codecs";
import { classificationOf, type AnnotationDoc } from "./document";
import { buildItem, newResultId, readChoices, type ControlRef } from "./results";
import { controlRules, type ControlRules } from "./rules";

/** What the rules read: the document, or (in tests, and for imported lists) plain result items. */
export type ItemSource = AnnotationDoc | readonly ResultItem[];

/** The item of a classification control. */
export function findItem(source: ItemSource, name: string, type: string): ResultItem | undefined {
  if (Array.isArray(source)) return (source as readonly ResultItem[]).find((it) => it.from_name === name && it.type === type);
  const doc = source as AnnotationDoc;
  const c = classificationOf(doc, name);
  return c && c.type === type ? encodeClassification(doc, c) : undefined;
}

function itemsOf(source: ItemSource): readonly ResultItem[] {
  return Array.isArray(source) ? (source as readonly ResultItem[]) : encode(source as AnnotationDoc);
}

export interface ControlInstance {
  node: ViewNode;
  def: ControlRules;
  control: ControlRef;
}

export interface Selection {
  /** choices selected in a Choices control: result labels and the values of aliased choices */
  selected(name: string): string[];
  allChoiceControls(): string[];
}

export function controlRef(node: ViewNode, def: Pick<ControlRules, "type">): ControlRef | null {
  const name = attr(node, "name");
  if (!name) return null;
  return { name, toName: attr(node, "toName") ?? "", type: def.type };
}

/** perRegion controls attach to regions; this version has none, so they are not shown. */
export function isPerRegion(node: ViewNode): boolean {
  return boolAttr(node, "perRegion");
}

function instance(node: ViewNode): ControlInstance | null {
  const def = controlRules(node.tag);
  if (!def || isPerRegion(node)) return null;
  const control = controlRef(node, def);
  return control ? { node, def, control } : null;
}

/** Every control the widget renders somewhere in the tree, shown or not. */
export function allControls(view: ViewNode): ControlInstance[] {
  const out: ControlInstance[] = [];
  walk(view, (node) => {
    const inst = instance(node);
    if (inst) out.push(inst);
    return !controlRules(node.tag);
  });
  return out;
}

/** `source` may be a function: the selection then reads the current document each time it is asked. */
export function makeSelection(view: ViewNode, source: ItemSource | (() => ItemSource)): Selection {
  const choices = allControls(view).filter((c) => c.def.tag === "Choices");
  return {
    selected(name) {
      const inst = choices.find((c) => c.control.name === name);
      const labels = readChoices(findItem(typeof source === "function" ? source() : source, name, "choices"));
      if (!inst) return labels;
      const values = choiceSpecs(inst.node)
        .filter((s) => labels.includes(s.label))
        .map((s) => s.value);
      return [...new Set([...labels, ...values])];
    },
    allChoiceControls: () => choices.map((c) => c.control.name),
  };
}

export function nodeVisible(node: ViewNode, sel: Selection): boolean {
  return isVisible(node, sel.selected, sel.allChoiceControls);
}

/**
 * Controls that are on screen: inside laid-out containers, with every `visibleWhen` on the way satisfied.
 * Without a selection, the controls that would be on screen if every `visibleWhen` held (the ones this
 * version renders at all; a control inside an unsupported tag is not among them).
 */
export function visibleControls(view: ViewNode, sel: Selection | null): ControlInstance[] {
  const out: ControlInstance[] = [];
  walk(view, (node) => {
    if (sel && !nodeVisible(node, sel)) return false;
    const inst = instance(node);
    if (inst) out.push(inst);
    if (controlRules(node.tag)) return false;
    return node === view || CONTAINERS.has(node.tag ?? "");
  });
  return out;
}

/**
 * The items to send: everything, except the items of controls that are hidden now by `visibleWhen`.
 * Items of controls this version does not render (other tools, controls in unsupported tags) pass through.
 */
export function submittableItems(view: ViewNode, source: ItemSource, sel: Selection): ResultItem[] {
  const items = itemsOf(source);
  const shown = new Set(visibleControls(view, sel).map((c) => c.control.name));
  const known = new Set(visibleControls(view, null).map((c) => c.control.name));
  return items
    .filter((it) => typeof it.from_name !== "string" || !known.has(it.from_name) || shown.has(it.from_name))
    .map((it) => JSON.parse(JSON.stringify(it)) as ResultItem);
}

export interface Problem {
  control: string;
  message: string;
}

/** Required controls without a value, and values a control refuses (Number out of range). */
export function validate(controls: readonly ControlInstance[], source: ItemSource): Problem[] {
  const problems: Problem[] = [];
  for (const { node, def, control } of controls) {
    const item = findItem(source, control.name, control.type);
    if (!item && boolAttr(node, "required")) {
      const custom = attr(node, "requiredMessage");
      problems.push({ control: control.name, message: custom || `"${control.name}" is required.` });
      continue;
    }
    const message = def.validate?.(node, control, item);
    if (message) problems.push({ control: control.name, message });
  }
  return problems;
}

/** The items a fresh task starts with: preselected choices, default numbers and ratings, prefilled text. */
export function defaultItems(
  view: ViewNode,
  data: Record<string, unknown>,
  newId: () => string = newResultId,
): ResultItem[] {
  const out: ResultItem[] = [];
  for (const { node, def, control } of visibleControls(view, null)) {
    const value = def.defaultValue?.(node, data) ?? null;
    if (value) out.push(buildItem(control, value, newId()));
  }
  return out;
}
