// Reading the config tree (ViewNode) and the task data it points into.

import type { ViewNode } from "./protocol";

/** An attribute value; exact name first, then case-insensitively (Label Studio's front end lower-cases names). */
export function attr(node: ViewNode, name: string): string | undefined {
  const attrs = node.attrs;
  if (!attrs) return undefined;
  if (Object.prototype.hasOwnProperty.call(attrs, name)) return attrs[name];
  const lower = name.toLowerCase();
  for (const key of Object.keys(attrs)) {
    if (key.toLowerCase() === lower) return attrs[key];
  }
  return undefined;
}

/**
 * A boolean attribute of a tag the control model does not cover (Header's underline): "true" / "false" in
 * any case, spaces around ignored, else `fallback`. Label Studio takes exactly those two words ("1", "yes"
 * and "" are type errors there), as labelnb.config.analyze.bool_attr does. Rules about controls never read
 * attributes: they come analysed from the kernel (schema/model.ts).
 */
export function boolAttr(node: ViewNode, name: string, fallback = false): boolean {
  const raw = attr(node, name);
  if (raw === undefined) return fallback;
  const v = raw.trim().toLowerCase();
  if (v === "true") return true;
  if (v === "false") return false;
  return fallback;
}

export function numAttr(node: ViewNode, name: string): number | undefined {
  const raw = attr(node, name);
  if (raw === undefined || raw.trim() === "") return undefined;
  const n = Number(raw);
  return Number.isFinite(n) ? n : undefined;
}

export function children(node: ViewNode): ViewNode[] {
  return Array.isArray(node.children) ? node.children : [];
}

/** "$image" -> "image"; anything else (a literal) -> null. */
export function dataKey(value: string | undefined): string | null {
  if (!value || !value.startsWith("$") || value.length < 2) return null;
  return value.slice(1);
}

/** Look a key up in the task data: the key as written, then as a dotted / indexed path ("a.b", "a[0].b"). */
export function lookupData(data: Record<string, unknown> | undefined, key: string): unknown {
  if (!data) return undefined;
  if (Object.prototype.hasOwnProperty.call(data, key)) return data[key];
  const path = key.split(/\.|\[(\d+)\]/).filter((p) => p !== undefined && p !== "");
  let cur: unknown = data;
  for (const part of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    if (!Object.prototype.hasOwnProperty.call(cur, part)) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** A tag's `value`: "$key" reads the task data, anything else is the literal. */
export function resolveValue(value: string | undefined, data: Record<string, unknown> | undefined): unknown {
  if (value === undefined) return undefined;
  const key = dataKey(value);
  return key === null ? value : lookupData(data, key);
}

/** Replace "$key" tokens that name task data fields inside a literal string ("Review of $title"). */
export function interpolate(text: string, data: Record<string, unknown> | undefined): string {
  if (!text.includes("$")) return text;
  return text.replace(/\$([A-Za-z_][\w.]*(?:\[\d+\][\w.]*)*)/g, (whole, key: string) => {
    let k = key;
    // a sentence may end the token with a dot: "$name." -> "name"
    while (k.endsWith(".")) k = k.slice(0, -1);
    const v = lookupData(data, k);
    if (v === undefined) return whole;
    return asText(v) + key.slice(k.length);
  });
}

/** Any data value as display text. */
export function asText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v !== "object" || v === null)) {
    return value.map(asText).join("\n");
  }
  try {
    return JSON.stringify(value, null, 2);
  } catch {
    return String(value);
  }
}

const UNSAFE_STYLE = /url\s*\(|expression|javascript:|@import|behavior\s*:|-moz-binding|[<>{}\\]/i;

/**
 * Parse an inline style string ("a: b; c: d") into a Preact style object, dropping anything unsafe:
 * url(...) and expression(...) values, fixed positioning (it could cover the notebook), odd property names.
 */
export function parseStyle(style: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!style) return out;
  for (const decl of style.split(";")) {
    const colon = decl.indexOf(":");
    if (colon < 0) continue;
    const prop = decl.slice(0, colon).trim().toLowerCase();
    const value = decl
      .slice(colon + 1)
      .trim()
      .replace(/\s*!important\s*$/i, "");
    if (!prop || !value) continue;
    if (!/^-?-?[a-z][a-z0-9-]*$/.test(prop)) continue;
    if (UNSAFE_STYLE.test(value) || UNSAFE_STYLE.test(prop)) continue;
    if (prop === "position" && /fixed|sticky/i.test(value)) continue;
    const key = prop.startsWith("--") ? prop : prop.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());
    out[key] = value;
  }
  return out;
}

/** Depth-first walk over the tree; `visit` returning false skips a node's children. */
export function walk(node: ViewNode, visit: (node: ViewNode) => boolean | void): void {
  if (visit(node) === false) return;
  for (const child of children(node)) walk(child, visit);
}
