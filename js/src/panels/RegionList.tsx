// The region list beside an object: every region with its colour, labels, score and origin; click to
// select, buttons to hide, lock, link and delete; sorted by creation or by label. Below it, the relations
// between regions, each with its direction and labels, deletable.
//
// A long list is windowed: from WINDOW_FROM rows on, only the rows in view (and OVERSCAN either side) are
// in the DOM, each one line of ROW_PX, with spacers for the rest. 3,000 rows in the DOM cost 1.4 s when a
// task opens and several ms a frame while the image is zoomed (the browser tracks each row's visibility).

import { memo } from "preact/compat";
import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import type { Editor } from "../editor";
import { regionStyle } from "../controls/regionTools";
import { controlSpec } from "../schema/model";
import { link, unlink } from "../state/commands";
import { regionLabels, regionPage, relationKey, type AnnotationDoc, type Region, type Relation } from "../state/document";
import { sameList, useDoc, useUi } from "../objects/image/hooks";
import { EyeIcon, EyeOffIcon, LinkIcon, LockIcon, TrashIcon, UnlockIcon } from "./icons";

const KIND_NAMES: Record<string, string> = {
  rectangle: "box",
  polygon: "polygon",
  ellipse: "ellipse",
  keypoint: "point",
  brush: "mask",
  vector: "polyline",
  span: "span",
  chat: "message",
};

export type RegionOrder = "created" | "label";

/** The regions of `object` (on its page `itemIndex`, when given), in the order the list shows them. */
export function listedRegions(doc: AnnotationDoc, object: string, order: RegionOrder, itemIndex?: number): Region[] {
  const regions = Object.values(doc.regions).filter(
    (r) => r.object === object && (itemIndex === undefined || regionPage(r) === itemIndex),
  );
  if (order === "label") {
    const label = (r: Region) => regionLabels(doc, r.id).join(",");
    return regions.sort((a, b) => label(a).localeCompare(label(b)) || a.seq - b.seq);
  }
  return regions.sort((a, b) => a.seq - b.seq);
}

/** A region's confidence: its result's `score`, else one inside its value (Label Studio's docs put it there too). */
export function regionScore(region: Region): number | undefined {
  if (typeof region.score === "number") return region.score;
  const inValue = region.geometry.score;
  return typeof inValue === "number" && Number.isFinite(inValue) ? inValue : undefined;
}

/** A span's text (or the text under a box on a PDF page), shortened, for its row (what it is, at a glance). */
function spanSnippet(region: Region): string | null {
  const text = region.kind === "span" ? region.geometry.text : region.type === "ocrlabels" ? region.geometry.ocrtext : undefined;
  if (typeof text !== "string" || !text) return null;
  const chars = [...text];
  return `“${chars.length > 24 ? `${chars.slice(0, 23).join("")}…` : text}”`;
}

function originText(origin: string | undefined): string | null {
  if (origin === "prediction") return "prediction";
  if (origin === "prediction-changed") return "edited prediction";
  return null;
}

/** Lists this long are windowed. */
export const WINDOW_FROM = 150;
/** The height of a row of a windowed list (styles.css `.lnb-windowed .lnb-region-item`). */
export const ROW_PX = 30;
const OVERSCAN = 8;

/** The rows [first, end) of a windowed list of `count` rows that a scroller showing [top, top + height) needs. */
export function rowWindow(count: number, top: number, height: number): { first: number; end: number } {
  const first = Math.max(0, Math.floor(top / ROW_PX) - OVERSCAN);
  const end = Math.min(count, Math.ceil((top + Math.max(height, 0)) / ROW_PX) + OVERSCAN);
  return { first: Math.min(first, count), end: Math.max(end, Math.min(first, count)) };
}

