import { describe, expect, it } from "vitest";
import { freeLineStarts, graphemeBounds, lineStarts, moveCaret, segments, snapCaret, snapSpan, spanLevels, spanText, toCodePoint, type SpanLike } from "../src/objects/text/spans";
import { rng } from "./rng";

describe("text spans in code points", () => {
  it("counts an emoji, a ZWJ sequence and a combining mark by code points, and CRLF as two", () => {
    const text = "Hi 👋 Bob";
    expect(spanText(text, 5, 8)).toBe("Bob"); // reference B.6
    expect(toCodePoint(text, text.indexOf("Bob"))).toBe(5);
    const family = "a👨‍👩‍👧b"; // man ZWJ woman ZWJ girl: 5 code points
    expect(toCodePoint(family, family.length)).toBe(7);
    expect(spanText(family, 6, 7)).toBe("b");
    expect(spanText("e\u0301x", 2, 3)).toBe("x"); // e + combining acute
    expect(spanText("a\r\nb", 3, 4)).toBe("b");
  });

  it("cuts overlapping and nested spans into segments, longest span first", () => {
    const segs = segments("abcdefgh", [
      { id: "outer", start: 0, end: 8 },
      { id: "inner", start: 2, end: 4 },
      { id: "cross", start: 3, end: 6 },
    ]);
    expect(segs.map((s) => [s.text, s.spans])).toEqual([
      ["ab", ["outer"]],
      ["c", ["outer", "inner"]],
      ["d", ["outer", "cross", "inner"]],
      ["ef", ["outer", "cross"]],
      ["gh", ["outer"]],
    ]);
  });

  it("ignores spans that do not fit the text", () => {
    expect(segments("abc", [{ id: "x", start: 2, end: 9 }, { id: "y", start: 2, end: 2 }, { id: "z", start: -1, end: 1 }])).toEqual([
      { start: 0, end: 3, text: "abc", spans: [] },
    ]);
  });
});

describe("the caret moves by user-perceived character, in code points", () => {
  const emoji = "😀x"; // 😀 is 2 UTF-16 units, 1 code point
  const family = "a👨‍👩‍👧b"; // man ZWJ woman ZWJ girl: 5 code points, 1 grapheme
  const accent = "e\u0301x"; // e + combining acute: 2 code points, 1 grapheme
  const crlf = "a\r\nb"; // "\r\n": 2 code points, 1 grapheme (a line break)

  it("knows the grapheme boundaries", () => {
    expect(emoji.length).toBe(3);
    expect(graphemeBounds(emoji)).toEqual([0, 1, 2]);
    expect(graphemeBounds(family)).toEqual([0, 1, 6, 7]);
    expect(graphemeBounds(accent)).toEqual([0, 2, 3]);
    expect(graphemeBounds(crlf)).toEqual([0, 1, 3, 4]);
  });

  it("steps over a ZWJ family, a combining mark and CRLF in one press, both ways", () => {
    expect(moveCaret(family, 1, 1)).toBe(6);
    expect(moveCaret(family, 6, -1)).toBe(1);
    expect(moveCaret(family, 7, 1)).toBe(7);
    expect(moveCaret(family, 0, -1)).toBe(0);
    expect(moveCaret(accent, 0, 1)).toBe(2);
    expect(moveCaret(accent, 2, -1)).toBe(0);
    expect(moveCaret(crlf, 1, 1)).toBe(3);
    expect(moveCaret(crlf, 3, -1)).toBe(1);
    expect(moveCaret(emoji, 0, 1)).toBe(1);
    // a caret never stands inside a cluster: a position there snaps back to the cluster's start
    expect(snapCaret(family, 3)).toBe(1);
    expect(snapCaret(accent, 1)).toBe(0);
    expect(snapCaret(crlf, 2)).toBe(1);
  });

  it("moves by word: to the end of the next word, or the start of the previous one", () => {
    const text = "Hi 👋 Bob met e\u0301mile.";
    // Hi=0-2, 👋=3, Bob=5-8, met=9-12, émile=13-19, "."=19
    expect(moveCaret(text, 0, 1, "word")).toBe(2);
    expect(moveCaret(text, 2, 1, "word")).toBe(4); // the emoji is a stop of its own
    expect(moveCaret(text, 4, 1, "word")).toBe(8);
    expect(moveCaret(text, 12, 1, "word")).toBe(19);
    expect(moveCaret(text, 19, 1, "word")).toBe(20);
    expect(moveCaret(text, 20, 1, "word")).toBe(20);
    expect(moveCaret(text, 12, -1, "word")).toBe(9);
    expect(moveCaret(text, 10, -1, "word")).toBe(9);
    expect(moveCaret(text, 9, -1, "word")).toBe(5);
    expect(moveCaret(text, 1, -1, "word")).toBe(0);
    expect(spanText(text, 13, 19)).toBe("e\u0301mile");
  });

  it("moves to the ends of a line, CRLF or LF", () => {
    const text = "one\r\ntwo 😀\nthree";
    expect(moveCaret(text, 6, -1, "line")).toBe(5);
    expect(moveCaret(text, 6, 1, "line")).toBe(10);
    expect(moveCaret(text, 3, 1, "line")).toBe(3);
    expect(moveCaret(text, 12, 1, "line")).toBe(16);
    expect(moveCaret(text, 12, -1, "line")).toBe(11);
    expect(spanText(text, 5, 10)).toBe("two 😀");
  });
});

