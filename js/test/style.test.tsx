// @vitest-environment happy-dom
// A config's <Style> applies to its own widget only: selectors scoped, what reaches outside dropped.
import { render } from "preact";
import { act } from "preact/test-utils";
import { describe, expect, it } from "vitest";
import { Style } from "../src/objects/Style";
import { safeDeclarations, scopeCss } from "../src/objects/styleScope";

const S = '.labelnb-root[data-lnb-scope="s1"]';

describe("a config's <Style>, scoped to its widget", () => {
  it("puts every selector under the widget; :root, html and body are the widget itself", () => {
    expect(scopeCss(".htx-pdf { height: 300px }", S)).toBe(`${S} .htx-pdf { height: 300px; }`);
    expect(scopeCss("h1, .a > .b:hover { color: red; font-weight: bold }", S)).toBe(
      `${S} h1, ${S} .a > .b:hover { color: red; font-weight: bold; }`,
    );
    expect(scopeCss("body { background: #eee } :root { --x: 1 } html body .c { margin: 0 }", S)).toBe(
      [`${S} { background: #eee; }`, `${S} { --x: 1; }`, `${S} .c { margin: 0; }`].join("\n"),
    );
    expect(scopeCss(".a:is(.b, .c) { color: blue }", S)).toBe(`${S} .a:is(.b, .c) { color: blue; }`);
  });

  it("scopes rules inside @media and @supports; keeps @keyframes", () => {
    expect(scopeCss("@media (max-width: 600px) { .x { display: none } }", S)).toBe(`@media (max-width: 600px) { ${S} .x { display: none; } }`);
    expect(scopeCss("@keyframes spin { from { opacity: 0 } to { opacity: 1 } }", S)).toBe(
      "@keyframes spin { from { opacity: 0; } to { opacity: 1; } }",
    );
  });

  it("drops what reaches outside the widget or the network", () => {
    const css = [
      '@import url("https://evil.example/x.css");',
      "@charset 'utf-8';",
      "@font-face { font-family: X; src: url(https://evil.example/f.woff) }",
      ".a { background: url(https://evil.example/track.png); color: red }",
      ".b { background-image: image-set('x.png' 1x) }",
      ".c { width: expression(alert(1)) }",
      ".d { position: fixed; top: 0 }",
      ".e { behavior: url(x.htc) }",
      "/* .f { color: red } */",
      ".g { content: '\\3c script' }",
    ].join("\n");
    expect(scopeCss(css, S)).toBe(`${S} .a { color: red; }\n${S} .d { top: 0; }`);
    expect(safeDeclarations("color: red; x: y; -moz-binding: url(a); --ok: 2")).toBe("color: red; x: y; --ok: 2;");
  });

  it("survives malformed CSS", () => {
    expect(scopeCss(".a { color: red", S)).toBe(`${S} .a { color: red; }`);
    expect(scopeCss("}}} .b { color: blue }", S)).toBe("");
    expect(scopeCss("", S)).toBe("");
    expect(scopeCss("nothing here", S)).toBe("");
  });

  it("renders as the text of a <style> inside the widget, scoped to that widget only", () => {
    const page = document.createElement("div");
    document.body.appendChild(page);
    const roots = [0, 1].map(() => {
      const root = document.createElement("div");
      root.className = "labelnb-root";
      page.appendChild(root);
      return root;
    });
    const css = ".x { color: red } </style><script>alert(1)</script>";
    for (const root of roots) act(() => render(<Style node={{ tag: "Style", attrs: {}, children: [], text: css }} />, root));
    const [a, b] = roots.map((r) => r.getAttribute("data-lnb-scope"));
    expect(a).toBeTruthy();
    expect(b).toBeTruthy();
    expect(a).not.toBe(b);
    const style = roots[0]!.querySelector("style")!;
    expect(style.textContent).toContain(`.labelnb-root[data-lnb-scope="${a}"] .x { color: red; }`);
    expect(page.querySelector("script")).toBeNull();
    for (const root of roots) render(null, root);
    page.remove();
  });
});
