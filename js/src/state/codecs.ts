// Label Studio result items <-> the document, one codec per control family (reference B.3, B.4):
//   regions         rectangle(labels), ocrlabels, polygon(labels), ellipse(labels), keypoint(labels), brush(labels),
//                   magicwand, vector(labels), and spans: labels, hypertextlabels, paragraphlabels,
//                   timeserieslabels. A `*labels` item is the region's geometry and labels in one. And
//                   chatmessage, a message added to a <Chat>.
//   classifications choices, textarea, rating, number, taxonomy, datetime, pairwise, ranker; an item sharing a region's
//                   id is that region's perRegion result (its value repeats the region geometry), and a generic
//                   `labels` item sharing the id of a tool result is the labels of that region.
//   relations       {from_id, to_id, type: "relation", direction, labels?}
//   everything else passes through untouched.
// decode then encode is the identity on any result list (same items, same order, every field kept): a record
// is only taken into the document when encoding it gives back exactly the item it came from; otherwise the
// item passes through. One exception, Label Studio's: a region or classification item without an id (its
// docs' and examples' results, ML backends' predictions) gets one when it is loaded, as Label Studio's editor
// gives it one (Annotation.deserializeSingleResult: `id || guidGenerator()`) and stores it, so it is shown
// and edited like any other; the id is derived from the item and its place (decoding a list twice gives the
// same ids, which "accept all predictions" compares by).

import type { ResultItem } from "../protocol";
import {
  classKey,
  emptyDoc,
  relationKey,
  type AnnotationDoc,
  type Classification,
  type Json,
  type Region,
  type RegionKind,
  type Relation,
} from "./document";

/** Result type -> region family. */
export const REGION_TYPES: Readonly<Record<string, RegionKind>> = {
  rectangle: "rectangle",
  rectanglelabels: "rectangle",
  ocrlabels: "rectangle", // a box on a PDF page: value.pageIndex (0-based), optional value.ocrtext
  polygon: "polygon",
  polygonlabels: "polygon",
  ellipse: "ellipse",
  ellipselabels: "ellipse",
  keypoint: "keypoint",
  keypointlabels: "keypoint",
  brush: "brush",
  brushlabels: "brush",
  magicwand: "brush",
  bitmask: "brush",
  bitmasklabels: "brush",
  vector: "vector",
  vectorlabels: "vector",
  labels: "span",
  hypertextlabels: "span",
  paragraphlabels: "span",
  timeserieslabels: "span",
  // a message an annotator added to a <Chat> (state/chat.ts)
  chatmessage: "chat",
};

/** Span types: a region of their own, or (sharing the id of a shape) the labels of that shape. */
const SPAN_TYPES = new Set(["labels", "hypertextlabels", "paragraphlabels", "timeserieslabels"]);

/** Classification type -> the key of its own part of the value. */
export const CLASSIFICATION_KEYS: Readonly<Record<string, string>> = {
  choices: "choices",
  textarea: "text",
  rating: "rating",
  number: "number",
  taxonomy: "taxonomy",
  datetime: "datetime",
  pairwise: "selected",
  ranker: "ranker",
  // a generic <Labels> attached to a tool result
  labels: "labels",
  hypertextlabels: "hypertextlabels",
  paragraphlabels: "paragraphlabels",
  timeserieslabels: "timeserieslabels",
};

const isObj = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === "string");
const own = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => deepEqual(x, bb[i]));
  }
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  return ka.length === kb.length && ka.every((k) => own(b as object, k) && deepEqual((a as Json)[k], (b as Json)[k]));
}

/** Split an item's top level into the envelope fields the document models and the rest (kept as `extra`). */
function envelope(item: ResultItem) {
  const extra: Json = {};
  for (const [k, v] of Object.entries(item)) {
    if (["id", "from_name", "to_name", "type", "value"].includes(k)) continue;
    if (k === "origin" && typeof v === "string") continue;
    if (k === "score" && typeof v === "number") continue;
    if (k === "readonly" && v === true) continue;
    if (k === "hidden" && v === true) continue;
    if (k === "item_index" && typeof v === "number") continue;
    extra[k] = clone(v);
  }
  return {
    origin: typeof item.origin === "string" ? item.origin : undefined,
    score: typeof item.score === "number" ? item.score : undefined,
    locked: item.readonly === true,
    hidden: item.hidden === true,
    item_index: typeof item.item_index === "number" ? item.item_index : undefined,
    extra,
  };
}

// region codec ------------------------------------------------------------------------------------------

