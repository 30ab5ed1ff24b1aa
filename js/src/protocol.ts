// The widget protocol, browser side. Mirrors labelnb/widget/protocol.py exactly; change both together.
//
// Synced traits (small state): `view` (ViewNode tree, {} when there is no task), `controls` (ControlModel of
// the same config: every rule about its controls, worked out by the kernel; {} when there is no task),
// `task` (TaskState, or {}), `status` (StatusState). Requests and bytes travel as custom messages with a `kind`: the browser sends
// BrowserMessage objects, the kernel answers each request with a `reply` carrying the same `request_id`,
// and pushes `media` messages (one binary buffer each) for the current and the next tasks.

export const PROTOCOL_VERSION = 1;

/** Largest result list the kernel accepts from the browser. */
export const MAX_RESULT_ITEMS = 10_000;
/** Most smart items (clicks, boxes) one assist request may carry. */
export const MAX_ASSIST_ITEMS = 64;
/** Longest review comment the kernel accepts from the browser. */
export const MAX_COMMENT_CHARS = 10_000;

/** One tag of the labeling config, as the browser receives it. */
export interface ViewNode {
  /** canonical tag name, e.g. "Choices" */
  tag?: string;
  /** attribute values exactly as written in the XML */
  attrs?: Record<string, string>;
  children?: ViewNode[];
  /** the tag's text body (Style, Header without value) */
  text?: string;
}

/**
 * The analysed control model of the task on screen (the `controls` trait), as loose as the kernel's
 * TypedDict: schema/model.ts types every field and is what the front end reads.
 */
export interface ControlModel {
  version?: number;
  /** every control but Relations, in document order */
  controls?: Record<string, unknown>[];
  relations?: Record<string, unknown> | null;
  objects?: Record<string, unknown>[];
  /** View/Markdown tags with a visibility rule */
  views?: Record<string, unknown>[];
  filters?: Record<string, unknown>[];
}

/** A Label Studio result item (region). Only the envelope is typed; the kernel validates the rest. */
export interface ResultItem {
  id?: string;
  from_name?: string;
  to_name?: string;
  type?: string;
  value?: Record<string, unknown>;
  origin?: string;
  [key: string]: unknown;
}

/** The task on screen. */
export interface TaskState {
  id?: number;
  data?: Record<string, unknown>;
  /** result items to start from: the stored annotation when going back, else the user's draft, else [] */
  result?: ResultItem[];
  /** id of the stored annotation being edited (when going back), else null */
  annotation_id?: number | null;
  predictions?: Record<string, unknown>[];
  /** media values from `data` that the kernel delivers as binary `media` messages */
  media?: string[];
  /** True when "Back" has somewhere to go */
  can_back?: boolean;
  /** True when the task on screen is one this user skipped (shown when going back to it) */
  skipped?: boolean;
  /** a reviewer's rejection of this user's answer, or the annotation under review; absent otherwise */
  review?: ReviewNote;
}

/** What the screen says about review. */
export interface ReviewNote {
  /** a reviewer sent this user's annotation back: who, and what to change */
  rejected_by?: string;
  comment?: string;
  /** a review session: whose annotation is on screen, and its version */
  reviewing?: string;
  version?: number;
}

export interface StatusState {
  done?: number;
  total?: number;
  empty?: boolean;
  message?: string;
  user?: string;
  /** seconds between lease renewals while a task is on screen */
  renew_every?: number;
  /** present and true when the widget has an assistant: the auto-annotate toggle is shown */
  assist?: boolean;
  /** present and true in a review session: done/total count annotations reviewed */
  review?: boolean;
}

// Browser -> kernel ------------------------------------------------------------------------------------

export interface SubmitMessage {
  kind: "submit";
  request_id: string;
  task_id: number;
  result: ResultItem[];
  lead_time: number | null;
}

export interface SkipMessage {
  kind: "skip";
  request_id: string;
  task_id: number;
}

/** A reviewer sends the annotation on screen back to its author with a comment. */
export interface RejectMessage {
  kind: "reject";
  request_id: string;
  task_id: number;
  comment: string;
}

export interface BackMessage {
  kind: "back";
  request_id: string;
}

/** The user's work in progress, saved as they go. */
export interface DraftMessage {
  kind: "draft";
  request_id: string;
  task_id: number;
  result: ResultItem[];
  lead_time: number | null;
}

