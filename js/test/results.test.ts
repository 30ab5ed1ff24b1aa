import { describe, expect, it } from "vitest";
import { FIXTURES } from "./models.generated";
import { toggledLabels } from "../src/controls/choices";
import { choiceSpecs } from "../src/schema/choices";
import { controlSpec } from "../src/schema/model";
import { nextRating } from "../src/schema/rating";
import {
  buildItem,
  choicesValue,
  newResultId,
  numberValue,
  ratingValue,
  readChoices,
  readNumber,
  readRating,
  readEntries,
  textareaValue,
} from "../src/state/results";
import { Annotation } from "../src/state/annotation";
import type { ViewNode } from "../src/protocol";

const ids = () => {
  let n = 0;
  return () => `id${++n}`;
};

describe("Label Studio result items", () => {
  it("have Label Studio's id alphabet and length", () => {
    for (let i = 0; i < 50; i++) expect(newResultId()).toMatch(/^[A-Za-z0-9_-]{10}$/);
    expect(new Set(Array.from({ length: 200 }, newResultId)).size).toBe(200);
  });

  it("choices", () => {
    const item = buildItem({ name: "sentiment", toName: "text", type: "choices" }, choicesValue(["Positive"])!, "abc");
    expect(item).toEqual({
      id: "abc",
      from_name: "sentiment",
      to_name: "text",
      type: "choices",
      value: { choices: ["Positive"] },
      origin: "manual",
    });
    expect(choicesValue([])).toBeNull();
  });

  it("textarea: one string per entry; no entries is no value", () => {
    expect(textareaValue(["line one\nline two", "second"])).toEqual({ text: ["line one\nline two", "second"] });
    expect(textareaValue([])).toBeNull();
  });

  it("rating: positive integers only", () => {
    expect(ratingValue(4)).toEqual({ rating: 4 });
    expect(ratingValue(0)).toBeNull();
    expect(ratingValue(2.5)).toBeNull();
  });

  it("number: finite numbers, zero included", () => {
    expect(numberValue(12.5)).toEqual({ number: 12.5 });
    expect(numberValue(0)).toEqual({ number: 0 });
    expect(numberValue(null)).toBeNull();
    expect(numberValue(Number.NaN)).toBeNull();
  });

  it("readers accept older shapes", () => {
    expect(readEntries({ value: { text: "5/5" } })).toEqual(["5/5"]);
    expect(readEntries({ value: { text: ["a", 3, "b"] } })).toEqual(["a", "b"]);
    expect(readEntries(undefined)).toEqual([]);
    expect(readChoices({ value: { choices: [["Parent", "Child"], "B"] } })).toEqual(["Child", "B"]);
    expect(readRating({ value: { rating: 3 } })).toBe(3);
    expect(readNumber({ value: { number: "7" } })).toBeNull();
    expect(readChoices(undefined)).toEqual([]);
  });
});

describe("choice toggling", () => {
  // three choices A, Bee (alias B, inside a View) and C, as the kernel's model lists them
  const base = controlSpec(FIXTURES.widget.controls, "sentiment")!;
  const label = (value: string, alias: string | null = null) => ({ value, alias, label: alias ?? value, hotkey: null, depth: 0 });
  const node = { ...base, labels: [label("A"), label("Bee", "B"), label("C")] };
  const specs = choiceSpecs(node);
  const [a, b, c] = specs as [typeof specs[0], typeof specs[0], typeof specs[0]];

  it("single: selects one, clicking it again clears", () => {
    expect(toggledLabels(specs, "single", [], a)).toEqual(["A"]);
    expect(toggledLabels(specs, "single", ["A"], b)).toEqual(["B"]);
    expect(toggledLabels(specs, "single", ["B"], b)).toEqual([]);
  });

  it("single-radio: clicking the selected one keeps it", () => {
    expect(toggledLabels(specs, "single-radio", ["A"], a)).toEqual(["A"]);
    expect(toggledLabels(specs, "single-radio", ["A"], c)).toEqual(["C"]);
  });

  it("multiple: toggles, keeps config order and unknown stored labels", () => {
    expect(toggledLabels(specs, "multiple", ["C"], a)).toEqual(["A", "C"]);
    expect(toggledLabels(specs, "multiple", ["A", "C"], a)).toEqual(["C"]);
    expect(toggledLabels(specs, "multiple", ["Old"], b)).toEqual(["B", "Old"]);
  });

  it("rating hotkey cycles 1..max then none", () => {
    expect([0, 1, 4, 5].map((r) => nextRating(r, 5))).toEqual([1, 2, 5, 0]);
  });
});

describe("Annotation (the store of the app)", () => {
  const sentiment = { name: "sentiment", toName: "text", type: "choices" };
  const note = { name: "note", toName: "text", type: "textarea" };

  it("adds, updates in place (keeping the id) and removes items", () => {
    const store = new Annotation([], { newId: ids() });
    store.set(sentiment, { choices: ["Positive"] });
    store.set(note, { text: ["hi"] });
    store.set(sentiment, { choices: ["Negative"] });
    expect(store.items).toEqual([
      { id: "id1", from_name: "sentiment", to_name: "text", type: "choices", value: { choices: ["Negative"] }, origin: "manual" },
      { id: "id2", from_name: "note", to_name: "text", type: "textarea", value: { text: ["hi"] }, origin: "manual" },
    ]);
    store.set(sentiment, null);
    expect(store.items.map((i) => i.from_name)).toEqual(["note"]);
    expect(store.dirty).toBe(true);
  });

  it("keeps items it has no control for, and marks edited predictions", () => {
    const rect = { id: "r1", from_name: "box", to_name: "img", type: "rectanglelabels", value: { x: 1 } };
    const pred = { id: "p1", from_name: "sentiment", to_name: "text", type: "choices", value: { choices: ["A"] }, origin: "prediction" };
    const store = new Annotation([rect, pred], { newId: ids() });
    store.set(sentiment, { choices: ["B"] });
    expect(store.snapshot()).toEqual([rect, { ...pred, value: { choices: ["B"] }, origin: "prediction-changed" }]);
  });

  it("undo and redo walk the history; typing coalesces", () => {
    let t = 0;
    const store = new Annotation([], { newId: ids(), now: () => t });
    store.set(sentiment, { choices: ["A"] });
    t = 100;
    store.set(note, { text: ["h"] }, { coalesce: true });
    t = 200;
    store.set(note, { text: ["hi"] }, { coalesce: true });
    expect(store.undo()).toBe(true);
    expect(store.items.map((i) => i.from_name)).toEqual(["sentiment"]);
    expect(store.undo()).toBe(true);
    expect(store.items).toEqual([]);
    expect(store.undo()).toBe(false);
    expect(store.redo()).toBe(true);
    expect(store.redo()).toBe(true);
    expect(store.items[1]?.value).toEqual({ text: ["hi"] });
    expect(store.canRedo).toBe(false);
  });

  it("reset starts over with a copy and notifies", () => {
    const store = new Annotation();
    const seen: string[] = [];
    store.subscribe((c) => seen.push(c.source));
    const items = [{ id: "x", from_name: "a", type: "rating", value: { rating: 2 } }];
    store.reset(items);
    store.set({ name: "a", toName: "t", type: "rating" }, { rating: 3 });
    expect(items[0]?.value).toEqual({ rating: 2 }); // the caller's object is untouched
    expect(seen).toEqual(["reset", "user"]);
    expect(store.canUndo).toBe(true);
    store.reset([]);
    expect(store.canUndo).toBe(false);
    expect(store.dirty).toBe(false);
  });
});
