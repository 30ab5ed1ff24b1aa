import { describe, expect, it } from "vitest";
import { asText, attr, boolAttr, interpolate, lookupData, parseStyle, resolveValue } from "../src/config";
import {
  allControls,
  defaultItems,
  makeSelection,
  submittableItems,
  validate,
  visibleControls,
} from "../src/state/analysis";
import type { ResultItem, ViewNode } from "../src/protocol";

describe("reading the config", () => {
  it("finds attributes exactly, then case-insensitively", () => {
    const node: ViewNode = { tag: "Choices", attrs: { toname: "t", showInLine: "true" } };
    expect(attr(node, "toName")).toBe("t");
    expect(boolAttr(node, "showInline")).toBe(true);
    expect(boolAttr(node, "required")).toBe(false);
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

const view: ViewNode = {
  tag: "View",
  children: [
    { tag: "Text", attrs: { name: "text", value: "$text" } },
    {
      tag: "Choices",
      attrs: { name: "sentiment", toName: "text", required: "true" },
      children: [
        { tag: "Choice", attrs: { value: "Positive", alias: "pos" } },
        { tag: "Choice", attrs: { value: "Negative", selected: "true" } },
      ],
    },
    {
      tag: "View",
      attrs: { visibleWhen: "choice-selected", whenTagName: "sentiment", whenChoiceValue: "Positive" },
      children: [{ tag: "Rating", attrs: { name: "how", toName: "text", required: "true", defaultValue: "3" } }],
    },
    { tag: "Number", attrs: { name: "n", toName: "text", min: "0", max: "10" } },
    { tag: "TextArea", attrs: { name: "region_note", toName: "text", perRegion: "true" } },
    { tag: "Collapse", children: [{ tag: "TextArea", attrs: { name: "hidden_note", toName: "text", required: "true" } }] },
  ],
};

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
    expect(allControls(view).map((c) => c.control.name)).toEqual(["sentiment", "how", "n", "hidden_note"]);
  });

  it("shows a View only when its choice is selected (by value, also through an alias)", () => {
    const shown = (items: ResultItem[]) => visibleControls(view, makeSelection(view, items)).map((c) => c.control.name);
    expect(shown([])).toEqual(["sentiment", "n"]);
    expect(shown([choice(["pos"])])).toEqual(["sentiment", "how", "n"]);
    expect(shown([choice(["Negative"])])).toEqual(["sentiment", "n"]);
  });

  it("submits hidden controls' items not at all, unknown items as they are", () => {
    const collapsed: ResultItem = { id: "h", from_name: "hidden_note", type: "textarea", value: { text: ["kept"] } };
    const items = [choice(["Negative"]), rating, region, collapsed];
    expect(submittableItems(view, items, makeSelection(view, items))).toEqual([choice(["Negative"]), region, collapsed]);
    const shownItems = [choice(["pos"]), rating];
    expect(submittableItems(view, shownItems, makeSelection(view, shownItems))).toEqual(shownItems);
  });

  it("requires what is shown and required, and checks number ranges", () => {
    const check = (items: ResultItem[]) => validate(visibleControls(view, makeSelection(view, items)), items);
    expect(check([])).toEqual([{ control: "sentiment", message: '"sentiment" is required.' }]);
    expect(check([choice(["pos"])])).toEqual([{ control: "how", message: '"how" is required.' }]);
    expect(check([choice(["pos"]), rating])).toEqual([]);
    const n: ResultItem = { id: "n", from_name: "n", type: "number", value: { number: 11 } };
    expect(check([choice(["Negative"]), n])).toEqual([{ control: "n", message: '"n" must be at most 10.' }]);
  });

  it("uses requiredMessage when given", () => {
    const v: ViewNode = { tag: "View", children: [{ tag: "Rating", attrs: { name: "r", toName: "t", required: "true", requiredMessage: "Rate it!" } }] };
    expect(validate(visibleControls(v, makeSelection(v, [])), [])).toEqual([{ control: "r", message: "Rate it!" }]);
  });

  it("builds the defaults a fresh task starts with", () => {
    let n = 0;
    expect(defaultItems(view, {}, () => `d${++n}`)).toEqual([
      { id: "d1", from_name: "sentiment", to_name: "text", type: "choices", value: { choices: ["Negative"] }, origin: "manual" },
      { id: "d2", from_name: "how", to_name: "text", type: "rating", value: { rating: 3 }, origin: "manual" },
    ]);
  });
});
