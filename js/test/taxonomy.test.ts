// <Taxonomy> from its analysed spec: the tree, what may be picked, the search, maxUsages.
import { describe, expect, it } from "vitest";
import type { ControlSpec, LabelSpec } from "../src/schema/model";
import { pathText, pickable, searchTree, taxonomyTree, togglePath, type TaxonomyNode } from "../src/schema/taxonomy";

const label = (path: string[], extra: Partial<LabelSpec> = {}) =>
  ({ value: path[path.length - 1], alias: null, label: path[path.length - 1], path, depth: path.length - 1, ...extra }) as LabelSpec;
const spec = (extra: Partial<ControlSpec> = {}) =>
  ({
    name: "tax",
    tag: "Taxonomy",
    labels: [label(["Animal"]), label(["Animal", "Cat"]), label(["Animal", "Dog"]), label(["Plant"]), label(["Plant", "Tree"]), label(["Plant", "Tree", "Oak"])],
    ...extra,
  }) as ControlSpec;
const names = (nodes: TaxonomyNode[]): unknown[] => nodes.map((n) => (n.children.length ? [n.text, names(n.children)] : n.text));

describe("Taxonomy", () => {
  it("builds the tree from the labels' paths", () => {
    expect(names(taxonomyTree(spec()))).toEqual([
      ["Animal", ["Cat", "Dog"]],
      ["Plant", [["Tree", ["Oak"]]]],
    ]);
  });

  it("lets leaves only be picked with leafsOnly, and never a label the kernel marks unselectable", () => {
    const [animal, plant] = taxonomyTree(spec({ leafs_only: true }));
    expect(pickable(spec({ leafs_only: true }), animal!)).toBe(false);
    expect(pickable(spec({ leafs_only: true }), animal!.children[0]!)).toBe(true);
    expect(pickable(spec(), plant!)).toBe(true);
    const locked = spec({ labels: [label(["Animal"], { selectable: false }), label(["Animal", "Cat"])] });
    expect(pickable(locked, taxonomyTree(locked)[0]!)).toBe(false);
  });

  it("searches the shown text, keeping the ancestors of what matches", () => {
    expect(names(searchTree(taxonomyTree(spec()), "oa"))).toEqual([["Plant", [["Tree", ["Oak"]]]]]);
    expect(names(searchTree(taxonomyTree(spec()), "ANIMAL"))).toEqual([["Animal", ["Cat", "Dog"]]]);
    expect(searchTree(taxonomyTree(spec()), "zebra")).toEqual([]);
  });

  it("picks and unpicks paths in order, up to maxUsages", () => {
    let picked: string[][] = [];
    picked = togglePath(spec(), picked, ["Animal", "Dog"]).selected;
    picked = togglePath(spec(), picked, ["Plant"]).selected;
    expect(picked).toEqual([["Animal", "Dog"], ["Plant"]]);
    expect(togglePath(spec(), picked, ["Animal", "Dog"]).selected).toEqual([["Plant"]]);
    const capped = togglePath(spec({ max_usages: 2 }), picked, ["Animal", "Cat"]);
    expect(capped.selected).toEqual(picked);
    expect(capped.refused).toBe("at most 2 items may be picked");
    expect(pathText(spec(), ["Plant", "Tree", "Oak"])).toBe("Oak");
    expect(pathText(spec({ show_full_path: true, path_separator: " > " }), ["Plant", "Tree", "Oak"])).toBe("Plant > Tree > Oak");
  });
});
