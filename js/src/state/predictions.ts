// Predictions as pre-annotations (Label Studio's "prelabeling"): a task with nothing stored or drafted yet
// starts from its first prediction's result, every item marked origin "prediction" unless it says otherwise.
// Editing one makes it "prediction-changed" (state/commands.ts); submitting unchanged stores them as they
// are. "Accept all" puts back every predicted region, classification and relation the document no longer
// has, as one undo step.

import type { ResultItem } from "../protocol";
import type { Annotation } from "./annotation";
import { decode } from "./codecs";
import { addRegion, link, type Command } from "./commands";
import { nextSeq } from "./document";

interface PredictionLike {
  result?: unknown;
  score?: unknown;
  model_version?: unknown;
}

/** The result items of the first prediction that has any, marked as predictions. */
export function predictionItems(predictions: unknown): ResultItem[] {
  if (!Array.isArray(predictions)) return [];
  for (const p of predictions as PredictionLike[]) {
    if (typeof p !== "object" || p === null || !Array.isArray(p.result) || !p.result.length) continue;
    return (p.result as unknown[])
      .filter((it): it is ResultItem => typeof it === "object" && it !== null && !Array.isArray(it))
      .map((it) => {
        const item = JSON.parse(JSON.stringify(it)) as ResultItem;
        if (item.type !== "relation" && typeof item.origin !== "string") item.origin = "prediction";
        return item;
      });
  }
  return [];
}

/**
 * Add the prediction regions the document lacks (by id), the predicted classifications it lacks (a choice
 * cleared, a perRegion value of a region that came back) and the predicted relations, as one undo step;
 * returns how many items came back (regions and classifications).
 */
export function acceptPredictions(annotation: Annotation, predictions: unknown): number {
  const predicted = decode(predictionItems(predictions));
  let added = 0;
  annotation.begin("accept-predictions");
  for (const region of Object.values(predicted.regions)) {
    if (annotation.doc.regions[region.id]) continue;
    const { seq: _seq, ...rest } = region;
    annotation.run(addRegion(annotation.doc, rest));
    added += 1;
  }
  for (const [key, c] of Object.entries(predicted.classifications)) {
    const doc = annotation.doc;
    if (doc.classifications[key] || (c.region !== undefined && !doc.regions[c.region])) continue;
    const cmd: Command = { op: "setValue", key, before: null, after: { ...c, seq: nextSeq(doc) } };
    annotation.run(cmd);
    added += 1;
  }
  for (const rel of Object.values(predicted.relations)) {
    const doc = annotation.doc;
    if (!doc.regions[rel.from_id] || !doc.regions[rel.to_id]) continue;
    annotation.run(link(doc, rel.from_id, rel.to_id, rel.direction, rel.labels)); // null when it is there
  }
  annotation.end();
  return added;
}
