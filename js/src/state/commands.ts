// Commands: the only way the document changes. Each is plain data built against the document it will apply
// to (so it carries what it replaces), `apply` runs it and `inverse` gives the command that undoes it:
// apply(apply(doc, c), inverse(c)) deep-equals doc.

import {
  classKey,
  nextSeq,
  put,
  relationKey,
  relationsOf,
  attachedTo,
  type AnnotationDoc,
  type Classification,
  type Region,
  type Relation,
} from "./document";

/** A region with what hangs on it: relations and perRegion results (restored with it on undo). */
export interface RegionBundle {
  region: Region;
  relations: readonly Relation[];
  attached: readonly Classification[];
}

export type Command =
  | ({ op: "addRegion" } & RegionBundle)
  | ({ op: "deleteRegion" } & RegionBundle)
  | { op: "updateRegion"; id: string; before: Partial<Region>; after: Partial<Region> }
  | { op: "setValue"; key: string; before: Classification | null; after: Classification | null }
  | { op: "link"; relation: Relation }
  | { op: "unlink"; relation: Relation };

/** What a command touched: region ids and control names, so views can listen to just their part. */
export interface Touched {
  regions: string[];
  controls: string[];
}

// builders ----------------------------------------------------------------------------------------------

export type NewRegion = Omit<Region, "seq" | "hidden" | "locked" | "extra"> & Partial<Pick<Region, "hidden" | "locked" | "extra" | "seq">>;

export function addRegion(doc: AnnotationDoc, region: NewRegion): Command {
  const full: Region = { hidden: false, locked: false, extra: {}, seq: nextSeq(doc), ...region };
  if (doc.regions[full.id]) throw new Error(`labelnb: a region with id ${full.id} exists`);
  return { op: "addRegion", region: full, relations: [], attached: [] };
}

/** Change some fields of a region; editing a prediction makes it "prediction-changed". */
export function updateRegion(doc: AnnotationDoc, id: string, patch: Partial<Omit<Region, "id" | "seq">>): Command | null {
  const region = doc.regions[id];
  if (!region) return null;
  const after: Partial<Region> = { ...patch };
  if (region.origin === "prediction" && patch.origin === undefined) after.origin = "prediction-changed";
  const before: Partial<Region> = {};
  for (const key of Object.keys(after) as (keyof Region)[]) {
    (before as Record<string, unknown>)[key] = region[key];
  }
  return { op: "updateRegion", id, before, after };
}

/** Delete a region, its relations and its perRegion results. */
export function deleteRegion(doc: AnnotationDoc, id: string): Command | null {
  const region = doc.regions[id];
  if (!region) return null;
  return {
    op: "deleteRegion",
    region,
    relations: relationsOf(doc, id).map(([, r]) => r),
    attached: attachedTo(doc, id).map(([, c]) => c),
  };
}

export interface ValueTarget {
  control: string;
  object: string;
  type: string;
  region?: string;
}

/**
 * Set (or, with null, clear) a classification. A new one gets `newId()` (perRegion: the region's id) and
 * origin "manual"; an edited prediction becomes "prediction-changed".
 */
export function setValue(doc: AnnotationDoc, target: ValueTarget, value: Record<string, unknown> | null, newId: () => string): Command | null {
  const key = classKey(target.control, target.region);
  const before = doc.classifications[key] ?? null;
  if (value === null) return before ? { op: "setValue", key, before, after: null } : null;
  let after: Classification;
  if (before) {
    const origin = before.origin === "prediction" || before.origin === "prediction-changed" ? "prediction-changed" : (before.origin ?? "manual");
    after = { ...before, value: { ...value }, origin };
  } else {
    const region = target.region !== undefined ? doc.regions[target.region] : undefined;
    after = {
      id: target.region ?? newId(),
      control: target.control,
      object: target.object,
      type: target.type,
      value: { ...value },
      ...(target.region !== undefined ? { region: target.region, rest: { ...(region?.geometry ?? {}) } } : {}),
      origin: "manual",
      extra: {},
      seq: nextSeq(doc),
    };
  }
  return { op: "setValue", key, before, after };
}

export function link(doc: AnnotationDoc, from_id: string, to_id: string, direction = "right", labels?: readonly string[]): Command | null {
  if (doc.relations[relationKey(from_id, to_id)]) return null;
  const relation: Relation = { from_id, to_id, direction, ...(labels ? { labels: [...labels] } : {}), extra: {}, seq: nextSeq(doc) };
  return { op: "link", relation };
}

export function unlink(doc: AnnotationDoc, from_id: string, to_id: string): Command | null {
  const relation = doc.relations[relationKey(from_id, to_id)];
  return relation ? { op: "unlink", relation } : null;
}

// apply, inverse ----------------------------------------------------------------------------------------

export function apply(doc: AnnotationDoc, cmd: Command): AnnotationDoc {
  switch (cmd.op) {
    case "addRegion": {
      let next = put(doc, "regions", cmd.region.id, cmd.region);
      for (const r of cmd.relations) next = put(next, "relations", relationKey(r.from_id, r.to_id), r);
      for (const c of cmd.attached) next = put(next, "classifications", classKey(c.control, c.region), c);
      return next;
    }
    case "deleteRegion": {
      let next = put(doc, "regions", cmd.region.id, undefined);
      for (const r of cmd.relations) next = put(next, "relations", relationKey(r.from_id, r.to_id), undefined);
      for (const c of cmd.attached) next = put(next, "classifications", classKey(c.control, c.region), undefined);
      return next;
    }
    case "updateRegion": {
      const region = doc.regions[cmd.id];
      if (!region) return doc;
      const updated: Region = { ...region };
      for (const [k, v] of Object.entries(cmd.after)) {
        if (v === undefined) delete (updated as unknown as Record<string, unknown>)[k];
        else (updated as unknown as Record<string, unknown>)[k] = v;
      }
      return put(doc, "regions", cmd.id, updated);
    }
    case "setValue":
      return put(doc, "classifications", cmd.key, cmd.after ?? undefined);
    case "link":
      return put(doc, "relations", relationKey(cmd.relation.from_id, cmd.relation.to_id), cmd.relation);
    case "unlink":
      return put(doc, "relations", relationKey(cmd.relation.from_id, cmd.relation.to_id), undefined);
  }
}

export function inverse(cmd: Command): Command {
  switch (cmd.op) {
    case "addRegion":
      return { ...cmd, op: "deleteRegion" };
    case "deleteRegion":
      return { ...cmd, op: "addRegion" };
    case "updateRegion":
      return { op: "updateRegion", id: cmd.id, before: cmd.after, after: cmd.before };
    case "setValue":
      return { op: "setValue", key: cmd.key, before: cmd.after, after: cmd.before };
    case "link":
      return { op: "unlink", relation: cmd.relation };
    case "unlink":
      return { op: "link", relation: cmd.relation };
  }
}

export function touched(cmd: Command): Touched {
  switch (cmd.op) {
    case "addRegion":
    case "deleteRegion":
      return {
        regions: [cmd.region.id, ...cmd.relations.flatMap((r) => [r.from_id, r.to_id])],
        controls: [cmd.region.control, ...cmd.attached.map((c) => c.control)],
      };
    case "updateRegion":
      return { regions: [cmd.id], controls: [] };
    case "setValue": {
      const c = (cmd.after ?? cmd.before) as Classification;
      return { regions: c.region !== undefined ? [c.region] : [], controls: [c.control] };
    }
    case "link":
    case "unlink":
      return { regions: [cmd.relation.from_id, cmd.relation.to_id], controls: [] };
  }
}
