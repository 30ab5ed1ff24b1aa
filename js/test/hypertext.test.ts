// @vitest-environment happy-dom
//
// HyperText's coordinates (js/src/objects/hypertext/dom.ts, offsets.ts) over the document the sanitiser's
// HyperText mode builds (js/src/sanitize.ts, sanitizeHyperText): XPaths, UTF-16 offsets into text nodes and
// code point global offsets, as Label Studio computes them. The first case is Label Studio's own: its
// end-to-end test "Richtext edge cases" (e2e/tests/richtext-edge-cases) selects four ranges of this HTML and
// asserts the values its editor serialises; the same values must come out here, and go back in.
import { describe, expect, it } from "vitest";
import { useBrowserLikeDom } from "./browserLikeDom";
import { globalText, indexDom, spanRange, stepName, toXPathRange, type DomIndex } from "../src/objects/hypertext/dom";
import { escapeBreaks, globalAt, pointAt } from "../src/objects/hypertext/offsets";
import { sanitizeHyperText, STUB_NAME, STUB_TAG, webLink } from "../src/sanitize";

useBrowserLikeDom();

function indexed(html: string, inline = false): DomIndex {
  const content = sanitizeHyperText(html, { inline });
  if (!content) throw new Error("no sanitiser");
  return indexDom(content.fragment);
}

/** The text of global offsets [start, end) of the document. */
const slice = (index: DomIndex, start: number, end: number) => [...globalText(index)].slice(start, end).join("");

// Label Studio's test HTML, whitespace and all (the newlines are text nodes' characters it counts)
const EDGE_HTML = `<p>This
is an <u><span>e</span><span>x</span><span>a</span><span>m</span><span>p</span><span>l</span><span>e</span></u><br/> of 
<abbr tytle="HyperText Markup Language"><b>HTML</b></abbr>
</p>`;
// what Label Studio 1.22 serialises for global offsets [20, 28), [21, 25), [0, 28) and [11, 18)
const EDGE_VALUES = [
  { start: "/p[1]/text()[2]", end: "/p[1]/abbr[1]/b[1]/text()[1]", startOffset: 1, endOffset: 4, globalOffsets: { start: 20, end: 28 } },
  { start: "/p[1]/text()[2]", end: "/p[1]/abbr[1]/b[1]/text()[1]", startOffset: 2, endOffset: 1, globalOffsets: { start: 21, end: 25 } },
  { start: "/p[1]/text()[1]", end: "/p[1]/abbr[1]/b[1]/text()[1]", startOffset: 0, endOffset: 4, globalOffsets: { start: 0, end: 28 } },
  { start: "/p[1]/u[1]/span[1]/text()[1]", end: "/p[1]/u[1]/span[7]/text()[1]", startOffset: 0, endOffset: 1, globalOffsets: { start: 11, end: 18 } },
];

describe("Label Studio's edge case", () => {
  let built: DomIndex | null = null;
  // built in the tests, once the DOM is patched
  const edge = () => (built ??= indexed(EDGE_HTML));

  it("counts text nodes' code points and one per <br>", () => {
    expect(edge().length).toBe(29); // 11 + 7 letters + the <br> + " of \n" + "HTML" + "\n"
    expect(slice(edge(), 20, 28)).toBe("of \nHTML");
    expect(slice(edge(), 11, 18)).toBe("example");
    expect(slice(edge(), 18, 19)).toBe("\n"); // the <br>
  });

  it("gives the XPaths and offsets Label Studio serialises", () => {
    for (const v of EDGE_VALUES) {
      const { start, end } = v.globalOffsets;
      expect(toXPathRange(edge(), start, end)).toEqual({ start: v.start, startOffset: v.startOffset, end: v.end, endOffset: v.endOffset });
    }
  });

  it("finds Label Studio's values on the same characters", () => {
    for (const v of EDGE_VALUES) {
      expect(spanRange(edge(), v)).toEqual([v.globalOffsets.start, v.globalOffsets.end]);
      // by the XPaths alone, as an old export (no globalOffsets) has them
      const { globalOffsets: _, ...old } = v;
      expect(spanRange(edge(), old)).toEqual([v.globalOffsets.start, v.globalOffsets.end]);
    }
  });

  it("falls back on globalOffsets when the XPaths name nothing", () => {
    expect(spanRange(edge(), { ...EDGE_VALUES[0], start: "/div[9]/text()[1]" })).toEqual([20, 28]);
    expect(spanRange(edge(), { start: "/div[9]/text()[1]", end: "/p[1]/text()[1]", startOffset: 0, endOffset: 1 })).toBeNull();
    expect(spanRange(edge(), { globalOffsets: { start: 0, end: 99 } })).toBeNull();
  });
});

