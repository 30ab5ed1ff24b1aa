import { afterEach, describe, expect, it, vi } from "vitest";
import { Channel, parseKernelMessage, randomId, PROTOCOL_VERSION } from "../src/protocol";
import { FakeModel } from "./fakeModel";

afterEach(() => {
  vi.useRealTimers();
});

describe("parseKernelMessage", () => {
  it("accepts the kernel's three kinds", () => {
    expect(PROTOCOL_VERSION).toBe(1);
    expect(parseKernelMessage({ kind: "reply", request_id: "r", ok: true })).toEqual({ kind: "reply", request_id: "r", ok: true });
    expect(parseKernelMessage({ kind: "reply", request_id: "r", ok: false, error: "nope" })).toEqual({
      kind: "reply",
      request_id: "r",
      ok: false,
      error: "nope",
    });
    expect(parseKernelMessage({ kind: "media", value: "a.png", mime: "image/png" })).toEqual({
      kind: "media",
      value: "a.png",
      mime: "image/png",
    });
    expect(parseKernelMessage({ kind: "media_error", value: "a.png", error: "gone" })).toMatchObject({ error: "gone" });
  });

  it("ignores anything else", () => {
    for (const bad of [null, "x", [], { kind: "reply" }, { kind: "media" }, { kind: "other", request_id: "r" }]) {
      expect(parseKernelMessage(bad)).toBeNull();
    }
  });

  it("gives a failed reply without text a message", () => {
    expect(parseKernelMessage({ kind: "reply", request_id: "r", ok: false })).toMatchObject({ ok: false, error: expect.any(String) });
  });

  it("makes random ids", () => {
    expect(randomId(16)).toMatch(/^[A-Za-z0-9_-]{16}$/);
  });
});

describe("Channel", () => {
  it("sends with a fresh request_id and resolves on the matching reply only", async () => {
    const model = new FakeModel();
    const channel = new Channel(model);
    const first = channel.request({ kind: "skip", task_id: 3 });
    const second = channel.request({ kind: "back" });
    const [a, b] = model.sent.map((s) => s.content);
    expect(a).toEqual({ kind: "skip", task_id: 3, request_id: expect.stringMatching(/^[A-Za-z0-9_-]{16}$/) });
    expect(a.request_id).not.toBe(b.request_id);

    let firstDone = false;
    void first.then(() => (firstDone = true));
    model.push({ kind: "reply", request_id: "someone-else", ok: true });
    model.push({ kind: "reply", request_id: b.request_id, ok: false, error: "No previous task." });
    expect(await second).toEqual({ kind: "reply", request_id: b.request_id, ok: false, error: "No previous task." });
    await Promise.resolve();
    expect(firstDone).toBe(false);
    model.push({ kind: "reply", request_id: a.request_id, ok: true });
    expect(await first).toMatchObject({ ok: true });
    expect(channel.pendingCount).toBe(0);
  });

  it("routes media and media_error to the handlers", () => {
    const model = new FakeModel();
    const media: unknown[] = [];
    new Channel(model, {
      onMedia: (msg, buf) => media.push([msg.value, msg.mime, buf]),
      onMediaError: (msg) => media.push([msg.value, msg.error]),
    });
    const bytes = new DataView(new ArrayBuffer(3));
    model.push({ kind: "media", value: "a.png", mime: "image/png" }, [bytes]);
    model.push({ kind: "media_error", value: "b.png", error: "not found" });
    expect(media).toEqual([
      ["a.png", "image/png", bytes],
      ["b.png", "not found"],
    ]);
  });

  it("fails a request that gets no answer, and every pending one on dispose", async () => {
    vi.useFakeTimers();
    const model = new FakeModel();
    const channel = new Channel(model, {}, { timeoutMs: 5000 });
    const late = channel.request({ kind: "back" });
    vi.advanceTimersByTime(5001);
    expect(await late).toMatchObject({ ok: false, error: expect.stringContaining("did not answer") });
    const pending = channel.request({ kind: "back" });
    channel.dispose();
    expect(await pending).toMatchObject({ ok: false });
    expect(model.listenerCount("msg:custom")).toBe(0);
    expect(await channel.request({ kind: "back" })).toMatchObject({ ok: false });
  });
});

describe("media messages with a preview's original size", () => {
  it("keeps a sane original size and drops anything else", async () => {
    const { parseKernelMessage } = await import("../src/protocol");
    expect(parseKernelMessage({ kind: "media", value: "a.jpg", mime: "image/jpeg", original: { width: 6000, height: 4000 } })).toEqual({
      kind: "media",
      value: "a.jpg",
      mime: "image/jpeg",
      original: { width: 6000, height: 4000 },
    });
    for (const original of [{ width: 0, height: 4 }, { width: 1.5, height: 4 }, { width: Number.NaN, height: 1 }, { width: 1e9, height: 1 }, "6000x4000", null]) {
      expect(parseKernelMessage({ kind: "media", value: "a.jpg", mime: "image/jpeg", original })).toEqual({ kind: "media", value: "a.jpg", mime: "image/jpeg" });
    }
  });
});
