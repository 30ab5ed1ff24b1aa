// The pure pieces of the <Pdf> object: ocrlabels results through the codecs, regions per page, new boxes
// on a page (pageIndex, ocrtext), the text under a box, and the names pdf.js may ask the kernel for.

import { describe, expect, it } from "vitest";
import type { RegionControl } from "../src/controls/regionTools";
import { regionTool } from "../src/controls/regionTools";
import { DragShapeTool, EditTool, onPdfPage, type PdfPageTarget, type PointerInfo, type ToolHost } from "../src/objects/image/tools";
import { regionIdsOn } from "../src/objects/image/RegionLayer";
import { dataAssetName } from "../src/objects/pdf/pdfjs";
import { boxOnPage, textInBox, textRuns, type TextRun } from "../src/objects/pdf/text";
import { listedRegions } from "../src/panels/RegionList";
import type { ResultItem } from "../src/protocol";
import { isShown } from "../src/schema/registry";
import { EMPTY_MODEL, type ControlSpec } from "../src/schema/model";
import { Annotation } from "../src/state/annotation";
import { decode, encode } from "../src/state/codecs";
import { regionPage } from "../src/state/document";
import { UiStore } from "../src/state/ui";

// Label Studio ocrlabels results (label_studio_sdk OcrLabelsValue): a box in percent of the page
const OCR: ResultItem[] = [
  { id: "o1", from_name: "ocr", to_name: "pdf", type: "ocrlabels", origin: "manual",
    value: { x: 10, y: 20, width: 30, height: 5, rotation: 0, ocrlabels: ["Typo"], pageIndex: 0, ocrtext: "Invoice 2024-0117" } },
  { id: "o2", from_name: "ocr", to_name: "pdf", type: "ocrlabels",
    value: { x: 50.5, y: 60.25, width: 12.125, height: 4, rotation: 0, ocrlabels: ["Incorrect Amount", "Typo"], pageIndex: 1 } },
  { id: "o2", from_name: "fix", to_name: "pdf", type: "textarea",
    value: { x: 50.5, y: 60.25, width: 12.125, height: 4, rotation: 0, pageIndex: 1, text: ["1,250.00"] } },
  { id: "o3", from_name: "ocr", to_name: "pdf", type: "ocrlabels", value: { x: 1, y: 2, width: 3, height: 4, ocrlabels: ["Typo"] }, score: 0.5, meta: { text: ["n"] } },
  { id: "o4", from_name: "ocr", to_name: "pdf", type: "ocrlabels", value: { x: 1, y: 2, width: 3, height: 4, rotation: 0, ocrlabels: ["Typo"], pageIndex: "2" } },
];

describe("ocrlabels through the codecs", () => {
  it("decode then encode is the identity, pageIndex and ocrtext included", () => {
    const copy = JSON.parse(JSON.stringify(OCR)) as ResultItem[];
    expect(encode(decode(OCR))).toStrictEqual(copy);
    expect(OCR).toStrictEqual(copy);
  });

  it("an ocrlabels result is a box region whose page is its value.pageIndex; its perRegion result is attached", () => {
    const doc = decode(OCR);
    const o1 = doc.regions.o1!;
    expect(o1.kind).toBe("rectangle");
    expect(o1.labels).toEqual(["Typo"]);
    expect(o1.labelsKey).toBe("ocrlabels");
    expect(o1.geometry).toMatchObject({ pageIndex: 0, ocrtext: "Invoice 2024-0117" });
    expect(regionPage(o1)).toBe(0);
    expect(regionPage(doc.regions.o2!)).toBe(1);
    expect(regionPage(doc.regions.o3!)).toBe(0); // no pageIndex: the first page
    expect(regionPage(doc.regions.o4!)).toBe(0); // not a page number: not taken as one
    expect(doc.classifications["fix#o2"]?.region).toBe("o2");
  });

  it("OcrLabels draws boxes, and the registry shows Pdf and OcrLabels", () => {
    expect(regionTool("OcrLabels")).toEqual({ kind: "rectangle", type: "ocrlabels", labelled: true });
    expect(isShown("Pdf")).toBe(true);
    expect(isShown("OcrLabels")).toBe(true);
  });
});