describe("a new span's range", () => {
  const text = "Hi 👋 Bob-Smith met e\u0301mile, o\u0301k?";

  it("never splits a grapheme cluster (symbol granularity)", () => {
    expect(snapSpan(text, 20, 21)).toEqual([19, 21]); // the combining mark alone takes its letter
    expect(spanText(text, 19, 21)).toBe("e\u0301");
    expect(snapSpan("a👨‍👩‍👧b", 2, 4)).toEqual([1, 6]);
    expect(snapSpan("a\r\nb", 2, 4)).toEqual([1, 4]);
    expect(snapSpan(text, 6, 8)).toEqual([6, 8]);
    expect(snapSpan(text, 8, 8)).toBeNull();
  });

  it('widens to whole words with granularity="word", trimming spaces first', () => {
    expect(spanText(text, ...(snapSpan(text, 6, 8, "word") as [number, number]))).toBe("Bob");
    expect(spanText(text, ...(snapSpan(text, 6, 11, "word") as [number, number]))).toBe("Bob-Smith");
    expect(spanText(text, ...(snapSpan(text, 14, 17, "word") as [number, number]))).toBe("met");
    expect(spanText(text, ...(snapSpan(text, 21, 24, "word") as [number, number]))).toBe("e\u0301mile");
    expect(spanText(text, ...(snapSpan(text, 28, 29, "word") as [number, number]))).toBe("o\u0301k");
    expect(snapSpan(text, 18, 19, "word")).toBeNull(); // only a space
    expect(snapSpan(text, 3, 4, "word")).toEqual([3, 4]); // an emoji is a word of its own
  });

  it("widens to sentences and lines too", () => {
    const doc = "First one. Second one!\r\nNext line";
    expect(spanText(doc, ...(snapSpan(doc, 13, 15, "sentence") as [number, number]))).toBe("Second one!");
    expect(spanText(doc, ...(snapSpan(doc, 2, 14, "paragraph") as [number, number]))).toBe("First one. Second one!");
    expect(spanText(doc, ...(snapSpan(doc, 26, 27, "paragraph") as [number, number]))).toBe("Next line");
  });
});

describe("span levels", () => {
  it("gives nested and overlapping spans lines of their own, kept along each span", () => {
    const levels = spanLevels([
      { id: "outer", start: 0, end: 20 },
      { id: "mid", start: 2, end: 12 },
      { id: "inner", start: 4, end: 8 },
      { id: "cross", start: 10, end: 25 },
      { id: "later", start: 21, end: 24 },
      { id: "apart", start: 30, end: 32 },
    ]);
    expect(Object.fromEntries(levels)).toEqual({ outer: 0, mid: 1, inner: 2, cross: 2, later: 0, apart: 0 });
  });
});

// -- long texts: the sweep and the line-by-line segmentation give what the plain definitions give -----------

/** A random text of words, line breaks (LF, CRLF, empty lines) and characters that are more than one unit or code point. */
function randomText(next: () => number, words: number): string {
  const parts = ["Bob", "met", "e\u0301mile", "👋", "👨\u200d👩\u200d👧", "🇳🇴🇸🇪", "Zu\u0308rich.", "ok?", "a-b", "𠜎", "1.5"];
  const gaps = [" ", " ", " ", ", ", "\n", "\r\n", "\n\n", ". "];
  let text = "";
  for (let i = 0; i < words; i++) text += (parts[Math.floor(next() * parts.length)] as string) + (gaps[Math.floor(next() * gaps.length)] as string);
  return text;
}

