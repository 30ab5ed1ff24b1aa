// Renders one config node: an object tag, a control, or a note for a tag this version does not know.
// Every tag renders inside an error boundary, so a broken tag shows a note instead of breaking the widget.

import { Component, type ComponentChildren } from "preact";
import { attr } from "./config";
import { useLabel } from "./context";
import { controlDef } from "./controls";
import { RegionControlBar } from "./controls/labels";
import { pairwiseOf, PairwiseSide } from "./controls/pairwise";
import { PerRegion } from "./controls/perRegion";
import { isImageLabels, isTextLabels, regionTool } from "./controls/regionTools";
import { controlSpec } from "./schema/model";
import { IGNORED, objectComponent } from "./objects";
import { Unsupported } from "./objects/Unsupported";
import type { ViewNode } from "./protocol";
import { controlRef, isPerRegion, nodeSpec, nodeVisible } from "./state/analysis";

interface BoundaryProps {
  tag: string;
  children?: ComponentChildren;
}

class Boundary extends Component<BoundaryProps, { error: string | null }> {
  override state = { error: null as string | null };

  static override getDerivedStateFromError(err: unknown): { error: string } {
    return { error: err instanceof Error ? err.message : String(err) };
  }

  override componentDidCatch(err: unknown): void {
    console.error(`labelnb: <${this.props.tag}> failed to render`, err);
  }

  override render() {
    if (this.state.error !== null) {
      return <Unsupported tag={this.props.tag} detail={`could not be shown: ${this.state.error}`} />;
    }
    return <>{this.props.children}</>;
  }
}

export function NodeView({ node }: { node: ViewNode }) {
  const ctx = useLabel();
  const tag = typeof node.tag === "string" ? node.tag : "";
  if (!nodeVisible(node, ctx.selection)) return null;
  if (IGNORED.has(tag)) return null;

  const Obj = objectComponent(tag);
  if (Obj) {
    // an object a <Pairwise> compares is picked by a click on it
    const pair = pairwiseOf(ctx.editor.model, attr(node, "name") ?? "");
    const shown = (
      <Boundary tag={tag}>
        <Obj node={node} />
      </Boundary>
    );
    return pair ? (
      <PairwiseSide spec={pair.spec} side={pair.side}>
        {shown}
      </PairwiseSide>
    ) : (
      shown
    );
  }

  // a generic <Labels> on an image labels the bare tools' regions: it is a label bar like theirs
  const labelsSpec = tag === "Labels" || tag === "ParagraphLabels" || tag === "HyperTextLabels" ? controlSpec(ctx.editor.model, attr(node, "name") ?? "") : undefined;
  const generic = labelsSpec !== undefined && (isImageLabels(ctx.editor.model, labelsSpec) || isTextLabels(ctx.editor.model, labelsSpec));
  if (regionTool(tag) || generic) {
    const spec = controlSpec(ctx.editor.model, attr(node, "name") ?? "");
    if (!spec) return <Unsupported tag={tag} detail="has no name, so it cannot be used" />;
    return (
      <div class="lnb-control lnb-control-regions" data-control={spec.name} data-tag={tag}>
        <Boundary tag={tag}>
          <RegionControlBar editor={ctx.editor} spec={spec} />
        </Boundary>
      </div>
    );
  }
  // relations are made and listed in the region list
  if (tag === "Relations") return null;

  const def = controlDef(tag);
  if (def) {
    const control = controlRef(node, def);
    if (!control) return <Unsupported tag={tag} detail="has no name, so it cannot be used" />;
    const spec = nodeSpec(ctx.model, node);
    if (!spec) return <Unsupported tag={tag} detail="is missing from the control model the kernel sent" />;
    const problem = ctx.invalid.get(control.name);
    const Comp = def.Component;
    if (isPerRegion(spec)) {
      return (
        <Boundary tag={tag}>
          <PerRegion editor={ctx.editor} node={node} control={control} spec={spec} Comp={Comp} problem={problem} />
        </Boundary>
      );
    }
    return (
      <div
        class={`lnb-control lnb-control-${def.type}${problem ? " lnb-invalid" : ""}`}
        data-control={control.name}
        data-tag={tag}
        data-invalid={problem ? "true" : undefined}
        data-required={spec.required ? "true" : undefined}
      >
        <Boundary tag={tag}>
          <Comp node={node} control={control} spec={spec} />
        </Boundary>
        {problem && <div class="lnb-problem">{problem}</div>}
      </div>
    );
  }
  return <Unsupported tag={tag} />;
}
