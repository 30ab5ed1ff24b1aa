import { describe, expect, it } from "vitest";
import { Editor } from "../src/editor";
import { Annotation } from "../src/state/annotation";
import type { ResultItem } from "../src/protocol";
import { setValue } from "../src/state/commands";

const box = (id: string, label: string, extra: Partial<ResultItem> = {}): ResultItem => ({
  id,
  from_name: "box",
  to_name: "img",
  type: "rectanglelabels",
  value: { x: 10, y: 10, width: 20, height: 20, rotation: 0, rectanglelabels: [label] },
  origin: "manual",
  ...extra,
});

function editorWith(items: ResultItem[]): Editor {
  return new Editor(new Annotation(items));
}

describe("Editor", () => {
  it("deletes the selected regions, with their relations, as one undo step", () => {
    const rel = { from_id: "a", to_id: "b", type: "relation", direction: "right" };
    const e = editorWith([box("a", "Cat"), box("b", "Dog"), box("c", "Cat"), rel]);
    e.ui.select(["a", "b"]);
    expect(e.deleteSelected()).toBe(true);
    expect(Object.keys(e.annotation.doc.regions)).toEqual(["c"]);
    expect(Object.keys(e.annotation.doc.relations)).toEqual([]);
    expect(e.ui.state.selected).toEqual([]);
    e.annotation.undo();
    expect(e.annotation.snapshot()).toEqual([box("a", "Cat"), box("b", "Dog"), box("c", "Cat"), rel]);
  });

  it("keeps locked regions when deleting", () => {
    const e = editorWith([box("a", "Cat", { readonly: true })]);
    e.ui.select(["a"]);
    expect(e.deleteSelected()).toBe(false);
    expect(e.annotation.doc.regions.a).toBeDefined();
  });

  it("relabels the selected regions of the control; a prediction becomes prediction-changed", () => {
    const e = editorWith([box("a", "Cat", { origin: "prediction", score: 0.9 })]);
    e.ui.select(["a"]);
    expect(e.relabelSelected("box", "Dog", false)).toBe(true);
    const [item] = e.annotation.snapshot();
    expect(item?.value).toMatchObject({ rectanglelabels: ["Dog"] });
    expect(item?.origin).toBe("prediction-changed");
    expect(item?.score).toBe(0.9);
    // another control's label does not touch it
    expect(e.relabelSelected("other", "Dog", false)).toBe(false);
  });

  it("a multiple-label control toggles a label but never leaves a region without one", () => {
    const e = editorWith([box("a", "Cat")]);
    e.ui.select(["a"]);
    e.relabelSelected("box", "Dog", true);
    expect(e.annotation.doc.regions.a?.labels).toEqual(["Cat", "Dog"]);
    e.relabelSelected("box", "Cat", true);
    e.relabelSelected("box", "Dog", true);
    expect(e.annotation.doc.regions.a?.labels).toEqual(["Dog"]);
  });

  it("relabelling respects maxUsages: refused whole, with a notice by the control", () => {
    const e = editorWith([box("a", "Cat"), box("b", "Dog"), box("c", "Dog")]);
    e.model = {
      ...e.model,
      controls: [{ name: "box", tag: "RectangleLabels", labels: [{ value: "Cat", label: "Cat", max_usages: 2 }, { value: "Dog", label: "Dog" }] } as never],
    };
    e.ui.select(["b", "c"]);
    expect(e.relabelSelected("box", "Cat", false)).toBe(true);
    // two more Cats would make three
    expect(e.annotation.doc.regions.b?.labels).toEqual(["Dog"]);
    expect(e.annotation.doc.regions.c?.labels).toEqual(["Dog"]);
    expect(e.ui.state.notice?.control).toBe("box");
    expect(e.ui.state.notice?.text).toContain("2 times");
    // one more is fine
    e.ui.select(["b"]);
    e.relabelSelected("box", "Cat", false);
    expect(e.annotation.doc.regions.b?.labels).toEqual(["Cat"]);
    // a region that already has the label does not count again
    e.ui.select(["a", "b"]);
    e.relabelSelected("box", "Cat", true);
    expect(e.annotation.doc.regions.a?.labels).toEqual(["Cat"]);
  });

  it("links two regions from ui.linking, as one undo step", () => {
    const e = editorWith([box("a", "Cat"), box("b", "Dog")]);
    e.ui.update({ linking: "a" });
    expect(e.linkTo("a")).toBe(false); // not to itself
    e.ui.update({ linking: "a" });
    expect(e.linkTo("b")).toBe(true);
    expect(e.ui.state.linking).toBe(null);
    expect(e.annotation.snapshot()[2]).toEqual({ from_id: "a", to_id: "b", type: "relation", direction: "right" });
    e.annotation.undo();
    expect(e.annotation.snapshot()).toHaveLength(2);
  });

  it("hiding and locking keep a prediction's origin and are undoable", () => {
    const e = editorWith([box("a", "Cat", { origin: "prediction" })]);
    e.toggle(["a"], "hidden");
    e.toggle(["a"], "locked");
    const [item] = e.annotation.snapshot();
    expect(item).toMatchObject({ hidden: true, readonly: true, origin: "prediction" });
    e.annotation.undo();
    e.annotation.undo();
    expect(e.annotation.snapshot()).toEqual([box("a", "Cat", { origin: "prediction" })]);
  });

  it("undo prunes a selection of regions that are gone, and keeps the active tool and label", () => {
    const e = editorWith([]);
    e.ui.update({ tool: "box", label: { control: "box", value: "Cat" } });
    e.annotation.reset([box("a", "Cat")]);
    e.ui.select(["a"]);
    e.annotation.reset([]);
    expect(e.ui.state.selected).toEqual([]);
    expect(e.ui.state.label).toEqual({ control: "box", value: "Cat" });
  });
});

