// @vitest-environment happy-dom
import { act } from "preact/test-utils";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import widget from "../src/index";

const render = widget.render;
import type { TaskState } from "../src/protocol";
import { FIXTURES } from "./models.generated";
import { FakeModel, traits } from "./fakeModel";

// the view and control model the kernel sends for the "widget" config of tests/unit/widget/js_fixtures.py
const WIDGET = traits("widget");
const TASK: TaskState = {
  id: 7,
  data: { title: "Pizza Place", text: "Great crust.\nSlow service." },
  result: [],
  annotation_id: null,
  predictions: [],
  media: [],
  can_back: false,
};

const STATUS = { done: 12, total: 340, empty: false, message: "", user: "alice" };

let model: FakeModel;
let el: HTMLElement;
let cleanup: (() => void) | null = null;
let urlCount = 0;
const revoked: string[] = [];

function mount(attrs: Record<string, unknown> = {}) {
  model = new FakeModel({ ...WIDGET, task: TASK, status: STATUS, ...attrs });
  el = document.createElement("div");
  document.body.append(el);
  act(() => {
    cleanup = render(
      { model, el },
      { createObjectURL: () => `blob:test/${++urlCount}`, revokeObjectURL: (u) => void revoked.push(u) },
    );
  });
}

const $ = <T extends Element = HTMLElement>(sel: string) => el.querySelector<T>(sel);
const root = () => $(".labelnb-root")!;

function click(sel: string) {
  const target = $(sel);
  if (!target) throw new Error(`nothing matches ${sel}`);
  act(() => target.click());
}

function type(sel: string, value: string) {
  const field = $<HTMLTextAreaElement | HTMLInputElement>(sel)!;
  act(() => {
    field.value = value;
    field.dispatchEvent(new Event("input", { bubbles: true }));
  });
}

function press(target: Element, key: string, extra: KeyboardEventInit = {}) {
  const event = new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true, ...extra });
  act(() => {
    target.dispatchEvent(event);
  });
  return event;
}

async function settle() {
  await act(async () => {
    await Promise.resolve();
    await Promise.resolve();
  });
}

beforeEach(() => {
  urlCount = 0;
  revoked.length = 0;
});

afterEach(() => {
  act(() => cleanup?.());
  cleanup = null;
  el?.remove();
  vi.useRealTimers();
});

describe("rendering a task", () => {
  it("shows objects, controls and a note for tags this version lacks", () => {
    mount();
    expect($("h4")?.textContent).toBe("Review of Pizza Place");
    expect($('[data-object="text"]')?.textContent).toBe("Great crust.\nSlow service.");
    expect(el.querySelectorAll('[data-control="sentiment"] [data-choice]')).toHaveLength(2);
    expect($('[data-control="sentiment"] [data-choice="Positive"] kbd')?.textContent).toBe("1");
    expect(el.querySelectorAll('[data-control="stars"] [data-rating]')).toHaveLength(5);
    expect($<HTMLInputElement>('[data-control="note"] [data-entry-input]')?.placeholder).toBe("Why?");
    expect($('[data-unsupported="Audio"]')?.textContent).toBe("Audio is not supported in this version");
    expect($('[data-unsupported="HyperText"]')).toBeNull();
    expect($('.lnb-hypertext-doc[data-object="page"]')?.textContent).toBe("x");
    // a closed panel opens on a click and shows what it holds
    expect($("[data-panel='0'] .lnb-panel-body")).toBeNull();
    act(() => $<HTMLButtonElement>("[data-panel='0'] .lnb-panel-title")?.click());
    expect($("[data-panel='0'] .lnb-panel-body h4")?.textContent).toBe("Inside");
    expect($(".lnb-markdown strong")?.textContent).toBe("notes");
    expect($('[data-control="tax"] [data-action=taxonomy]')).not.toBeNull();
    // <Style> is applied, scoped to this widget, as a <style> element (never as shown text)
    const style = $("style[data-config-style]");
    expect(style?.textContent).toMatch(/^\.labelnb-root\[data-lnb-scope="s\d+"\] \.x \{ color: red; \}$/);
    expect(el.textContent?.replace(style?.textContent ?? "", "")).not.toContain("color: red");
    expect($('[data-testid="progress"]')?.textContent).toBe("12 of 340 done");
    expect($('[data-testid="user"]')?.textContent).toBe("alice");
    expect($('[data-testid="submit"]')?.textContent).toBe("Submit");
    expect($<HTMLButtonElement>('[data-testid="back"]')?.disabled).toBe(true);
  });

  it("renders markup in task text as text, never as HTML", () => {
    const evil = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script><b>bold</b>';
    mount({ task: { ...TASK, data: { title: "<i>t</i>", text: evil } } });
    const text = $('[data-object="text"]')!;
    expect(text.textContent).toBe(evil);
    expect(text.querySelector("img, script, b")).toBeNull();
    expect($("h4")?.textContent).toBe("Review of <i>t</i>");
    expect(el.querySelector("img, script, i")).toBeNull();
    expect((window as unknown as { __pwned?: number }).__pwned).toBeUndefined();
  });

  it("never crashes on odd trees", () => {
    mount({
      view: {
        tag: "View",
        attrs: { style: "background: url(javascript:alert(1)); padding: 4px" },
        children: [{ tag: "Weird" }, {}, { tag: "Choices", attrs: {} }, { tag: "Image", attrs: { name: "i", value: "$nope" } }],
      },
    });
    expect($('[data-unsupported="Weird"]')).not.toBeNull();
    expect($(".lnb-view")?.getAttribute("style")).toBe("padding: 4px;");
    expect($('[data-object="i"]')?.textContent).toContain("no image");
  });
});

