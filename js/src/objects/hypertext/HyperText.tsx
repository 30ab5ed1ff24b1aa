// <HyperText name value="$html">: the task's HTML, cleaned by the one sanitiser profile in its HyperText mode
// (sanitize.ts: nothing runs, nothing loads, no styles; what the profile drops becomes an inert stub, so the
// document keeps Label Studio's node counts). With a <HyperTextLabels> (or a <Labels>) on it, a selection
// made with the mouse while a label is chosen becomes a span stored as Label Studio stores it:
// {start, startOffset, end, endOffset, globalOffsets: {start, end}, text, hypertextlabels} (dom.ts has the
// units), so a Label Studio annotation loads onto the same characters and one made here loads there. The
// keyboard selects too, once the document has the focus: Shift+arrows extend the selection by character
// (with Ctrl or Alt by word), Home/End to the line's ends; Enter labels it with the chosen label, a label's
// key or chip with that label. Spans are drawn over the characters as on <Text> and listed beside them.
//
// Label Studio shows a HyperText in an iframe unless inline="true"; here it is always shown in the widget's
// own box (scripts cannot run either way, and an iframe would need the page's origin), but its XPaths are
// counted on the tree Label Studio's way of showing it builds: a document's body by default, a <div>'s
// content with inline="true". Links never navigate; with clickableLinks="true" an http(s) link opens in a new
// tab, without the opener or a referrer.

import { useEffect, useLayoutEffect, useMemo, useRef } from "preact/hooks";
import { asText, attr, resolveValue } from "../../config";
import { useLabel } from "../../context";
import type { Editor, TextHandle } from "../../editor";
import type { ViewNode } from "../../protocol";
import { regionStyle, textLabelsOf } from "../../controls/regionTools";
import { RegionList } from "../../panels/RegionList";
import { sanitizeHyperText, type HyperTextContent } from "../../sanitize";
import { controlSpec, objectSpec } from "../../schema/model";
import { addRegion } from "../../state/commands";
import { regionLabels, type AnnotationDoc, type Json } from "../../state/document";
import { newResultId } from "../../state/results";
import { usageRefusal } from "../../state/usage";
import { sameList, useDoc, useUi } from "../image/hooks";
import { LEVEL_PX, type ShownSpan } from "../text/Text";
import { snapSpan, spanLevels } from "../text/spans";
import { Unsupported } from "../Unsupported";
import { globalText, indexDom, spanRange, toXPathRange, type DomIndex } from "./dom";
import { escapeBreaks, fixRange, globalAt, pointAt, selectionText } from "./offsets";
import { paint, restyle } from "./paint";

/** The value decoded as Label Studio decodes it (`encoding`); null when it is not valid base64 (or UTF-8). */
function decoded(text: string, encoding: string | undefined): string | null {
  if (!encoding || encoding === "none") return text;
  try {
    const bytes = atob(text.trim());
    if (encoding === "base64") return bytes;
    return new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(bytes, (c) => c.charCodeAt(0)));
  } catch {
    return null;
  }
}

export function HyperText({ node }: { node: ViewNode }) {
  const { data, editor } = useLabel();
  const name = attr(node, "name") ?? "";
  const valueAttr = attr(node, "value");
  const value = resolveValue(valueAttr, data);
  if ((attr(node, "valueType") ?? "text").toLowerCase() === "url") {
    return <Unsupported tag="HyperText" detail={`with valueType="url" is not supported in this version (${asText(value)})`} />;
  }
  const field = valueAttr?.replace(/^\$/, "") ?? "value";
  if (value === undefined) {
    return (
      <div class="lnb-text lnb-missing" data-object={name}>
        This task has no “{field}” field.
      </div>
    );
  }
  const spec = objectSpec(editor.model, name);
  const html = decoded(asText(value), spec?.encoding);
  if (html === null) {
    return (
      <div class="lnb-text lnb-missing" data-object={name}>
        The “{field}” field is not valid {spec?.encoding} text.
      </div>
    );
  }
  const labelled = textLabelsOf(editor.model, name).length > 0;
  const saveText = (attr(node, "saveTextResult") ?? "yes").toLowerCase() !== "no";
  const doc = <HyperTextDoc editor={editor} object={name} html={html} inline={spec?.inline === true} clickable={spec?.clickable_links === true} labelled={labelled} saveText={saveText} />;
  if (!labelled) return doc;
  return (
    <div class="lnb-text-object" data-hypertext={name}>
      {doc}
      <RegionList editor={editor} object={name} empty="No spans yet. Choose a label, then select text (mouse, or Shift+arrows and Enter)." />
    </div>
  );
}

