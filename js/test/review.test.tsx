// @vitest-environment happy-dom
// Review in the widget: a reviewer's comment reaches the annotator as text only, and Reject sends the
// comment with the task on screen.
import { act } from "preact/test-utils";
import { afterEach, describe, expect, it } from "vitest";
import type { TaskState } from "../src/protocol";
import { type FakeModel, traits } from "./fakeModel";
import { mountWidget, type Mounted } from "./mountWidget";

const TASK: TaskState = { id: 7, data: { t: "cats" }, result: [], annotation_id: 3, predictions: [], media: [], can_back: false };
const STATUS = { done: 0, total: 1, empty: false, message: "", user: "u" };
const HOSTILE = `<img src=x onerror="window.pwned=1"><b>bold</b>`;

let mounted: Mounted | null = null;
let model: FakeModel;
let el: HTMLElement;

function mount(task: Partial<TaskState>) {
  mounted = mountWidget({ ...traits("textarea"), task: { ...TASK, ...task }, status: STATUS });
  ({ model, el } = mounted);
}

afterEach(() => {
  mounted?.unmount();
  mounted = null;
});

describe("review", () => {
  it("shows a reviewer's comment as text, never as markup", () => {
    mount({ review: { rejected_by: `rita<script>`, comment: HOSTILE } });
    const banner = el.querySelector("[data-testid=rejected]")!;
    expect(banner.textContent).toContain(HOSTILE);
    expect(banner.textContent).toContain("rita<script>");
    expect(banner.querySelector("img, b, script")).toBeNull();
  });

  it("rejects with the typed comment; Reject waits for one", () => {
    mount({ review: { reviewing: "ann", version: 2 } });
    const reject = el.querySelector<HTMLButtonElement>("[data-testid=reject]")!;
    expect(reject.disabled).toBe(true);
    expect(el.querySelector("[data-testid=submit]")!.textContent).toContain("Accept");
    const box = el.querySelector<HTMLTextAreaElement>("[data-testid=review-comment]")!;
    act(() => {
      box.value = "  wrong label  ";
      box.dispatchEvent(new Event("input", { bubbles: true }));
    });
    expect(reject.disabled).toBe(false);
    act(() => reject.click());
    expect(model.sentOf("reject")).toEqual([expect.objectContaining({ kind: "reject", task_id: 7, comment: "wrong label" })]);
  });
});