describe("labelling and submitting", () => {
  it("clicks choices, stars, text and a number, and submits Label Studio result items", async () => {
    mount();
    click('[data-control="sentiment"] [data-choice="Negative"]');
    click('[data-control="topics"] [data-choice="Service"]');
    click('[data-control="topics"] [data-choice="Food"]');
    click('[data-control="stars"] [data-rating="4"]');
    type('[data-control="note"] [data-entry-input]', "crust was great");
    press($('[data-control="note"] [data-entry-input]')!, "Enter");
    type('[data-control="price"] input', "12.5");
    expect($('[data-choice="Negative"]')?.getAttribute("data-selected")).toBe("true");
    expect($('[data-choice="Positive"]')?.getAttribute("data-selected")).toBe("false");

    click('[data-testid="submit"]');
    const id = expect.stringMatching(/^[A-Za-z0-9_-]{10}$/);
    expect(model.sentOf("submit")).toEqual([
      {
        kind: "submit",
        request_id: expect.stringMatching(/^[A-Za-z0-9_-]{16}$/),
        task_id: 7,
        lead_time: expect.any(Number),
        result: [
          { id, from_name: "sentiment", to_name: "text", type: "choices", value: { choices: ["neg"] }, origin: "manual" },
          { id, from_name: "topics", to_name: "text", type: "choices", value: { choices: ["Food", "Service"] }, origin: "manual" },
          { id, from_name: "stars", to_name: "text", type: "rating", value: { rating: 4 }, origin: "manual" },
          { id, from_name: "note", to_name: "text", type: "textarea", value: { text: ["crust was great"] }, origin: "manual" },
          { id, from_name: "price", to_name: "text", type: "number", value: { number: 12.5 }, origin: "manual" },
        ],
      },
    ]);
    const sent = model.sentOf("submit")[0];
    expect(new Set(sent.result.map((r: { id: string }) => r.id)).size).toBe(5);
    expect(sent.lead_time).toBeGreaterThanOrEqual(0);

    // buttons wait for the reply
    for (const b of ["submit", "skip"]) expect($<HTMLButtonElement>(`[data-testid="${b}"]`)?.disabled).toBe(true);
    model.reply("submit");
    await settle();
    expect($<HTMLButtonElement>('[data-testid="submit"]')?.disabled).toBe(false);

    // the kernel moves on: the next task starts empty
    act(() => model.set("task", { ...TASK, id: 8, data: { title: "B", text: "next" } }));
    expect($('[data-object="text"]')?.textContent).toBe("next");
    expect(el.querySelectorAll('[data-selected="true"]')).toHaveLength(0);
    expect($<HTMLInputElement>('[data-control="note"] [data-entry-input]')?.value).toBe("");
    expect($<HTMLInputElement>('[data-control="price"] input')?.value).toBe("");
  });

  it("clicking the selected single choice or star again clears it; omitted results are not sent", async () => {
    mount(traits("widgetOptional"));
    click('[data-choice="Positive"]');
    click('[data-choice="Positive"]');
    click('[data-rating="2"]');
    click('[data-rating="2"]');
    type('[data-control="note"] [data-entry-input]', "   ");
    click('[data-testid="submit"]');
    expect(model.sentOf("submit")[0].result).toEqual([]);
  });

  it("a required control blocks submit with a message naming it", () => {
    mount();
    click('[data-testid="submit"]');
    expect(model.sentOf("submit")).toHaveLength(0);
    expect($('[data-testid="error"]')?.getAttribute("role")).toBe("alert");
    expect($('[data-testid="error"]')?.textContent).toContain('Checkbox "sentiment" is required.');
    expect($('[data-control="sentiment"]')?.getAttribute("data-invalid")).toBe("true");
    click('[data-choice="Positive"]');
    expect($('[data-control="sentiment"]')?.getAttribute("data-invalid")).toBeNull();
    click('[data-testid="submit"]');
    expect(model.sentOf("submit")).toHaveLength(1);
    expect($('[data-testid="error"]')).toBeNull();
  });

  it("shows a refused request in a red banner until the next action", async () => {
    mount();
    click('[data-choice="Positive"]');
    click('[data-testid="submit"]');
    model.reply("submit", 'Label "Positive" is not allowed for sentiment');
    await settle();
    expect($('[data-testid="error"]')?.textContent).toContain('Label "Positive" is not allowed for sentiment');
    click('[data-rating="3"]'); // editing keeps it on screen
    expect($('[data-testid="error"]')).not.toBeNull();
    click('[data-testid="skip"]');
    expect($('[data-testid="error"]')).toBeNull();
    expect(model.sentOf("skip")).toEqual([{ kind: "skip", task_id: 7, request_id: expect.any(String) }]);
  });

  it("going back shows the stored annotation, says Update, and keeps the result ids", async () => {
    mount({ task: { ...TASK, can_back: true } });
    click('[data-testid="back"]');
    expect(model.sentOf("back")).toEqual([{ kind: "back", request_id: expect.any(String) }]);
    model.reply("back");
    await settle();
    const stored = [
      { id: "keepme1234", from_name: "sentiment", to_name: "text", type: "choices", value: { choices: ["neg"] }, origin: "manual" },
      { id: "rect000001", from_name: "box", to_name: "img", type: "rectanglelabels", value: { x: 1, y: 2, width: 3, height: 4, rectanglelabels: ["Cat"] } },
    ];
    act(() => model.set("task", { ...TASK, id: 5, annotation_id: 41, result: stored }));
    expect($('[data-testid="submit"]')?.textContent).toBe("Update");
    expect($('[data-choice="Negative"]')?.getAttribute("data-selected")).toBe("true");
    click('[data-choice="Positive"]');
    click('[data-testid="submit"]');
    expect(model.sentOf("submit")[0].result).toEqual([
      { ...stored[0], value: { choices: ["Positive"] } },
      stored[1], // a region this version cannot draw is kept as it was
    ]);
  });

  it("starts a fresh task from preselected defaults", () => {
    mount(traits("preselected"));
    expect($('[data-choice="ok"]')?.getAttribute("data-selected")).toBe("true");
    expect($('[data-choice="no"]')?.getAttribute("data-selected")).toBe("true");
  });

  it("hides controls by visibleWhen and leaves their results out", () => {
    mount(traits("visibleWhen"));
    expect($('[data-control="which"]')).toBeNull();
    click('[data-choice="Yes"]');
    click('[data-control="which"] [data-choice="A"]');
    click('[data-choice="No"]');
    expect($('[data-control="which"]')).toBeNull();
    click('[data-testid="submit"]');
    expect(model.sentOf("submit")[0].result.map((r: { from_name: string }) => r.from_name)).toEqual(["has"]);
  });

  it("a number off its step's grid blocks submit, as in Label Studio", () => {
    mount(traits("rules"));
    type('[data-control="half"] input', "1.25");
    click('[data-testid="submit"]');
    expect(model.sentOf("submit")).toHaveLength(0);
    expect($('[data-control="half"]')?.getAttribute("data-invalid")).toBe("true");
    expect($('[data-testid="error"]')?.textContent).toContain('"half" must be a multiple of 0.5 from 1');
    type('[data-control="half"] input', "1.5");
    click('[data-testid="submit"]');
    expect(model.sentOf("submit")[0].result).toEqual([expect.objectContaining({ from_name: "half", value: { number: 1.5 } })]);
  });
});

