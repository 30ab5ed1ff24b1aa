import { describe, expect, it } from "vitest";
import { MediaCache, SVG_RENDER_ERROR, blobType, isSvg, rasterSize } from "../src/media";
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

describe("MediaCache and SVG", () => {
  const text = (s: string) => new TextEncoder().encode(s).buffer as ArrayBuffer;
  const SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>top.pwned=1</script></svg>';
  const flush = async () => {
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };

  /** URLs and a rasteriser that write one shared log, so that the order of events can be checked. */
  function harness() {
    const log: string[] = [];
    const blobs: Blob[] = [];
    let n = 0;
    const pending: { url: string; resolve: (b: Blob) => void; reject: (e: unknown) => void }[] = [];
    return {
      log,
      blobs,
      pending,
      createObjectURL: (blob: Blob) => {
        blobs.push(blob);
        const url = `blob:fake/${++n}`;
        log.push(`create ${url} ${blob.type}`);
        return url;
      },
      revokeObjectURL: (url: string) => {
        log.push(`revoke ${url}`);
      },
      rasterizeSvg: (url: string) => {
        log.push(`rasterize ${url}`);
        return new Promise<Blob>((resolve, reject) => pending.push({ url, resolve, reject }));
      },
    };
  }
  const png = () => new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], { type: "image/png" });

  it("exposes only the PNG: the SVG's URL goes to the rasteriser alone and is revoked before the PNG appears", async () => {
    const h = harness();
    const cache = new MediaCache(h);
    let calls = 0;
    cache.subscribe(() => calls++);
    cache.put("a.svg", text(SVG), "image/svg+xml");
    expect(h.blobs[0]?.type).toBe("image/svg+xml");
    expect(cache.get("a.svg")).toEqual({ status: "missing" }); // loading until it is drawn
    expect(cache.has("a.svg")).toBe(true); // the bytes are here: nobody asks the kernel again
    expect(cache.size).toBe(0);

    h.pending[0]!.resolve(png());
    await flush();
    expect(cache.get("a.svg")).toEqual({ status: "ready", url: "blob:fake/2", mime: "image/png" });
    expect(h.log).toEqual([
      "create blob:fake/1 image/svg+xml",
      "rasterize blob:fake/1",
      "revoke blob:fake/1",
      "create blob:fake/2 image/png",
    ]);
    expect(calls).toBe(2); // loading, then ready
    cache.dispose();
    expect(h.log.at(-1)).toBe("revoke blob:fake/2");
  });

  it("rasterises bytes that are SVG whatever type they were declared with", async () => {
    const cases: [string, string][] = [
      [SVG, "image/png"],
      ['<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>', "application/octet-stream"],
      ['\uFEFF \n <!-- a comment --> <svg xmlns="http://www.w3.org/2000/svg"/>', "image/jpeg"],
      ["<!DOCTYPE svg><svg/>", ""],
      ['<SVG xmlns="http://www.w3.org/2000/svg"/>', "text/plain"],
      ["<svg/>", "Image/SVG+XML; charset=utf-8"],
    ];
    for (const [body, mime] of cases) {
      const h = harness();
      const cache = new MediaCache(h);
      cache.put("x", text(body), mime);
      expect(h.log, `${mime}: ${body}`).toEqual(["create blob:fake/1 image/svg+xml", "rasterize blob:fake/1"]);
      h.pending[0]!.resolve(png());
      await flush();
      expect(cache.get("x")).toMatchObject({ status: "ready", mime: "image/png" });
    }
  });

  it("leaves other images alone", () => {
    const h = harness();
    const cache = new MediaCache(h);
    cache.put("p.png", bytes(0x89, 0x50, 0x4e, 0x47), "image/png");
    cache.put("t.txt", text("just <b>text</b>, not <svg"), "text/plain");
    expect(h.log).toEqual(["create blob:fake/1 image/png", "create blob:fake/2 text/plain"]);
    expect(cache.get("p.png")).toEqual({ status: "ready", url: "blob:fake/1", mime: "image/png" });
  });

  it("records an error when the SVG cannot be drawn, revokes its URL, and tries again when pushed again", async () => {
    const h = harness();
    const cache = new MediaCache(h);
    cache.put("bad.svg", text("<svg"), "image/svg+xml");
    h.pending[0]!.reject(new Error("decode failed"));
    await flush();
    expect(cache.get("bad.svg")).toEqual({ status: "error", error: SVG_RENDER_ERROR });
    expect(h.log).toEqual(["create blob:fake/1 image/svg+xml", "rasterize blob:fake/1", "revoke blob:fake/1"]);
    expect(cache.has("bad.svg")).toBe(false);

    cache.put("bad.svg", text("<svg/>"), "image/svg+xml");
    expect(cache.get("bad.svg")).toEqual({ status: "missing" });
    h.pending[1]!.resolve(new Blob([])); // an empty drawing is a failure too
    await flush();
    expect(cache.get("bad.svg")).toEqual({ status: "error", error: SVG_RENDER_ERROR });
    expect(h.log.filter((l) => l.startsWith("revoke"))).toEqual(["revoke blob:fake/1", "revoke blob:fake/2"]);
  });

  it("treats a rasteriser that throws at once like one that fails later", async () => {
    const h = harness();
    const cache = new MediaCache({
      ...h,
      rasterizeSvg: () => {
        throw new Error("no canvas");
      },
    });
    cache.put("a.svg", text(SVG), "image/svg+xml");
    await flush();
    expect(cache.get("a.svg")).toEqual({ status: "error", error: SVG_RENDER_ERROR });
    expect(h.log).toEqual(["create blob:fake/1 image/svg+xml", "revoke blob:fake/1"]);
  });

  it("rasterises a value once even when it is pushed again meanwhile", async () => {
    const h = harness();
    const cache = new MediaCache(h);
    cache.put("a.svg", text(SVG), "image/svg+xml");
    cache.put("a.svg", text(SVG), "image/svg+xml");
    expect(h.pending).toHaveLength(1);
    h.pending[0]!.resolve(png());
    await flush();
    cache.put("a.svg", text(SVG), "image/svg+xml");
    expect(h.pending).toHaveLength(1);
    expect(cache.get("a.svg")).toMatchObject({ status: "ready", url: "blob:fake/2" });
  });

  it("exposes nothing and leaks no URL when disposed while drawing", async () => {
    const h = harness();
    const cache = new MediaCache(h);
    cache.put("a.svg", text(SVG), "image/svg+xml");
    cache.dispose();
    h.pending[0]!.resolve(png());
    await flush();
    expect(h.log).toEqual(["create blob:fake/1 image/svg+xml", "rasterize blob:fake/1", "revoke blob:fake/1"]);
    expect(cache.get("a.svg")).toEqual({ status: "missing" });
  });

  it("does not ask the kernel again for an SVG that is being drawn", () => {
    const model = new FakeModel();
    const h = harness();
    const session = new Session(model, h);
    model.push({ kind: "media", value: "a.svg", mime: "image/svg+xml" }, [new DataView(text(SVG))]);
    session.requestMedia(["a.svg"]);
    expect(model.sentOf("media")).toEqual([]);
    expect(h.pending).toHaveLength(1);
  });

  it("stores types that could run as a document as downloads", () => {
    const h = harness();
    const cache = new MediaCache(h);
    const types: [string, string][] = [
      ["text/html", "application/octet-stream"],
      ["application/xhtml+xml", "application/octet-stream"],
      ["text/xml", "application/octet-stream"],
      ["application/pdf", "application/octet-stream"],
      ["", "application/octet-stream"],
      ["image/JPEG", "image/jpeg"],
      ["image/webp; q=1", "image/webp"],
      ["audio/mpeg", "audio/mpeg"],
      ["video/mp4", "video/mp4"],
    ];
    types.forEach(([declared, stored], i) => {
      cache.put(`v${i}`, bytes(1, 2, 3), declared);
      expect(h.blobs[i]?.type, declared).toBe(stored);
      expect(cache.get(`v${i}`)).toMatchObject({ status: "ready", mime: stored });
      expect(blobType(declared)).toBe(stored);
    });
  });

  it("draws an SVG with its own proportions, at least 2048 px on the longer side, at most 8192", () => {
    expect(rasterSize(100, 50)).toEqual({ width: 2048, height: 1024 });
    expect(rasterSize(30, 300)).toEqual({ width: 205, height: 2048 });
    expect(rasterSize(3000, 1000)).toEqual({ width: 3000, height: 1000 });
    expect(rasterSize(20000, 10000)).toEqual({ width: 8192, height: 4096 });
    expect(rasterSize(0, 0)).toEqual({ width: 2048, height: 1024 }); // no intrinsic size: 300 x 150
    expect(rasterSize(100000, 1)).toEqual({ width: 8192, height: 1 });
  });

  it("knows SVG by its type or its first bytes", () => {
    expect(isSvg("image/svg+xml", text("anything"))).toBe(true);
    expect(isSvg("image/png", text("\x89PNG"))).toBe(false);
    expect(isSvg("text/plain", text("  <?xml version='1.0'?>"))).toBe(true);
    expect(isSvg("text/plain", text("<html><svg></svg></html>"))).toBe(false);
  });
});
