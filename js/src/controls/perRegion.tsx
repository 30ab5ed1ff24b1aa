// A perRegion control (Choices, TextArea, Rating, Number with perRegion="true"): shown while one region of
// its object is selected, and writing an item that shares that region's id and repeats its geometry
// (reference B.3). With whenLabelValue it shows only for regions carrying one of those labels.

import type { FunctionComponent } from "preact";
import type { Editor } from "../editor";
import { useDoc, useUi } from "../objects/image/hooks";
import type { ControlSpec } from "../schema/model";
import { regionLabels } from "../state/document";
import type { ControlRef } from "../state/results";
import type { ControlProps } from "./types";
import type { ViewNode } from "../protocol";

/** The region a perRegion control is shown for now, or null. */
export function perRegionTarget(editor: Editor, spec: ControlSpec, selected: readonly string[]): string | null {
  if (selected.length !== 1) return null;
  const doc = editor.annotation.doc;
  const region = doc.regions[selected[0] as string];
  if (!region || !spec.to_name.includes(region.object)) return null;
  const wanted = spec.per_region_label_value;
  if (wanted) {
    const labels = regionLabels(doc, region.id);
    if (!wanted.split(",").some((v) => labels.includes(v))) return null;
  }
  return region.id;
}

export interface PerRegionProps {
  editor: Editor;
  node: ViewNode;
  control: ControlRef;
  spec: ControlSpec;
  Comp: FunctionComponent<ControlProps>;
  problem: string | undefined;
}

export function PerRegion({ editor, node, control, spec, Comp, problem }: PerRegionProps) {
  const selected = useUi(editor.ui, (s) => s.selected, (a, b) => a.length === b.length && a.every((x, i) => x === b[i]));
  // relabelling the selected region can show or hide a control with whenLabelValue
  const target = useDoc(editor.annotation, () => perRegionTarget(editor, spec, selected), Object.is);
  if (target === null) return null;
  const bound: ControlRef = { ...control, region: target };
  return (
    <div
      class={`lnb-control lnb-control-${control.type} lnb-per-region${problem ? " lnb-invalid" : ""}`}
      data-control={control.name}
      data-region-for={target}
      data-tag={node.tag}
    >
      <Comp key={target} node={node} control={bound} spec={spec} />
      {problem && <div class="lnb-problem">{problem}</div>}
    </div>
  );
}
