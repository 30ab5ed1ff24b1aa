// Pure functions over (config tree, control model, result items): which controls are shown, what gets
// submitted, what is missing. The renderer and the submit path use the same rules. Every rule (perRegion,
// required and its message, visibleWhen, limits) comes from the control model the kernel analysed
// (schema/model.ts), never from attribute text.

import { attr, walk } from "../config";
import type { ResultItem, ViewNode } from "../protocol";
import { CONTAINERS } from "../schema/layout";
import { controlSpec, type ControlModel, type ControlSpec, type VisibilityRule } from "../schema/model";
import { encode, encodeClassification } from "./codecs";
import { classificationOf, type AnnotationDoc } from "./document";
import type { PendingText } from "./pendingText";
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
  /** the control's analysed spec */
  spec: ControlSpec;
}

/** The region the user has selected, as far as `visibleWhen="region-selected"` asks about it. */
export interface SelectedRegion {
  /** the control that made it (its labels control) */
  control: string;
  labels: readonly string[];
  /** the chat role of the message it is on, if any */
  role?: string;
}

export interface Selection {
  /** the control model the rules are read from */
  model: ControlModel;
  /** the result labels selected in control `name` (none while that control is hidden) */
  selected(name: string): string[];
  /** the node's own visibility rule holds (enclosing nodes are the walker's business) */
  visible(node: ViewNode): boolean;
}

export function controlRef(node: ViewNode, def: Pick<ControlRules, "type" | "ownTarget">): ControlRef | null {
  const name = attr(node, "name");
  if (!name) return null;
  return { name, toName: def.ownTarget ? name : (attr(node, "toName") ?? ""), type: def.type };
}

/** The spec of a control node (looked up by its name), or undefined. */
export function nodeSpec(model: ControlModel, node: ViewNode): ControlSpec | undefined {
  const name = attr(node, "name");
  if (!name) return undefined;
  const spec = controlSpec(model, name);
  return spec && spec.tag === node.tag ? spec : undefined;
}

/** perRegion controls attach to regions; this version shows them with no region, so it leaves them out. */
export function isPerRegion(spec: ControlSpec | undefined): boolean {
  return spec?.per_region === true;
}

function instance(node: ViewNode, model: ControlModel): ControlInstance | null {
  const def = controlRules(node.tag);
  if (!def) return null;
  const spec = nodeSpec(model, node);
  if (!spec || isPerRegion(spec)) return null;
  const control = controlRef(node, def);
  return control ? { node, def, control, spec } : null;
}

/** The perRegion controls of the tree (shown for a selected region, see controls/perRegion.tsx). */
export function perRegionControls(view: ViewNode, model: ControlModel): ControlInstance[] {
  const out: ControlInstance[] = [];
  walk(view, (node) => {
    const def = controlRules(node.tag);
    const spec = def ? nodeSpec(model, node) : undefined;
    const control = def && spec && isPerRegion(spec) ? controlRef(node, def) : null;
    if (def && spec && control) out.push({ node, def, control, spec });
    return !def;
  });
  return out;
}

/** Every control the widget renders somewhere in the tree, shown or not. */
export function allControls(view: ViewNode, model: ControlModel): ControlInstance[] {
  const out: ControlInstance[] = [];
  walk(view, (node) => {
    const inst = instance(node, model);
    if (inst) out.push(inst);
    return !controlRules(node.tag);
  });
  return out;
}

// visibility -------------------------------------------------------------------------------------------------

const rulesCache = new WeakMap<ControlModel, WeakMap<ViewNode, Map<ViewNode, VisibilityRule>>>();

/** The View/Markdown nodes with a rule in the model, found in `view` by their index paths. */
function viewRules(view: ViewNode, model: ControlModel): Map<ViewNode, VisibilityRule> {
  let byView = rulesCache.get(model);
  if (!byView) rulesCache.set(model, (byView = new WeakMap()));
  let found = byView.get(view);
  if (found) return found;
  found = new Map();
  for (const entry of model.views) {
    let node: ViewNode | undefined = view;
    for (const index of entry.path) node = Array.isArray(node?.children) ? node.children[index] : undefined;
    if (node && node.tag === entry.tag) found.set(node, entry.visible_when);
  }
  byView.set(view, found);
  return found;
}

/**
 * The selection the visibility rules look at. `source` may be a function: the selection then reads the
 * current document each time it is asked. `region` gives the region the user selected (none by default).
 */