describe("rules come from the kernel's control model", () => {
  it("renders what the model says, not what the attributes seem to say", () => {
    mount(traits("rules"));
    // perRegion="1" is not perRegion: the control is shown; perRegion="true" waits for a selected region
    expect($('[data-control="one"] [data-choice="a"]')).not.toBeNull();
    expect($('[data-control="regional"]')).toBeNull();
    expect($("[data-unsupported]")).toBeNull();
    // showInline="true" beats layout="select"
    expect($('[data-control="drop"] select')).toBeNull();
    expect($('[data-control="drop"] .lnb-inline [data-choice="d"]')).not.toBeNull();
    // maxRating is not clamped at 20
    expect(el.querySelectorAll('[data-control="stars"] [data-rating]')).toHaveLength(30);
    // TextArea rows default to 1: one line, as Label Studio's <Input>; more rows: a <textarea>
    expect($('[data-control="note"] [data-entry-input]')?.tagName).toBe("INPUT");
    expect($('[data-control="essay"] [data-entry-input]')?.tagName).toBe("TEXTAREA");
    expect($('[data-control="essay"] textarea')?.getAttribute("rows")).toBe("4");
    // required="yes" is not required
    expect($('[data-control="picked"]')?.getAttribute("data-required")).toBeNull();
  });

  it("Label Studio's automatic hotkeys work and are shown", () => {
    mount(traits("rules"));
    expect($('[data-control="one"] [data-choice="b"] kbd')?.textContent).toBe("2");
    press(root(), "2");
    expect($('[data-control="one"] [data-choice="b"]')?.getAttribute("data-selected")).toBe("true");
    press(root(), "5");
    expect($('[data-control="drop"] [data-choice="e"]')?.getAttribute("data-selected")).toBe("true");
    // the Rating's own key steps its stars, Number's adds a step (from min, wrapping past max)
    press(root(), "7");
    press(root(), "7");
    expect($('[data-control="stars"] [aria-checked="true"]')?.getAttribute("data-rating")).toBe("2");
    press(root(), "8");
    press(root(), "8");
    expect($<HTMLInputElement>('[data-control="half"] input')?.value).toBe("2");
    // "3" belongs to the perRegion control, which is not shown: it does nothing
    expect(press(root(), "3").defaultPrevented).toBe(false);
  });

  it("follows the controls trait when the next task brings other options", () => {
    const first = traits("dynamic");
    mount({ ...first, task: { ...TASK, data: FIXTURES.dynamic.data } });
    expect(Array.from(el.querySelectorAll('[data-control="c"] [data-choice]')).map((b) => b.textContent)).toEqual(["Red1", "BlueB", "Green2"]);
    // the next task brings other options: the kernel sends both traits for it
    const next = traits("dynamicNext");
    act(() => {
      model.set("view", next.view);
      model.set("controls", next.controls);
      model.set("task", { ...TASK, id: 8, data: FIXTURES.dynamicNext.data });
    });
    expect(Array.from(el.querySelectorAll('[data-control="c"] [data-choice]')).map((b) => b.textContent)).toEqual(["Violet1"]);
    press(root(), "1");
    expect($('[data-choice="Violet"]')?.getAttribute("data-selected")).toBe("true");
  });

  it("a control the model does not know is not guessed from its attributes", () => {
    mount({ controls: {} });
    expect($('[data-control="sentiment"]')).toBeNull();
    expect($('[data-unsupported="Choices"]')?.textContent).toContain("missing from the control model");
  });
});

