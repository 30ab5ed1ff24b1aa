// The text under a box on a PDF page (Label Studio's ocrtext), from pdf.js text content, as pure functions.
//
// pdf.js gives text as runs: a string, a transform (text space -> page space) and a width. Runs are placed
// on the page at scale 1 (page units, y down). A run is under the box when its middle line is (or the box
// covers half its height). A horizontal run is then cut into its characters, spread evenly over its width
// (pdf.js keeps no per-glyph positions), and a character is taken when its middle is inside the box; any
// other run is taken whole when its middle is. What is taken is put in reading order: lines top to bottom,
// pieces left to right, a space where pieces stand apart, a newline between lines.

type Matrix = readonly number[];

/** A run of text, in page units at scale 1 (y down). */
export interface TextRun {
  str: string;
  /** left edge, top, width and height of the run's box */
  x: number;
  y: number;
  width: number;
  height: number;
  /** true when the run reads left to right along x (its characters can be cut by x) */
  horizontal: boolean;
}

/** What pdf.js's getTextContent gives, as far as this module reads it. */
export interface TextItemLike {
  str?: unknown;
  transform?: unknown;
  width?: unknown;
  fontName?: unknown;
}

export interface TextStyleLike {
  ascent?: number;
  descent?: number;
  vertical?: boolean;
}

function multiply(m: Matrix, n: Matrix): number[] {
  const [a = 1, b = 0, c = 0, d = 1, e = 0, f = 0] = m;
  const [a2 = 1, b2 = 0, c2 = 0, d2 = 1, e2 = 0, f2 = 0] = n;
  return [a * a2 + c * b2, b * a2 + d * b2, a * c2 + c * d2, b * c2 + d * d2, a * e2 + c * f2 + e, b * e2 + d * f2 + f];
}

const isMatrix = (m: unknown): m is number[] => Array.isArray(m) && m.length === 6 && m.every((x) => typeof x === "number" && Number.isFinite(x));

/**
 * The runs of a page's text content; `viewportTransform` is the transform of the page's viewport at scale 1
 * (PDF space -> page units, y down).
 */
export function textRuns(items: readonly TextItemLike[], styles: Readonly<Record<string, TextStyleLike>>, viewportTransform: Matrix): TextRun[] {
  const runs: TextRun[] = [];
  for (const item of items) {
    if (typeof item.str !== "string" || !item.str.trim() || !isMatrix(item.transform)) continue;
    const m = multiply(viewportTransform, item.transform);
    const fontHeight = Math.hypot(m[2] as number, m[3] as number);
    if (!(fontHeight > 0)) continue;
    const style = typeof item.fontName === "string" ? styles[item.fontName] : undefined;
    const ascent = style?.ascent && style.ascent > 0 ? style.ascent : 0.8;
    const descent = style?.descent && style.descent < 0 ? style.descent : -0.2;
    const angle = Math.atan2(m[1] as number, m[0] as number);
    const width = typeof item.width === "number" && Number.isFinite(item.width) ? Math.abs(item.width) : 0;
    const left = m[4] as number;
    const baseline = m[5] as number;
    if (Math.abs(angle) < 1e-3 && !style?.vertical) {
      runs.push({ str: item.str, x: left, y: baseline - ascent * fontHeight, width, height: (ascent - descent) * fontHeight, horizontal: true });
    } else {
      // rotated or vertical text: its bounding box, taken whole
      const cos = Math.cos(angle);
      const sin = Math.sin(angle);
      const along = style?.vertical ? fontHeight : width;
      const pts = [
        [0, 0],
        [along, 0],
        [0, -ascent * fontHeight],
        [along, -ascent * fontHeight],
      ].map(([u = 0, v = 0]) => [left + u * cos - v * sin, baseline + u * sin + v * cos] as const);
      const xs = pts.map((p) => p[0]);
      const ys = pts.map((p) => p[1]);
      const x0 = Math.min(...xs);
      const y0 = Math.min(...ys);
      runs.push({ str: item.str, x: x0, y: y0, width: Math.max(...xs) - x0, height: Math.max(...ys) - y0, horizontal: false });
    }
  }
  return runs;
}

interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** A box value (percent of the page, rotation in degrees about its top-left corner) as a page-unit box. */
export function boxOnPage(value: Readonly<Record<string, unknown>>, page: { width: number; height: number }): Box | null {
  const n = (k: string) => (typeof value[k] === "number" && Number.isFinite(value[k]) ? (value[k] as number) : NaN);
  const x = (n("x") / 100) * page.width;
  const y = (n("y") / 100) * page.height;
  const w = (n("width") / 100) * page.width;
  const h = (n("height") / 100) * page.height;
  if (![x, y, w, h].every(Number.isFinite)) return null;
  const r = ((Number.isFinite(n("rotation")) ? n("rotation") : 0) * Math.PI) / 180;
  const cos = Math.cos(r);
  const sin = Math.sin(r);
  const pts = [
    [0, 0],
    [w, 0],
    [0, h],
    [w, h],
  ].map(([u = 0, v = 0]) => [x + u * cos - v * sin, y + u * sin + v * cos] as const);
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  return { x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) };
}

interface Piece {
  text: string;
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

/** The text of `runs` inside a box value on a page of that size; "" when there is none. */
export function textInBox(runs: readonly TextRun[], value: Readonly<Record<string, unknown>>, page: { width: number; height: number }): string {
  const box = boxOnPage(value, page);
  if (!box) return "";
  const pieces: Piece[] = [];
  for (const run of runs) {
    // a run is under the box when its middle line is, or when the box covers half its height
    const overlap = Math.min(box.y1, run.y + run.height) - Math.max(box.y0, run.y);
    const middle = run.y + run.height / 2;
    if (!(middle >= box.y0 && middle <= box.y1) && !(overlap > 0 && overlap >= run.height / 2)) continue;
    if (!run.horizontal) {
      const mid = run.x + run.width / 2;
      if (mid >= box.x0 && mid <= box.x1) pieces.push({ text: run.str, x0: run.x, x1: run.x + run.width, y0: run.y, y1: run.y + run.height });
      continue;
    }
    const chars = [...run.str];
    const step = run.width / Math.max(1, chars.length);
    let first = -1;
    let last = -1;
    chars.forEach((_, i) => {
      const mid = run.x + (i + 0.5) * step;
      if (mid >= box.x0 && mid <= box.x1) {
        if (first < 0) first = i;
        last = i;
      }
    });
    if (first < 0) continue;
    const text = chars.slice(first, last + 1).join("");
    if (!text.trim()) continue;
    pieces.push({ text, x0: run.x + first * step, x1: run.x + (last + 1) * step, y0: run.y, y1: run.y + run.height });
  }
  // lines: a piece whose middle lies within a line's height joins it
  const lines: { y0: number; y1: number; pieces: Piece[] }[] = [];
  for (const p of [...pieces].sort((a, b) => a.y0 - b.y0 || a.x0 - b.x0)) {
    const mid = (p.y0 + p.y1) / 2;
    const line = lines.find((l) => mid >= l.y0 && mid <= l.y1);
    if (line) line.pieces.push(p);
    else lines.push({ y0: p.y0, y1: p.y1, pieces: [p] });
  }
  return lines
    .sort((a, b) => a.y0 - b.y0)
    .map((line) => {
      const sorted = line.pieces.sort((a, b) => a.x0 - b.x0);
      let out = "";
      let end = -Infinity;
      for (const p of sorted) {
        const gap = p.x0 - end;
        if (out && gap > (p.y1 - p.y0) * 0.15 && !/\s$/.test(out) && !/^\s/.test(p.text)) out += " ";
        out += p.text;
        end = p.x1;
      }
      return out.trim();
    })
    .filter(Boolean)
    .join("\n");
}
