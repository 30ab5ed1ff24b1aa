// The CSS of a config's <Style>, made to style that widget only (issue: "Style scoped to the widget; it
// must not restyle the notebook"). Every selector is put under the widget's scope selector; `:root`,
// `html` and `body` become the scope itself. What could reach outside the widget or the network is
// dropped: @import, @font-face and the other at-rules that are not conditional groups, url(), expression(),
// javascript:, behavior, -moz-binding, and position: fixed/sticky (a box pinned over the notebook).
// The result only ever goes into a <style> element's textContent.

const UNSAFE_VALUE = /url\s*\(|image-set\s*\(|expression|javascript:|@import|behavior\s*:|-moz-binding|[<>\\]/i;
/** At-rules whose block holds rules, scoped in turn. */
const GROUPS = /^@(media|supports|container|layer|scope)\b/i;
/** At-rules kept as written (their blocks hold no selectors), after the same declaration filter. */
const KEPT = /^@(-webkit-|-moz-)?keyframes\b/i;

/** `css` without comments. */
function stripComments(css: string): string {
  return css.replace(/\/\*[\s\S]*?(\*\/|$)/g, " ");
}

/** Index just past the `}` closing the block opened at `open`, minding strings and nesting (an unclosed
 * block closes after the end of the text). */
function blockEnd(css: string, open: number): number {
  let depth = 0;
  for (let i = open; i < css.length; i++) {
    const c = css[i];
    if (c === '"' || c === "'") {
      const close = css.indexOf(c, i + 1);
      i = close < 0 ? css.length : close;
    } else if (c === "{") depth += 1;
    else if (c === "}") {
      depth -= 1;
      if (depth === 0) return i + 1;
    }
  }
  return css.length + 1;
}

/** Split on `sep` outside parentheses, brackets and strings. */
function splitTop(text: string, sep: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "(" || c === "[") depth += 1;
    else if (c === ")" || c === "]") depth = Math.max(0, depth - 1);
    else if (c === sep && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out;
}

/** The declarations of a block that are safe, as `prop: value;` text. */
export function safeDeclarations(block: string): string {
  const kept: string[] = [];
  for (const decl of splitTop(block, ";")) {
    const colon = decl.indexOf(":");
    if (colon < 0) continue;
    const prop = decl.slice(0, colon).trim().toLowerCase();
    const value = decl.slice(colon + 1).trim();
    if (!/^-?-?[a-z][a-z0-9-]*$/.test(prop) || !value) continue;
    if (UNSAFE_VALUE.test(value) || /[{}]/.test(value)) continue;
    if (prop === "position" && /fixed|sticky/i.test(value)) continue;
    kept.push(`${prop}: ${value};`);
  }
  return kept.join(" ");
}

/** One selector under `scope` (`:root`, `html`, `body` at its start are the scope itself). */
function scopeSelector(selector: string, scope: string): string {
  const s = selector.trim();
  const root = /^(:root|html|body)(?![\w-])\s*/i.exec(s);
  if (root) {
    const rest = s.slice(root[0].length).replace(/^(body)(?![\w-])\s*/i, "");
    return rest ? `${scope} ${rest}` : scope;
  }
  return `${scope} ${s}`;
}

/** `css` with every rule under `scope` and what could leave the widget dropped (see the top of this file). */
export function scopeCss(css: string, scope: string): string {
  const text = stripComments(css);
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf("{", i);
    const semi = text.indexOf(";", i);
    if (open < 0 && semi < 0) break;
    if (semi >= 0 && (open < 0 || semi < open)) {
      i = semi + 1; // a statement (@import, @charset, @namespace, stray text): dropped
      continue;
    }
    const prelude = text.slice(i, open).trim();
    const end = blockEnd(text, open);
    const body = text.slice(open + 1, Math.max(open + 1, end - 1));
    i = end;
    if (prelude.startsWith("@")) {
      if (GROUPS.test(prelude)) {
        const inner = scopeCss(body, scope);
        if (inner) out.push(`${prelude} { ${inner} }`);
      } else if (KEPT.test(prelude)) {
        const frames: string[] = [];
        let j = 0;
        while (j < body.length) {
          const o = body.indexOf("{", j);
          if (o < 0) break;
          const e = blockEnd(body, o);
          frames.push(`${body.slice(j, o).trim()} { ${safeDeclarations(body.slice(o + 1, e - 1))} }`);
          j = e;
        }
        out.push(`${prelude} { ${frames.join(" ")} }`);
      }
      continue; // @font-face, @page, @property, ...: dropped
    }
    const selectors = splitTop(prelude, ",")
      .map((s) => s.trim())
      .filter((s) => s && !/[<{};]/.test(s));
    const declarations = safeDeclarations(body);
    if (!selectors.length || !declarations) continue;
    out.push(`${selectors.map((s) => scopeSelector(s, scope)).join(", ")} { ${declarations} }`);
  }
  return out.join("\n");
}
