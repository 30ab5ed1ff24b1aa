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

/** Cut the text at every span boundary; each piece lists the spans over it (longest first). */
export function segments(text: string, spans: readonly SpanLike[]): Segment[] {
  const cps = codePoints(text);
  const n = cps.length;
  const valid = spans.filter((s) => Number.isInteger(s.start) && Number.isInteger(s.end) && s.start >= 0 && s.end <= n && s.start < s.end);
  const cuts = new Set<number>([0, n]);
  for (const s of valid) {
    cuts.add(s.start);
    cuts.add(s.end);
  }
  const points = [...cuts].sort((a, b) => a - b);
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
