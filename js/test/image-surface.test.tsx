// @vitest-environment happy-dom
// What the image surface does between the browser and the tools: it counts double clicks itself (Chromium's
// pointerdown has detail 0), and a brush region's canvas is painted whenever it is shown, not only when
// its mask changes (hidden and shown again, or given back by a cancelled stroke). And the score the region
// list shows, wherever Label Studio's result keeps it.
import { render } from "preact";
import { act } from "preact/test-utils";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createMask, maskToRle, paintStroke } from "../src/controls/shapes/brush/mask";
import { Editor } from "../src/editor";
import { BrushLayer } from "../src/objects/image/brush";
import { countPress, MULTI_CLICK_MS, type Press } from "../src/objects/image/clicks";
import { PreviewStore } from "../src/objects/image/preview";
import { RegionList, regionScore, ROW_PX, rowWindow, WINDOW_FROM } from "../src/panels/RegionList";
import { Annotation } from "../src/state/annotation";
import { decode } from "../src/state/codecs";

describe("counting presses", () => {
  const press = (prev: Press | null, t: number, x = 10, y = 10, button = 0, detail = 0) => countPress(prev, t, x, y, button, detail);

  it("two quick presses in one place are a double click, a third a triple", () => {
    const one = press(null, 1000);
    const two = press(one, 1200);
    expect([one.count, two.count, press(two, 1300).count]).toEqual([1, 2, 3]);
  });

  it("a slow, distant or other-button press starts over", () => {
    const one = press(null, 1000);
    expect(press(one, 1000 + MULTI_CLICK_MS + 1).count).toBe(1);
    expect(press(one, 1100, 30, 10).count).toBe(1);
    expect(press(one, 1100, 10, 10, 2).count).toBe(1);
  });

  it("a count the browser gives is taken as it is", () => {
    expect(press(null, 1000, 10, 10, 0, 2).count).toBe(2);
    expect(press(press(null, 1000), 1100, 10, 10, 0, 1).count).toBe(1);
  });
});

const SIZE = { width: 40, height: 30 };

/** A 2d context that remembers how many pixels were put on its canvas with some alpha. */
function fakeContext(canvas: HTMLCanvasElement) {
  return {
    createImageData: (w: number, h: number) => ({ width: w, height: h, data: new Uint8ClampedArray(w * h * 4) }),
    putImageData(image: { data: Uint8ClampedArray }) {
      let n = 0;
      for (let i = 3; i < image.data.length; i += 4) if (image.data[i]) n++;
      (canvas as unknown as { painted: number }).painted = n;
    },
    clearRect() {},
    fillRect() {},
    getImageData: () => ({ data: new Uint8ClampedArray([128, 128, 128, 255]) }),
    fillStyle: "",
  };
}

describe("brush regions on their canvas", () => {
  let el: HTMLElement;
  const original = HTMLCanvasElement.prototype.getContext;

  beforeEach(() => {
    HTMLCanvasElement.prototype.getContext = function (this: HTMLCanvasElement) {
      return fakeContext(this) as unknown as CanvasRenderingContext2D;
    } as unknown as typeof original;
    el = document.createElement("div");
    document.body.appendChild(el);
  });

  afterEach(() => {
    render(null, el);
    el.remove();
    HTMLCanvasElement.prototype.getContext = original;
  });

  function mount() {
    const mask = createMask(SIZE.width, SIZE.height);
    paintStroke(mask, [{ x: 5, y: 15 }, { x: 30, y: 15 }], 3, false);
    const annotation = new Annotation([
      {
        id: "m1",
        from_name: "brush",
        to_name: "img",
        type: "brushlabels",
        origin: "manual",
        value: { format: "rle", rle: maskToRle(mask), brushlabels: ["Sky"] },
      },
    ]);
    const editor = new Editor(annotation);
    const preview = new PreviewStore();
    act(() => render(<BrushLayer editor={editor} object="img" size={SIZE} itemIndex={undefined} preview={preview} />, el));
    const painted = () => {
      const canvas = el.querySelector<HTMLCanvasElement>("canvas[data-region=m1]");
      return canvas ? ((canvas as unknown as { painted?: number }).painted ?? 0) : null;
    };
    return { editor, preview, painted };
  }

  it("is painted again when shown after being hidden", () => {
    const { editor, painted } = mount();
    const drawn = painted();
    expect(drawn).toBeGreaterThan(50);
    act(() => editor.toggle(["m1"], "hidden"));
    expect(painted()).toBe(null);
    act(() => editor.toggle(["m1"], "hidden"));
    expect(painted()).toBe(drawn);
  });

  it("is painted again when the stroke that stood in for it is dropped", () => {
    const { preview, painted } = mount();
    const drawn = painted();
    act(() => preview.set({ kind: "brush", geometry: {}, style: { stroke: "#f00", strokeWidth: 1, fill: "#f00", fillOpacity: 0.5 }, replaces: "m1" }));
    expect(painted()).toBe(null);
    act(() => preview.set(null)); // Escape: the document never changed
    expect(painted()).toBe(drawn);
  });
});

