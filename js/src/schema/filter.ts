// <Filter toName="labels-or-choices" minlength placeholder>: typing narrows the labels or choices of its
// target to those whose value contains the text (case-insensitive), as Label Studio's Filter tag does;
// below `minlength` characters (default 3) everything shows.

import type { ControlModel, FilterSpec } from "./model";

export const DEFAULT_MIN_LENGTH = 3;

/** The filter on control `name`, if a <Filter> targets it. */
export function filterFor(model: ControlModel, name: string): FilterSpec | undefined {
  return model.filters.find((f) => f.to_name.includes(name));
}

/** Does `value` pass the filter text `text`? */
export function passesFilter(spec: FilterSpec | undefined, text: string, value: string): boolean {
  if (!spec) return true;
  const min = spec.min_length ?? DEFAULT_MIN_LENGTH;
  if (text.length < min || text === "") return true;
  return value.toLowerCase().includes(text.toLowerCase());
}
