import { describe, expect, it } from "vitest";
import { segments, spanText, toCodePoint } from "../src/objects/text/spans";

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
