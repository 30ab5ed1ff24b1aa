// Auto-annotate, the widget side: the toggle, the series of smart clicks, the requests to the kernel's
// assistant and their answers (state/assist.ts puts them into the document).
//
// A request goes out at every click; the UI never waits for it. An answer is put in only if it is the
// answer to the newest request of the series still going on the same task: an older one (a newer click
// is on its way), one for a series ended with Escape, or one for a task no longer on screen is dropped.

import type { RegionControl } from "./controls/regionTools";
import { EMPTY_MODEL, type ControlModel, type ControlSpec } from "./schema/model";
import { MAX_ASSIST_ITEMS, type ReplyMessage, type ResultItem } from "./protocol";
import type { Annotation } from "./state/annotation";
import { applyAnswer, extendSeries, smartItem, type AssistSeries, type SmartDraw } from "./state/assist";

/** The region kinds whose drawn items go to the assistant (Label Studio's smart key point and box). */
export const SMART_KINDS: ReadonlySet<string> = new Set(["keypoint", "rectangle"]);
const SMART_TAGS: ReadonlySet<string> = new Set(["KeyPointLabels", "KeyPoint", "RectangleLabels", "Rectangle"]);

export interface AssistState {
  /** the auto-annotate toggle */
  enabled: boolean;
  series: AssistSeries | null;
  /** requests sent and not answered yet */
  pending: number;
}

export interface AssistDeps {
  annotation: Annotation;
  /** send the series' items for the task on screen; resolves with the kernel's reply */
  ask(taskId: number, context: ResultItem[]): Promise<ReplyMessage>;
  /** the task on screen */
  taskId(): number | null;
  /** show an error in the widget's banner */
  onError(message: string): void;
  newId(): string;
}

/** A control drawing with a smart tool: `smart` (Label Studio's default, true) or `smartOnly`. */
export function isSmartControl(spec: { tag?: string; smart?: boolean; smart_only?: boolean }): boolean {
  return SMART_TAGS.has(spec.tag ?? "") && (spec.smart !== false || spec.smart_only === true);
}

/** A `<Labels>` on texts whose selections can go to the assistant (`smart`, Label Studio's default, or `smartOnly`). */
export function isSmartText(model: ControlModel, spec: ControlSpec): boolean {
  const onText = spec.tag === "Labels" && spec.to_name.length > 0 && spec.to_name.every((n) => model.objects.some((o) => o.name === n && o.tag === "Text"));
  return onText && (spec.smart !== false || spec.smart_only === true);
}

/** True when the config has a control whose drawings or selections can go to the assistant. */
export function hasSmartControl(model: ControlModel): boolean {
  return model.controls.some((c) => isSmartControl(c) || isSmartText(model, c));
}

export class AssistController {
  private _state: AssistState = { enabled: false, series: null, pending: 0 };
  private listeners = new Set<(state: AssistState) => void>();
  /** the newest request: its number, and the series and task it was made for */
  private latest = { seq: 0, task: null as number | null };
  /** bumped when the series ends or the task changes: answers to earlier requests are dropped */
  private epoch = 0;
  /** requests sent and not answered (their numbers) */
  private inflight = new Set<number>();

  constructor(
    private readonly deps: AssistDeps,
    /** the control model of the task on screen */
    private readonly model: () => ControlModel = () => EMPTY_MODEL,
  ) {}

  get state(): AssistState {
    return this._state;
  }

  private update(patch: Partial<AssistState>): void {
    this._state = { ...this._state, ...patch };
    for (const listener of [...this.listeners]) listener(this._state);
  }

  subscribe(listener: (state: AssistState) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  setEnabled(enabled: boolean): void {
    if (!enabled) this.end();
    this.update({ enabled });
  }

  /** Whether a drawing of `control` goes to the assistant: smart with the toggle on, or smartOnly. */
  handles(control: RegionControl | null): boolean {
    if (!control || !SMART_KINDS.has(control.kind) || !isSmartControl(control.spec)) return false;
    return (this._state.enabled && control.spec.smart !== false) || control.spec.smart_only === true;
  }

  /** Whether a text selection labelled with `spec` goes to the assistant: smart with the toggle on, or smartOnly. */
  handlesText(spec: ControlSpec): boolean {
    if (!isSmartText(this.model(), spec)) return false;
    return (this._state.enabled && spec.smart !== false) || spec.smart_only === true;
  }

  /** End the series (Escape, "Done", the toggle off): its answer stays, the next click starts anew. */
  end(): void {
    this.epoch += 1;
    if (this._state.series !== null) this.update({ series: null });
  }

  /** A new task: no series, nothing pending is applied. */
  resetForTask(): void {
    this.epoch += 1;
    this.inflight.clear();
    this.update({ series: null, pending: 0 });
  }

  /**
   * One more smart item: added to the series (or starting one) and the whole series sent. Returns a
   * refusal to show by the control (the series is full, no task), or null.
   */
  add(draw: Omit<SmartDraw, "id">): string | null {
    const task = this.deps.taskId();
    if (task === null) return "There is no task on screen.";
    const series = extendSeries(this._state.series, smartItem({ ...draw, id: this.deps.newId() }), MAX_ASSIST_ITEMS);
    if (series === null) return `At most ${MAX_ASSIST_ITEMS} clicks go into one object: press Esc to start another.`;
    if (series !== this._state.series && this._state.series !== null) this.epoch += 1; // another object
    const seq = this.latest.seq + 1;
    this.latest = { seq, task };
    const epoch = this.epoch;
    this.inflight.add(seq);
    this.update({ series, pending: this.inflight.size });
    void this.deps.ask(task, [...series.items]).then((reply) => this.answered(reply, seq, epoch, task));
    return null;
  }

  private answered(reply: ReplyMessage, seq: number, epoch: number, task: number): void {
    if (this.inflight.delete(seq)) this.update({ pending: this.inflight.size });
    if (epoch !== this.epoch || task !== this.deps.taskId()) return;
    if (!reply.ok) {
      if (seq === this.latest.seq) this.deps.onError(reply.error);
      return;
    }
    const series = this._state.series;
    if (seq !== this.latest.seq || series === null) return; // a newer click's answer is on its way
    const items = "result" in reply ? reply.result : [];
    this.update({ series: applyAnswer(this.deps.annotation, series, items, this.deps.newId) });
  }
}
