import { describe, expect, it } from "vitest";
import { AssistController, hasSmartControl, isSmartControl, isSmartText } from "../src/assist";
import type { RegionControl } from "../src/controls/regionTools";
import { DragShapeTool, KeyPointTool, type PointerInfo, type ToolHost } from "../src/objects/image/tools";
import { MAX_ASSIST_ITEMS, type ReplyMessage, type ResultItem } from "../src/protocol";
import { EMPTY_MODEL, type ControlModel, type ControlSpec } from "../src/schema/model";
import { Annotation } from "../src/state/annotation";
import { applyAnswer, extendSeries, smartItem, type AssistSeries } from "../src/state/assist";
import { UiStore } from "../src/state/ui";

const EXTRA = { original_width: 400, original_height: 200, image_rotation: 0 };

function point(id: string, x: number, positive = true, control = "kp"): ResultItem {
  return smartItem({ id, object: "img", control, type: "keypointlabels", geometry: { x, y: 50, width: 1 }, label: "Ball", positive, extra: EXTRA });
}

function mask(id: string, rle: number[]): ResultItem {
  return { id, from_name: "mask", to_name: "img", type: "brushlabels", ...EXTRA, value: { format: "rle", rle, brushlabels: ["Ball"] } };
}

function box(id: string, width: number): ResultItem {
  return { id, from_name: "box", to_name: "img", type: "rectanglelabels", ...EXTRA, value: { x: 10, y: 10, width, height: 20, rotation: 0, rectanglelabels: ["Ball"] } };
}

function counter(prefix: string): () => string {
  let n = 0;
  return () => `${prefix}${++n}`;
}

describe("smart items", () => {
  it("are Label Studio result items with is_positive and the image size", () => {
    expect(point("a", 20, false)).toEqual({
      id: "a",
      from_name: "kp",
      to_name: "img",
      type: "keypointlabels",
      original_width: 400,
      original_height: 200,
      image_rotation: 0,
      value: { x: 20, y: 50, width: 1, keypointlabels: ["Ball"] },
      is_positive: false,
    });
    // a bare tool carries no labels
    const bare = smartItem({ id: "b", object: "img", control: "k", type: "keypoint", geometry: { x: 1, y: 2, width: 1 }, label: null, positive: true, extra: {} });
    expect(bare.value).toEqual({ x: 1, y: 2, width: 1 });
  });

  it("accumulate into one series per object and control, up to the limit", () => {
    let series = extendSeries(null, point("a", 10), 3) as AssistSeries;
    series = extendSeries(series, point("b", 20, false), 3) as AssistSeries;
    series = extendSeries(series, point("c", 30), 3) as AssistSeries;
    expect(series.items.map((i) => [i.id, i.is_positive])).toEqual([
      ["a", true],
      ["b", false],
      ["c", true],
    ]);
    expect(extendSeries(series, point("d", 40), 3)).toBeNull();
    // another control starts a new series
    const other = extendSeries(series, point("e", 40, true, "kp2"), 3) as AssistSeries;
    expect(other.items.map((i) => i.id)).toEqual(["e"]);
    expect(other.answerIds).toEqual([]);
  });
});

describe("an answer in the document", () => {
  it("comes in as predictions, replaces the series' previous answer, and undoes as one step per answer", () => {
    const annotation = new Annotation([box("mine", 5)]);
    let series = extendSeries(null, point("a", 10), 10) as AssistSeries;
    series = applyAnswer(annotation, series, [mask("m", [1, 2, 3]), box("b", 40)], counter("x"));
    const first = annotation.snapshot();
    expect(first.map((i) => [i.id, i.origin])).toEqual([
      ["mine", undefined],
      ["m", "prediction"],
      ["b", "prediction"],
    ]);
    expect(annotation.doc.regions.m?.kind).toBe("brush");
    const steps = annotation.history.size;

    series = extendSeries(series, point("c", 20, false), 10) as AssistSeries;
    series = applyAnswer(annotation, series, [mask("m2", [4, 5])], counter("y"));
    expect(annotation.history.size).toBe(steps + 1); // one step for the whole answer
    expect(Object.keys(annotation.doc.regions).sort()).toEqual(["m2", "mine"]);
    expect(annotation.doc.regions.m2?.geometry.rle).toEqual([4, 5]);

    annotation.undo(); // back to the first answer, whole
    expect(annotation.snapshot()).toEqual(first);
    // a newer answer after the undo replaces the first answer's regions too (they are of this series)
    series = applyAnswer(annotation, series, [box("b3", 30)], counter("z"));
    expect(Object.keys(annotation.doc.regions).sort()).toEqual(["b3", "mine"]);
    annotation.undo();
    annotation.undo();
    expect(annotation.snapshot().map((i) => i.id)).toEqual(["mine"]);
  });

  it("gets new ids where it would clash with regions outside the series", () => {
    const annotation = new Annotation([box("b", 5)]);
    const series = extendSeries(null, point("a", 10), 10) as AssistSeries;
    const rel = { type: "relation", from_id: "b", to_id: "m", direction: "right" } as ResultItem;
    const next = applyAnswer(annotation, series, [box("b", 40), mask("m", [1]), rel], counter("new"));
    const regions = annotation.doc.regions;
    expect(regions.b?.geometry.width).toBe(5); // the user's box is untouched
    expect(regions.new1?.geometry.width).toBe(40);
    expect([...next.answerIds].sort()).toEqual(["m", "new1"]);
    expect(Object.values(annotation.doc.relations).map((r) => [r.from_id, r.to_id])).toEqual([["new1", "m"]]);
  });
});

