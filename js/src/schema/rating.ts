// The model of a <Rating> control read from its config node.

import { numAttr } from "../config";
import type { ViewNode } from "../protocol";

/** The number of stars: maxRating, 5 by default, kept to 1..20. */
export function maxRating(node: ViewNode): number {
  const n = Math.round(numAttr(node, "maxRating") ?? 5);
  return Math.min(Math.max(n, 1), 20);
}
