// Bundles the anywidget front end into labelnb/static/ (run by `npm run build` and by hatch-jupyter-builder).
import * as esbuild from "esbuild";
import { cpSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { createRequire } from "node:module";

// pdf.js is not bundled (widget.js goes with every widget): its files are copied to labelnb/static/pdfjs/
// and the kernel sends them, by name from a fixed table (labelnb/widget/assets.py), when a <Pdf> renders.
// Not copied: the scripting sandbox and QuickJS (PDF scripts never run), the wasm decoders' JS fallbacks
// and the ICC profiles (loaded by URL only, and this widget gives pdf.js no URL to load from).
function copyPdfjs() {
  const root = dirname(createRequire(import.meta.url).resolve("pdfjs-dist/package.json"));
  const out = "labelnb/static/pdfjs";
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  for (const file of ["build/pdf.min.mjs", "build/pdf.worker.min.mjs", "LICENSE"]) cpSync(join(root, file), join(out, file.split("/").pop()));
  cpSync(join(root, "standard_fonts"), join(out, "standard_fonts"), { recursive: true });
  cpSync(join(root, "cmaps"), join(out, "cmaps"), { recursive: true });
  mkdirSync(join(out, "wasm"));
  for (const file of readdirSync(join(root, "wasm"))) {
    if (["openjpeg.wasm", "jbig2.wasm"].includes(file) || /^LICENSE_(PDFJS_)?(OPENJPEG|JBIG2)$/.test(file)) cpSync(join(root, "wasm", file), join(out, "wasm", file));
  }
}

const watch = process.argv.includes("--watch");
const options = {
  // one bundle per widget: the dashboard does not carry the annotator, nor the annotator the dashboard
  entryPoints: { widget: "js/src/index.tsx", dashboard: "js/src/dashboard/index.tsx" },
  outdir: "labelnb/static",
  bundle: true,
  format: "esm",
  target: "es2020",
  minify: !watch,
  sourcemap: watch ? "inline" : false,
  jsx: "automatic",
  jsxImportSource: "preact",
  loader: { ".css": "css" },
  logLevel: "info",
};

if (watch) {
  const ctx = await esbuild.context(options);
  await ctx.watch();
} else {
  await esbuild.build(options);
}
copyPdfjs();
