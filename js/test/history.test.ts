import { describe, expect, it } from "vitest";
import { decode } from "../src/state/codecs";
import { addRegion, deleteRegion, setValue, updateRegion } from "../src/state/commands";
import { emptyDoc, type AnnotationDoc } from "../src/state/document";
import { History, type Change } from "../src/state/history";

const rect = (id: string) => ({ id, object: "img", control: "box", type: "rectangle", kind: "rectangle" as const,
  geometry: { x: 0, y: 0, width: 10, height: 10, rotation: 0 } });
const newId = (() => { let n = 0; return () => `id${++n}`; })();
const note = { control: "note", object: "text", type: "textarea" };

describe("History", () => {
  it("undo and redo walk the commands", () => {
    const h = new History(emptyDoc());
    const start = h.doc;
    h.run(addRegion(h.doc, rect("a")));
    const one = h.doc;
    h.run(setValue(h.doc, note, { text: ["x"] }, newId));
    expect(h.undo()).toBe(true);
    expect(h.doc).toStrictEqual(one);
    expect(h.undo()).toBe(true);
    expect(h.doc).toStrictEqual(start);
    expect(h.undo()).toBe(false);
    expect(h.redo()).toBe(true);
    expect(h.redo()).toBe(true);
    expect(h.doc.classifications.note?.value).toEqual({ text: ["x"] });
    expect(h.canRedo).toBe(false);
  });

  it("a gesture of a hundred updates is one undo step", () => {
    const h = new History(emptyDoc());
    h.run(addRegion(h.doc, rect("a")));
    const before = h.doc;
    h.begin("drag");
    for (let i = 1; i <= 100; i++) h.run(updateRegion(h.doc, "a", { geometry: { ...h.doc.regions.a!.geometry, x: i } }));
    h.end();
    expect(h.doc.regions.a?.geometry.x).toBe(100);
    expect(h.size).toBe(2);
    h.undo();
    expect(h.doc).toStrictEqual(before);
    h.redo();
    expect(h.doc.regions.a?.geometry.x).toBe(100);
  });

  it("nested gestures make one step; an empty gesture makes none", () => {
    const h = new History(emptyDoc());
    h.begin("outer");
    h.run(addRegion(h.doc, rect("a")));
    h.begin("inner");
    h.run(addRegion(h.doc, rect("b")));
    h.end();
    h.end();
    h.begin("nothing");
    h.end();
    expect(h.size).toBe(1);
    h.undo();
    expect(h.doc).toStrictEqual(emptyDoc());
  });

  it("typing in one control coalesces; another control or a pause starts a new step", () => {
    let t = 0;
    const h = new History(emptyDoc(), { now: () => t, coalesceMs: 1000 });
    for (const text of ["h", "he", "hel", "hell", "hello"]) {
      t += 100;
      h.run(setValue(h.doc, note, { text: [text] }, newId), { coalesce: "note" });
    }
    expect(h.size).toBe(1);
    t += 5000;
    h.run(setValue(h.doc, note, { text: ["hello!"] }, newId), { coalesce: "note" });
    t += 100;
    h.run(setValue(h.doc, { control: "n2", object: "text", type: "textarea" }, { text: ["a"] }, newId), { coalesce: "n2" });
    t += 100;
    h.run(setValue(h.doc, note, { text: ["hello!!"] }, newId), { coalesce: "note" });
    expect(h.size).toBe(4);
    h.undo();
    h.undo();
    h.undo();
    expect(h.doc.classifications.note?.value).toEqual({ text: ["hello"] });
    h.undo();
    expect(h.doc).toStrictEqual(emptyDoc());
  });

  it("a new command clears redo", () => {
    const h = new History(emptyDoc());
    h.run(addRegion(h.doc, rect("a")));
    h.undo();
    expect(h.canRedo).toBe(true);
    h.run(addRegion(h.doc, rect("b")));
    expect(h.canRedo).toBe(false);
    expect(h.redo()).toBe(false);
  });

  it("keeps at most historyLimit steps", () => {
    const h = new History(emptyDoc(), { historyLimit: 5 });
    for (let i = 0; i < 12; i++) h.run(addRegion(h.doc, rect(`r${i}`)));
    expect(h.size).toBe(5);
    let undone = 0;
    while (h.undo()) undone++;
    expect(undone).toBe(5);
    expect(Object.keys(h.doc.regions)).toHaveLength(7);
  });

  it("tells listeners which regions and controls changed", () => {
    const doc: AnnotationDoc = decode([
      { id: "r1", from_name: "box", to_name: "img", type: "rectanglelabels", value: { x: 1, y: 1, width: 1, height: 1, rotation: 0, rectanglelabels: ["A"] } },
      { id: "r1", from_name: "colour", to_name: "img", type: "choices", value: { choices: ["Blue"] } },
      { id: "r2", from_name: "box", to_name: "img", type: "rectanglelabels", value: { x: 1, y: 1, width: 1, height: 1, rotation: 0, rectanglelabels: ["B"] } },
      { from_id: "r1", to_id: "r2", type: "relation", direction: "right" },
    ]);
    const h = new History(doc);
    const seen: Change[] = [];
    h.subscribe((c) => seen.push(c));
    h.run(updateRegion(h.doc, "r2", { hidden: true }));
    h.run(setValue(h.doc, note, { text: ["x"] }, newId));
    h.run(deleteRegion(h.doc, "r1"));
    h.undo();
    h.reset(doc);
    const plain = seen.map((c) => ({ source: c.source, all: c.all, regions: [...c.regions].sort(), controls: [...c.controls].sort() }));
    expect(plain).toEqual([
      { source: "user", all: false, regions: ["r2"], controls: [] },
      { source: "user", all: false, regions: [], controls: ["note"] },
      { source: "user", all: false, regions: ["r1", "r2"], controls: ["box", "colour"] },
      { source: "history", all: false, regions: ["r1", "r2"], controls: ["box", "colour"] },
      { source: "reset", all: true, regions: [], controls: [] },
    ]);
    expect(h.canUndo).toBe(false);
    expect(h.dirty).toBe(false);
  });
});