describe("keyboard", () => {
  it("the root is focusable, suppresses Lumino shortcuts and keeps every keydown from JupyterLab", () => {
    mount();
    expect(root().getAttribute("tabindex")).toBe("0");
    expect(root().getAttribute("data-lm-suppress-shortcuts")).toBe("true");
    const seen: string[] = [];
    const spy = (e: KeyboardEvent) => seen.push(e.key);
    document.addEventListener("keydown", spy);
    try {
      for (const key of ["a", "b", "d", "Enter", "x"]) press(root(), key);
      press(root(), "Enter", { shiftKey: true });
      press($('[data-control="note"] [data-entry-input]')!, "d");
      press($('[data-choice="Positive"]')!, "ArrowDown");
      expect(seen).toEqual([]);
      // outside the widget keys still reach the page
      press(document.body, "a");
      expect(seen).toEqual(["a"]);
    } finally {
      document.removeEventListener("keydown", spy);
    }
  });

  it("choice and rating hotkeys work on the root, not while typing", () => {
    mount();
    const e = press(root(), "2");
    expect(e.defaultPrevented).toBe(true);
    expect($('[data-choice="Negative"]')?.getAttribute("data-selected")).toBe("true");
    press(root(), "f");
    press(root(), "s");
    press(root(), "s");
    expect($('[data-choice="Food"]')?.getAttribute("data-selected")).toBe("true");
    expect($('[data-choice="Service"]')?.getAttribute("data-selected")).toBe("false");
    press(root(), "r");
    press(root(), "r");
    expect(el.querySelectorAll('[data-control="stars"] .lnb-on')).toHaveLength(2);
    const typed = press($('[data-control="note"] [data-entry-input]')!, "1");
    expect(typed.defaultPrevented).toBe(false);
    expect($('[data-choice="Positive"]')?.getAttribute("data-selected")).toBe("false");
    const unbound = press(root(), "q");
    expect(unbound.defaultPrevented).toBe(false);
    // ctrl+2 is not "2"
    press(root(), "2", { ctrlKey: true });
    expect($('[data-choice="Negative"]')?.getAttribute("data-selected")).toBe("true");
  });

  it("Ctrl+Enter submits, even from a text field; Cmd+Enter too", async () => {
    mount();
    press(root(), "1");
    type('[data-control="note"] [data-entry-input]', "hello");
    press($('[data-control="note"] [data-entry-input]')!, "Enter", { ctrlKey: true });
    expect(model.sentOf("submit")).toHaveLength(1);
    model.reply("submit");
    await settle();
    press(root(), "Enter", { metaKey: true });
    expect(model.sentOf("submit")).toHaveLength(2);
  });

  it("Ctrl+Z undoes the last change", () => {
    mount();
    press(root(), "1");
    press(root(), "2");
    press(root(), "z", { ctrlKey: true });
    expect($('[data-choice="Positive"]')?.getAttribute("data-selected")).toBe("true");
    press(root(), "z", { ctrlKey: true, shiftKey: true });
    expect($('[data-choice="Negative"]')?.getAttribute("data-selected")).toBe("true");
  });
});

