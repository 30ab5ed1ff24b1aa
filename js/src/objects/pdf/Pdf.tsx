// <Pdf name value="$pdf">: a PDF document, one page at a time, with boxes drawn on the page (OcrLabels).
//
// pdf.js (./pdfjs.ts, loaded from the kernel on first use) draws each page to a PNG, which the image surface
// shows like any image: drawing, zoom, pan, undo and the region list are the image editor's. Regions carry
// their page as Label Studio's `value.pageIndex` (0-based) and, when the page has text, the text under the
// box as `value.ocrtext` (./text.ts). Where the bytes come from: a value the kernel delivers (a local path,
// a bucket URL: task.media) comes from the media cache; a data:, http(s) or blob: URL is fetched by the
// browser. Text from the PDF only ever reaches the page as text nodes.

import { memo } from "preact/compat";
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { attr, resolveValue } from "../../config";
import { useLabel } from "../../context";
import { regionControlsOf } from "../../controls/regionTools";
import { RegionList } from "../../panels/RegionList";
import type { ViewNode } from "../../protocol";
import { objectSpec } from "../../schema/model";
import type { Json } from "../../state/document";
import { cssSize, useMedia } from "../image/Image";
import { Surface } from "../image/Surface";
import type { PdfPageTarget } from "../image/tools";
import { openPdf, renderPage, type OpenPdf } from "./pdfjs";
import { textInBox, textRuns, type TextItemLike, type TextRun, type TextStyleLike } from "./text";

const PdfRegionList = memo(RegionList);

/** URLs the browser may fetch a PDF from itself; anything else must come through the kernel. */
export function browserFetchable(value: string): boolean {
  return /^(https?:\/\/|data:|blob:)/i.test(value.trim());
}

function shorten(value: string): string {
  return value.length > 120 ? `${value.slice(0, 117)}…` : value;
}

/** Why opening a PDF failed, in words for the person labelling. */
export function pdfErrorText(err: unknown): string {
  const name = typeof err === "object" && err !== null ? String((err as { name?: unknown }).name ?? "") : "";
  const message = err instanceof Error ? err.message : String(err);
  if (name === "InvalidPDFException") return "it is not a valid PDF file";
  if (name === "PasswordException") return "it is protected by a password";
  if (name === "ResponseException" || name === "MissingPDFException") return "the file could not be read";
  return message || "pdf.js could not read it";
}

export function Pdf({ node }: { node: ViewNode }) {
  const { data } = useLabel();
  const valueAttr = attr(node, "value");
  const value = resolveValue(valueAttr, data);
  const name = attr(node, "name") ?? "";
  if (typeof value !== "string" || value.trim() === "") {
    return (
      <div class="lnb-image-box lnb-error" data-object={name} data-state="error" role="note">
        This task has no PDF in its “{valueAttr?.replace(/^\$/, "") ?? "value"}” field.
      </div>
    );
  }
  return <PdfDocument key={value} node={node} name={name} value={value} />;
}

type Loaded = { status: "loading" } | { status: "error"; error: string } | { status: "ready"; pdf: OpenPdf };

function PdfDocument({ node, name, value }: { node: ViewNode; name: string; value: string }) {
  const { task, session } = useLabel();
  const viaKernel = (task.media ?? []).includes(value);
  const media = useMedia(session, value, viaKernel);
  const [attempt, setAttempt] = useState(0);
  const [loaded, setLoaded] = useState<Loaded>({ status: "loading" });
  const style = { width: cssSize(attr(node, "width"), "100%"), maxWidth: cssSize(attr(node, "maxWidth"), "750px") };

  let source: string | null = null;
  let refused: string | null = null;
  if (viaKernel) {
    if (media.status === "ready") source = media.url;
    else if (media.status === "error") refused = media.error;
  } else if (browserFetchable(value)) {
    source = value;
  } else {
    refused = "this kind of location is not allowed for a PDF (use a file path, a storage URL or an http(s) URL)";
  }

  useEffect(() => {
    if (source === null) return undefined;
    let live = true;
    let opened: OpenPdf | null = null;
    setLoaded({ status: "loading" });
    (async () => {
      let bytes: Uint8Array;
      try {
        const response = await fetch(source);
        if (!response.ok) throw new Error(`the server answered ${response.status}`);
        bytes = new Uint8Array(await response.arrayBuffer());
      } catch (err) {
        throw new Error(`the browser could not download it (${err instanceof Error ? err.message : String(err)})`);
      }
      const pdf = await openPdf(session, bytes);
      if (!live) {
        pdf.close();
        return;
      }
      opened = pdf;
      setLoaded({ status: "ready", pdf });
    })().catch((err: unknown) => {
      if (live) setLoaded({ status: "error", error: pdfErrorText(err) });
    });
    return () => {
      live = false;
      opened?.close();
    };
  }, [source, attempt, session]);

  const failure = refused ?? (loaded.status === "error" ? loaded.error : null);
  if (failure !== null) {
    return (
      <div class="lnb-image-box lnb-error" data-object={name} data-pdf={name} data-state="error" style={style} role="alert">
        <div>
          Could not open the PDF <code>{shorten(value)}</code>: {failure}.
        </div>
        <button
          type="button"
          class="lnb-btn lnb-small"
          onClick={() => {
            if (viaKernel && media.status === "error") session.requestMedia([value]);
            setAttempt((n) => n + 1);
          }}
        >
          Try again
        </button>
      </div>
    );
  }
  if (loaded.status !== "ready") {
    return (
      <div class="lnb-image-box lnb-placeholder" data-object={name} data-pdf={name} data-state="loading" style={style} aria-busy="true">
        <span class="lnb-spinner" aria-hidden="true" /> Loading PDF…
      </div>
    );
  }
  return <PdfPages pdf={loaded.pdf} name={name} style={style} />;
}

