// <Text name value="$field">: the task's text, shown as plain text (never parsed as HTML). With a <Labels>
// on it, a selection made with the mouse while a label is chosen becomes a span {start, end, text,
// labels} in code points (reference B.4, B.5); spans are drawn over the text, overlapping ones layered, and
// listed beside it like image regions.

import { useRef } from "preact/hooks";
import { attr, asText, resolveValue } from "../../config";
import { useLabel } from "../../context";
import type { Editor } from "../../editor";
import type { ViewNode } from "../../protocol";
import { textLabelsOf, regionStyle } from "../../controls/regionTools";
import { RegionList } from "../../panels/RegionList";
import { controlSpec } from "../../schema/model";
import { addRegion } from "../../state/commands";
import { regionLabels, type AnnotationDoc } from "../../state/document";
import { newResultId } from "../../state/results";
import { useDoc, useUi, sameList } from "../image/hooks";
import { Unsupported } from "../Unsupported";
import { segments, spanText, toCodePoint, type SpanLike } from "./spans";

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
      <RegionList editor={editor} object={name} />
    </div>
  );
}

interface ShownSpan extends SpanLike {
  color: string;
  label: string;
}

/** The spans on this text with what drawing them needs (compared as a key, so only real changes count). */
function spansOn(editor: Editor, doc: AnnotationDoc, object: string): ShownSpan[] {
  const out: ShownSpan[] = [];
  for (const r of Object.values(doc.regions)) {
    if (r.object !== object || r.kind !== "span" || r.hidden) continue;
    const { start, end } = r.geometry;
    if (typeof start !== "number" || typeof end !== "number") continue;
    const labels = regionLabels(doc, r.id);
    out.push({ id: r.id, start, end, color: regionStyle(controlSpec(editor.model, r.control), labels, editor.model).stroke, label: labels.join(", ") });
  }
  return out;
}

const spanKey = (spans: readonly ShownSpan[]) => spans.map((s) => `${s.id}:${s.start}:${s.end}:${s.color}:${s.label}`).join("|");

function SpanText({ editor, object, text }: { editor: Editor; object: string; text: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const spans = useDoc(editor.annotation, (doc) => spansOn(editor, doc, object), (a, b) => spanKey(a) === spanKey(b));
  const selected = useUi(editor.ui, (s) => s.selected, sameList);
  const hover = useUi(editor.ui, (s) => s.hover);
  const byId = new Map(spans.map((s) => [s.id, s]));

  /** Code point offset of a DOM position inside the text. */
  const offsetAt = (container: Node, offset: number): number | null => {
    const root = ref.current;
    if (!root || !root.contains(container)) return null;
    const range = document.createRange();
    range.setStart(root, 0);
    range.setEnd(container, offset);
    return toCodePoint(text, range.toString().length);
  };

  const onMouseUp = () => {
    const sel = window.getSelection();
    const label = editor.ui.state.label;
    const control = label ? textLabelsOf(editor.model, object).find((c) => c.name === label.control) : undefined;
    if (!sel || sel.isCollapsed || !sel.rangeCount || !label || !control) return;
    const range = sel.getRangeAt(0);
    const a = offsetAt(range.startContainer, range.startOffset);
    const b = offsetAt(range.endContainer, range.endOffset);
    if (a === null || b === null || a === b) return;
    const [start, end] = a < b ? [a, b] : [b, a];
    const id = newResultId();
    const ann = editor.annotation;
    ann.begin("span");
    ann.run(
      addRegion(ann.doc, {
        id,
        object,
        control: control.name,
        type: "labels",
        kind: "span",
        geometry: { start, end, text: spanText(text, start, end) },
        labels: [label.value],
        labelsKey: "labels",
        origin: "manual",
      }),
    );
    ann.end();
    sel.removeAllRanges();
    editor.lastObject = object;
    editor.ui.select([id]);
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
    editor.ui.select([innermost]);
  };

  return (
    <div ref={ref} class="lnb-text lnb-spans" data-object={object} onMouseUp={onMouseUp}>
      {segments(text, spans).map((seg) => {
        if (!seg.spans.length) return seg.text;
        const inner = byId.get(seg.spans[seg.spans.length - 1] as string) as ShownSpan;
        const outer = seg.spans.length > 1 ? byId.get(seg.spans[0] as string) : undefined;
        const on = seg.spans.some((id) => selected.includes(id));
        const lit = seg.spans.some((id) => id === hover);
        return (
          <span
            key={seg.start}
            class={`lnb-span${on ? " lnb-selected" : ""}${lit ? " lnb-hover" : ""}`}
            data-region={inner.id}
            data-spans={seg.spans.join(" ")}
            data-label={inner.label}
            style={{ "--lnb-label-color": inner.color, ...(outer ? { "--lnb-outer-color": outer.color } : {}) }}
            title={seg.spans.map((id) => byId.get(id)?.label ?? "").join(" · ")}
            onClick={(e) => pick(seg.spans, e)}
            onMouseEnter={() => editor.ui.update({ hover: inner.id })}
            onMouseLeave={() => editor.ui.state.hover === inner.id && editor.ui.update({ hover: null })}
          >
            {seg.text}
          </span>
        );
      })}
    </div>
  );
}