/** The task is still on screen: keep it reserved for this user (every `renew_every` seconds). */
export interface RenewMessage {
  kind: "renew";
  request_id: string;
  task_id: number;
}

/** Ask again for media values (a view rendered after the kernel pushed them). */
export interface MediaRequestMessage {
  kind: "media";
  request_id: string;
  values: string[];
}

/**
 * Ask for one of the front end's own files that is too big for the widget bundle (pdf.js and its data,
 * loaded only when a <Pdf> renders). `name` is a key of the kernel's fixed table
 * (labelnb/widget/assets.py), never a path; the ok reply carries the file as its one buffer.
 */
export interface AssetRequestMessage {
  kind: "asset";
  request_id: string;
  name: string;
}

/**
 * Auto-annotate: the smart items clicked or drawn so far in one series (Label Studio's interactive
 * `context.result`: key points and boxes in result-item shape, each with `is_positive`). The ok reply
 * carries the assistant's answer as `result`.
 */
export interface AssistMessage {
  kind: "assist";
  request_id: string;
  task_id: number;
  context: ResultItem[];
}

export type BrowserMessage =
  | SubmitMessage
  | SkipMessage
  | RejectMessage
  | BackMessage
  | DraftMessage
  | RenewMessage
  | MediaRequestMessage
  | AssetRequestMessage
  | AssistMessage;

/** A browser message before the request helper gives it its id. */
export type BrowserRequest = BrowserMessage extends infer M
  ? M extends BrowserMessage
    ? Omit<M, "request_id">
    : never
  : never;

// Kernel -> browser ------------------------------------------------------------------------------------

export type ReplyMessage =
  | { kind: "reply"; request_id: string; ok: true }
  | { kind: "reply"; request_id: string; ok: true; result: ResultItem[] }
  | { kind: "reply"; request_id: string; ok: false; error: string };

/** Header of a media message; the bytes travel as its single buffer. */
export interface MediaMessage {
  kind: "media";
  value: string;
  mime: string;
  /** present when the bytes are a preview of a larger image: the original's size in px */
  original?: { width: number; height: number };
}

export interface MediaErrorMessage {
  kind: "media_error";
  value: string;
  error: string;
}

export type KernelMessage = ReplyMessage | MediaMessage | MediaErrorMessage;

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** A preview's original size: two whole numbers from 1 to 2^20 px, or nothing. */
function originalSize(x: unknown): { width: number; height: number } | null {
  if (!isRecord(x)) return null;
  const ok = (n: unknown): n is number => typeof n === "number" && Number.isInteger(n) && n >= 1 && n <= 1 << 20;
  return ok(x.width) && ok(x.height) ? { width: x.width, height: x.height } : null;
}

/** Check the shape of a custom message from the kernel; anything else is ignored by the caller. */
export function parseKernelMessage(msg: unknown): KernelMessage | null {
  if (!isRecord(msg)) return null;
  switch (msg.kind) {
    case "reply":
      if (typeof msg.request_id !== "string") return null;
      if (msg.ok === true) {
        // an assist answer's items: objects only (the kernel checked them against the config)
        if (Array.isArray(msg.result)) return { kind: "reply", request_id: msg.request_id, ok: true, result: msg.result.filter(isRecord) as ResultItem[] };
        return { kind: "reply", request_id: msg.request_id, ok: true };
      }
      return {
        kind: "reply",
        request_id: msg.request_id,
        ok: false,
        error: typeof msg.error === "string" && msg.error ? msg.error : "The kernel refused the request.",
      };
    case "media":
      if (typeof msg.value !== "string") return null;
      return {
        kind: "media",
        value: msg.value,
        mime: typeof msg.mime === "string" && msg.mime ? msg.mime : "application/octet-stream",
        ...(originalSize(msg.original) ? { original: originalSize(msg.original) as { width: number; height: number } } : {}),
      };
    case "media_error":
      if (typeof msg.value !== "string") return null;
      return {
        kind: "media_error",
        value: msg.value,
        error: typeof msg.error === "string" && msg.error ? msg.error : "The kernel could not load this file.",
      };
    default:
      return null;
  }
}

// The model, as far as this widget uses it (anywidget's AnyModel satisfies it) ----------------------------

