// @vitest-environment happy-dom
//
// The one sanitiser profile (js/src/sanitize.ts), one test per thing it must remove, and the markup it keeps.
// The real-browser check of the same path is tests/security/test_browser_attacks.py.
import { describe, expect, it } from "vitest";
import { useBrowserLikeDom } from "./browserLikeDom";
import { innerHtml, isSafeImageDataUrl, sanitizeHtml } from "../src/sanitize";

// happy-dom needs three fixes to behave as a browser for DOMPurify (js/test/browserLikeDom.ts).
// The same profile is checked in real Chromium by tests/security/test_browser_attacks.py.
useBrowserLikeDom();

const PNG =
  "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

/** The sanitised markup, parsed back, so tests look at elements and attributes rather than at strings. */
function clean(html: string): HTMLElement {
  const box = document.createElement("div");
  box.innerHTML = sanitizeHtml(html);
  return box;
}

function attrs(box: HTMLElement): string[] {
  const out: string[] = [];
  for (const el of Array.from(box.querySelectorAll("*"))) {
    for (const a of Array.from(el.attributes)) out.push(`${el.tagName.toLowerCase()}[${a.name}]`);
  }
  return out;
}

describe("sanitizeHtml removes", () => {
  it("style attributes (no fixed overlays, no background:url beacons)", () => {
    const box = clean(
      '<div style="position:fixed;inset:0;z-index:99999;background:url(http://127.0.0.1:9/bg)">cover</div>',
    );
    expect(box.textContent).toBe("cover");
    expect(box.innerHTML).not.toContain("style");
    expect(box.innerHTML).not.toContain("127.0.0.1");
  });

  it("style elements and their rules", () => {
    const box = clean("<style>body{display:none} @import url(http://127.0.0.1:9/css);</style><b>kept</b>");
    expect(box.querySelector("style")).toBeNull();
    expect(box.innerHTML).toBe("<b>kept</b>");
  });

  it("remote img src (a beacon)", () => {
    const box = clean('<img src="http://127.0.0.1:9/beacon" alt="x"><img src="//127.0.0.1:9/b2"><img src="/files/x.png">');
    const imgs = Array.from(box.querySelectorAll("img"));
    expect(imgs.map((i) => i.getAttribute("src"))).toEqual([null, null, null]);
    expect(box.innerHTML).not.toContain("127.0.0.1");
  });

  it("srcset, sizes and every other URL attribute", () => {
    const box = clean(
      `<img src="${PNG}" srcset="http://127.0.0.1:9/s 1x" sizes="10px">` +
        '<table background="http://127.0.0.1:9/bg"><tr><td background="http://127.0.0.1:9/td">c</td></tr></table>' +
        '<blockquote cite="http://127.0.0.1:9/cite">q</blockquote><a ping="http://127.0.0.1:9/ping">p</a>',
    );
    expect(box.innerHTML).not.toContain("127.0.0.1");
    expect(box.querySelector("img")?.getAttribute("src")).toBe(PNG);
    expect(box.querySelector("img")?.hasAttribute("srcset")).toBe(false);
  });

  it("forms and form controls", () => {
    const box = clean(
      '<form action="http://127.0.0.1:9/steal"><input name="pw" type="password"><select><option>o</option></select>' +
        '<textarea>t</textarea><button formaction="http://127.0.0.1:9/f">Log in</button></form>',
    );
    for (const tag of ["form", "input", "select", "option", "textarea", "button"]) {
      expect(box.querySelector(tag), tag).toBeNull();
    }
    expect(box.innerHTML).not.toContain("127.0.0.1");
    expect(box.textContent).toContain("Log in"); // the words stay, as text
  });

  it("frames, objects and embeds", () => {
    const box = clean(
      '<iframe src="http://127.0.0.1:9/f" srcdoc="<script>1</script>"></iframe><frameset><frame src="x"></frameset>' +
        '<object data="http://127.0.0.1:9/o"></object><embed src="http://127.0.0.1:9/e">',
    );
    for (const tag of ["iframe", "frame", "frameset", "object", "embed"]) expect(box.querySelector(tag), tag).toBeNull();
    expect(box.innerHTML).not.toContain("127.0.0.1");
  });

  it("javascript: (and every other) href: anchors stay as inert text", () => {
    const box = clean(
      '<a href="javascript:top.pwned=1">j</a><a href="http://127.0.0.1:9/login" target="_top">l</a><a href="#x">f</a>',
    );
    const anchors = Array.from(box.querySelectorAll("a"));
    expect(anchors.map((a) => a.textContent)).toEqual(["j", "l", "f"]);
    expect(anchors.every((a) => a.attributes.length === 0)).toBe(true);
  });

  it("svg (with onload), math and other foreign content", () => {
    for (const html of [
      'ok<svg onload="top.pwned=1"><image href="http://127.0.0.1:9/svg"/><script>top.pwned=2</script></svg>',
      'ok<svg><foreignObject><img src="http://127.0.0.1:9/fo" onerror="top.pwned=4"></foreignObject></svg>',
      'ok<math><mtext><img src="http://127.0.0.1:9/m" onerror="top.pwned=3"></mtext></math>',
    ]) {
      const box = clean(html);
      expect(box.querySelector("svg, math, image, foreignObject, script"), html).toBeNull();
      expect(box.innerHTML, html).not.toMatch(/onload|onerror|127\.0\.0\.1|pwned/);
      expect(box.textContent, html).toBe("ok");
    }
  });

  it("link, meta and base", () => {
    const box = clean(
      '<link rel="prefetch" href="http://127.0.0.1:9/link"><link rel="stylesheet" href="http://127.0.0.1:9/css">' +
        '<meta http-equiv="refresh" content="0;url=http://127.0.0.1:9/meta"><base href="http://127.0.0.1:9/">text',
    );
    expect(box.querySelector("link, meta, base")).toBeNull();
    expect(box.innerHTML).toBe("text");
  });

  it("scripts and event handlers", () => {
    const box = clean('<script>top.pwned=1</script><span onclick="top.pwned=2" onmouseover="x()">s</span>');
    expect(box.innerHTML).toBe("<span>s</span>");
  });

  it("class, id, name, data-* and aria-* (nothing that picks up page CSS or looks like the widget's parts)", () => {
    const box = clean(
      '<span class="jp-Dialog lnb-banner" id="jupyterapp" data-choice="x" data-testid="submit" aria-live="assertive">s</span>' +
        '<img name="body" src="' +
        PNG +
        '">',
    );
    expect(attrs(box)).toEqual(["img[src]", "img[referrerpolicy]"]);
  });

  it("data: URLs that are not raster images", () => {
    const box = clean(
      '<img src="data:image/svg+xml;base64,PHN2Zy8+"><img src="data:text/html;base64,PHNjcmlwdD4="><img src="blob:http://x/1">',
    );
    expect(Array.from(box.querySelectorAll("img")).map((i) => i.getAttribute("src"))).toEqual([null, null, null]);
    expect(isSafeImageDataUrl(PNG)).toBe(true);
    expect(isSafeImageDataUrl("data:image/svg+xml;base64,PHN2Zy8+")).toBe(false);
    expect(isSafeImageDataUrl("http://127.0.0.1/x.png")).toBe(false);
  });
});