/** The spans on this document with what drawing them needs, in global offsets. */
function spansOn(editor: Editor, doc: AnnotationDoc, object: string, index: DomIndex): ShownSpan[] {
  const out: ShownSpan[] = [];
  for (const r of Object.values(doc.regions)) {
    if (r.object !== object || r.kind !== "span" || r.hidden) continue;
    const range = spanRange(index, r.geometry);
    if (!range || range[0] >= range[1]) continue;
    const labels = regionLabels(doc, r.id);
    out.push({ id: r.id, start: range[0], end: range[1], color: regionStyle(controlSpec(editor.model, r.control), labels, editor.model).stroke, label: labels.join(", ") });
  }
  return out;
}

const spanKey = (spans: readonly ShownSpan[]) => spans.map((s) => `${s.id}:${s.start}:${s.end}:${s.color}:${s.label}`).join("|");

interface DocProps {
  editor: Editor;
  object: string;
  html: string;
  inline: boolean;
  clickable: boolean;
  labelled: boolean;
  saveText: boolean;
}

function HyperTextDoc({ editor, object, html, inline, clickable, labelled, saveText }: DocProps) {
  const box = useRef<HTMLDivElement>(null);
  const caretRef = useRef<HTMLDivElement>(null);
  /** the press that ends in the next click selected text: that click neither opens a link nor picks a span */
  const dragged = useRef(false);
  const content = useMemo<HyperTextContent | null>(() => sanitizeHyperText(html, { inline, links: clickable }), [html, inline, clickable]);
  const index = useMemo(() => (content ? indexDom(content.fragment) : null), [content]);
  const spans = useDoc(editor.annotation, (doc) => (index ? spansOn(editor, doc, object, index) : []), (a, b) => spanKey(a) === spanKey(b));
  const selected = useUi(editor.ui, (s) => s.selected, sameList);
  const hover = useUi(editor.ui, (s) => s.hover);
  const levels = spanLevels(spans);
  const depth = spans.length ? Math.max(...levels.values()) + 1 : 0;
  const pad = depth * LEVEL_PX + 1;
  const tags = labelled && objectSpec(editor.model, object)?.show_labels !== false;
  const key = `${spanKey(spans)}#${tags}`;

  useLayoutEffect(() => {
    if (box.current && content) paint(box.current, content.fragment, spans, tags);
    // the text nodes are new: a caret placed on the old ones is stale
    caretRef.current?.setAttribute("hidden", "");
  }, [content, key]);
  useLayoutEffect(() => {
    if (box.current) restyle(box.current, spans, { levels, pad, selected, hover });
  }, [content, key, selected.join(" "), hover]);
  // a span selected in the list is brought into view
  useEffect(() => {
    const id = selected[selected.length - 1];
    if (!id || !box.current) return;
    box.current.querySelector(`[data-region="${CSS.escape(id)}"]`)?.scrollIntoView({ block: "nearest", inline: "nearest" });
  }, [selected.join(" ")]);

  /** Make [start, end) a span of `controlName` labelled `label` (widened to the granularity); its id, or null. */
  const makeSpan = (controlName: string, label: string, start: number, end: number, text: string | null): string | null => {
    const spec = controlSpec(editor.model, controlName);
    const root = box.current;
    if (!spec || !root || !index) return null;
    if (objectSpec(editor.model, object)?.selection_enabled === false) return null;
    const labelSpec = (spec.labels ?? []).find((l) => (l.label ?? l.value) === label);
    const granularity = labelSpec?.granularity || objectSpec(editor.model, object)?.granularity || "symbol";
    let [a, b] = [start, end];
    if (granularity !== "symbol") {
      const snapped = snapSpan(globalText(index), a, b, granularity);
      if (!snapped) return null;
      if (snapped[0] !== a || snapped[1] !== b) text = null;
      [a, b] = snapped;
    }
    const place = toXPathRange(index, a, b);
    if (!place) return null;
    const ann = editor.annotation;
    const refused = usageRefusal(ann.doc, controlName, spec, label);
    if (refused !== null) {
      editor.ui.update({ notice: { control: controlName, text: refused } });
      return null;
    }
    const type = spec.tag === "HyperTextLabels" ? "hypertextlabels" : "labels";
    // Label Studio's order of the keys
    const geometry: Json = { ...place, globalOffsets: { start: a, end: b } };
    if (saveText) geometry.text = text ?? selectionText(root, a, b);
    const id = newResultId();
    ann.begin("span");
    ann.run(addRegion(ann.doc, { id, object, control: controlName, type, kind: "span", geometry, labels: [label], labelsKey: type, origin: "manual" }));
    ann.end();
    editor.lastObject = object;
    editor.ui.select([id]);
    editor.ui.update({ caret: { object, anchor: b, focus: b }, notice: null });
    return id;
  };

  /** The page's selection, if it lies in this document: its span in global offsets (ends moved onto text) and what it reads. */
  const pending = (): { start: number; end: number; text: string } | null => {
    const root = box.current;
    const sel = window.getSelection();
    if (!root || !sel || !sel.rangeCount || sel.isCollapsed) return null;
    const range = sel.getRangeAt(0);
    if (!root.contains(range.startContainer) || !root.contains(range.endContainer)) return null;
    const text = escapeBreaks(sel.toString());
    const fixed = fixRange(range);
    if (!fixed) return null;
    return { start: globalAt(root, fixed[0]), end: globalAt(root, fixed[1]), text };
  };

  const chosenControl = () => {
    const label = editor.ui.state.label;
    const control = label ? textLabelsOf(editor.model, object).find((c) => c.name === label.control) : undefined;
    return label && control ? { control: control.name, label: label.value } : null;
  };

  const onMouseUp = () => {
    const root = box.current;
    const sel = window.getSelection();
    if (!root || !sel || !sel.rangeCount) return;
    dragged.current = !sel.isCollapsed;
    if (!labelled) return;
    const range = sel.getRangeAt(0);
    if (!root.contains(range.startContainer)) return;
    if (sel.isCollapsed) {
      // a click puts the keyboard caret there
      const at = globalAt(root, { node: range.startContainer, offset: range.startOffset });
      editor.ui.update({ caret: { object, anchor: at, focus: at } });
      return;
    }
    const got = pending();
    if (!got) return;
    const chosen = chosenControl();
    if (!chosen) {
      // without a label the selection stays the browser's (to copy, or to label with a key or a chip)
      editor.ui.update({ caret: { object, anchor: got.start, focus: got.end } });
      return;
    }
    makeSpan(chosen.control, chosen.label, got.start, got.end, got.text);
    sel.removeAllRanges();
  };

  const pick = (e: MouseEvent) => {
    const root = box.current;
    const target = e.target instanceof Element ? e.target : null;
    if (!root || !target) return;
    if (dragged.current) {
      dragged.current = false;
      e.preventDefault();
      return;
    }
    const link = target.closest("a");
    if (link && root.contains(link)) {
      e.preventDefault();
      const url = clickable ? content?.links[Array.from(root.querySelectorAll("a")).indexOf(link)] : null;
      if (url) {
        window.open(url, "_blank", "noopener,noreferrer");
        return;
      }
    }
    const sel = window.getSelection();
    if (sel && !sel.isCollapsed) return; // a selection, not a click
    const tag = target.closest<HTMLElement>("[data-tag]");
    const piece = target.closest<HTMLElement>(".lnb-span[data-spans]");
    const id = tag?.dataset.tag ?? piece?.dataset.region;
    if (!id) return;
    e.stopPropagation();
    editor.lastObject = object;
    editor.ui.select([id]);
  };

  const onHover = (e: MouseEvent) => {
    const piece = e.target instanceof Element ? e.target.closest<HTMLElement>(".lnb-span[data-region]") : null;
    const id = piece?.dataset.region ?? null;
    if (editor.ui.state.hover !== id) editor.ui.update({ hover: id });
  };

  /** Show the keyboard caret where the selection's focus is (the selection itself the browser shows). */
  const placeCaret = () => {
    const root = box.current;
    const caret = caretRef.current;
    const sel = window.getSelection();
    if (!root || !caret || !sel || !sel.focusNode || !root.contains(sel.focusNode)) {
      caret?.setAttribute("hidden", "");
      return;
    }
    const at = document.createRange();
    at.setStart(sel.focusNode, sel.focusOffset);
    let rect = Array.from(at.getClientRects())[0];
    if (!rect) {
      // at an element's edge a collapsed range has no box: use the character after (or before) it
      const g = globalAt(root, { node: sel.focusNode, offset: sel.focusOffset });
      const next = pointAt(root, g, "start");
      if (next) {
        const over = document.createRange();
        over.setStart(next.node, next.offset);
        over.setEnd(next.node, Math.min((next.node as Text).data.length, next.offset + 1));
        const r = over.getClientRects()[0];
        if (r) rect = new DOMRect(r.left, r.top, 0, r.height);
      }
    }
    if (!rect) {
      caret.setAttribute("hidden", "");
      return;
    }
    const frame = (caret.offsetParent ?? root).getBoundingClientRect();
    caret.style.left = `${rect.left - frame.left}px`;
    caret.style.top = `${rect.top - frame.top}px`;
    caret.style.height = `${rect.height}px`;
    caret.dataset.caret = String(globalAt(root, { node: sel.focusNode, offset: sel.focusOffset }));
    caret.removeAttribute("hidden");
  };

  /** Put the selection at the caret the UI remembers, or at the document's first character. */
  const ensureSelection = (): Selection | null => {
    const root = box.current;
    const sel = window.getSelection();
    if (!root || !sel) return null;
    if (sel.rangeCount && root.contains(sel.getRangeAt(0).startContainer) && sel.focusNode && root.contains(sel.focusNode)) return sel;
    const c = editor.ui.state.caret;
    const at = c?.object === object ? c.focus : 0;
    const point = pointAt(root, at, "start") ?? pointAt(root, at, "end");
    if (!point) return null;
    sel.collapse(point.node, point.offset);
    return sel;
  };

  const remember = () => {
    const root = box.current;
    const sel = window.getSelection();
    if (!root || !sel || !sel.anchorNode || !sel.focusNode) return;
    const anchor = globalAt(root, { node: sel.anchorNode, offset: sel.anchorOffset });
    const focus = globalAt(root, { node: sel.focusNode, offset: sel.focusOffset });
    editor.ui.update({ caret: { object, anchor, focus } });
  };

  /** Label what is selected (the page's selection, else the one the UI remembers) with `label` of `controlName`. */
  const labelPending = (controlName: string, label: string): boolean => {
    const got = pending();
    if (got) {
      makeSpan(controlName, label, got.start, got.end, got.text);
      window.getSelection()?.removeAllRanges();
      caretRef.current?.setAttribute("hidden", "");
      return true;
    }
    const c = editor.ui.state.caret;
    if (!c || c.object !== object || c.anchor === c.focus) return false;
    makeSpan(controlName, label, Math.min(c.anchor, c.focus), Math.max(c.anchor, c.focus), null);
    return true;
  };

  const onKey = (e: KeyboardEvent): boolean => {
    const horizontal = e.key === "ArrowLeft" || e.key === "ArrowRight";
    const ends = e.key === "Home" || e.key === "End";
    if (horizontal || ends) {
      const sel = ensureSelection();
      if (!sel) return true;
      const dir = e.key === "ArrowLeft" || e.key === "Home" ? "backward" : "forward";
      const unit = ends ? "lineboundary" : e.ctrlKey || e.altKey ? "word" : "character";
      sel.modify(e.shiftKey ? "extend" : "move", dir, unit);
      remember();
      placeCaret();
      return true;
    }
    if (e.key === "Enter" && !e.shiftKey && !e.ctrlKey && !e.metaKey && !e.altKey) {
      const chosen = chosenControl();
      const controls = textLabelsOf(editor.model, object);
      if (chosen) labelPending(chosen.control, chosen.label);
      else if (controls[0]) editor.ui.update({ notice: { control: controls[0].name, text: "Choose a label, or press a label's key, to label the selection" } });
      return true;
    }
    if (e.key === "Escape") {
      const sel = window.getSelection();
      if (sel && !sel.isCollapsed && box.current?.contains(sel.anchorNode)) {
        sel.collapseToEnd();
        remember();
        placeCaret();
        return true;
      }
    }
    return false;
  };

  const labelSelection = (controlName: string, label: string): boolean => {
    if (!textLabelsOf(editor.model, object).some((c) => c.name === controlName)) return false;
    return labelPending(controlName, label);
  };

  const live = useRef({ onKey, labelSelection });
  live.current = { onKey, labelSelection };
  const handle = useMemo<TextHandle>(
    () => ({ element: () => box.current, key: (e) => live.current.onKey(e), labelSelection: (c, l) => live.current.labelSelection(c, l) }),
    [],
  );
  useEffect(() => (labelled ? editor.registerText(object, handle) : undefined), [editor, object, handle, labelled]);

  if (!content) {
    return (
      <div class="lnb-text lnb-missing" data-object={object}>
        This HTML cannot be shown safely in this browser.
      </div>
    );
  }
  return (
    <div class={`lnb-hypertext${labelled ? " lnb-labelled" : ""}`}>
      <div
        ref={box}
        class="lnb-hypertext-doc"
        data-object={object}
        data-links={clickable ? "" : undefined}
        data-deep={depth > 1 ? "" : undefined}
        style={depth > 1 ? { "--lnb-ht-pad": `${pad}px` } : undefined}
        tabIndex={labelled ? 0 : undefined}
        role={labelled ? "textbox" : undefined}
        aria-readonly={labelled ? "true" : undefined}
        aria-label={labelled ? `${object}: select text to label` : undefined}
        onMouseDown={() => {
          dragged.current = false;
        }}
        onMouseUp={onMouseUp}
        onClick={pick}
        onMouseOver={labelled ? onHover : undefined}
        onMouseLeave={labelled ? () => editor.ui.state.hover !== null && editor.ui.update({ hover: null }) : undefined}
        onFocus={labelled ? () => requestAnimationFrame(() => window.getSelection()?.isCollapsed === false && placeCaret()) : undefined}
        onBlur={() => caretRef.current?.setAttribute("hidden", "")}
      />
      {labelled && <div ref={caretRef} class="lnb-ht-caret" hidden aria-hidden="true" />}
    </div>
  );
}