describe("units", () => {
  it("global offsets count code points, startOffset/endOffset UTF-16 units", () => {
    const index = indexed("<p>\u{1F600} Bob</p>");
    expect(slice(index, 2, 5)).toBe("Bob");
    expect(toXPathRange(index, 2, 5)).toEqual({ start: "/p[1]/text()[1]", startOffset: 3, end: "/p[1]/text()[1]", endOffset: 6 });
    expect(spanRange(index, { start: "/p[1]/text()[1]", startOffset: 3, end: "/p[1]/text()[1]", endOffset: 6 })).toEqual([2, 5]);
  });

  it("a path to an element stands for the first text from where it starts", () => {
    const index = indexed("<div><p>ab</p><p><b>cd</b>e</p></div>");
    expect(spanRange(index, { start: "/div[1]/p[2]", startOffset: 1, end: "/div[1]/p[2]", endOffset: 2 })).toEqual([3, 4]);
  });

  it("a span's start at the end of a node belongs to the next one, its end at the start of a node to the one before", () => {
    const index = indexed("<p><b>ab</b><i>cd</i></p>");
    expect(toXPathRange(index, 2, 4)).toEqual({ start: "/p[1]/i[1]/text()[1]", startOffset: 0, end: "/p[1]/i[1]/text()[1]", endOffset: 2 });
    expect(toXPathRange(index, 0, 2)).toEqual({ start: "/p[1]/b[1]/text()[1]", startOffset: 0, end: "/p[1]/b[1]/text()[1]", endOffset: 2 });
  });

  it("tables keep the whitespace between their rows as text nodes, counted", () => {
    const index = indexed("<table>\n<tr><td>a</td><td>b</td></tr>\n<tr><td>c</td></tr></table>");
    const c = index.blocks.find((b) => b.node.data === "c");
    expect(c?.path).toBe("/table[1]/tbody[1]/tr[2]/td[1]/text()[1]");
    expect(c?.start).toBe(4); // "\n", "a", "b", "\n"
  });

  it("line breaks are spelled as Label Studio spells them in a span's text", () => {
    expect(escapeBreaks("This is an example\nof HTML")).toBe("This is an example\\nof HTML");
    expect(escapeBreaks("a\r\nb")).toBe("a\\n\\nb");
  });
});

