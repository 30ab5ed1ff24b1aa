// <Filter>: the text narrows a control's labels or choices (Label Studio's Filter: value contains the text,
// case-insensitive, from minlength characters on).
import { describe, expect, it } from "vitest";
import { filterFor, passesFilter } from "../src/schema/filter";
import type { ControlModel, FilterSpec } from "../src/schema/model";

const spec = (min: number | null = null) => ({ name: "f", to_name: ["ner"], placeholder: "Quick Filter", min_length: min, path: [0], hotkey: null, hotkey_auto: false }) as FilterSpec;

describe("Filter", () => {
  it("shows everything below minlength (default 3)", () => {
    expect(passesFilter(spec(), "or", "Person")).toBe(true);
    expect(passesFilter(spec(), "org", "Person")).toBe(false);
    expect(passesFilter(spec(), "ORG", "Organization")).toBe(true);
    expect(passesFilter(spec(0), "p", "Organization")).toBe(false);
    expect(passesFilter(spec(0), "", "Organization")).toBe(true);
    expect(passesFilter(undefined, "zzz", "Organization")).toBe(true);
  });

  it("finds the filter of a control", () => {
    const model = { filters: [spec()] } as unknown as ControlModel;
    expect(filterFor(model, "ner")?.name).toBe("f");
    expect(filterFor(model, "other")).toBeUndefined();
  });
});
