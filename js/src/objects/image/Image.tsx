// <Image name value="$image">: the task's image, with the regions drawn on it and their list beside it.
// Values the kernel delivers (task.media) come from the media cache as blob URLs; http(s)/data:/blob: URLs
// go straight into <img src>. Drawing, zoom and pan are the surface's (./Surface.tsx).

import { memo } from "preact/compat";
import { useEffect, useReducer, useState } from "preact/hooks";
import { attr, resolveValue } from "../../config";
import { useLabel } from "../../context";
import type { MediaState } from "../../media";
import type { ViewNode } from "../../protocol";
import { objectSpec } from "../../schema/model";
import type { Session } from "../../session";
import { RegionList } from "../../panels/RegionList";
import { regionControlsOf } from "../../controls/regionTools";
import { Surface } from "./Surface";

// The region list re-renders from its own subscriptions, never because this image did: the image re-renders
// when it loads and whenever any medium arrives (prefetching), and a list of 1,000 rows costs tens of ms.
const ImageRegionList = memo(RegionList);

/** How long a view that has already talked to the kernel waits for pushed media before asking for it. */
export const MEDIA_WAIT_MS = 400;

const SIZE = /^(auto|\d+(\.\d+)?(px|%|em|rem|vw|vh)?)$/i;

/** A width or height attribute as CSS (a bare number is px), or `fallback` for anything else. */
export function cssSize(value: string | undefined, fallback: string): string {
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

/**
 * <Image>: one image, or with `valueList` several (a pager shows one at a time; regions carry the
 * image's `item_index`).
 */
export function Image({ node }: { node: ViewNode }) {
  const { data } = useLabel();
  const [index, setIndex] = useState(0);
  const listAttr = attr(node, "valueList");
  if (listAttr === undefined) return <OneImage node={node} value={resolveValue(attr(node, "value"), data)} valueAttr={attr(node, "value")} />;
  const list = resolveValue(listAttr, data);
  const name = attr(node, "name") ?? "";
  if (!Array.isArray(list) || list.length === 0) {
    return (
      <div class="lnb-image-box lnb-error" data-object={name} data-state="error" role="note">
        This task has no list of images in its “{listAttr.replace(/^\$/, "")}” field.
      </div>
    );
  }
  const at = Math.min(index, list.length - 1);
  return (
    <div class="lnb-image-list" data-image-list={name} data-item-index={at}>
      <div class="lnb-pager" role="toolbar" aria-label="Images">
        <button type="button" class="lnb-btn lnb-small" data-page="prev" disabled={at === 0} onClick={() => setIndex(at - 1)}>
          ‹
        </button>
        <span class="lnb-page">
          {at + 1} / {list.length}
        </span>
        <button type="button" class="lnb-btn lnb-small" data-page="next" disabled={at >= list.length - 1} onClick={() => setIndex(at + 1)}>
          ›
        </button>
      </div>
      <OneImage key={at} node={node} value={list[at]} valueAttr={listAttr} itemIndex={at} />
    </div>
  );
}

function OneImage({ node, value, valueAttr, itemIndex }: { node: ViewNode; value: unknown; valueAttr: string | undefined; itemIndex?: number }) {
  const { task, session, editor } = useLabel();
  const name = attr(node, "name") ?? "";
  const viaKernel = typeof value === "string" && (task.media ?? []).includes(value);
  const media = useMedia(session, typeof value === "string" ? value : "", viaKernel);
  const [state, setState] = useState<{ src: string; state: "ready" | "error" } | null>(null);
  const spec = objectSpec(editor.model, name);
  const hasRegions = regionControlsOf(editor.model, name).length > 0;

  if (typeof value !== "string" || value === "") {
    return (
      <div class="lnb-image-box lnb-error" data-object={name} data-state="error" role="note">
        This task has no image in its “{valueAttr?.replace(/^\$/, "") ?? "value"}” field.
      </div>
    );
  }

  const style = { width: cssSize(attr(node, "width"), "100%"), maxWidth: cssSize(attr(node, "maxWidth"), "750px") };
  let src: string | null = null;
  let original: { width: number; height: number } | undefined;
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
    if (media.status === "ready") {
      src = media.url;
      original = media.original;
    }
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
  if (state?.src === src && state.state === "error") {
    return (
      <div class="lnb-image-box lnb-error" data-object={name} data-state="error" style={style} role="alert">
        The browser could not show the image <code>{value.length > 120 ? `${value.slice(0, 117)}…` : value}</code>.
      </div>
    );
  }
  const shown = src;
  return (
    <div class={`lnb-image-object${hasRegions ? " lnb-with-regions" : ""}`} data-image={name}>
      <div class="lnb-image-wrap" style={style}>
        <Surface
          object={name}
          src={shown}
          alt={name ? `image “${name}”` : "image"}
          editor={editor}
          spec={spec}
          {...(original ? { original } : {})}
          {...(itemIndex !== undefined ? { itemIndex } : {})}
          onState={(s) => setState({ src: shown, state: s })}
        />
      </div>
      {hasRegions && <ImageRegionList editor={editor} object={name} {...(itemIndex !== undefined ? { itemIndex } : {})} />}
    </div>
  );
}
