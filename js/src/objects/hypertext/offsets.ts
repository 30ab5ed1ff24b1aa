// Global offsets (dom.ts) in the document as shown: highlights split its text nodes and add tags, but the tags
// hold no text and the pieces keep every character in order, so counting the shown text nodes' code points
// and <br>s gives the offsets of the pristine document. A browser selection becomes a span here the way
// Label Studio turns one into a region (LSF:utils/selection-tools.js): its ends are first moved onto text
// (fixRange: off element boundaries, off whitespace-only nodes and off the end of a node), then counted.

import { codePointCount } from "./dom";

const isText = (n: Node | null): n is Text => !!n && n.nodeType === Node.TEXT_NODE;
const isBr = (n: Node) => n.nodeType === Node.ELEMENT_NODE && n.nodeName === "BR";
const blank = (t: Text) => /^\s*$/.test(t.data);

/** The text nodes and <br>s under `root`, in document order. */
function* textAndBreaks(root: Node): Generator<Node> {
  const walk = (root.ownerDocument ?? document).createTreeWalker(root, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
  for (let n = walk.nextNode(); n; n = walk.nextNode()) if (isText(n) || isBr(n)) yield n;
}

/** A boundary point, as a DOM Range has them. */
export interface Point {
  node: Node;
  offset: number;
}

function before(a: Point, node: Node): boolean {
  const r = (node.ownerDocument ?? document).createRange();
  r.setStart(a.node, a.offset);
  // the node starts before the point
  return r.comparePoint(node, 0) < 0;
}

/** The global offset of a boundary point under `root`. */
export function globalAt(root: Node, point: Point): number {
  let at = 0;
  for (const n of textAndBreaks(root)) {
    if (n === point.node) return at + codePointCount((n as Text).data.slice(0, point.offset));
    if (!before(point, n)) break;
    at += isText(n) ? codePointCount(n.data) : 1;
  }
  return at;
}

/**
 * The text position at global offset `at` under `root`. `side` "start" takes the node `at` starts rather than
 * the one it ends (for the start of a span), "end" the other way round.
 */
export function pointAt(root: Node, at: number, side: "start" | "end"): Point | null {
  let pos = 0;
  let last: Point | null = null;
  for (const n of textAndBreaks(root)) {
    if (!isText(n)) {
      pos += 1;
      continue;
    }
    const size = codePointCount(n.data);
    const inside = side === "start" ? at >= pos && at < pos + size : at > pos && at <= pos + size;
    if (inside) {
      const units = [...n.data].slice(0, at - pos).join("").length;
      return { node: n, offset: units };
    }
    pos += size;
    last = { node: n, offset: n.data.length };
  }
  return at === 0 || (last && at >= pos) ? last : null;
}

/** The text nodes under `root` that begin at or after a boundary point (forward), or that end at or before it, last first. */
function textsFrom(root: Node, point: Point, forward: boolean): Text[] {
  const at = (point.node.ownerDocument ?? document).createRange();
  at.setStart(point.node, point.offset);
  const out: Text[] = [];
  for (const n of textAndBreaks(root)) {
    if (!isText(n)) continue;
    if (forward ? at.comparePoint(n, 0) >= 0 : at.comparePoint(n, n.data.length) <= 0) out.push(n);
  }
  return forward ? out : out.reverse();
}

/**
 * A selection's ends moved onto text as Label Studio does before it makes a region: a start on an element
 * boundary goes to the first text after it, a start at the end of its node or in a whitespace-only node to
 * the start of the next node with more than whitespace; an end on an element boundary goes to the end of
 * the last node with more than whitespace before it. Null when there is no such text.
 */
export function fixRange(range: Range): [Point, Point] | null {
  // as Label Studio, look for text inside the selection's common ancestor only
  const root = range.commonAncestorContainer;
  let start: Point = { node: range.startContainer, offset: range.startOffset };
  if (!isText(start.node)) {
    const first = textsFrom(root, start, true)[0];
    if (!first) return null;
    start = { node: first, offset: 0 };
  }
  const startText = start.node as Text;
  if (startText.data.length === start.offset || blank(startText)) {
    const next = textsFrom(root, { node: startText, offset: startText.data.length }, true).find((t) => t !== startText && !blank(t));
    if (!next) return null;
    start = { node: next, offset: 0 };
  }
  let end: Point = { node: range.endContainer, offset: range.endOffset };
  if (!isText(end.node)) {
    const last = textsFrom(root, end, false).find((t) => !blank(t));
    if (!last) return null;
    end = { node: last, offset: last.data.length };
  }
  const after = (start.node.ownerDocument ?? document).createRange();
  after.setStart(start.node, start.offset);
  if (after.comparePoint(end.node, end.offset) <= 0) return null; // nothing left between them
  return [start, end];
}

/**
 * What a browser's selection of [start, end) reads (its toString(): rendered text, with line breaks where
 * blocks and <br>s break lines), line breaks written "\n" as two characters, as Label Studio stores a span's
 * text. The page's own selection is put back afterwards.
 */
export function selectionText(root: Node, start: number, end: number): string {
  const a = pointAt(root, start, "start");
  const b = pointAt(root, end, "end");
  if (!a || !b) return "";
  const sel = window.getSelection();
  if (!sel) return "";
  const saved = Array.from({ length: sel.rangeCount }, (_, i) => sel.getRangeAt(i));
  const range = (root.ownerDocument ?? document).createRange();
  range.setStart(a.node, a.offset);
  range.setEnd(b.node, b.offset);
  sel.removeAllRanges();
  sel.addRange(range);
  const text = sel.toString();
  sel.removeAllRanges();
  for (const r of saved) sel.addRange(r);
  return escapeBreaks(text);
}

/** Line breaks as Label Studio writes them into a span's text: "\n" spelled with a backslash. */
export function escapeBreaks(text: string): string {
  return text.replace(/[\n\r]/g, "\\n");
}