export type Buffers = readonly (ArrayBuffer | ArrayBufferView)[];
export type Handler = (...args: any[]) => void;

export interface WidgetModel {
  get(key: string): any;
  set(key: string, value: any): void;
  on(event: string, callback: Handler): void;
  off(event?: string | null, callback?: Handler | null): void;
  send(content: any, callbacks?: any, buffers?: ArrayBuffer[] | ArrayBufferView[]): void;
  save_changes(): void;
}

// Ids -------------------------------------------------------------------------------------------------

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";

/** A random id over [A-Za-z0-9_-] (Label Studio's nanoid alphabet); 10 characters for result ids. */
export function randomId(length = 10): string {
  const bytes = new Uint8Array(length);
  globalThis.crypto.getRandomValues(bytes);
  let out = "";
  for (const b of bytes) out += ALPHABET[b & 63];
  return out;
}

// Requests --------------------------------------------------------------------------------------------

export interface ChannelHandlers {
  onMedia?(msg: MediaMessage, buffer: DataView | ArrayBuffer | ArrayBufferView | undefined): void;
  onMediaError?(msg: MediaErrorMessage): void;
}

export interface ChannelOptions {
  /** how long to wait for a reply before giving up (ms) */
  timeoutMs?: number;
  newRequestId?: () => string;
}

/**
 * Sends requests with a fresh `request_id` and resolves each when the kernel's matching `reply` arrives.
 * Also routes pushed `media` / `media_error` messages to the handlers. Never rejects: a timeout or a closed
 * channel resolves as a failed reply, so callers have one path for errors.
 */
/** A reply and the binary buffers that came with it (an asset's bytes). */
export interface ReplyWithData {
  reply: ReplyMessage;
  buffers: readonly (DataView | ArrayBuffer | ArrayBufferView)[];
}

export class Channel {
  private pending = new Map<string, { resolve: (r: ReplyWithData) => void; timer: ReturnType<typeof setTimeout> }>();
  private readonly timeoutMs: number;
  private readonly newRequestId: () => string;
  private closed = false;

  constructor(
    private readonly model: WidgetModel,
    private readonly handlers: ChannelHandlers = {},
    options: ChannelOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.newRequestId = options.newRequestId ?? (() => randomId(16));
    this.model.on("msg:custom", this.onMessage);
  }

  request(body: BrowserRequest): Promise<ReplyMessage> {
    return this.requestData(body).then((r) => r.reply);
  }

  /** A request whose reply may carry binary buffers. */
  requestData(body: BrowserRequest): Promise<ReplyWithData> {
    const request_id = this.newRequestId();
    const failed = (error: string): ReplyWithData => ({ reply: { kind: "reply", request_id, ok: false, error }, buffers: [] });
    if (this.closed) return Promise.resolve(failed("The widget was closed."));
    return new Promise<ReplyWithData>((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(request_id);
        resolve(failed(`The kernel did not answer within ${Math.round(this.timeoutMs / 1000)} s. Is it still running?`));
      }, this.timeoutMs);
      this.pending.set(request_id, { resolve, timer });
      try {
        this.model.send({ ...body, request_id });
      } catch (err) {
        clearTimeout(timer);
        this.pending.delete(request_id);
        resolve(failed(`Could not reach the kernel: ${String(err)}`));
      }
    });
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  private onMessage = (raw: unknown, buffers?: readonly (DataView | ArrayBuffer | ArrayBufferView)[]): void => {
    const msg = parseKernelMessage(raw);
    if (!msg) return;
    if (msg.kind === "reply") {
      const entry = this.pending.get(msg.request_id);
      if (!entry) return;
      this.pending.delete(msg.request_id);
      clearTimeout(entry.timer);
      entry.resolve({ reply: msg, buffers: buffers ?? [] });
    } else if (msg.kind === "media") {
      this.handlers.onMedia?.(msg, buffers?.[0]);
    } else {
      this.handlers.onMediaError?.(msg);
    }
  };

  dispose(): void {
    if (this.closed) return;
    this.closed = true;
    this.model.off("msg:custom", this.onMessage);
    for (const [request_id, entry] of this.pending) {
      clearTimeout(entry.timer);
      entry.resolve({ reply: { kind: "reply", request_id, ok: false, error: "The widget was closed." }, buffers: [] });
    }
    this.pending.clear();
  }
}
