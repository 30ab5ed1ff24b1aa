import { describe, expect, it } from "vitest";
import type { ViewNode } from "../src/protocol";
import { choiceSpecs } from "../src/schema/choices";

describe("the Choices model", () => {
  const node: ViewNode = {
    tag: "Choices",
    attrs: { name: "c", toName: "t" },
    children: [
      { tag: "Choice", attrs: { value: "A" } },
      { tag: "View", children: [{ tag: "Choice", attrs: { value: "Bee", alias: "B", hotkey: "b" } }] },
      { tag: "Choice", attrs: { value: "C" } },
    ],
  };
  const specs = choiceSpecs(node);
  const [, b] = specs as [typeof specs[0], typeof specs[0], typeof specs[0]];

  it("collects choices through nested Views, alias as the label", () => {
    expect(specs.map((s) => [s.value, s.label])).toEqual([
      ["A", "A"],
      ["Bee", "B"],
      ["C", "C"],
    ]);
    expect(b.hotkeys[0]?.key).toBe("b");
  });
});
