// Spans over a text, in Label Studio's units: offsets count Unicode code points, not UTF-16 units
// (reference B.5), so Python's text[start:end] is the span's text. The DOM counts UTF-16 units; these pure
// helpers convert, and cut the text into segments where spans begin and end, so overlapping and nested
// spans each get their share of the text.

export interface SpanLike {
  id: string;
  start: number;
  end: number;
}

export interface Segment {
  /** code point offsets of this piece of the text */
  start: number;
  end: number;
  text: string;
  /** the spans covering it, outermost (longest) first */
  spans: string[];
}

/** The text's code points (each an index of Label Studio's offsets). */
export function codePoints(text: string): string[] {
  return [...text];
}

/** UTF-16 offset -> code point offset within `text`. */
export function toCodePoint(text: string, utf16: number): number {
  return [...text.slice(0, Math.max(0, utf16))].length;
}

/** Cut the text at every span boundary (and at `cuts`); each piece lists the spans over it (longest first). */
export function segments(text: string, spans: readonly SpanLike[], cuts: readonly number[] = []): Segment[] {
  const cps = codePoints(text);
  const n = cps.length;
  const valid = spans.filter((s) => Number.isInteger(s.start) && Number.isInteger(s.end) && s.start >= 0 && s.end <= n && s.start < s.end);
  const at = new Set<number>([0, n]);
  for (const s of valid) {
    at.add(s.start);
    at.add(s.end);
  }
  for (const c of cuts) if (Number.isInteger(c) && c > 0 && c < n) at.add(c);
  const points = [...at].sort((a, b) => a - b);
  const out: Segment[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const start = points[i] as number;
    const end = points[i + 1] as number;
    const over = valid
      .filter((s) => s.start <= start && s.end >= end)
      .sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start)
      .map((s) => s.id);
    out.push({ start, end, text: cps.slice(start, end).join(""), spans: over });
  }
  return out;
}

/** The span's text, as Label Studio stores it in value.text. */
export function spanText(text: string, start: number, end: number): string {
  return codePoints(text).slice(start, end).join("");
}

// -- caret and selection units ---------------------------------------------------------------------------
// The keyboard caret stands between user-perceived characters (grapheme clusters, Intl.Segmenter): an
// emoji, a ZWJ family, a letter with its combining marks and "\r\n" are each one step, so a keyboard
// selection never splits one. Positions are code point offsets, like the spans'.

export type Granularity = "symbol" | "word" | "sentence" | "paragraph";

interface Piece {
  start: number;
  end: number;
  /** not whitespace: a word, a number, punctuation, an emoji */
  solid: boolean;
}

interface Analysis {
  /** code point offsets where grapheme clusters begin, and the text's length at the end */
  graphemes: number[];
  words?: Piece[];
  sentences?: Piece[];
  paragraphs?: Piece[];
}

const SPACE = /^\s+$/u;
let cached: { text: string; analysis: Analysis } | null = null;

function analysis(text: string): Analysis {
  if (cached?.text === text) return cached.analysis;
  const graphemes: number[] = [0];
  let at = 0;
  for (const { segment } of new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(text)) {
    at += codePoints(segment).length;
    graphemes.push(at);
  }
  const result: Analysis = { graphemes };
  cached = { text, analysis: result };
  return result;
}

function pieces(text: string, unit: "word" | "sentence"): Piece[] {
  const a = analysis(text);
  const key = unit === "word" ? "words" : "sentences";
  const known = a[key];
  if (known) return known;
  const out: Piece[] = [];
  let at = 0;
  for (const { segment } of new Intl.Segmenter(undefined, { granularity: unit }).segment(text)) {
    const size = codePoints(segment).length;
    out.push({ start: at, end: at + size, solid: !SPACE.test(segment) });
    at += size;
  }
  a[key] = out;
  return out;
}

function lines(text: string): Piece[] {
  const a = analysis(text);
  if (a.paragraphs) return a.paragraphs;
  const out: Piece[] = [];
  const cps = codePoints(text);
  let start = 0;
  for (let i = 0; i <= cps.length; i++) {
    const c = cps[i];
    if (i < cps.length && c !== "\n" && c !== "\r") continue;
    if (i > start) out.push({ start, end: i, solid: true });
    // "\r\n" is one break
    const br = c === "\r" && cps[i + 1] === "\n" ? 2 : 1;
    if (i < cps.length) out.push({ start: i, end: i + br, solid: false });
    i += br - 1;
    start = i + 1;
  }
  a.paragraphs = out;
  return out;
}

