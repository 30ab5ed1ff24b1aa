import { keypointWidth } from "../src/controls/shapes/keypoint";
import { describe, expect, it } from "vitest";
import type { RegionControl } from "../src/controls/regionTools";
import { maskFromRle } from "../src/controls/shapes/brush/mask";
import { BrushTool } from "../src/objects/image/brush";
import { DragShapeTool, EditTool, KeyPointTool, PointsTool, type PointerInfo, type Preview, type Tool, type ToolHost } from "../src/objects/image/tools";
import { Annotation } from "../src/state/annotation";
import { UiStore } from "../src/state/ui";
import { EMPTY_MODEL, type ControlSpec } from "../src/schema/model";

const SIZE = { width: 400, height: 200 };

function control(tag: string, kind: RegionControl["kind"], type: string, labelled = true): RegionControl {
  const spec = { name: "c", tag, type, to_name: ["img"], labels: [{ value: "A", alias: null, label: "A", color: "#f00" }] } as unknown as ControlSpec;
  return { name: "c", tag, kind, type, labelled, spec };
}

function setup(ctrl: RegionControl | null, label: string | null = "A") {
  const annotation = new Annotation([], { newId: (() => { let n = 0; return () => `r${++n}`; })() });
  const ui = new UiStore();
  const previews: (Preview | null)[] = [];
  let ids = 0;
  const host: ToolHost = {
    object: "img",
    size: SIZE,
    scale: () => 1,
    annotation,
    ui,
    control: ctrl,
    label,
    genericLabel: null,
    model: EMPTY_MODEL,
    newId: () => `n${++ids}`,
    regionExtra: () => ({ original_width: 400, original_height: 200, image_rotation: 0 }),
    fitWidth: () => 800,
    itemIndex: undefined,
    setPreview: (p) => previews.push(p),
    panBy: () => {},
    canRotate: () => true,
    styleOf: () => ({ stroke: "#f00", strokeWidth: 1, fill: "#f00", fillOpacity: 0.2 }),
    capture: () => {},
  };
  return { annotation, ui, host, previews };
}

const at = (x: number, y: number, extra: Partial<PointerInfo> = {}): PointerInfo => ({
  p: { x, y },
  screen: { x, y },
  hit: {},
  shift: false,
  alt: false,
  button: 0,
  detail: 1,
  ...extra,
});

function drag(tool: Tool, host: ToolHost, from: [number, number], to: [number, number], extra: Partial<PointerInfo> = {}) {
  tool.down(at(from[0], from[1], extra), host);
  for (let i = 1; i <= 10; i++) tool.move(at(from[0] + ((to[0] - from[0]) * i) / 10, from[1] + ((to[1] - from[1]) * i) / 10), host);
  tool.up(at(to[0], to[1]), host);
}

const key = (k: string) => ({ key: k }) as KeyboardEvent;

