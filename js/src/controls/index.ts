// Control tags this version renders, by canonical tag name.

import type { ControlTag } from "../state/rules";
import { Choices } from "./choices";
import { DateTime } from "./datetime";
import { NumberTag } from "./number";
import { Pairwise } from "./pairwise";
import { Ranker } from "./ranker";
import { Rating } from "./rating";
import { Taxonomy } from "./taxonomy";
import { TextArea } from "./textarea";
import type { ControlDef } from "./types";

/** Exactly the tags state/rules.ts has rules for (the type says so): the editor and the renderer agree. */
export const CONTROLS: { readonly [T in ControlTag]: ControlDef } = {
  Choices,
  TextArea,
  Rating,
  Number: NumberTag,
  DateTime,
  Taxonomy,
  Pairwise,
  Ranker,
};

export function controlDef(tag: string | undefined): ControlDef | undefined {
  return tag !== undefined && Object.prototype.hasOwnProperty.call(CONTROLS, tag) ? CONTROLS[tag as ControlTag] : undefined;
}
