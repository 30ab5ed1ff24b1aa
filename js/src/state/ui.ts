// UI state: what the user is doing but has not decided (DESIGN.md, "The editor"). The selected regions,
// the hovered one, the active tool and label, each object's zoom and pan, the caret in a text. Kept apart from the document:
// never undone, never submitted. After an undo or redo, prune() drops selected or hovered regions the
// document no longer has; the active tool and label stay as they were.

import type { AnnotationDoc } from "./document";

export interface Viewport {
  zoom: number;
  /** pan offset, in percent of the object */
  x: number;
  y: number;
}

export interface ActiveLabel {
  /** the labels control (from_name) */
  control: string;
  value: string;
}

export interface BrushSettings {
  /** brush diameter in screen px */
  size: number;
  /** the eraser is on */
  erase: boolean;
}

/** The keyboard caret in a text and the selection it extends (code point offsets, on grapheme boundaries). */
export interface TextCaret {
  object: string;
  /** where the selection started; equal to focus when nothing is selected */
  anchor: number;
  /** where the caret is */
  focus: number;
}

export interface UiState {
  selected: readonly string[];
  hover: string | null;
  /** the region control whose tool is active (its name), or null for selecting */
  tool: string | null;
  label: ActiveLabel | null;
  viewports: Readonly<Record<string, Viewport>>;
  brush: BrushSettings;
  /** a relation is being made from this region: the next region clicked is its other end */
  linking: string | null;
  /** the keymap overlay is open */
  keymap: boolean;
  /** a short note for a refused gesture (a label used up), shown by its control */
  notice: { control: string; text: string } | null;
  /** the caret (and a selection not yet labelled) in a text */
  caret: TextCaret | null;
  /** what is typed in each <Filter>, by the name of the control it narrows */
  filters: Readonly<Record<string, string>>;
}

export const INITIAL_UI: UiState = Object.freeze({
  selected: [],
  hover: null,
  tool: null,
  label: null,
  viewports: {},
  brush: Object.freeze({ size: 20, erase: false }),
  linking: null,
  keymap: false,
  notice: null,
  caret: null,
  filters: {},
});

export class UiStore {
  private _state: UiState = INITIAL_UI;
  private listeners = new Set<(state: UiState) => void>();

  get state(): UiState {
    return this._state;
  }

  update(patch: Partial<UiState>): void {
    const next = { ...this._state, ...patch };
    if ((Object.keys(patch) as (keyof UiState)[]).every((k) => next[k] === this._state[k])) return;
    this._state = next;
    for (const listener of [...this.listeners]) listener(next);
  }

  select(ids: readonly string[]): void {
    this.update({ selected: [...ids] });
  }

  setViewport(object: string, viewport: Viewport): void {
    this.update({ viewports: { ...this._state.viewports, [object]: viewport } });
  }

  /** Forget regions the document no longer has (after undo, redo or a delete). Tool and label stay. */
  prune(doc: AnnotationDoc): void {
    const selected = this._state.selected.filter((id) => doc.regions[id] !== undefined);
    const hover = this._state.hover !== null && doc.regions[this._state.hover] === undefined ? null : this._state.hover;
    const patch: Partial<UiState> = {};
    if (selected.length !== this._state.selected.length) patch.selected = selected;
    if (hover !== this._state.hover) patch.hover = hover;
    if (this._state.linking !== null && doc.regions[this._state.linking] === undefined) patch.linking = null;
    this.update(patch);
  }

  /** A new task: nothing selected, default viewports; the active tool and label are kept. */
  resetForTask(): void {
    this.update({ selected: [], hover: null, viewports: {}, linking: null, caret: null, filters: {} });
  }

  subscribe(listener: (state: UiState) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }
}
