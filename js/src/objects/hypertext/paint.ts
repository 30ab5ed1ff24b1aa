// Spans drawn over a HyperText's characters, as on a <Text> (objects/text/Text.tsx): each piece of text under
// spans gets a fill in the innermost (or selected, hovered) span's colour and one line per span at its level
// below the text, so nested and overlapping spans stay legible; a tag with the label marks where each span
// starts. The document is the task's HTML, so the pieces are cut into its own text nodes: a fresh copy of the
// pristine document, each text node a span covers split at the spans' ends and wrapped. Tags are empty
// elements showing their label with CSS, so they add no text: offsets (offsets.ts) and what a selection
// reads stay the document's own.

import { layerStyle, type ShownSpan } from "../text/Text";
import { codePointCount } from "./dom";

/** Text nodes here are whitespace a table or list keeps between its parts: never wrapped (a box there would be a cell). */
const STRUCTURE = new Set(["TABLE", "THEAD", "TBODY", "TFOOT", "TR", "COLGROUP", "UL", "OL", "DL", "SELECT"]);

export interface Layers {
  levels: Map<string, number>;
  /** px under the text for the span lines */
  pad: number;
  selected: readonly string[];
  hover: string | null;
}

function setStyle(el: HTMLElement, style: Record<string, string>): void {
  for (const [k, v] of Object.entries(style)) {
    if (k.startsWith("--")) el.style.setProperty(k, v);
    else el.style.setProperty(k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`), v);
  }
}

/** Spans outermost first: the longer first, then the one that starts earlier. */
const outerFirst = (a: ShownSpan, b: ShownSpan) => b.end - b.start - (a.end - a.start) || a.start - b.start;

/**
 * Show `pristine` in `box` with `spans` drawn over it (global offsets, dom.ts). `tags`: mark where each span
 * starts with its label.
 */
export function paint(box: HTMLElement, pristine: DocumentFragment, spans: readonly ShownSpan[], tags: boolean): void {
  box.replaceChildren(document.importNode(pristine, true));
  const valid = spans.filter((s) => s.start < s.end);
  if (!valid.length) return;
  const texts: [Text, number][] = [];
  const walk = document.createTreeWalker(box, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
  let at = 0;
  for (let n = walk.nextNode(); n; n = walk.nextNode()) {
    if (n.nodeType === Node.TEXT_NODE) {
      texts.push([n as Text, at]);
      at += codePointCount((n as Text).data);
    } else if (n.nodeName === "BR") at += 1;
  }
  for (const [node, start] of texts) {
    const chars = [...node.data];
    const end = start + chars.length;
    const over = valid.filter((s) => s.start < end && s.end > start);
    if (!over.length) continue;
    const parent = node.parentElement;
    if (!parent || STRUCTURE.has(parent.nodeName) || parent.closest("[hidden]")) continue;
    const cuts = new Set([start, end]);
    for (const s of over) {
      if (s.start > start && s.start < end) cuts.add(s.start);
      if (s.end > start && s.end < end) cuts.add(s.end);
    }
    const points = [...cuts].sort((x, y) => x - y);
    const out = document.createDocumentFragment();
    for (let i = 0; i + 1 < points.length; i++) {
      const a = points[i] as number;
      const b = points[i + 1] as number;
      const text = document.createTextNode(chars.slice(a - start, b - start).join(""));
      const covering = over.filter((s) => s.start <= a && s.end >= b).sort(outerFirst);
      if (!covering.length) {
        out.append(text);
        continue;
      }
      if (tags) {
        // the spans that go on through this point draw their lines under the tags too
        const around = covering.filter((s) => s.start !== a);
        for (const s of covering) {
          if (s.start !== a) continue;
          const tag = document.createElement("span");
          tag.className = "lnb-ht-tag";
          tag.dataset.tag = s.id;
          tag.dataset.label = s.label;
          tag.setAttribute("aria-hidden", "true");
          tag.style.setProperty("--lnb-label-color", s.color);
          if (around.length) {
            const under = document.createElement("span");
            under.className = "lnb-span-under";
            under.dataset.spans = around.map((x) => x.id).join(" ");
            under.append(tag);
            out.append(under);
          } else out.append(tag);
          around.push(s);
        }
      }
      const piece = document.createElement("span");
      piece.className = "lnb-span";
      piece.dataset.spans = covering.map((s) => s.id).join(" ");
      piece.dataset.region = (covering[covering.length - 1] as ShownSpan).id;
      piece.dataset.g = String(a);
      piece.title = covering.map((s) => s.label).join(" · ");
      piece.append(text);
      out.append(piece);
    }
    node.replaceWith(out);
  }
}

/** Colour the pieces and tags for the current levels, selection and hover (cheap: no text node changes). */
export function restyle(box: HTMLElement, spans: readonly ShownSpan[], layers: Layers): void {
  const byId = new Map(spans.map((s) => [s.id, s]));
  const { levels, pad, selected, hover } = layers;
  for (const el of Array.from(box.querySelectorAll<HTMLElement>("[data-spans]"))) {
    const covering = (el.dataset.spans ?? "")
      .split(" ")
      .map((id) => byId.get(id))
      .filter((s): s is ShownSpan => s !== undefined);
    if (!covering.length) continue;
    const style = layerStyle(covering, levels, pad, selected, hover) as Record<string, string>;
    setStyle(el, style);
    if (el.classList.contains("lnb-span")) {
      el.classList.toggle("lnb-selected", covering.some((s) => selected.includes(s.id)));
      el.classList.toggle("lnb-hover", covering.some((s) => s.id === hover));
      const inner = covering[covering.length - 1] as ShownSpan;
      el.dataset.label = inner.label;
    }
  }
  for (const tag of Array.from(box.querySelectorAll<HTMLElement>("[data-tag]"))) {
    tag.classList.toggle("lnb-selected", selected.includes(tag.dataset.tag ?? ""));
  }
}
