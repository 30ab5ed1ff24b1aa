import { describe, expect, it } from "vitest";
import { asText, attr, boolAttr, interpolate, lookupData, parseStyle, resolveValue } from "../src/config";
import {
  allControls,
  defaultItems,
  makeSelection,
  submittableItems,
  validate,
  visibleControls,
  type SelectedRegion,
} from "../src/state/analysis";
import type { ResultItem, ViewNode } from "../src/protocol";
import { FIXTURES } from "./models.generated";

describe("reading the config", () => {
  it("finds attributes exactly, then case-insensitively", () => {
    const node: ViewNode = { tag: "Choices", attrs: { toname: "t", showInLine: "true" } };
    expect(attr(node, "toName")).toBe("t");
    expect(boolAttr(node, "showInline")).toBe(true);
    expect(boolAttr(node, "required")).toBe(false);
  });

  it("reads only true and false as booleans, as Label Studio and the kernel do", () => {
    const node: ViewNode = { tag: "Header", attrs: { a: "1", b: "yes", c: "", d: " TRUE ", e: "False", f: "0" } };
    expect(["a", "b", "c"].map((k) => boolAttr(node, k))).toEqual([false, false, false]);
    expect(["a", "b", "c", "f"].map((k) => boolAttr(node, k, true))).toEqual([true, true, true, true]);
    expect(boolAttr(node, "d")).toBe(true);
    expect(boolAttr(node, "e", true)).toBe(false);
  });

  it("resolves $fields, dotted paths and literals", () => {
    const data = { text: "hi", meta: { title: "T" }, list: [{ a: 1 }], "a.b": "flat" };
    expect(resolveValue("$text", data)).toBe("hi");
    expect(resolveValue("$meta.title", data)).toBe("T");
    expect(lookupData(data, "list[0].a")).toBe(1);
    expect(lookupData(data, "a.b")).toBe("flat");
    expect(resolveValue("literal", data)).toBe("literal");
    expect(resolveValue("$missing", data)).toBeUndefined();
    expect(interpolate("Review of $meta.title.", data)).toBe("Review of T.");
    expect(interpolate("Costs $5", data)).toBe("Costs $5");
  });

  it("shows any data value as text", () => {
    expect(asText(3)).toBe("3");
    expect(asText(["a", "b"])).toBe("a\nb");
    expect(asText({ a: 1 })).toBe('{\n  "a": 1\n}');
    expect(asText(null)).toBe("");
  });
});

describe("parseStyle", () => {
  it("turns declarations into a style object", () => {
    expect(parseStyle("display: flex; margin-top: 4px;--x: 1; ; bad")).toEqual({ display: "flex", marginTop: "4px", "--x": "1" });
  });

  it("drops url(), expression() and fixed positioning", () => {
    expect(
      parseStyle(
        "background: url(http://evil/x.png); width: expression(alert(1)); position: fixed; color: red; background-image: URL ('a')",
      ),
    ).toEqual({ color: "red" });
    expect(parseStyle("color: red !important")).toEqual({ color: "red" });
    expect(parseStyle(undefined)).toEqual({});
  });
});

// the view and control model the kernel sends for this config (tests/unit/widget/js_fixtures.py, "analysis")
const { view, controls: model } = FIXTURES.analysis;

const choice = (labels: string[]): ResultItem => ({
  id: "c",
  from_name: "sentiment",
  to_name: "text",
  type: "choices",
  value: { choices: labels },
});
const rating: ResultItem = { id: "r", from_name: "how", to_name: "text", type: "rating", value: { rating: 4 } };
const region: ResultItem = { id: "x", from_name: "box", to_name: "img", type: "rectangle", value: {} };