describe("regions per page", () => {
  const doc = decode([
    ...OCR,
    { id: "img0", from_name: "box", to_name: "img", type: "rectanglelabels", item_index: 1, value: { x: 1, y: 1, width: 1, height: 1, rotation: 0, rectanglelabels: ["A"] } },
  ]);

  it("each page shows only its own regions; item_index still pages valueList images", () => {
    expect(regionIdsOn(doc, "pdf", 0)).toEqual(["o1", "o3", "o4"]);
    expect(regionIdsOn(doc, "pdf", 1)).toEqual(["o2"]);
    expect(regionIdsOn(doc, "pdf", 2)).toEqual([]);
    expect(regionIdsOn(doc, "pdf", undefined)).toEqual(["o1", "o2", "o3", "o4"]);
    expect(listedRegions(doc, "pdf", "created", 1).map((r) => r.id)).toEqual(["o2"]);
    expect(listedRegions(doc, "pdf", "created", 0).map((r) => r.id)).toEqual(["o1", "o3", "o4"]);
    expect(regionIdsOn(doc, "img", 1)).toEqual(["img0"]);
    expect(regionIdsOn(doc, "img", 0)).toEqual([]);
  });
});

// -- drawing on a page ------------------------------------------------------------------------------------

const PAGE = { width: 600, height: 800 };

function ocrControl(): RegionControl {
  const spec = { name: "ocr", tag: "OcrLabels", type: "ocrlabels", to_name: ["pdf"], labels: [{ value: "Typo", alias: null, label: "Typo", color: "#0a0" }] } as unknown as ControlSpec;
  return { name: "ocr", tag: "OcrLabels", kind: "rectangle", type: "ocrlabels", labelled: true, spec };
}

function pageHost(page: PdfPageTarget): { host: ToolHost; annotation: Annotation; ui: UiStore } {
  const annotation = new Annotation([]);
  const ui = new UiStore();
  let ids = 0;
  const host: ToolHost = {
    object: "pdf",
    size: PAGE,
    scale: () => 1,
    annotation,
    ui,
    control: ocrControl(),
    label: "Typo",
    genericLabel: null,
    model: EMPTY_MODEL,
    newId: () => `n${++ids}`,
    regionExtra: () => ({}),
    itemIndex: undefined,
    pdfPage: page,
    fitWidth: () => 800,
    setPreview: () => {},
    panBy: () => {},
    canRotate: () => false,
    styleOf: () => ({ stroke: "#0a0", strokeWidth: 1, fill: "#0a0", fillOpacity: 0.2 }),
    capture: () => {},
  };
  return { host, annotation, ui };
}

const at = (x: number, y: number, hit: PointerInfo["hit"] = {}): PointerInfo => ({ p: { x, y }, screen: { x, y }, hit, shift: false, alt: false, button: 0, detail: 1 });

describe("a box drawn on a PDF page", () => {
  it("is Label Studio's ocrlabels item: percent of the page, pageIndex, the text under it, no image fields", () => {
    const { host, annotation } = pageHost({ index: 1, textIn: (g) => `text at ${String(g.x)}` });
    const tool = new DragShapeTool("rectangle");
    tool.down(at(60, 80), host);
    for (let i = 1; i <= 5; i++) tool.move(at(60 + 24 * i, 80 + 8 * i), host);
    tool.up(at(180, 120), host);
    expect(annotation.snapshot()).toEqual([
      {
        id: "n1", from_name: "ocr", to_name: "pdf", type: "ocrlabels", origin: "manual",
        value: { x: 10, y: 10, width: 20, height: 5, rotation: 0, pageIndex: 1, ocrtext: "text at 10", ocrlabels: ["Typo"] },
      },
    ]);
  });

  it("without text under it there is no ocrtext; moving a box with ocrtext reads the text again", () => {
    let text: string | undefined;
    const { host, annotation, ui } = pageHost({ index: 0, textIn: () => text });
    const tool = new DragShapeTool("rectangle");
    tool.down(at(60, 80), host);
    tool.move(at(120, 120), host);
    tool.up(at(120, 120), host);
    const [made] = annotation.snapshot();
    expect(made?.value).toEqual({ x: 10, y: 10, width: 10, height: 5, rotation: 0, pageIndex: 0, ocrlabels: ["Typo"] });
    // a box imported with ocrtext, moved: its text follows it
    const imported = new Annotation([{ id: "b", from_name: "ocr", to_name: "pdf", type: "ocrlabels", value: { x: 10, y: 10, width: 10, height: 5, rotation: 0, pageIndex: 0, ocrtext: "old", ocrlabels: ["Typo"] } }]);
    host.annotation = imported;
    text = "new";
    const edit = new EditTool();
    edit.down(at(70, 90, { region: "b" }), host);
    edit.move(at(130, 90), host);
    edit.up(at(130, 90), host);
    expect(imported.snapshot()[0]?.value).toEqual({ x: 20, y: 10, width: 10, height: 5, rotation: 0, pageIndex: 0, ocrtext: "new", ocrlabels: ["Typo"] });
    expect(ui.state.selected).toEqual(["b"]);
  });

  it("onPdfPage adds ocrtext to ocrlabels only", () => {
    const page = { index: 3, textIn: () => "x" };
    expect(onPdfPage(page, "rectanglelabels", { x: 1 })).toEqual({ x: 1, pageIndex: 3 });
    expect(onPdfPage(page, "ocrlabels", { x: 1 })).toEqual({ x: 1, pageIndex: 3, ocrtext: "x" });
  });
});

