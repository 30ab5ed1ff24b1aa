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
import { regionScore } from "../src/panels/RegionList";
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
