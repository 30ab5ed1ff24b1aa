// A <Taxonomy> as its control shows it, read from its analysed spec: the nested Choices as a tree (each
// label carries its path from the root, in result labels: alias, else value), which nodes may be picked
// (`leafsOnly`: leaves only; a Choice with selected="false"... is still pickable unless the kernel says
// `selectable: false`), the search, and maxUsages (how many items may be picked at once). The result is
// Label Studio's {taxonomy: [[root, ..., picked], ...]} in the order the items were picked.

import type { ControlSpec } from "./model";

export interface TaxonomyNode {
  /** the path of result labels from the root down to this node */
  path: string[];
  /** what is shown: the Choice's value */
  text: string;
  hint?: string;
  children: TaxonomyNode[];
}

export const pathKey = (path: readonly string[]) => JSON.stringify(path);

/** The tree of the spec's labels (listed depth first by the kernel, each with its path). */
export function taxonomyTree(spec: ControlSpec): TaxonomyNode[] {
  const roots: TaxonomyNode[] = [];
  const byKey = new Map<string, TaxonomyNode>();
  for (const l of spec.labels ?? []) {
    const label = l.label ?? l.value ?? "";
    const path = l.path && l.path.length ? [...l.path] : [label];
    const node: TaxonomyNode = { path, text: l.value ?? label, ...(l.hint ? { hint: l.hint } : {}), children: [] };
    byKey.set(pathKey(path), node);
    const parent = path.length > 1 ? byKey.get(pathKey(path.slice(0, -1))) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  return roots;
}

/** May this node be picked? */
export function pickable(spec: ControlSpec, node: TaxonomyNode): boolean {
  if (spec.leafs_only === true && node.children.length > 0) return false;
  const own = spec.labels?.find((l) => pathKey(l.path ?? [l.label ?? l.value ?? ""]) === pathKey(node.path));
  return own?.selectable !== false;
}

/** The nodes matching `query` (case-insensitive, in the shown text) with their ancestors; all for "". */
export function searchTree(nodes: readonly TaxonomyNode[], query: string): TaxonomyNode[] {
  const q = query.trim().toLowerCase();
  if (!q) return [...nodes];
  const out: TaxonomyNode[] = [];
  for (const n of nodes) {
    const children = searchTree(n.children, q);
    if (n.text.toLowerCase().includes(q) || children.length) out.push({ ...n, children: n.text.toLowerCase().includes(q) ? n.children : children });
  }
  return out;
}

/** maxUsages: how many items may be picked at once, or null for any number. */
export function taxonomyLimit(spec: ControlSpec): number | null {
  const m = spec.max_usages;
  return typeof m === "number" && m > 0 ? m : null;
}

/** `selected` with `path` picked or unpicked; `refused` says why a pick was not made. */
export function togglePath(spec: ControlSpec, selected: readonly string[][], path: readonly string[]): { selected: string[][]; refused?: string } {
  const key = pathKey(path);
  if (selected.some((p) => pathKey(p) === key)) return { selected: selected.filter((p) => pathKey(p) !== key).map((p) => [...p]) };
  const limit = taxonomyLimit(spec);
  if (limit !== null && selected.length >= limit) {
    return { selected: selected.map((p) => [...p]), refused: `at most ${limit === 1 ? "one item" : `${limit} items`} may be picked` };
  }
  return { selected: [...selected.map((p) => [...p]), [...path]] };
}

/** How a picked item is shown: its whole path (showFullPath) or its own text. */
export function pathText(spec: ControlSpec, path: readonly string[]): string {
  return spec.show_full_path === true ? path.join(spec.path_separator ?? " / ") : (path[path.length - 1] ?? "");
}
