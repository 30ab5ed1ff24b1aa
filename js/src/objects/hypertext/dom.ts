// Label Studio's coordinates of a HyperText span, over the sanitised document (LSF:tags/object/RichText/
// domManager.ts, the only code path of Label Studio 1.22's editor):
//
// - global offsets count, in document order under the root, the code points of every text node (whitespace
//   between table rows too) and 1 for every <br>; nothing else counts;
// - a node's XPath names each step down from the root by its name ("text()" for a text node, the lower-case
//   tag otherwise) and its rank among the siblings of that name: /div[1]/table[1]/tbody[1]/tr[11]/td[3]/text()[1];
// - startOffset/endOffset are offsets into that text node's data in UTF-16 units, as a DOM Range counts
//   (Label Studio converts its code point positions back when it serialises).
//
// A stub the sanitiser put in place of an element it does not allow (sanitize.ts, sanitizeHyperText) is
// named by the element it stands for, so paths count the document Label Studio shows.
//
// The index is built once per document from the pristine tree (before any highlight splits a text node), as
// Label Studio builds its DomManager before it draws regions.

import { STUB_NAME, STUB_TAG } from "../../sanitize";

export interface TextBlock {
  node: Text;
  path: string;
  /** global offsets (code points) of the node's first character and just past its last */
  start: number;
  end: number;
}

export interface DomIndex {
  /** every text node, in document order */
  blocks: TextBlock[];
  /** XPath -> the text node there, or the global offset where the element there starts */
  byPath: Map<string, TextBlock | number>;
  /** the global offset past the last character */
  length: number;
}

/** A node's step name in an XPath. */
export function stepName(node: Node): string {
  if (node.nodeType === Node.TEXT_NODE) return "text()";
  if (node.nodeType === Node.ELEMENT_NODE) {
    const el = node as Element;
    const name = el.nodeName.toLowerCase();
    if (name === STUB_TAG) return el.getAttribute(STUB_NAME) || name;
    return name;
  }
  return node.nodeName.toLowerCase();
}

const isBr = (node: Node) => node.nodeType === Node.ELEMENT_NODE && node.nodeName === "BR";

export const codePointCount = (text: string): number => {
  let n = 0;
  for (const _ of text) n++;
  return n;
};

/** The index of the document under `root` (a fragment or an element; its own path is "/"). */
export function indexDom(root: Node): DomIndex {
  const blocks: TextBlock[] = [];
  const byPath = new Map<string, TextBlock | number>([["/", 0]]);
  let at = 0;
  const walk = (parent: Node, prefix: string): void => {
    const ranks = new Map<string, number>();
    for (let child = parent.firstChild; child; child = child.nextSibling) {
      const name = stepName(child);
      const rank = (ranks.get(name) ?? 0) + 1;
      ranks.set(name, rank);
      const path = `${prefix}/${name}[${rank}]`;
      if (child.nodeType === Node.TEXT_NODE) {
        const size = codePointCount((child as Text).data);
        const block = { node: child as Text, path, start: at, end: at + size };
        blocks.push(block);
        byPath.set(path, block);
        at += size;
      } else if (isBr(child)) {
        at += 1; // a line break counts as one character, and is no element a path can name
      } else {
        byPath.set(path, at);
        walk(child, path);
      }
    }
  };
  walk(root, "");
  return { blocks, byPath, length: at };
}

/**
 * The text node holding global offset `at`: the first with start <= at <= end whose `avoid` end is not
 * `at` ("end" for a span's start: not the node it ends; "start" for its end: not the node it starts).
 */
export function blockAt(index: DomIndex, at: number, avoid: "start" | "end"): TextBlock | undefined {
  const { blocks } = index;
  // the first block ending at or after `at` (ends only grow), then on while the rule says no
  let lo = 0;
  let hi = blocks.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((blocks[mid] as TextBlock).end < at) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < blocks.length; i++) {
    const b = blocks[i] as TextBlock;
    if (b.start > at) return undefined;
    if (b[avoid] !== at) return b;
  }
  return undefined;
}

/** UTF-16 offset into `block` of its `count`-th code point. */
function utf16Offset(block: TextBlock, count: number): number {
  let units = 0;
  let i = 0;
  for (const cp of block.node.data) {
    if (i++ >= count) break;
    units += cp.length;
  }
  return units;
}

/** The global offset of UTF-16 offset `units` into `block`, rounded up to the code point it falls in. */
function globalOffsetIn(block: TextBlock, units: number): number {
  if (units === 0) return block.start;
  let left = units;
  let i = 0;
  for (const cp of block.node.data) {
    left -= cp.length;
    i++;
    if (left <= 0) return block.start + i;
  }
  // past the node's end: Label Studio's lookup finds nothing and lands on the node's start
  return block.start;
}

export interface XPathRange {
  start: string;
  startOffset: number;
  end: string;
  endOffset: number;
}

/** [start, end) in global offsets -> Label Studio's XPaths and offsets; null where no text node holds them. */
export function toXPathRange(index: DomIndex, start: number, end: number): XPathRange | null {
  const a = blockAt(index, start, "end");
  const b = blockAt(index, end, "start");
  if (!a || !b) return null;
  return { start: a.path, startOffset: utf16Offset(a, start - a.start), end: b.path, endOffset: utf16Offset(b, end - b.start) };
}

/**
 * One end of a stored span -> its global offset. A path to an element stands for the first text node from
 * where the element starts; null when the path names nothing in this document.
 */
export function globalOffsetOf(index: DomIndex, path: string, offset: number): number | null {
  const hit = index.byPath.get(path);
  if (hit === undefined) return null;
  const block = typeof hit === "number" ? blockAt(index, hit, "end") : hit;
  return block ? globalOffsetIn(block, offset) : null;
}

const isOffset = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v >= 0;

/**
 * Where a stored span lies, in global offsets, as Label Studio finds it: by its XPaths first, and by its
 * globalOffsets when those name nothing here. Null when neither places it.
 */
export function spanRange(index: DomIndex, value: Record<string, unknown>): [number, number] | null {
  const { start, end, startOffset, endOffset, globalOffsets } = value;
  if (typeof start === "string" && typeof end === "string" && isOffset(startOffset) && isOffset(endOffset)) {
    const a = globalOffsetOf(index, start, startOffset);
    const b = globalOffsetOf(index, end, endOffset);
    if (a !== null && b !== null) return [a, b];
  }
  if (typeof globalOffsets === "object" && globalOffsets !== null) {
    const { start: a, end: b } = globalOffsets as Record<string, unknown>;
    if (isOffset(a) && isOffset(b) && b <= index.length) return [a, b];
  }
  return null;
}

/** The document's characters, one per global offset: the text nodes' code points, "\n" for each <br>. */
export function globalText(index: DomIndex): string {
  const parts: string[] = [];
  let at = 0;
  for (const b of index.blocks) {
    if (b.start > at) parts.push("\n".repeat(b.start - at));
    parts.push(b.node.data);
    at = b.end;
  }
  if (index.length > at) parts.push("\n".repeat(index.length - at));
  return parts.join("");
}
