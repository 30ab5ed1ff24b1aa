// @vitest-environment happy-dom
// What each shape util draws: one SVG element in natural px, crisp strokes, the style and state classes,
// no handles and no event handlers.
import { h, render } from "preact";
import { afterEach, describe, expect, it } from "vitest";
import { SHAPES } from "../src/controls/shapes";
import { keypointAt } from "../src/controls/shapes/keypoint";
import { polygonFromPoints } from "../src/controls/shapes/polygon";
import { vectorFromPoints } from "../src/controls/shapes/vector";
import type { RenderProps, ShapeStyle } from "../src/controls/shapes/types";
import type { Json } from "../src/state/document";

const SIZE = { width: 200, height: 100 };
const STYLE: ShapeStyle = { stroke: "#f48a42", strokeWidth: 2, fill: "#00ff00", fillOpacity: 0.3 };

let host: HTMLElement | null = null;

afterEach(() => {
  if (host) {
    render(null, host);
    host.remove();
    host = null;
  }
});

/** Render shapes into an <svg viewBox="0 0 W H"> and give back the svg. */
function draw(...props: RenderProps[]): SVGSVGElement {
  host = document.createElement("div");
  document.body.appendChild(host);
  render(h("svg", { viewBox: `0 0 ${SIZE.width} ${SIZE.height}` }, ...props.map((p) => SHAPES[kindOf(p.geometry)].render(p))), host);
  return host.querySelector("svg") as SVGSVGElement;
}

function kindOf(g: Json): keyof typeof SHAPES {
  if ("radiusX" in g) return "ellipse";
  if ("points" in g) return "polygon";
  if ("vertices" in g) return "vector";
  if ("height" in g) return "rectangle";
  return "keypoint";
}

const props = (geometry: Json, extra: Partial<RenderProps> = {}): RenderProps => ({
  geometry,
  size: SIZE,
  style: STYLE,
  scale: 1,
  selected: false,
  hover: false,
  ...extra,
});

function only(svg: SVGSVGElement): Element {
  expect(svg.children).toHaveLength(1);
  const el = svg.children[0] as Element;
  expect(el.children).toHaveLength(0); // one element per shape: no handles, no per-point children
  return el;
}

function expectStyle(el: Element, kind: string, filled = true) {
  expect(el.getAttribute("class")).toBe(`lnb-shape lnb-shape-${kind}`);
  expect(el.getAttribute("vector-effect")).toBe("non-scaling-stroke");
  expect(el.getAttribute("stroke")).toBe("#f48a42");
  expect(el.getAttribute("stroke-width")).toBe("2");
  if (filled) {
    expect(el.getAttribute("fill")).toBe("#00ff00");
    expect(el.getAttribute("fill-opacity")).toBe("0.3");
  } else {
    expect(el.getAttribute("fill")).toBe("none");
  }
}