export const RegionCodec = {
  decode(item: ResultItem, seq: number): Region | null {
    const { id, from_name, to_name, type, value } = item;
    if (typeof id !== "string" || typeof from_name !== "string" || typeof to_name !== "string" || typeof type !== "string") return null;
    const kind = REGION_TYPES[type];
    if (!kind || !isObj(value)) return null;
    const env = envelope(item);
    const labelsKey = isStrings(value[type]) ? type : isStrings(value.labels) ? "labels" : undefined;
    const geometry: Json = {};
    for (const [k, v] of Object.entries(value)) if (k !== labelsKey) geometry[k] = clone(v);
    const region: Region = {
      id,
      object: to_name,
      control: from_name,
      type,
      kind,
      geometry,
      ...(labelsKey ? { labels: [...(value[labelsKey] as string[])], labelsKey } : {}),
      ...(env.origin !== undefined ? { origin: env.origin } : {}),
      ...(env.score !== undefined ? { score: env.score } : {}),
      hidden: env.hidden,
      locked: env.locked,
      ...(env.item_index !== undefined ? { item_index: env.item_index } : {}),
      extra: env.extra,
      keyOrder: { item: Object.keys(item), value: Object.keys(value) },
      seq,
    };
    return region;
  },

  encode(r: Region): ResultItem {
    const value: Json = clone(r.geometry);
    if (r.labels) value[r.labelsKey ?? r.type] = [...r.labels];
    const item: ResultItem = {
      id: r.id,
      from_name: r.control,
      to_name: r.object,
      type: r.type,
      value,
      ...(r.origin !== undefined ? { origin: r.origin } : {}),
      ...(r.score !== undefined ? { score: r.score } : {}),
      ...(r.locked ? { readonly: true } : {}),
      ...(r.hidden ? { hidden: true } : {}),
      ...(r.item_index !== undefined ? { item_index: r.item_index } : {}),
      ...clone(r.extra),
    };
    if (!r.keyOrder) return item;
    // keys in the order the item came with (byte for byte the same JSON when nothing changed), new ones after
    item.value = inOrder(value, r.keyOrder.value);
    return inOrder(item, r.keyOrder.item) as ResultItem;
  },
};

/** `obj` with the keys of `order` first, in that order, then the rest as they are. */
function inOrder(obj: Json, order: readonly string[]): Json {
  const out: Json = {};
  for (const k of order) if (own(obj, k)) setOwn(out, k, obj[k]);
  for (const [k, v] of Object.entries(obj)) if (!own(out, k)) setOwn(out, k, v);
  return out;
}

// classification codec ----------------------------------------------------------------------------------

export const ClassificationCodec = {
  decode(item: ResultItem, seq: number, region: Region | undefined): Classification | null {
    const { id, from_name, to_name, type, value } = item;
    if (typeof id !== "string" || typeof from_name !== "string" || typeof to_name !== "string" || typeof type !== "string") return null;
    const key = CLASSIFICATION_KEYS[type];
    if (key === undefined || !isObj(value)) return null;
    const env = envelope(item);
    if (env.score !== undefined || env.locked || env.hidden || env.item_index !== undefined) {
      // kept as they came: classifications model none of these
      for (const k of ["score", "readonly", "hidden", "item_index"]) if (own(item, k)) env.extra[k] = clone(item[k]);
    }
    const own_: Json = {};
    const rest: Json = {};
    for (const [k, v] of Object.entries(value)) (k === key ? own_ : rest)[k] = clone(v);
    return {
      id,
      control: from_name,
      object: to_name,
      type,
      value: own_,
      ...(region ? { region: region.id } : {}),
      ...(Object.keys(rest).length ? { rest } : {}),
      ...(env.origin !== undefined ? { origin: env.origin } : {}),
      extra: env.extra,
      seq,
    };
  },

  /** `region`: the region a perRegion result belongs to; its current geometry replaces the stored copy. */
  encode(c: Classification, region: Region | undefined): ResultItem {
    const value: Json = {};
    for (const [k, v] of Object.entries(c.rest ?? {})) value[k] = clone(region && own(region.geometry, k) ? region.geometry[k] : v);
    Object.assign(value, clone(c.value));
    return {
      id: c.id,
      from_name: c.control,
      to_name: c.object,
      type: c.type,
      value,
      ...(c.origin !== undefined ? { origin: c.origin } : {}),
      ...clone(c.extra),
    };
  },
};

// relation codec ----------------------------------------------------------------------------------------

export const RelationCodec = {
  decode(item: ResultItem, seq: number): Relation | null {
    const { from_id, to_id, type, direction, labels, ...extra } = item;
    if (type !== "relation" || typeof from_id !== "string" || typeof to_id !== "string" || typeof direction !== "string") return null;
    if (labels !== undefined && !isStrings(labels)) return null;
    return { from_id, to_id, direction, ...(labels ? { labels: [...labels] } : {}), extra: clone(extra), seq };
  },

  encode(r: Relation): ResultItem {
    return {
      from_id: r.from_id,
      to_id: r.to_id,
      type: "relation",
      direction: r.direction,
      ...(r.labels ? { labels: [...r.labels] } : {}),
      ...clone(r.extra),
    };
  },
};

// items without an id -------------------------------------------------------------------------------------

const ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";

/** FNV-1a over the UTF-16 units of `text`, from `seed`. */
function fnv(text: string, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  return h;
}

