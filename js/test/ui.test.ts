import { describe, expect, it } from "vitest";
import { encode } from "../src/state/codecs";
import { addRegion } from "../src/state/commands";
import { emptyDoc } from "../src/state/document";
import { History } from "../src/state/history";
import { UiStore } from "../src/state/ui";

describe("UI state", () => {
  it("is kept apart from the document: undo never loses the selected label", () => {
    const h = new History(emptyDoc());
    const ui = new UiStore();
    h.subscribe(() => ui.prune(h.doc));
    ui.update({ tool: "rectangle", label: { control: "box", value: "Car" } });
    h.run(addRegion(h.doc, { id: "a", object: "img", control: "box", type: "rectanglelabels", kind: "rectangle",
      geometry: { x: 0, y: 0, width: 1, height: 1, rotation: 0 }, labels: ["Car"], labelsKey: "rectanglelabels" }));
    ui.select(["a"]);
    ui.update({ hover: "a" });
    ui.setViewport("img", { zoom: 2, x: 10, y: 10 });
    h.undo();
    expect(ui.state).toEqual({ selected: [], hover: null, tool: "rectangle", label: { control: "box", value: "Car" },
      viewports: { img: { zoom: 2, x: 10, y: 10 } }, brush: { size: 20, erase: false }, linking: null, keymap: false, notice: null, caret: null, filters: {} });
    h.redo();
    expect(ui.state.selected).toEqual([]); // selection is not history
    expect(h.canUndo).toBe(true);
    // nothing of the UI is in the result
    expect(encode(h.doc)).toStrictEqual([{ id: "a", from_name: "box", to_name: "img", type: "rectanglelabels",
      value: { x: 0, y: 0, width: 1, height: 1, rotation: 0, rectanglelabels: ["Car"] } }]);
  });

  it("tells listeners only about real changes", () => {
    const ui = new UiStore();
    let calls = 0;
    ui.subscribe(() => calls++);
    ui.update({ tool: null });
    ui.prune(emptyDoc());
    ui.update({ tool: "polygon" });
    ui.resetForTask();
    expect(calls).toBe(2);
    expect(ui.state.tool).toBe("polygon");
  });
});
