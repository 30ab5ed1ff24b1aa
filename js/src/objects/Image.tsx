// <Image name value="$image">: the task's image. Values the kernel delivers (task.media) come from the media
// cache as blob URLs; http(s)/data:/blob: URLs go straight into <img src>.

import { useEffect, useReducer, useState } from "preact/hooks";
import { attr, resolveValue } from "../config";
import { useLabel } from "../context";
import type { MediaState } from "../media";
import type { ViewNode } from "../protocol";
import type { Session } from "../session";
import { Unsupported } from "./Unsupported";

/** How long a view that has already talked to the kernel waits for pushed media before asking for it. */
export const MEDIA_WAIT_MS = 400;

const SIZE = /^(auto|\d+(\.\d+)?(px|%|em|rem|vw|vh)?)$/i;

function size(value: string | undefined, fallback: string): string {
  const v = value?.trim();
  if (!v || !SIZE.test(v)) return fallback;
  return /^\d+(\.\d+)?$/.test(v) ? `${v}px` : v;
}

/** Subscribe to one media value: retained while shown, requested if it has not arrived shortly. */
export function useMedia(session: Session, value: string, enabled: boolean): MediaState {
  const [, bump] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    if (!enabled) return undefined;
    const release = session.media.retain(value);
    const unsubscribe = session.media.subscribe(() => bump(0));
    const timer = setTimeout(
      () => {
        if (session.media.get(value).status === "missing") session.requestMedia([value]);
      },
      session.spoken ? MEDIA_WAIT_MS : 0,
    );
    bump(0); // it may have arrived between render and this effect
    return () => {
      clearTimeout(timer);
      unsubscribe();
      release();
    };
  }, [session, value, enabled]);
  return enabled ? session.media.get(value) : { status: "missing" };
}

export function Image({ node }: { node: ViewNode }) {
  const { data, task, session } = useLabel();
  const name = attr(node, "name") ?? "";
  const valueAttr = attr(node, "value");
  const value = resolveValue(valueAttr, data);
  const viaKernel = typeof value === "string" && (task.media ?? []).includes(value);
  const media = useMedia(session, typeof value === "string" ? value : "", viaKernel);
  const [loaded, setLoaded] = useState<string | null>(null);
  const [failed, setFailed] = useState<string | null>(null);

  if (attr(node, "valueList") !== undefined) {
    return <Unsupported tag="Image" detail="with valueList (several images) is not supported in this version" />;
  }
  if (typeof value !== "string" || value === "") {
    return (
      <div class="lnb-image-box lnb-error" data-object={name} data-state="error" role="note">
        This task has no image in its “{valueAttr?.replace(/^\$/, "") ?? "value"}” field.
      </div>
    );
  }

  const style = { width: size(attr(node, "width"), "100%"), maxWidth: size(attr(node, "maxWidth"), "750px") };
  let src: string | null = null;
  if (viaKernel) {
    if (media.status === "error") {
      return (
        <div class="lnb-image-box lnb-error" data-object={name} data-state="error" style={style} role="alert">
          <div>
            Could not load the image <code>{value}</code>: {media.error}
          </div>
          <button type="button" class="lnb-btn lnb-small" onClick={() => session.requestMedia([value])}>
            Try again
          </button>
        </div>
      );
    }
    if (media.status === "ready") src = media.url;
  } else {
    src = value;
  }

  if (src === null) {
    return (
      <div class="lnb-image-box lnb-placeholder" data-object={name} data-state="loading" style={style} aria-busy="true">
        <span class="lnb-spinner" aria-hidden="true" /> Loading image…
      </div>
    );
  }
  if (failed === src) {
    return (
      <div class="lnb-image-box lnb-error" data-object={name} data-state="error" style={style} role="alert">
        The browser could not show the image <code>{value.length > 120 ? `${value.slice(0, 117)}…` : value}</code>.
      </div>
    );
  }
  return (
    <div class="lnb-image-wrap" style={style}>
      <img
        class={`lnb-image${loaded === src ? "" : " lnb-loading"}`}
        src={src}
        alt={name ? `image “${name}”` : "image"}
        data-object={name}
        data-state={loaded === src ? "ready" : "loading"}
        draggable={false}
        onLoad={() => setLoaded(src)}
        onError={() => setFailed(src)}
      />
    </div>
  );
}
