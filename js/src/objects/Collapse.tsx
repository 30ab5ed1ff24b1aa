// <Collapse accordion bordered> with <Panel value="Title" open>: sections that open and close, as Label
// Studio's Collapse (closed unless `open`; with `accordion` one open at a time). The controls inside a
// closed panel keep their answers and their rules (required still counts).

import { useState } from "preact/hooks";
import { attr, boolAttr, children, interpolate } from "../config";
import { useLabel } from "../context";
import type { ViewNode } from "../protocol";

export function Collapse({ node }: { node: ViewNode }) {
  const { Node, data } = useLabel();
  const panels = children(node).filter((c) => c.tag === "Panel");
  const accordion = boolAttr(node, "accordion");
  const [open, setOpen] = useState<ReadonlySet<number>>(() => new Set(panels.flatMap((p, i) => (boolAttr(p, "open") ? [i] : []))));
  const flip = (i: number) => {
    const next = new Set(accordion ? [] : open);
    if (open.has(i)) next.delete(i);
    else next.add(i);
    setOpen(next);
  };
  return (
    <div class={`lnb-collapse${boolAttr(node, "bordered", true) ? " lnb-bordered" : ""}`} data-collapse={attr(node, "name") ?? ""}>
      {panels.map((panel, i) => {
        const isOpen = open.has(i);
        const title = interpolate(attr(panel, "value") ?? attr(panel, "name") ?? `Section ${i + 1}`, data);
        return (
          <section key={i} class="lnb-panel" data-panel={i} data-open={isOpen ? "true" : "false"}>
            <button type="button" class="lnb-panel-title" aria-expanded={isOpen} onClick={() => flip(i)}>
              <span aria-hidden="true">{isOpen ? "▾" : "▸"}</span> {title}
            </button>
            {isOpen && (
              <div class="lnb-panel-body">
                {children(panel).map((child, k) => (
                  <Node key={k} node={child} />
                ))}
              </div>
            )}
          </section>
        );
      })}
    </div>
  );
}
