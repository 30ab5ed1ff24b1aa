// <View>: a block (or inline) container. Its `style` is parsed and filtered (no url(), no expression()).

import { attr, children, parseStyle } from "../config";
import { useLabel } from "../context";
import type { ViewNode } from "../protocol";

export function View({ node }: { node: ViewNode }) {
  const { Node } = useLabel();
  const style: Record<string, string> = parseStyle(attr(node, "style"));
  const inline = (attr(node, "display") ?? "").toLowerCase() === "inline";
  return (
    <div class={`lnb-view${inline ? " lnb-inline-view" : ""}`} style={style}>
      {children(node).map((child, i) => (
        <Node key={i} node={child} />
      ))}
    </div>
  );
}