describe("drawing tools", () => {
  it("a rectangle drag adds one region, in percent, as one undo step, and selects it", () => {
    const { annotation, ui, host, previews } = setup(control("RectangleLabels", "rectangle", "rectanglelabels"));
    drag(new DragShapeTool("rectangle"), host, [40, 20], [200, 120]);
    const items = annotation.snapshot();
    expect(items).toEqual([
      {
        id: "n1", from_name: "c", to_name: "img", type: "rectanglelabels", origin: "manual",
        value: { x: 10, y: 10, width: 40, height: 50, rotation: 0, rectanglelabels: ["A"] },
        original_width: 400, original_height: 200, image_rotation: 0,
      },
    ]);
    expect(ui.state.selected).toEqual(["n1"]);
    expect(previews.length).toBeGreaterThan(5); // the moves showed a preview ...
    expect(previews[previews.length - 1]).toBe(null); // ... gone once the region is made
    expect(annotation.history.size).toBe(1);
    annotation.undo();
    expect(annotation.snapshot()).toEqual([]);
  });

  it("a click without a drag makes nothing; a labels control with no label chosen draws nothing", () => {
    const a = setup(control("RectangleLabels", "rectangle", "rectanglelabels"));
    const tool = new DragShapeTool("rectangle");
    tool.down(at(10, 10), a.host);
    tool.up(at(11, 10), a.host);
    expect(a.annotation.snapshot()).toEqual([]);
    const flat = new DragShapeTool("rectangle");
    drag(flat, a.host, [10, 10], [200, 10.5]); // a horizontal slip: no height
    expect(a.annotation.snapshot()).toEqual([]);
    const b = setup(control("RectangleLabels", "rectangle", "rectanglelabels"), null);
    drag(new DragShapeTool("rectangle"), b.host, [0, 0], [100, 100]);
    expect(b.annotation.snapshot()).toEqual([]);
  });

  it("a bare tool draws without labels", () => {
    const { annotation, host } = setup(control("Ellipse", "ellipse", "ellipse", false), null);
    drag(new DragShapeTool("ellipse"), host, [200, 100], [240, 120]);
    const [item] = annotation.snapshot();
    expect(item?.type).toBe("ellipse");
    expect(item?.value).toEqual({ x: 50, y: 50, radiusX: 10, radiusY: 10, rotation: 0 });
  });

  it("a bare tool's region gets the image <Labels> label as a labels item sharing its id", () => {
    const { annotation, host } = setup(control("Rectangle", "rectangle", "rectangle", false), null);
    host.genericLabel = { control: "label", value: "Text" };
    drag(new DragShapeTool("rectangle"), host, [40, 20], [200, 120]);
    const [box, labels] = annotation.snapshot();
    expect(box).toMatchObject({ id: "n1", type: "rectangle", value: { x: 10, y: 10, width: 40, height: 50, rotation: 0 } });
    expect(labels).toEqual({
      id: "n1", from_name: "label", to_name: "img", type: "labels", origin: "manual",
      value: { x: 10, y: 10, width: 40, height: 50, rotation: 0, labels: ["Text"] },
    });
    annotation.undo(); // one step: the region and its label
    expect(annotation.snapshot()).toEqual([]);
  });

  it("a polygon closes on its first vertex; Backspace takes the last one back; Escape drops it", () => {
    const { annotation, host } = setup(control("PolygonLabels", "polygon", "polygonlabels"));
    const tool = new PointsTool("polygon");
    for (const [x, y] of [[0, 0], [200, 0], [300, 300], [200, 100]] as const) tool.down(at(x, y), host);
    expect(tool.key(key("Backspace"), host)).toBe(true);
    tool.down(at(2, 2), host); // within the closing radius of the first vertex
    expect(tool.busy).toBe(false);
    const [item] = annotation.snapshot();
    expect(item?.value).toEqual({ points: [[0, 0], [50, 0], [75, 100]], closed: true, polygonlabels: ["A"] });
    tool.down(at(10, 10), host);
    tool.down(at(50, 50), host);
    tool.key(key("Escape"), host);
    expect(tool.busy).toBe(false);
    expect(annotation.snapshot()).toHaveLength(1);
  });

  it("a polyline ends open with Enter", () => {
    const { annotation, host } = setup(control("VectorLabels", "vector", "vectorlabels"));
    const tool = new PointsTool("vector");
    tool.down(at(0, 0), host);
    tool.down(at(100, 100), host);
    tool.key(key("Enter"), host);
    const [item] = annotation.snapshot();
    expect(item?.value).toMatchObject({ closed: false, vectorlabels: ["A"] });
    expect((item?.value as { vertices: unknown[] }).vertices).toHaveLength(2);
  });

  it("maxUsages caps how many regions may carry a label, and says so", () => {
    const c = control("KeyPointLabels", "keypoint", "keypointlabels");
    (c.spec.labels![0] as { max_usages?: number }).max_usages = 2;
    const { annotation, host, ui } = setup(c);
    const tool = new KeyPointTool();
    for (let i = 0; i < 3; i++) tool.down(at(10 * i, 10), host);
    expect(annotation.snapshot()).toHaveLength(2);
    expect(ui.state.notice).toEqual({ control: "c", text: "“A” can be used 2 times per task." });
  });

  it("a keypoint is one click", () => {
    const { annotation, host } = setup(control("KeyPointLabels", "keypoint", "keypointlabels"));
    new KeyPointTool().down(at(100, 50), host);
    // width: the default strokeWidth (2 screen px) in percent of the image's fitted width (800 px)
    expect(annotation.snapshot()[0]?.value).toEqual({ x: 25, y: 25, width: 0.25, keypointlabels: ["A"] });
  });

  it("a keypoint's width follows the control's strokeWidth, in screen px at fit", () => {
    expect(keypointWidth(8, 400)).toBe(2);
    expect(keypointWidth(null, 400)).toBe(0.5);
    expect(keypointWidth(Number.NaN, 400)).toBe(0.5);
    expect(keypointWidth(-3, 400)).toBe(0.5);
    expect(keypointWidth(10_000, 400)).toBe(100);
  });
});

