// Control tags this version renders, by canonical tag name.

import { Choices } from "./choices";
import { NumberTag } from "./number";
import { Rating } from "./rating";
import { TextArea } from "./textarea";
import type { ControlDef } from "./types";

export const CONTROLS: Readonly<Record<string, ControlDef>> = {
  Choices,
  TextArea,
  Rating,
  Number: NumberTag,
};

export function controlDef(tag: string | undefined): ControlDef | undefined {
  return tag !== undefined && Object.prototype.hasOwnProperty.call(CONTROLS, tag) ? CONTROLS[tag] : undefined;
}
