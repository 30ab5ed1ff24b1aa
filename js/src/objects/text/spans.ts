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

/** How many code points the text holds (a lone surrogate counts one, as the string iterator does). */
function codePointLength(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++, n++) if (isPair(text, i)) i++;
  return n;
}

/** A surrogate pair starts at UTF-16 index `i`. */
function isPair(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c < 0xd800 || c > 0xdbff) return false;
  const d = text.charCodeAt(i + 1);
  return d >= 0xdc00 && d <= 0xdfff;
}

/**
 * Cut the text at every span boundary (and at `cuts`); each piece lists the spans over it (longest first).
 * One sweep along the text: a long text with a thousand spans is cut in a few milliseconds.
 */
export function segments(text: string, spans: readonly SpanLike[], cuts: readonly number[] = []): Segment[] {
  const n = codePointLength(text);
  const valid = spans.filter((s) => Number.isInteger(s.start) && Number.isInteger(s.end) && s.start >= 0 && s.end <= n && s.start < s.end);
  const at = new Set<number>([0, n]);
  for (const s of valid) {
    at.add(s.start);
    at.add(s.end);
  }
  for (const c of cuts) if (Number.isInteger(c) && c > 0 && c < n) at.add(c);
  const points = [...at].sort((a, b) => a - b);
  // the spans in the order they begin; those begun and not yet ended cover the piece at hand (every end is a cut)
  const order = valid.map((s, i) => ({ s, i })).sort((a, b) => a.s.start - b.s.start);
  let next = 0;
  let open: { s: SpanLike; i: number }[] = [];
  const out: Segment[] = [];
  let unit = 0; // the UTF-16 index of code point `points[k]`
  let cp = 0;
  for (let k = 0; k + 1 < points.length; k++) {
    const start = points[k] as number;
    const end = points[k + 1] as number;
    while (next < order.length && (order[next] as { s: SpanLike }).s.start <= start) open.push(order[next++] as { s: SpanLike; i: number });
    open = open.filter((o) => o.s.end > start);
    const over = open
      .slice()
      .sort((a, b) => b.s.end - b.s.start - (a.s.end - a.s.start) || a.s.start - b.s.start || a.i - b.i)
      .map((o) => o.s.id);
    const from = unit;
    for (; cp < end; cp++) unit += isPair(text, unit) ? 2 : 1;
    out.push({ start, end, text: text.slice(from, unit), spans: over });
  }
  return out;
}

/** The code point offsets just after each "\n" of the text (where its lines begin, but the first). */
export function lineStarts(text: string): number[] {
  const out: number[] = [];
  let cp = 0;
  for (let i = 0; i < text.length; i++, cp++) {
    if (text.charCodeAt(i) === 10) out.push(cp + 1);
    else if (isPair(text, i)) i++;
  }
  return out;
}

/** The line starts (ascending) that no span runs across (one may begin or end there): where a text can be cut into blocks without cutting a span. */
export function freeLineStarts(starts: readonly number[], spans: readonly SpanLike[]): number[] {
  const order = spans.filter((s) => s.start < s.end).sort((a, b) => a.start - b.start);
  const out: number[] = [];
  let next = 0;
  let reach = -Infinity; // the furthest end of the spans begun before the line start at hand
  for (const p of starts) {
    while (next < order.length && (order[next] as SpanLike).start < p) reach = Math.max(reach, (order[next++] as SpanLike).end);
    if (reach <= p) out.push(p);
  }
  return out;
}

/** The span's text, as Label Studio stores it in value.text. */
export function spanText(text: string, start: number, end: number): string {
  const a = Math.max(0, start);
  return end <= a ? "" : text.slice(toUnit(text, a), toUnit(text, end));
}

