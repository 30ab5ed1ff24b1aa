// pdf.js, loaded from the kernel only when a <Pdf> renders (it is ~1.6 MB: never part of widget.js).
//
// The library and its worker are assets of the kernel's fixed table (labelnb/widget/assets.py), fetched as
// bytes with `asset` messages, then run from blob URLs: the library as an ES module (`import()`), the worker
// as a module worker, one per open document, terminated with it. Whatever pdf.js asks for while it parses
// (standard fonts, CMaps, image decoders) comes the same way, through a BinaryDataFactory: pdf.js gets no
// URL, so it never fetches anything from the network.
//
// Task data is untrusted. Documents open without scripting (the scripting sandbox is not even shipped), XFA
// or eval, and pdf.js logs errors only (warnings about a malformed file are the file's, not the page's).

import type * as PdfJs from "pdfjs-dist";
import type { Session } from "../../session";

export type PdfJsModule = typeof PdfJs;
export type PdfDocument = PdfJs.PDFDocumentProxy;
export type PdfPage = PdfJs.PDFPageProxy;

export const LIBRARY = "pdfjs/pdf.min.mjs";
export const WORKER = "pdfjs/pdf.worker.min.mjs";
/** The asset folder of each kind of file pdf.js asks for while parsing. */
export const DATA_FOLDERS: Readonly<Record<string, string>> = {
  standardFontDataUrl: "pdfjs/standard_fonts/",
  cMapUrl: "pdfjs/cmaps/",
  wasmUrl: "pdfjs/wasm/",
};

/** The asset name of a file pdf.js asks for, or null for a kind or name it has no business asking for. */
export function dataAssetName(kind: string, filename: string): string | null {
  const folder = Object.prototype.hasOwnProperty.call(DATA_FOLDERS, kind) ? DATA_FOLDERS[kind] : undefined;
  if (folder === undefined || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(filename)) return null;
  return folder + filename;
}

// fonts, CMaps and decoders, once per page for every document that needs them (pdf.js caches them per
// document only); each caller gets its own copy, as pdf.js may hand the bytes on to its worker
const dataFiles = new Map<string, Promise<Uint8Array>>();

function dataFile(session: Session, name: string): Promise<Uint8Array> {
  let file = dataFiles.get(name);
  if (!file) {
    file = session.asset(name);
    dataFiles.set(name, file);
    file.catch(() => dataFiles.delete(name));
  }
  return file.then((bytes) => bytes.slice());
}

interface Loaded {
  lib: PdfJsModule;
  workerUrl: string;
}

// one copy of pdf.js per page, whichever widget asked first; a failed load is forgotten, so a later render
// (or the "Try again" button) asks again
let loading: Promise<Loaded> | null = null;

async function load(session: Session): Promise<Loaded> {
  const [code, worker] = await Promise.all([session.asset(LIBRARY), session.asset(WORKER)]);
  const libUrl = URL.createObjectURL(new Blob([code as BlobPart], { type: "text/javascript" }));
  let lib: PdfJsModule;
  try {
    lib = (await import(/* @vite-ignore */ libUrl)) as PdfJsModule;
  } finally {
    URL.revokeObjectURL(libUrl); // the module is evaluated: the URL is no longer needed
  }
  const workerUrl = URL.createObjectURL(new Blob([worker as BlobPart], { type: "text/javascript" }));
  return { lib, workerUrl };
}

export function loadPdfJs(session: Session): Promise<Loaded> {
  if (!loading) {
    const attempt = load(session);
    loading = attempt;
    attempt.catch(() => {
      if (loading === attempt) loading = null;
    });
  }
  return loading;
}

/** An open document and what closes it (its worker included). */
export interface OpenPdf {
  lib: PdfJsModule;
  doc: PdfDocument;
  close(): void;
}

/** Open PDF bytes with pdf.js, safely (see the top of this file). */
export async function openPdf(session: Session, bytes: Uint8Array): Promise<OpenPdf> {
  const { lib, workerUrl } = await loadPdfJs(session);
  const thread = new Worker(workerUrl, { type: "module", name: "labelnb-pdf" });
  const pdfWorker = new lib.PDFWorker({ port: thread as never, verbosity: lib.VerbosityLevel.ERRORS });
  // pdf.js constructs this with the URLs it was given (none) and asks it for each file by kind and name
  class KernelData {
    async fetch({ kind, filename }: { kind: string; filename: string }): Promise<Uint8Array> {
      const name = dataAssetName(kind, filename);
      if (name === null) throw new Error(`pdf.js asked for an unknown file: ${kind} ${filename}`);
      return dataFile(session, name);
    }
  }
  const task = lib.getDocument({
    data: bytes,
    worker: pdfWorker,
    BinaryDataFactory: KernelData,
    useSystemFonts: false, // the standard 14 fonts come from the kernel, so a page looks the same everywhere
    useWorkerFetch: false,
    enableXfa: false,
    isEvalSupported: false, // gone from pdf.js 5 (it no longer compiles fonts with eval); kept for clarity
    stopAtErrors: false,
    verbosity: lib.VerbosityLevel.ERRORS,
    maxImageSize: 64 * 1024 * 1024,
  } as Parameters<PdfJsModule["getDocument"]>[0]);
  const close = () => {
    void task.destroy().finally(() => {
      pdfWorker.destroy();
      thread.terminate();
    });
  };
  try {
    const doc = await task.promise;
    return { lib, doc, close };
  } catch (err) {
    close();
    throw err;
  }
}

/** Largest rendered page, in px: a page is drawn about 2x the widget's width, for zooming. */
export const RENDER_LONG_SIDE = 2400;
const MAX_RENDER_AREA = 2400 * 3400;

/** One page drawn to a PNG (a blob URL the caller revokes) with the page's size at scale 1. */
export async function renderPage(page: PdfPage): Promise<{ url: string; width: number; height: number }> {
  const base = page.getViewport({ scale: 1 });
  let scale = RENDER_LONG_SIDE / Math.max(base.width, base.height, 1);
  if (base.width * base.height * scale * scale > MAX_RENDER_AREA) scale = Math.sqrt(MAX_RENDER_AREA / (base.width * base.height));
  const viewport = page.getViewport({ scale });
  const canvas = document.createElement("canvas");
  canvas.width = Math.max(1, Math.floor(viewport.width));
  canvas.height = Math.max(1, Math.floor(viewport.height));
  await page.render({ canvas, viewport, background: "#ffffff" } as Parameters<PdfPage["render"]>[0]).promise;
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, "image/png"));
  canvas.width = canvas.height = 0; // free the canvas memory now
  if (!blob) throw new Error("the page could not be turned into an image");
  return { url: URL.createObjectURL(blob), width: base.width, height: base.height };
}
