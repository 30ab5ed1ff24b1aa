// A stand-in for anywidget's model: traits with change events, custom messages both ways. Its `view` and
// `controls` traits come from a fixture (models.generated.ts): what the kernel sends for a config.

import type { Handler, WidgetModel } from "../src/protocol";
import { FIXTURES, type Fixture } from "./models.generated";

export type FixtureName = keyof typeof FIXTURES;

/** The `view` and `controls` traits the kernel sends for fixture `name` (tests/unit/widget/js_fixtures.py). */
export function traits(name: FixtureName): { view: Fixture["view"]; controls: Fixture["controls"] } {
  const { view, controls } = FIXTURES[name];
  return { view, controls };
}

export interface Sent {
  content: any;
  buffers: unknown[] | undefined;
}

export class FakeModel implements WidgetModel {
  private attrs: Record<string, unknown>;
  private listeners = new Map<string, Set<Handler>>();
  sent: Sent[] = [];
  saved = 0;

  constructor(attrs: Record<string, unknown> = {}) {
    this.attrs = { view: {}, controls: {}, task: {}, status: {}, ...attrs };
  }

  get(key: string): any {
    return this.attrs[key];
  }

  set(key: string, value: unknown): void {
    this.attrs[key] = value;
    this.emit(`change:${key}`);
  }

  on(event: string, callback: Handler): void {
    if (!this.listeners.has(event)) this.listeners.set(event, new Set());
    this.listeners.get(event)!.add(callback);
  }

  off(event?: string | null, callback?: Handler | null): void {
    if (!event) {
      this.listeners.clear();
      return;
    }
    if (!callback) this.listeners.delete(event);
    else this.listeners.get(event)?.delete(callback);
  }

  send(content: any, _callbacks?: any, buffers?: ArrayBuffer[] | ArrayBufferView[]): void {
    this.sent.push({ content, buffers });
  }

  save_changes(): void {
    this.saved += 1;
  }

  listenerCount(event: string): number {
    return this.listeners.get(event)?.size ?? 0;
  }

  /** A custom message from the kernel. */
  push(msg: unknown, buffers: unknown[] = []): void {
    for (const cb of [...(this.listeners.get("msg:custom") ?? [])]) cb(msg, buffers);
  }

  /** Answer the last sent request of this kind. */
  reply(kind: string, error?: string): any {
    const msg = [...this.sent].reverse().find((s) => s.content.kind === kind)?.content;
    if (!msg) throw new Error(`no ${kind} message was sent`);
    this.push(
      error === undefined
        ? { kind: "reply", request_id: msg.request_id, ok: true }
        : { kind: "reply", request_id: msg.request_id, ok: false, error },
    );
    return msg;
  }

  sentOf(kind: string): any[] {
    return this.sent.filter((s) => s.content.kind === kind).map((s) => s.content);
  }

  private emit(event: string): void {
    for (const cb of [...(this.listeners.get(event) ?? [])]) cb();
  }
}
