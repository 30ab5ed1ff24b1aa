// <Choices allowNested="true">: the tree, picking a branch or a leaf, the result paths (Label Studio's
// Choice.jsx and Choices.jsx).
import { describe, expect, it } from "vitest";
import type { ControlSpec, LabelSpec } from "../src/schema/model";
import { choiceTree, pickedKeys, pickState, resultOf, toggleNested } from "../src/schema/nestedChoices";

const label = (path: string[]) => ({ value: path[path.length - 1], alias: null, label: path[path.length - 1], path, depth: path.length - 1 }) as LabelSpec;
const spec = { name: "c", tag: "Choices", allow_nested: true, labels: [label(["A"]), label(["A", "A1"]), label(["A", "A2"]), label(["B"])] } as ControlSpec;
const tree = choiceTree(spec);
const [A, B] = tree;

describe("nested choices", () => {
  it("a branch is picked when all its leaves are, partly when some are", () => {
    expect(pickState(A!, pickedKeys([["A", "A1"]]))).toBe("some");
    expect(pickState(A!, pickedKeys([["A", "A1"], ["A", "A2"]]))).toBe("on");
    expect(pickState(A!, pickedKeys([]))).toBe("off");
    expect(pickState(B!, pickedKeys(["B"]))).toBe("on"); // an older result's bare string
  });

  it("picking a branch picks everything under it; the result lists every picked node as a path", () => {
    expect(toggleNested(tree, "multiple", [], A!)).toEqual([["A"], ["A", "A1"], ["A", "A2"]]);
    expect(toggleNested(tree, "multiple", [["A"], ["A", "A1"], ["A", "A2"]], A!.children[0]!)).toEqual([["A", "A2"]]);
    expect(toggleNested(tree, "multiple", [["A", "A2"]], B!)).toEqual([["A", "A2"], ["B"]]);
    expect(resultOf(tree, pickedKeys([["A", "A2"], ["A", "A1"]]))).toEqual([["A"], ["A", "A1"], ["A", "A2"]]);
  });

  it("a single choice clears the others first; a radio stays on", () => {
    expect(toggleNested(tree, "single", [["A", "A1"]], B!)).toEqual([["B"]]);
    expect(toggleNested(tree, "single", [["B"]], B!)).toEqual([]);
    expect(toggleNested(tree, "single-radio", [["B"]], B!)).toEqual([["B"]]);
  });
});
