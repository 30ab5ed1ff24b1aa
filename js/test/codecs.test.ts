import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ResultItem } from "../src/protocol";
import { decode, encode } from "../src/state/codecs";

// real result lists: reference B.4/B.6/B.7 and the config fixtures
const B6: ResultItem[] = [
  { id: "r1", from_name: "box", to_name: "image", type: "rectanglelabels", origin: "manual", original_width: 600, original_height: 400, image_rotation: 0,
    value: { x: 10, y: 20, width: 30, height: 15, rotation: 0, rectanglelabels: ["Car"] } },
  { id: "r1", from_name: "note", to_name: "image", type: "textarea", value: { x: 10, y: 20, width: 30, height: 15, rotation: 0, text: ["red car"] } },
  { id: "s1", from_name: "ner", to_name: "text", type: "labels", value: { start: 5, end: 8, text: "Bob", labels: ["PER"] } },
  { from_id: "r1", to_id: "s1", type: "relation", direction: "right", labels: ["same"] },
];

const RICH: ResultItem[] = [
  ...B6,
  { id: "p1", from_name: "cls", to_name: "text", type: "choices", value: { choices: ["greeting"] }, origin: "prediction", score: 0.42 },
  { id: "e1", from_name: "tag", to_name: "img", type: "ellipselabels", value: { x: 50.4, y: 50.76, ellipselabels: ["Planet"], rotation: 0, radiusY: 10.67, radiusX: 13.33 },
    readonly: true, hidden: true, meta: { text: ["note"] }, item_index: 2, parentID: "r1", is_positive: true },
  { id: "k1", from_name: "kp", to_name: "img", type: "keypoint", value: { x: 1, y: 2, width: 0.5 }, score: 0.9, origin: "prediction-changed" },
  { id: "b1", from_name: "brush", to_name: "img", type: "brushlabels", value: { format: "rle", rle: [0, 1, 2, 255], brushlabels: ["Sky"] } },
  { id: "m1", from_name: "bits", to_name: "img", type: "bitmasklabels", value: { imageDataURL: "data:image/png;base64,iVBORw0KGgo=", bitmasklabels: ["Leaf"] } },
  { id: "v1", from_name: "vec", to_name: "img", type: "vectorlabels",
    value: { vertices: [{ x: 1, y: 2, id: "a" }, { x: 3, y: 4, id: "b", isBezier: true, prevPointId: "a" }], closed: false, vectorlabels: ["Road"] } },
  { id: "pg", from_name: "poly", to_name: "img", type: "polygon", value: { points: [[1, 2], [3, 4], [5, 6]], closed: true } },
  { id: "pg", from_name: "lab", to_name: "img", type: "labels", value: { points: [[1, 2], [3, 4], [5, 6]], closed: true, labels: ["Lake"] } },
  { from_name: "rank", to_name: "results", type: "ranker", value: { ranker: { best: ["mdn"], ads: ["blog"] } } },
  { id: "1vCqqolDxn", from_name: "ner", to_name: "text", type: "hypertextlabels",
    value: { startOffset: 0, endOffset: 7, start: "/div[1]/text()[1]", end: "/div[1]/text()[1]", text: "Michael", hypertextlabels: ["Person"] } },
  { from_name: "answer", id: "QH2yjxSYRV", to_name: "dialog", type: "textarea", value: { text: "5/5" } },
  { from_id: "e1", to_id: "k1", type: "relation", direction: "bi", value: {} },
  { id: "weird", type: "rectangle", value: "not an object" } as unknown as ResultItem,
  { id: "dup", from_name: "cls", to_name: "text", type: "choices", value: { choices: ["twice"] } },
  { id: "x", from_name: "rt", to_name: "t", type: "rating", value: { rating: 3 }, readonly: false, unknown_key: [1, { a: 2 }] },
];

function fixtures(): [string, ResultItem[]][] {
  const dir = join(__dirname, "..", "..", "tests", "fixtures", "configs", "valid");
  let files: string[] = [];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith(".json"));
  } catch {
    return [];
  }
  return files
    .map((f) => [f, (JSON.parse(readFileSync(join(dir, f), "utf8")) as { result?: ResultItem[] }).result ?? []] as [string, ResultItem[]])
    .filter(([, r]) => Array.isArray(r));
}

/** The encoded items with the ids decode gave (to items of `input` that had none) taken off again. */
function givenIdsOff(out: ResultItem[], input: readonly ResultItem[]): ResultItem[] {
  return out.map((it, i) => {
    if (Object.prototype.hasOwnProperty.call(input[i] ?? {}, "id")) return it;
    const { id: _id, ...rest } = it;
    return rest as ResultItem;
  });
}