describe("sanitizeHtml keeps", () => {
  it("harmless inline markup", () => {
    const html =
      "<b>b</b><i>i</i><em>em</em><strong>strong</strong><br><span>span</span><small>small</small>" +
      "<sub>sub</sub><sup>sup</sup>";
    expect(sanitizeHtml(html)).toBe(html);
  });

  it("an inline data:image PNG", () => {
    const box = clean(`<img src="${PNG}" alt="dot" title="a dot">`);
    const img = box.querySelector("img")!;
    expect(img.getAttribute("src")).toBe(PNG);
    expect(img.getAttribute("alt")).toBe("dot");
    expect(img.getAttribute("title")).toBe("a dot");
    expect(img.getAttribute("referrerpolicy")).toBe("no-referrer");
  });

  it("simple structure: paragraphs, lists, tables, code", () => {
    const html =
      "<p>p</p><ul><li>one</li></ul><ol><li>two</li></ol>" +
      '<table><tbody><tr><td colspan="2">c</td></tr></tbody></table><code>x</code><kbd>k</kbd><h3 dir="rtl">h</h3>';
    expect(sanitizeHtml(html)).toBe(html);
  });

  it("gives an object ready for dangerouslySetInnerHTML", () => {
    expect(innerHtml('<b onclick="x()">b</b>')).toEqual({ __html: "<b>b</b>" });
  });
});
