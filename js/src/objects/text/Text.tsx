// <Text name value="$field">: the task's text, shown as plain text (never parsed as HTML). With a <Labels>
// on it, a selection made with the mouse while a label is chosen becomes a span {start, end, text,
// labels} in code points (reference B.4, B.5); so does a selection made with the keyboard (the text takes
// the focus: arrows move a caret by grapheme cluster, Ctrl/Alt+arrows by word, Home/End to the line's ends,
// Shift extends; Enter labels it with the chosen label, a label's key or chip with that label). The
// granularity of the Text or the Label ("word", ...) widens a new span to whole words. Spans are drawn
// over the text, each on a line (level) of its own under the text and with a tag at its start, so nested
// and overlapping spans stay apart; they are listed beside the text like image regions.

import { memo } from "preact/compat";
import { useEffect, useMemo, useRef } from "preact/hooks";
import { attr, asText, resolveValue } from "../../config";
import { useLabel } from "../../context";
import type { Editor, TextHandle } from "../../editor";
import type { ViewNode } from "../../protocol";
import { textLabelsOf, regionStyle } from "../../controls/regionTools";
import { RegionList } from "../../panels/RegionList";
import { controlSpec, objectSpec } from "../../schema/model";
import { usageRefusal } from "../../state/usage";
import { addRegion } from "../../state/commands";
import { regionLabels, type AnnotationDoc } from "../../state/document";
import { newResultId } from "../../state/results";
import { useDoc, useUi, sameList } from "../image/hooks";
import { Unsupported } from "../Unsupported";
import type { TextCaret } from "../../state/ui";
import { SpanArrows, useSpanRelations } from "./SpanArrows";
import { freeLineStarts, lineStarts, moveCaret, segments, snapCaret, snapSpan, spanLevels, spanText, toCodePoint, type CaretStep, type Segment, type SpanLike } from "./spans";

export function Text({ node }: { node: ViewNode }) {
  const { data, editor } = useLabel();
  const name = attr(node, "name") ?? "";
  const valueAttr = attr(node, "value");
  const value = resolveValue(valueAttr, data);
  if ((attr(node, "valueType") ?? "text").toLowerCase() === "url") {
    return <Unsupported tag="Text" detail={`with valueType="url" is not supported in this version (${asText(value)})`} />;
  }
  if (value === undefined) {
    return (
      <div class="lnb-text lnb-missing" data-object={name}>
        This task has no “{valueAttr?.replace(/^\$/, "") ?? "value"}” field.
      </div>
    );
  }
  const text = asText(value);
  if (!textLabelsOf(editor.model, name).length) {
    return (
      <div class="lnb-text" data-object={name}>
        {text}
      </div>
    );
  }
  return (
    <div class="lnb-text-object" data-text={name}>
      <SpanText editor={editor} object={name} text={text} />
      <RegionList editor={editor} object={name} empty="No spans yet. Choose a label, then select text (mouse, or Shift+arrows and Enter)." />
    </div>
  );
}

export interface ShownSpan extends SpanLike {
  color: string;
  label: string;
}

/** The spans on this text with what drawing them needs (compared as a key, so only real changes count). */
function spansOn(editor: Editor, doc: AnnotationDoc, object: string): ShownSpan[] {
  const out: ShownSpan[] = [];
  // a colour for each control and labels, not for each of a thousand spans
  const colors = new Map<string, string>();
  for (const r of Object.values(doc.regions)) {
    if (r.object !== object || r.kind !== "span" || r.hidden) continue;
    const { start, end } = r.geometry;
    if (typeof start !== "number" || typeof end !== "number") continue;
    const labels = regionLabels(doc, r.id);
    const label = labels.join(", ");
    const key = `${r.control}\u0000${labels.join("\u0000")}`;
    let color = colors.get(key);
    if (color === undefined) {
      color = regionStyle(controlSpec(editor.model, r.control), labels, editor.model).stroke;
      colors.set(key, color);
    }
    out.push({ id: r.id, start, end, color, label });
  }
  return out;
}

/** The innermost (shortest) of `spans` over code point `at`. */
function innermostAt(spans: readonly SpanLike[], at: number): string | undefined {
  let best: SpanLike | undefined;
  for (const s of spans) if (s.start <= at && at < s.end && (!best || s.end - s.start < best.end - best.start)) best = s;
  return best?.id;
}

