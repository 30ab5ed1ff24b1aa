// Counting the clicks of a double click on the image surface. A PointerEvent's `detail` is 0 in Chromium (the
// Pointer Events spec leaves it 0 for pointerdown), so the click count cannot be read off the press the
// tools see: presses of the same button close in time and place count as one multi-click here.

/** The longest pause between the presses of a double click, in ms (the usual desktop default). */
export const MULTI_CLICK_MS = 500;
/** How far apart, in screen px, the presses of a double click may be. */
export const MULTI_CLICK_PX = 5;

export interface Press {
  /** event time, ms */
  t: number;
  /** screen position, CSS px */
  x: number;
  y: number;
  button: number;
  /** 1 for a single press, 2 for the second press of a double click, ... */
  count: number;
}

/** This press, counted: the browser's count when it gives one, else one more than a close previous press. */
export function countPress(prev: Press | null, t: number, x: number, y: number, button: number, detail: number): Press {
  let count = 1;
  if (detail > 0) count = detail;
  else if (prev && prev.button === button && t >= prev.t && t - prev.t <= MULTI_CLICK_MS && Math.hypot(x - prev.x, y - prev.y) <= MULTI_CLICK_PX) {
    count = prev.count + 1;
  }
  return { t, x, y, button, count };
}
