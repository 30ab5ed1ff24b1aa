import { describe, expect, it } from "vitest";
import type { ResultItem } from "../src/protocol";
import { phraseIndex, phrasesOf, pieceIn, selectionRange, spanPoints, spansInPhrase, speakerColor } from "../src/objects/paragraphs/phrases";
import { decode, encode } from "../src/state/codecs";

const PHRASES = ["Hello there, Bob.", "Hi 👋 Alice!", "How are you?"];

describe("paragraph spans: a selection as Label Studio's paragraphlabels value", () => {
  it("inside one phrase: phrase indexes as strings, offsets and the text", () => {
    const r = selectionRange(PHRASES, { phrase: 0, offset: 6 }, { phrase: 0, offset: 11 });
    expect(r).toStrictEqual({ start: "0", end: "0", startOffset: 6, endOffset: 11, text: "there" });
    // the ends given backwards make the same span
    expect(selectionRange(PHRASES, { phrase: 0, offset: 11 }, { phrase: 0, offset: 6 })).toStrictEqual(r);
  });

  it("across phrases: start in the first, end in the last, the pieces joined by newlines", () => {
    const r = selectionRange(PHRASES, { phrase: 0, offset: 13 }, { phrase: 2, offset: 3 });
    expect(r).toStrictEqual({ start: "0", end: "2", startOffset: 13, endOffset: 3, text: "Bob.\nHi 👋 Alice!\nHow" });
  });

  it("counts code points, so Python's phrase[startOffset:endOffset] is the text", () => {
    // "Hi 👋 Alice!": the emoji is one code point (two UTF-16 units), so "Alice" is [5, 10)
    const r = selectionRange(PHRASES, { phrase: 1, offset: 5 }, { phrase: 1, offset: 10 });
    expect(r).toMatchObject({ start: "1", end: "1", startOffset: 5, endOffset: 10, text: "Alice" });
    expect([...(PHRASES[1] as string)].slice(5, 10).join("")).toBe("Alice");
    expect(selectionRange(PHRASES, { phrase: 1, offset: 3 }, { phrase: 1, offset: 4 })?.text).toBe("👋");
  });

  it("moves a start at a phrase's end to the next phrase, an end at a phrase's start to the previous one", () => {
    const r = selectionRange(PHRASES, { phrase: 0, offset: 17 }, { phrase: 2, offset: 0 });
    expect(r).toStrictEqual({ start: "1", end: "1", startOffset: 0, endOffset: 11, text: "Hi 👋 Alice!" });
  });

  it("makes nothing of an empty or blank selection, and clamps points outside the phrases", () => {
    expect(selectionRange(PHRASES, { phrase: 0, offset: 3 }, { phrase: 0, offset: 3 })).toBeNull();
    expect(selectionRange(["a  b"], { phrase: 0, offset: 1 }, { phrase: 0, offset: 3 })).toBeNull();
    expect(selectionRange([], { phrase: 0, offset: 0 }, { phrase: 0, offset: 1 })).toBeNull();
    expect(selectionRange(PHRASES, { phrase: 2, offset: 8 }, { phrase: 9, offset: 99 })).toMatchObject({ start: "2", end: "2", startOffset: 8, endOffset: 12, text: "you?" });
  });

  it("reads stored spans back (indexes as strings or numbers) and cuts them per phrase", () => {
    expect(phraseIndex("2")).toBe(2);
    expect(phraseIndex(2)).toBe(2);
    expect(phraseIndex("²")).toBeNull();
    expect(phraseIndex(-1)).toBeNull();
    const pts = spanPoints(PHRASES, { start: "0", end: "2", startOffset: 13, endOffset: 3 });
    expect(pts).toStrictEqual([
      { phrase: 0, offset: 13 },
      { phrase: 2, offset: 3 },
    ]);
    expect(spanPoints(PHRASES, { start: "0", end: "3", startOffset: 0, endOffset: 1 })).toBeNull(); // no phrase 3
    expect(spanPoints(PHRASES, { start: "1", end: "0", startOffset: 0, endOffset: 1 })).toBeNull();
    const [from, to] = pts as NonNullable<typeof pts>;
    expect(pieceIn(PHRASES, 0, from, to)).toStrictEqual({ start: 13, end: 17 });
    expect(pieceIn(PHRASES, 1, from, to)).toStrictEqual({ start: 0, end: 11 });
    expect(pieceIn(PHRASES, 2, from, to)).toStrictEqual({ start: 0, end: 3 });
    expect(spansInPhrase(PHRASES, 1, [{ id: "s", from, to }]).map((s) => [s.id, s.start, s.end])).toStrictEqual([["s", 0, 11]]);
  });

  it("takes phrases by nameKey and textKey, as text only", () => {
    const phrases = phrasesOf([{ speaker: "Ann", line: "<b>hi</b>" }, { speaker: 3, line: { x: 1 } }, "junk"], "speaker", "line");
    expect(phrases).toStrictEqual([
      { author: "Ann", text: "<b>hi</b>" },
      { author: "3", text: "" },
      { author: "", text: "" },
    ]);
    expect(phrasesOf("not a list")).toBeNull();
    expect(speakerColor("Ann")).toBe(speakerColor("Ann"));
  });
});

describe("paragraphlabels items through the document", () => {
  const items: ResultItem[] = [
    // Label Studio's own example (strings for the phrase indexes, no text)
    { id: "ryzr4QdL93", from_name: "ner", to_name: "text", type: "paragraphlabels", value: { start: "2", end: "4", startOffset: 0, endOffset: 134, paragraphlabels: ["Important Stuff"] } },
    // numbers for the indexes, with the text, a prediction's score and origin
    {
      id: "p2",
      from_name: "ner",
      to_name: "text",
      type: "paragraphlabels",
      origin: "prediction",
      score: 0.5,
      value: { start: 0, end: 1, startOffset: 3, endOffset: 2, text: "lo there, Bob.\nHi", paragraphlabels: ["A", "B"] },
    },
    { id: "c1", from_name: "note", to_name: "text", type: "textarea", value: { start: "2", end: "4", startOffset: 0, endOffset: 134, text: ["per region"] } },
  ];

  it("decode then encode is the identity", () => {
    const copy = JSON.parse(JSON.stringify(items));
    const doc = decode(items);
    expect(Object.keys(doc.regions)).toStrictEqual(["ryzr4QdL93", "p2"]);
    expect(doc.regions.ryzr4QdL93).toMatchObject({ kind: "span", labelsKey: "paragraphlabels", labels: ["Important Stuff"], geometry: { start: "2", end: "4" } });
    expect(encode(doc)).toStrictEqual(copy);
  });
});
