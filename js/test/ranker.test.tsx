// @vitest-environment happy-dom
// <Ranker> on a <List>: Label Studio's board (columns, where items start, "_"), moves within a column and
// between buckets, a loaded result restored, and the buttons that do the same without a mouse.
import { act } from "preact/test-utils";
import { afterEach, describe, expect, it } from "vitest";
import type { ResultItem, TaskState } from "../src/protocol";
import { controlSpec } from "../src/schema/model";
import { listItems, moveItem, rankerBoard, rankerColumns, rankerItems } from "../src/schema/ranker";
import { defaultItems } from "../src/state/analysis";
import { decode, encode } from "../src/state/codecs";
import { rankerValue, readRanker } from "../src/state/results";
import { type FakeModel, traits } from "./fakeModel";
import { mountWidget, type Mounted } from "./mountWidget";
import { FIXTURES } from "./models.generated";

const fixture = (name: "ranker" | "rankerBuckets" | "rankerDefault") => {
  const { view, controls, data } = FIXTURES[name] as (typeof FIXTURES)[typeof name] & { data: Record<string, unknown> };
  const spec = controlSpec(controls, "rank")!;
  return { view, model: controls, data, spec, items: rankerItems(controls, spec, data) };
};

describe("Ranker board", () => {
  it("without buckets: one column named after the Ranker, every item in list order", () => {
    const { spec, items, model, view, data } = fixture("ranker");
    expect(rankerColumns(spec, "Search results")).toEqual([{ id: "rank", title: "Search results" }]);
    expect(rankerBoard(spec, items, null)).toEqual({ rank: ["blog", "mdn", "wiki", "so"] });
    // an untouched board is stored as it starts (Label Studio's beforeSend)
    expect(defaultItems(view, model, data, () => "r1")).toEqual([
      { id: "r1", from_name: "rank", to_name: "results", type: "ranker", value: { ranker: { rank: ["blog", "mdn", "wiki", "so"] } }, origin: "manual" },
    ]);
  });

  it("moves an item within its column", () => {
    const { spec, items } = fixture("ranker");
    const start = rankerBoard(spec, items, null);
    expect(moveItem(start, "wiki", "rank", "blog")).toEqual({ rank: ["wiki", "blog", "mdn", "so"] });
    expect(moveItem(start, "blog", "rank", null)).toEqual({ rank: ["mdn", "wiki", "so", "blog"] });
    expect(moveItem(start, "blog", "rank", "so")).toEqual({ rank: ["mdn", "wiki", "blog", "so"] });
    expect(moveItem(start, "mdn", "rank", "mdn")).toEqual({ rank: ["blog", "wiki", "so", "mdn"] });
  });

  it("with buckets: the list is column _ first, buckets after; moves fill the buckets and every column is stored", () => {
    const { spec, items, model, view, data } = fixture("rankerBuckets");
    expect(rankerColumns(spec, "Search results")).toEqual([
      { id: "_", title: "Search results" },
      { id: "best", title: "Best" },
      { id: "ads", title: "Paid" },
    ]);
    const start = rankerBoard(spec, items, null);
    expect(start).toEqual({ _: ["blog", "mdn", "wiki", "so"], best: [], ads: [] });
    expect(defaultItems(view, model, data, () => "r")[0]!.value).toEqual({ ranker: start });
    let board = moveItem(start, "mdn", "best", null);
    board = moveItem(board, "blog", "ads", null);
    board = moveItem(board, "so", "best", "mdn");
    expect(rankerValue(board)).toEqual({ ranker: { _: ["wiki"], best: ["so", "mdn"], ads: ["blog"] } });
    // and back into the list
    expect(moveItem(board, "blog", "_", "wiki")).toEqual({ _: ["blog", "wiki"], best: ["so", "mdn"], ads: [] });
  });

  it("with a default bucket: no _ column, the items start there; ids are strings in Label Studio's key order", () => {
    const { spec, items } = fixture("rankerDefault");
    expect(rankerColumns(spec, "")).toEqual([
      { id: "keep", title: "Keep" },
      { id: "drop", title: "Drop" },
    ]);
    // List.jsx keys the items by String(id); Object.keys puts integer-like keys first, ascending
    expect(Object.keys(items)).toEqual(["1", "3", "b"]);
    expect(rankerBoard(spec, items, null)).toEqual({ keep: ["1", "3", "b"], drop: [] });
  });

  it("decodes a stored result: the order comes back, items in no column go to the end of _, other keys stay", () => {
    const { spec, items } = fixture("rankerBuckets");
    const stored: ResultItem = {
      id: "Ab12Cd34Ef",
      from_name: "rank",
      to_name: "results",
      type: "ranker",
      value: { ranker: { best: ["wiki", "blog"], ads: ["so"] } },
      origin: "manual",
    };
    // the document keeps the item as it came, so it is submitted unchanged
    expect(encode(decode([stored]))).toEqual([stored]);
    const board = rankerBoard(spec, items, readRanker(stored));
    expect(board).toEqual({ _: ["mdn"], best: ["wiki", "blog"], ads: ["so"] });
    const ranked = fixture("ranker");
    const order = { ...stored, value: { ranker: { rank: ["so", "wiki", "mdn", "blog"] } } };
    expect(rankerBoard(ranked.spec, ranked.items, readRanker(order))).toEqual({ rank: ["so", "wiki", "mdn", "blog"] });
  });

  it("reads only arrays of objects as list items", () => {
    expect(listItems("not a list")).toEqual({});
    expect(Object.keys(listItems([{ id: "x" }, 5, null, [1], { id: 2 }]))).toEqual(["2", "x"]);
  });
});

