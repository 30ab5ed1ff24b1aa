// <TextArea>: free text. Result: {type: "textarea", value: {text: [entry]}}.
// This version keeps one entry: the field's content. Enter hands the keyboard back to the widget (so
// hotkeys work again), Shift+Enter makes a new line, Ctrl/Cmd+Enter submits the task. Rows, placeholder and
// label come from the control's analysed spec (rows: 1 by default, as in Label Studio).

import { useEffect, useState } from "preact/hooks";
import { useControlItem, useLabel } from "../context";
import { textareaRows } from "../schema/textarea";
import { readText, textareaValue } from "../state/results";
import { TextAreaRules } from "../state/rules";
import type { ControlDef, ControlProps } from "./types";

function TextAreaControl({ control, spec }: ControlProps) {
  const { annotation, focusRoot } = useLabel();
  const stored = readText(useControlItem(control));
  const [text, setText] = useState(stored);

  // Follow the annotation when it changes from outside (undo). Compare with it as it is *now*: this
  // effect may run late, after more keys were typed, and must not put an older text back.
  useEffect(() => {
    const current = readText(annotation.find(control.name, control.type, control.region));
    setText((local) => (local === current || (current === "" && local.trim() === "") ? local : current));
  }, [stored]);

  const rows = textareaRows(spec);
  return (
    <textarea
      class="lnb-textarea"
      rows={rows}
      value={text}
      placeholder={spec.placeholder ?? ""}
      aria-label={spec.label || control.name}
      title="Enter: done · Shift+Enter: new line · Ctrl+Enter: submit"
      onInput={(e) => {
        const value = (e.currentTarget as HTMLTextAreaElement).value;
        setText(value);
        annotation.set(control, textareaValue(value), { coalesce: true });
      }}
      onKeyDown={(e) => {
        if (e.key === "Enter" && !e.shiftKey && !e.ctrlKey && !e.metaKey && !e.altKey && !e.isComposing) {
          e.preventDefault();
          focusRoot();
        }
      }}
    />
  );
}

export const TextArea: ControlDef = {
  ...TextAreaRules,
  Component: TextAreaControl,
};
