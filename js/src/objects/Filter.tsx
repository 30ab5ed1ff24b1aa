// <Filter name toName minlength placeholder>: a box whose text narrows the labels or choices of `toName`
// (schema/filter.ts). Enter picks the first item still shown, as a click on it would, and clears the box
// (Label Studio's selectFirstElement with `cleanup`).

import { attr } from "../config";
import { useLabel } from "../context";
import { toggleChoice } from "../controls/choices";
import { pickLabel } from "../controls/labels";
import { useUi } from "./image/hooks";
import type { ViewNode } from "../protocol";
import { choiceSpecs } from "../schema/choices";
import { filterFor, passesFilter } from "../schema/filter";
import { controlSpec } from "../schema/model";

export function Filter({ node }: { node: ViewNode }) {
  const { editor, annotation } = useLabel();
  const target = (attr(node, "toName") ?? "").split(",")[0]?.trim() ?? "";
  const spec = controlSpec(editor.model, target);
  const filter = filterFor(editor.model, target);
  const text = useUi(editor.ui, (s) => s.filters[target] ?? "");
  if (!spec || !filter || !(spec.tag === "Choices" || /Labels$/.test(spec.tag))) return null;
  const set = (value: string) => editor.ui.update({ filters: { ...editor.ui.state.filters, [target]: value } });

  const pickFirst = () => {
    if (spec.tag === "Choices") {
      const first = choiceSpecs(spec).find((c) => passesFilter(filter, text, c.value));
      if (!first) return;
      toggleChoice(annotation, spec, { name: spec.name, toName: spec.to_name.join(","), type: "choices" }, first);
    } else {
      const first = (spec.labels ?? []).find((l) => passesFilter(filter, text, l.value ?? l.label ?? ""));
      if (!first) return;
      pickLabel(editor, spec, first);
    }
    set("");
  };

  return (
    <input
      class="lnb-input lnb-filter"
      type="search"
      data-filter={target}
      aria-label={`Filter ${target}`}
      placeholder={filter.placeholder || "Quick Filter"}
      value={text}
      onInput={(e) => set((e.currentTarget as HTMLInputElement).value)}
      onKeyDown={(e) => {
        e.stopPropagation(); // typed letters are not hotkeys
        if (e.key === "Enter") {
          e.preventDefault();
          pickFirst();
        } else if (e.key === "Escape" && text) {
          e.preventDefault();
          set("");
        }
      }}
    />
  );
}
