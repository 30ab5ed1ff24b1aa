// <Rating>: 1..maxRating stars. Result: {type: "rating", value: {rating: n}}.
// Clicking the current rating clears it; the hotkey steps 1, 2, ..., max, none.

import { useState } from "preact/hooks";
import { attr } from "../config";
import { useControlItem, useLabel } from "../context";
import { hotkeyLabel, parseHotkey } from "../hotkeys";
import { maxRating } from "../schema/rating";
import { ratingValue, readRating } from "../state/results";
import { RatingRules } from "../state/rules";
import type { ControlDef, ControlProps } from "./types";

/** The rating after the hotkey: one more, wrapping to none after the maximum. */
export function nextRating(current: number, max: number): number {
  return current >= max ? 0 : Math.max(0, Math.floor(current)) + 1;
}

function RatingControl({ node, control }: ControlProps) {
  const { annotation } = useLabel();
  const [hover, setHover] = useState(0);
  const max = maxRating(node);
  const rating = readRating(useControlItem(control));
  const shown = hover || rating;
  const size = (attr(node, "size") ?? "medium").toLowerCase();
  const hotkey = attr(node, "hotkey");
  return (
    <div class={`lnb-rating lnb-size-${size}`} role="radiogroup" aria-label={control.name} onMouseLeave={() => setHover(0)}>
      {Array.from({ length: max }, (_, i) => {
        const n = i + 1;
        return (
          <button
            key={n}
            type="button"
            class={`lnb-star${n <= shown ? " lnb-on" : ""}${hover ? " lnb-preview" : ""}`}
            role="radio"
            aria-checked={n === rating}
            aria-label={`${n} of ${max}`}
            title={n === rating ? "Click again to clear" : `${n} of ${max}`}
            data-rating={n}
            onMouseEnter={() => setHover(n)}
            onClick={() => annotation.set(control, ratingValue(n === rating ? 0 : n))}
          >
            ★
          </button>
        );
      })}
      <span class="lnb-rating-value">{rating ? `${rating}/${max}` : ""}</span>
      {hotkey && <kbd class="lnb-kbd">{hotkeyLabel(hotkey)}</kbd>}
    </div>
  );
}

export const Rating: ControlDef = {
  ...RatingRules,
  Component: RatingControl,
  hotkeys(node, control) {
    const hotkeys = parseHotkey(attr(node, "hotkey"));
    if (!hotkeys.length) return [];
    return [
      {
        hotkeys,
        run: ({ annotation }) => {
          const current = readRating(annotation.find(control.name, control.type));
          annotation.set(control, ratingValue(nextRating(current, maxRating(node))));
        },
      },
    ];
  },
};