const sameSpans = (a: readonly ShownSpan[], b: readonly ShownSpan[]) =>
  a.length === b.length && a.every((s, i) => {
    const t = b[i] as ShownSpan;
    return s.id === t.id && s.start === t.start && s.end === t.end && s.color === t.color && s.label === t.label;
  });

/**
 * The spans on this text, worked out once per document and kept as the same array while they do not
 * change: a render for anything else (the hover, the selection, the caret) reuses the pieces cut from them.
 */
function useSpans(editor: Editor, object: string): ShownSpan[] {
  const cache = useRef<{ doc?: AnnotationDoc; model?: unknown; object?: string; spans: ShownSpan[] }>({ spans: [] });
  const select = (doc: AnnotationDoc): ShownSpan[] => {
    const c = cache.current;
    if (c.doc === doc && c.model === editor.model && c.object === object) return c.spans;
    const spans = spansOn(editor, doc, object);
    Object.assign(c, { doc, model: editor.model, object });
    if (!sameSpans(spans, c.spans)) c.spans = spans;
    return c.spans;
  };
  return useDoc(editor.annotation, select, (a, b) => a === b);
}
const sameCaret = (a: TextCaret | null, b: TextCaret | null) => a === b || (!!a && !!b && a.anchor === b.anchor && a.focus === b.focus);

/** px per level of span lines under the text: a 2 px line and a 2 px gap */
export const LEVEL_PX = 4;

/** The text's line height: room for the span lines under each line and, with relations, for their arcs over it. */
export function lineSpacing(depth: number, pad: number, arcs: boolean): { lineHeight: string } | undefined {
  if (arcs) return { lineHeight: `calc(2.4em + ${pad}px)` };
  return depth > 1 ? { lineHeight: `calc(1.6em + ${pad}px)` } : undefined;
}

/** The backgrounds of a piece of text under spans: a fill in the innermost (or selected, hovered) span's colour, and one line per span at its level. */
export function layerStyle(covering: readonly ShownSpan[], levels: Map<string, number>, pad: number, selected: readonly string[], hover: string | null) {
  const lit = covering.find((s) => selected.includes(s.id)) ?? covering.find((s) => s.id === hover);
  const fillOf = lit ?? (covering[covering.length - 1] as ShownSpan);
  const fill = `color-mix(in srgb, ${fillOf.color} ${lit ? 48 : 28}%, transparent)`;
  const images = [`linear-gradient(${fill}, ${fill})`];
  const sizes = [`100% calc(100% - ${pad}px)`];
  const positions = ["left 0 top 0"];
  for (const s of covering) {
    const level = levels.get(s.id) ?? 0;
    const thick = selected.includes(s.id) ? 3 : 2;
    images.push(`linear-gradient(${s.color}, ${s.color})`);
    sizes.push(`100% ${thick}px`);
    positions.push(`left 0 bottom ${Math.max(0, pad - level * LEVEL_PX - 1 - thick)}px`);
  }
  // custom properties, which styles.css puts into the backgrounds: the browser parses the gradients only
  // for the pieces on screen, not for every piece of a long text when it opens
  return {
    "--lnb-label-color": fillOf.color,
    "--lnb-bg": images.join(", "),
    "--lnb-bg-size": sizes.join(", "),
    "--lnb-bg-position": positions.join(", "),
    "--lnb-pad": `${pad}px`,
  };
}

/** What drawing text under spans needs from its object (the Text here, the Paragraphs in ../paragraphs). */
export interface MarkContext {
  editor: Editor;
  selected: readonly string[];
  hover: string | null;
  levels: Map<string, number>;
  pad: number;
  /** draw a tag with the label where each span starts */
  tags: boolean;
}

/**
 * The mouse on the spans of a text or of phrases, for the element that holds them: a click on a tag selects
 * its span, a click on a piece calls `pick` with the spans over it (outermost first), and the pointer over a
 * piece hovers its innermost span. Handled once for the whole text, not with listeners on each of its
 * thousands of pieces.
 */