export function makeSelection(
  view: ViewNode,
  model: ControlModel,
  source: ItemSource | (() => ItemSource),
  region: () => SelectedRegion | null = () => null,
): Selection {
  const read = () => (typeof source === "function" ? source() : source);
  const rules = viewRules(view, model);
  const evaluating = new Set<string>();

  const picked = (name: string): string[] => {
    const spec = controlSpec(model, name);
    return spec ? readChoices(findItem(read(), name, spec.type)) : [];
  };

  /** A control is shown: its own rule and those of the Views around it hold. */
  const shown = (spec: ControlSpec): boolean => {
    if (evaluating.has(spec.name)) return false; // rules that ask about each other: neither is shown
    evaluating.add(spec.name);
    try {
      return holds(spec.visible_when) && spec.views.every((i) => holds(model.views[i]?.visible_when ?? null));
    } finally {
      evaluating.delete(spec.name);
    }
  };

  const selected = (name: string): string[] => {
    const spec = controlSpec(model, name);
    if (!spec || !shown(spec)) return [];
    return picked(name);
  };

  /** mixins/Visibility.js isVisible, with the control names and result labels the kernel resolved. */
  function holds(rule: VisibilityRule | null): boolean {
    if (!rule) return true;
    switch (rule.rule) {
      case "region-selected": {
        const area = region();
        if (!area || (rule.tag_name && area.control !== rule.tag_name)) return false;
        if (rule.label_values) return rule.label_values.some((v) => area.labels.includes(v));
        if (rule.role_values) return rule.role_values.some((v) => area.role === v);
        return true;
      }
      case "no-region-selected":
        return region() === null;
      case "choice-selected":
      case "choice-unselected": {
        const controls = rule.controls ?? [];
        // with whenTagName a hidden control counts as unselected; without it any selection counts
        const labels = controls.flatMap((n) => (rule.tag_name ? selected(n) : picked(n)));
        const wanted = rule.choice_labels;
        const hit = wanted ? wanted.some((l) => labels.includes(l)) : labels.length > 0;
        return rule.rule === "choice-selected" ? hit : !hit;
      }
      default:
        return true;
    }
  }

  return {
    model,
    selected,
    visible(node) {
      const rule = rules.get(node);
      if (rule) return holds(rule);
      const spec = nodeSpec(model, node);
      return spec ? holds(spec.visible_when) : true;
    },
  };
}

export function nodeVisible(node: ViewNode, sel: Selection): boolean {
  return sel.visible(node);
}

function shownControls(view: ViewNode, model: ControlModel, sel: Selection | null): ControlInstance[] {
  const out: ControlInstance[] = [];
  walk(view, (node) => {
    if (sel && !nodeVisible(node, sel)) return false;
    const inst = instance(node, model);
    if (inst) out.push(inst);
    if (controlRules(node.tag)) return false;
    return node === view || CONTAINERS.has(node.tag ?? "");
  });
  return out;
}

/** Controls that are on screen: inside laid-out containers, with every `visibleWhen` on the way satisfied. */
export function visibleControls(view: ViewNode, sel: Selection): ControlInstance[] {
  return shownControls(view, sel.model, sel);
}

/**
 * The controls that would be on screen if every `visibleWhen` held (the ones this version renders at all;
 * a control inside an unsupported tag is not among them).
 */
export function renderedControls(view: ViewNode, model: ControlModel): ControlInstance[] {
  return shownControls(view, model, null);
}

/**
 * The items to send: everything, except the items of controls that are hidden now by `visibleWhen`.
 * Items of controls this version does not render (other tools, controls in unsupported tags) pass through.
 */
export function submittableItems(view: ViewNode, source: ItemSource, sel: Selection): ResultItem[] {
  const items = itemsOf(source);
  const shown = new Set(visibleControls(view, sel).map((c) => c.control.name));
  const known = new Set(renderedControls(view, sel.model).map((c) => c.control.name));
  return items
    .filter((it) => typeof it.from_name !== "string" || !known.has(it.from_name) || shown.has(it.from_name))
    .map((it) => JSON.parse(JSON.stringify(it)) as ResultItem);
}

export interface Problem {
  control: string;
  message: string;
}

/** Required controls without a value (with the model's message), and values a control refuses. */
export function validate(controls: readonly ControlInstance[], source: ItemSource): Problem[] {
  const problems: Problem[] = [];
  for (const { def, control, spec } of controls) {
    const item = findItem(source, control.name, control.type);
    if (!item && spec.required) {
      problems.push({ control: control.name, message: spec.required_message || `"${control.name}" is required.` });
      continue;
    }
    const message = def.validate?.(spec, control, item);
    if (message) problems.push({ control: control.name, message });
  }
  return problems;
}

/**
 * What perRegion controls refuse in the regions that have their value (a Number past its range or off its
 * step), as the kernel does for every item. `required` is not asked of them here.
 */
export function validateRegional(view: ViewNode, model: ControlModel, doc: AnnotationDoc): Problem[] {
  const problems: Problem[] = [];
  for (const { def, control, spec } of perRegionControls(view, model)) {
    if (!def.validate) continue;
    for (const c of Object.values(doc.classifications)) {
      if (c.control !== control.name || c.region === undefined || c.type !== control.type) continue;
      const message = def.validate(spec, { ...control, region: c.region }, encodeClassification(doc, c));
      if (message) problems.push({ control: control.name, message });
    }
  }
  return problems;
}

/** The items a fresh task starts with: preselected choices, default numbers. */
export function defaultItems(
  view: ViewNode,
  model: ControlModel,
  data: Record<string, unknown>,
  newId: () => string = newResultId,
): ResultItem[] {
  const out: ResultItem[] = [];
  for (const { def, control, spec } of renderedControls(view, model)) {
    const value = def.defaultValue?.(spec, data, model) ?? null;
    if (value) out.push(buildItem(control, value, newId()));
  }
  return out;
}

/** The text a fresh task's inputs start with (a TextArea's `value`): typed in, not entries yet. */
export function initialInputs(view: ViewNode, model: ControlModel, data: Record<string, unknown>): PendingText[] {
  const out: PendingText[] = [];
  for (const { def, control, spec } of renderedControls(view, model)) {
    const text = def.initialInput?.(spec, data) ?? null;
    if (text) out.push({ control, text });
  }
  return out;
}
