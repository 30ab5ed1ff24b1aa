// <TextArea> read from its analysed spec (schema/model.ts), with Label Studio's rules for its entries
// (tags/control/TextArea/TextArea.jsx: showSubmit, validateText, hasResult).

import type { ControlSpec } from "./model";

/** TextArea rows: Label Studio's parseInt of `rows`, 1 by default. */
export function textareaRows(spec: ControlSpec): number {
  const rows = spec.rows;
  return typeof rows === "number" && Number.isInteger(rows) && rows >= 1 ? rows : 1;
}

/** maxSubmissions is reached: Label Studio hides the input then. */
export function entriesFull(spec: ControlSpec, entries: readonly string[]): boolean {
  const max = spec.max_submissions;
  return typeof max === "number" && max > 0 && entries.length >= max;
}

/** Label Studio's message when skipDuplicates refuses a text. */
export const DUPLICATE_ENTRY = "There is already an entry with that text. Please enter unique text.";

/**
 * Why `text` may not become an entry (or, with `editing`, replace entry number `editing`), or null. As Label
 * Studio: no more than maxSubmissions entries; with skipDuplicates no two entries equal, ignoring case.
 */
export function entryRefusal(spec: ControlSpec, entries: readonly string[], text: string, editing?: number): string | null {
  if (editing === undefined && entriesFull(spec, entries)) {
    return `"${spec.name}" takes at most ${spec.max_submissions} ${spec.max_submissions === 1 ? "entry" : "entries"}.`;
  }
  if (spec.skip_duplicates) {
    const lower = text.toLowerCase();
    if (entries.some((entry, i) => i !== editing && entry.toLowerCase() === lower)) return DUPLICATE_ENTRY;
  }
  return null;
}
