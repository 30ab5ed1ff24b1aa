// One Session per widget model: the request channel and the media cache, shared by every view of the model.
// `initialize` (once per model) and each `render` (once per view) acquire it; the last release disposes it.
// Created in `initialize`, it catches the media the kernel pushes before any view exists.

import { MediaCache, type MediaCacheOptions } from "./media";
import { Channel, type ChannelOptions, type ReplyMessage, type BrowserRequest, type WidgetModel } from "./protocol";

export interface SessionOptions extends ChannelOptions, MediaCacheOptions {}

export class Session {
  readonly media: MediaCache;
  readonly channel: Channel;
  /** media values asked for and not yet answered, so that several views ask once */
  private requested = new Set<string>();

  constructor(
    readonly model: WidgetModel,
    options: SessionOptions = {},
  ) {
    this.media = new MediaCache(options);
    this.channel = new Channel(
      model,
      {
        onMedia: (msg, buffer) => {
          this.requested.delete(msg.value);
          if (buffer === undefined) {
            this.media.fail(msg.value, "The kernel sent a media message without bytes.");
          } else {
            this.media.put(msg.value, buffer, msg.mime, msg.original);
          }
        },
        onMediaError: (msg) => {
          this.requested.delete(msg.value);
          this.media.fail(msg.value, msg.error);
        },
      },
      options,
    );
  }

  /** True once this view has sent the kernel anything: until then the kernel's pushes may have gone
   * nowhere (they were sent before this model listened), so media is asked for at once. */
  spoken = false;

  request(body: BrowserRequest): Promise<ReplyMessage> {
    this.spoken = true;
    return this.channel.request(body);
  }

  /** Ask the kernel for media values not yet cached (each value at most once until it is answered). */
  requestMedia(values: string[]): void {
    const wanted = values.filter((v) => !this.requested.has(v) && !this.media.has(v));
    if (wanted.length === 0) return;
    for (const v of wanted) {
      this.requested.add(v);
      this.media.clearError(v);
    }
    void this.request({ kind: "media", values: wanted }).then((reply) => {
      if (reply.ok) return; // the bytes follow (or preceded) as media messages
      for (const v of wanted) {
        if (this.requested.delete(v) && !this.media.has(v)) this.media.fail(v, reply.error);
      }
    });
  }

  /** One of the front end's own files from the kernel's asset table (pdf.js and its data), as bytes. */
  async asset(name: string): Promise<Uint8Array> {
    this.spoken = true;
    const { reply, buffers } = await this.channel.requestData({ kind: "asset", name });
    if (!reply.ok) throw new Error(reply.error);
    const buffer = buffers[0];
    if (buffer === undefined) throw new Error(`The kernel sent no bytes for ${name}.`);
    if (buffer instanceof ArrayBuffer) return new Uint8Array(buffer);
    return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
  }

  isRequested(value: string): boolean {
    return this.requested.has(value);
  }

  dispose(): void {
    this.channel.dispose();
    this.media.dispose();
  }
}

const sessions = new WeakMap<object, { session: Session; refs: number }>();

/** Get the model's session (creating it) and a function that releases this hold on it. */
export function acquireSession(model: WidgetModel, options?: SessionOptions): [Session, () => void] {
  let slot = sessions.get(model);
  if (!slot) {
    slot = { session: new Session(model, options), refs: 0 };
    sessions.set(model, slot);
  }
  slot.refs += 1;
  const held = slot;
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    held.refs -= 1;
    if (held.refs <= 0 && sessions.get(model) === held) {
      sessions.delete(model);
      held.session.dispose();
    }
  };
  return [held.session, release];
}
