// The ? overlay: every key the widget answers to, the editor's and the config's (label and choice hotkeys).

import type { Editor } from "../editor";
import { EDITOR_KEYS } from "../editorKeys";
import { hotkeyLabel } from "../hotkeys";
import { useUi } from "../objects/image/hooks";

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
        <table class="lnb-keymap-table">
          <tbody>
            {EDITOR_KEYS.map(([k, what]) => (
              <tr key={k}>
                <td>
                  <kbd class="lnb-kbd">{k}</kbd>
                </td>
                <td>{what}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {configKeys.length > 0 && (
          <table class="lnb-keymap-table" data-keymap-config="">
            <tbody>
              {configKeys.map(([k, what], i) => (
                <tr key={i}>
                  <td>
                    <kbd class="lnb-kbd">{k}</kbd>
                  </td>
                  <td>{what}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </div>
  );
}
