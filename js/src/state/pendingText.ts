// What is typed in a TextArea's input but not added as an entry yet (Label Studio's `_value`). It is UI
// state, not part of the document: undo does not touch it. Label Studio adds it as an entry when the task
// is submitted (TextArea.jsx beforeSend), and keeps it in a draft under `meta.textAreaPendingInput` of the
// control's item, whose `value.text` then holds only the entries (UTC-945); both are done here.

import { decode, encode } from "./codecs";
import { setValue } from "./commands";
import { classKey, put, type AnnotationDoc, type Classification, type Json } from "./document";
import type { Annotation } from "./annotation";
import type { ResultItem } from "../protocol";
import { controlSpec, type ControlModel } from "../schema/model";
import { entryRefusal } from "../schema/textarea";
import { readEntries, textareaValue, type ControlRef } from "./results";

/** Where a draft keeps the text of a TextArea's input (Label Studio's name). */
export const PENDING_META_KEY = "textAreaPendingInput";

export interface PendingText {
  control: ControlRef;
  text: string;
}

export function pendingKey(control: Pick<ControlRef, "name" | "region">): string {
  return classKey(control.name, control.region);
}

const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

export class PendingTexts {
  private texts = new Map<string, PendingText>();
  private listeners = new Set<(key: string | null) => void>();

  get(control: Pick<ControlRef, "name" | "region">): string {
    return this.texts.get(pendingKey(control))?.text ?? "";
  }

  set(control: ControlRef, text: string): void {
    const key = pendingKey(control);
    if ((this.texts.get(key)?.text ?? "") === text) return;
    if (text === "") this.texts.delete(key);
    else this.texts.set(key, { control: { ...control }, text });
    for (const listener of [...this.listeners]) listener(key);
  }

  /** Start over (a new task) with these texts. */
  reset(list: readonly PendingText[] = []): void {
    this.texts = new Map(list.filter((p) => p.text !== "").map((p) => [pendingKey(p.control), { control: { ...p.control }, text: p.text }]));
    for (const listener of [...this.listeners]) listener(null);
  }

  /** The texts worth keeping: not blank (Label Studio saves no draft for whitespace alone). */
  list(): PendingText[] {
    return [...this.texts.values()].filter((p) => p.text.trim() !== "");
  }

  /** Hear changes: the key of the text that changed, or null after a reset. */
  subscribe(listener: (key: string | null) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }
}

/**
 * Label Studio's beforeSend: every pending text becomes the last entry of its control, as one undo step;
 * a text the control refuses (maxSubmissions reached, a duplicate with skipDuplicates) or whose region is
 * gone is dropped. Afterwards nothing is pending.
 */
export function commitPending(annotation: Annotation, pending: PendingTexts, model: ControlModel): void {
  const list = pending.list();
  pending.reset();
  if (!list.length) return;
  annotation.begin("textarea-pending");
  for (const { control, text } of list) {
    const spec = controlSpec(model, control.name);
    if (!spec || spec.allow_submit === false) continue;
    if (control.region !== undefined && !annotation.doc.regions[control.region]) continue;
    const entries = readEntries(annotation.find(control.name, control.type, control.region));
    if (entryRefusal(spec, entries, text) !== null) continue;
    annotation.set(control, textareaValue([...entries, text]));
  }
  annotation.end();
}

/**
 * The document a draft is made of: each pending text in `meta.textAreaPendingInput` of its control's item
 * (an item with no entries yet is made for it, `value.text` empty, as Label Studio drafts it).
 */
export function withPendingInput(doc: AnnotationDoc, list: readonly PendingText[], newId: () => string): AnnotationDoc {
  let next = doc;
  for (const { control, text } of list) {
    if (control.region !== undefined && !next.regions[control.region]) continue;
    const key = pendingKey(control);
    let base: Classification | undefined = next.classifications[key];
    if (base && base.type !== control.type) continue;
    if (!base) {
      const target = { control: control.name, object: control.toName, type: control.type, ...(control.region !== undefined ? { region: control.region } : {}) };
      const cmd = setValue(next, target, { text: [] }, newId);
      if (cmd?.op !== "setValue" || !cmd.after) continue;
      base = cmd.after;
    }
    const meta = base.extra.meta;
    if (meta !== undefined && !isObj(meta)) continue; // a meta of another shape is kept as it came
    next = put(next, "classifications", key, { ...base, extra: { ...base.extra, meta: { ...(meta ?? {}), [PENDING_META_KEY]: text } } });
  }
  return next;
}

/**
 * Items that come back from a draft: the pending texts they carry, and the items without them (an item
 * that held nothing but the pending text goes). Items with no pending text are given back as they are.
 */
export function takePendingInput(items: readonly ResultItem[]): { items: readonly ResultItem[]; pending: PendingText[] } {
  const carries = items.some((it) => isObj(it) && it.type === "textarea" && isObj(it.meta) && typeof it.meta[PENDING_META_KEY] === "string");
  if (!carries) return { items, pending: [] };
  let doc = decode(items);
  const pending: PendingText[] = [];
  for (const [key, c] of Object.entries(doc.classifications)) {
    const meta = c.extra.meta;
    if (c.type !== "textarea" || !isObj(meta) || typeof meta[PENDING_META_KEY] !== "string") continue;
    pending.push({
      control: { name: c.control, toName: c.object, type: c.type, ...(c.region !== undefined ? { region: c.region } : {}) },
      text: meta[PENDING_META_KEY] as string,
    });
    const { [PENDING_META_KEY]: _, ...others } = meta;
    const { meta: __, ...extra } = c.extra;
    const kept: Classification = { ...c, extra: Object.keys(others).length ? { ...extra, meta: others } : extra };
    const empty = Array.isArray(c.value.text) && c.value.text.length === 0;
    doc = put(doc, "classifications", key, empty ? undefined : kept);
  }
  return { items: encode(doc), pending };
}
