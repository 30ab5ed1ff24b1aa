// <DateTime> read from its analysed spec, with Label Studio's rules (tags/control/DateTime.jsx):
// - parts: a date input unless `only` leaves "date" out, a time input unless it leaves "time" out, a month
//   select for "month" (when "date" is not there too), a year select for "year";
// - the stored `datetime` is the chosen moment written with `format` (strftime directives, as d3's
//   timeFormat), or by default "%Y-%m-%dT%H:%M" with a time and "%Y-%m-%d" without; `only="time"` stores
//   the time as the input gives it ("14:30");
// - min and max (ISO dates, or years for only="year") bound the ISO date of the value.

import type { ControlSpec } from "./model";

export const FORMAT_FULL = "%Y-%m-%dT%H:%M";
export const FORMAT_DATE = "%Y-%m-%d";

export interface DateParts {
  date: boolean;
  time: boolean;
  month: boolean;
  year: boolean;
  onlyTime: boolean;
}

export function dateParts(spec: ControlSpec): DateParts {
  const only = (spec.only ?? "").toLowerCase();
  return {
    date: !only || only.includes("date"),
    time: !only || only.includes("time"),
    month: only.includes("month") && !only.includes("date"),
    year: only.includes("year"),
    onlyTime: only === "time",
  };
}

/** What the inputs hold; undefined: not chosen. */
export interface DateValue {
  year?: number;
  month?: number; // 1..12
  day?: number; // 1..31
  time?: string; // "HH:MM"
}

/** The format a value is written and read with. */
export function dateFormat(spec: ControlSpec): string {
  const parts = dateParts(spec);
  if (spec.format) return spec.format;
  return parts.time ? FORMAT_FULL : FORMAT_DATE;
}

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const pad = (n: number, width = 2, fill = "0") => String(n).padStart(width, fill);

/** `date` written with strftime directives (the subset d3's timeFormat and Python share). */
export function strftime(date: Date, format: string): string {
  return format.replace(/%([a-zA-Z%])/g, (whole, d: string) => {
    switch (d) {
      case "Y":
        return pad(date.getFullYear(), 4);
      case "y":
        return pad(date.getFullYear() % 100);
      case "m":
        return pad(date.getMonth() + 1);
      case "d":
        return pad(date.getDate());
      case "e":
        return pad(date.getDate(), 2, " ");
      case "H":
        return pad(date.getHours());
      case "I":
        return pad(date.getHours() % 12 || 12);
      case "M":
        return pad(date.getMinutes());
      case "S":
        return pad(date.getSeconds());
      case "L":
        return pad(date.getMilliseconds(), 3);
      case "p":
        return date.getHours() < 12 ? "AM" : "PM";
      case "B":
        return MONTHS[date.getMonth()] as string;
      case "b":
        return (MONTHS[date.getMonth()] as string).slice(0, 3);
      case "A":
        return DAYS[date.getDay()] as string;
      case "a":
        return (DAYS[date.getDay()] as string).slice(0, 3);
      case "j": {
        const start = new Date(date.getFullYear(), 0, 1);
        return pad(Math.round((+new Date(date.getFullYear(), date.getMonth(), date.getDate()) - +start) / 86400000) + 1, 3);
      }
      case "%":
        return "%";
      default:
        return whole;
    }
  });
}

const FIELD: Record<string, string> = {
  Y: "(\\d{4})",
  y: "(\\d{2})",
  m: "(\\d{1,2})",
  d: "(\\d{1,2})",
  e: "\\s?(\\d{1,2})",
  H: "(\\d{1,2})",
  I: "(\\d{1,2})",
  M: "(\\d{2})",
  S: "(\\d{2})",
  L: "(\\d{3})",
  p: "(AM|PM|am|pm)",
  B: `(${MONTHS.join("|")})`,
  b: `(${MONTHS.map((m) => m.slice(0, 3)).join("|")})`,
  A: `(?:${DAYS.join("|")})`,
  a: `(?:${DAYS.map((d) => d.slice(0, 3)).join("|")})`,
};