// -- caret and selection units ---------------------------------------------------------------------------
// The keyboard caret stands between user-perceived characters (grapheme clusters, Intl.Segmenter): an
// emoji, a ZWJ family, a letter with its combining marks and "\r\n" are each one step, so a keyboard
// selection never splits one. Positions are code point offsets, like the spans'.
// Graphemes, words and sentences never run across a "\n" (Unicode's segmentation rules break after a line
// feed whatever comes before it), so each line of the text is segmented on its own, when first asked: a
// selection in a 100 KB text segments its line, not the whole text (~20 ms in Chrome, seconds in Node).

export type Granularity = "symbol" | "word" | "sentence" | "paragraph";

interface Piece {
  start: number;
  end: number;
  /** not whitespace: a word, a number, punctuation, an emoji */
  solid: boolean;
}

type Unit = "grapheme" | "word" | "sentence";

interface Analysis {
  /** where each line begins, in code points and in UTF-16 units (a line ends after its "\n") */
  lineCp: number[];
  lineUnit: number[];
  /** the text's length in code points */
  length: number;
  /** per line, its pieces of each unit (graphemes are pieces too), made when first asked */
  units: Record<Unit, Map<number, Piece[]>>;
  paragraphs?: Piece[];
}

const SPACE = /^\s+$/u;
let cached: { text: string; analysis: Analysis } | null = null;

function analysis(text: string): Analysis {
  if (cached?.text === text) return cached.analysis;
  const lineCp = [0];
  const lineUnit = [0];
  let cp = 0;
  for (let i = 0; i < text.length; i++, cp++) {
    if (text.charCodeAt(i) === 10) {
      lineCp.push(cp + 1);
      lineUnit.push(i + 1);
    } else if (isPair(text, i)) i++;
  }
  const result: Analysis = { lineCp, lineUnit, length: cp, units: { grapheme: new Map(), word: new Map(), sentence: new Map() } };
  cached = { text, analysis: result };
  return result;
}

/** The UTF-16 index of code point `pos` (the text's length past its end), counted from the start of its line. */
function toUnit(text: string, pos: number): number {
  const a = analysis(text);
  if (pos >= a.length) return text.length;
  const line = lineAt(a, pos);
  let unit = a.lineUnit[line] as number;
  for (let cp = a.lineCp[line] as number; cp < pos; cp++) unit += isPair(text, unit) ? 2 : 1;
  return unit;
}

/** The code point at `pos`. */
function charAt(text: string, pos: number): string {
  const i = toUnit(text, pos);
  return text.slice(i, isPair(text, i) ? i + 2 : i + 1);
}

