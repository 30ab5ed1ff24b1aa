// @vitest-environment happy-dom
// <TextArea> as Label Studio's: an input and the entries added from it (value.text, one string each).
import { act } from "preact/test-utils";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ResultItem, TaskState } from "../src/protocol";
import { PENDING_META_KEY, takePendingInput } from "../src/state/pendingText";
import { type FakeModel, traits } from "./fakeModel";
import { mountWidget, type Mounted } from "./mountWidget";

const TASK: TaskState = { id: 5, data: { t: "cats" }, result: [], annotation_id: null, predictions: [], media: [], can_back: false };
const STATUS = { done: 0, total: 1, empty: false, message: "", user: "u" };

let model: FakeModel;
let el: HTMLElement;
let mounted: Mounted | null = null;

function mount(fixture: "textarea" | "regions" = "textarea", task: Partial<TaskState> = {}) {
  mounted = mountWidget({ ...traits(fixture), task: { ...TASK, ...task }, status: STATUS });
  ({ model, el } = mounted);
}

afterEach(() => {
  mounted?.unmount();
  mounted = null;
  vi.useRealTimers();
});

const $ = <T extends Element = HTMLElement>(sel: string) => el.querySelector<T>(sel);
const root = () => $(".labelnb-root")!;
const input = (control: string) => $<HTMLInputElement | HTMLTextAreaElement>(`[data-control="${control}"] [data-entry-input]`);
const entries = (control: string) => [...el.querySelectorAll(`[data-control="${control}"] .lnb-ta-entry`)];
const texts = (control: string) =>
  entries(control).map((e) => e.querySelector(".lnb-ta-text")?.textContent ?? e.querySelector<HTMLInputElement>(".lnb-ta-edit")?.value);

function type(field: Element, value: string) {
  act(() => {
    (field as HTMLInputElement).value = value;
    field.dispatchEvent(new Event("input", { bubbles: true }));
  });
}

function press(target: Element, key: string, extra: KeyboardEventInit = {}) {
  const event = new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true, ...extra });
  act(() => void target.dispatchEvent(event));
  return event;
}

function click(target: Element | null) {
  if (!target) throw new Error("nothing to click");
  act(() => (target as HTMLElement).click());
}

/** Type `text` into the control's input and press its add key. */
function addEntry(control: string, text: string, key: KeyboardEventInit = {}) {
  const field = input(control)!;
  act(() => field.focus());
  type(field, text);
  press(field, "Enter", key);
}

const submitted = () => {
  press(root(), "Enter", { ctrlKey: true });
  const sent = model.sentOf("submit");
  return sent[sent.length - 1].result as ResultItem[];
};
const valueOf = (result: ResultItem[], name: string) => result.find((it) => it.from_name === name)?.value;

