// The regions of one image, drawn in the surface's SVG (natural px coordinates), their handles, the
// relations between them, and the preview of the gesture in progress.
//
// Each region is its own component, subscribed to its own record and to whether it is selected or hovered:
// moving one box re-renders that box. The layer itself re-renders only when regions are added or removed.

import { memo } from "preact/compat";
import { useEffect, useState } from "preact/hooks";
import type { Editor } from "../../editor";
import { regionStyle } from "../../controls/regionTools";
import { shapeUtil } from "../../controls/shapes";
import type { Handle, Pt, Size } from "../../controls/shapes/types";
import { controlSpec } from "../../schema/model";
import { regionLabels, regionPage, type AnnotationDoc } from "../../state/document";
import { sameList, useDoc, useRegion, useUi } from "./hooks";
import { usePreviewReplaces, type PreviewStore } from "./preview";

/** Ids of the drawable (non-brush) regions on this image (or on its page `itemIndex`: a valueList image, a
 * PDF page), in result order. */
export function regionIdsOn(doc: AnnotationDoc, object: string, itemIndex: number | undefined, brush = false): string[] {
  return Object.values(doc.regions)
    .filter(
      (r) =>
        r.object === object &&
        (brush ? r.kind === "brush" : r.kind !== "brush" && r.kind !== "span") &&
        (itemIndex === undefined || regionPage(r) === itemIndex),
    )
    .sort((a, b) => a.seq - b.seq)
    .map((r) => r.id);
}

interface LayerProps {
  editor: Editor;
  object: string;
  size: Size;
  scale: number;
  itemIndex: number | undefined;
  preview: PreviewStore;
}

interface ShapeProps {
  editor: Editor;
  id: string;
  size: Size;
  scale: number;
  preview: PreviewStore;
}

const RegionShape = memo(
  function RegionShape({ editor, id, size, scale, preview }: ShapeProps) {
    const region = useRegion(editor.annotation, id);
    const selected = useUi(editor.ui, (s) => s.selected.includes(id));
    const hover = useUi(editor.ui, (s) => s.hover === id);
    const replaced = usePreviewReplaces(preview, id);
    if (!region || region.hidden || replaced) return null;
    const util = shapeUtil(region.kind);
    if (!util) return null;
    const labels = regionLabels(editor.annotation.doc, id);
    const style = regionStyle(controlSpec(editor.model, region.control), labels, editor.model);
    return (
      <g
        class={`lnb-region${region.locked ? " lnb-locked" : ""}${region.origin === "prediction" ? " lnb-predicted" : ""}`}
        data-region={id}
        data-kind={region.kind}
        data-label={labels.join(",")}
      >
        {util.render({ geometry: region.geometry, size, style, scale, selected, hover })}
      </g>
    );
  },
  // only keypoints draw something of a fixed screen size; other shapes ignore zoom
  (prev, next) =>
    prev.id === next.id && prev.editor === next.editor && prev.size === next.size && (prev.scale === next.scale || !isKeypoint(next)),
);

function isKeypoint(props: ShapeProps): boolean {
  return props.editor.annotation.doc.regions[props.id]?.kind === "keypoint";
}

export function RegionLayer({ editor, object, size, scale, itemIndex, preview }: LayerProps) {
  const ids = useDoc(editor.annotation, (doc) => regionIdsOn(doc, object, itemIndex), sameList);
  return (
    <g class="lnb-region-layer">
      {ids.map((id) => (
        <RegionShape key={id} editor={editor} id={id} size={size} scale={scale} preview={preview} />
      ))}
      <RelationArrows editor={editor} object={object} size={size} scale={scale} />
      <Handles editor={editor} object={object} size={size} scale={scale} preview={preview} />
    </g>
  );
}

/** Screen px of a handle's radius. */
const HANDLE_RADIUS = 5;

