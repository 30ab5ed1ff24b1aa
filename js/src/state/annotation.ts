// The annotation being edited, as the app uses it: the document (./document.ts) behind an undo history
// (./history.ts), read and written in Label Studio result items through the codecs (./codecs.ts).
//
// Classification controls read their item with find(name, type) and write it with set(); a region tool runs
// commands (./commands.ts) through run(), inside begin()/end() for a gesture. Items the widget has no control
// for (regions of tools this version does not draw, relations, unknown results) are kept in the document and
// submitted as they came.

import type { ResultItem } from "../protocol";
import { decode, encode, encodeClassification } from "./codecs";
import { setValue, type Command } from "./commands";
import { classificationOf, type AnnotationDoc } from "./document";
import { History, type Change, type RunOptions } from "./history";
import { newResultId, type ControlRef, type ResultValue } from "./results";

export type { Change, ChangeSource } from "./history";

export interface AnnotationOptions {
  newId?: () => string;
  now?: () => number;
  /** edits of the same control closer together than this merge into one undo step (ms) */
  coalesceMs?: number;
  historyLimit?: number;
}

export class Annotation {
  readonly history: History;
  private readonly newId: () => string;
  private encoded: { doc: AnnotationDoc; items: readonly ResultItem[] } | null = null;

  constructor(initial: readonly ResultItem[] = [], options: AnnotationOptions = {}) {
    this.newId = options.newId ?? newResultId;
    this.history = new History(decode(initial), options);
  }

  get doc(): AnnotationDoc {
    return this.history.doc;
  }

  /** The document as result items (computed once per document). */
  get items(): readonly ResultItem[] {
    const doc = this.history.doc;
    if (this.encoded?.doc !== doc) this.encoded = { doc, items: encode(doc) };
    return this.encoded.items;
  }

  /** A fresh copy of the items, ready to send. */
  snapshot(): ResultItem[] {
    return encode(this.history.doc);
  }

  /** The item of a classification control; with `region`, that region's perRegion item. */
  find(controlName: string, type: string, region?: string): ResultItem | undefined {
    const doc = this.history.doc;
    const c = classificationOf(doc, controlName, region);
    return c && c.type === type ? encodeClassification(doc, c) : undefined;
  }

  /** Set (or, with null, remove) the value of a control's item; `coalesce` merges rapid edits (typing). */
  set(control: ControlRef, value: ResultValue | null, options: { coalesce?: boolean } = {}): void {
    const doc = this.history.doc;
    const region = control.region;
    if (region !== undefined && !doc.regions[region]) return; // the region is gone (deleted, undone)
    const current = classificationOf(doc, control.name, region);
    if (current && current.type !== control.type) return; // another control's result under this name: kept as is
    const target = {
      control: control.name,
      object: control.toName,
      type: control.type,
      ...(region !== undefined ? { region } : {}),
    };
    const cmd = setValue(doc, target, value ? clone(value) : null, this.newId);
    const key = region !== undefined ? `${control.name}#${region}` : control.name;
    this.history.run(cmd, options.coalesce ? { coalesce: key } : {});
  }

  run(cmd: Command | null, options?: RunOptions): void {
    this.history.run(cmd, options);
  }

  begin(mark?: string): void {
    this.history.begin(mark);
  }

  end(): void {
    this.history.end();
  }

  /** Start over from these items (a new task, or the stored annotation when going back). */
  reset(items: readonly ResultItem[]): void {
    this.history.reset(decode(items));
  }

  get dirty(): boolean {
    return this.history.dirty;
  }

  get canUndo(): boolean {
    return this.history.canUndo;
  }

  get canRedo(): boolean {
    return this.history.canRedo;
  }

  undo(): boolean {
    return this.history.undo();
  }

  redo(): boolean {
    return this.history.redo();
  }

  subscribe(listener: (change: Change) => void): () => void {
    return this.history.subscribe(listener);
  }

  /** Hear only changes of one control (and resets). */
  subscribeControl(name: string, listener: (change: Change) => void): () => void {
    return this.history.subscribe((change) => {
      if (change.all || change.controls.has(name)) listener(change);
    });
  }

  /** Hear only changes of one region (and resets). */
  subscribeRegion(id: string, listener: (change: Change) => void): () => void {
    return this.history.subscribe((change) => {
      if (change.all || change.regions.has(id)) listener(change);
    });
  }
}

function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