export function spanMouse(editor: Editor, pick: (ids: readonly string[], e: MouseEvent) => void) {
  const pieceOf = (e: Event): HTMLElement | null => {
    const el = e.target instanceof Element ? e.target.closest<HTMLElement>(".lnb-span") : null;
    return el && (e.currentTarget as Element).contains(el) ? el : null;
  };
  const tagOf = (e: Event): HTMLElement | null => (e.target instanceof Element ? e.target.closest<HTMLElement>("[data-tag]") : null);
  return {
    onMouseDown: (e: MouseEvent) => {
      if (tagOf(e)) e.preventDefault();
    },
    onClick: (e: MouseEvent) => {
      const tag = tagOf(e);
      if (tag) {
        e.stopPropagation();
        editor.pick(tag.dataset.tag as string);
        return;
      }
      const piece = pieceOf(e);
      if (piece) pick((piece.dataset.spans ?? "").split(" "), e);
    },
    onMouseOver: (e: MouseEvent) => {
      const id = pieceOf(e)?.dataset.region;
      if (id !== undefined && editor.ui.state.hover !== id) editor.ui.update({ hover: id });
    },
    onMouseOut: (e: MouseEvent) => {
      const piece = pieceOf(e);
      const to = e.relatedTarget instanceof Element ? e.relatedTarget.closest(".lnb-span") : null;
      if (piece && to !== piece && editor.ui.state.hover === piece.dataset.region) editor.ui.update({ hover: null });
    },
  };
}

/**
 * One piece of text under spans (`covering`, outermost first): the tags of the spans that start here, over
 * the lines of the spans that go on through, then the piece itself with its fill and lines.
 */
export function markedPiece<S extends ShownSpan>(
  ctx: MarkContext,
  seg: { start: number; text: string },
  covering: readonly S[],
  startsHere: (s: S) => boolean,
  extraClass = "",
): preact.JSX.Element[] {
  const { selected, hover, levels, pad } = ctx;
  const out: preact.JSX.Element[] = [];
  const inner = covering[covering.length - 1] as ShownSpan;
  if (ctx.tags) {
    // the spans that go on through this point draw their lines under the tags too
    const around = covering.filter((s) => !startsHere(s));
    for (const s of covering) {
      if (!startsHere(s)) continue;
      const tag = (
        <span
          key={`tag:${s.id}`}
          class={`lnb-span-tag${selected.includes(s.id) ? " lnb-selected" : ""}`}
          data-tag={s.id}
          aria-hidden="true"
          style={{ "--lnb-label-color": s.color }}
        >
          {s.label}
        </span>
      );
      out.push(
        around.length ? (
          <span key={`tag:${s.id}`} class="lnb-span-under" style={layerStyle(around, levels, pad, selected, hover)}>
            {tag}
          </span>
        ) : (
          tag
        ),
      );
      // a span that starts here runs under the tags of the spans nested in it
      around.push(s);
    }
  }
  const ids = covering.map((s) => s.id);
  const on = ids.some((id) => selected.includes(id));
  const lit = ids.some((id) => id === hover);
  out.push(
    <span
      key={seg.start}
      class={`lnb-span${on ? " lnb-selected" : ""}${lit ? " lnb-hover" : ""}${extraClass}`}
      data-o={seg.start}
      data-region={inner.id}
      data-spans={ids.join(" ")}
      data-label={inner.label}
      style={layerStyle(covering, levels, pad, selected, hover)}
      title={covering.map((s) => s.label).join(" · ")}
    >
      {seg.text}
    </span>,
  );
  return out;
}

/**
 * One line of the text (up to and with its "\n"; the lines a span runs across together), a block of its
 * own: the browser lays out a long text block by block, so a span made or hovered on one line lays out
 * that line again, not the whole text (one block of 100 KB took ~90 ms on every change). Rendered again
 * only when `sig`, all that its pieces show, changes; `build` makes them.
 */
const TextLine = memo(
  function TextLine({ build }: { sig: string; build: () => preact.JSX.Element[] }) {
    return <div class="lnb-text-line">{build()}</div>;
  },
  (a, b) => a.sig === b.sig,
);

/** About how many code points go into a chunk of lines, and how many a row of the text holds. */
const CHUNK_CPS = 4000;
const CHARS_PER_ROW = 90;

interface TextBody {
  segs: readonly Segment[];
  /** where lines begin that no span runs across: the blocks begin there */
  blocks: readonly number[];
  byId: Map<string, ShownSpan>;
  marks: MarkContext;
  caret: TextCaret | null;
}