/** A Label Studio-like id (10 characters of nanoid's alphabet) that depends only on `text`. */
function derivedId(text: string): string {
  const a = fnv(text, 2166136261);
  const b = fnv(text, a ^ 0x9e3779b9);
  let out = "";
  for (let i = 0; i < 10; i++) out += ID_ALPHABET[(i < 5 ? a >>> (i * 6) : b >>> ((i - 5) * 6)) & 63];
  return out;
}

/** An item Label Studio's editor would give an id when loading it: a region or classification without one. */
function wantsId(it: unknown): it is ResultItem {
  if (!isObj(it) || (own(it, "id") && it.id !== null && it.id !== undefined)) return false;
  const type = it.type;
  return typeof type === "string" && type !== "relation" && (own(REGION_TYPES, type) || own(CLASSIFICATION_KEYS, type)) && isObj(it.value);
}

/** The items with an id given to each that wants one (a new id: none of the list's, none given before). */
function withIds(list: readonly unknown[]): unknown[] {
  if (!list.some(wantsId)) return [...list];
  const taken = new Set(list.flatMap((it) => (isObj(it) && typeof it.id === "string" ? [it.id] : [])));
  return list.map((it, seq) => {
    if (!wantsId(it)) return it;
    let id = derivedId(`${seq}:${JSON.stringify(it)}`);
    for (let n = 1; taken.has(id); n++) id = derivedId(`${seq}:${n}:${JSON.stringify(it)}`);
    taken.add(id);
    return { ...it, id };
  });
}

// the document ------------------------------------------------------------------------------------------

/** Set an own property, whatever the key: an id from task data may be "__proto__" (never a prototype). */
function setOwn<V>(table: Record<string, V>, key: string, value: V): void {
  Object.defineProperty(table, key, { value, enumerable: true, writable: true, configurable: true });
}

export function decode(items: readonly ResultItem[]): AnnotationDoc {
  // the tables are filled in place (the document is new and nobody holds it yet): put() would copy a
  // table per record, quadratic in the number of regions
  const doc = emptyDoc() as { [T in keyof AnnotationDoc]: Record<string, AnnotationDoc[T][string]> };
  const given = Array.isArray(items) ? items : [];
  const list = withIds(given) as ResultItem[];
  const claimed = new Set<number>();
  const shapeIds = new Set<string>();
  list.forEach((it) => {
    if (isObj(it) && typeof it.id === "string" && typeof it.type === "string" && REGION_TYPES[it.type] && !SPAN_TYPES.has(it.type)) shapeIds.add(it.id);
  });
  // regions first, so perRegion results can find theirs
  list.forEach((it, seq) => {
    if (!isObj(it) || typeof it.type !== "string" || !REGION_TYPES[it.type]) return;
    if (SPAN_TYPES.has(it.type) && typeof it.id === "string" && shapeIds.has(it.id)) return; // labels of a shape
    const region = RegionCodec.decode(it, seq);
    if (!region || own(doc.regions, region.id) || !deepEqual(RegionCodec.encode(region), it)) return;
    setOwn(doc.regions, region.id, region);
    claimed.add(seq);
  });
  list.forEach((it, seq) => {
    if (claimed.has(seq)) return;
    if (isObj(it)) {
      const relation = RelationCodec.decode(it, seq);
      if (relation) {
        const key = relationKey(relation.from_id, relation.to_id);
        if (!own(doc.relations, key) && deepEqual(RelationCodec.encode(relation), it)) {
          setOwn(doc.relations, key, relation);
          return;
        }
      }
      const region = typeof it.id === "string" && own(doc.regions, it.id) ? doc.regions[it.id] : undefined;
      const c = ClassificationCodec.decode(it, seq, region);
      if (c) {
        const key = classKey(c.control, c.region);
        if (!own(doc.classifications, key) && deepEqual(ClassificationCodec.encode(c, region), it)) {
          setOwn(doc.classifications, key, c);
          return;
        }
      }
    }
    setOwn(doc.passthrough, `p${seq}`, { item: clone(given[seq]), seq }); // as it came (no id given)
  });
  return doc;
}

export function encode(doc: AnnotationDoc): ResultItem[] {
  const out: [number, ResultItem][] = [];
  for (const r of Object.values(doc.regions)) out.push([r.seq, RegionCodec.encode(r)]);
  for (const c of Object.values(doc.classifications)) {
    out.push([c.seq, ClassificationCodec.encode(c, c.region !== undefined ? doc.regions[c.region] : undefined)]);
  }
  for (const r of Object.values(doc.relations)) out.push([r.seq, RelationCodec.encode(r)]);
  for (const p of Object.values(doc.passthrough)) out.push([p.seq, clone(p.item)]);
  return out.sort((a, b) => a[0] - b[0]).map(([, item]) => item);
}

/** The item of one classification, as it would be submitted. */
export function encodeClassification(doc: AnnotationDoc, c: Classification): ResultItem {
  return ClassificationCodec.encode(c, c.region !== undefined ? doc.regions[c.region] : undefined);
}