describe("the sanitiser keeps Label Studio's node counts", () => {
  it("an element the profile does not allow becomes a stub named as it", () => {
    const content = sanitizeHyperText("<form><p>a</p></form><p>b<input name=x>c</p><div>x<style>p{}</style>y</div>");
    const stubs = Array.from(content?.fragment.querySelectorAll(STUB_TAG) ?? []).map((s) => [s.getAttribute(STUB_NAME), s.hasAttribute("hidden")]);
    expect(stubs).toEqual([
      ["form", false],
      ["input", true],
      ["style", true],
    ]);
    const index = indexDom(content!.fragment);
    const paths = Object.fromEntries(index.blocks.map((b) => [b.path, b.node.data]));
    expect(paths).toEqual({
      "/form[1]/p[1]/text()[1]": "a",
      "/p[1]/text()[1]": "b",
      "/p[1]/text()[2]": "c",
      "/div[1]/text()[1]": "x",
      "/div[1]/style[1]/text()[1]": "p{}",
      "/div[1]/text()[2]": "y",
    });
    expect(index.blocks.find((b) => b.node.data === "y")?.start).toBe(7); // a b c x p{} : the rules count too
  });

  it("scripts and iframes go with their content, and comments go: the text around them is one node", () => {
    const index = indexed("<p>a<script>x</script>b<!-- note -->c<iframe srcdoc='<b>d</b>'></iframe>e</p>");
    expect(index.blocks.map((b) => [b.path, b.node.data])).toEqual([["/p[1]/text()[1]", "abce"]]);
  });

  it("stub marks come only from the sanitiser", () => {
    const content = sanitizeHyperText(`<${STUB_TAG} ${STUB_NAME}="p">x</${STUB_TAG}><p ${STUB_NAME}="q" hidden>y</p>`);
    const box = content!.fragment;
    expect(box.firstElementChild?.getAttribute(STUB_NAME)).toBe(STUB_TAG);
    expect(stepName(box.firstElementChild as Element)).toBe(STUB_TAG);
    const p = box.querySelector("p");
    expect(p?.getAttributeNames()).toEqual([]);
  });

  it("svg and math become hidden stubs, their text kept and counted", () => {
    const index = indexed('<p>a<svg onload="alert(1)"><a href="javascript:alert(2)"><text>b</text></a></svg>c</p>');
    expect(index.blocks.map((b) => b.path)).toEqual(["/p[1]/text()[1]", "/p[1]/svg[1]/a[1]/text[1]/text()[1]", "/p[1]/text()[2]"]);
  });

  it("inline: a <div>'s content, as Label Studio's inline (the head's elements stay where they are)", () => {
    // (where a document's head goes without inline, only a browser's parser says: tests/e2e/test_hypertext.py)
    const inline = indexed("  <title>T</title><p>x</p>", true);
    expect(inline.blocks.map((b) => [b.path, b.start])).toEqual([
      ["/text()[1]", 0],
      ["/title[1]/text()[1]", 2],
      ["/p[1]/text()[1]", 3],
    ]);
  });

  it("nothing that runs, loads or navigates survives", () => {
    const content = sanitizeHyperText(
      '<p onclick="alert(1)" style="position:fixed">x</p><a href="javascript:alert(1)">j</a><img src="http://127.0.0.1:9/b" srcset="http://127.0.0.1:9/s 1x">' +
        '<object data="http://127.0.0.1:9/o"></object><form action="http://127.0.0.1:9/f"><button formaction="http://127.0.0.1:9/g">go</button></form>' +
        '<math><mi xlink:href="javascript:alert(3)">m</mi></math><meta http-equiv="refresh" content="0;url=http://127.0.0.1:9/r">',
      { links: true },
    );
    const box = document.createElement("div");
    box.append(content!.fragment.cloneNode(true));
    const attrs = Array.from(box.querySelectorAll("*")).flatMap((el) => el.getAttributeNames().map((a) => `${el.tagName.toLowerCase()}[${a}]`));
    expect(attrs.filter((a) => !a.endsWith(`[${STUB_NAME}]`) && !a.endsWith("[hidden]") && a !== "img[referrerpolicy]")).toEqual([]);
    expect(box.querySelectorAll("script, iframe, object, form, button, link, meta, svg, math, style").length).toBe(0);
    expect(content!.links).toEqual([null]);
    expect(box.textContent).toContain("go");
  });
});

describe("links", () => {
  it("only absolute http(s) URLs open", () => {
    expect(webLink("https://example.org/a?b#c")).toBe("https://example.org/a?b#c");
    expect(webLink(" http://example.org ")).toBe("http://example.org/");
    for (const bad of ["javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,x", "/relative", "//host/x", "", null]) {
      expect(webLink(bad)).toBeNull();
    }
  });

  it("each anchor's URL, in document order, outside the document", () => {
    const content = sanitizeHyperText('<a href="https://a.example/">A</a><form><a href="javascript:x">B</a></form><a href="http://c.example/x">C</a>', { links: true });
    expect(content!.links).toEqual(["https://a.example/", null, "http://c.example/x"]);
    expect(content!.fragment.querySelector("[href]")).toBeNull();
  });
});

describe("positions in the shown document", () => {
  it("a boundary point's global offset and back", () => {
    const box = document.createElement("div");
    box.append(sanitizeHyperText("<p>ab<br>c<b>\u{1F600}d</b></p>")!.fragment);
    const b = box.querySelector("b")!.firstChild as Text;
    expect(globalAt(box, { node: b, offset: 2 })).toBe(5); // a b <br> c 😀
    expect(pointAt(box, 5, "start")).toEqual({ node: b, offset: 2 });
    expect(pointAt(box, 2, "end")?.node).toBe(box.querySelector("p")!.firstChild);
    expect(pointAt(box, 3, "start")?.node.textContent).toBe("c");
  });
});
