// <Paragraphs name value="$field" layout="none|dialogue" nameKey="author" textKey="text">: the task's list of
// phrases, each with its author's name, shown as plain text (names and phrases are task data: never HTML).
// With layout="dialogue" each speaker gets a colour of their own. With a <ParagraphLabels> on it, a selection
// made with the mouse while a label is chosen, inside one phrase or across several, becomes a span
// {start, end, startOffset, endOffset, text, paragraphlabels} (phrases.ts has the units); spans are drawn
// as on <Text> (a fill, a line per nesting level, a tag at the start) and listed beside the phrases.
// showPlayer/audioUrl (phrases played along with a sound) are not part of this version: the text is shown
// without a player.

import { useRef } from "preact/hooks";
import { attr, asText, resolveValue } from "../../config";
import { useLabel } from "../../context";
import type { Editor } from "../../editor";
import type { ViewNode } from "../../protocol";
import { textLabelsOf, regionStyle } from "../../controls/regionTools";
import { RegionList } from "../../panels/RegionList";
import { controlSpec, objectSpec } from "../../schema/model";
import { usageRefusal } from "../../state/usage";
import { addRegion } from "../../state/commands";
import { regionLabels, type AnnotationDoc, type Json } from "../../state/document";
import { newResultId } from "../../state/results";
import { useDoc, useUi, sameList } from "../image/hooks";
import { Unsupported } from "../Unsupported";
import { SpanArrows, useSpanRelations } from "../text/SpanArrows";
import { LEVEL_PX, lineSpacing, markedPiece, spanMouse, type MarkContext, type ShownSpan } from "../text/Text";
import { codePoints, moveCaret, segments, snapCaret, spanLevels, toCodePoint } from "../text/spans";
import { phrasesOf, selectionRange, spanPoints, spansInPhrase, speakerColor, type Phrase, type PhrasePoint } from "./phrases";

/** The phrases of the value: a list as it is, a JSON string of a list parsed (Label Studio accepts both). */
function phrasesFrom(value: unknown, nameKey: string, textKey: string): Phrase[] | null {
  if (typeof value === "string") {
    try {
      return phrasesOf(JSON.parse(value), nameKey, textKey);
    } catch {
      return null;
    }
  }
  return phrasesOf(value, nameKey, textKey);
}

export function Paragraphs({ node }: { node: ViewNode }) {
  const { data, editor } = useLabel();
  const name = attr(node, "name") ?? "";
  const valueAttr = attr(node, "value");
  const value = resolveValue(valueAttr, data);
  if ((attr(node, "valueType") ?? "json").toLowerCase() === "url") {
    return <Unsupported tag="Paragraphs" detail={`with valueType="url" is not supported in this version (${asText(value)})`} />;
  }
  if (value === undefined) {
    return (
      <div class="lnb-text lnb-missing" data-object={name}>
        This task has no “{valueAttr?.replace(/^\$/, "") ?? "value"}” field.
      </div>
    );
  }
  const nameKey = attr(node, "nameKey") ?? "author";
  const textKey = attr(node, "textKey") ?? "text";
  const phrases = phrasesFrom(value, nameKey, textKey);
  if (!phrases) {
    return (
      <div class="lnb-text lnb-missing" data-object={name}>
        The “{valueAttr?.replace(/^\$/, "") ?? "value"}” field is not a list of phrases (objects with “{nameKey}” and “{textKey}”).
      </div>
    );
  }
  const dialogue = (attr(node, "layout") ?? "none").toLowerCase() === "dialogue";
  const saveText = (attr(node, "saveTextResult") ?? "yes").toLowerCase() !== "no";
  if (!textLabelsOf(editor.model, name).length) {
    return (
      <div class={`lnb-text lnb-paragraphs${dialogue ? " lnb-dialogue" : ""}`} data-object={name}>
        {phrases.map((p, i) => (
          <PhraseBox key={i} index={i} phrase={p} dialogue={dialogue}>
            {p.text}
          </PhraseBox>
        ))}
      </div>
    );
  }
  return (
    <div class="lnb-text-object" data-paragraphs={name}>
      <SpanPhrases editor={editor} object={name} phrases={phrases} dialogue={dialogue} saveText={saveText} />
      <RegionList editor={editor} object={name} empty="No spans yet. Choose a label, then select text in the phrases with the mouse." />
    </div>
  );
}

