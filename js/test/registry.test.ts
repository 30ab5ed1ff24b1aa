/// <reference types="vite/client" />
import { describe, expect, it } from "vitest";
import { CONTROLS } from "../src/controls";
import { REGION_TOOLS, SPAN_LABELS } from "../src/controls/regionTools";
import { IGNORED, OBJECTS } from "../src/objects";
import { KERNEL, NOT_YET, TAG_HOMES, isShown, tagHome } from "../src/schema/registry";

// the module files of js/src, to check that every home names one
const MODULES = import.meta.glob("../src/**/*.{ts,tsx}");

describe("the tag registry", () => {
  it("names a real module as the home of every tag it shows", () => {
    for (const [tag, home] of Object.entries(TAG_HOMES)) {
      if (home === NOT_YET || home === KERNEL) continue;
      expect(Object.keys(MODULES), tag).toContain(`../src/${home}`);
    }
  });

  it("lists every tag the renderers know, with their own home", () => {
    for (const tag of Object.keys(OBJECTS)) {
      expect([`objects/${tag}.tsx`, `objects/${tag.toLowerCase()}/${tag}.tsx`], tag).toContain(tagHome(tag));
    }
    for (const tag of Object.keys(CONTROLS)) expect(tagHome(tag), tag).toMatch(/^controls\//);
    for (const tag of Object.keys(REGION_TOOLS)) expect(tagHome(tag), tag).toBe("controls/labels.tsx");
    for (const tag of IGNORED) expect(isShown(tag), tag).toBe(true);
  });

  it("shows a tag only when a renderer takes it (or the kernel resolves it)", () => {
    // region tools and span labels (Labels, ParagraphLabels) render as label bars (tree.tsx), Relations in the region list
    const rendered = new Set([...Object.keys(OBJECTS), ...Object.keys(CONTROLS), ...Object.keys(REGION_TOOLS), ...Object.keys(SPAN_LABELS), "Relations", ...IGNORED]);
    // children render inside their owner: Choice in Choices, Label in a labels bar, Relation in the region
    // list, Panel in its Collapse, Bucket as a column of its Ranker
    const children = new Set(["Choice", "Label", "Relation", "Panel", "Bucket"]);
    for (const [tag, home] of Object.entries(TAG_HOMES)) {
      if (home === NOT_YET || home === KERNEL || children.has(tag)) continue;
      expect(rendered.has(tag), tag).toBe(true);
    }
    expect(tagHome("NoSuchTag")).toBeUndefined();
  });
});
