import { describe, expect, it } from "vitest";
import type { ResultItem } from "../src/protocol";
import { decode, encode } from "../src/state/codecs";
import { addRegion, apply, deleteRegion, inverse, link, setValue, unlink, updateRegion, type Command } from "../src/state/commands";
import { attachedTo, classKey, put, regionLabels, relationsOf, type AnnotationDoc } from "../src/state/document";

const ITEMS: ResultItem[] = [
  { id: "r1", from_name: "box", to_name: "img", type: "rectanglelabels", origin: "prediction", score: 0.8, original_width: 600,
    value: { x: 10, y: 20, width: 30, height: 15, rotation: 0, rectanglelabels: ["Car"] } },
  { id: "r1", from_name: "colour", to_name: "img", type: "choices", value: { x: 10, y: 20, width: 30, height: 15, rotation: 0, choices: ["Blue"] } },
  { id: "r2", from_name: "box", to_name: "img", type: "rectanglelabels", value: { x: 50, y: 50, width: 5, height: 5, rotation: 0, rectanglelabels: ["Bus"] } },
  { id: "s1", from_name: "ner", to_name: "text", type: "labels", value: { start: 0, end: 3, text: "Bob", labels: ["PER"] } },
  { id: "c1", from_name: "sentiment", to_name: "text", type: "choices", value: { choices: ["Positive"] }, origin: "manual" },
  { from_id: "r1", to_id: "r2", type: "relation", direction: "right", labels: ["next to"] },
  { from_id: "s1", to_id: "r1", type: "relation", direction: "bi" },
  { from_id: "r2", to_id: "s1", type: "relation", direction: "left" },
  { id: "z", from_name: "other", to_name: "x", type: "videorectangle", value: { sequence: [] } },
];

const fresh = () => decode(ITEMS);
let n = 0;
const newId = () => `new${++n}`;

function roundTrip(doc: AnnotationDoc, cmd: Command | null) {
  expect(cmd).not.toBeNull();
  const snapshot = JSON.parse(JSON.stringify(doc)) as AnnotationDoc;
  const after = apply(doc, cmd!);
  expect(after).not.toBe(doc);
  expect(doc).toStrictEqual(snapshot); // apply never mutates
  const back = apply(after, inverse(cmd!));
  expect(back).toStrictEqual(doc);
  expect(encode(back)).toStrictEqual(encode(doc));
  // and the inverse of the inverse is the command again
  expect(apply(back, inverse(inverse(cmd!)))).toStrictEqual(after);
  return after;
}

describe("document", () => {
  it("updates share every record they do not touch", () => {
    const doc = fresh();
    const next = put(doc, "regions", "r2", { ...doc.regions.r2!, hidden: true });
    expect(next.regions.r1).toBe(doc.regions.r1);
    expect(next.classifications).toBe(doc.classifications);
    expect(next.relations).toBe(doc.relations);
    expect(put(doc, "regions", "nope", undefined)).toBe(doc);
  });

  it("finds what hangs on a region", () => {
    const doc = fresh();
    expect(relationsOf(doc, "r1").map(([k]) => k).sort()).toEqual(["r1>r2", "s1>r1"]);
    expect(attachedTo(doc, "r1").map(([k]) => k)).toEqual([classKey("colour", "r1")]);
    expect(regionLabels(doc, "r2")).toEqual(["Bus"]);
  });
});

describe("commands: apply then inverse restores the exact document", () => {
  it("addRegion", () => {
    const doc = fresh();
    const after = roundTrip(doc, addRegion(doc, { id: "r9", object: "img", control: "box", type: "rectanglelabels", kind: "rectangle",
      geometry: { x: 1, y: 1, width: 2, height: 2, rotation: 0 }, labels: ["Car"], labelsKey: "rectanglelabels", origin: "manual" }));
    expect(encode(after).at(-1)).toStrictEqual({ id: "r9", from_name: "box", to_name: "img", type: "rectanglelabels", origin: "manual",
      value: { x: 1, y: 1, width: 2, height: 2, rotation: 0, rectanglelabels: ["Car"] } });
    expect(() => addRegion(doc, { ...doc.regions.r1! })).toThrow();
  });

  it("updateRegion (a patch; an edited prediction becomes prediction-changed)", () => {
    const doc = fresh();
    const after = roundTrip(doc, updateRegion(doc, "r1", { geometry: { ...doc.regions.r1!.geometry, x: 11 }, score: undefined, locked: true }));
    expect(after.regions.r1).toMatchObject({ origin: "prediction-changed", locked: true, geometry: { x: 11 } });
    expect(after.regions.r1).not.toHaveProperty("score");
    expect(after.regions.r2).toBe(doc.regions.r2);
    expect(updateRegion(doc, "missing", { hidden: true })).toBeNull();
  });

  it("deleteRegion takes its relations and perRegion results, and the inverse brings them back", () => {
    const doc = fresh();
    const after = roundTrip(doc, deleteRegion(doc, "r1"));
    expect(Object.keys(after.regions).sort()).toEqual(["r2", "s1"]);
    expect(Object.keys(after.relations)).toEqual(["r2>s1"]);
    expect(Object.keys(after.classifications)).toEqual(["sentiment"]);
    expect(encode(after).map((i) => i.id ?? `${i.from_id}>${i.to_id}`)).toEqual(["r2", "s1", "c1", "r2>s1", "z"]);
  });

  it("setValue: set, change, clear, perRegion", () => {
    const doc = fresh();
    const sentiment = { control: "sentiment", object: "text", type: "choices" };
    roundTrip(doc, setValue(doc, sentiment, { choices: ["Negative"] }, newId));
    roundTrip(doc, setValue(doc, sentiment, null, newId));
    const note = { control: "note", object: "text", type: "textarea" };
    const added = roundTrip(doc, setValue(doc, note, { text: ["hi"] }, newId));
    expect(encode(added).at(-1)).toStrictEqual({ id: `new${n}`, from_name: "note", to_name: "text", type: "textarea", value: { text: ["hi"] }, origin: "manual" });
    const perRegion = roundTrip(doc, setValue(doc, { control: "doors", object: "img", type: "number", region: "r2" }, { number: 2 }, newId));
    expect(encode(perRegion).at(-1)).toStrictEqual({ id: "r2", from_name: "doors", to_name: "img", type: "number", origin: "manual",
      value: { x: 50, y: 50, width: 5, height: 5, rotation: 0, number: 2 } });
    expect(setValue(doc, note, null, newId)).toBeNull();
  });

  it("link and unlink", () => {
    const doc = fresh();
    const linked = roundTrip(doc, link(doc, "r2", "r1", "bi", ["pair"]));
    expect(encode(linked).at(-1)).toStrictEqual({ from_id: "r2", to_id: "r1", type: "relation", direction: "bi", labels: ["pair"] });
    roundTrip(doc, unlink(doc, "r1", "r2"));
    expect(link(doc, "r1", "r2")).toBeNull();
    expect(unlink(doc, "r2", "r1")).toBeNull();
  });
});