function PhraseBox({ index, phrase, dialogue, children }: { index: number; phrase: Phrase; dialogue: boolean; children: preact.ComponentChildren }) {
  return (
    <div class="lnb-phrase" data-phrase={index} style={dialogue ? { "--lnb-speaker": speakerColor(phrase.author) } : undefined}>
      {phrase.author !== "" && (
        <span class="lnb-phrase-name">
          {phrase.author}
        </span>
      )}
      <span class="lnb-phrase-text" data-phrase-text={index}>
        {children}
      </span>
    </div>
  );
}

interface PhraseSpan extends ShownSpan {
  from: PhrasePoint;
  to: PhrasePoint;
}

/** The spans on these phrases with what drawing them needs; `start`/`end` are offsets in all the phrases one after another. */
function spansOn(editor: Editor, doc: AnnotationDoc, object: string, texts: readonly string[], prefix: readonly number[]): PhraseSpan[] {
  const out: PhraseSpan[] = [];
  for (const r of Object.values(doc.regions)) {
    if (r.object !== object || r.kind !== "span" || r.hidden) continue;
    const points = spanPoints(texts, r.geometry as Record<string, unknown>);
    if (!points) continue;
    const [from, to] = points;
    const labels = regionLabels(doc, r.id);
    out.push({
      id: r.id,
      from,
      to,
      start: (prefix[from.phrase] as number) + from.offset,
      end: (prefix[to.phrase] as number) + to.offset,
      color: regionStyle(controlSpec(editor.model, r.control), labels, editor.model).stroke,
      label: labels.join(", "),
    });
  }
  return out;
}

const spanKey = (spans: readonly PhraseSpan[]) => spans.map((s) => `${s.id}:${s.start}:${s.end}:${s.color}:${s.label}`).join("|");

