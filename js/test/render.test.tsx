// @vitest-environment happy-dom
// An edit re-renders the control it changed, not the root and not the other controls.
import type { FunctionComponent } from "preact";
import { act } from "preact/test-utils";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { CONTROLS } from "../src/controls";
import type { ControlProps } from "../src/controls/types";
import type { TaskState } from "../src/protocol";
import { traits } from "./fakeModel";
import { mountWidget, type Mounted } from "./mountWidget";

// the view and control model the kernel sends for the "render" config of tests/unit/widget/js_fixtures.py
const RENDER = traits("render");

const TASK: TaskState = { id: 1, data: { text: "Nice." }, result: [], annotation_id: null, predictions: [], media: [], can_back: false };

const renders = new Map<string, number>();
const originals = new Map<string, FunctionComponent<ControlProps>>();

beforeAll(() => {
  for (const def of Object.values(CONTROLS)) {
    const Original = def.Component;
    originals.set(def.type, Original);
    def.Component = (props: ControlProps) => {
      renders.set(props.control.name, (renders.get(props.control.name) ?? 0) + 1);
      return Original(props);
    };
  }
});

afterAll(() => {
  for (const def of Object.values(CONTROLS)) def.Component = originals.get(def.type)!;
});

let el: HTMLElement;
let mounted: Mounted | null = null;

function mount() {
  mounted = mountWidget({ ...RENDER, task: TASK, status: { done: 0, total: 1, empty: false, message: "", user: "u" } });
  el = mounted.el;
}

afterEach(() => {
  mounted?.unmount();
  mounted = null;
});

const $ = <T extends Element = HTMLElement>(sel: string) => el.querySelector<T>(sel)!;

/** Controls rendered by `action`, by name. */
function renderedBy(action: () => void): Record<string, number> {
  renders.clear();
  act(action);
  return Object.fromEntries(renders);
}

function type(sel: string, value: string) {
  const field = $<HTMLTextAreaElement | HTMLInputElement>(sel);
  field.value = value;
  field.dispatchEvent(new Event("input", { bubbles: true }));
}

const key = (k: string, extra: KeyboardEventInit = {}) =>
  $(".labelnb-root").dispatchEvent(new KeyboardEvent("keydown", { key: k, bubbles: true, cancelable: true, ...extra }));

describe("render isolation", () => {
  it("an edit of one control re-renders that control only", () => {
    mount();
    expect(renderedBy(() => type('[data-control="note"] [data-entry-input]', "hello"))).toEqual({ note: 1 });
    expect(renderedBy(() => $('[data-control="stars"] [data-rating="3"]').click())).toEqual({ stars: 1 });
    expect(renderedBy(() => type('[data-control="price"] input', "12"))).toEqual({ price: 1 });
    expect(renderedBy(() => $('[data-control="topics"] [data-choice="Food"]').click())).toEqual({ topics: 1 });
    expect(renderedBy(() => $('[data-control="sentiment"] [data-choice="Positive"]').click())).toEqual({ sentiment: 1 });
    // an edit that changes what visibleWhen lets through re-renders the tree (here: Negative shows "why")
    expect($('[data-control="why"]')).toBeNull();
    expect(renderedBy(() => key("2"))).toMatchObject({ sentiment: 1, why: 1 });
    expect($('[data-control="why"]')).not.toBeNull();
    expect(renderedBy(() => type('[data-control="why"] [data-entry-input]', "too salty"))).toEqual({ why: 1 });
  });

  // (a text field renders twice: once for the value, once more when its local text follows it)
  const names = (r: Record<string, number>) => Object.keys(r);
  it("undo and redo re-render the control they change only", () => {
    mount();
    act(() => $('[data-control="stars"] [data-rating="4"]').click());
    act(() => type('[data-control="note"] [data-entry-input]', "x"));
    act(() => void $('[data-control="note"] [data-entry-input]').dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", bubbles: true, cancelable: true })));
    expect(el.querySelectorAll('[data-control="note"] .lnb-ta-entry')).toHaveLength(1);
    expect(names(renderedBy(() => key("z", { ctrlKey: true })))).toEqual(["note"]);
    expect(el.querySelectorAll('[data-control="note"] .lnb-ta-entry')).toHaveLength(0);
    expect(renderedBy(() => key("z", { ctrlKey: true }))).toEqual({ stars: 1 });
    expect($('[data-control="stars"] [aria-checked="true"]')).toBeNull();
    expect(renderedBy(() => key("y", { ctrlKey: true }))).toEqual({ stars: 1 });
    expect($('[data-control="stars"] [data-rating="4"]').getAttribute("aria-checked")).toBe("true");
  });

  it("focus moving in and out of the widget re-renders no control", () => {
    mount();
    expect(renderedBy(() => $<HTMLElement>(".labelnb-root").focus())).toEqual({});
  });
});
