// <Table name value="$field" valueType="json">: task data as a table, as Label Studio's Table tag shows it
// (tags/object/Table.jsx): with valueType "json" (the default) an object's keys, sorted case-insensitively,
// against their values (objects and lists as JSON text); with "csv" the rows of a CSV text, the first row
// naming the columns unless `headless`, split by `separator` (valueType="csv|separator=;|headless"); with
// the option `url` the value is a URL the browser loads (http(s) and data: only). Ten rows a page. Every
// cell is text.

import { useEffect, useState } from "preact/hooks";
import { attr, asText, resolveValue } from "../config";
import { useLabel } from "../context";
import type { ViewNode } from "../protocol";

export const PAGE_ROWS = 10;

export interface TableType {
  type: "json" | "csv";
  url: boolean;
  separator: string;
  headless: boolean;
}

/** `valueType` as Label Studio reads it: a type, then `|`-separated options (`url`, `separator=;`, ...). */
export function tableType(valueType: string | undefined): TableType {
  const [type = "json", ...options] = (valueType ?? "json").split("|").map((s) => s.trim());
  const opts = new Map(options.map((o) => {
    const eq = o.indexOf("=");
    return eq < 0 ? [o.toLowerCase(), "true"] : [o.slice(0, eq).toLowerCase(), o.slice(eq + 1)];
  }));
  return {
    type: type.toLowerCase() === "csv" ? "csv" : "json",
    url: opts.has("url"),
    separator: opts.get("separator") || ",",
    headless: opts.get("headless") === "true",
  };
}

/** CSV text -> rows of cells (double quotes quote a cell; "" is a quote inside one). */
export function parseCsv(text: string, separator = ","): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"' && cell === "") quoted = true;
    else if (text.startsWith(separator, i)) {
      row.push(cell);
      cell = "";
      i += separator.length - 1;
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i += 1;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
    } else cell += c;
  }
  if (cell !== "" || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows.filter((r) => r.some((x) => x !== ""));
}

export interface TableData {
  columns: string[];
  rows: string[][];
}

const cellText = (v: unknown) => (v !== null && typeof v === "object" ? JSON.stringify(v) : asText(v));

/** What the table shows for a value (already loaded when it was a URL), or an error. */
export function tableData(value: unknown, kind: TableType): TableData | { error: string } {
  if (kind.type === "csv") {
    if (typeof value !== "string") return { error: "a CSV table needs text" };
    const rows = parseCsv(value, kind.separator);
    if (kind.headless) {
      const width = Math.max(0, ...rows.map((r) => r.length));
      return { columns: Array.from({ length: width }, (_, i) => String(i)), rows };
    }
    const [head = [], ...body] = rows;
    return { columns: head, rows: body };
  }
  let data = value;
  if (typeof data === "string") {
    try {
      data = JSON.parse(data) as unknown;
    } catch {
      return { error: "the value is not JSON" };
    }
  }
  if (Array.isArray(data) && data.length && data.every((r) => r !== null && typeof r === "object" && !Array.isArray(r))) {
    // a list of records (Label Studio shows these as Name/Value too with valueType json; a list reads better)
    const columns = Object.keys(data[0] as object);
    return { columns, rows: data.map((r) => columns.map((c) => cellText((r as Record<string, unknown>)[c]))) };
  }
  if (data === null || typeof data !== "object") return { error: "the value is not an object" };
  const keys = Object.keys(data).sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()));
  return { columns: ["Name", "Value"], rows: keys.map((k) => [k, cellText((data as Record<string, unknown>)[k])]) };
}

export function Table({ node }: { node: ViewNode }) {
  const { data } = useLabel();
  const name = attr(node, "name") ?? "";
  const kind = tableType(attr(node, "valueType"));
  const raw = resolveValue(attr(node, "value"), data);
  const [loaded, setLoaded] = useState<{ url: string; text?: string; error?: string } | null>(null);
  const [page, setPage] = useState(0);
  const url = kind.url && typeof raw === "string" ? raw : null;
  useEffect(() => {
    if (url === null) return undefined;
    let live = true;
    if (!/^(https?:|data:)/i.test(url.trim())) {
      setLoaded({ url, error: "only http(s) and data: URLs are loaded" });
      return undefined;
    }
    fetch(url)
      .then((r) => (r.ok ? r.text() : Promise.reject(new Error(`the server answered ${r.status}`))))
      .then((text) => live && setLoaded({ url, text }))
      .catch((err: unknown) => live && setLoaded({ url, error: err instanceof Error ? err.message : String(err) }));
    return () => {
      live = false;
    };
  }, [url]);

  let shown: TableData | { error: string } | null;
  if (url !== null) {
    if (loaded?.url !== url) shown = null;
    else shown = loaded.error !== undefined ? { error: `could not load ${url}: ${loaded.error}` } : tableData(loaded.text, kind);
  } else shown = raw === undefined ? { error: "this task has no such field" } : tableData(raw, kind);

  if (shown === null) {
    return (
      <div class="lnb-table lnb-placeholder" data-table={name} aria-busy="true">
        <span class="lnb-spinner" aria-hidden="true" /> Loading table…
      </div>
    );
  }
  if ("error" in shown) {
    return (
      <div class="lnb-table lnb-error" data-table={name} role="note">
        Table “{name}”: {shown.error}.
      </div>
    );
  }
  const pages = Math.max(1, Math.ceil(shown.rows.length / PAGE_ROWS));
  const at = Math.min(page, pages - 1);
  return (
    <div class="lnb-table" data-table={name}>
      <table>
        <thead>
          <tr>
            {shown.columns.map((c, i) => (
              <th key={i} scope="col">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {shown.rows.slice(at * PAGE_ROWS, (at + 1) * PAGE_ROWS).map((r, i) => (
            <tr key={at * PAGE_ROWS + i}>
              {shown.columns.map((_, j) => (
                <td key={j}>{r[j] ?? ""}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {pages > 1 && (
        <div class="lnb-pager" role="toolbar" aria-label="Table pages">
          <button type="button" class="lnb-btn lnb-small" data-page="prev" disabled={at === 0} onClick={() => setPage(at - 1)}>
            ‹
          </button>
          <span class="lnb-page">
            {at + 1} / {pages}
          </span>
          <button type="button" class="lnb-btn lnb-small" data-page="next" disabled={at >= pages - 1} onClick={() => setPage(at + 1)}>
            ›
          </button>
        </div>
      )}
    </div>
  );
}
