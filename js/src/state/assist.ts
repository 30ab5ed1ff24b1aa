// Interactive pre-annotation ("auto-annotate"), the document side: a series of smart clicks and boxes, the
// context the kernel's assistant is asked with, and the answer put into the document.
//
// Label Studio sends the regions drawn with a smart tool as `context.result` (each with `is_positive`), and
// every new click of the same object goes with all the earlier ones. Here the clicks are UI state (never
// submitted, never undone); the answer's regions are ordinary regions with origin "prediction", added as
// ONE undo step that also removes what the series' earlier answers put in. Pure module: no DOM.

import type { ResultItem } from "../protocol";
import type { Annotation } from "./annotation";
import { decode } from "./codecs";
import { addRegion, deleteRegion, link, type Command } from "./commands";
import { nextSeq, type Json } from "./document";

/** The clicks and boxes of one object and control, asked about together. */
export interface AssistSeries {
  object: string;
  control: string;
  /** the smart items so far, oldest first: the `context.result` of the next request */
  items: readonly ResultItem[];
  /** ids of the regions any answer of this series put in (an undo can bring back an older answer's) */
  answerIds: readonly string[];
}

/** What a smart item is made from. */
export interface SmartDraw {
  id: string;
  object: string;
  control: string;
  /** the control's result type: keypointlabels, keypoint, rectanglelabels, rectangle */
  type: string;
  /** the drawn value without labels (x, y, width[, height, rotation]) in percent */
  geometry: Json;
  /** the chosen label of a *Labels control */
  label: string | null;
  positive: boolean;
  /** top-level fields of the image's regions (original_width, original_height, image_rotation) */
  extra: Json;
}

/** A smart item in Label Studio's result-item shape, as the assistant receives it. */
export function smartItem(d: SmartDraw): ResultItem {
  const value: Json = { ...d.geometry };
  if (d.type.endsWith("labels") && d.label !== null) value[d.type] = [d.label];
  return { id: d.id, from_name: d.control, to_name: d.object, type: d.type, ...d.extra, value, is_positive: d.positive };
}

/**
 * The series after one more smart item: the same series when it is of the same object and control, else
 * a new one (the old one's answer stays in the document). Null when the series is full (`max` items).
 */
export function extendSeries(series: AssistSeries | null, item: ResultItem, max: number): AssistSeries | null {
  const object = String(item.to_name ?? "");
  const control = String(item.from_name ?? "");
  if (series && series.object === object && series.control === control) {
    if (series.items.length >= max) return null;
    return { ...series, items: [...series.items, item] };
  }
  return { object, control, items: [item], answerIds: [] };
}

/** The answer's items with ids that do not clash with regions outside the series, all marked predictions. */
function ownIds(annotation: Annotation, replaced: ReadonlySet<string>, items: readonly ResultItem[], newId: () => string): ResultItem[] {
  const doc = annotation.doc;
  const renamed = new Map<string, string>();
  const taken = (id: string) => (doc.regions[id] !== undefined && !replaced.has(id)) || [...renamed.values()].includes(id);
  for (const item of items) {
    if (typeof item.id !== "string" || item.type === "relation" || renamed.has(item.id)) continue;
    if (taken(item.id)) {
      let id = newId();
      while (taken(id)) id = newId();
      renamed.set(item.id, id);
    }
  }
  const rename = (id: unknown) => (typeof id === "string" ? (renamed.get(id) ?? id) : id);
  return items.map((raw) => {
    const item = JSON.parse(JSON.stringify(raw)) as ResultItem;
    if (item.type === "relation") return { ...item, from_id: rename(item.from_id), to_id: rename(item.to_id) };
    const out: ResultItem = { ...item, id: rename(item.id) as string, origin: "prediction" };
    if (typeof item.parentID === "string") out.parentID = rename(item.parentID);
    return out;
  });
}

/**
 * Put an answer into the document as one undo step: the regions earlier answers of `series` put in (those
 * still there) go, the answer's regions, their perRegion values and relations come in as predictions.
 * Returns the series with the new answer's ids added.
 */
export function applyAnswer(annotation: Annotation, series: AssistSeries, items: readonly ResultItem[], newId: () => string): AssistSeries {
  const replaced = new Set(series.answerIds);
  const answer = decode(ownIds(annotation, replaced, items, newId));
  const added: string[] = [];
  annotation.begin("assist");
  try {
    for (const id of series.answerIds) annotation.run(deleteRegion(annotation.doc, id)); // null when gone
    for (const region of Object.values(answer.regions)) {
      const { seq: _seq, ...rest } = region;
      annotation.run(addRegion(annotation.doc, rest));
      added.push(region.id);
    }
    for (const [key, c] of Object.entries(answer.classifications)) {
      const doc = annotation.doc;
      // a perRegion value of an answer region, or a classification the document does not have yet
      if (doc.classifications[key] || (c.region !== undefined && !doc.regions[c.region])) continue;
      const cmd: Command = { op: "setValue", key, before: null, after: { ...c, seq: nextSeq(doc) } };
      annotation.run(cmd);
    }
    for (const rel of Object.values(answer.relations)) {
      const doc = annotation.doc;
      if (doc.regions[rel.from_id] && doc.regions[rel.to_id]) annotation.run(link(doc, rel.from_id, rel.to_id, rel.direction, rel.labels));
    }
  } finally {
    annotation.end();
  }
  return { ...series, answerIds: [...series.answerIds.filter((id) => !added.includes(id)), ...added] };
}