/**
 * The text's pieces in blocks, one a line (or the lines a span runs across), each with the signature of
 * what it shows; the blocks in chunks of about CHUNK_CPS code points. A chunk off screen is neither styled,
 * laid out nor painted (styles.css): chunks rather than lines, so that the browser watches tens of them
 * come into view, not thousands.
 */
function textBody({ segs, blocks, byId, marks, caret }: TextBody): preact.JSX.Element[] {
  const { levels, selected, hover, pad, tags } = marks;
  const selStart = caret ? Math.min(caret.anchor, caret.focus) : 0;
  const selEnd = caret ? Math.max(caret.anchor, caret.focus) : 0;
  const inSelection = (seg: Segment) => selStart < selEnd && seg.start >= selStart && seg.end <= selEnd;
  const caretEl = <span key="caret" class="lnb-caret" data-caret={caret?.focus} aria-hidden="true" />;
  if (!segs.length) return caret ? [caretEl] : [];
  const caretAtEnd = !!caret && !segs.some((s) => s.start === caret.focus);
  const lineEnds = new Set(blocks);
  const out: preact.JSX.Element[] = [];
  let lines: preact.JSX.Element[] = [];
  let chunk = 0;
  let rows = 0;
  const endChunk = () => {
    // off screen, the chunk's height is a guess until it has been drawn once
    out.push(
      <div key={chunk} class="lnb-text-chunk" style={{ containIntrinsicBlockSize: `auto ${Math.max(1, rows)}lh` }}>
        {lines}
      </div>,
    );
    lines = [];
    rows = 0;
  };
  let first = 0;
  segs.forEach((seg, k) => {
    if (k + 1 < segs.length && !lineEnds.has(seg.end)) return;
    const line = segs.slice(first, k + 1);
    first = k + 1;
    const start = line[0]?.start ?? 0;
    const last = k + 1 === segs.length;
    if (start - chunk >= CHUNK_CPS) {
      endChunk();
      chunk = start;
    }
    rows += Math.max(1, Math.ceil((seg.end - start) / CHARS_PER_ROW));
    // what the line's pieces show: their text is the text's, so their offsets and spans stand for it
    let sig = `${pad}|${tags ? 1 : 0}|${last && caretAtEnd ? "caret" : ""}`;
    for (const p of line) {
      sig += `|${p.start}-${p.end}${caret?.focus === p.start ? "^" : ""}${inSelection(p) ? "*" : ""}`;
      for (const id of p.spans) {
        const s = byId.get(id) as ShownSpan;
        sig += `,${id}:${s.start}:${levels.get(id)}:${s.color}:${s.label}:${selected.includes(id) ? 1 : 0}${hover === id ? 1 : 0}`;
      }
    }
    const build = () => {
      const pieces: preact.JSX.Element[] = [];
      for (const seg of line) {
        if (caret && caret.focus === seg.start) pieces.push(caretEl);
        const ksel = inSelection(seg) ? " lnb-ksel" : "";
        if (!seg.spans.length) {
          pieces.push(
            <span key={seg.start} class={`lnb-seg${ksel}`} data-o={seg.start}>
              {seg.text}
            </span>,
          );
          continue;
        }
        const covering = seg.spans.map((id) => byId.get(id) as ShownSpan);
        pieces.push(...markedPiece(marks, seg, covering, (s) => s.start === seg.start, ksel));
      }
      if (last && caretAtEnd) pieces.push(caretEl);
      return pieces;
    };
    lines.push(<TextLine key={start} sig={sig} build={build} />);
  });
  endChunk();
  return out;
}