describe("render", () => {
  it("rectangle: one <rect> in px, rotated about its top-left corner", () => {
    const el = only(draw(props({ x: 10, y: 20, width: 30, height: 40, rotation: 0 })));
    expect(el.tagName.toLowerCase()).toBe("rect");
    expectStyle(el, "rectangle");
    expect(el.getAttribute("x")).toBe("20");
    expect(el.getAttribute("y")).toBe("20");
    expect(el.getAttribute("width")).toBe("60");
    expect(el.getAttribute("height")).toBe("40");
    expect(el.hasAttribute("transform")).toBe(false);
    const rot = only(draw(props({ x: 10, y: 20, width: 30, height: 40, rotation: 30 })));
    expect(rot.getAttribute("transform")).toBe("rotate(30 20 20)");
  });

  it("ellipse: one <ellipse>, rotated about its centre", () => {
    const el = only(draw(props({ x: 50, y: 50, radiusX: 10, radiusY: 20, rotation: 45 })));
    expect(el.tagName.toLowerCase()).toBe("ellipse");
    expectStyle(el, "ellipse");
    expect([el.getAttribute("cx"), el.getAttribute("cy"), el.getAttribute("rx"), el.getAttribute("ry")]).toEqual(["100", "50", "20", "20"]);
    expect(el.getAttribute("transform")).toBe("rotate(45 100 50)");
  });

  it("polygon: one <polygon> when closed, one unfilled <polyline> when open", () => {
    const pts = [
      { x: 20, y: 10 },
      { x: 60, y: 10 },
      { x: 60, y: 50 },
    ];
    const el = only(draw(props(polygonFromPoints(pts, SIZE, true))));
    expect(el.tagName.toLowerCase()).toBe("polygon");
    expectStyle(el, "polygon");
    expect(el.getAttribute("points")).toBe("20,10 60,10 60,50");
    const open = only(draw(props(polygonFromPoints(pts, SIZE, false))));
    expect(open.tagName.toLowerCase()).toBe("polyline");
    expectStyle(open, "polygon", false);
  });

  it("keypoint: one <circle>, never under 3 screen px", () => {
    const el = only(draw(props(keypointAt({ x: 100, y: 50 }, SIZE, 0.5), { scale: 0.5 })));
    expect(el.tagName.toLowerCase()).toBe("circle");
    expectStyle(el, "keypoint");
    expect(el.getAttribute("r")).toBe("6");
    const big = only(draw(props(keypointAt({ x: 100, y: 50 }, SIZE, 5), { scale: 1 })));
    expect(big.getAttribute("r")).toBe("10");
  });

  it("vector: one <path>, filled only when closed", () => {
    const pts = [
      { x: 20, y: 10 },
      { x: 60, y: 10 },
      { x: 60, y: 50 },
    ];
    const open = only(draw(props(vectorFromPoints(pts, SIZE, false))));
    expect(open.tagName.toLowerCase()).toBe("path");
    expectStyle(open, "vector", false);
    expect(open.getAttribute("d")).toBe("M20 10 L60 10 L60 50");
    const closed = only(draw(props(vectorFromPoints(pts, SIZE, true))));
    expectStyle(closed, "vector");
    expect(closed.getAttribute("d")).toBe("M20 10 L60 10 L60 50 L20 10 Z");
  });

  it("selected and hover: classes, stroke +1, hover fill stronger", () => {
    const g = { x: 10, y: 20, width: 30, height: 40, rotation: 0 };
    const sel = only(draw(props(g, { selected: true })));
    expect(sel.getAttribute("class")).toBe("lnb-shape lnb-shape-rectangle lnb-selected");
    expect(sel.getAttribute("stroke-width")).toBe("3");
    expect(sel.getAttribute("fill-opacity")).toBe("0.3");
    const hov = only(draw(props(g, { hover: true })));
    expect(hov.getAttribute("class")).toBe("lnb-shape lnb-shape-rectangle lnb-hover");
    expect(hov.getAttribute("stroke-width")).toBe("3");
    expect(Number(hov.getAttribute("fill-opacity"))).toBeGreaterThan(0.3);
  });

  it("attaches no event handlers", () => {
    const geometries: Json[] = [
      { x: 10, y: 20, width: 30, height: 40, rotation: 0 },
      { x: 50, y: 50, radiusX: 10, radiusY: 20, rotation: 0 },
      { points: [[1, 1], [5, 5], [1, 5]], closed: true },
      { x: 1, y: 1, width: 1 },
      { vertices: [{ id: "a", x: 1, y: 1 }, { id: "b", x: 5, y: 5 }], closed: false },
    ];
    for (const g of geometries) {
      const vnode = SHAPES[kindOf(g)].render(props(g));
      for (const key of Object.keys(vnode.props as object)) expect(key).not.toMatch(/^on/i);
    }
  });

  it("3,000 polygons of 20 points draw as 3,000 elements, quickly", () => {
    const polys: Json[] = [];
    for (let i = 0; i < 3000; i++) {
      const cx = 10 + (i % 60) * 3;
      const cy = 10 + Math.floor(i / 60) * 1.6;
      const pts = Array.from({ length: 20 }, (_, k) => ({ x: cx + Math.cos((k / 20) * 2 * Math.PI), y: cy + Math.sin((k / 20) * 2 * Math.PI) }));
      polys.push(polygonFromPoints(pts, SIZE, true));
    }
    const t0 = performance.now();
    const vnodes = polys.map((g) => SHAPES.polygon.render(props(g)));
    const built = performance.now() - t0;
    expect(built).toBeLessThan(1000); // typically a few ms
    host = document.createElement("div");
    document.body.appendChild(host);
    render(h("svg", { viewBox: "0 0 200 100" }, ...vnodes), host);
    expect(host.querySelectorAll("polygon")).toHaveLength(3000);
    expect(host.querySelectorAll("svg *")).toHaveLength(3000);
  });
});
