// The ? overlay: every key the widget answers to, the editor's and the config's (label and choice hotkeys).

import type { Editor } from "../editor";
import { EDITOR_KEYS } from "../editorKeys";
import { hotkeyLabel } from "../hotkeys";
import { useUi } from "../objects/image/hooks";

function KeyTable({ rows, config }: { rows: readonly (readonly [string, string])[]; config?: boolean }) {
  return (
    <table class="lnb-keymap-table" data-keymap-config={config ? "" : undefined}>
      <tbody>
        {rows.map(([k, what], i) => (
          <tr key={i}>
            <td>
              <kbd class="lnb-kbd">{k}</kbd>
            </td>
            <td>{what}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function Keymap({ editor }: { editor: Editor }) {
  const open = useUi(editor.ui, (s) => s.keymap);
  if (!open) return null;
  const configKeys: [string, string][] = [];
  for (const spec of editor.model.controls) {
    if (spec.hotkey) configKeys.push([hotkeyLabel(spec.hotkey), spec.name]);
    for (const label of spec.labels ?? []) {
      if (label.hotkey) configKeys.push([hotkeyLabel(label.hotkey), `${spec.name}: ${label.value ?? label.label ?? ""}`]);
    }
  }
  return (
    <div class="lnb-keymap" role="dialog" aria-label="Keyboard shortcuts" data-keymap="">
      <div class="lnb-panel-head">
        <span>Keyboard shortcuts</span>
        <button type="button" class="lnb-icon-btn" aria-label="Close" onClick={() => editor.ui.update({ keymap: false })}>
          ×
        </button>
      </div>
      <div class="lnb-keymap-cols">
        <KeyTable rows={EDITOR_KEYS} />
        {configKeys.length > 0 && <KeyTable rows={configKeys} config />}
      </div>
    </div>
  );
}
