// <Markdown value="...">: Markdown from the config or the task data (`$field` tokens are read from it),
// rendered with `marked` (GitHub flavour) and put on the page only through the one sanitiser profile
// (../sanitize.ts): raw HTML in the Markdown is kept to harmless markup, links stay inert text, images
// only as data: rasters.

import { Marked } from "marked";
import { attr, interpolate } from "../config";
import { useLabel } from "../context";
import type { ViewNode } from "../protocol";
import { innerHtml } from "../sanitize";

// a private instance: no extension another caller of marked adds can reach this one
const markdown = new Marked({ gfm: true, breaks: false, async: false });

/** Markdown text -> HTML (not yet sanitised). */
export function renderMarkdown(text: string): string {
  return markdown.parse(text, { async: false });
}

export function Markdown({ node }: { node: ViewNode }) {
  const { data } = useLabel();
  const text = interpolate(attr(node, "value") ?? node.text ?? "", data);
  return <div class="lnb-markdown" data-markdown={attr(node, "name") ?? ""} dangerouslySetInnerHTML={innerHtml(renderMarkdown(text))} />;
}
