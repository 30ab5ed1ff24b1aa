// <Rating> read from its analysed spec (schema/model.ts): the kernel parsed maxRating as Label Studio does
// (Number(), no clamp), so nothing here reads attribute text.

import type { ControlSpec } from "./model";

/** The number of stars: maxRating (a whole number >= 1, the kernel refuses others), 5 by default. */
export function maxRating(spec: ControlSpec): number {
  const n = spec.max_rating;
  return typeof n === "number" && Number.isInteger(n) && n >= 1 ? n : 5;
}

/** The rating after the hotkey: one more, wrapping to none after the maximum (Rating.jsx increaseValue). */
export function nextRating(current: number, max: number): number {
  return current >= max ? 0 : Math.max(0, Math.floor(current)) + 1;
}