/** The line that code point `pos` is on (a position just after a "\n" is on the next line). */
function lineAt(a: Analysis, pos: number): number {
  let lo = 0;
  let hi = a.lineCp.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((a.lineCp[mid] as number) <= pos) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The pieces of line `line` for `unit`, in code point offsets of the whole text. */
function lineUnits(text: string, a: Analysis, line: number, unit: Unit): Piece[] {
  const known = a.units[unit].get(line);
  if (known) return known;
  const from = a.lineUnit[line] as number;
  const to = line + 1 < a.lineUnit.length ? (a.lineUnit[line + 1] as number) : text.length;
  const out: Piece[] = [];
  let at = a.lineCp[line] as number;
  for (const { segment } of new Intl.Segmenter(undefined, { granularity: unit }).segment(text.slice(from, to))) {
    const size = codePointLength(segment);
    out.push({ start: at, end: at + size, solid: !SPACE.test(segment) });
    at += size;
  }
  a.units[unit].set(line, out);
  return out;
}

/** The piece of `unit` that holds code point `pos`, or undefined at the end of the text. */
function unitAt(text: string, pos: number, unit: Unit): Piece | undefined {
  const a = analysis(text);
  if (pos < 0 || pos >= a.length) return undefined;
  return lineUnits(text, a, lineAt(a, pos), unit).find((u) => u.start <= pos && pos < u.end);
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
  const a = analysis(text);
  const out = [0];
  for (let line = 0; line < a.lineCp.length; line++) for (const g of lineUnits(text, a, line, "grapheme")) out.push(g.end);
  return out;
}

/** The last grapheme boundary at or before `pos` (0 when none). */
function boundaryAtOrBefore(text: string, pos: number): number {
  if (pos <= 0) return 0;
  const g = unitAt(text, pos, "grapheme");
  return g ? g.start : analysis(text).length;
}

/** The first grapheme boundary at or after `pos` (the length when none). */
function boundaryAtOrAfter(text: string, pos: number): number {
  const n = analysis(text).length;
  if (pos <= 0) return 0;
  if (pos >= n) return n;
  const g = unitAt(text, pos, "grapheme") as Piece;
  return g.start === pos ? pos : g.end;
}

/** `pos` moved onto a grapheme boundary (the one at or before it). */
export function snapCaret(text: string, pos: number): number {
  return boundaryAtOrBefore(text, pos);
}

export type CaretStep = "grapheme" | "word" | "line";

/** The first solid word ending after `pos` (dir 1), or the last one starting before it (dir -1), if any. */
function nextWord(text: string, pos: number, dir: -1 | 1): Piece | undefined {
  const a = analysis(text);
  const first = lineAt(a, Math.min(Math.max(pos, 0), a.length));
  for (let line = first; line >= 0 && line < a.lineCp.length; line += dir) {
    const words = lineUnits(text, a, line, "word");
    if (dir > 0) {
      const hit = words.find((u) => u.solid && u.end > pos);
      if (hit) return hit;
      continue;
    }
    for (let k = words.length - 1; k >= 0; k--) {
      const u = words[k] as Piece;
      if (u.solid && u.start < pos) return u;
    }
  }
  return undefined;
}

/**
 * The caret moved one step from `pos` (dir -1: left, +1: right). A grapheme step passes one user-perceived
 * character; a word step goes to the end of the next word (right) or the start of the previous one (left),
 * punctuation and emoji being words of their own; a line step goes to the start or end of the line.
 */
export function moveCaret(text: string, pos: number, dir: -1 | 1, step: CaretStep = "grapheme"): number {
  const n = analysis(text).length;
  if (step === "grapheme") {
    if (dir > 0) return pos >= n ? n : boundaryAtOrAfter(text, pos + 1);
    return pos <= 0 ? 0 : boundaryAtOrBefore(text, pos - 1);
  }
  if (step === "line") {
    // the start or end of the line the caret is on (a caret just after a break is on the next line)
    const line = lines(text).find((u) => u.solid && u.start <= pos && pos <= u.end);
    return line ? (dir > 0 ? line.end : line.start) : pos;
  }
  const word = nextWord(text, pos, dir);
  return word ? (dir > 0 ? word.end : word.start) : dir > 0 ? n : 0;
}

/**
 * A new span's range as Label Studio makes it: never splitting a grapheme cluster, and with
 * granularity "word" (also "sentence", "paragraph") trimmed of whitespace at both ends and widened to the
 * whole words it touches (LSF:utils/selection-tools.js, which moves the browser's selection by word: the
 * same ICU word boundaries as Intl.Segmenter). null when nothing is left.
 */
export function snapSpan(text: string, start: number, end: number, granularity: Granularity | string | null | undefined = "symbol"): [number, number] | null {
  let a = boundaryAtOrBefore(text, Math.min(start, end));
  let b = boundaryAtOrAfter(text, Math.max(start, end));
  if (granularity !== "word" && granularity !== "sentence" && granularity !== "paragraph") return a < b ? [a, b] : null;
  const trim = (): void => {
    while (a < b && /\s/u.test(charAt(text, a))) a++;
    while (b > a && /\s/u.test(charAt(text, b - 1))) b--;
  };
  trim();
  if (a >= b) return null;
  const holding = (pos: number): Piece | undefined => (granularity === "paragraph" ? lines(text).find((u) => u.start <= pos && pos < u.end) : unitAt(text, pos, granularity));
  const first = holding(a);
  const last = holding(b - 1);
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