describe("codecs", () => {
  it("decode then encode is the identity on a rich list (every field, same order), ids given aside", () => {
    const copy = JSON.parse(JSON.stringify(RICH)) as ResultItem[];
    const out = encode(decode(RICH));
    expect(givenIdsOff(out, RICH)).toStrictEqual(copy);
    expect(RICH).toStrictEqual(copy); // the input is untouched
    // only the ranker without an id got one
    expect(out.filter((it, i) => it.id !== RICH[i]?.id).map((it) => it.type)).toEqual(["ranker"]);
  });

  it("understands regions, perRegion results, generic labels and relations (B.4)", () => {
    const doc = decode(RICH);
    expect(Object.keys(doc.regions).sort()).toEqual(["1vCqqolDxn", "b1", "e1", "k1", "m1", "pg", "r1", "s1", "v1"]);
    expect(doc.regions.r1).toMatchObject({ kind: "rectangle", control: "box", object: "image", labels: ["Car"], labelsKey: "rectanglelabels",
      geometry: { x: 10, y: 20, width: 30, height: 15, rotation: 0 }, extra: { original_width: 600, original_height: 400, image_rotation: 0 } });
    expect(doc.regions.e1).toMatchObject({ kind: "ellipse", locked: true, hidden: true, item_index: 2, extra: { parentID: "r1", meta: { text: ["note"] } } });
    expect(doc.regions.k1).toMatchObject({ score: 0.9, origin: "prediction-changed" });
    expect(doc.regions.pg).toMatchObject({ kind: "polygon", type: "polygon" });
    expect(doc.regions.pg?.labels).toBeUndefined();
    expect(doc.classifications["lab#pg"]).toMatchObject({ type: "labels", value: { labels: ["Lake"] }, region: "pg" });
    expect(doc.classifications["note#r1"]).toMatchObject({ value: { text: ["red car"] }, region: "r1", rest: { x: 10 } });
    expect(doc.classifications.cls).toMatchObject({ origin: "prediction", value: { choices: ["greeting"] } });
    expect(Object.keys(doc.relations).sort()).toEqual(["e1>k1", "r1>s1"]);
    // a broken item and a second result of one control pass through; the ranker without an id is read
    expect(Object.values(doc.passthrough).map((p) => p.item.type)).toEqual(["rectangle", "choices"]);
    expect(doc.classifications.rank).toMatchObject({ type: "ranker", value: { ranker: { best: ["mdn"], ads: ["blog"] } } });
  });

  it("a perRegion result follows its region's geometry", () => {
    const doc = decode(B6);
    const r1 = doc.regions.r1!;
    const moved = { ...doc, regions: { ...doc.regions, r1: { ...r1, geometry: { ...r1.geometry, x: 42 } } } };
    const items = encode(moved);
    expect(items[0]?.value).toMatchObject({ x: 42, rectanglelabels: ["Car"] });
    expect(items[1]?.value).toEqual({ x: 42, y: 20, width: 30, height: 15, rotation: 0, text: ["red car"] });
  });

  const all = fixtures();
  it("finds the config fixtures", () => {
    expect(all.length).toBeGreaterThan(20);
  });
  for (const [name, result] of all) {
    it(`round trip of tests/fixtures/configs/valid/${name}`, () => {
      expect(givenIdsOff(encode(decode(result)), result)).toStrictEqual(JSON.parse(JSON.stringify(result)));
    });
  }

  it("decodes the fixtures' shapes into the document, not pass-through", () => {
    const byName = new Map(all);
    const perRegion = decode(byName.get("per_region_attributes.json") ?? []);
    expect(Object.keys(perRegion.regions)).toEqual(["reg1"]);
    expect(Object.keys(perRegion.classifications).sort()).toEqual(["colour#reg1", "doors#reg1", "plate#reg1"]);
    const tools = decode(byName.get("image_tools_generic_labels.json") ?? []);
    expect(Object.values(tools.regions).map((r) => r.kind).sort()).toEqual(["brush", "ellipse", "keypoint", "rectangle", "rectangle"]);
    expect(Object.keys(tools.passthrough)).toEqual([]);
  });
});