describe("drafts, empty queue, media", () => {
  it("sends a draft a second after the last change", () => {
    vi.useFakeTimers();
    mount();
    click('[data-choice="Positive"]');
    act(() => void vi.advanceTimersByTime(600));
    click('[data-rating="5"]');
    act(() => void vi.advanceTimersByTime(600));
    expect(model.sentOf("draft")).toHaveLength(0);
    act(() => void vi.advanceTimersByTime(500));
    const drafts = model.sentOf("draft");
    expect(drafts).toHaveLength(1);
    expect(drafts[0]).toMatchObject({ kind: "draft", task_id: 7, lead_time: expect.any(Number) });
    expect(drafts[0].result.map((r: { type: string }) => r.type)).toEqual(["choices", "rating"]);
  });

  it("renews the lease of the task on screen as often as the kernel says, and stops when it is answered", () => {
    vi.useFakeTimers();
    mount({ status: { ...STATUS, renew_every: 20 } });
    act(() => void vi.advanceTimersByTime(19_000));
    expect(model.sentOf("renew")).toHaveLength(0);
    act(() => void vi.advanceTimersByTime(42_000));
    expect(model.sentOf("renew")).toEqual([
      expect.objectContaining({ kind: "renew", task_id: 7 }),
      expect.objectContaining({ kind: "renew", task_id: 7 }),
      expect.objectContaining({ kind: "renew", task_id: 7 }),
    ]);
    // an answer stored (going back shows its annotation): nothing to hold any more
    act(() => model.set("task", { ...TASK, annotation_id: 3 }));
    act(() => void vi.advanceTimersByTime(60_000));
    expect(model.sentOf("renew")).toHaveLength(3);
  });

  it("never renews on a kernel's nonsense interval", () => {
    vi.useFakeTimers();
    mount({ status: { ...STATUS, renew_every: Number.NaN } });
    act(() => void vi.advanceTimersByTime(3_600_000));
    expect(model.sentOf("renew")).toHaveLength(0);
  });

  it("shows a friendly message when the queue is empty", () => {
    mount({ view: {}, task: {}, status: { done: 340, total: 340, empty: true } });
    expect($('[data-testid="empty"]')?.textContent).toContain("All done — no more tasks in the queue for you.");
    expect($<HTMLButtonElement>('[data-testid="submit"]')?.disabled).toBe(true);
    // said once: no status line repeats it
    expect(el.textContent?.split("All done").length).toBe(2);
  });

  it("says a project without tasks has none, rather than all done", () => {
    mount({ view: {}, task: {}, status: { done: 0, total: 0, empty: true, message: "" } });
    expect($('[data-testid="empty"]')?.textContent).toContain("This project has no tasks yet.");
    expect(el.textContent).not.toContain("All done");
  });

  it("going back to a skipped task says it was skipped", () => {
    mount({ task: { ...TASK, annotation_id: 3, skipped: true } });
    expect($('[data-testid="skipped"]')?.textContent).toContain("You skipped this task");
    act(() => model.set("task", { ...TASK, id: 8, skipped: false }));
    expect($('[data-testid="skipped"]')).toBeNull();
  });

  // an Image with maxWidth="500px": its view and control model from the kernel
  const IMAGE = traits("image");

  it("shows pushed media from a blob URL", () => {
    model = new FakeModel();
    const pre = new FakeModel({ ...IMAGE, task: { id: 1, data: { image: "s3://b/cat.png" }, media: ["s3://b/cat.png"] } });
    // the kernel pushes the bytes before the view exists (initialize holds the session)
    el = document.createElement("div");
    document.body.append(el);
    act(() => {
      cleanup = render({ model: pre, el }, { createObjectURL: () => "blob:test/cat", revokeObjectURL: () => {} });
    });
    expect($('[data-object="img"]')?.getAttribute("data-state")).toBe("loading");
    act(() => pre.push({ kind: "media", value: "s3://b/cat.png", mime: "image/png" }, [new DataView(new ArrayBuffer(4))]));
    const img = $<HTMLImageElement>('img[data-object="img"]')!;
    expect(img.getAttribute("src")).toBe("blob:test/cat");
    expect(img.closest<HTMLElement>(".lnb-image-wrap")?.style.maxWidth).toBe("500px");
  });

  it("asks for media that did not arrive, and shows media errors", () => {
    vi.useFakeTimers();
    mount({ ...IMAGE, task: { id: 1, data: { image: "/data/dog.png" }, media: ["/data/dog.png"] } });
    expect(model.sentOf("media")).toHaveLength(0);
    act(() => void vi.advanceTimersByTime(500));
    expect(model.sentOf("media")).toEqual([{ kind: "media", values: ["/data/dog.png"], request_id: expect.any(String) }]);
    act(() => model.push({ kind: "media_error", value: "/data/dog.png", error: "No such file" }));
    expect($('[data-object="img"]')?.getAttribute("data-state")).toBe("error");
    expect($('[data-object="img"]')?.textContent).toContain("No such file");
  });

  it("uses http(s) and data: URLs directly", () => {
    mount({ ...IMAGE, task: { id: 1, data: { image: "https://example.com/a.jpg" }, media: [] } });
    expect($('img[data-object="img"]')?.getAttribute("src")).toBe("https://example.com/a.jpg");
  });

  it("cleans up: no listeners left on the model", () => {
    mount();
    expect(model.listenerCount("msg:custom")).toBe(1);
    act(() => cleanup?.());
    cleanup = null;
    expect(model.listenerCount("msg:custom")).toBe(0);
    expect(model.listenerCount("change:task")).toBe(0);
    expect(el.innerHTML).toBe("");
  });
});