/** The grapheme cluster boundaries of the text, in code points (0 first, the length last). */
export function graphemeBounds(text: string): readonly number[] {
  return analysis(text).graphemes;
}

/** The last boundary at or before `pos` (0 when none). */
function boundaryAtOrBefore(bounds: readonly number[], pos: number): number {
  let lo = 0;
  let hi = bounds.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((bounds[mid] as number) <= pos) lo = mid;
    else hi = mid - 1;
  }
  return bounds[lo] as number;
}

/** The first boundary at or after `pos` (the length when none). */
function boundaryAtOrAfter(bounds: readonly number[], pos: number): number {
  let lo = 0;
  let hi = bounds.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((bounds[mid] as number) >= pos) hi = mid;
    else lo = mid + 1;
  }
  return bounds[lo] as number;
}

/** `pos` moved onto a grapheme boundary (the one at or before it). */
export function snapCaret(text: string, pos: number): number {
  return boundaryAtOrBefore(graphemeBounds(text), pos);
}

export type CaretStep = "grapheme" | "word" | "line";

/**
 * The caret moved one step from `pos` (dir -1: left, +1: right). A grapheme step passes one user-perceived
 * character; a word step goes to the end of the next word (right) or the start of the previous one (left),
 * punctuation and emoji being words of their own; a line step goes to the start or end of the line.
 */
export function moveCaret(text: string, pos: number, dir: -1 | 1, step: CaretStep = "grapheme"): number {
  const bounds = graphemeBounds(text);
  const n = bounds[bounds.length - 1] as number;
  if (step === "grapheme") {
    if (dir > 0) return pos >= n ? n : boundaryAtOrAfter(bounds, pos + 1);
    return pos <= 0 ? 0 : boundaryAtOrBefore(bounds, pos - 1);
  }
  if (step === "line") {
    // the start or end of the line the caret is on (a caret just after a break is on the next line)
    const line = lines(text).find((u) => u.solid && u.start <= pos && pos <= u.end);
    return line ? (dir > 0 ? line.end : line.start) : pos;
  }
  const units = pieces(text, "word");
  if (dir > 0) {
    const next = units.find((u) => u.solid && u.end > pos);
    return next ? next.end : n;
  }
  let prev: Piece | undefined;
  for (const u of units) {
    if (u.start >= pos) break;
    if (u.solid) prev = u;
  }
  return prev ? prev.start : 0;
}

/**
 * A new span's range as Label Studio makes it: never splitting a grapheme cluster, and with
 * granularity "word" (also "sentence", "paragraph") trimmed of whitespace at both ends and widened to the
 * whole words it touches (LSF:utils/selection-tools.js, which moves the browser's selection by word: the
 * same ICU word boundaries as Intl.Segmenter). null when nothing is left.
 */
export function snapSpan(text: string, start: number, end: number, granularity: Granularity | string | null | undefined = "symbol"): [number, number] | null {
  const bounds = graphemeBounds(text);
  let a = boundaryAtOrBefore(bounds, Math.min(start, end));
  let b = boundaryAtOrAfter(bounds, Math.max(start, end));
  if (granularity !== "word" && granularity !== "sentence" && granularity !== "paragraph") return a < b ? [a, b] : null;
  const units = granularity === "paragraph" ? lines(text) : pieces(text, granularity);
  const cps = codePoints(text);
  const trim = (): void => {
    while (a < b && /\s/u.test(cps[a] as string)) a++;
    while (b > a && /\s/u.test(cps[b - 1] as string)) b--;
  };
  trim();
  if (a >= b) return null;
  const first = units.find((u) => u.start <= a && a < u.end);
  const last = units.find((u) => u.start < b && b <= u.end);
  if (first) a = first.start;
  if (last) b = last.end;
  trim();
  return a < b ? [a, b] : null;
}

/**
 * A line (level) for each span, so that spans sharing any text get different levels and a span keeps its
 * level along its whole length: longer spans first where they start together, so an outer span lies
 * nearer the text than the ones nested in it. Level 0 is nearest the text.
 */
export function spanLevels(spans: readonly SpanLike[]): Map<string, number> {
  const order = [...spans].sort((a, b) => a.start - b.start || b.end - a.end || (a.id < b.id ? -1 : 1));
  const levels = new Map<string, number>();
  /** the end of the last span on each level */
  const ends: number[] = [];
  for (const s of order) {
    let level = ends.findIndex((end) => end <= s.start);
    if (level < 0) level = ends.length;
    ends[level] = s.end;
    levels.set(s.id, level);
  }
  return levels;
}