describe("entries", () => {
  it("Enter adds each text as an entry of one item; the input stays for the next", () => {
    mount();
    addEntry("tags", "Cute");
    addEntry("tags", "Fluffy");
    expect(texts("tags")).toEqual(["Cute", "Fluffy"]);
    expect(input("tags")).toBeNull(); // maxSubmissions="2": the input goes ...
    expect(document.activeElement).toBe(root()); // ... and the keyboard is the widget's again
    const result = submitted();
    expect(result.filter((it) => it.from_name === "tags")).toEqual([
      { id: expect.any(String), from_name: "tags", to_name: "t", type: "textarea", value: { text: ["Cute", "Fluffy"] }, origin: "manual" },
    ]);
  });

  it("skipDuplicates refuses a text equal to an entry, ignoring case, and says why", () => {
    mount();
    addEntry("tags", "Cute");
    addEntry("tags", "cUTE");
    expect(texts("tags")).toEqual(["Cute"]);
    expect($('[data-notice="tags"]')?.textContent).toBe("There is already an entry with that text. Please enter unique text.");
    expect(input("tags")?.value).toBe("cUTE"); // kept, to be changed
    type(input("tags")!, "cuter");
    expect($('[data-notice="tags"]')).toBeNull();
  });

  it("with several rows Enter is a new line and Shift+Enter adds; on an empty input it gives the keyboard back", () => {
    mount();
    const field = input("notes")!;
    expect(field.tagName).toBe("TEXTAREA");
    act(() => field.focus());
    type(field, "line one");
    expect(press(field, "Enter").defaultPrevented).toBe(false); // the browser makes the new line
    type(field, "line one\nline two");
    expect(press(field, "Enter", { shiftKey: true }).defaultPrevented).toBe(true);
    expect(texts("notes")).toEqual(["line one\nline two"]);
    expect(document.activeElement).toBe(field);
    press(field, "Enter", { shiftKey: true });
    expect(document.activeElement).toBe(root());
  });

  it("the Add button adds (showSubmitButton), and a `value` fills a fresh task's input, not its entries", () => {
    mount();
    expect(input("summary")?.value).toBe("About cats");
    expect(entries("summary")).toHaveLength(0);
    expect($('[data-control="tags"] [data-action="add-entry"]')).toBeNull(); // one row: no button by default
    expect($('[data-control="notes"] [data-action="add-entry"]')).not.toBeNull(); // several rows: a button
    click($('[data-control="summary"] [data-action="add-entry"]'));
    expect(texts("summary")).toEqual(["About cats"]);
    expect(input("summary")?.value).toBe("");
    expect(document.activeElement).toBe(input("summary"));
  });

  it("what is still in an input becomes its last entry when the task is submitted (Label Studio's beforeSend)", () => {
    mount();
    addEntry("notes", "kept", { shiftKey: true });
    type(input("notes")!, "typed, not added");
    type(input("tags")!, "   "); // blank: no entry
    const result = submitted();
    expect(valueOf(result, "notes")).toEqual({ text: ["kept", "typed, not added"] });
    expect(valueOf(result, "summary")).toEqual({ text: ["About cats"] });
    expect(valueOf(result, "tags")).toBeUndefined();
    expect(input("notes")?.value).toBe("");
  });

  it("undo takes an added entry away; the input is not part of the history", () => {
    mount();
    addEntry("tags", "Cute");
    type(input("tags")!, "half typed");
    press(root(), "z", { ctrlKey: true });
    expect(entries("tags")).toHaveLength(0);
    expect(input("tags")?.value).toBe("half typed");
  });
});

describe("editing and deleting", () => {
  it("every entry has a delete button; only editable ones an edit button", () => {
    mount();
    addEntry("tags", "Cute");
    addEntry("notes", "n1", { shiftKey: true });
    expect($('[data-control="tags"] [data-action="edit-entry"]')).toBeNull();
    click($('[data-control="tags"] [data-action="delete-entry"]'));
    expect(entries("tags")).toHaveLength(0);
    expect(document.activeElement).toBe(root());
    expect($('[data-control="notes"] [data-action="edit-entry"]')).not.toBeNull();
  });

  it("editable: an entry is edited in place; Shift+Enter saves, Escape cancels, an emptied entry goes", () => {
    mount();
    addEntry("notes", "first", { shiftKey: true });
    addEntry("notes", "second", { shiftKey: true });
    click($('[data-control="notes"] [data-entry="0"] [data-action="edit-entry"]'));
    const edit = $<HTMLTextAreaElement>('[data-control="notes"] [data-entry="0"] .lnb-ta-edit')!;
    expect(document.activeElement).toBe(edit);
    type(edit, "first, fixed");
    press(edit, "Enter", { shiftKey: true });
    expect(texts("notes")).toEqual(["first, fixed", "second"]);
    expect(document.activeElement).toBe(root());

    click($('[data-control="notes"] [data-entry="1"] [data-action="edit-entry"]'));
    const again = $<HTMLTextAreaElement>('[data-control="notes"] [data-entry="1"] .lnb-ta-edit')!;
    type(again, "not this");
    press(again, "Escape");
    expect(texts("notes")).toEqual(["first, fixed", "second"]);
    expect(document.activeElement).toBe(root());

    click($('[data-control="notes"] [data-entry="1"] [data-action="edit-entry"]'));
    const emptied = $<HTMLTextAreaElement>('[data-control="notes"] [data-entry="1"] .lnb-ta-edit')!;
    type(emptied, "  ");
    press(emptied, "Enter", { shiftKey: true });
    expect(texts("notes")).toEqual(["first, fixed"]);
    expect(valueOf(submitted(), "notes")).toEqual({ text: ["first, fixed"] });
  });

  it("Ctrl+Enter in an entry being edited submits the task with the edit", () => {
    mount();
    addEntry("notes", "draft text", { shiftKey: true });
    click($('[data-control="notes"] [data-entry="0"] [data-action="edit-entry"]'));
    const edit = $<HTMLTextAreaElement>('[data-control="notes"] [data-entry="0"] .lnb-ta-edit')!;
    type(edit, "final text");
    press(edit, "Enter", { ctrlKey: true });
    expect(valueOf(model.sentOf("submit")[0].result, "notes")).toEqual({ text: ["final text"] });
  });

  it("transcription: the entries of an editable TextArea are always open; Enter saves one", () => {
    mount();
    addEntry("fix", "helo wrld");
    const field = $<HTMLInputElement>('[data-control="fix"] [data-entry="0"] .lnb-ta-edit')!;
    expect(field.value).toBe("helo wrld");
    expect($('[data-control="fix"] [data-action="edit-entry"]')).toBeNull();
    type(field, "hello world");
    press(field, "Enter");
    expect(valueOf(submitted(), "fix")).toEqual({ text: ["hello world"] });
  });
});

