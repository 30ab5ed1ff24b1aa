// @vitest-environment happy-dom
// The dashboard draws the kernel's summary as SVG, with data only in text nodes, and asks for refreshes.
import { act } from "preact/test-utils";
import { afterEach, describe, expect, it, vi } from "vitest";
import dashboard from "../src/dashboard/index";
import { niceTicks, safeColor, heatFill, formatBucket } from "../src/dashboard/scale";
import type { Summary } from "../src/dashboard/types";
import { FakeModel } from "./fakeModel";

const HOSTILE = `<img src=x onerror="window.pwned=1">`;

function summary(overrides: Partial<Summary> = {}): Summary {
  return {
    version: 1,
    generated_at: "2026-11-23T12:00:00Z",
    overall: { tasks: 10, labeled: 4, percent_done: 40, submitted: 7, skipped: 2, annotators: 2 },
    users: [
      { user: "al@example.org", submitted: 5, skipped: 0, tasks: 5, mean_lead_time: 12.5 },
      { user: HOSTILE, submitted: 2, skipped: 2, tasks: 4, mean_lead_time: null },
    ],
    labels: [
      {
        control: "box",
        tag: "RectangleLabels",
        labels: [
          { label: "Cat", count: 4, color: "#ff0000" },
          { label: "Dog", count: 0, color: "url(#evil)" },
          { label: HOSTILE, count: 1, color: null },
        ],
      },
    ],
    throughput: {
      unit: "hour",
      times: ["2026-11-23T09:00:00Z", "2026-11-23T10:00:00Z", "2026-11-23T11:00:00Z"],
      series: [
        { user: "al@example.org", counts: [2, 0, 3] },
        { user: HOSTILE, counts: [1, 1, 0] },
      ],
    },
    agreement: {
      control: "quality",
      measure: "cohen_kappa",
      annotators: ["al@example.org", HOSTILE],
      values: [
        [null, 0.4],
        [0.4, null],
      ],
      n_tasks: [
        [0, 3],
        [3, 0],
      ],
    },
    review: { waiting: 3, oldest: [{ annotation: 9, task: 2, annotator: HOSTILE, version: 1, updated_at: "2026-11-23T10:00:00.0Z" }] },
    ...overrides,
  };
}

let cleanup: (() => void) | undefined;
let el: HTMLElement;

function mount(attrs: Record<string, unknown>): FakeModel {
  const model = new FakeModel({ refresh_every: 0, error: "", title: "pets", ...attrs });
  el = document.createElement("div");
  document.body.append(el);
  act(() => {
    cleanup = dashboard.render({ model, el });
  });
  return model;
}

afterEach(() => {
  act(() => cleanup?.());
  el?.remove();
  vi.useRealTimers();
});

describe("dashboard", () => {
  it("draws bars, labels, throughput and the heat map from the summary", () => {
    mount({ summary: summary() });
    const users = el.querySelector("[data-panel=users] svg")!;
    expect(users.querySelectorAll("rect[data-kind=submitted]").length).toBe(2);
    expect(users.querySelectorAll("rect[data-kind=skipped]").length).toBe(1); // al skipped nothing
    expect([...users.querySelectorAll(".lnb-dash-submitted-count")].map((t) => t.textContent)).toEqual(["5", "2"]);
    const bars = [...el.querySelectorAll("[data-panel=labels] rect.lnb-dash-label-bar")];
    expect(bars.length).toBe(2); // Dog has no count: only its track
    expect(bars[0]!.getAttribute("fill")).toBe("#ff0000");
    expect(el.querySelector("[data-panel=throughput]")!.querySelectorAll("rect.lnb-dash-column").length).toBe(4);
    const cells = [...el.querySelectorAll("[data-panel=agreement] .lnb-dash-heat-value")].map((t) => t.textContent);
    expect(cells).toEqual(["", "0.40", "0.40", ""]);
    expect(el.querySelector("[data-stat=done]")!.textContent).toContain("40%");
    expect(el.querySelector("[data-stat=review]")!.textContent).toContain("3");
    expect(el.querySelector("[data-panel=users] table")!.textContent).toContain("13 s");
  });

  it("puts names and labels from data in text nodes only", () => {
    mount({ summary: summary() });
    expect(el.querySelector("img")).toBeNull();
    expect((window as any).pwned).toBeUndefined();
    expect(el.textContent).toContain("<img src=x");
    // a colour from the config that is not a plain colour is replaced
    const dog = el.querySelector('[data-label="Dog"]')!;
    expect(dog.innerHTML).not.toContain("url(");
  });

  it("sends a refresh on the button, shows the kernel's error, and stops when unmounted", async () => {
    const model = mount({ summary: summary() });
    const button = el.querySelector<HTMLButtonElement>(".lnb-dash-refresh")!;
    act(() => button.click());
    expect(model.sentOf("refresh")).toHaveLength(1);
    expect(Object.keys(model.sentOf("refresh")[0]).sort()).toEqual(["kind", "request_id"]);
    expect(button.disabled).toBe(true);
    await act(async () => {
      model.reply("refresh", "Could not refresh: database is locked");
      await Promise.resolve();
    });
    expect(el.querySelector(".lnb-dash-error")!.textContent).toBe("Could not refresh: database is locked");
    expect(button.disabled).toBe(false);
    act(() => model.set("summary", summary({ overall: { ...summary().overall, submitted: 8 } })));
    expect(el.querySelector("[data-stat=submitted]")!.textContent).toContain("8");
    act(() => cleanup?.());
    cleanup = undefined;
    expect(model.listenerCount("msg:custom")).toBe(0);
  });

  it("refreshes by itself every refresh_every seconds", () => {
    vi.useFakeTimers();
    const model = mount({ summary: summary(), refresh_every: 5 });
    act(() => {
      vi.advanceTimersByTime(5_100);
    });
    expect(model.sentOf("refresh")).toHaveLength(1);
    act(() => {
      vi.advanceTimersByTime(5_000); // the first is unanswered: no second one piles up
    });
    expect(model.sentOf("refresh")).toHaveLength(1);
  });

  it("says what the kernel left out", () => {
    const s = summary({ more_users: 3 });
    s.labels[0]!.others = { labels: 12, count: 40 };
    mount({ summary: s });
    expect(el.querySelector("[data-panel=users]")!.textContent).toContain("The 2 most active of 5 annotators.");
    expect(el.querySelector("[data-control=box]")!.textContent).toContain("and 12 more labels: 40 in all");
  });

  it("waits for a summary and draws empty panels without failing", () => {
    const model = mount({ summary: {} });
    expect(el.textContent).toContain("Waiting for the kernel");
    const empty = summary({
      users: [],
      labels: [],
      throughput: { unit: "hour", times: [], series: [] },
      agreement: { error: "no control of this config has a measurable agreement" },
      review: null,
    });
    act(() => model.set("summary", empty));
    expect(el.textContent).toContain("No answers yet.");
    expect(el.textContent).toContain("no control of this config has a measurable agreement");
    expect(el.querySelector("[data-panel=review]")).toBeNull();
    // a viewer who lost the right to see the team's work: the kernel empties the summary and says why
    act(() => {
      model.set("summary", {});
      model.set("error", "rex is an annotator in project 'team' and may not see tasks");
    });
    expect(el.querySelector("[data-panel]")).toBeNull();
    expect(el.querySelector(".lnb-dash-error")!.textContent).toContain("may not see tasks");
    expect(el.textContent).not.toContain("Waiting for the kernel");
  });
});