function Handles({ editor, object, size, scale, preview }: Omit<LayerProps, "itemIndex">) {
  const selected = useUi(editor.ui, (s) => s.selected, sameList);
  const only = selected.length === 1 ? selected[0] : undefined;
  const region = useRegion(editor.annotation, only ?? "");
  const [previewing, setPreviewing] = useState(false);
  useEffect(() => preview.subscribe(() => setPreviewing(preview.get()?.replaces !== undefined)), [preview]);
  if (!region || region.object !== object || region.locked || region.hidden || previewing) return null;
  const util = shapeUtil(region.kind);
  if (!util) return null;
  const canRotate = controlSpec(editor.model, region.control)?.can_rotate === true;
  const handles: Handle[] = util.handles(region.geometry, size, canRotate);
  const r = HANDLE_RADIUS / scale;
  return (
    <g class="lnb-handles">
      {handles.map((h) => (
        <circle
          key={h.id}
          class={`lnb-handle lnb-handle-${h.kind}`}
          data-handle={h.id}
          data-handle-region={region.id}
          cx={h.x}
          cy={h.y}
          r={h.kind === "midpoint" ? r * 0.7 : r}
          vector-effect="non-scaling-stroke"
        />
      ))}
    </g>
  );
}

/** Relations drawn as arrows between region centres (both ends on this image). */
function RelationArrows({ editor, object, size, scale }: Omit<LayerProps, "itemIndex" | "preview">) {
  const relations = useDoc(
    editor.annotation,
    (doc) => doc.relations,
    (a, b) => a === b,
  );
  const doc = editor.annotation.doc;
  const arrows: { key: string; from: Pt; to: Pt; direction: string }[] = [];
  for (const [key, rel] of Object.entries(relations)) {
    const a = doc.regions[rel.from_id];
    const b = doc.regions[rel.to_id];
    if (!a || !b || a.object !== object || b.object !== object || a.hidden || b.hidden) continue;
    const ua = shapeUtil(a.kind);
    const ub = shapeUtil(b.kind);
    if (!ua || !ub) continue;
    arrows.push({ key, from: ua.center(a.geometry, size), to: ub.center(b.geometry, size), direction: rel.direction });
  }
  if (!arrows.length) return null;
  const head = 8 / scale;
  return (
    <g class="lnb-relations">
      {arrows.map(({ key, from, to, direction }) => (
        <g key={key} class="lnb-relation" data-relation={key}>
          <line x1={from.x} y1={from.y} x2={to.x} y2={to.y} vector-effect="non-scaling-stroke" />
          {(direction === "right" || direction === "bi") && <ArrowHead at={to} from={from} size={head} />}
          {(direction === "left" || direction === "bi") && <ArrowHead at={from} from={to} size={head} />}
        </g>
      ))}
    </g>
  );
}

function ArrowHead({ at, from, size }: { at: Pt; from: Pt; size: number }) {
  const angle = Math.atan2(at.y - from.y, at.x - from.x);
  const p = (a: number) => `${at.x - size * Math.cos(angle + a)},${at.y - size * Math.sin(angle + a)}`;
  return <polygon points={`${at.x},${at.y} ${p(0.45)} ${p(-0.45)}`} />;
}

/** The shape of the gesture in progress, and the vertices placed so far. */
export function PreviewLayer({ preview, size, scale }: { preview: PreviewStore; size: Size; scale: number }) {
  const [, set] = useState(0);
  useEffect(() => preview.subscribe(() => set((n) => n + 1)), [preview]);
  const p = preview.get();
  if (!p || p.kind === "brush") return null;
  const util = shapeUtil(p.kind);
  if (!util) return null;
  const r = 4 / scale;
  return (
    <g class="lnb-draw-preview" data-preview={p.kind}>
      {util.render({ geometry: p.geometry, size, style: p.style, scale, selected: true, hover: false })}
      {p.points?.map((pt, i) => (
        <circle key={i} class={`lnb-vertex${i === 0 ? " lnb-first" : ""}`} cx={pt.x} cy={pt.y} r={i === 0 ? r * 1.5 : r} vector-effect="non-scaling-stroke" />
      ))}
    </g>
  );
}