describe("accepting predictions", () => {
  it("puts back deleted predicted regions and their relations as one undo step", async () => {
    const { acceptPredictions, predictionItems } = await import("../src/state/predictions");
    const predictions = [
      {
        model_version: "v1",
        score: 0.5,
        result: [box("p1", "Cat"), box("p2", "Dog"), { from_id: "p1", to_id: "p2", type: "relation", direction: "right" }].map((it) => {
          const { origin: _o, ...rest } = it as ResultItem;
          return rest;
        }),
      },
    ];
    const items = predictionItems(predictions);
    expect(items.map((it) => it.origin)).toEqual(["prediction", "prediction", undefined]);
    const e = editorWith(items);
    e.ui.select(["p1", "p2"]);
    e.deleteSelected();
    expect(e.annotation.snapshot()).toEqual([]);
    expect(acceptPredictions(e.annotation, predictions)).toBe(2);
    expect(e.annotation.snapshot()).toEqual(items);
    expect(acceptPredictions(e.annotation, predictions)).toBe(0); // nothing missing: nothing changes
    e.annotation.undo();
    expect(e.annotation.snapshot()).toEqual([]);
  });

  it("puts back predicted classifications too, a region's perRegion value with its region", async () => {
    const { acceptPredictions, predictionItems } = await import("../src/state/predictions");
    const choice = { id: "c1", from_name: "mood", to_name: "img", type: "choices", value: { choices: ["Happy"] } };
    const perRegion = {
      id: "p1",
      from_name: "state",
      to_name: "img",
      type: "choices",
      value: { x: 10, y: 10, width: 20, height: 20, rotation: 0, choices: ["parked"] },
    };
    const { origin: _o, ...plainBox } = box("p1", "Car");
    const predictions = [{ result: [plainBox, perRegion, choice] }];
    const items = predictionItems(predictions);
    const e = editorWith(items);
    e.ui.select(["p1"]);
    e.deleteSelected(); // its perRegion value goes with it
    e.annotation.begin("clear");
    e.annotation.run(setValue(e.annotation.doc, { control: "mood", object: "img", type: "choices" }, null, () => "x")!);
    e.annotation.end();
    expect(e.annotation.snapshot()).toEqual([]);
    expect(acceptPredictions(e.annotation, predictions)).toBe(3);
    expect(e.annotation.snapshot()).toEqual(items);
    expect(e.annotation.snapshot().every((it) => it.origin === "prediction")).toBe(true);
    expect(acceptPredictions(e.annotation, predictions)).toBe(0);
    e.annotation.undo();
    expect(e.annotation.snapshot()).toEqual([]);
  });
  it("a prediction without ids (a bare value the kernel wrapped, a backend's boxes) is edited and put back once", async () => {
    const { acceptPredictions, predictionItems } = await import("../src/state/predictions");
    const { id: _i, origin: _o, ...idless } = box("ignored", "Cat");
    const predictions = [{ result: [idless, { from_name: "mood", to_name: "img", type: "choices", value: { choices: ["Happy"] } }] }];
    const e = editorWith(predictionItems(predictions));
    const start = e.annotation.snapshot();
    const rid = start[0]?.id as string;
    expect(typeof rid).toBe("string");
    expect(e.annotation.doc.regions[rid]).toBeDefined(); // a region, not an item passed through
    expect(e.annotation.find("mood", "choices")?.value).toEqual({ choices: ["Happy"] });
    // a new pick replaces the predicted one: one item for the control, never two
    e.annotation.set({ name: "mood", toName: "img", type: "choices" }, { choices: ["Sad"] });
    expect(e.annotation.snapshot().filter((it) => it.from_name === "mood").map((it) => it.value)).toEqual([{ choices: ["Sad"] }]);
    e.ui.select([rid]);
    e.deleteSelected();
    expect(acceptPredictions(e.annotation, predictions)).toBe(1); // the box, under the id it had
    expect(e.annotation.snapshot().filter((it) => it.type === "rectanglelabels").map((it) => it.id)).toEqual([rid]);
    expect(acceptPredictions(e.annotation, predictions)).toBe(0);
  });
});
