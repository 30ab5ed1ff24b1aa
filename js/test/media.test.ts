import { describe, expect, it } from "vitest";
import { MediaCache } from "../src/media";
import { Session, acquireSession } from "../src/session";
import { FakeModel } from "./fakeModel";

function fakeUrls() {
  let n = 0;
  const revoked: string[] = [];
  const blobs: Blob[] = [];
  return {
    revoked,
    blobs,
    createObjectURL: (blob: Blob) => {
      blobs.push(blob);
      return `blob:fake/${++n}`;
    },
    revokeObjectURL: (url: string) => {
      revoked.push(url);
    },
  };
}

const bytes = (...b: number[]) => new Uint8Array(b).buffer;

describe("MediaCache", () => {
  it("makes one blob URL per value and reuses it when the value comes again", async () => {
    const urls = fakeUrls();
    const cache = new MediaCache({ ...urls, capacity: 3 });
    cache.put("a.png", bytes(1, 2, 3), "image/png");
    cache.put("a.png", bytes(9), "image/png");
    expect(cache.get("a.png")).toEqual({ status: "ready", url: "blob:fake/1", mime: "image/png" });
    expect(urls.blobs).toHaveLength(1);
    expect(urls.blobs[0]?.type).toBe("image/png");
    expect(new Uint8Array(await urls.blobs[0]!.arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]));
  });

  it("copies just the bytes a DataView looks at", async () => {
    const urls = fakeUrls();
    const cache = new MediaCache(urls);
    const big = new Uint8Array([0, 1, 2, 3, 4, 5]).buffer;
    cache.put("v", new DataView(big, 2, 3), "image/jpeg");
    expect(new Uint8Array(await urls.blobs[0]!.arrayBuffer())).toEqual(new Uint8Array([2, 3, 4]));
  });

  it("evicts the least recently used entry and revokes its URL", () => {
    const urls = fakeUrls();
    const cache = new MediaCache({ ...urls, capacity: 2 });
    cache.put("a", bytes(1), "image/png"); // blob:fake/1
    cache.put("b", bytes(2), "image/png"); // blob:fake/2
    cache.get("a"); // a is now the most recent
    cache.put("c", bytes(3), "image/png");
    expect(urls.revoked).toEqual(["blob:fake/2"]);
    expect(cache.get("b")).toEqual({ status: "missing" });
    expect(cache.has("a")).toBe(true);
    expect(cache.size).toBe(2);
  });

  it("never evicts a value a view retains", () => {
    const urls = fakeUrls();
    const cache = new MediaCache({ ...urls, capacity: 1 });
    cache.put("shown", bytes(1), "image/png");
    const release = cache.retain("shown");
    cache.put("next", bytes(2), "image/png");
    expect(cache.has("shown")).toBe(true);
    expect(urls.revoked).toEqual(["blob:fake/2"]);
    release();
    cache.put("later", bytes(3), "image/png");
    expect(cache.has("shown")).toBe(false);
    expect(urls.revoked).toEqual(["blob:fake/2", "blob:fake/1"]);
  });

  it("records errors, notifies, and revokes everything on dispose", () => {
    const urls = fakeUrls();
    const cache = new MediaCache(urls);
    let calls = 0;
    cache.subscribe(() => calls++);
    cache.fail("x", "not found");
    expect(cache.get("x")).toEqual({ status: "error", error: "not found" });
    cache.put("x", bytes(1), "image/png");
    expect(cache.get("x").status).toBe("ready");
    expect(calls).toBe(2);
    cache.dispose();
    expect(urls.revoked).toEqual(["blob:fake/1"]);
  });
});

describe("Session", () => {
  it("caches pushed media and asks once for missing values", () => {
    const model = new FakeModel();
    const session = new Session(model, fakeUrls());
    model.push({ kind: "media", value: "a.png", mime: "image/png" }, [new DataView(bytes(1))]);
    expect(session.media.get("a.png").status).toBe("ready");

    session.requestMedia(["a.png", "b.png"]);
    session.requestMedia(["b.png"]);
    expect(model.sentOf("media")).toEqual([{ kind: "media", values: ["b.png"], request_id: expect.any(String) }]);
    model.push({ kind: "media_error", value: "b.png", error: "No such file: b.png" });
    expect(session.media.get("b.png")).toEqual({ status: "error", error: "No such file: b.png" });
    session.requestMedia(["b.png"]); // a retry asks again
    expect(model.sentOf("media")).toHaveLength(2);
  });

  it("marks values failed when the media request itself is refused", async () => {
    const model = new FakeModel();
    const session = new Session(model, fakeUrls());
    session.requestMedia(["c.png"]);
    model.reply("media", "Path outside the allowed roots");
    await Promise.resolve();
    await Promise.resolve();
    expect(session.media.get("c.png")).toEqual({ status: "error", error: "Path outside the allowed roots" });
  });

  it("is shared per model and disposed with the last holder", () => {
    const model = new FakeModel();
    const [s1, release1] = acquireSession(model);
    const [s2, release2] = acquireSession(model);
    expect(s1).toBe(s2);
    release1();
    release1();
    expect(model.listenerCount("msg:custom")).toBe(1);
    release2();
    expect(model.listenerCount("msg:custom")).toBe(0);
    const [s3, release3] = acquireSession(model);
    expect(s3).not.toBe(s1);
    release3();
  });
});
