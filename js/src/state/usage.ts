// Label Studio's maxUsages: how many regions of one task may carry a label (set on the Label, else on its
// control). Drawing a region and relabelling regions both respect it.

import type { AnnotationDoc } from "./document";
import type { ControlSpec } from "../schema/model";

/** The cap on regions of one task that carry `label` of this control, or null when there is none. */
export function usageLimit(spec: ControlSpec, label: string): number | null {
  const own = spec.labels?.find((l) => (l.label ?? l.value) === label);
  const limit = own?.max_usages ?? spec.max_usages ?? null;
  return typeof limit === "number" && limit > 0 ? limit : null;
}

/** Why `adding` more regions of control `name` cannot carry `label`, or null when they can. */
export function usageRefusal(doc: AnnotationDoc, name: string, spec: ControlSpec, label: string, adding = 1): string | null {
  const limit = usageLimit(spec, label);
  if (limit === null) return null;
  const used = Object.values(doc.regions).filter((r) => r.control === name && r.labels?.includes(label)).length;
  return used + adding > limit ? `“${label}” can be used ${limit === 1 ? "once" : `${limit} times`} per task.` : null;
}