describe("stored results", () => {
  const stored: ResultItem[] = [
    { id: "a1", from_name: "notes", to_name: "t", type: "textarea", value: { text: ["one", "two"] }, origin: "prediction" },
    { id: "a2", from_name: "tags", to_name: "t", type: "textarea", value: { text: "legacy" } },
  ];

  it("a stored answer shows its entries, no prefill, and goes back unchanged; an edit marks a prediction changed", () => {
    mount("textarea", { result: stored, annotation_id: 3 });
    expect(texts("notes")).toEqual(["one", "two"]);
    expect(texts("tags")).toEqual(["legacy"]); // an older export's plain string: one entry
    expect(input("summary")?.value).toBe("");
    expect(submitted()).toEqual(stored);
    model.reply("submit");
  });

  it("an entry added to a stored answer keeps its id; a prediction becomes prediction-changed", () => {
    mount("textarea", { result: stored, annotation_id: 3 });
    addEntry("notes", "three", { shiftKey: true });
    expect(submitted()[0]).toEqual({ ...stored[0], value: { text: ["one", "two", "three"] }, origin: "prediction-changed" });
  });
});

describe("drafts keep what is typed", () => {
  it("a draft holds the input's text in meta.textAreaPendingInput, beside the entries", () => {
    vi.useFakeTimers();
    mount();
    addEntry("notes", "entry", { shiftKey: true });
    type(input("notes")!, "typing...");
    type(input("summary")!, "");
    act(() => void vi.advanceTimersByTime(1100));
    const draft = model.sentOf("draft").at(-1).result as ResultItem[];
    expect(draft.find((it) => it.from_name === "notes")).toMatchObject({ value: { text: ["entry"] }, meta: { [PENDING_META_KEY]: "typing..." } });
    expect(draft.find((it) => it.from_name === "summary")).toBeUndefined();
    // an input with no entry yet: an item with none, as Label Studio drafts it
    type(input("tags")!, "pend");
    act(() => void vi.advanceTimersByTime(1100));
    const next = model.sentOf("draft").at(-1).result as ResultItem[];
    expect(next.find((it) => it.from_name === "tags")).toMatchObject({ type: "textarea", value: { text: [] }, meta: { [PENDING_META_KEY]: "pend" } });
  });

  it("a draft shown again puts the text back into the input, and submits it as an entry", () => {
    const draft: ResultItem[] = [
      { id: "d1", from_name: "notes", to_name: "t", type: "textarea", value: { text: ["entry"] }, meta: { [PENDING_META_KEY]: "typing...", lead_time: 2 } },
      { id: "d2", from_name: "tags", to_name: "t", type: "textarea", value: { text: [] }, meta: { [PENDING_META_KEY]: "pend" } },
    ];
    mount("textarea", { result: draft });
    expect(texts("notes")).toEqual(["entry"]);
    expect(input("notes")?.value).toBe("typing...");
    expect(input("tags")?.value).toBe("pend");
    expect(entries("tags")).toHaveLength(0);
    expect(input("summary")?.value).toBe(""); // not a fresh task: no prefill
    const result = submitted();
    expect(result).toEqual([
      { id: "d1", from_name: "notes", to_name: "t", type: "textarea", value: { text: ["entry", "typing..."] }, meta: { lead_time: 2 }, origin: "manual" },
      { id: expect.any(String), from_name: "tags", to_name: "t", type: "textarea", value: { text: ["pend"] }, origin: "manual" },
    ]);
  });

  it("items without a pending text are given back as they are", () => {
    const items: ResultItem[] = [{ id: "x", from_name: "n", to_name: "t", type: "textarea", value: { text: [] } }];
    expect(takePendingInput(items).items).toBe(items);
  });
});

