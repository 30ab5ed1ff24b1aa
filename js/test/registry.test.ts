/// <reference types="vite/client" />
import { describe, expect, it } from "vitest";
import { CONTROLS } from "../src/controls";
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
    for (const tag of Object.keys(OBJECTS)) expect(tagHome(tag), tag).toBe(`objects/${tag}.tsx`);
    for (const tag of Object.keys(CONTROLS)) expect(tagHome(tag), tag).toMatch(/^controls\//);
    for (const tag of IGNORED) expect(isShown(tag), tag).toBe(true);
  });

  it("shows a tag only when a renderer takes it (or the kernel resolves it)", () => {
    const rendered = new Set([...Object.keys(OBJECTS), ...Object.keys(CONTROLS), ...IGNORED]);
    for (const [tag, home] of Object.entries(TAG_HOMES)) {
      if (home === NOT_YET || home === KERNEL || tag === "Choice") continue; // Choice renders inside Choices
      expect(rendered.has(tag), tag).toBe(true);
    }
    expect(tagHome("NoSuchTag")).toBeUndefined();
  });
});