function SpanPhrases({ editor, object, phrases, dialogue, saveText }: { editor: Editor; object: string; phrases: Phrase[]; dialogue: boolean; saveText: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  const texts = phrases.map((p) => p.text);
  // each phrase's start when the phrases are laid end to end (one more for the break between them)
  const prefix: number[] = [];
  let at = 0;
  for (const t of texts) {
    prefix.push(at);
    at += codePoints(t).length + 1;
  }
  const spans = useDoc(editor.annotation, (doc) => spansOn(editor, doc, object, texts, prefix), (a, b) => spanKey(a) === spanKey(b));
  const relations = useSpanRelations(editor, [object]);
  const selected = useUi(editor.ui, (s) => s.selected, sameList);
  const hover = useUi(editor.ui, (s) => s.hover);
  const byId = new Map(spans.map((s) => [s.id, s]));
  const levels = spanLevels(spans);
  const depth = spans.length ? Math.max(...levels.values()) + 1 : 0;
  const pad = depth * LEVEL_PX + 1;
  const tags = objectSpec(editor.model, object)?.show_labels !== false;

  /** The phrase point of a DOM position (every piece of a phrase's text is an element with its offset in data-o). */
  const pointAt = (container: Node, offset: number): PhrasePoint | null => {
    const root = ref.current;
    if (!root || !root.contains(container)) return null;
    const piece = container.nodeType === Node.TEXT_NODE ? container.parentElement : null;
    const owner = piece?.closest<HTMLElement>("[data-phrase-text]");
    if (piece?.dataset.o !== undefined && owner) {
      return { phrase: Number(owner.dataset.phraseText), offset: Number(piece.dataset.o) + toCodePoint(container.textContent ?? "", offset) };
    }
    // between pieces, in a name or a tag: the start of the next piece
    const here = document.createRange();
    here.setStart(container, offset);
    for (const el of root.querySelectorAll<HTMLElement>("[data-o]")) {
      if (here.comparePoint(el, 0) < 0) continue;
      const of = el.closest<HTMLElement>("[data-phrase-text]");
      if (of) return { phrase: Number(of.dataset.phraseText), offset: Number(el.dataset.o) };
    }
    const last = texts.length - 1;
    return last < 0 ? null : { phrase: last, offset: codePoints(texts[last] ?? "").length };
  };

  /** A point moved off the middle of a grapheme cluster (the start back, the end on). */
  const snap = (p: PhrasePoint, isEnd: boolean): PhrasePoint => {
    const text = texts[p.phrase] ?? "";
    const back = snapCaret(text, p.offset);
    return { phrase: p.phrase, offset: isEnd && back !== p.offset ? moveCaret(text, back, 1) : back };
  };

  const makeSpan = (controlName: string, label: string, a: PhrasePoint, b: PhrasePoint): string | null => {
    const spec = controlSpec(editor.model, controlName);
    if (!spec) return null;
    const forward = a.phrase < b.phrase || (a.phrase === b.phrase && a.offset <= b.offset);
    const [from, to] = forward ? [a, b] : [b, a];
    const range = selectionRange(texts, snap(from, false), snap(to, true));
    if (!range) return null;
    const ann = editor.annotation;
    const refused = usageRefusal(ann.doc, controlName, spec, label);
    if (refused !== null) {
      editor.ui.update({ notice: { control: controlName, text: refused } });
      return null;
    }
    const geometry: Json = { start: range.start, end: range.end, startOffset: range.startOffset, endOffset: range.endOffset };
    if (saveText) geometry.text = range.text;
    const id = newResultId();
    ann.begin("span");
    ann.run(
      addRegion(ann.doc, {
        id,
        object,
        control: controlName,
        type: "paragraphlabels",
        kind: "span",
        geometry,
        labels: [label],
        labelsKey: "paragraphlabels",
        origin: "manual",
      }),
    );
    ann.end();
    editor.lastObject = object;
    editor.ui.select([id]);
    editor.ui.update({ notice: null });
    return id;
  };

  const onMouseUp = () => {
    const sel = window.getSelection();
    if (!sel || !sel.rangeCount || sel.isCollapsed) return;
    const range = sel.getRangeAt(0);
    const a = pointAt(range.startContainer, range.startOffset);
    const b = pointAt(range.endContainer, range.endOffset);
    if (!a || !b) return;
    const label = editor.ui.state.label;
    const control = label ? textLabelsOf(editor.model, object).find((c) => c.name === label.control) : undefined;
    // without a label the selection stays the browser's (to copy, say)
    if (!label || !control) return;
    makeSpan(control.name, label.value, a, b);
    sel.removeAllRanges();
  };

  const pick = (ids: readonly string[], e: MouseEvent) => {
    const sel = window.getSelection();
    if (sel && !sel.isCollapsed) return; // a selection, not a click
    const innermost = ids[ids.length - 1];
    if (innermost === undefined) return;
    e.stopPropagation();
    editor.pick(innermost);
  };

  const marks: MarkContext = { editor, selected, hover, levels, pad, tags };
  const mouse = spanMouse(editor, pick);
  const phraseContent = (i: number): preact.JSX.Element[] => {
    const text = texts[i] ?? "";
    const pieces = spansInPhrase(texts, i, spans);
    const out: preact.JSX.Element[] = [];
    for (const seg of segments(text, pieces)) {
      if (!seg.spans.length) {
        out.push(
          <span key={seg.start} class="lnb-seg" data-o={seg.start}>
            {seg.text}
          </span>,
        );
        continue;
      }
      // segments() orders a piece's spans by the piece's length; draw them outermost (longest overall) first
      const covering = seg.spans.map((id) => byId.get(id) as PhraseSpan).sort((x, y) => y.end - y.start - (x.end - x.start) || x.start - y.start);
      out.push(...markedPiece(marks, seg, covering, (s) => s.from.phrase === i && s.from.offset === seg.start));
    }
    return out;
  };

  return (
    <div
      ref={ref}
      class={`lnb-text lnb-paragraphs lnb-spans${dialogue ? " lnb-dialogue" : ""}${relations.length ? " lnb-with-arrows" : ""}`}
      data-object={object}
      aria-label={`${object}: select text in the phrases to label`}
      style={lineSpacing(depth, pad, relations.length > 0)}
      onMouseDown={mouse.onMouseDown}
      onClick={mouse.onClick}
      onMouseOver={mouse.onMouseOver}
      onMouseOut={mouse.onMouseOut}
      onMouseUp={onMouseUp}
    >
      {phrases.map((p, i) => (
        <PhraseBox key={i} index={i} phrase={p} dialogue={dialogue}>
          {phraseContent(i)}
        </PhraseBox>
      ))}
      <SpanArrows relations={relations} root={ref} version={[phrases.length, spanKey(spans)]} />
    </div>
  );
}
