// Spans over the phrases of a <Paragraphs>, in Label Studio's paragraphlabels units (LSF:regions/
// ParagraphsRegion.js, tags/object/Paragraphs/HtxParagraphs.jsx captureDocumentSelection):
//   start, end            indexes of the first and last phrase, as strings ("0", "2")
//   startOffset           where the span starts inside phrase `start`
//   endOffset             where it ends inside phrase `end`
//   text                  the selected text, the phrases' pieces joined by "\n" (as a browser selection across
//                         the phrases' blocks reads), stored unless saveTextResult="no"
// Offsets count code points, like spans on <Text> (reference B.5), so Python's phrase[startOffset:endOffset]
// is the text. (Label Studio's Paragraphs counts the DOM's UTF-16 units here; the two agree on any text
// without characters beyond the Basic Multilingual Plane, such as emoji.)
// A selection that starts at the very end of a phrase starts at the beginning of the next one, and one that
// ends at the very beginning of a phrase ends at the end of the previous one, as in Label Studio.

import { codePoints, type SpanLike } from "../text/spans";

export interface PhrasePoint {
  /** the phrase's index */
  phrase: number;
  /** code points into the phrase's text */
  offset: number;
}

export interface ParagraphRange {
  start: string;
  end: string;
  startOffset: number;
  endOffset: number;
  text: string;
}

export interface Phrase {
  author: string;
  text: string;
}

/** A data value shown as text: strings as they are, numbers and booleans printed, anything else empty. */
function plain(v: unknown): string {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  return "";
}

/** The phrases of a Paragraphs value (a list of objects), with the author under nameKey and the text under textKey. */
export function phrasesOf(value: unknown, nameKey = "author", textKey = "text"): Phrase[] | null {
  if (!Array.isArray(value)) return null;
  return value.map((item) => {
    const o = typeof item === "object" && item !== null && !Array.isArray(item) ? (item as Record<string, unknown>) : {};
    return { author: plain(o[nameKey]), text: plain(o[textKey]) };
  });
}

/** A stored phrase index (a number, or a string of digits as Label Studio writes it), or null. */
export function phraseIndex(v: unknown): number | null {
  if (typeof v === "number") return Number.isInteger(v) && v >= 0 ? v : null;
  if (typeof v === "string" && /^[0-9]+$/.test(v)) return Number(v);
  return null;
}

const len = (text: string) => codePoints(text).length;

/** The text of the phrases between two points (in order), as Label Studio stores it. */
export function rangeText(phrases: readonly string[], from: PhrasePoint, to: PhrasePoint): string {
  const parts: string[] = [];
  for (let i = from.phrase; i <= to.phrase; i++) {
    const cps = codePoints(phrases[i] ?? "");
    const a = i === from.phrase ? from.offset : 0;
    const b = i === to.phrase ? to.offset : cps.length;
    parts.push(cps.slice(a, b).join(""));
  }
  return parts.join("\n");
}

/**
 * The paragraphlabels value of a selection between two points (in either order), or null when it holds no
 * text but whitespace. A start at the end of its phrase moves to the next phrase, an end at the start of
 * its phrase to the end of the previous one.
 */
export function selectionRange(phrases: readonly string[], a: PhrasePoint, b: PhrasePoint): ParagraphRange | null {
  const n = phrases.length;
  if (!n) return null;
  const clampPoint = (p: PhrasePoint): PhrasePoint => {
    const phrase = Math.min(Math.max(0, Math.floor(p.phrase)), n - 1);
    return { phrase, offset: Math.min(Math.max(0, Math.floor(p.offset)), len(phrases[phrase] ?? "")) };
  };
  let from = clampPoint(a);
  let to = clampPoint(b);
  if (from.phrase > to.phrase || (from.phrase === to.phrase && from.offset > to.offset)) [from, to] = [to, from];
  while (from.phrase < to.phrase && from.offset >= len(phrases[from.phrase] ?? "")) from = { phrase: from.phrase + 1, offset: 0 };
  while (to.phrase > from.phrase && to.offset === 0) to = { phrase: to.phrase - 1, offset: len(phrases[to.phrase - 1] ?? "") };
  if (from.phrase === to.phrase && from.offset >= to.offset) return null;
  const text = rangeText(phrases, from, to);
  if (!text.trim()) return null;
  return { start: String(from.phrase), end: String(to.phrase), startOffset: from.offset, endOffset: to.offset, text };
}

/** A stored span's ends as points, or null when they do not fit these phrases. */
export function spanPoints(phrases: readonly string[], geometry: Record<string, unknown>): [PhrasePoint, PhrasePoint] | null {
  const s = phraseIndex(geometry.start);
  const e = phraseIndex(geometry.end);
  if (s === null || e === null || e < s || e >= phrases.length) return null;
  const so = geometry.startOffset ?? 0;
  const eo = geometry.endOffset ?? len(phrases[e] ?? "");
  if (typeof so !== "number" || typeof eo !== "number" || !Number.isInteger(so) || !Number.isInteger(eo) || so < 0 || eo < 0) return null;
  const from = { phrase: s, offset: Math.min(so, len(phrases[s] ?? "")) };
  const to = { phrase: e, offset: Math.min(eo, len(phrases[e] ?? "")) };
  if (s === e && from.offset >= to.offset) return null;
  return [from, to];
}

/** The part of span [from, to) inside phrase `i` (code point offsets of that phrase), or null when none. */
export function pieceIn(phrases: readonly string[], i: number, from: PhrasePoint, to: PhrasePoint): { start: number; end: number } | null {
  if (i < from.phrase || i > to.phrase) return null;
  const start = i === from.phrase ? from.offset : 0;
  const end = i === to.phrase ? to.offset : len(phrases[i] ?? "");
  return start < end ? { start, end } : null;
}

/** The spans' pieces in phrase `i`, ready for text/spans.ts segments(). */
export function spansInPhrase<T extends { id: string; from: PhrasePoint; to: PhrasePoint }>(phrases: readonly string[], i: number, spans: readonly T[]): (SpanLike & { span: T })[] {
  const out: (SpanLike & { span: T })[] = [];
  for (const s of spans) {
    const piece = pieceIn(phrases, i, s.from, s.to);
    if (piece) out.push({ id: s.id, start: piece.start, end: piece.end, span: s });
  }
  return out;
}

// -- colours of the speakers in a dialogue -----------------------------------------------------------------

const SPEAKER_COLORS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22"];

/** A stable colour for a speaker's name (the same name, the same colour, in every task). */
export function speakerColor(name: string): string {
  let h = 2166136261;
  for (const c of name) {
    h ^= c.codePointAt(0) as number;
    h = Math.imul(h, 16777619) >>> 0;
  }
  return SPEAKER_COLORS[h % SPEAKER_COLORS.length] as string;
}