describe("items without an id (Label Studio's examples and docs, ML backends' predictions)", () => {
  // LSF examples ranker_buckets and pairwise (without its id), a bare prediction as the kernel wraps one,
  // a span an ML backend returned; a relation (never an id) and a broken item
  const IDLESS: ResultItem[] = [
    { from_name: "rank", to_name: "results", type: "ranker", value: { ranker: { best: ["mdn"], ads: ["blog"] } } },
    { from_name: "pw", to_name: "pw", type: "pairwise", value: { selected: "right" } },
    { from_name: "sentiment", to_name: "text", type: "choices", value: { choices: ["Positive"] }, id: null } as unknown as ResultItem,
    { from_name: "ner", to_name: "text", type: "labels", value: { start: 0, end: 3, text: "Bob", labels: ["PER"] }, score: 0.8 },
    { from_name: "ner", to_name: "text", type: "labels", value: { start: 0, end: 3, text: "Bob", labels: ["PER"] }, score: 0.8 },
    { id: "s1", from_name: "ner", to_name: "text", type: "labels", value: { start: 4, end: 7, labels: ["LOC"] } },
    { from_id: "s1", to_id: "s1", type: "relation", direction: "bi" },
    { from_name: "x", to_name: "t", type: "choices", value: "broken" } as unknown as ResultItem,
  ];

  it("are read into the document under a new id, as Label Studio's editor gives them one", () => {
    const doc = decode(IDLESS);
    expect(doc.classifications.rank).toMatchObject({ type: "ranker", value: { ranker: { best: ["mdn"], ads: ["blog"] } } });
    expect(doc.classifications.pw).toMatchObject({ type: "pairwise", value: { selected: "right" } });
    expect(doc.classifications.sentiment).toMatchObject({ type: "choices", value: { choices: ["Positive"] } });
    const spans = Object.values(doc.regions).filter((r) => r.kind === "span");
    expect(spans).toHaveLength(3); // the two alike are two regions
    expect(Object.values(doc.passthrough).map((p) => p.item)).toStrictEqual([IDLESS[7]]); // untouched, no id
    expect(Object.keys(doc.relations)).toEqual(["s1>s1"]);
  });

  it("are written with that id and otherwise as they came; the ids are new, distinct and the same every time", () => {
    const out = encode(decode(IDLESS));
    const ids = out.slice(0, 5).map((it) => it.id);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{10}$/);
    expect(new Set([...ids, "s1"]).size).toBe(6);
    for (const [i, it] of out.entries()) {
      const { id: _a, ...rest } = it;
      const { id: _b, ...was } = IDLESS[i] as ResultItem;
      expect(rest).toStrictEqual(was);
    }
    expect(out[6]).not.toHaveProperty("id");
    expect(out[7]).not.toHaveProperty("id");
    expect(encode(decode(IDLESS))).toStrictEqual(out); // decoding again gives the same ids
    expect(encode(decode(out))).toStrictEqual(out); // and once given, an id stays
  });

  it("never take an id the list already has", () => {
    const item = IDLESS[1] as ResultItem;
    const alone = encode(decode([item]))[0]?.id as string;
    // the id it would get is already a later item's: it gets another one, the later item keeps its own
    const clash = encode(decode([item, { id: alone, from_name: "c", to_name: "t", type: "rating", value: { rating: 1 } }]));
    expect(clash[0]?.id).toMatch(/^[A-Za-z0-9_-]{10}$/);
    expect(clash[0]?.id).not.toBe(alone);
    expect(clash[1]?.id).toBe(alone);
  });
});

describe("key order", () => {
  it("a region comes back as the same JSON, its keys and its value's keys in the order they came", () => {
    // Label Studio's examples/html_document result: "source" before "type", the offsets before the paths
    const item: ResultItem = {
      id: "1vCqqolDxn",
      from_name: "ner",
      to_name: "text",
      source: "$text",
      type: "hypertextlabels",
      value: {
        startOffset: 0,
        endOffset: 7,
        start: "/div[1]/table[1]/tbody[1]/tr[11]/td[3]/text()[1]",
        end: "/div[1]/table[1]/tbody[1]/tr[11]/td[3]/text()[1]",
        hypertextlabels: ["Person"],
        text: "Michael",
      },
    };
    const doc = decode([item]);
    expect(Object.keys(doc.regions)).toEqual(["1vCqqolDxn"]);
    expect(JSON.stringify(encode(doc))).toBe(JSON.stringify([item]));
  });
});

describe("decode with hostile ids", () => {
  it("keeps an id of __proto__ as an ordinary region, and decodes 3,000 regions in linear time", () => {
    const evil = { id: "__proto__", from_name: "box", to_name: "img", type: "rectangle", value: { x: 1, y: 2, width: 3, height: 4, rotation: 0 } };
    const ctor = { ...evil, id: "constructor" };
    const note = { id: "constructor", from_name: "n", to_name: "img", type: "textarea", value: { x: 1, y: 2, width: 3, height: 4, rotation: 0, text: ["x"] } };
    const doc = decode([evil, ctor, note]);
    expect(Object.getPrototypeOf(doc.regions)).toBe(Object.prototype);
    expect(Object.keys(doc.regions)).toEqual(["__proto__", "constructor"]);
    expect(Object.values(doc.classifications).map((c) => c.region)).toEqual(["constructor"]);
    expect(encode(doc)).toEqual([evil, ctor, note]);
    const many = Array.from({ length: 3000 }, (_, i) => ({ ...evil, id: `r${i}` }));
    expect(Object.keys(decode(many).regions)).toHaveLength(3000);
  });
});