const RegionRow = memo(function RegionRow({ editor, region, index }: { editor: Editor; region: Region; index: number }) {
  const selected = useUi(editor.ui, (s) => s.selected.includes(region.id));
  const linking = useUi(editor.ui, (s) => s.linking);
  const labels = regionLabels(editor.annotation.doc, region.id);
  const style = regionStyle(controlSpec(editor.model, region.control), labels, editor.model);
  const origin = originText(region.origin);
  const score = regionScore(region);
  const pick = (e: MouseEvent) => {
    editor.lastObject = region.object;
    if (linking !== null && linking !== region.id) {
      editor.linkTo(region.id);
      return;
    }
    const current = editor.ui.state.selected;
    if (e.shiftKey) editor.ui.select(current.includes(region.id) ? current.filter((id) => id !== region.id) : [...current, region.id]);
    else editor.ui.select([region.id]);
  };
  return (
    <li
      class={`lnb-region-item${selected ? " lnb-selected" : ""}${region.hidden ? " lnb-hidden" : ""}`}
      data-region-item={region.id}
      data-kind={region.kind}
      style={{ "--lnb-label-color": style.stroke }}
      onMouseEnter={() => editor.ui.update({ hover: region.id })}
      onMouseLeave={() => editor.ui.state.hover === region.id && editor.ui.update({ hover: null })}
    >
      <button type="button" class="lnb-region-pick" aria-pressed={selected} onClick={pick}>
        <span class="lnb-swatch" aria-hidden="true" />
        <span class="lnb-region-index">{index + 1}</span>
        <span class="lnb-region-label">{labels.length ? labels.join(", ") : KIND_NAMES[region.kind]}</span>
        {labels.length > 0 && <span class="lnb-region-kind">{spanSnippet(region) ?? KIND_NAMES[region.kind]}</span>}
        {score !== undefined && (
          <span class="lnb-region-score" data-score={score} title="score">
            {score.toFixed(2)}
          </span>
        )}
        {origin && <span class={`lnb-region-origin lnb-origin-${region.origin}`}>{origin}</span>}
      </button>
      <span class="lnb-region-actions">
        <button
          type="button"
          class="lnb-icon-btn"
          data-action="hide"
          aria-pressed={region.hidden}
          title={region.hidden ? "Show" : "Hide"}
          onClick={() => editor.toggle([region.id], "hidden")}
        >
          {region.hidden ? <EyeOffIcon /> : <EyeIcon />}
        </button>
        <button
          type="button"
          class="lnb-icon-btn"
          data-action="lock"
          aria-pressed={region.locked}
          title={region.locked ? "Unlock" : "Lock"}
          onClick={() => editor.toggle([region.id], "locked")}
        >
          {region.locked ? <LockIcon /> : <UnlockIcon />}
        </button>
        <button
          type="button"
          class="lnb-icon-btn"
          data-action="link"
          aria-pressed={linking === region.id}
          title="Link to another region (then click it)"
          onClick={() => editor.ui.update({ linking: linking === region.id ? null : region.id, selected: [region.id] })}
        >
          <LinkIcon />
        </button>
        <button
          type="button"
          class="lnb-icon-btn"
          data-action="delete"
          title="Delete"
          disabled={region.locked}
          onClick={() => {
            editor.ui.select([region.id]);
            editor.deleteSelected();
          }}
        >
          <TrashIcon />
        </button>
      </span>
    </li>
  );
});

const DIRECTIONS = ["right", "left", "bi"] as const;
const ARROWS: Record<string, string> = { right: "→", left: "←", bi: "↔" };

function RelationRow({ editor, relation, names }: { editor: Editor; relation: Relation; names: Map<string, string> }) {
  const spec = editor.model.relations;
  const options = (spec?.labels ?? []).map((l) => l.label ?? l.value ?? "").filter((l) => l !== "");
  const multiple = spec?.choice !== "single";
  const replace = (patch: Partial<Pick<Relation, "direction" | "labels">>) => {
    const a = editor.annotation;
    a.begin("relation");
    a.run(unlink(a.doc, relation.from_id, relation.to_id));
    const labels = patch.labels !== undefined ? patch.labels : relation.labels;
    a.run(link(a.doc, relation.from_id, relation.to_id, patch.direction ?? relation.direction, labels && labels.length ? labels : undefined));
    a.end();
  };
  const next = DIRECTIONS[(DIRECTIONS.indexOf(relation.direction as (typeof DIRECTIONS)[number]) + 1) % DIRECTIONS.length];
  const key = relationKey(relation.from_id, relation.to_id);
  return (
    <li class="lnb-relation-item" data-relation-item={key}>
      <span class="lnb-relation-ends">
        <span class="lnb-relation-end">{names.get(relation.from_id) ?? relation.from_id}</span>
        <button type="button" class="lnb-icon-btn" data-action="direction" title="Change direction" onClick={() => replace({ direction: next })}>
          {ARROWS[relation.direction] ?? relation.direction}
        </button>
        <span class="lnb-relation-end">{names.get(relation.to_id) ?? relation.to_id}</span>
      </span>
      {options.length > 0 && (
        <span class="lnb-relation-labels">
          {options.map((opt) => {
            const on = relation.labels?.includes(opt) ?? false;
            return (
              <button
                key={opt}
                type="button"
                class={`lnb-relation-label${on ? " lnb-active" : ""}`}
                data-relation-label={opt}
                aria-pressed={on}
                onClick={() => {
                  const current = relation.labels ?? [];
                  const labels = on ? current.filter((l) => l !== opt) : multiple ? [...current, opt] : [opt];
                  replace({ labels });
                }}
              >
                {opt}
              </button>
            );
          })}
        </span>
      )}
      <button
        type="button"
        class="lnb-icon-btn"
        data-action="delete-relation"
        title="Delete relation"
        onClick={() => {
          const a = editor.annotation;
          a.begin("unlink");
          a.run(unlink(a.doc, relation.from_id, relation.to_id));
          a.end();
        }}
      >
        ✕
      </button>
    </li>
  );
}

