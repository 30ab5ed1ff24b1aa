// <Choices>: classification with one or many choices. Result: {type: "choices", value: {choices: [...]}},
// where each entry is the Choice's alias if it has one, else its value.
// Its choices, mode and layout come from the control's analysed spec (schema/choices.ts reads them); the
// default in state/rules.ts.

import { useMemo, useState } from "preact/hooks";
import { useUi } from "../objects/image/hooks";
import { filterFor, passesFilter } from "../schema/filter";
import { useControlItem, useLabel } from "../context";
import { hotkeyLabel } from "../hotkeys";
import { innerHtml } from "../sanitize";
import { choiceLayout, choiceMode, choiceSpecs, type ChoiceMode, type ChoiceSpec } from "../schema/choices";
import type { ControlSpec } from "../schema/model";
import { choiceTree, pickedKeys, pickState, toggleNested, type ChoiceNode } from "../schema/nestedChoices";
import { choicesValue, readChoicePaths, readChoices, type ControlRef } from "../state/results";
import { ChoicesRules } from "../state/rules";
import type { Annotation } from "../state/annotation";
import type { ControlDef, ControlProps } from "./types";

/** The labels after clicking (or pressing the hotkey of) `spec`, kept in config order. */
export function toggledLabels(specs: ChoiceSpec[], mode: ChoiceMode, current: string[], spec: ChoiceSpec): string[] {
  const isOn = current.includes(spec.label);
  if (mode !== "multiple") {
    if (isOn) return mode === "single-radio" ? current : [];
    return [spec.label];
  }
  const next = new Set(current);
  if (isOn) next.delete(spec.label);
  else next.add(spec.label);
  const known = specs.map((s) => s.label).filter((l) => next.has(l));
  // labels from a stored annotation that the config no longer lists stay, after the known ones
  const unknown = current.filter((l) => next.has(l) && !specs.some((s) => s.label === l));
  return [...new Set([...known, ...unknown])];
}

export function toggleChoice(annotation: Annotation, model: ControlSpec, control: ControlRef, spec: ChoiceSpec): void {
  const specs = choiceSpecs(model);
  const current = readChoices(annotation.find(control.name, control.type, control.region));
  annotation.set(control, choicesValue(toggledLabels(specs, choiceMode(model), current, spec)));
}

function ChoiceText({ spec }: { spec: ChoiceSpec }) {
  // html comes from the config or the task data (dynamic choices): the one sanitiser profile, never raw
  const html = useMemo(() => (spec.html ? innerHtml(spec.html) : null), [spec.html]);
  if (html) return <span class="lnb-choice-text" dangerouslySetInnerHTML={html} />;
  return <span class="lnb-choice-text">{spec.value}</span>;
}

/** allowNested: the nested choices as a tree; a branch picks everything under it (schema/nestedChoices.ts). */
function NestedChoices({ control, spec: model }: ControlProps) {
  const { annotation } = useLabel();
  const tree = useMemo(() => choiceTree(model), [model]);
  const specs = model.labels ?? [];
  const mode = choiceMode(model);
  const stored = readChoicePaths(useControlItem(control));
  const picked = pickedKeys(stored);
  const [closed, setClosed] = useState<ReadonlySet<string>>(new Set());
  const multiple = mode === "multiple";
  const row = (node: ChoiceNode, depth: number) => {
    const k = node.path.join("\u0000");
    const state = pickState(node, picked);
    const label = specs[node.index];
    const isClosed = closed.has(k);
    return (
      <div key={k} class="lnb-nested-choice" data-path={node.path.join("/")}>
        <div class="lnb-nested-row" style={{ paddingLeft: `${depth * 18}px` }}>
          <button
            type="button"
            class={`lnb-choice${state === "on" ? " lnb-on" : ""}${state === "some" ? " lnb-some" : ""}${multiple ? " lnb-multi" : ""}`}
            role={multiple ? "checkbox" : "radio"}
            aria-checked={state === "on" ? true : state === "some" ? "mixed" : false}
            data-choice={node.text}
            data-selected={state === "on" ? "true" : "false"}
            title={label?.hint ?? undefined}
            onClick={() => annotation.set(control, nestedValue(toggleNested(tree, mode, stored, node)))}
          >
            <span class="lnb-mark" aria-hidden="true" />
            <span class="lnb-choice-text">{node.text}</span>
          </button>
          {node.children.length > 0 && (
            <button
              type="button"
              class="lnb-icon-btn"
              data-action="expand"
              aria-expanded={!isClosed}
              aria-label={`${isClosed ? "Open" : "Close"} ${node.text}`}
              onClick={() => {
                const next = new Set(closed);
                if (isClosed) next.delete(k);
                else next.add(k);
                setClosed(next);
              }}
            >
              {isClosed ? "▸" : "▾"}
            </button>
          )}
        </div>
        {!isClosed && node.children.map((c) => row(c, depth + 1))}
      </div>
    );
  };
  return (
    <div class="lnb-choices lnb-nested" role={multiple ? "group" : "radiogroup"} aria-label={control.name}>
      {tree.map((n) => row(n, 0))}
    </div>
  );
}