describe("focus", () => {
  it("keeps the keyboard in the widget when a clicked button is disabled for a request", async () => {
    mount();
    click('[data-choice="Positive"]');
    const submit = $<HTMLButtonElement>('[data-testid="submit"]')!;
    act(() => submit.focus());
    click('[data-testid="submit"]');
    expect(document.activeElement).toBe(root());
    model.reply("submit");
    await settle();
    act(() => model.set("task", { ...TASK, id: 8 }));
    expect(document.activeElement).toBe(root());
  });

  it("Enter adds a TextArea's text as an entry and keeps the input; on an empty input, and on Escape, it gives the keyboard back", () => {
    mount();
    const input = $<HTMLInputElement>('[data-control="note"] [data-entry-input]')!;
    act(() => input.focus());
    const enter = press(input, "Enter");
    expect(enter.defaultPrevented).toBe(true);
    expect(document.activeElement).toBe(root());
    act(() => input.focus());
    type('[data-control="note"] [data-entry-input]', "first");
    press(input, "Enter");
    expect(document.activeElement).toBe(input);
    expect(input.value).toBe("");
    expect([...el.querySelectorAll('[data-control="note"] .lnb-ta-text')].map((e) => e.textContent)).toEqual(["first"]);
    press(input, "Escape");
    expect(document.activeElement).toBe(root());
  });
});

describe("fast typing", () => {
  it("keeps every character when keys arrive between renders", async () => {
    mount();
    const textarea = $<HTMLInputElement>('[data-control="note"] [data-entry-input]')!;
    const number = $<HTMLInputElement>('[data-control="price"] input')!;
    const tick = () => new Promise((r) => setTimeout(r, 0));
    // no act(): let Preact render and run effects on its own schedule, as in a browser
    for (const [field, text] of [
      [textarea, "hi there"],
      [number, "12.75"],
    ] as const) {
      for (const ch of text) {
        field.value += ch; // like a keystroke: appended to whatever the field shows now
        field.dispatchEvent(new Event("input", { bubbles: true }));
        await Promise.resolve();
        await Promise.resolve();
      }
      await tick();
      await tick();
    }
    await new Promise((r) => setTimeout(r, 50));
    expect(textarea.value).toBe("hi there");
    expect(number.value).toBe("12.75");
    press(root(), "1");
    click('[data-testid="submit"]');
    const result = model.sentOf("submit")[0].result;
    expect(result.find((r: { type: string }) => r.type === "textarea").value).toEqual({ text: ["hi there"] });
    expect(result.find((r: { type: string }) => r.type === "number").value).toEqual({ number: 12.75 });
  });
});

// Choice `html` sanitising is checked in real Chromium (js/dev/screenshots.py): DOMPurify needs a faithful DOM,
// and under happy-dom it lets onerror and <script> through.

describe("regions: perRegion controls, region-selected views, deleting", () => {
  const car = {
    id: "car1", from_name: "box", to_name: "img", type: "rectanglelabels", origin: "manual",
    value: { x: 10, y: 20, width: 30, height: 40, rotation: 0, rectanglelabels: ["Car"] },
    original_width: 800, original_height: 600, image_rotation: 0,
  };
  const tree = { ...car, id: "tree1", value: { ...car.value, x: 50, rectanglelabels: ["Tree"] } };
  const pick = (id: string) => click(`[data-region-item="${id}"] .lnb-region-pick`);

  it("shows perRegion controls for the selected region and stores items that share its id", () => {
    mount({ ...traits("regions"), task: { id: 3, data: { image: "https://example.org/street.jpg" }, result: [car, tree], annotation_id: 9, media: [] } });
    expect($('[data-control="state"]')).toBeNull();
    expect($('[data-control="quality"]')).toBeNull();
    pick("car1");
    expect($('[data-control="state"][data-region-for="car1"]')).not.toBeNull();
    expect($('[data-control="plate"]')).not.toBeNull(); // whenLabelValue="Car"
    expect($('[data-control="quality"]')).not.toBeNull(); // the View's visibleWhen="region-selected"
    click('[data-control="state"] [data-choice="parked"]');
    pick("tree1");
    expect($('[data-control="plate"]')).toBeNull(); // not for a Tree
    expect($('[data-control="state"] [data-choice="parked"]')?.getAttribute("data-selected")).toBe("false");
    pick("car1");
    expect($('[data-control="state"] [data-choice="parked"]')?.getAttribute("data-selected")).toBe("true");
    click('[data-testid="submit"]');
    expect(model.sentOf("submit")[0].result).toEqual([
      car,
      tree,
      { id: "car1", from_name: "state", to_name: "img", type: "choices", origin: "manual",
        value: { x: 10, y: 20, width: 30, height: 40, rotation: 0, choices: ["parked"] } },
    ]);
  });

  it("Delete removes the selected region with its perRegion items; Ctrl+Z brings both back", () => {
    const state = { id: "car1", from_name: "state", to_name: "img", type: "choices", origin: "manual",
      value: { ...car.value, rectanglelabels: undefined, choices: ["moving"] } };
    delete (state.value as Record<string, unknown>).rectanglelabels;
    mount({ ...traits("regions"), task: { id: 3, data: { image: "https://example.org/street.jpg" }, result: [car, tree, state], annotation_id: 9, media: [] } });
    pick("car1");
    press(root(), "Delete");
    expect($('[data-region-item="car1"]')).toBeNull();
    expect($('[data-control="state"]')).toBeNull();
    press(root(), "z", { ctrlKey: true });
    expect($('[data-region-item="car1"]')).not.toBeNull();
    click('[data-testid="submit"]');
    expect(model.sentOf("submit")[0].result).toEqual([car, tree, state]);
  });
});

