// Relations between spans, drawn in the text they label: an arc over the line from the start of one span to
// the start of the other, with its arrow heads (the relation's direction) and its labels at the top. The
// overlay lives inside the text's scrolling element (so it scrolls with the text) and is measured from the
// span pieces the text drew (`.lnb-span[data-spans]`, the first piece of each span), after every change of
// the text's spans or relations and whenever the element is resized. Pointer events pass through it.

import { useLayoutEffect, useRef, useState } from "preact/hooks";
import type { Editor } from "../../editor";
import { relationKey, type AnnotationDoc, type Relation } from "../../state/document";
import { useDoc } from "../image/hooks";

/** One arc, in px of the text element's content (scrolled content included). */
export interface Arc {
  key: string;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  /** the height of the arc's top above the higher of its ends */
  rise: number;
  direction: string;
  label: string;
}

/** px between the arcs that start at the same height, so they stay apart */
const RISE_STEP = 7;
const RISE_MIN = 12;

/** The relations with both ends among the spans of `objects` (and neither hidden). */
export function useSpanRelations(editor: Editor, objects: readonly string[]): Relation[] {
  return useDoc(editor.annotation, (doc) => spanRelations(doc, objects), (a, b) => relationsKey(a) === relationsKey(b));
}

function spanRelations(doc: AnnotationDoc, objects: readonly string[]): Relation[] {
  const ok = (id: string) => {
    const r = doc.regions[id];
    return !!r && r.kind === "span" && !r.hidden && objects.includes(r.object);
  };
  return Object.values(doc.relations).filter((rel) => ok(rel.from_id) && ok(rel.to_id));
}

const relationsKey = (rels: readonly Relation[]) => rels.map((r) => `${relationKey(r.from_id, r.to_id)}:${r.direction}:${(r.labels ?? []).join(",")}`).join("|");

/**
 * Where a span starts on screen: the first box of its first piece (a piece that wraps has several); null
 * when the span is not drawn, undefined when it is but has no box now.
 */
function spanStart(root: HTMLElement, id: string): DOMRect | null | undefined {
  const piece = root.querySelector<HTMLElement>(`.lnb-span[data-spans~="${CSS.escape(id)}"]`);
  if (!piece) return null;
  const box = piece.getClientRects()[0];
  return box && (box.width > 0 || box.height > 0) ? box : undefined;
}

/**
 * Arcs for `relations`, measured in `root`; the ones whose spans are not drawn are left out. Null when the
 * spans are there but have no boxes now (the text or a chunk of it is not laid out this frame).
 */
export function measureArcs(root: HTMLElement, relations: readonly Relation[]): Arc[] | null {
  const frame = root.getBoundingClientRect();
  const dx = root.scrollLeft - frame.left;
  const dy = root.scrollTop - frame.top;
  const arcs: Arc[] = [];
  // arcs whose higher end is on the same line rise one above the other, longest highest
  const measured: { rel: Relation; a: DOMRect; b: DOMRect }[] = [];
  for (const rel of relations) {
    const a = spanStart(root, rel.from_id);
    const b = spanStart(root, rel.to_id);
    if (a === undefined || b === undefined) return null;
    if (a && b) measured.push({ rel, a, b });
  }
  measured.sort((p, q) => Math.abs(p.a.left - p.b.left) - Math.abs(q.a.left - q.b.left));
  const perLine = new Map<number, number>();
  for (const { rel, a, b } of measured) {
    const top = Math.round(Math.min(a.top, b.top));
    const n = perLine.get(top) ?? 0;
    perLine.set(top, n + 1);
    arcs.push({
      key: relationKey(rel.from_id, rel.to_id),
      x1: a.left + Math.min(a.width / 2, 8) + dx,
      y1: a.top + dy,
      x2: b.left + Math.min(b.width / 2, 8) + dx,
      y2: b.top + dy,
      rise: RISE_MIN + n * RISE_STEP,
      direction: rel.direction,
      label: (rel.labels ?? []).join(", "),
    });
  }
  return arcs;
}