/** {choices: paths} or nothing. */
function nestedValue(paths: string[][]) {
  return paths.length ? { choices: paths } : null;
}

// called, not mounted: allowNested never changes for a control, and the control stays one component
function ChoicesControl(props: ControlProps) {
  return props.spec.allow_nested === true ? NestedChoices(props) : FlatChoices(props);
}

function FlatChoices({ control, spec: model }: ControlProps) {
  const { annotation, editor } = useLabel();
  const filter = filterFor(editor.model, control.name);
  const filterText = useUi(editor.ui, (s) => s.filters[control.name] ?? "");
  const specs = useMemo(() => choiceSpecs(model), [model]);
  const mode = choiceMode(model);
  const layout = choiceLayout(model);
  const current = readChoices(useControlItem(control));

  if (layout === "select") {
    const onChange = (e: Event) => {
      const select = e.currentTarget as HTMLSelectElement;
      const picked = Array.from(select.selectedOptions)
        .map((o) => specs[Number(o.value)]?.label)
        .filter((l): l is string => l !== undefined);
      annotation.set(control, choicesValue(mode === "multiple" ? picked : picked.slice(0, 1)));
    };
    const selectedIndex = specs.findIndex((s) => current.includes(s.label));
    return (
      <select
        class="lnb-select"
        multiple={mode === "multiple"}
        size={mode === "multiple" ? Math.min(Math.max(specs.length, 2), 8) : undefined}
        onChange={onChange}
        value={mode === "multiple" ? undefined : selectedIndex >= 0 ? String(selectedIndex) : ""}
        aria-label={control.name}
      >
        {mode !== "multiple" && <option value="">—</option>}
        {specs.map((s, i) => (
          <option key={i} value={String(i)} data-choice={s.value} selected={current.includes(s.label)} title={s.hint}>
            {s.value}
            {s.hotkeyText ? ` [${hotkeyLabel(s.hotkeyText)}]` : ""}
          </option>
        ))}
      </select>
    );
  }

  const multiple = mode === "multiple";
  return (
    <div class={`lnb-choices lnb-${layout}`} role={multiple ? "group" : "radiogroup"} aria-label={control.name}>
      {specs.map((spec, i) => {
        if (!passesFilter(filter, filterText, spec.value)) return null;
        const on = current.includes(spec.label);
        return (
          <button
            key={i}
            type="button"
            class={`lnb-choice${on ? " lnb-on" : ""}${multiple ? " lnb-multi" : ""}`}
            role={multiple ? "checkbox" : "radio"}
            aria-checked={on}
            data-choice={spec.value}
            data-selected={on ? "true" : "false"}
            title={spec.hint}
            style={spec.style}
            onClick={() => toggleChoice(annotation, model, control, spec)}
          >
            <span class="lnb-mark" aria-hidden="true" />
            <ChoiceText spec={spec} />
            {spec.hotkeyText && <kbd class="lnb-kbd">{hotkeyLabel(spec.hotkeyText)}</kbd>}
          </button>
        );
      })}
    </div>
  );
}

export const Choices: ControlDef = {
  ...ChoicesRules,
  Component: ChoicesControl,
  hotkeys(model, control) {
    return choiceSpecs(model)
      .filter((spec) => spec.hotkeys.length > 0)
      .map((spec) => ({
        hotkeys: spec.hotkeys,
        run: ({ annotation }) => toggleChoice(annotation, model, control, spec),
      }));
  },
};
