// The region controls' bar: a `*Labels` control shows its labels as chips (colour, text, hotkey); choosing
// one arms its tool, and with regions selected it relabels them instead. A bare tool (Rectangle, Polygon,
// ...) shows one button. What a chip looks like and which key it answers to come from the control model.

import type { Editor } from "../editor";
import { filterFor, passesFilter } from "../schema/filter";
import { hotkeyLabel, matchesAny, parseHotkey } from "../hotkeys";
import type { ControlSpec, LabelSpec } from "../schema/model";
import { useUi } from "../objects/image/hooks";
import { controlSpec } from "../schema/model";
import { isImageLabels, isTextLabels, regionControlsOf, regionTool, type RegionToolDef } from "./regionTools";

const TOOL_NAMES: Record<string, string> = {
  rectangle: "Rectangle",
  polygon: "Polygon",
  ellipse: "Ellipse",
  keypoint: "Key point",
  brush: "Brush",
  vector: "Polyline",
};

/**
 * Choose a label of an image <Labels> (labels for the bare tools' regions): with such regions selected it
 * relabels them, else it becomes the label of the next region (and arms the image's first bare tool when
 * no tool is active).
 */
export function chooseImageLabel(editor: Editor, spec: ControlSpec, label: LabelSpec): void {
  const value = label.label ?? label.value ?? "";
  if (editor.relabelGeneric(spec.name, value, spec.choice === "multiple")) return;
  const ui = editor.ui.state;
  editor.ui.update({ notice: null });
  if (ui.label?.control === spec.name && ui.label.value === value) {
    editor.ui.update({ label: null });
    return;
  }
  const bare = spec.to_name.flatMap((o) => regionControlsOf(editor.model, o)).filter((c) => !c.labelled);
  const armed = bare.some((c) => c.name === ui.tool);
  editor.ui.update({ label: { control: spec.name, value }, ...(armed || !bare[0] ? {} : { tool: bare[0].name }) });
}

/**
 * Choose a label of a text <Labels>: with text selected and not yet labelled (by the keyboard, or by the
 * mouse with no label chosen) it makes that selection a span with this label; else, with its spans
 * selected, it relabels them; else it is the label the next selection of the text becomes a span with
 * (choosing it again puts it down).
 */
export function chooseTextLabel(editor: Editor, spec: ControlSpec, label: LabelSpec): void {
  const value = label.label ?? label.value ?? "";
  if (editor.labelTextSelection(spec.name, value)) return;
  if (editor.relabelSelected(spec.name, value, spec.choice === "multiple")) return;
  const ui = editor.ui.state;
  const active = ui.label?.control === spec.name && ui.label.value === value;
  editor.ui.update({ label: active ? null : { control: spec.name, value }, tool: null, notice: null });
}

/** Choose a label of a generic <Labels>: on images for the bare tools, on text for spans. */
/** What a click on a chip of `spec` does with `label` (a <Filter>'s Enter does the same). */
export function pickLabel(editor: Editor, spec: ControlSpec, label: LabelSpec): void {
  const def = regionTool(spec.tag);
  if (def) chooseLabel(editor, spec, def, label);
  else chooseGenericLabel(editor, spec, label);
}

function chooseGenericLabel(editor: Editor, spec: ControlSpec, label: LabelSpec): void {
  if (isTextLabels(editor.model, spec)) chooseTextLabel(editor, spec, label);
  else chooseImageLabel(editor, spec, label);
}

/** Choose `label` of `spec` (or, without a label, the bare tool). */
export function chooseLabel(editor: Editor, spec: ControlSpec, def: RegionToolDef, label: LabelSpec | null): void {
  const value = label?.label ?? label?.value ?? null;
  if (value !== null && editor.relabelSelected(spec.name, value, spec.choice === "multiple")) return;
  const ui = editor.ui.state;
  const generic = value === null && ui.label !== null && isImageLabels(editor.model, controlSpec(editor.model, ui.label.control) ?? spec);
  const active = ui.tool === spec.name && (value === null ? ui.label === null || generic : ui.label?.control === spec.name && ui.label.value === value);
  editor.cancelGesture();
  editor.ui.update({ notice: null });
  if (active) editor.ui.update({ tool: null, label: null });
  // a bare tool keeps the image <Labels> label chosen for it
  else editor.ui.update({ tool: spec.name, label: value !== null ? { control: spec.name, value } : generic ? ui.label : null });
  void def;
}

/** Run the label hotkey of any region control; true when a key matched. */
export function regionHotkey(editor: Editor, e: KeyboardEvent): boolean {
  for (const spec of editor.model.controls) {
    if (isImageLabels(editor.model, spec) || isTextLabels(editor.model, spec)) {
      const label = (spec.labels ?? []).find((l) => l.hotkey && matchesAny(e, parseHotkey(l.hotkey)));
      if (label) {
        chooseGenericLabel(editor, spec, label);
        return true;
      }
      continue;
    }
    const def = regionTool(spec.tag);
    if (!def) continue;
    for (const label of spec.labels ?? []) {
      if (!label.hotkey || !matchesAny(e, parseHotkey(label.hotkey))) continue;
      chooseLabel(editor, spec, def, label);
      return true;
    }
    if (!def.labelled && spec.hotkey && matchesAny(e, parseHotkey(spec.hotkey))) {
      chooseLabel(editor, spec, def, null);
      return true;
    }
  }
  return false;
}