describe("Ranker widget", () => {
  let el: HTMLElement;
  let model: FakeModel;
  let mounted: Mounted | null = null;

  function mount(name: "ranker" | "rankerBuckets", result: ResultItem[] = []) {
    const { data } = fixture(name);
    const task: TaskState = { id: 3, data, result, annotation_id: null, predictions: [], media: [], can_back: false };
    mounted = mountWidget({ ...traits(name), task, status: { done: 0, total: 1, empty: false, message: "", user: "u" } });
    ({ model, el } = mounted);
  }

  afterEach(() => {
    mounted?.unmount();
    mounted = null;
  });

  const column = (id: string) =>
    Array.from(el.querySelectorAll<HTMLElement>(`[data-column="${id}"] [data-item]`)).map((e) => e.dataset.item);
  const button = (item: string, move: string) => el.querySelector<HTMLButtonElement>(`[data-item="${item}"] [data-move="${move}"]`)!;
  const submitted = () => {
    act(() => el.querySelector<HTMLButtonElement>('[data-testid="submit"]')!.click());
    return model.sentOf("submit").at(-1)!.result as ResultItem[];
  };

  it("shows the items with title, body, sanitised html and id; the List itself shows nothing more", () => {
    mount("ranker");
    expect(column("rank")).toEqual(["blog", "mdn", "wiki", "so"]);
    expect(el.querySelectorAll("[data-list]")).toHaveLength(0);
    const mdn = el.querySelector('[data-item="mdn"]')!;
    expect(mdn.querySelector("h3")!.textContent).toBe("Arrow functions");
    const lines = Array.from(mdn.querySelectorAll("p"));
    expect(lines.map((p) => p.textContent)).toEqual(["A compact alternative.", "MDN!", "mdn"]);
    // (that the html loses its handler is checked in Chromium, tests/e2e/test_ranker.py: happy-dom's DOM is
    // not one DOMPurify can work on without the patches of sanitize.test.ts)
    expect(el.querySelector(".htx-ranker-column .htx-ranker-item")).not.toBeNull();
    expect(el.querySelector("[data-column=rank] h4")!.textContent).toBe("Search results");
  });

  it("moves items with the buttons and submits Label Studio's ranker value", () => {
    mount("ranker");
    expect(button("blog", "up").disabled).toBe(true);
    act(() => button("wiki", "up").click());
    act(() => button("wiki", "up").click());
    act(() => button("blog", "down").click());
    expect(column("rank")).toEqual(["wiki", "mdn", "blog", "so"]);
    // the focus stays on the moved item's button, so the keys go on moving it
    expect(document.activeElement).toBe(button("blog", "down"));
    expect(submitted()).toEqual([
      expect.objectContaining({ from_name: "rank", to_name: "results", type: "ranker", value: { ranker: { rank: ["wiki", "mdn", "blog", "so"] } } }),
    ]);
  });

  it("moves items between the list and buckets with the buttons", () => {
    mount("rankerBuckets");
    expect(button("mdn", "left").disabled).toBe(true);
    act(() => button("mdn", "right").click());
    act(() => button("blog", "right").click());
    act(() => button("blog", "right").click());
    expect(column("_")).toEqual(["wiki", "so"]);
    expect(column("best")).toEqual(["mdn"]);
    expect(column("ads")).toEqual(["blog"]);
    expect(submitted()[0]!.value).toEqual({ ranker: { _: ["wiki", "so"], best: ["mdn"], ads: ["blog"] } });
  });

  it("restores a loaded result and submits it unchanged", () => {
    const stored: ResultItem = {
      id: "Ab12Cd34Ef",
      from_name: "rank",
      to_name: "results",
      type: "ranker",
      value: { ranker: { best: ["wiki", "blog"], ads: ["so"] } },
      origin: "manual",
    };
    mount("rankerBuckets", [stored]);
    expect(column("_")).toEqual(["mdn"]);
    expect(column("best")).toEqual(["wiki", "blog"]);
    expect(column("ads")).toEqual(["so"]);
    expect(submitted()).toEqual([stored]);
  });
});