function reply(result: ResultItem[]): ReplyMessage {
  return { kind: "reply", request_id: "r", ok: true, result };
}

function controller(taskId: { current: number | null } = { current: 1 }) {
  const annotation = new Annotation([]);
  const asked: { context: ResultItem[]; resolve: (r: ReplyMessage) => void }[] = [];
  const errors: string[] = [];
  const assist = new AssistController({
    annotation,
    ask: (_task, context) => new Promise((resolve) => asked.push({ context, resolve })),
    taskId: () => taskId.current,
    onError: (m) => errors.push(m),
    newId: counter("i"),
  });
  const draw = (x: number, positive = true) =>
    assist.add({ object: "img", control: "kp", type: "keypointlabels", geometry: { x, y: 50, width: 1 }, label: "Ball", positive, extra: EXTRA });
  return { annotation, assist, asked, errors, draw };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe("the assist controller", () => {
  it("sends the whole series at every click and applies only the newest answer", async () => {
    const { annotation, assist, asked, draw } = controller();
    assist.setEnabled(true);
    draw(10);
    draw(20, false);
    expect(asked.map((a) => a.context.map((i) => i.is_positive))).toEqual([[true], [true, false]]);
    expect(assist.state.pending).toBe(2);
    asked[1]?.resolve(reply([mask("m", [9])]));
    await flush();
    asked[0]?.resolve(reply([mask("old", [1])])); // late answer to the first click: dropped
    await flush();
    expect(Object.keys(annotation.doc.regions)).toEqual(["m"]);
    expect(assist.state.pending).toBe(0);
  });

  it("drops answers for an ended series or another task, and shows errors", async () => {
    const task = { current: 1 as number | null };
    const { annotation, assist, asked, errors, draw } = controller(task);
    assist.setEnabled(true);
    draw(10);
    assist.end(); // Escape while waiting
    asked[0]?.resolve(reply([mask("m", [1])]));
    await flush();
    expect(annotation.doc.regions).toEqual({});
    expect(assist.state).toMatchObject({ series: null, pending: 0 });

    draw(10);
    task.current = 2;
    asked[1]?.resolve(reply([mask("m", [1])]));
    await flush();
    expect(annotation.doc.regions).toEqual({});

    draw(30);
    asked[2]?.resolve({ kind: "reply", request_id: "r", ok: false, error: "Auto-annotation failed: boom" });
    await flush();
    expect(errors).toEqual(["Auto-annotation failed: boom"]);
  });

  it("refuses clicks past the limit with a message", () => {
    const { assist, draw } = controller();
    for (let i = 0; i < MAX_ASSIST_ITEMS; i++) expect(draw(1)).toBeNull();
    expect(draw(1)).toMatch(/At most/);
  });

  it("handles smart key point and box controls: with the toggle on, or smartOnly always", () => {
    const { assist } = controller();
    const ctl = (tag: string, kind: RegionControl["kind"], spec: Partial<ControlSpec>): RegionControl =>
      ({ name: "c", tag, kind, type: tag.toLowerCase(), labelled: true, spec: { name: "c", tag, ...spec } as ControlSpec });
    const kp = ctl("KeyPointLabels", "keypoint", { smart: true });
    const only = ctl("RectangleLabels", "rectangle", { smart: true, smart_only: true });
    const off = ctl("KeyPointLabels", "keypoint", { smart: false });
    const poly = ctl("PolygonLabels", "polygon", { smart: true });
    expect([kp, only, off, poly].map((c) => assist.handles(c))).toEqual([false, true, false, false]);
    assist.setEnabled(true);
    expect([kp, only, off, poly].map((c) => assist.handles(c))).toEqual([true, true, false, false]);
    expect(isSmartControl({ tag: "BrushLabels", smart: true })).toBe(false);
    const model = (controls: Partial<ControlSpec>[]) => ({ ...EMPTY_MODEL, controls }) as unknown as ControlModel;
    expect(hasSmartControl(model([{ tag: "RectangleLabels", smart: true }]))).toBe(true);
    expect(hasSmartControl(model([{ tag: "BrushLabels", smart: true }]))).toBe(false);
  });
});

describe("the image tools with a smart host", () => {
  const spec = { name: "kp", tag: "KeyPointLabels", type: "keypointlabels", to_name: ["img"], labels: [] } as unknown as ControlSpec;
  const kp: RegionControl = { name: "kp", tag: "KeyPointLabels", kind: "keypoint", type: "keypointlabels", labelled: true, spec };
  const rect: RegionControl = { ...kp, name: "box", tag: "RectangleLabels", kind: "rectangle", type: "rectanglelabels" };

  function host(control: RegionControl, smart: (g: Record<string, unknown>, positive: boolean) => void): ToolHost {
    return {
      object: "img",
      size: { width: 400, height: 200 },
      scale: () => 1,
      annotation: new Annotation([]),
      ui: new UiStore(),
      control,
      label: "Ball",
      genericLabel: null,
      model: EMPTY_MODEL,
      newId: counter("n"),
      regionExtra: () => EXTRA,
      fitWidth: () => 400,
      itemIndex: undefined,
      setPreview: () => {},
      panBy: () => {},
      canRotate: () => false,
      styleOf: () => ({ stroke: "#f00", strokeWidth: 1, fill: "#f00", fillOpacity: 0.2 }),
      capture: () => {},
      smart,
    };
  }
  const at = (x: number, y: number, extra: Partial<PointerInfo> = {}): PointerInfo => ({ p: { x, y }, screen: { x, y }, hit: {}, shift: false, alt: false, button: 0, detail: 1, ...extra });

  it("hand a click to the assistant (Alt or the right button: negative) instead of adding a region", () => {
    const got: [Record<string, unknown>, boolean][] = [];
    const h = host(kp, (g, positive) => got.push([g, positive]));
    const tool = new KeyPointTool();
    tool.down(at(100, 50), h);
    tool.down(at(200, 100, { alt: true }), h);
    tool.down(at(300, 100, { button: 2 }), h);
    expect(got.map(([g, p]) => [g.x, g.y, p])).toEqual([
      [25, 25, true],
      [50, 50, false],
      [75, 50, false],
    ]);
    expect(h.annotation.doc.regions).toEqual({});
  });

  it("hand a drawn box to the assistant", () => {
    const got: Record<string, unknown>[] = [];
    const h = host(rect, (g) => got.push(g));
    const tool = new DragShapeTool("rectangle");
    tool.down(at(40, 20), h);
    tool.move(at(120, 100), h);
    tool.up(at(120, 100), h);
    expect(got).toEqual([{ x: 10, y: 10, width: 20, height: 40, rotation: 0 }]);
    expect(h.annotation.doc.regions).toEqual({});
  });
});

describe("text selections", () => {
  const model = {
    ...EMPTY_MODEL,
    objects: [
      { name: "text", tag: "Text" },
      { name: "img", tag: "Image" },
    ],
    controls: [
      { name: "ner", tag: "Labels", to_name: ["text"], smart: true, smart_only: false },
      { name: "quiet", tag: "Labels", to_name: ["text"], smart: false, smart_only: false },
      { name: "ocr", tag: "Labels", to_name: ["img"], smart: true, smart_only: false },
    ],
  } as unknown as ControlModel;
  const spec = (name: string) => model.controls.find((c) => c.name === name) as ControlSpec;

  it("go to the assistant for a smart Labels on a text, with the toggle on", () => {
    expect(["ner", "quiet", "ocr"].map((n) => isSmartText(model, spec(n)))).toEqual([true, false, false]);
    expect(hasSmartControl(model)).toBe(true);
    const assist = new AssistController(
      { annotation: new Annotation([]), ask: () => new Promise(() => {}), taskId: () => 1, onError: () => {}, newId: counter("t") },
      () => model,
    );
    expect(assist.handlesText(spec("ner"))).toBe(false);
    assist.setEnabled(true);
    expect(["ner", "quiet", "ocr"].map((n) => assist.handlesText(spec(n)))).toEqual([true, false, false]);
  });

  it("answered with spans, come into the document as predicted spans", () => {
    const annotation = new Annotation([]);
    const sel = smartItem({ id: "s", object: "text", control: "ner", type: "labels", geometry: { start: 12, end: 15, text: "Le " }, label: "LOC", positive: true, extra: {} });
    expect(sel.value).toEqual({ start: 12, end: 15, text: "Le ", labels: ["LOC"] });
    const series = extendSeries(null, sel, 10) as AssistSeries;
    const span = (id: string, start: number): ResultItem => ({ id, from_name: "ner", to_name: "text", type: "labels", value: { start, end: start + 8, text: "Le Havre", labels: ["LOC"] } });
    applyAnswer(annotation, series, [span("a", 12), span("b", 22)], counter("q"));
    const regions = Object.values(annotation.doc.regions);
    expect(regions.map((r) => [r.kind, r.origin, r.geometry.start])).toEqual([
      ["span", "prediction", 12],
      ["span", "prediction", 22],
    ]);
  });
});
