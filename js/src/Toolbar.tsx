// The bar above the task: progress, who is labelling, and Back / Skip / Submit.

import type { StatusState, TaskState } from "./protocol";

export interface ToolbarProps {
  task: TaskState;
  status: StatusState;
  busy: boolean;
  hasTask: boolean;
  onAction(kind: "submit" | "skip" | "back"): void;
}

function isMac(): boolean {
  return typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent || "");
}

export function Toolbar({ task, status, busy, hasTask, onAction }: ToolbarProps) {
  const done = typeof status.done === "number" ? status.done : null;
  const total = typeof status.total === "number" ? status.total : null;
  const pct = done !== null && total ? Math.min(100, Math.max(0, (done / total) * 100)) : 0;
  const editing = task.annotation_id !== null && task.annotation_id !== undefined;
  const reviewing = task.review?.reviewing !== undefined;
  const submitLabel = reviewing ? "Accept" : editing ? "Update" : "Submit";
  return (
    <div class="lnb-toolbar">
      <div class="lnb-status">
        {hasTask && (
          <span class="lnb-task-id" title={editing ? `Editing annotation #${task.annotation_id}` : undefined}>
            Task #{task.id}
            {editing && !reviewing && <span class="lnb-tag">editing</span>}
            {reviewing && <span class="lnb-tag">review</span>}
          </span>
        )}
        {done !== null && total !== null && (
          <span class="lnb-progress-wrap" title={`${Math.round(pct)}%`}>
            <span class="lnb-progress" data-testid="progress">
              {done} of {total} done
            </span>
            <span class="lnb-bar" aria-hidden="true">
              <span class="lnb-bar-fill" style={{ width: `${pct}%` }} />
            </span>
          </span>
        )}
        {status.user && (
          <span class="lnb-user" title={reviewing ? "Reviewing as" : "Labelling as"}>
            <svg class="lnb-user-icon" viewBox="0 0 16 16" aria-hidden="true">
              <circle cx="8" cy="5" r="3" />
              <path d="M2 15c0-3.3 2.7-5.5 6-5.5s6 2.2 6 5.5z" />
            </svg>
            <span data-testid="user">{status.user}</span>
          </span>
        )}
      </div>
      <div class="lnb-actions">
        <button
          type="button"
          class="lnb-btn"
          data-testid="back"
          disabled={busy || !task.can_back}
          onClick={() => onAction("back")}
          title="Go back to the previous task"
        >
          ← Back
        </button>
        <button
          type="button"
          class="lnb-btn"
          data-testid="skip"
          disabled={busy || !hasTask}
          onClick={() => onAction("skip")}
          title={reviewing ? "Pass this annotation over for now" : "Skip this task"}
        >
          {reviewing ? "Pass" : "Skip"}
        </button>
        <button
          type="button"
          class="lnb-btn lnb-primary"
          data-testid="submit"
          disabled={busy || !hasTask}
          onClick={() => onAction("submit")}
          title={`${submitLabel} (${isMac() ? "⌘" : "Ctrl"}+Enter)`}
        >
          {busy ? <span class="lnb-spinner lnb-on-primary" aria-hidden="true" /> : null}
          {submitLabel}
        </button>
      </div>
    </div>
  );
}
