// <Number> read from its analysed spec (schema/model.ts): min, max and step as the kernel parsed them
// (labelnb/config/control_model.py), and Label Studio's rules for them (tags/control/Number.jsx).

import type { ControlSpec } from "./model";

export interface NumberLimits {
  min: number | null;
  max: number | null;
  /** values must lie on a grid of this step from min (or 0); null: any value */
  step: number | null;
}

function finite(x: unknown): number | null {
  return typeof x === "number" && Number.isFinite(x) ? x : null;
}

export function numberLimits(spec: ControlSpec): NumberLimits {
  const step = finite(spec.step);
  return { min: finite(spec.min), max: finite(spec.max), step: step && step > 0 ? step : null };
}

/** Label Studio's tolerance for a number on its step's grid (Number.jsx validateValue). */
export const STEP_EPSILON = 1e-8;

/**
 * Why `value` breaks the limits, or null. As Number.jsx validateValue: at least min, at most max, and on
 * the grid of `step` from min (or 0) within 1e-8.
 */
export function numberProblem(limits: NumberLimits, value: number): string | null {
  const { min, max, step } = limits;
  if (min !== null && value < min) return `must be at least ${min}`;
  if (max !== null && value > max) return `must be at most ${max}`;
  if (step !== null) {
    const basis = min ?? 0;
    const diff = value - basis;
    const nearest = Math.round(diff / step) * step + basis;
    if (Math.abs(value - nearest) > STEP_EPSILON) {
      const lower = Math.floor(diff / step) * step + basis;
      const upper = lower + step;
      const decimals = step.toString().split(".")[1]?.length ?? 0;
      const grid = `a multiple of ${step}${basis ? ` from ${basis}` : ""}`;
      return `must be ${grid}: the two nearest valid values are ${lower.toFixed(decimals)} and ${upper.toFixed(decimals)}`;
    }
  }
  return null;
}

/**
 * The number after the hotkey (Number.jsx increaseValue): one step more (1 without a step), wrapping to
 * min (or 0) past max; an empty field starts from defaultValue (or min).
 */
export function nextNumber(spec: ControlSpec, current: number | null): number {
  const { min, max, step } = numberLimits(spec);
  const low = min ?? 0;
  const high = max ?? Number.POSITIVE_INFINITY;
  const by = step ?? 1;
  const start = current ?? finite(spec.default_value) ?? low;
  return start + by > high ? low : start + by;
}
