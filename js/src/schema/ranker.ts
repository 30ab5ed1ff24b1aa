// A <Ranker> on a <List> as its board shows it: the items of the list (task data: objects with `id`,
// `title`, `body`, optionally `html`), the columns, and which item sits where. Label Studio's rules
// (tags/control/Ranker.jsx, tags/object/List.jsx, checked in its source):
//
// - item ids are strings (`String(item.id)`); the list order is the order of the keys of an object keyed
//   by id, as Label Studio builds it (so integer-like ids come first, ascending, as JavaScript orders keys);
// - no <Bucket>: one column named after the Ranker, holding every item; the value is
//   {ranker: {<ranker name>: [ids in the new order]}};
// - with Buckets: one column per Bucket (key: its name, heading: its title); unless a Bucket has
//   default="true", the list itself comes first as column "_" and holds every item at the start; with a
//   default Bucket there is no "_" column and the items start in that Bucket;
// - the stored value lists every column, empty ones too ({"_": [...], "best": [], ...}), and keeps keys
//   of a loaded value that name no column; items of a loaded value that no column holds go to the end of
//   "_" (when there is one);
// - an untouched board is stored as it starts (Label Studio writes that result on submit).

import { lookupData, dataKey } from "../config";
import type { ControlModel, ControlSpec, ObjectSpec } from "./model";

/** Which item ids each column of a Ranker holds, in order (the value under `ranker`). */
export type RankerIds = Record<string, string[]>;

/** Label Studio's column for the list's items when no Bucket is the default one. */
export const ORIGINAL_ITEMS = "_";

export interface RankerItem {
  id: string;
  title?: unknown;
  body?: unknown;
  html?: unknown;
}

export interface RankerColumn {
  /** the key in the value: the Ranker's name, a Bucket's name, or "_" */
  id: string;
  title: string;
}


/** The items of a List's data, by id, in Label Studio's order (see above). Anything but an array: none. */
export function listItems(raw: unknown): Record<string, RankerItem> {
  const items: Record<string, RankerItem> = {};
  if (!Array.isArray(raw)) return items;
  for (const entry of raw) {
    if (entry === null || typeof entry !== "object" || Array.isArray(entry)) continue;
    const item = { ...(entry as Record<string, unknown>) };
    const id = String(item.id);
    items[id] = { ...item, id };
  }
  return items;
}

/** The List object a Ranker ranks (its first toName), if the model has one. */
export function rankedList(model: ControlModel, spec: ControlSpec): ObjectSpec | undefined {
  const target = spec.to_name[0];
  return model.objects.find((o) => o.name === target && o.tag === "List");
}

/** The items of the List a Ranker ranks, read from the task data. */
export function rankerItems(model: ControlModel, spec: ControlSpec, data: Record<string, unknown>): Record<string, RankerItem> {
  const list = rankedList(model, spec);
  if (!list) return {};
  const key = list.value_key ?? dataKey(list.value);
  return listItems(key === null ? undefined : lookupData(data, key));
}

function buckets(spec: ControlSpec) {
  return (spec.buckets ?? []).filter((b): b is { name: string; title: string | null; default: boolean } => typeof b.name === "string");
}

/** Where the items start: the Ranker's own column (no Buckets), the default Bucket, or null ("_"). */
export function defaultColumn(spec: ControlSpec): string | null {
  const all = buckets(spec);
  if (!all.length) return spec.name;
  return all.find((b) => b.default)?.name ?? null;
}

/** The columns of the board, left to right. */
export function rankerColumns(spec: ControlSpec, listTitle: string): RankerColumn[] {
  const all = buckets(spec);
  if (!all.length) return [{ id: spec.name, title: listTitle }];
  const columns = all.map((b) => ({ id: b.name, title: b.title ?? "" }));
  if (defaultColumn(spec) === null) columns.unshift({ id: ORIGINAL_ITEMS, title: listTitle });
  return columns;
}

/** Which ids sit in which column: from a loaded value, or (none) as the board starts. */
export function rankerBoard(
  spec: ControlSpec,
  items: Readonly<Record<string, RankerItem>>,
  loaded: RankerIds | null,
): RankerIds {
  const columns = rankerColumns(spec, "");
  const ids = Object.keys(items);
  const board: RankerIds = Object.fromEntries(columns.map((c) => [c.id, [] as string[]]));
  const home = defaultColumn(spec);
  if (!loaded) {
    board[home ?? ORIGINAL_ITEMS] = ids;
    return board;
  }
  for (const [key, list] of Object.entries(loaded)) board[key] = [...list];
  if (home === null) {
    const known = new Set(columns.map((c) => c.id));
    const placed = new Set(Object.entries(loaded).flatMap(([key, list]) => (known.has(key) ? list : [])));
    const left = ids.filter((id) => !placed.has(id));
    if (left.length) board[ORIGINAL_ITEMS] = [...(board[ORIGINAL_ITEMS] ?? []), ...left];
  }
  return board;
}

/**
 * `board` with item `id` taken from wherever it is and put into column `to`, just before item `before`
 * (at the end when `before` is null or not in that column). Nothing else changes.
 */
export function moveItem(board: Readonly<RankerIds>, id: string, to: string, before: string | null): RankerIds {
  const out: RankerIds = {};
  for (const [key, list] of Object.entries(board)) out[key] = list.filter((x) => x !== id);
  const target = out[to] ?? (out[to] = []);
  const at = before === null || before === id ? -1 : target.indexOf(before);
  if (at < 0) target.push(id);
  else target.splice(at, 0, id);
  return out;
}

/** Two boards hold the same ids in the same places. */
export function sameBoard(a: Readonly<RankerIds>, b: Readonly<RankerIds>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    const x = a[key] ?? [];
    const y = b[key] ?? [];
    if (x.length !== y.length || x.some((v, i) => v !== y[i])) return false;
  }
  return true;
}
