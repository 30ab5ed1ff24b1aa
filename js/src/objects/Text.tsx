// <Text name value="$field">: the task's text, shown as plain text (never parsed as HTML).

import { attr, asText, resolveValue } from "../config";
import { useLabel } from "../context";
import type { ViewNode } from "../protocol";
import { Unsupported } from "./Unsupported";

export function Text({ node }: { node: ViewNode }) {
  const { data } = useLabel();
  const name = attr(node, "name") ?? "";
  const valueAttr = attr(node, "value");
  const value = resolveValue(valueAttr, data);
  if ((attr(node, "valueType") ?? "text").toLowerCase() === "url") {
    return <Unsupported tag="Text" detail={`with valueType="url" is not supported in this version (${asText(value)})`} />;
  }
  if (value === undefined) {
    return (
      <div class="lnb-text lnb-missing" data-object={name}>
        This task has no “{valueAttr?.replace(/^\$/, "") ?? "value"}” field.
      </div>
    );
  }
  return (
    <div class="lnb-text" data-object={name}>
      {asText(value)}
    </div>
  );
}