describe("the region list's score", () => {
  const box = (extra: object, value: object = {}) => ({
    id: "b",
    from_name: "box",
    to_name: "img",
    type: "rectanglelabels",
    value: { x: 1, y: 2, width: 3, height: 4, rotation: 0, rectanglelabels: ["A"], ...value },
    ...extra,
  });
  const scoreOf = (item: object) => regionScore(decode([item as never]).regions.b!);

  it("is the result's score, else the one inside its value (both are Label Studio's)", () => {
    expect(scoreOf(box({ score: 0.91 }))).toBe(0.91);
    expect(scoreOf(box({}, { score: 0.77 }))).toBe(0.77);
    expect(scoreOf(box({ score: 0.5 }, { score: 0.77 }))).toBe(0.5);
    expect(scoreOf(box({}))).toBe(undefined);
    expect(scoreOf(box({}, { score: "high" }))).toBe(undefined);
  });
});

describe("a long region list is windowed", () => {
  let el: HTMLElement;
  beforeEach(() => {
    el = document.createElement("div");
    document.body.appendChild(el);
  });
  afterEach(() => {
    render(null, el);
    el.remove();
  });

  const boxes = (n: number) =>
    Array.from({ length: n }, (_, i) => ({
      id: `r${i}`,
      from_name: "label",
      to_name: "img",
      type: "rectanglelabels",
      value: { x: i % 90, y: 1, width: 5, height: 5, rotation: 0, rectanglelabels: ["A"] },
    }));

  it("keeps the rows in view (and a few more) in the DOM, with room for the rest", () => {
    expect(rowWindow(1000, 0, 300)).toEqual({ first: 0, end: 10 + 8 });
    expect(rowWindow(1000, 3000, 300)).toEqual({ first: 100 - 8, end: 110 + 8 });
    expect(rowWindow(1000, 40000, 300)).toEqual({ first: 1000, end: 1000 });
    expect(rowWindow(5, 0, 300)).toEqual({ first: 0, end: 5 });
  });

  it("renders a window of rows, and the selected region's row once it is scrolled to", () => {
    const editor = new Editor(new Annotation(boxes(600)));
    act(() => render(<RegionList editor={editor} object="img" />, el));
    const ol = el.querySelector<HTMLOListElement>("ol.lnb-regions-ol")!;
    const rows = () => [...el.querySelectorAll("[data-region-item]")].map((r) => r.getAttribute("data-region-item"));
    expect(ol.classList.contains("lnb-windowed")).toBe(true);
    expect(rows().length).toBeGreaterThan(0);
    expect(rows().length).toBeLessThan(60);
    const px = (v: string) => Number(v.replace("px", ""));
    expect(px(ol.style.paddingTop) + rows().length * ROW_PX + px(ol.style.paddingBottom)).toBe(600 * ROW_PX);
    expect(rows()).not.toContain("r400");

    const scroller = el.querySelector<HTMLElement>(".lnb-region-list")!;
    act(() => editor.ui.select(["r400"]));
    // the list scrolled its own box to the row (the notebook page does not move)
    expect(scroller.scrollTop).toBeGreaterThan(300 * ROW_PX);
    act(() => {
      scroller.dispatchEvent(new Event("scroll"));
    });
    expect(rows()).toContain("r400");
    expect(el.querySelector("[data-region-item=r400]")?.classList.contains("lnb-selected")).toBe(true);
  });

  it("lists a short list whole", () => {
    const editor = new Editor(new Annotation(boxes(WINDOW_FROM - 1)));
    act(() => render(<RegionList editor={editor} object="img" />, el));
    expect(el.querySelectorAll("[data-region-item]").length).toBe(WINDOW_FROM - 1);
    expect(el.querySelector("ol.lnb-windowed")).toBeNull();
  });
});