describe("scale", () => {
  it("makes round ticks", () => {
    expect(niceTicks(7)).toEqual([0, 2, 4, 6, 8]);
    expect(niceTicks(100)).toEqual([0, 50, 100]);
    expect(niceTicks(0)).toEqual([0, 1]);
    expect(niceTicks(1)).toEqual([0, 0.5, 1]);
    expect(niceTicks(1, 4, true)).toEqual([0, 1]);
    expect(niceTicks(3, 4, true)).toEqual([0, 1, 2, 3]);
    for (const max of [1, 3, 9, 17, 250, 1234]) {
      const ticks = niceTicks(max);
      expect(ticks[0]).toBe(0);
      expect(ticks[ticks.length - 1]).toBeGreaterThanOrEqual(max);
      expect(ticks.length).toBeLessThanOrEqual(7);
    }
  });

  it("accepts plain colours only", () => {
    expect(safeColor("#AbC", "x")).toBe("#AbC");
    expect(safeColor("rgb(1, 2, 3)", "x")).toBe("rgb(1, 2, 3)");
    expect(safeColor("teal", "x")).toBe("teal");
    for (const bad of ["url(#a)", "var(--x)", "red;stroke:blue", "javascript:alert(1)", null]) expect(safeColor(bad, "x")).toBe("x");
  });

  it("colours agreement and formats buckets in UTC", () => {
    expect(heatFill(null).opacity).toBe(0);
    expect(heatFill(1).strong).toBe(true);
    expect(heatFill(-0.5).fill).toBe("#c62828");
    expect(formatBucket("2026-11-23T09:00:00Z", "hour")).toBe("09:00");
    expect(formatBucket("2026-11-23T09:00:00Z", "day")).toBe("Nov 23");
  });
});

describe("names", () => {
  it("drops a domain every annotator shares, and only then", async () => {
    const { commonDomain, shortener } = await import("../src/dashboard/names");
    expect(commonDomain(["al@example.org", "bo@example.org"])).toBe("@example.org");
    expect(commonDomain(["al@example.org"])).toBeNull(); // one name: nothing to save
    expect(commonDomain(["al@example.org", "bo@other.org"])).toBeNull();
    expect(commonDomain(["al@example.org", "bo"])).toBeNull();
    expect(commonDomain(["@example.org", "bo@example.org"])).toBeNull(); // nothing would be left of one
    expect(shortener("@example.org")("al@example.org")).toBe("al");
    expect(shortener(null)("al@example.org")).toBe("al@example.org");
  });

  it("shows short names on every panel, full ones in titles and data attributes", () => {
    const s = summary();
    const bo = "bo@example.org";
    s.users[1]!.user = bo;
    s.throughput.series[1]!.user = bo;
    (s.agreement as any).annotators = ["al@example.org", bo];
    s.review!.oldest[0]!.annotator = bo;
    mount({ summary: s });
    expect(el.querySelector("[data-stat=annotators]")!.textContent).toContain("@example.org");
    const row = el.querySelector(`[data-panel=users] g[data-user="${bo}"] text`)!;
    expect(row.textContent).toBe("bo");
    expect(el.querySelector(`[data-panel=users] td[title="${bo}"]`)!.textContent).toBe("bo");
    expect(el.querySelector("[data-panel=review] td.lnb-dash-name")!.textContent).toBe("bo");
    const shown = el.cloneNode(true) as HTMLElement;
    for (const title of shown.querySelectorAll("title")) title.remove(); // tooltips hold the full names
    expect(shown.textContent).not.toContain(bo);
    expect(el.querySelector(`[data-panel=users] g[data-user="${bo}"] title`)!.textContent).toContain(bo);
  });
});