interface RenderedPage {
  url: string;
  /** the page's size at scale 1 (page units) */
  width: number;
  height: number;
  /** its text runs; null while being read (or when it has none that can be read) */
  text: TextRun[] | null;
}

type PageState = { status: "loading" } | { status: "error"; error: string } | ({ status: "ready" } & RenderedPage);

function PdfPages({ pdf, name, style }: { pdf: OpenPdf; name: string; style: Record<string, string> }) {
  const { editor } = useLabel();
  const count = pdf.doc.numPages;
  const [index, setIndex] = useState(0);
  const [pages, setPages] = useState<ReadonlyMap<number, PageState>>(new Map());
  const urls = useRef<string[]>([]);
  const spec = objectSpec(editor.model, name);
  const hasRegions = regionControlsOf(editor.model, name).length > 0;
  const at = Math.min(index, count - 1);

  // each page is drawn once, when first shown; its PNG stays until the document goes (a page left before it
  // is drawn is still finished: the map is keyed by page)
  const mounted = useRef(true);
  useEffect(() => {
    if (pages.has(at)) return;
    const set = (state: PageState) => {
      if (mounted.current) setPages((m) => new Map(m).set(at, state));
    };
    set({ status: "loading" });
    (async () => {
      const page = await pdf.doc.getPage(at + 1);
      const image = await renderPage(page);
      if (!mounted.current) {
        URL.revokeObjectURL(image.url);
        return;
      }
      urls.current.push(image.url);
      const base: RenderedPage = { ...image, text: null };
      set({ status: "ready", ...base });
      try {
        const content = await page.getTextContent();
        const runs = textRuns(
          content.items as TextItemLike[],
          content.styles as Record<string, TextStyleLike>,
          page.getViewport({ scale: 1 }).transform,
        );
        set({ status: "ready", ...base, text: runs });
      } catch {
        // no text to read: boxes on this page get no ocrtext
      }
    })().catch((err: unknown) => set({ status: "error", error: err instanceof Error ? err.message : String(err) }));
  }, [pdf, at]);

  useEffect(
    () => () => {
      mounted.current = false;
      for (const url of urls.current) URL.revokeObjectURL(url);
      urls.current = [];
    },
    [],
  );

  const state = pages.get(at) ?? { status: "loading" as const };
  const latest = useRef(state);
  latest.current = state;
  // a stable target: the surface's tools read the page's text as it is when a box is drawn
  const target = useMemo<PdfPageTarget>(
    () => ({
      index: at,
      textIn: (geometry: Json) => {
        const s = latest.current;
        if (s.status !== "ready" || s.text === null) return undefined;
        const text = textInBox(s.text, geometry, s);
        return text === "" ? undefined : text;
      },
    }),
    [at],
  );
  const [failed, setFailed] = useState<number | null>(null);

  // turning to the first or last page disables the button just pressed, which drops the focus: it goes to
  // the widget, so its keys (Ctrl+Enter, label hotkeys) keep working
  const turn = (e: Event, to: number) => {
    const button = e.currentTarget as HTMLButtonElement;
    setIndex(to);
    requestAnimationFrame(() => {
      if (button.disabled || !button.isConnected) button.closest<HTMLElement>(".labelnb-root")?.focus({ preventScroll: true });
    });
  };
  const pager = (
    <div class="lnb-pager" role="toolbar" aria-label="Pages">
      <button type="button" class="lnb-btn lnb-small" data-page="prev" title="Previous page" disabled={at === 0} onClick={(e) => turn(e, at - 1)}>
        ‹
      </button>
      <span class="lnb-page" data-page-label="">
        Page {at + 1} / {count}
      </span>
      <button type="button" class="lnb-btn lnb-small" data-page="next" title="Next page" disabled={at >= count - 1} onClick={(e) => turn(e, at + 1)}>
        ›
      </button>
    </div>
  );

  let body;
  if (state.status === "error" || failed === at) {
    body = (
      <div class="lnb-image-box lnb-error" data-object={name} data-state="error" style={style} role="alert">
        Page {at + 1} of this PDF could not be drawn{state.status === "error" ? `: ${state.error}` : ""}.
      </div>
    );
  } else if (state.status === "loading") {
    body = (
      <div class="lnb-image-box lnb-placeholder" data-object={name} data-state="loading" style={style} aria-busy="true">
        <span class="lnb-spinner" aria-hidden="true" /> Drawing page {at + 1}…
      </div>
    );
  } else {
    body = (
      <div class="lnb-image-wrap" style={style}>
        <Surface
          key={at}
          object={name}
          src={state.url}
          alt={`page ${at + 1} of ${count} of the PDF “${name}”`}
          editor={editor}
          spec={spec}
          pdfPage={target}
          onState={(s) => setFailed(s === "error" ? at : null)}
        />
      </div>
    );
  }

  return (
    <div class="lnb-pdf" data-pdf={name} data-page-index={at} data-pages={count}>
      {pager}
      <div class={`lnb-image-object${hasRegions ? " lnb-with-regions" : ""}`} data-image={name}>
        {body}
        {hasRegions && <PdfRegionList editor={editor} object={name} itemIndex={at} />}
      </div>
    </div>
  );
}
