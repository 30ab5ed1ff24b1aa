import { describe, expect, it } from "vitest";
import { actualSizeZoom, clampViewport, FIT, fitLayout, liveTransform, panBy, screenScale, stageTransform, zoomAt } from "../src/objects/image/viewport";

describe("viewport", () => {
  it("fits the image to the frame's width, keeping its aspect ratio, capped by maxHeight", () => {
    expect(fitLayout({ width: 4000, height: 3000 }, 800)).toEqual({ width: 800, height: 600 });
    expect(fitLayout({ width: 1000, height: 2000 }, 500, 400)).toEqual({ width: 200, height: 400 });
    // degenerate sizes never give NaN or zero
    const l = fitLayout({ width: 0, height: 0 }, 0);
    expect(l.width).toBeGreaterThan(0);
    expect(Number.isFinite(l.height)).toBe(true);
  });

  it("zooms about the anchor: the point under the cursor stays where it is", () => {
    const v = zoomAt(FIT, 2, { x: 0.25, y: 0.75 });
    expect(v.zoom).toBe(2);
    // screen% = pan + zoom * p; the anchor p = 25%, 75% stays at screen 25%, 75%
    expect(v.x + 2 * 25).toBeCloseTo(25);
    expect(v.y + 2 * 75).toBeCloseTo(75);
    const back = zoomAt(v, 0.5, { x: 0.25, y: 0.75 });
    expect(back).toEqual({ zoom: 1, x: 0, y: 0 });
  });

  it("never pans past an edge nor zooms below fit or above the maximum", () => {
    expect(clampViewport({ zoom: 2, x: 30, y: -500 })).toEqual({ zoom: 2, x: 0, y: -100 });
    expect(clampViewport({ zoom: 0.1, x: 0, y: 0 }).zoom).toBe(1);
    expect(clampViewport({ zoom: 1e9, x: 0, y: 0 }).zoom).toBe(64);
    expect(clampViewport({ zoom: Number.NaN, x: Number.NaN, y: Infinity })).toEqual({ zoom: 1, x: 0, y: 0 });
  });

  it("pans by screen pixels, in percent of the fitted size", () => {
    const layout = { width: 400, height: 200 };
    const v = panBy({ zoom: 4, x: -100, y: -100 }, -40, 20, layout);
    expect(v.x).toBeCloseTo(-110);
    expect(v.y).toBeCloseTo(-90);
  });

  it("1:1 is the zoom where an image pixel is a CSS pixel", () => {
    const layout = fitLayout({ width: 2400, height: 1200 }, 600);
    const z = actualSizeZoom({ width: 2400 }, layout);
    expect(screenScale({ zoom: z, x: 0, y: 0 }, layout, { width: 2400 })).toBeCloseTo(1);
  });

  it("writes the stage transform from the viewport", () => {
    expect(stageTransform({ zoom: 2, x: -50, y: -25 }, { width: 400, height: 200 })).toBe("translate(-200px, -50px) scale(2)");
  });
});

describe("liveTransform", () => {
  const layout = { width: 800, height: 600 };
  /** where the point P (fit-size px) is on screen for view v */
  const screen = (v: { zoom: number; x: number; y: number }, p: { x: number; y: number }) => ({
    x: (v.x / 100) * layout.width + v.zoom * p.x,
    y: (v.y / 100) * layout.height + v.zoom * p.y,
  });
  /** apply "translate(tx px, ty px) scale(k)" with origin 0 0 */
  const apply = (t: string, s: { x: number; y: number }) => {
    const m = /^translate\((-?[\d.e+-]+)px, (-?[\d.e+-]+)px\) scale\(([\d.e+-]+)\)$/.exec(t);
    if (!m) throw new Error(`not a transform: ${t}`);
    const [tx, ty, k] = [Number(m[1]), Number(m[2]), Number(m[3])];
    return { x: tx + k * s.x, y: ty + k * s.y };
  };

  it("is empty for the same view", () => {
    expect(liveTransform({ zoom: 2, x: -10, y: -20 }, { zoom: 2, x: -10, y: -20 }, layout)).toBe("");
  });

  it("moves what the committed view drew to where the live view shows it", () => {
    const committed = { zoom: 2, x: -30, y: -50 };
    for (const live of [
      { zoom: 3.5, x: -120, y: -80 },
      { zoom: 1, x: 0, y: 0 },
      { zoom: 2, x: -60, y: -10 },
    ]) {
      const t = liveTransform(live, committed, layout);
      for (const p of [{ x: 0, y: 0 }, { x: 123, y: 456 }, { x: 800, y: 600 }]) {
        const got = apply(t, screen(committed, p));
        const want = screen(live, p);
        expect(got.x).toBeCloseTo(want.x, 6);
        expect(got.y).toBeCloseTo(want.y, 6);
      }
    }
  });
});