function SpanText({ editor, object, text }: { editor: Editor; object: string; text: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const spans = useSpans(editor, object);
  const selected = useUi(editor.ui, (s) => s.selected, sameList);
  const hover = useUi(editor.ui, (s) => s.hover);
  const caret = useUi(editor.ui, (s) => (s.caret?.object === object ? s.caret : null), sameCaret);
  const byId = useMemo(() => new Map(spans.map((s) => [s.id, s])), [spans]);
  const levels = useMemo(() => spanLevels(spans), [spans]);
  const depth = spans.length ? Math.max(...levels.values()) + 1 : 0;
  const pad = depth * LEVEL_PX + 1;
  const tags = objectSpec(editor.model, object)?.show_labels !== false;
  const pointer = useRef(false);
  const relations = useSpanRelations(editor, [object]);

  /** Code point offset of a DOM position inside the text (every piece of it is an element with its offset in data-o). */
  const offsetAt = (container: Node, offset: number): number | null => {
    const root = ref.current;
    if (!root || !root.contains(container)) return null;
    const piece = container.nodeType === Node.TEXT_NODE ? container.parentElement : null;
    if (piece?.dataset.o !== undefined) return Number(piece.dataset.o) + toCodePoint(container.textContent ?? "", offset);
    // between pieces, or in a tag: the start of the next piece
    const at = document.createRange();
    at.setStart(container, offset);
    for (const el of root.querySelectorAll<HTMLElement>("[data-o]")) {
      if (at.comparePoint(el, 0) >= 0) return Number(el.dataset.o);
    }
    return [...text].length;
  };

  /** Make [start, end) a span of `controlName` with `label` (snapped to graphemes and granularity), selected; its id, or null. */
  const makeSpan = (controlName: string, label: string, start: number, end: number): string | null => {
    const spec = controlSpec(editor.model, controlName);
    if (!spec) return null;
    const labelSpec = (spec.labels ?? []).find((l) => (l.label ?? l.value) === label);
    const granularity = labelSpec?.granularity || objectSpec(editor.model, object)?.granularity || "symbol";
    const range = snapSpan(text, start, end, granularity);
    if (!range) return null;
    const ann = editor.annotation;
    const refused = usageRefusal(ann.doc, controlName, spec, label);
    if (refused !== null) {
      editor.ui.update({ notice: { control: controlName, text: refused } });
      return null;
    }
    const [a, b] = range;
    // auto-annotate: the selection is asked about, not labelled
    const assist = editor.assist;
    if (assist?.handlesText(spec)) {
      window.getSelection()?.removeAllRanges();
      const why = assist.add({ object, control: controlName, type: "labels", geometry: { start: a, end: b, text: spanText(text, a, b) }, label, positive: true, extra: {} });
      editor.ui.update({ notice: why === null ? null : { control: controlName, text: why } });
      return null;
    }
    const id = newResultId();
    ann.begin("span");
    ann.run(
      addRegion(ann.doc, {
        id,
        object,
        control: controlName,
        type: "labels",
        kind: "span",
        geometry: { start: a, end: b, text: spanText(text, a, b) },
        labels: [label],
        labelsKey: "labels",
        origin: "manual",
      }),
    );
    ann.end();
    editor.lastObject = object;
    editor.ui.select([id]);
    editor.ui.update({ caret: { object, anchor: b, focus: b }, notice: null });
    return id;
  };

  const onMouseUp = () => {
    const sel = window.getSelection();
    if (!sel || !sel.rangeCount) return;
    const range = sel.getRangeAt(0);
    const a = offsetAt(range.startContainer, range.startOffset);
    const b = offsetAt(range.endContainer, range.endOffset);
    if (a === null || b === null) return;
    if (sel.isCollapsed || a === b) {
      // a click on a span while a relation is pending ends it there (handled now: the caret would
      // split the piece under the pointer before its click event)
      const linking = editor.ui.state.linking;
      const hit = linking !== null ? innermostAt(spans, a) : undefined;
      if (hit !== undefined) {
        editor.pick(hit);
        return;
      }
      // a click puts the keyboard caret there
      const at = snapCaret(text, a);
      editor.ui.update({ caret: { object, anchor: at, focus: at } });
      return;
    }
    const label = editor.ui.state.label;
    const control = label ? textLabelsOf(editor.model, object).find((c) => c.name === label.control) : undefined;
    // without a label the selection stays the browser's (to copy, say)
    if (!label || !control) return;
    makeSpan(control.name, label.value, Math.min(a, b), Math.max(a, b));
    sel.removeAllRanges();
  };

  /** Keys while the text has the focus: the caret and the keyboard selection. */
  const onKey = (e: KeyboardEvent): boolean => {
    const ui = editor.ui.state;
    const at: TextCaret = ui.caret?.object === object ? ui.caret : { object, anchor: 0, focus: 0 };
    const home = e.key === "Home" || e.key === "End";
    const dir = e.key === "ArrowLeft" || e.key === "Home" ? -1 : e.key === "ArrowRight" || e.key === "End" ? 1 : 0;
    if (dir !== 0) {
      const step: CaretStep = home || e.metaKey ? "line" : e.ctrlKey || e.altKey ? "word" : "grapheme";
      let focus: number;
      // an arrow without Shift drops a selection at its side, as text editors do
      if (!e.shiftKey && at.anchor !== at.focus && step === "grapheme") focus = dir < 0 ? Math.min(at.anchor, at.focus) : Math.max(at.anchor, at.focus);
      else focus = moveCaret(text, at.focus, dir, step);
      editor.ui.update({ caret: { object, anchor: e.shiftKey ? at.anchor : focus, focus } });
      return true;
    }
    if (e.key === "Enter" && !e.shiftKey && !e.ctrlKey && !e.metaKey && !e.altKey && at.anchor !== at.focus) {
      const label = ui.label;
      const controls = textLabelsOf(editor.model, object);
      const control = label ? controls.find((c) => c.name === label.control) : undefined;
      if (label && control) makeSpan(control.name, label.value, Math.min(at.anchor, at.focus), Math.max(at.anchor, at.focus));
      else if (controls[0]) editor.ui.update({ notice: { control: controls[0].name, text: "Choose a label, or press a label's key, to label the selection" } });
      return true;
    }
    return false;
  };

  const labelSelection = (controlName: string, label: string): boolean => {
    const at = editor.ui.state.caret;
    if (!at || at.object !== object || at.anchor === at.focus) return false;
    if (!textLabelsOf(editor.model, object).some((c) => c.name === controlName)) return false;
    makeSpan(controlName, label, Math.min(at.anchor, at.focus), Math.max(at.anchor, at.focus));
    return true;
  };

  const live = useRef({ onKey, labelSelection });
  live.current = { onKey, labelSelection };
  const handle = useMemo<TextHandle>(
    () => ({ element: () => ref.current, key: (e) => live.current.onKey(e), labelSelection: (c, l) => live.current.labelSelection(c, l) }),
    [],
  );
  useEffect(() => editor.registerText(object, handle), [editor, object, handle]);

  // keep the caret in view while it moves
  useEffect(() => {
    const root = ref.current;
    if (!caret || !root || document.activeElement !== root) return;
    root.querySelector(".lnb-caret")?.scrollIntoView({ block: "nearest", inline: "nearest" });
  }, [caret?.focus]);

  const onFocus = () => {
    // focused by the keyboard (Tab): the caret starts at the beginning; a click puts it where it lands
    const byPointer = pointer.current;
    pointer.current = false;
    if (!byPointer && editor.ui.state.caret?.object !== object) editor.ui.update({ caret: { object, anchor: 0, focus: 0 } });
  };

  const pick = (ids: readonly string[], e: MouseEvent) => {
    const sel = window.getSelection();
    if (sel && !sel.isCollapsed) return; // a selection, not a click
    const innermost = ids[ids.length - 1];
    if (innermost === undefined) {
      editor.ui.select([]);
      return;
    }
    e.stopPropagation();
    editor.pick(innermost);
  };

  const lines = useMemo(() => lineStarts(text), [text]);
  const blocks = useMemo(() => freeLineStarts(lines, spans), [lines, spans]);
  const segs = useMemo(() => segments(text, spans, caret ? [caret.anchor, caret.focus, ...blocks] : blocks), [text, spans, blocks, caret?.anchor, caret?.focus]);
  const marks: MarkContext = { editor, selected, hover, levels, pad, tags };
  const mouse = spanMouse(editor, pick);
  const body = textBody({ segs, blocks, byId, marks, caret });

  return (
    <div
      ref={ref}
      class={`lnb-text lnb-spans${relations.length ? " lnb-with-arrows" : ""}`}
      data-object={object}
      tabIndex={0}
      role="textbox"
      aria-readonly="true"
      aria-label={`${object}: select text to label`}
      style={lineSpacing(depth, pad, relations.length > 0)}
      onMouseDown={(e) => {
        pointer.current = true;
        mouse.onMouseDown(e);
      }}
      onClick={mouse.onClick}
      onMouseOver={mouse.onMouseOver}
      onMouseOut={mouse.onMouseOut}
      onMouseUp={onMouseUp}
      onFocus={onFocus}
    >
      {body}
      <SpanArrows relations={relations} root={ref} version={[text, spans, tags]} />
    </div>
  );
}