describe("controls, visibility and validation", () => {
  it("lists controls, leaving out per-region ones", () => {
    expect(allControls(view, model).map((c) => c.control.name)).toEqual(["sentiment", "how", "n", "hidden_note"]);
  });

  it("leaves out controls the model does not know (nothing is read from attributes)", () => {
    expect(allControls(view, { ...model, controls: [] })).toEqual([]);
  });

  it("shows a View only when its choice is selected (by value, also through an alias)", () => {
    const shown = (items: ResultItem[]) => visibleControls(view, makeSelection(view, model, items)).map((c) => c.control.name);
    expect(shown([])).toEqual(["sentiment", "n"]);
    expect(shown([choice(["pos"])])).toEqual(["sentiment", "how", "n"]);
    expect(shown([choice(["Negative"])])).toEqual(["sentiment", "n"]);
  });

  it("submits hidden controls' items not at all, unknown items as they are", () => {
    const collapsed: ResultItem = { id: "h", from_name: "hidden_note", type: "textarea", value: { text: ["kept"] } };
    const items = [choice(["Negative"]), rating, region, collapsed];
    expect(submittableItems(view, items, makeSelection(view, model, items))).toEqual([choice(["Negative"]), region, collapsed]);
    const shownItems = [choice(["pos"]), rating];
    expect(submittableItems(view, shownItems, makeSelection(view, model, shownItems))).toEqual(shownItems);
  });

  it("requires what is shown and required (with Label Studio's messages), and checks number ranges", () => {
    const check = (items: ResultItem[]) => validate(visibleControls(view, makeSelection(view, model, items)), items);
    expect(check([])).toEqual([{ control: "sentiment", message: 'Checkbox "sentiment" is required.' }]);
    expect(check([choice(["pos"])])).toEqual([{ control: "how", message: 'Rating "how" is required.' }]);
    expect(check([choice(["pos"]), rating])).toEqual([]);
    const n: ResultItem = { id: "n", from_name: "n", type: "number", value: { number: 11 } };
    expect(check([choice(["Negative"]), n])).toEqual([{ control: "n", message: '"n" must be at most 10.' }]);
  });

  it("uses requiredMessage when given", () => {
    const { view: v, controls: m } = FIXTURES.requiredMessage;
    expect(validate(visibleControls(v, makeSelection(v, m, [])), [])).toEqual([
      { control: "r", message: "Rate it!" },
      { control: "say", message: 'Input for the textarea "say" is required.' },
    ]);
  });

  it("builds the defaults a fresh task starts with (a Rating's defaultValue saves nothing, as in Label Studio)", () => {
    let n = 0;
    expect(defaultItems(view, model, {}, () => `d${++n}`)).toEqual([
      { id: "d1", from_name: "sentiment", to_name: "text", type: "choices", value: { choices: ["Negative"] }, origin: "manual" },
      { id: "d2", from_name: "n", to_name: "text", type: "number", value: { number: 4 }, origin: "manual" },
    ]);
  });

  it("preselects every selected choice, even of a single choice", () => {
    const { view: v, controls: m } = FIXTURES.preselected;
    expect(defaultItems(v, m, {}, () => "d").map((i) => i.value)).toEqual([{ choices: ["ok", "no"] }]);
  });

  it("a control hidden by its View counts as unselected for rules that name it", () => {
    const { view: v, controls: m } = FIXTURES.hiddenTarget;
    const item = (from_name: string, labels: string[]): ResultItem => ({ id: from_name, from_name, to_name: "t", type: "choices", value: { choices: labels } });
    const shown = (items: ResultItem[]) => visibleControls(v, makeSelection(v, m, items)).map((c) => c.control.name);
    expect(shown([])).toEqual(["gate", "free"]);
    expect(shown([item("gate", ["open"])])).toEqual(["gate", "inner"]);
    expect(shown([item("gate", ["open"]), item("inner", ["x"])])).toEqual(["gate", "inner", "after"]);
    // inner keeps its item but is hidden again: "after" goes with it
    expect(shown([item("inner", ["x"])])).toEqual(["gate", "free"]);
  });

  it("region rules ask the region the editor has selected", () => {
    const { view: v, controls: m } = FIXTURES.regionRule;
    const shown = (region: SelectedRegion | null) =>
      visibleControls(v, makeSelection(v, m, [], () => region)).map((c) => c.control.name);
    expect(shown(null)).toEqual(["general"]);
    expect(shown({ control: "ner", labels: ["PER"] })).toEqual(["who"]);
    expect(shown({ control: "ner", labels: ["ORG"] })).toEqual([]);
    expect(shown({ control: "other", labels: ["PER"] })).toEqual([]);
  });
});
