// The editor's own keys, Label Studio's defaults: Delete/Backspace removes the selection, Escape drops a
// pending link, a text selection and then the selection, arrows nudge the selected regions (Shift: 10 px;
// in a focused text they move its caret instead, objects/text/Text.tsx), Ctrl+= / Ctrl+- /
// Ctrl+0 / Ctrl+1 zoom in, out, to fit and to 1:1, and ? opens the keymap. Label hotkeys are the config's
// (controls/labels.tsx). Called by the widget's one key listener; true when the key was used.

import type { Editor } from "./editor";
import { shapeUtil } from "./controls/shapes";
import { updateRegion } from "./state/commands";

/** The keymap the ? overlay lists (the config's label keys are listed with their labels). */
export const EDITOR_KEYS: readonly (readonly [string, string])[] = [
  ["Ctrl+Enter", "Submit"],
  ["Ctrl+Z", "Undo"],
  ["Ctrl+Shift+Z, Ctrl+Y", "Redo"],
  ["Delete, Backspace", "Delete the selected regions"],
  ["Escape", "Cancel the shape being drawn, then drop the text selection, then deselect, then leave the widget"],
  ["Arrows (Shift: ×10)", "Nudge the selected image regions by one image pixel (not while a text has the focus)"],
  ["In a text: arrows, Ctrl/Alt+arrows, Home/End", "Move the caret by character, by word, to the line's start/end"],
  ["In a text: Shift with those", "Select text from the caret"],
  ["In a text: Enter", "Label the selected text with the chosen label"],
  ["A label's key or chip, text selected", "Label the selected text with that label"],
  ["Enter", "Finish the polygon or polyline being drawn"],
  ["In a TextArea: Enter (with several rows: Shift+Enter)", "Add the text as an entry; on an empty input, leave the field"],
  ["In a focused slider: arrows, Page Up/Down, Home/End", "Move it by its step, to its min or max"],
  ["Ctrl+= / Ctrl+-", "Zoom in / out"],
  ["Ctrl+0 / Ctrl+1", "Fit the image / show it at 1:1"],
  ["Ctrl+wheel, pinch", "Zoom at the pointer"],
  ["Alt+drag, middle drag, wheel when zoomed", "Pan"],
  ["Shift+A", "Accept all predictions: put back every predicted region"],
  ["Shift+click", "Add a region to the selection"],
  ["Alt+R, then click a region", "Relate the selected region to the one clicked (Escape cancels)"],
  ["Alt+click a vertex", "Delete that vertex"],
  ["?", "Show or hide this list"],
];

const NUDGE: Record<string, [number, number]> = {
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
};

export function editorKey(editor: Editor, e: KeyboardEvent): boolean {
  // a focused text takes its caret keys first; arrows there never nudge image regions
  const text = editor.textAt(e.target);
  if (text) {
    if (text.key(e)) return true;
    if (e.key.startsWith("Arrow")) return false;
  }
  const mod = (e.ctrlKey || e.metaKey) && !e.altKey;
  const ui = editor.ui;
  if (mod) {
    const surface = editor.surface();
    if (!surface) return false;
    if (e.key === "=" || e.key === "+") surface.zoomIn();
    else if (e.key === "-" || e.key === "_") surface.zoomOut();
    else if (e.code === "Digit0" || e.key === "0") surface.fit();
    else if (e.code === "Digit1" || e.key === "1") surface.actual();
    else return false;
    return true;
  }
  if (e.key === "?" && !e.ctrlKey && !e.metaKey && !e.altKey) {
    ui.update({ keymap: !ui.state.keymap });
    return true;
  }
  if (e.key === "Escape") {
    if (ui.state.keymap) ui.update({ keymap: false });
    else if (ui.state.linking !== null) ui.update({ linking: null });
    else if (ui.state.caret && ui.state.caret.anchor !== ui.state.caret.focus) ui.update({ caret: { ...ui.state.caret, anchor: ui.state.caret.focus } });
    else if (ui.state.selected.length) ui.select([]);
    else if (ui.state.tool !== null) ui.update({ tool: null, label: null });
    else return false;
    return true;
  }
  if (e.altKey && !e.ctrlKey && !e.metaKey && e.code === "KeyR") {
    // Label Studio's key for a relation from the selected region: the next region clicked is its other end
    const [from] = ui.state.selected;
    if (from === undefined || ui.state.selected.length !== 1) return false;
    ui.update({ linking: from });
    return true;
  }
  if ((e.key === "Delete" || e.key === "Backspace") && !e.ctrlKey && !e.metaKey && !e.altKey) {
    return editor.deleteSelected();
  }
  const nudge = NUDGE[e.key];
  if (nudge && !e.ctrlKey && !e.metaKey && !e.altKey) {
    const regions = editor.selectedRegions().filter((r) => !r.locked && r.kind !== "brush" && r.kind !== "span");
    if (!regions.length) return false;
    const step = e.shiftKey ? 10 : 1;
    const a = editor.annotation;
    // successive presses on the same selection are one undo step
    const key = `nudge:${regions.map((r) => r.id).join(",")}`;
    for (const r of regions) {
      const util = shapeUtil(r.kind);
      const size = editor.sizeOf(r.object);
      if (!util || !size) continue;
      a.run(updateRegion(a.doc, r.id, { geometry: util.translate(r.geometry, nudge[0] * step, nudge[1] * step, size) }), { coalesce: key });
    }
    return true;
  }
  return false;
}
