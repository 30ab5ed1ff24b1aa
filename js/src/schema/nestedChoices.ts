// <Choices allowNested="true">: nested Choice tags as a tree, picked as Label Studio's Choice.jsx does.
// A leaf is picked or not; a branch counts as picked when all its children are (and shows "some" when
// only some are); picking a branch picks everything under it. The result lists every picked choice,
// branches included, in tree order, each as its path of result labels from the top: [["A"], ["A", "A1"]].
// In a single-choice Choices a pick first clears the others.

import type { ControlSpec } from "./model";
import type { ChoiceMode } from "./choices";

export interface ChoiceNode {
  path: string[];
  /** the Choice's shown value */
  text: string;
  /** index in spec.labels (for its style, hint, html) */
  index: number;
  children: ChoiceNode[];
}

const key = (path: readonly string[]) => JSON.stringify(path);

export function choiceTree(spec: ControlSpec): ChoiceNode[] {
  const roots: ChoiceNode[] = [];
  const byKey = new Map<string, ChoiceNode>();
  (spec.labels ?? []).forEach((l, index) => {
    const label = l.label ?? l.value ?? "";
    const path = l.path && l.path.length ? [...l.path] : [label];
    const node: ChoiceNode = { path, text: l.value ?? label, index, children: [] };
    byKey.set(key(path), node);
    const parent = path.length > 1 ? byKey.get(key(path.slice(0, -1))) : undefined;
    (parent ? parent.children : roots).push(node);
  });
  return roots;
}

/** The stored paths, as sets of keys (a bare string is a one-step path, as older results hold). */
export function pickedKeys(stored: readonly (string | readonly string[])[]): Set<string> {
  return new Set(stored.map((v) => key(typeof v === "string" ? [v] : v)));
}

export type PickState = "on" | "off" | "some";

/** Whether a node is picked, given the picked leaves (and leaf-like nodes). */
export function pickState(node: ChoiceNode, picked: ReadonlySet<string>): PickState {
  if (!node.children.length) return picked.has(key(node.path)) ? "on" : "off";
  const states = node.children.map((c) => pickState(c, picked));
  if (states.every((s) => s === "on")) return "on";
  return states.some((s) => s !== "off") ? "some" : "off";
}

function leaves(node: ChoiceNode): ChoiceNode[] {
  return node.children.length ? node.children.flatMap(leaves) : [node];
}

/** The result after a click on `node`: every picked node's path, in tree order. */
export function toggleNested(tree: readonly ChoiceNode[], mode: ChoiceMode, stored: readonly (string | readonly string[])[], node: ChoiceNode): string[][] {
  const picked = pickedKeys(stored);
  const wasOn = pickState(node, picked) === "on";
  const next = mode === "multiple" ? new Set(picked) : new Set<string>();
  if (mode === "single-radio" && wasOn) return resultOf(tree, picked); // a radio stays on
  for (const leaf of leaves(node)) {
    if (wasOn) next.delete(key(leaf.path));
    else next.add(key(leaf.path));
  }
  return resultOf(tree, next);
}

/** Every node that is picked (branches whose leaves all are, and leaves), in tree order. */
export function resultOf(tree: readonly ChoiceNode[], picked: ReadonlySet<string>): string[][] {
  const out: string[][] = [];
  const walk = (n: ChoiceNode) => {
    if (pickState(n, picked) === "on") out.push([...n.path]);
    n.children.forEach(walk);
  };
  tree.forEach(walk);
  return out;
}