const arcsKey = (arcs: readonly Arc[]) => arcs.map((a) => `${a.key}:${a.x1}:${a.y1}:${a.x2}:${a.y2}:${a.rise}:${a.direction}:${a.label}`).join("|");

/** The path of an arc: up from both ends to `rise` over the higher one. */
export function arcPath(a: Arc): string {
  const top = Math.min(a.y1, a.y2) - a.rise;
  return `M ${a.x1} ${a.y1} C ${a.x1} ${top}, ${a.x2} ${top}, ${a.x2} ${a.y2}`;
}

function Head({ x, y }: { x: number; y: number }) {
  // the arcs come down onto their ends, so every head points down
  return <polygon points={`${x},${y} ${x - 4},${y - 7} ${x + 4},${y - 7}`} />;
}

/**
 * The overlay for `relations` (useSpanRelations) inside `root`, the text's scrolling element. An entry of
 * `version` changes (by identity) whenever the text drew its spans anew (their pieces moved).
 */
export function SpanArrows({ relations, root, version }: { relations: readonly Relation[]; root: { current: HTMLElement | null }; version: readonly unknown[] }) {
  const [arcs, setArcs] = useState<Arc[]>([]);
  const shown = useRef("");
  const retry = useRef(0);
  const tries = useRef(0);
  const measure = () => {
    const el = root.current;
    const next = el && relations.length ? measureArcs(el, relations) : [];
    if (next === null) {
      // not laid out this frame (JupyterLab re-attaching the cell on a theme switch, a chunk skipped):
      // keep the arcs and look again soon, for a few seconds (a text hidden for longer is measured again
      // by the resize observer when it is shown)
      if (!retry.current && tries.current++ < 30) retry.current = window.setTimeout(() => ((retry.current = 0), live.current()), 100);
      return;
    }
    tries.current = 0;
    const key = arcsKey(next);
    if (key === shown.current) return;
    shown.current = key;
    setArcs(next);
  };
  const live = useRef(measure);
  live.current = measure;
  useLayoutEffect(() => live.current(), [relationsKey(relations), ...version]);
  useLayoutEffect(() => {
    const el = root.current;
    if (!el) return;
    // a resize moves the lines; so may a scroll, when a long text lays out the chunks it comes to
    // (content-visibility) and they turn out taller or shorter than guessed
    let frame = 0;
    const later = () => {
      if (!frame) frame = requestAnimationFrame(() => ((frame = 0), live.current()));
    };
    const watch = typeof ResizeObserver === "undefined" ? null : new ResizeObserver(later);
    watch?.observe(el);
    el.addEventListener("scroll", later, { passive: true });
    // a chunk of a long text that the browser skipped (off screen, or the page hidden) has no boxes to
    // measure; measure again when it is laid out
    el.addEventListener("contentvisibilityautostatechange", later, { capture: true });
    return () => {
      watch?.disconnect();
      el.removeEventListener("scroll", later);
      el.removeEventListener("contentvisibilityautostatechange", later, { capture: true });
      cancelAnimationFrame(frame);
      clearTimeout(retry.current);
      retry.current = 0;
    };
  }, [root.current]);
  if (!arcs.length) return null;
  const el = root.current;
  return (
    <svg class="lnb-span-arrows" aria-hidden="true" width={el?.scrollWidth ?? 0} height={el?.scrollHeight ?? 0}>
      {arcs.map((a) => {
        // a cubic with both control points at the top reaches 3/4 of the way up at its middle
        const crest = Math.min(a.y1, a.y2) - 0.75 * a.rise;
        return (
          <g key={a.key} class="lnb-relation" data-relation={a.key}>
            <path d={arcPath(a)} />
            {(a.direction === "right" || a.direction === "bi") && <Head x={a.x2} y={a.y2} />}
            {(a.direction === "left" || a.direction === "bi") && <Head x={a.x1} y={a.y1} />}
            {a.label && (
              <text x={(a.x1 + a.x2) / 2} y={crest - 2} text-anchor="middle" data-relation-text={a.key}>
                {a.label}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}
