// Label Studio result items for the classification controls (B.3/B.4 of the reference):
//   {id, from_name, to_name, type, value: {<type>: ...}, origin: "manual"}
// A control with no value has no item at all.

import { randomId, type ResultItem } from "../protocol";
import type { RankerIds } from "../schema/ranker";

export type ResultValue = Record<string, unknown>;

/** The control an item belongs to: its name, its target object(s) and the result type. */
export interface ControlRef {
  name: string;
  toName: string;
  type: string;
  /** a perRegion control shown for this region: its item shares the region's id */
  region?: string;
}

/** Label Studio's region ids: nanoid(10) over [A-Za-z0-9_-]. */
export function newResultId(): string {
  return randomId(10);
}

export function buildItem(ref: ControlRef, value: ResultValue, id: string = newResultId()): ResultItem {
  return { id, from_name: ref.name, to_name: ref.toName, type: ref.type, value, origin: "manual" };
}

// value builders: null means "no value, no item" -----------------------------------------------------------

export function choicesValue(labels: readonly string[]): ResultValue | null {
  return labels.length ? { choices: [...labels] } : null;
}

/** A TextArea's entries, one per submission (Label Studio's TextAreaRegions); none: no item. */
export function textareaValue(entries: readonly string[]): ResultValue | null {
  return entries.length ? { text: [...entries] } : null;
}

export function ratingValue(rating: number): ResultValue | null {
  return Number.isInteger(rating) && rating > 0 ? { rating } : null;
}

export function numberValue(num: number | null | undefined): ResultValue | null {
  return typeof num === "number" && Number.isFinite(num) ? { number: num } : null;
}

export function taxonomyValue(paths: readonly (readonly string[])[]): ResultValue | null {
  return paths.length ? { taxonomy: paths.map((p) => [...p]) } : null;
}

export function rankerValue(ids: Readonly<Record<string, readonly string[]>>): ResultValue {
  return { ranker: Object.fromEntries(Object.entries(ids).map(([key, list]) => [key, [...list]])) };
}

export function datetimeValue(datetime: string | null | undefined): ResultValue | null {
  return typeof datetime === "string" && datetime !== "" ? { datetime } : null;
}

// readers (tolerant: items may come from imports and older exports) ---------------------------------------

export function readChoices(item: ResultItem | undefined): string[] {
  const raw = item?.value?.choices;
  if (!Array.isArray(raw)) return [];
  // allowNested results are paths (arrays); this version keeps only their leaf
  return raw
    .map((c) => (Array.isArray(c) ? c[c.length - 1] : c))
    .filter((c): c is string => typeof c === "string");
}

/** Stored choices as they are: strings, or (allowNested) paths from the top choice down. */
export function readChoicePaths(item: ResultItem | undefined): (string | string[])[] {
  const raw = item?.value?.choices;
  if (!Array.isArray(raw)) return [];
  return raw.filter((c): c is string | string[] => typeof c === "string" || (Array.isArray(c) && c.length > 0 && c.every((x) => typeof x === "string")));
}

/** A TextArea's entries; an older export's plain string is one entry (as Label Studio's setResult reads it). */
export function readEntries(item: ResultItem | undefined): string[] {
  const raw = item?.value?.text;
  if (typeof raw === "string") return [raw];
  if (Array.isArray(raw)) return raw.filter((t): t is string => typeof t === "string");
  return [];
}

export function readRating(item: ResultItem | undefined): number {
  const raw = item?.value?.rating;
  return typeof raw === "number" && Number.isFinite(raw) ? raw : 0;
}

export function readTaxonomy(item: ResultItem | undefined): string[][] {
  const raw = item?.value?.taxonomy;
  if (!Array.isArray(raw)) return [];
  return raw.filter((p): p is string[] => Array.isArray(p) && p.length > 0 && p.every((x) => typeof x === "string")).map((p) => [...p]);
}

export function readDatetime(item: ResultItem | undefined): string | null {
  const raw = item?.value?.datetime;
  return typeof raw === "string" && raw !== "" ? raw : null;
}

export function readNumber(item: ResultItem | undefined): number | null {
  const raw = item?.value?.number;
  return typeof raw === "number" && Number.isFinite(raw) ? raw : null;
}

/** A Ranker's {column: [ids]} (ids as strings; entries that are not lists are left out), or null. */
export function readRanker(item: ResultItem | undefined): RankerIds | null {
  const raw = item?.value?.ranker;
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return null;
  const out: RankerIds = {};
  for (const [key, ids] of Object.entries(raw as Record<string, unknown>)) {
    if (!Array.isArray(ids)) continue;
    out[key] = ids.filter((x) => typeof x === "string" || typeof x === "number").map(String);
  }
  return out;
}