// -- the text under a box ---------------------------------------------------------------------------------

// a US letter page (612 x 792 pt) at scale 1: pdf.js's viewport flips y
const FLIP = [1, 0, 0, -1, 0, 792];
// Helvetica 12 pt at (72, 672): "Total due: 1,250.00 EUR" is 24 characters, 0.5 em each here for simplicity
const LINE = (str: string, x: number, y: number, size = 12) => ({ str, transform: [size, 0, 0, size, x, y], width: str.length * size * 0.5, fontName: "f1" });
const STYLES = { f1: { ascent: 0.75, descent: -0.25, vertical: false } };

describe("the text under a box", () => {
  const runs: TextRun[] = textRuns(
    [LINE("Invoice 2024-0117 was issued", 72, 696), LINE("Total due: 1,250.00 EUR", 72, 672), LINE("   ", 300, 672), LINE("page 1", 400, 672), { str: "bad" }],
    STYLES,
    FLIP,
  );
  const page = { width: 612, height: 792 };
  const pct = (x0: number, y0: number, x1: number, y1: number) => ({ x: (x0 / 612) * 100, y: (y0 / 792) * 100, width: ((x1 - x0) / 612) * 100, height: ((y1 - y0) / 792) * 100, rotation: 0 });

  it("places runs on the page in page units, y down", () => {
    expect(runs).toHaveLength(3); // blank and malformed items are dropped
    expect(runs[1]).toEqual({ str: "Total due: 1,250.00 EUR", x: 72, y: 792 - 672 - 9, width: 138, height: 12, horizontal: true });
  });

  it("takes the characters whose middle is inside the box", () => {
    // "1,250.00" starts at character 11: x = 72 + 11 * 6 = 138, ends at 138 + 8 * 6 = 186
    expect(textInBox(runs, pct(137, 110, 187, 122), page)).toBe("1,250.00");
    expect(textInBox(runs, pct(72, 110, 120, 122), page)).toBe("Total du");
  });

  it("reads several lines top to bottom and pieces left to right", () => {
    expect(textInBox(runs, pct(60, 80, 450, 125), page)).toBe("Invoice 2024-0117 was issued\nTotal due: 1,250.00 EUR page 1");
  });

  it("a box over nothing, or a line only grazed, gives no text", () => {
    expect(textInBox(runs, pct(60, 300, 400, 400), page)).toBe("");
    expect(textInBox(runs, pct(72, 120, 200, 121), page)).toBe(""); // 1 of the line's 12 units
    expect(textInBox(runs, { x: "a" }, page)).toBe("");
  });

  it("a rotated box is taken by its bounding box", () => {
    const box = boxOnPage({ x: 0, y: 0, width: 50, height: 50, rotation: 90 }, { width: 100, height: 100 });
    expect(box?.x0).toBeCloseTo(-50);
    expect(box?.x1).toBeCloseTo(0);
    expect(box?.y1).toBeCloseTo(50);
  });
});

describe("what pdf.js may ask the kernel for", () => {
  it("a file name in one of three asset folders, nothing else", () => {
    expect(dataAssetName("standardFontDataUrl", "FoxitSerif.pfb")).toBe("pdfjs/standard_fonts/FoxitSerif.pfb");
    expect(dataAssetName("cMapUrl", "UniJIS-UCS2-H.bcmap")).toBe("pdfjs/cmaps/UniJIS-UCS2-H.bcmap");
    expect(dataAssetName("wasmUrl", "openjpeg.wasm")).toBe("pdfjs/wasm/openjpeg.wasm");
    for (const name of ["../pdf.min.mjs", "a/b", "/etc/passwd", "", ".hidden", "x\\y"]) expect(dataAssetName("cMapUrl", name)).toBeNull();
    expect(dataAssetName("toString", "x")).toBeNull();
    expect(dataAssetName("__proto__", "x")).toBeNull();
  });
});
