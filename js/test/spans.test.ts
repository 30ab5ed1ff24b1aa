import { describe, expect, it } from "vitest";
import { graphemeBounds, moveCaret, segments, snapCaret, snapSpan, spanLevels, spanText, toCodePoint } from "../src/objects/text/spans";

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
