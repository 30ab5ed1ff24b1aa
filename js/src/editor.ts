// The editor of one widget: the annotation document with its history, the UI state, the control model, and
// whichever object surface owns the gesture in progress. Everything that edits regions goes through here, so
// keys (Delete, Escape, arrows, label hotkeys) act the same wherever the focus is inside the widget.

import type { AssistController } from "./assist";
import type { ControlModel } from "./schema/model";
import { controlSpec, EMPTY_MODEL } from "./schema/model";
import { usageRefusal } from "./state/usage";
import type { Annotation } from "./state/annotation";
import { deleteRegion, link, setValue, updateRegion } from "./state/commands";
import { classificationOf, regionLabels, type Region } from "./state/document";
import { PendingTexts } from "./state/pendingText";
import { UiStore } from "./state/ui";

/** A surface with a gesture in progress (a polygon being clicked, a drag) gets keys first. */
export interface GestureOwner {
  /** true when the key was used */
  key(e: KeyboardEvent): boolean;
  cancel(): void;
}

/** What an image surface offers to the widget's keys. */
export interface SurfaceHandle {
  zoomIn(): void;
  zoomOut(): void;
  fit(): void;
  actual(): void;
  cancel(): void;
  /** the image's natural size in px, once loaded */
  size(): { width: number; height: number } | null;
}

/** What a text with labels offers to the widget's keys and label hotkeys (objects/text/Text.tsx). */
export interface TextHandle {
  /** the focusable element the text is shown in */
  element(): HTMLElement | null;
  /** a key pressed while the text has the focus; true when it was used */
  key(e: KeyboardEvent): boolean;
  /** label the text's pending selection (keyboard, or mouse without a label) with `label` of `control`; true when there was one */
  labelSelection(control: string, label: string): boolean;
}

export class Editor {
  readonly ui = new UiStore();
  /** what is typed in TextArea inputs and not added as entries yet */
  readonly pending = new PendingTexts();
  model: ControlModel = EMPTY_MODEL;
  private owner: GestureOwner | null = null;
  private surfaces = new Map<string, SurfaceHandle>();
  private texts = new Map<string, TextHandle>();
  /** the object the user last drew on, zoomed or selected a region of: zoom keys act on it */
  lastObject: string | null = null;
  /** auto-annotate, when the widget has an assistant (set by the app) */
  assist: AssistController | null = null;

  constructor(readonly annotation: Annotation) {
    // undo/redo or a reset may remove regions that are selected or hovered
    annotation.subscribe(() => this.ui.prune(annotation.doc));
  }

  setGestureOwner(owner: GestureOwner | null): void {
    this.owner = owner;
  }

  get gestureOwner(): GestureOwner | null {
    return this.owner;
  }

  registerSurface(object: string, handle: SurfaceHandle): () => void {
    this.surfaces.set(object, handle);
    return () => {
      if (this.surfaces.get(object) === handle) this.surfaces.delete(object);
    };
  }

  registerText(object: string, handle: TextHandle): () => void {
    this.texts.set(object, handle);
    return () => {
      if (this.texts.get(object) === handle) this.texts.delete(object);
    };
  }

  /** The text a key event comes from (its target is inside the text's element), if any. */
  textAt(target: EventTarget | null): TextHandle | undefined {
    if (!(target instanceof Node)) return undefined;
    for (const handle of this.texts.values()) if (handle.element()?.contains(target)) return handle;
    return undefined;
  }

  /** Label the pending text selection, wherever it is, with `label` of `control`; true when there was one. */
  labelTextSelection(control: string, label: string): boolean {
    const object = this.ui.state.caret?.object;
    const handle = object === undefined ? undefined : this.texts.get(object);
    return handle?.labelSelection(control, label) ?? false;
  }

  /** The surface zoom keys act on: the last one used, else the first. */
  surface(): SurfaceHandle | undefined {
    if (this.lastObject !== null) {
      const last = this.surfaces.get(this.lastObject);
      if (last) return last;
    }
    return this.surfaces.values().next().value;
  }

  /** The natural size of the image `object`, once it is shown. */
  sizeOf(object: string): { width: number; height: number } | null {
    return this.surfaces.get(object)?.size() ?? null;
  }

  cancelGesture(): void {
    const owner = this.owner;
    this.owner = null;
    owner?.cancel();
  }