describe("editing", () => {
  function withBox() {
    const s = setup(control("RectangleLabels", "rectangle", "rectanglelabels"));
    drag(new DragShapeTool("rectangle"), s.host, [40, 20], [200, 120]);
    return s;
  }

  it("moving a region is one undo step, whatever the number of moves", () => {
    const { annotation, host } = withBox();
    const tool = new EditTool();
    drag(tool, host, [100, 50], [140, 70], { hit: { region: "n1" } });
    expect(annotation.snapshot()[0]?.value).toMatchObject({ x: 20, y: 20, width: 40, height: 50 });
    expect(annotation.history.size).toBe(2);
    annotation.undo();
    expect(annotation.snapshot()[0]?.value).toMatchObject({ x: 10, y: 10 });
  });

  it("a handle drag resizes; a locked region only gets selected", () => {
    const { annotation, host, ui } = withBox();
    drag(new EditTool(), host, [200, 120], [240, 160], { hit: { region: "n1", handle: "se" } });
    expect(annotation.snapshot()[0]?.value).toMatchObject({ x: 10, y: 10, width: 50, height: 70 });
    annotation.run(null);
    const locked = setup(control("RectangleLabels", "rectangle", "rectanglelabels"));
    locked.annotation.reset([{ ...annotation.snapshot()[0]!, readonly: true }]);
    drag(new EditTool(), locked.host, [100, 50], [150, 90], { hit: { region: "n1" } });
    expect(locked.annotation.snapshot()[0]?.value).toMatchObject({ x: 10, y: 10 });
    expect(locked.ui.state.selected).toEqual(["n1"]);
    void ui;
  });

  it("Alt+click deletes a polygon vertex; dragging a midpoint inserts one", () => {
    const { annotation, host } = setup(control("PolygonLabels", "polygon", "polygonlabels"));
    const draw = new PointsTool("polygon");
    for (const [x, y] of [[0, 0], [200, 0], [200, 200], [0, 200]] as const) draw.down(at(x, y), host);
    draw.key(key("Enter"), host);
    const edit = new EditTool();
    edit.down(at(200, 0, { hit: { region: "n1", handle: "v:1" }, alt: true }), host);
    edit.up(at(200, 0), host);
    expect((annotation.snapshot()[0]?.value as { points: unknown[] }).points).toHaveLength(3);
    drag(edit, host, [100, 100], [120, 110], { hit: { region: "n1", handle: "m:0" } });
    const points = (annotation.snapshot()[0]?.value as { points: number[][] }).points;
    expect(points).toHaveLength(4);
    expect(points[1]?.[0]).toBeCloseTo(30);
    expect(points[1]?.[1]).toBeCloseTo(55);
  });
});

describe("brush", () => {
  it("paints a region in RLE, adds to the selected one, and the eraser takes away", () => {
    const { annotation, host, ui } = setup(control("BrushLabels", "brush", "brushlabels"));
    ui.update({ brush: { size: 10, erase: false } });
    const brush = new BrushTool();
    drag(brush, host, [50, 50], [100, 50]);
    const [item] = annotation.snapshot();
    expect(item?.type).toBe("brushlabels");
    const rle = (item?.value as { rle: number[] }).rle;
    const mask = maskFromRle(rle, 400, 200);
    const painted = mask.data.reduce((n, v) => n + (v ? 1 : 0), 0);
    expect(painted).toBeGreaterThan(400);
    expect(mask.data[50 * 400 + 75]).toBe(255);
    expect(mask.data[150 * 400 + 75]).toBe(0);
    // a second stroke with the region selected grows it, as one more undo step
    drag(brush, host, [75, 100], [75, 150]);
    expect(annotation.snapshot()).toHaveLength(1);
    const grown = maskFromRle((annotation.snapshot()[0]?.value as { rle: number[] }).rle, 400, 200);
    expect(grown.data[120 * 400 + 75]).toBe(255);
    // erasing all of it deletes the region
    ui.update({ brush: { size: 400, erase: true } });
    drag(brush, host, [0, 0], [400, 200]);
    expect(annotation.snapshot()).toEqual([]);
    annotation.undo();
    expect(annotation.snapshot()).toHaveLength(1);
  });
});
