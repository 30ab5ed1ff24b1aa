// The front end reads every rule about a control from the model the kernel analysed (models.generated.ts is
// what the kernel sends for the configs in tests/unit/widget/js_fixtures.py); nothing is re-derived here.
import { describe, expect, it } from "vitest";
import { labelHotkeys, modelHotkeys } from "../src/hotkeys";
import { choiceLayout, choiceMode, choiceSpecs, preselectedChoices } from "../src/schema/choices";
import { asControlModel, controlAt, controlSpec, EMPTY_MODEL, objectSpec, type ControlModel, type ControlSpec } from "../src/schema/model";
import { nextNumber, numberLimits, numberProblem } from "../src/schema/number";
import { maxRating, nextRating } from "../src/schema/rating";
import { textareaRows } from "../src/schema/textarea";
import { isPerRegion } from "../src/state/analysis";
import { FIXTURES } from "./models.generated";

const rules = FIXTURES.rules.controls;
const spec = (name: string, model: ControlModel = rules): ControlSpec => {
  const found = controlSpec(model, name);
  if (!found) throw new Error(`no control ${name}`);
  return found;
};

describe("the control model", () => {
  it("finds controls and objects by name and by path; {} reads as the empty model", () => {
    expect(spec("stars").tag).toBe("Rating");
    expect(controlSpec(rules, "nope")).toBeUndefined();
    expect(objectSpec(rules, "t")?.tag).toBe("Text");
    expect(controlAt(rules, [5])?.name).toBe("stars");
    expect(asControlModel({})).toBe(EMPTY_MODEL);
    expect(asControlModel(null)).toBe(EMPTY_MODEL);
    expect(asControlModel(rules).controls).toBe(rules.controls);
  });
});

describe("rules the kernel and Label Studio read, not the attributes", () => {
  it('perRegion="1" is not perRegion (only true/false are booleans)', () => {
    expect(isPerRegion(spec("one"))).toBe(false);
    expect(isPerRegion(spec("regional"))).toBe(true);
  });

  it('required="yes" and selected="1" are not true', () => {
    expect(spec("picked").required).toBe(false);
    expect(preselectedChoices(spec("picked"))).toEqual([]);
    expect(choiceSpecs(spec("picked"))[0]?.selected).toBe(false);
  });

  it("maxRating is not clamped", () => {
    expect(maxRating(spec("stars"))).toBe(30);
  });

  it('showInline="true" beats layout="select"', () => {
    expect(choiceLayout(spec("drop"))).toBe("inline");
    expect(choiceMode(spec("drop"))).toBe("single");
  });

  it("a TextArea has one row unless rows says otherwise", () => {
    expect(textareaRows(spec("note"))).toBe(1);
    expect(textareaRows(spec("essay"))).toBe(4);
  });

  it("labels and controls without a hotkey get Label Studio's automatic ones", () => {
    expect(choiceSpecs(spec("one")).map((c) => c.hotkeyText)).toEqual(["1", "2"]);
    expect(choiceSpecs(spec("drop")).map((c) => c.hotkeyText)).toEqual(["4", "5"]);
    expect(labelHotkeys(spec("one")).map((h) => [h.label?.label, h.text, h.auto])).toEqual([
      ["a", "1", true],
      ["b", "2", true],
    ]);
    expect(modelHotkeys(rules).map((h) => `${h.control}:${h.label?.label ?? ""}:${h.text}`)).toEqual([
      "one:a:1", "one:b:2", "regional:c:3", "drop:d:4", "drop:e:5", "picked:f:6", "stars::7", "half::8", "tenth::9",
    ]); // prettier-ignore
  });

  it("options from task data are numbered around the written hotkeys", () => {
    const c = spec("c", FIXTURES.dynamic.controls);
    expect(choiceSpecs(c).map((s) => [s.label, s.hotkeyText])).toEqual([
      ["Red", "1"],
      ["Blue", "b"],
      ["Green", "2"],
    ]);
  });
});

describe("Number", () => {
  const half = numberLimits(spec("half"));
  const tenth = numberLimits(spec("tenth"));

  it("reads min, max and step", () => {
    expect(half).toEqual({ min: 1, max: 5, step: 0.5 });
    expect(tenth).toEqual({ min: null, max: null, step: 0.1 });
    expect(numberLimits(spec("price", FIXTURES.widget.controls))).toEqual({ min: 0, max: 100, step: null });
  });

  it("keeps values on the step's grid from min (or 0), within 1e-8", () => {
    expect([1, 1.5, 4.5, 5].map((n) => numberProblem(half, n))).toEqual([null, null, null, null]);
    expect(numberProblem(half, 1.25)).toBe("must be a multiple of 0.5 from 1: the two nearest valid values are 1.0 and 1.5");
    expect(numberProblem(half, 0.5)).toBe("must be at least 1");
    expect(numberProblem(half, 5.5)).toBe("must be at most 5");
    expect(numberProblem(tenth, 0.3)).toBeNull(); // 0.1 + 0.2 is not 0.3 in floating point; the tolerance says it is
    expect(numberProblem(tenth, 0.1 + 0.2)).toBeNull();
    expect(numberProblem(tenth, 0.35)).toBe("must be a multiple of 0.1: the two nearest valid values are 0.3 and 0.4");
    expect(numberProblem(tenth, -7.2)).toBeNull();
  });

  it("the hotkey adds a step and wraps to min past max", () => {
    expect(nextNumber(spec("half"), null)).toBe(1.5);
    expect(nextNumber(spec("half"), 4.5)).toBe(5);
    expect(nextNumber(spec("half"), 5)).toBe(1);
    expect(nextNumber({ ...spec("half"), step: null }, 2)).toBe(3); // no step: one more
  });

  it("the rating hotkey cycles 1..max then none", () => {
    expect([0, 1, 29, 30].map((r) => nextRating(r, maxRating(spec("stars"))))).toEqual([1, 2, 30, 0]);
  });
});