export function RegionList({ editor, object, itemIndex, empty }: { editor: Editor; object: string; itemIndex?: number; empty?: string }) {
  const [order, setOrder] = useState<RegionOrder>("created");
  // re-render when the list's contents change: ids, labels, flags (not while a shape is merely moved)
  const rows = useDoc(
    editor.annotation,
    (doc) =>
      listedRegions(doc, object, order, itemIndex).map(
        (r) => `${r.id}|${regionLabels(doc, r.id).join(",")}|${r.hidden ? 1 : 0}${r.locked ? 1 : 0}|${r.origin ?? ""}|${regionScore(r) ?? ""}`,
      ),
    sameList,
  );
  const relations = useDoc(editor.annotation, (doc) => doc.relations, (a, b) => a === b);
  const doc = editor.annotation.doc;
  const regions = listedRegions(doc, object, order, itemIndex);
  const names = new Map(regions.map((r, i) => [r.id, `${i + 1} ${regionLabels(doc, r.id).join(", ") || KIND_NAMES[r.kind]}`]));
  const shown = Object.values(relations).filter((r) => names.has(r.from_id) || names.has(r.to_id));

  // windowing: which rows are in view of the list's scroller
  const windowed = regions.length >= WINDOW_FROM;
  const scrollerRef = useRef<HTMLDivElement>(null);
  const olRef = useRef<HTMLOListElement>(null);
  const [view, setView] = useState({ top: 0, height: 520 });
  const measure = () => {
    const scroller = scrollerRef.current;
    const ol = olRef.current;
    if (!scroller || !ol) return;
    const top = scroller.scrollTop - ol.offsetTop;
    const height = scroller.clientHeight;
    setView((v) => (Math.abs(v.top - top) < ROW_PX / 2 && v.height === height ? v : { top, height }));
  };
  useLayoutEffect(() => {
    if (!windowed) return;
    measure();
    // measured again when the list's box changes size: a widget drawn before it is attached to the page
    // measures an empty box first, and would show only the overscan's rows
    const scroller = scrollerRef.current;
    if (!scroller || typeof ResizeObserver === "undefined") return;
    const watch = new ResizeObserver(() => measure());
    watch.observe(scroller);
    return () => watch.disconnect();
  }, [windowed]);
  // the selected region's row is scrolled into the list's view (it may not be in the DOM yet)
  const selected = useUi(editor.ui, (st) => (st.selected.length === 1 ? st.selected[0] : null));
  const selectedIndex = selected === null ? -1 : regions.findIndex((r) => r.id === selected);
  useEffect(() => {
    const scroller = scrollerRef.current;
    const ol = olRef.current;
    if (!windowed || selectedIndex < 0 || !scroller || !ol) return;
    const rowTop = ol.offsetTop + selectedIndex * ROW_PX;
    if (rowTop < scroller.scrollTop) scroller.scrollTop = rowTop;
    else if (rowTop + ROW_PX > scroller.scrollTop + scroller.clientHeight) scroller.scrollTop = rowTop + ROW_PX - scroller.clientHeight;
  }, [windowed, selectedIndex]);
  const { first, end } = windowed ? rowWindow(regions.length, view.top, view.height) : { first: 0, end: regions.length };

  return (
    <div class="lnb-region-list" data-region-list={object} ref={scrollerRef} onScroll={windowed ? measure : undefined}>
      <div class="lnb-panel-head">
        <span>
          Regions <span class="lnb-count">{rows.length}</span>
        </span>
        <select
          class="lnb-select lnb-small"
          aria-label="Sort regions"
          data-region-order=""
          value={order}
          onChange={(e) => setOrder((e.currentTarget as HTMLSelectElement).value as RegionOrder)}
        >
          <option value="created">by creation</option>
          <option value="label">by label</option>
        </select>
      </div>
      {regions.length === 0 ? (
        <div class="lnb-panel-empty">{empty ?? "No regions yet. Choose a label, then draw on the image."}</div>
      ) : (
        <ol
          ref={olRef}
          class={`lnb-regions-ol${windowed ? " lnb-windowed" : ""}`}
          data-rows={regions.length}
          style={windowed ? { paddingTop: `${first * ROW_PX}px`, paddingBottom: `${(regions.length - end) * ROW_PX}px` } : undefined}
        >
          {regions.slice(first, end).map((r, k) => (
            <RegionRow key={r.id} editor={editor} region={r} index={first + k} />
          ))}
        </ol>
      )}
      {shown.length > 0 && (
        <>
          <div class="lnb-panel-head">
            <span>
              Relations <span class="lnb-count">{shown.length}</span>
            </span>
          </div>
          <ul class="lnb-relations-ul">
            {shown.map((rel) => (
              <RelationRow key={relationKey(rel.from_id, rel.to_id)} editor={editor} relation={rel} names={names} />
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
