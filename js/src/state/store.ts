// NOT USED by the app any more: state/annotation.ts (document + history + codecs) replaced it. Kept only
// because tests/unit/test_js_layering.py names this file as its parser example; delete it once that test
// points at state/annotation.ts.
//
// The annotation being edited: an ordered list of Label Studio result items.
//
// Each classification control owns at most one item (found by from_name + type). Items the widget has no
// control for (regions from a tool this version does not support, relations, per-region results) are kept
// untouched and submitted as they came, so editing an annotation never loses them.
//
// State is immutable snapshots, so undo/redo is a list of past snapshots. Rapid edits of one control
// (typing) coalesce into one undo step.

import type { ResultItem } from "../protocol";
import { buildItem, newResultId, type ControlRef, type ResultValue } from "./results";

export type ChangeSource = "user" | "reset" | "history";

export interface StoreOptions {
  newId?: () => string;
  now?: () => number;
  /** edits of the same control closer together than this merge into one undo step (ms) */
  coalesceMs?: number;
  historyLimit?: number;
}

export class AnnotationStore {
  private _items: readonly ResultItem[];
  private past: (readonly ResultItem[])[] = [];
  private future: (readonly ResultItem[])[] = [];
  private listeners = new Set<(source: ChangeSource) => void>();
  private last: { control: string; at: number } | null = null;
  private readonly newId: () => string;
  private readonly now: () => number;
  private readonly coalesceMs: number;
  private readonly historyLimit: number;
  /** bumps on every change; handy as a render key */
  version = 0;
  /** true once the user changed anything since the last reset */
  dirty = false;

  constructor(initial: readonly ResultItem[] = [], options: StoreOptions = {}) {
    this._items = cloneItems(initial);
    this.newId = options.newId ?? newResultId;
    this.now = options.now ?? (() => Date.now());
    this.coalesceMs = options.coalesceMs ?? 1000;
    this.historyLimit = options.historyLimit ?? 200;
  }

  get items(): readonly ResultItem[] {
    return this._items;
  }

  /** A deep copy of the items, ready to send. */
  snapshot(): ResultItem[] {
    return cloneItems(this._items);
  }

  find(controlName: string, type: string): ResultItem | undefined {
    return this._items.find((it) => it.from_name === controlName && it.type === type);
  }

  /** Set (or, with null, remove) the value of a control's item. */
  set(control: ControlRef, value: ResultValue | null, options: { coalesce?: boolean } = {}): void {
    const index = this._items.findIndex((it) => it.from_name === control.name && it.type === control.type);
    let next: ResultItem[];
    if (value === null) {
      if (index < 0) return;
      next = this._items.filter((_, i) => i !== index);
    } else if (index >= 0) {
      const old = this._items[index] as ResultItem;
      const origin = old.origin === "prediction" || old.origin === "prediction-changed" ? "prediction-changed" : (old.origin ?? "manual");
      const updated: ResultItem = { ...old, value: { ...cloneValue(value) }, origin };
      next = this._items.map((it, i) => (i === index ? updated : it));
    } else {
      next = [...this._items, buildItem(control, cloneValue(value), this.newId())];
    }
    const at = this.now();
    const merge =
      options.coalesce === true && this.last !== null && this.last.control === control.name && at - this.last.at < this.coalesceMs;
    if (!merge) {
      this.past.push(this._items);
      if (this.past.length > this.historyLimit) this.past.shift();
    }
    this.future = [];
    this.last = { control: control.name, at };
    this._items = next;
    this.dirty = true;
    this.emit("user");
  }

  /** Start over from these items (a new task, or the stored annotation when going back). */
  reset(items: readonly ResultItem[]): void {
    this._items = cloneItems(items);
    this.past = [];
    this.future = [];
    this.last = null;
    this.dirty = false;
    this.emit("reset");
  }

  get canUndo(): boolean {
    return this.past.length > 0;
  }

  get canRedo(): boolean {
    return this.future.length > 0;
  }

  undo(): boolean {
    const prev = this.past.pop();
    if (!prev) return false;
    this.future.push(this._items);
    this._items = prev;
    this.last = null;
    this.dirty = true;
    this.emit("history");
    return true;
  }

  redo(): boolean {
    const next = this.future.pop();
    if (!next) return false;
    this.past.push(this._items);
    this._items = next;
    this.last = null;
    this.dirty = true;
    this.emit("history");
    return true;
  }

  subscribe(listener: (source: ChangeSource) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(source: ChangeSource): void {
    this.version += 1;
    for (const listener of [...this.listeners]) listener(source);
  }
}

function cloneValue<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function cloneItems(items: readonly ResultItem[]): ResultItem[] {
  return Array.isArray(items) ? items.filter((it) => typeof it === "object" && it !== null).map(cloneValue) : [];
}
