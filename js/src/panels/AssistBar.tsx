// The auto-annotate bar (shown when the widget has an assistant and the config a smart tool): the toggle,
// what a click does, how many clicks the object has, and a spinner while the assistant works.

import { useEffect, useState } from "preact/hooks";
import type { AssistController } from "../assist";

export function AssistBar({ assist, onDone }: { assist: AssistController; onDone(): void }) {
  const [state, setState] = useState(assist.state);
  useEffect(() => assist.subscribe(setState), [assist]);
  const clicks = state.series?.items.length ?? 0;
  return (
    <div class={`lnb-assist-bar${state.enabled ? " lnb-on" : ""}`} data-testid="assist-bar">
      <button
        type="button"
        class={`lnb-btn lnb-small lnb-assist-toggle${state.enabled ? " lnb-active" : ""}`}
        data-testid="assist-toggle"
        aria-pressed={state.enabled}
        title="Send clicks and boxes of smart tools to the assistant"
        onClick={() => assist.setEnabled(!state.enabled)}
      >
        <span class="lnb-assist-icon" aria-hidden="true">
          ✦
        </span>{" "}
        Auto-annotate {state.enabled ? "on" : "off"}
      </button>
      {state.enabled && (
        <span class="lnb-assist-hint">
          Click an object (or select text) to ask · <kbd class="lnb-kbd">Alt</kbd>+click leaves a part out · <kbd class="lnb-kbd">Esc</kbd> next object
        </span>
      )}
      {clicks > 0 && (
        <span class="lnb-assist-count" data-testid="assist-count">
          {clicks} {clicks === 1 ? "click" : "clicks"}
          <button
            type="button"
            class="lnb-btn lnb-small"
            data-testid="assist-done"
            onClick={() => {
              assist.end();
              onDone();
            }}
          >
            Done
          </button>
        </span>
      )}
      {state.pending > 0 && (
        <span class="lnb-assist-busy" data-testid="assist-busy" role="status">
          <span class="lnb-spinner" aria-hidden="true" /> Asking the assistant…
        </span>
      )}
    </div>
  );
}
