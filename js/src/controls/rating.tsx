// <Rating>: 1..maxRating stars. Result: {type: "rating", value: {rating: n}}.
// Clicking the current rating clears it; the hotkey (written, or Label Studio's automatic one) steps
// 1, 2, ..., max, none. maxRating and the hotkey come from the control's analysed spec.

import { useState } from "preact/hooks";
import { useControlItem, useLabel } from "../context";
import { hotkeyLabel, parseHotkey } from "../hotkeys";
import { maxRating, nextRating } from "../schema/rating";
import { ratingValue, readRating } from "../state/results";
import { RatingRules } from "../state/rules";
import type { ControlDef, ControlProps } from "./types";

function RatingControl({ control, spec }: ControlProps) {
  const { annotation } = useLabel();
  const [hover, setHover] = useState(0);
  const max = maxRating(spec);
  const rating = readRating(useControlItem(control));
  const shown = hover || rating;
  const size = (spec.size ?? "medium").toLowerCase();
  const hotkey = spec.hotkey;
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
  hotkeys(spec, control) {
    const hotkeys = parseHotkey(spec.hotkey);
    if (!hotkeys.length) return [];
    return [
      {
        hotkeys,
        run: ({ annotation }) => {
          const current = readRating(annotation.find(control.name, control.type, control.region));
          annotation.set(control, ratingValue(nextRating(current, maxRating(spec))));
        },
      },
    ];
  },
};
