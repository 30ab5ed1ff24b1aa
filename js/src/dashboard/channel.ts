// The dashboard's one request: `refresh`. The kernel answers each with a reply carrying its request_id.

import { randomId, type WidgetModel } from "../protocol";
import type { DashboardReply, RefreshMessage } from "./types";

export const REFRESH_TIMEOUT_MS = 120_000;

function isReply(content: unknown): content is DashboardReply {
  const c = content as Partial<DashboardReply> | null;
  return typeof c === "object" && c !== null && c.kind === "reply" && typeof c.request_id === "string";
}

export class RefreshChannel {
  private pending = new Map<string, { resolve: (r: DashboardReply) => void; timer: ReturnType<typeof setTimeout> }>();

  constructor(
    private readonly model: WidgetModel,
    private readonly timeoutMs = REFRESH_TIMEOUT_MS,
  ) {
    this.model.on("msg:custom", this.onMessage);
  }

  /** Ask the kernel for a new summary; resolves with its reply (a timeout is an error reply). */
  refresh(): Promise<DashboardReply> {
    const request_id = randomId(16);
    const message: RefreshMessage = { kind: "refresh", request_id };
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(request_id);
        resolve({ kind: "reply", request_id, ok: false, error: "The kernel did not answer (is it busy or stopped?)" });
      }, this.timeoutMs);
      this.pending.set(request_id, { resolve, timer });
      this.model.send(message);
    });
  }

  dispose(): void {
    this.model.off("msg:custom", this.onMessage);
    for (const { timer } of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
  }

  private readonly onMessage = (content: unknown): void => {
    if (!isReply(content)) return;
    const waiting = this.pending.get(content.request_id);
    if (!waiting) return;
    clearTimeout(waiting.timer);
    this.pending.delete(content.request_id);
    waiting.resolve(content);
  };
}
