// <Style>: the config's CSS, applied to this widget only. The widget's root gets a scope of its own
// (data-lnb-scope) and every rule is put under it (./styleScope.ts); the CSS goes in as the <style>
// element's text, never as markup.

import { useLayoutEffect, useRef, useState } from "preact/hooks";
import type { ViewNode } from "../protocol";
import { scopeCss } from "./styleScope";

let scopes = 0;

/** The scope selector of the widget that holds `el`, giving its root a scope id when it has none. */
export function widgetScope(el: Element): string | null {
  const root = el.closest(".labelnb-root");
  if (!root) return null;
  let id = root.getAttribute("data-lnb-scope");
  if (!id) {
    scopes += 1;
    id = `s${scopes}`;
    root.setAttribute("data-lnb-scope", id);
  }
  return `.labelnb-root[data-lnb-scope="${id}"]`;
}

export function Style({ node }: { node: ViewNode }) {
  const ref = useRef<HTMLStyleElement>(null);
  const [css, setCss] = useState("");
  const source = typeof node.text === "string" ? node.text : "";
  useLayoutEffect(() => {
    const scope = ref.current ? widgetScope(ref.current) : null;
    setCss(scope ? scopeCss(source, scope) : "");
  }, [source]);
  return (
    <style ref={ref} data-config-style="">
      {css}
    </style>
  );
}
