// The undo history: a list of command groups over the document. A gesture (a drag, a drawn polygon) opens a
// group with begin(mark) and closes it with end(), so a hundred updates are one step. Rapid edits of one
// control (typing) merge into one step when run with `coalesce` within `coalesceMs`.
//
// Listeners hear every change with the region ids and control names it touched, so a view can re-render
// only when its own part changed.

import { apply, inverse, touched, type Command } from "./commands";
import { EMPTY_DOC, type AnnotationDoc } from "./document";

export type ChangeSource = "user" | "reset" | "history";

export interface Change {
  source: ChangeSource;
  /** true for a reset: everything may have changed */
  all: boolean;
  regions: ReadonlySet<string>;
  controls: ReadonlySet<string>;
}

export interface HistoryOptions {
  now?: () => number;
  /** edits of the same control closer together than this merge into one undo step (ms) */
  coalesceMs?: number;
  /** undo steps kept */
  historyLimit?: number;
}

interface Step {
  commands: Command[];
  mark?: string;
}

export interface RunOptions {
  /** merge with the previous step if it was also a coalescing edit of this key, recently */
  coalesce?: string;
}

export class History {
  private _doc: AnnotationDoc;
  private past: Step[] = [];
  private future: Step[] = [];
  private open: Step | null = null;
  private depth = 0;
  private last: { key: string; at: number } | null = null;
  private listeners = new Set<(change: Change) => void>();
  private readonly now: () => number;
  private readonly coalesceMs: number;
  private readonly limit: number;
  /** true once anything changed since the last reset */
  dirty = false;

  constructor(doc: AnnotationDoc = EMPTY_DOC, options: HistoryOptions = {}) {
    this._doc = doc;
    this.now = options.now ?? (() => Date.now());
    this.coalesceMs = options.coalesceMs ?? 1000;
    this.limit = Math.max(1, options.historyLimit ?? 200);
  }

  get doc(): AnnotationDoc {
    return this._doc;
  }

  get canUndo(): boolean {
    return this.past.length > 0 || (this.open !== null && this.open.commands.length > 0);
  }

  get canRedo(): boolean {
    return this.future.length > 0;
  }

  /** Number of undo steps. */
  get size(): number {
    return this.past.length;
  }

  /** Open a gesture: every command until the matching end() is one undo step. Nests. */
  begin(mark = "gesture"): void {
    if (this.depth === 0) this.open = { commands: [], mark };
    this.depth += 1;
  }

  end(): void {
    if (this.depth === 0) return;
    this.depth -= 1;
    if (this.depth > 0) return;
    const step = this.open;
    this.open = null;
    if (step && step.commands.length) this.push(step);
  }

  /** Run a command (null: nothing to do). */
  run(cmd: Command | null, options: RunOptions = {}): void {
    if (!cmd) return;
    this._doc = apply(this._doc, cmd);
    this.future = [];
    this.dirty = true;
    if (this.open) {
      this.open.commands.push(cmd);
      this.last = null;
    } else {
      const at = this.now();
      const key = options.coalesce;
      const prev = this.past[this.past.length - 1];
      const merge = key !== undefined && prev !== undefined && this.last !== null && this.last.key === key && at - this.last.at < this.coalesceMs;
      if (merge) prev.commands.push(cmd);
      else this.push({ commands: [cmd] });
      this.last = key !== undefined ? { key, at } : null;
    }
    this.emit("user", [cmd]);
  }

  undo(): boolean {
    if (this.open) this.end(); // an undo in the middle of a gesture closes it first
    const step = this.past.pop();
    if (!step) return false;
    const undo = [...step.commands].reverse().map(inverse);
    for (const cmd of undo) this._doc = apply(this._doc, cmd);
    this.future.push(step);
    this.last = null;
    this.dirty = true;
    this.emit("history", undo);
    return true;
  }

  redo(): boolean {
    const step = this.future.pop();
    if (!step) return false;
    for (const cmd of step.commands) this._doc = apply(this._doc, cmd);
    this.past.push(step);
    this.last = null;
    this.dirty = true;
    this.emit("history", step.commands);
    return true;
  }

  /** Start over from this document, with no history. */
  reset(doc: AnnotationDoc): void {
    this._doc = doc;
    this.past = [];
    this.future = [];
    this.open = null;
    this.depth = 0;
    this.last = null;
    this.dirty = false;
    const none = new Set<string>();
    this.notify({ source: "reset", all: true, regions: none, controls: none });
  }

  subscribe(listener: (change: Change) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  private push(step: Step): void {
    this.past.push(step);
    if (this.past.length > this.limit) this.past.shift();
  }

  private emit(source: ChangeSource, commands: readonly Command[]): void {
    const regions = new Set<string>();
    const controls = new Set<string>();
    for (const cmd of commands) {
      const t = touched(cmd);
      t.regions.forEach((r) => regions.add(r));
      t.controls.forEach((c) => controls.add(c));
    }
    this.notify({ source, all: false, regions, controls });
  }

  private notify(change: Change): void {
    for (const listener of [...this.listeners]) listener(change);
  }
}