describe("valueList: several images in one task", () => {
  it("pages through the images and lists each one's regions (item_index) on its own page", () => {
    const stamp = (id: string, item_index: number) => ({
      id, from_name: "box", to_name: "pages", type: "rectanglelabels", origin: "manual", item_index,
      value: { x: 1, y: 2, width: 3, height: 4, rotation: 0, rectanglelabels: ["Stamp"] },
    });
    const data = { pages: ["https://example.org/p1.png", "https://example.org/p2.png", "https://example.org/p3.png"] };
    mount({ ...traits("imageList"), task: { id: 4, data, result: [stamp("a", 0), stamp("b", 1)], annotation_id: 2, media: [] } });
    expect($(".lnb-page")?.textContent).toBe("1 / 3");
    expect($('img[data-object="pages"]')?.getAttribute("src")).toBe("https://example.org/p1.png");
    expect([...el.querySelectorAll("[data-region-item]")].map((e) => e.getAttribute("data-region-item"))).toEqual(["a"]);
    click('[data-page="next"]');
    expect($(".lnb-page")?.textContent).toBe("2 / 3");
    expect($('img[data-object="pages"]')?.getAttribute("src")).toBe("https://example.org/p2.png");
    expect([...el.querySelectorAll("[data-region-item]")].map((e) => e.getAttribute("data-region-item"))).toEqual(["b"]);
    click('[data-page="next"]');
    expect(el.querySelectorAll("[data-region-item]")).toHaveLength(0);
    expect($('[data-page="next"]')?.hasAttribute("disabled")).toBe(true);
  });
});