function Chip({ editor, spec, def, label }: { editor: Editor; spec: ControlSpec; def: RegionToolDef | null; label: LabelSpec }) {
  const value = label.label ?? label.value ?? "";
  const active = useUi(editor.ui, (s) => (def === null || s.tool === spec.name) && s.label?.control === spec.name && s.label.value === value);
  const shown = useUi(editor.ui, (s) => passesFilter(filterFor(editor.model, spec.name), s.filters[spec.name] ?? "", label.value ?? value));
  if (!shown) return null;
  const color = label.color ?? "#888";
  const hint = hotkeyLabel(label.hotkey);
  return (
    <button
      type="button"
      class={`lnb-label-chip${active ? " lnb-active" : ""}`}
      data-label-control={spec.name}
      data-label={value}
      aria-pressed={active}
      title={label.hint ?? undefined}
      style={{ "--lnb-label-color": color }}
      onClick={() => (def ? chooseLabel(editor, spec, def, label) : chooseGenericLabel(editor, spec, label))}
    >
      <span class="lnb-swatch" aria-hidden="true" />
      <span class="lnb-label-text">{label.value ?? value}</span>
      {label.show_alias && label.alias && <span class="lnb-label-alias">{label.alias}</span>}
      {hint && <kbd class="lnb-kbd lnb-hint">{hint}</kbd>}
    </button>
  );
}

function ToolButton({ editor, spec, def }: { editor: Editor; spec: ControlSpec; def: RegionToolDef }) {
  const active = useUi(editor.ui, (s) => s.tool === spec.name);
  const hint = hotkeyLabel(spec.hotkey);
  return (
    <button
      type="button"
      class={`lnb-label-chip lnb-tool${active ? " lnb-active" : ""}`}
      data-tool={spec.name}
      aria-pressed={active}
      onClick={() => chooseLabel(editor, spec, def, null)}
    >
      <span class="lnb-label-text">{TOOL_NAMES[def.kind] ?? def.kind}</span>
      {hint && <kbd class="lnb-kbd lnb-hint">{hint}</kbd>}
    </button>
  );
}

/** The brush size and eraser, shown by the brush control whose tool is active (one set per widget). */
function BrushSettingsFor({ editor, control }: { editor: Editor; control: string }) {
  const active = useUi(editor.ui, (s) => s.tool === control);
  return active ? <BrushSettingsBar editor={editor} /> : null;
}

function BrushSettingsBar({ editor }: { editor: Editor }) {
  const brush = useUi(editor.ui, (s) => s.brush);
  return (
    <span class="lnb-brush-settings">
      <label class="lnb-brush-size">
        Size
        <input
          type="range"
          min={1}
          max={100}
          value={brush.size}
          data-brush-size=""
          onInput={(e) => editor.ui.update({ brush: { ...brush, size: Number((e.currentTarget as HTMLInputElement).value) } })}
        />
      </label>
      <button
        type="button"
        class={`lnb-btn lnb-small${brush.erase ? " lnb-active" : ""}`}
        data-eraser=""
        aria-pressed={brush.erase}
        onClick={() => editor.ui.update({ brush: { ...brush, erase: !brush.erase } })}
      >
        Eraser
      </button>
    </span>
  );
}

function Notice({ editor, control }: { editor: Editor; control: string }) {
  const notice = useUi(editor.ui, (s) => (s.notice?.control === control ? s.notice.text : null));
  if (notice === null) return null;
  return (
    <span class="lnb-notice" role="status" data-notice={control}>
      {notice}
    </span>
  );
}

/** One region control: its chips (or tool button), and the brush settings for brush controls. */
export function RegionControlBar({ editor, spec }: { editor: Editor; spec: ControlSpec }) {
  const def = regionTool(spec.tag);
  if (!def) {
    if (!isImageLabels(editor.model, spec) && !isTextLabels(editor.model, spec)) return null;
    return (
      <div class={`lnb-labels${spec.show_inline === false ? " lnb-stacked" : ""}`} data-region-control={spec.name} role="group" aria-label={spec.name}>
        {(spec.labels ?? []).map((label, i) => (
          <Chip key={i} editor={editor} spec={spec} def={null} label={label} />
        ))}
        <Notice editor={editor} control={spec.name} />
      </div>
    );
  }
  return (
    <div class={`lnb-labels${spec.show_inline === false ? " lnb-stacked" : ""}`} data-region-control={spec.name} role="group" aria-label={spec.name}>
      {def.labelled ? (
        (spec.labels ?? []).map((label, i) => <Chip key={i} editor={editor} spec={spec} def={def} label={label} />)
      ) : (
        <ToolButton editor={editor} spec={spec} def={def} />
      )}
      {def.kind === "brush" && <BrushSettingsFor editor={editor} control={spec.name} />}
      <Notice editor={editor} control={spec.name} />
    </div>
  );
}
