// The annotation being edited, as a document (DESIGN.md, "The editor"): regions keyed by id, classifications
// keyed by control (and region, for perRegion results), relations, and the result items this version does not
// understand, kept to be written back untouched. Every record carries `seq`, its place in the result list, so
// encoding gives the items back in the order they came.
//
// The document is immutable: updates return a new document that shares every record they did not touch.
// Only commands (./commands.ts) change it; ./codecs.ts turns it into Label Studio result items and back.

import type { ResultItem } from "../protocol";

export type Origin = "manual" | "prediction" | "prediction-changed";

/** The family of a region's result type (rectanglelabels and rectangle are both "rectangle"). */
export type RegionKind = "rectangle" | "polygon" | "ellipse" | "keypoint" | "brush" | "vector" | "span" | "chat";

export type Json = Record<string, unknown>;

export interface Region {
  id: string;
  /** to_name: the object tag it is drawn on */
  object: string;
  /** from_name: the control that made it */
  control: string;
  /** the Label Studio result type, e.g. "rectanglelabels" or "rectangle" */
  type: string;
  kind: RegionKind;
  /** the value without its labels (x, y, width, ...; points; rle; start, end, text ...) */
  geometry: Json;
  /** the labels stored in the value under `labelsKey`; absent for a bare tool result */
  labels?: readonly string[];
  /** where the labels sit in the value: the type itself ("rectanglelabels") or "labels" */
  labelsKey?: string;
  origin?: string;
  score?: number;
  hidden: boolean;
  /** Label Studio's `readonly` */
  locked: boolean;
  item_index?: number;
  /** every other top-level field (original_width, meta, parentID, unknown keys), written back as it came */
  extra: Json;
  /** for a region read from a result item: the order of its keys and of its value's keys, kept on the way back */
  keyOrder?: { item: readonly string[]; value: readonly string[] };
  seq: number;
}

export interface Classification {
  /** the result id (for perRegion results: the region's id) */
  id: string;
  control: string;
  object: string;
  type: string;
  /** the control's own part of the value, e.g. {choices: [...]}, {text: [...]}, {rating: 3} */
  value: Json;
  /** for perRegion results: the region it belongs to */
  region?: string;
  /** other keys of the stored value (the region geometry a perRegion result repeats), in their order */
  rest?: Json;
  origin?: string;
  extra: Json;
  seq: number;
}

export type Direction = "right" | "left" | "bi";

export interface Relation {
  from_id: string;
  to_id: string;
  direction: string;
  labels?: readonly string[];
  extra: Json;
  seq: number;
}

export interface PassThrough {
  item: ResultItem;
  seq: number;
}

export interface AnnotationDoc {
  readonly regions: Readonly<Record<string, Region>>;
  readonly classifications: Readonly<Record<string, Classification>>;
  readonly relations: Readonly<Record<string, Relation>>;
  readonly passthrough: Readonly<Record<string, PassThrough>>;
}

export const EMPTY_DOC: AnnotationDoc = Object.freeze({
  regions: Object.freeze({}),
  classifications: Object.freeze({}),
  relations: Object.freeze({}),
  passthrough: Object.freeze({}),
});

export function emptyDoc(): AnnotationDoc {
  return { regions: {}, classifications: {}, relations: {}, passthrough: {} };
}

/** The key of a classification: the control name, and for perRegion results the region id after "#". */
export function classKey(control: string, region?: string): string {
  return region === undefined ? control : `${control}#${region}`;
}

export function relationKey(from_id: string, to_id: string): string {
  return `${from_id}>${to_id}`;
}

type Table = "regions" | "classifications" | "relations" | "passthrough";
type RecordOf<T extends Table> = AnnotationDoc[T][string];

/** The document with one record set (or, with undefined, removed); everything else is shared. */
export function put<T extends Table>(doc: AnnotationDoc, table: T, key: string, record: RecordOf<T> | undefined): AnnotationDoc {
  const current = doc[table] as Record<string, RecordOf<T>>;
  if (record === undefined) {
    if (!Object.prototype.hasOwnProperty.call(current, key)) return doc;
    const next = { ...current };
    delete next[key];
    return { ...doc, [table]: next };
  }
  if (current[key] === record) return doc;
  return { ...doc, [table]: { ...current, [key]: record } };
}

/** The next free place at the end of the result list. */
export function nextSeq(doc: AnnotationDoc): number {
  let max = -1;
  for (const table of ["regions", "classifications", "relations", "passthrough"] as const) {
    for (const rec of Object.values(doc[table])) if (rec.seq > max) max = rec.seq;
  }
  return max + 1;
}

/** Relations that start or end at a region. */
export function relationsOf(doc: AnnotationDoc, regionId: string): [string, Relation][] {
  return Object.entries(doc.relations).filter(([, r]) => r.from_id === regionId || r.to_id === regionId);
}

/** perRegion results (and generic Labels results) attached to a region. */
export function attachedTo(doc: AnnotationDoc, regionId: string): [string, Classification][] {
  return Object.entries(doc.classifications).filter(([, c]) => c.region === regionId);
}

/** A region's labels: its own, or those of a generic <Labels> result attached to it. */
export function regionLabels(doc: AnnotationDoc, regionId: string): readonly string[] {
  const region = doc.regions[regionId];
  if (!region) return [];
  if (region.labels) return region.labels;
  const out: string[] = [];
  for (const [, c] of attachedTo(doc, regionId)) {
    const labels = c.value[c.type];
    if (Array.isArray(labels)) for (const l of labels) if (typeof l === "string") out.push(l);
  }
  return out;
}

export function classificationOf(doc: AnnotationDoc, control: string, region?: string): Classification | undefined {
  return doc.classifications[classKey(control, region)];
}

/**
 * The page of its object a region is on: `item_index` for an image of a `valueList`, `value.pageIndex`
 * (0-based) for a box on a PDF page (Label Studio's ocrlabels), else 0.
 */
export function regionPage(region: Pick<Region, "item_index" | "geometry">): number {
  if (typeof region.item_index === "number") return region.item_index;
  const page = region.geometry.pageIndex;
  return typeof page === "number" && Number.isInteger(page) && page >= 0 ? page : 0;
}