/** A stored value read back with `format`, or null when it does not fit. */
export function strptime(value: string, format: string): DateValue | null {
  const order: string[] = [];
  let source = "";
  for (let i = 0; i < format.length; i++) {
    const c = format[i] as string;
    const d = format[i + 1];
    if (c === "%" && d !== undefined) {
      i += 1;
      if (d === "%") source += "%";
      else if (FIELD[d]) {
        source += FIELD[d];
        if (!"Aa".includes(d)) order.push(d);
      } else source += d.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    } else source += c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  }
  const m = new RegExp(`^${source}$`).exec(value.trim());
  if (!m) return null;
  const out: DateValue = {};
  let hour: number | undefined;
  let minute = 0;
  let pm: boolean | undefined;
  order.forEach((d, k) => {
    const g = m[k + 1] as string;
    if (d === "Y") out.year = Number(g);
    else if (d === "y") out.year = 2000 + Number(g) - (Number(g) >= 69 ? 100 : 0);
    else if (d === "m") out.month = Number(g);
    else if (d === "d" || d === "e") out.day = Number(g);
    else if (d === "B" || d === "b") out.month = MONTHS.findIndex((name) => name.startsWith(g.slice(0, 3))) + 1;
    else if (d === "H" || d === "I") hour = Number(g);
    else if (d === "M") minute = Number(g);
    else if (d === "p") pm = g.toUpperCase() === "PM";
  });
  if (hour !== undefined) {
    if (pm !== undefined) hour = (hour % 12) + (pm ? 12 : 0);
    out.time = `${pad(hour)}:${pad(minute)}`;
  }
  if (out.month !== undefined && (out.month < 1 || out.month > 12)) return null;
  if (out.day !== undefined && (out.day < 1 || out.day > 31)) return null;
  return out;
}

/** The stored value for what the inputs hold, or null when it is not a whole value yet. */
export function dateTimeValue(spec: ControlSpec, v: DateValue): string | null {
  const parts = dateParts(spec);
  if (parts.onlyTime) return v.time ? v.time : null;
  // years below 100 are years, not 19xx (the Date constructor's rule): set with setFullYear
  const at = (year: number, month: number, day: number) => {
    const d = new Date(2000, month - 1, day);
    d.setFullYear(year, month - 1, day);
    return d;
  };
  let date: Date;
  if (parts.date) {
    if (v.year === undefined || v.month === undefined || v.day === undefined) return null;
    date = at(v.year, v.month, v.day);
  } else if (parts.month) {
    if (v.year === undefined || v.month === undefined) return null;
    date = at(v.year, v.month, 1);
  } else if (parts.year) {
    if (v.year === undefined) return null;
    date = at(v.year, 1, 1);
  } else return null;
  if (parts.time) {
    const [h, m] = (v.time ?? "00:00").split(":").map(Number);
    date.setHours(h ?? 0, m ?? 0);
  }
  if (Number.isNaN(+date)) return null;
  return strftime(date, dateFormat(spec));
}

/** The inputs for a stored value (what was chosen), or {} for a value that does not fit the format. */
export function readDateTime(spec: ControlSpec, value: unknown): DateValue {
  if (typeof value !== "string" || !value) return {};
  if (dateParts(spec).onlyTime) return /^\d{1,2}:\d{2}/.test(value) ? { time: value.slice(0, 5) } : {};
  return strptime(value, dateFormat(spec)) ?? {};
}

/** Why the value breaks min/max, or null (Label Studio compares the ISO date, or the year). */
export function dateTimeProblem(spec: ControlSpec, v: DateValue): string | null {
  const parts = dateParts(spec);
  if (parts.onlyTime || v.year === undefined) return null;
  const iso = parts.year && !parts.date && !parts.month ? pad(v.year, 4) : `${pad(v.year, 4)}-${pad(v.month ?? 1)}-${pad(v.day ?? 1)}`;
  const bound = (b: unknown) => (typeof b === "string" || typeof b === "number" ? String(b).slice(0, iso.length) : null);
  const min = bound(spec.min);
  const max = bound(spec.max);
  if (min && min !== "current" && iso < min) return `must be ${min} or later`;
  if (max && max !== "current" && iso > max) return `must be ${max} or earlier`;
  return null;
}

/** The years a year select offers, newest first (Label Studio: from min, default 2000, to max, default now). */
export function yearOptions(spec: ControlSpec, now = new Date()): number[] {
  const year = (b: unknown, fallback: number) => {
    if (b === "current" || b === undefined || b === null || b === "") return fallback;
    const n = Number(String(b).slice(0, 4));
    return Number.isInteger(n) && n > 0 ? n : fallback;
  };
  const lo = year(spec.min, 2000);
  const hi = year(spec.max, now.getFullYear());
  const out: number[] = [];
  for (let y = hi; y >= lo && out.length < 500; y--) out.push(y);
  return out;
}

export const MONTH_NAMES: readonly string[] = MONTHS;
