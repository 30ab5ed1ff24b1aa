// <Taxonomy>: nested choices as a tree. The picked items show as chips (× removes one); the button opens
// the tree under it with a search box (typing filters to the matching items and their ancestors, opened),
// ▸/▾ to open a branch, and a checkbox per item that may be picked (leafsOnly: leaves only). maxUsages caps
// how many are picked, with a notice. Result: {type: "taxonomy", value: {taxonomy: [[root, ..., item]]}}.
// Labels from `$field` come in the spec like written ones (the kernel expands them).

import { useState } from "preact/hooks";
import { useControlItem, useLabel } from "../context";
import { pathKey, pathText, pickable, searchTree, taxonomyTree, togglePath, type TaxonomyNode } from "../schema/taxonomy";
import { readTaxonomy, taxonomyValue } from "../state/results";
import { TaxonomyRules } from "../state/rules";
import type { ControlDef, ControlProps } from "./types";

function TaxonomyControl({ control, spec }: ControlProps) {
  const { annotation } = useLabel();
  const selected = readTaxonomy(useControlItem(control));
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState("");
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const [notice, setNotice] = useState<string | null>(null);
  const picked = new Set(selected.map(pathKey));
  const tree = taxonomyTree(spec);
  const shown = searchTree(tree, query);
  const searching = query.trim() !== "";

  const toggle = (path: readonly string[]) => {
    const next = togglePath(spec, selected, path);
    setNotice(next.refused ?? null);
    if (!next.refused) annotation.set(control, taxonomyValue(next.selected));
  };
  const flip = (key: string) => {
    const next = new Set(expanded);
    if (next.has(key)) next.delete(key);
    else next.add(key);
    setExpanded(next);
  };

  const row = (node: TaxonomyNode, depth: number) => {
    const key = pathKey(node.path);
    const isOpen = searching || expanded.has(key);
    const can = pickable(spec, node);
    return (
      <li key={key} class="lnb-tax-item" data-path={node.path.join("/")} role="treeitem" aria-expanded={node.children.length ? isOpen : undefined}>
        <div class="lnb-tax-row" style={{ paddingLeft: `${depth * 16}px` }}>
          {node.children.length ? (
            <button type="button" class="lnb-icon-btn lnb-tax-toggle" data-action="expand" aria-label={`${isOpen ? "Close" : "Open"} ${node.text}`} onClick={() => flip(key)}>
              {isOpen ? "▾" : "▸"}
            </button>
          ) : (
            <span class="lnb-tax-spacer" aria-hidden="true" />
          )}
          <label class={`lnb-tax-label${can ? "" : " lnb-disabled"}`} title={node.hint}>
            <input type="checkbox" checked={picked.has(key)} disabled={!can} onChange={() => toggle(node.path)} />
            <span>{node.text}</span>
          </label>
        </div>
        {isOpen && node.children.length > 0 && <ul role="group">{node.children.map((c) => row(c, depth + 1))}</ul>}
      </li>
    );
  };

  return (
    <div class="lnb-taxonomy">
      <div class="lnb-tax-picked">
        {selected.map((path) => (
          <span key={pathKey(path)} class="lnb-tax-chip" data-picked={path.join("/")}>
            {pathText(spec, path)}
            <button type="button" class="lnb-tax-remove" aria-label={`Remove ${path.join(" / ")}`} onClick={() => toggle(path)}>
              ×
            </button>
          </span>
        ))}
        <button type="button" class="lnb-btn lnb-small" data-action="taxonomy" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? "Close" : selected.length ? "Change…" : (spec.placeholder || "Click to add…")}
        </button>
      </div>
      {notice && (
        <div class="lnb-hint lnb-date-problem" role="status">
          {notice}
        </div>
      )}
      {open && (
        <div class="lnb-tax-panel">
          <input
            class="lnb-input lnb-tax-search"
            type="search"
            placeholder="Search"
            aria-label={`Search ${control.name}`}
            value={query}
            onInput={(e) => setQuery((e.currentTarget as HTMLInputElement).value)}
          />
          {shown.length ? (
            <ul class="lnb-tax-tree" role="tree" aria-label={control.name}>
              {shown.map((n) => row(n, 0))}
            </ul>
          ) : (
            <div class="lnb-panel-empty">Nothing matches “{query}”.</div>
          )}
        </div>
      )}
    </div>
  );
}

export const Taxonomy: ControlDef = {
  ...TaxonomyRules,
  Component: TaxonomyControl,
};