  /** The selected regions that still exist. */
  selectedRegions(): Region[] {
    const doc = this.annotation.doc;
    return this.ui.state.selected.map((id) => doc.regions[id]).filter((r): r is Region => r !== undefined);
  }

  /** Delete the selected regions (locked ones stay) as one undo step. */
  deleteSelected(): boolean {
    const regions = this.selectedRegions().filter((r) => !r.locked);
    if (!regions.length) return false;
    this.annotation.begin("delete");
    for (const r of regions) this.annotation.run(deleteRegion(this.annotation.doc, r.id));
    this.annotation.end();
    this.ui.prune(this.annotation.doc);
    return true;
  }

  /** Give the selected regions of `control` this label (a single-label control replaces, as Label Studio does). */
  relabelSelected(control: string, label: string, multiple: boolean): boolean {
    const regions = this.selectedRegions().filter((r) => r.control === control && r.labels !== undefined && !r.locked);
    if (!regions.length) return false;
    // maxUsages: refused whole, said by the control, when the regions that would gain the label are too many
    const spec = controlSpec(this.model, control);
    const gaining = regions.filter((r) => !regionLabels(this.annotation.doc, r.id).includes(label)).length;
    const refused = spec && gaining > 0 ? usageRefusal(this.annotation.doc, control, spec, label, gaining) : null;
    if (refused !== null) {
      this.ui.update({ notice: { control, text: refused } });
      return true;
    }
    this.annotation.begin("relabel");
    for (const r of regions) {
      const current = regionLabels(this.annotation.doc, r.id);
      let next: string[];
      if (multiple) next = current.includes(label) ? current.filter((l) => l !== label) : [...current, label];
      else next = [label];
      if (!next.length) continue; // a region keeps at least one label
      this.annotation.run(updateRegion(this.annotation.doc, r.id, { labels: next }));
    }
    this.annotation.end();
    return true;
  }

  /**
   * Give the selected bare-tool regions this label of the image <Labels> `control` (its `labels` item that
   * shares the region's id), as one undo step.
   */
  relabelGeneric(control: string, label: string, multiple: boolean): boolean {
    const regions = this.selectedRegions().filter((r) => r.labels === undefined && !r.locked && r.kind !== "span");
    if (!regions.length) return false;
    this.annotation.begin("relabel");
    for (const r of regions) {
      const doc = this.annotation.doc;
      const current = classificationOf(doc, control, r.id)?.value.labels;
      const had = Array.isArray(current) ? current.filter((l): l is string => typeof l === "string") : [];
      const next = multiple ? (had.includes(label) ? had.filter((l) => l !== label) : [...had, label]) : [label];
      const target = { control, object: r.object, type: "labels", region: r.id };
      this.annotation.run(setValue(doc, target, next.length ? { labels: next } : null, () => r.id));
    }
    this.annotation.end();
    return true;
  }

  /** Finish the relation started with ui.linking at region `to` (Label Studio's default direction: right). */
  linkTo(to: string): boolean {
    const from = this.ui.state.linking;
    this.ui.update({ linking: null });
    if (from === null || from === to) return false;
    const doc = this.annotation.doc;
    if (!doc.regions[from] || !doc.regions[to]) return false;
    const cmd = link(doc, from, to, "right");
    if (!cmd) return false;
    this.annotation.begin("link");
    this.annotation.run(cmd);
    this.annotation.end();
    return true;
  }

  /** A click on region `id` in its object: finishes the relation pending there, or selects the region. */
  pick(id: string): void {
    if (this.ui.state.linking !== null && this.ui.state.linking !== id) this.linkTo(id);
    else this.ui.select([id]);
  }

  /** Toggle hidden or locked on regions (a UI-visible property stored with the region). */
  toggle(ids: readonly string[], field: "hidden" | "locked"): void {
    const doc = this.annotation.doc;
    const regions = ids.map((id) => doc.regions[id]).filter((r): r is Region => r !== undefined);
    if (!regions.length) return;
    const value = !regions.every((r) => r[field]);
    this.annotation.begin(field);
    // hiding or locking is not an edit of the prediction: keep its origin
    for (const r of regions) this.annotation.run(updateRegion(this.annotation.doc, r.id, { [field]: value, origin: r.origin }));
    this.annotation.end();
  }
}
