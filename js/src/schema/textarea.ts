// <TextArea> read from its analysed spec (schema/model.ts).

import type { ControlSpec } from "./model";

/** TextArea rows: Label Studio's parseInt of `rows`, 1 by default. */
export function textareaRows(spec: ControlSpec): number {
  const rows = spec.rows;
  return typeof rows === "number" && Number.isInteger(rows) && rows >= 1 ? rows : 1;
}