/** segments() as defined: every span tested against every piece. */
function plainSegments(text: string, spans: readonly SpanLike[], cuts: readonly number[]) {
  const cps = [...text];
  const valid = spans.filter((s) => s.start >= 0 && s.end <= cps.length && s.start < s.end);
  const points = [...new Set([0, cps.length, ...valid.flatMap((s) => [s.start, s.end]), ...cuts.filter((c) => c > 0 && c < cps.length)])].sort((a, b) => a - b);
  return points.slice(0, -1).map((start, i) => {
    const end = points[i + 1] as number;
    const over = valid.filter((s) => s.start <= start && s.end >= end).sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
    return { start, end, text: cps.slice(start, end).join(""), spans: over.map((s) => s.id) };
  });
}

describe("long texts", () => {
  it("cuts a text under many spans as the plain definition does", () => {
    const next = rng(8);
    for (let round = 0; round < 20; round++) {
      const text = randomText(next, 60);
      const n = [...text].length;
      const spans: SpanLike[] = [];
      for (let k = 0; k < 25; k++) {
        const a = Math.floor(next() * (n + 2)) - 1;
        spans.push({ id: `s${k}`, start: a, end: a + Math.floor(next() * 12) });
      }
      // two spans over the same range keep the order they were given in
      spans.push({ id: "twin-a", start: 3, end: 9 }, { id: "twin-b", start: 3, end: 9 });
      const cuts = [Math.floor(next() * n), ...lineStarts(text)];
      expect(segments(text, spans, cuts)).toEqual(plainSegments(text, spans, cuts));
      for (const s of spans) expect(spanText(text, s.start, s.end)).toBe([...text].slice(Math.max(0, s.start), s.end).join(""));
    }
  });

  it("finds where lines begin, in code points, and those no span runs across", () => {
    expect(lineStarts("a😀\nb\r\n\nc")).toEqual([3, 6, 7]);
    expect(lineStarts("no break")).toEqual([]);
    const starts = [10, 20, 30, 40];
    const spans = [
      { id: "a", start: 5, end: 25 }, // runs across 10 and 20
      { id: "b", start: 30, end: 35 }, // begins at 30
      { id: "c", start: 36, end: 40 }, // ends at 40
      { id: "empty", start: 38, end: 38 },
    ];
    expect(freeLineStarts(starts, spans)).toEqual([30, 40]);
    expect(freeLineStarts(starts, [])).toEqual(starts);
  });

  it("segments line by line as Intl.Segmenter does the whole text", () => {
    const next = rng(9);
    for (let round = 0; round < 10; round++) {
      const text = randomText(next, 40);
      const cpOf = (units: number) => [...text.slice(0, units)].length;
      const whole = (unit: "grapheme" | "word" | "sentence") =>
        [...new Intl.Segmenter(undefined, { granularity: unit }).segment(text)].map((s) => ({ start: cpOf(s.index), end: cpOf(s.index + s.segment.length), solid: !/^\s+$/u.test(s.segment) }));
      const graphemes = whole("grapheme");
      expect(graphemeBounds(text)).toEqual([0, ...graphemes.map((g) => g.end)]);
      const words = whole("word");
      const sentences = whole("sentence");
      const n = [...text].length;
      for (let pos = 0; pos <= n; pos++) {
        // the caret and the snapped span, from the whole text's segments
        const before = [0, ...graphemes.map((g) => g.end)].filter((b) => b <= pos).pop();
        expect(snapCaret(text, pos)).toBe(before);
        const right = words.find((u) => u.solid && u.end > pos);
        expect(moveCaret(text, pos, 1, "word")).toBe(right ? right.end : n);
        const left = words.filter((u) => u.solid && u.start < pos).pop();
        expect(moveCaret(text, pos, -1, "word")).toBe(left ? left.start : 0);
        const end = Math.min(n, pos + 1 + Math.floor(next() * 6));
        for (const [granularity, units] of [["word", words], ["sentence", sentences]] as const) {
          const cps = [...text];
          let a = pos;
          let b = end;
          const g = [0, ...graphemes.map((x) => x.end)];
          a = g.filter((x) => x <= a).pop() as number;
          b = g.find((x) => x >= b) as number;
          const trim = () => {
            while (a < b && /\s/u.test(cps[a] as string)) a++;
            while (b > a && /\s/u.test(cps[b - 1] as string)) b--;
          };
          trim();
          if (a >= b) {
            expect(snapSpan(text, pos, end, granularity)).toBeNull();
            continue;
          }
          a = (units.find((u) => u.start <= a && a < u.end) as { start: number }).start;
          b = (units.find((u) => u.start < b && b <= u.end) as { end: number }).end;
          trim();
          expect(snapSpan(text, pos, end, granularity)).toEqual(a < b ? [a, b] : null);
        }
      }
    }
  });
});