describe("perRegion", () => {
  const car: ResultItem = {
    id: "car1", from_name: "box", to_name: "img", type: "rectanglelabels", origin: "manual",
    value: { x: 10, y: 20, width: 30, height: 40, rotation: 0, rectanglelabels: ["Car"] },
    original_width: 800, original_height: 600, image_rotation: 0,
  };

  it("entries of the selected region share its id and repeat its geometry; each region keeps its own input", () => {
    const van = { ...car, id: "van1", value: { ...car.value, x: 50 } };
    mount("regions", { data: { image: "https://example.org/street.jpg" }, result: [car, van], annotation_id: 9 });
    click($('[data-region-item="car1"] .lnb-region-pick'));
    addEntry("plate", "B-AB 123");
    addEntry("plate", "second plate");
    type(input("plate")!, "left in car1's input");
    click($('[data-region-item="van1"] .lnb-region-pick'));
    expect(entries("plate")).toHaveLength(0);
    expect(input("plate")?.value).toBe("");
    addEntry("plate", "M-XY 9");
    click($('[data-region-item="car1"] .lnb-region-pick'));
    expect(texts("plate")).toEqual(["B-AB 123", "second plate"]);
    expect(input("plate")?.value).toBe("left in car1's input");
    const result = submitted();
    expect(result.filter((it) => it.from_name === "plate")).toEqual([
      { id: "car1", from_name: "plate", to_name: "img", type: "textarea", origin: "manual",
        value: { x: 10, y: 20, width: 30, height: 40, rotation: 0, text: ["B-AB 123", "second plate", "left in car1's input"] } },
      { id: "van1", from_name: "plate", to_name: "img", type: "textarea", origin: "manual",
        value: { x: 50, y: 20, width: 30, height: 40, rotation: 0, text: ["M-XY 9"] } },
    ]);
  });

  it("a perRegion slider keeps its arrow keys: they move it, never the selected region", () => {
    mount("regions", { data: { image: "https://example.org/street.jpg" }, result: [car], annotation_id: 9 });
    click($('[data-region-item="car1"] .lnb-region-pick'));
    const slider = $<HTMLInputElement>('[data-control="speed"] input[type="range"]')!;
    expect([slider.min, slider.max, slider.step]).toEqual(["0", "100", "10"]);
    act(() => slider.focus());
    for (const key of ["ArrowRight", "ArrowUp", "Home", "End", "PageDown"]) expect(press(slider, key).defaultPrevented).toBe(false);
    expect(press(root(), "ArrowRight").defaultPrevented).toBe(true); // on the widget the arrow is the region's
  });

  it("a perRegion Number the kernel would refuse blocks the submit, said by the control", () => {
    mount("regions", { data: { image: "https://example.org/street.jpg" }, result: [car], annotation_id: 9 });
    click($('[data-region-item="car1"] .lnb-region-pick'));
    type($('[data-control="speed"] input')!, "55"); // off the step of 10 (a browser's slider never goes there)
    press(root(), "Enter", { ctrlKey: true });
    expect(model.sentOf("submit")).toHaveLength(0);
    expect($('[data-testid="error"]')?.textContent).toContain('"speed" must be a multiple of 10');
    expect($('[data-control="speed"] .lnb-problem')?.textContent).toContain("multiple of 10");
    type($('[data-control="speed"] input')!, "60");
    expect(submitted().at(-1)).toEqual({ id: "car1", from_name: "speed", to_name: "img", type: "number", origin: "manual",
      value: { x: 10, y: 20, width: 30, height: 40, rotation: 0, number: 60 } });
  });
});
