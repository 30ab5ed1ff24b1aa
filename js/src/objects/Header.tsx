// <Header value="..." size="4">: a heading; `$field` tokens read the task data.

import { attr, interpolate, numAttr, boolAttr, parseStyle } from "../config";
import { useLabel } from "../context";
import type { ViewNode } from "../protocol";

export function Header({ node }: { node: ViewNode }) {
  const { data } = useLabel();
  const raw = attr(node, "value") ?? node.text ?? "";
  const text = interpolate(raw, data);
  const size = Math.min(Math.max(Math.round(numAttr(node, "size") ?? 4), 1), 6);
  const Tag = `h${size}` as "h1" | "h2" | "h3" | "h4" | "h5" | "h6";
  const cls = `lnb-header lnb-h${size}${boolAttr(node, "underline") ? " lnb-underline" : ""}`;
  return (
    <Tag class={cls} style={parseStyle(attr(node, "style"))}>
      {text}
    </Tag>
  );
}