describe("text spans", () => {
  function selectText(sub: string) {
    const root = $(".lnb-spans")!;
    const full = [...root.querySelectorAll("[data-o]")].map((e) => e.textContent).join("");
    const at = full.indexOf(sub);
    const pos = (off: number): [Node, number] => {
      // the text's own characters: not the label tags drawn at the spans' starts
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT, {
        acceptNode: (n) => (n.parentElement?.closest(".lnb-span-tag") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
      });
      let seen = 0;
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const len = n.textContent?.length ?? 0;
        if (off <= seen + len) return [n, off - seen];
        seen += len;
      }
      throw new Error("offset outside the text");
    };
    const range = document.createRange();
    range.setStart(...pos(at));
    range.setEnd(...pos(at + sub.length));
    const sel = window.getSelection()!;
    sel.removeAllRanges();
    sel.addRange(range);
    act(() => {
      root.dispatchEvent(new MouseEvent("mouseup", { bubbles: true }));
    });
  }

  const text = () => $(".lnb-spans")!;
  const kbdSelection = () => [...el.querySelectorAll(".lnb-ksel")].map((e) => e.textContent).join("");
  const caretAt = () => Number($(".lnb-caret")?.getAttribute("data-caret"));

  it("the keyboard selects by grapheme and word; Enter needs a label, a label's key labels the selection", () => {
    mount({ ...traits("ner"), task: { id: 5, data: { text: "Hi 👋 Bob met Alice." }, result: [], annotation_id: null, media: [] } });
    act(() => text().focus());
    expect(caretAt()).toBe(0); // focused by the keyboard: the caret starts at the beginning
    for (let i = 0; i < 4; i++) press(text(), "ArrowRight");
    expect(caretAt()).toBe(4); // H, i, space, 👋: one press for the emoji (one code point, two UTF-16 units)
    press(text(), "ArrowRight");
    press(text(), "ArrowRight", { shiftKey: true, ctrlKey: true });
    expect(kbdSelection()).toBe("Bob");
    const enter = press(text(), "Enter"); // no label chosen: said, nothing made
    expect(enter.defaultPrevented).toBe(true);
    expect($("[data-notice=ner]")?.textContent).toContain("Choose a label");
    expect(el.querySelectorAll(".lnb-span")).toHaveLength(0);
    press(text(), "1"); // PER's key labels the selection
    expect($(".lnb-span")?.textContent).toBe("Bob");
    expect(kbdSelection()).toBe("");
    // choose ORG, select "Alice" backwards from the end of the text, Enter
    press(text(), "2"); // the new span is selected: its key relabels it (as with the mouse)
    press(text(), "Escape"); // deselect the span
    click('[data-label-control="ner"][data-label="ORG"]');
    act(() => text().focus());
    press(text(), "End");
    press(text(), "ArrowLeft");
    press(text(), "ArrowLeft", { shiftKey: true, ctrlKey: true });
    expect(kbdSelection()).toBe("Alice");
    press(text(), "Escape"); // Escape drops the keyboard selection first
    expect(kbdSelection()).toBe("");
    expect(caretAt()).toBe(13);
    press(text(), "End");
    press(text(), "ArrowLeft");
    press(text(), "ArrowLeft", { shiftKey: true, altKey: true });
    press(text(), "Enter");
    click('[data-testid="submit"]');
    const items = model.sentOf("submit")[0].result.map((r: { value: unknown }) => r.value);
    expect(items).toEqual([
      { start: 5, end: 8, text: "Bob", labels: ["ORG"] },
      { start: 13, end: 18, text: "Alice", labels: ["ORG"] },
    ]);
  });

  it('granularity="word" widens a mouse selection to whole words; a Label\'s granularity="symbol" does not', () => {
    const data = { text: "Hi 👋 Bob-Smith met e\u0301mile, o\u0301k?" };
    mount({ ...traits("nerWords"), task: { id: 6, data, result: [], annotation_id: null, media: [] } });
    click('[data-label-control="ner"][data-label="PER"]');
    selectText("ob-Sm");
    expect($(".lnb-span")?.textContent).toBe("Bob-Smith");
    selectText("mil");
    press(root(), "Escape"); // deselect the new span, or the chip would relabel it
    click('[data-label-control="ner"][data-label="CHR"]');
    selectText("et");
    click('[data-testid="submit"]');
    const items = model.sentOf("submit")[0].result.map((r: { value: unknown }) => r.value);
    expect(items).toEqual([
      { start: 5, end: 14, text: "Bob-Smith", labels: ["PER"] },
      { start: 19, end: 25, text: "e\u0301mile", labels: ["PER"] },
      { start: 16, end: 18, text: "et", labels: ["CHR"] },
    ]);
  });

  it("a selection with a label chosen becomes a span in code points, and its text is Python's slice", () => {
    mount({ ...traits("ner"), task: { id: 5, data: { text: "Hi 👋 Bob met Alice." }, result: [], annotation_id: null, media: [] } });
    selectText("Bob"); // no label chosen: nothing happens
    expect(el.querySelectorAll(".lnb-span")).toHaveLength(0);
    click('[data-label-control="ner"][data-label="PER"]');
    selectText("Bob");
    expect($(".lnb-span")?.textContent).toBe("Bob");
    press(root(), "2"); // the new span is selected: the ORG hotkey relabels it
    click('[data-testid="submit"]');
    expect(model.sentOf("submit")[0].result).toEqual([
      { id: expect.any(String), from_name: "ner", to_name: "text", type: "labels", origin: "manual",
        value: { start: 5, end: 8, text: "Bob", labels: ["ORG"] } },
    ]);
  });

  it("draws a long text in blocks of lines (a span across a break whole) and handles the mouse on its spans", () => {
    const lines = Array.from({ length: 400 }, (_, i) => `Line ${i}: 👋 some words to read here.`);
    const value = lines.join("\n");
    const cp = (sub: string) => [...value.slice(0, value.indexOf(sub))].length;
    const span = (id: string, start: number, end: number, label: string) => ({
      id, from_name: "ner", to_name: "text", type: "labels", origin: "manual",
      value: { start, end, text: [...value].slice(start, end).join(""), labels: [label] },
    });
    const across = span("across", cp("read here.\nLine 3:") , cp("Line 3:") + 4, "ORG");
    const word = span("word", cp("Line 200:") + 10, cp("Line 200:") + 14, "PER");
    mount({ ...traits("ner"), task: { id: 7, data: { text: value }, result: [across, word], annotation_id: 3, media: [] } });
    const box = text();
    // every piece of the text once, in order; one block a line, the two lines the span runs across together
    const pieces = [...box.querySelectorAll("[data-o]")];
    expect(pieces.map((e) => e.textContent).join("")).toBe(value);
    expect(box.querySelectorAll(".lnb-text-line")).toHaveLength(399);
    expect(box.querySelectorAll(".lnb-text-chunk").length).toBeGreaterThan(2);
    const crossing = box.querySelectorAll('.lnb-span[data-region="across"]');
    expect(crossing).toHaveLength(1);
    expect(crossing[0]?.textContent).toBe("read here.\nLine");
    // the pointer over a piece hovers its span, off it no span; a click on a piece or a tag selects the span
    act(() => {
      crossing[0]!.dispatchEvent(new MouseEvent("mouseover", { bubbles: true }));
    });
    expect(box.querySelector('.lnb-span[data-region="across"]')?.classList.contains("lnb-hover")).toBe(true);
    act(() => {
      crossing[0]!.dispatchEvent(new MouseEvent("mouseout", { bubbles: true, relatedTarget: box }));
    });
    expect(box.querySelector(".lnb-hover")).toBeNull();
    click('.lnb-span[data-region="word"]');
    expect(box.querySelector('.lnb-span[data-region="word"]')?.classList.contains("lnb-selected")).toBe(true);
    click('[data-tag="across"]');
    expect(box.querySelector('.lnb-span[data-region="across"]')?.classList.contains("lnb-selected")).toBe(true);
    expect(box.querySelector('.lnb-span[data-region="word"]')?.classList.contains("lnb-selected")).toBe(false);
  });
});
