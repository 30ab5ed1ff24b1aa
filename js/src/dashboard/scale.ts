// Small helpers for the charts: axis ticks, number and time formats, colours. No DOM here.

/** Round tick values from 0 to at least `max`: 1, 2 or 5 times a power of ten apart, about `count` of them
 * (whole numbers only when `integer`: counts have no half annotations). */
export function niceTicks(max: number, count = 4, integer = false): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const nice = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const step = integer ? Math.max(1, nice) : nice;
  const ticks: number[] = [];
  for (let v = 0; v < max + step / 2; v += step) ticks.push(Math.round(v / step) * step);
  if (ticks[ticks.length - 1]! < max) ticks.push(ticks[ticks.length - 1]! + step);
  return ticks.length > 1 ? ticks : [0, step];
}

const INTEGER = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

export function formatCount(n: number): string {
  return INTEGER.format(n);
}

export function formatPercent(p: number): string {
  return `${p >= 10 || p === 0 ? Math.round(p) : p.toFixed(1)}%`;
}

/** "12 s", "3.5 min", "1.2 h"; "–" for null. */
export function formatSeconds(s: number | null): string {
  if (s === null || !Number.isFinite(s)) return "–";
  if (s < 60) return `${s < 10 ? s.toFixed(1) : Math.round(s)} s`;
  if (s < 3600) return `${(s / 60).toFixed(1)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

/** An agreement value with two decimals ("0.83", "-0.10"); "–" for null. */
export function formatValue(v: number | null): string {
  return v === null || !Number.isFinite(v) ? "–" : v.toFixed(2);
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

/** A bucket start (ISO, UTC) as the axis shows it, in UTC: "14:05", "Nov 23 14:00" or "Nov 23". */
export function formatBucket(iso: string, unit: string, withDay = false): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const day = `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}`;
  const clock = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
  if (unit === "day") return day;
  if (unit === "hour") return withDay ? `${day} ${clock}` : clock;
  return withDay ? `${day} ${clock}` : clock;
}

/** Categorical colours readable on light and dark backgrounds (Tableau 10). */
export const PALETTE = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"];

const HEX = /^#(?:[0-9a-f]{3}|[0-9a-f]{4}|[0-9a-f]{6}|[0-9a-f]{8})$/i;
const NAMED = /^[a-z]{3,20}$/i;
const FUNCTIONAL = /^(?:rgba?|hsla?)\(\s*[-\d.%\s,/]+\)$/i;

/** The config's colour when it is a plain CSS colour (hex, a name, rgb()/hsl()), else `fallback`. A colour
 * from the config is data: never a url(), var() or anything else a fill attribute could resolve. */
export function safeColor(color: string | null | undefined, fallback: string): string {
  if (typeof color !== "string") return fallback;
  const c = color.trim();
  return HEX.test(c) || NAMED.test(c) || FUNCTIONAL.test(c) ? c : fallback;
}

/** Heat-map fill for an agreement value: green for agreement, red below zero, stronger further from 0. */
export function heatFill(value: number | null): { fill: string; opacity: number; strong: boolean } {
  if (value === null || !Number.isFinite(value)) return { fill: "none", opacity: 0, strong: false };
  const v = Math.max(-1, Math.min(1, value));
  const opacity = 0.12 + 0.83 * Math.abs(v);
  return { fill: v >= 0 ? "#2e8540" : "#c62828", opacity, strong: opacity > 0.6 };
}
