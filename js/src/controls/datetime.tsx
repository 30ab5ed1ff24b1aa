// <DateTime>: a date, a time, a month and a year, as `only` asks (schema/datetime.ts has Label Studio's
// rules). Result: {type: "datetime", value: {datetime: "2024-06-15T10:30"}} written with `format`. Until
// the inputs make a whole value (a date needs year, month and day) nothing is stored; clearing them clears
// the result. A value outside min..max shows why and submit refuses it (state/rules.ts).

import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { useControlItem, useLabel } from "../context";
import { dateParts, dateTimeProblem, dateTimeValue, MONTH_NAMES, readDateTime, yearOptions, type DateValue } from "../schema/datetime";
import { datetimeValue, readDatetime } from "../state/results";
import { DateTimeRules } from "../state/rules";
import type { ControlDef, ControlProps } from "./types";

const pad = (n: number) => String(n).padStart(2, "0");

function isoDate(v: DateValue): string {
  return v.year !== undefined && v.month !== undefined && v.day !== undefined ? `${String(v.year).padStart(4, "0")}-${pad(v.month)}-${pad(v.day)}` : "";
}

function DateTimeControl({ control, spec }: ControlProps) {
  const { annotation, invalid } = useLabel();
  const stored = readDatetime(useControlItem(control));
  const [v, setV] = useState<DateValue>(() => readDateTime(spec, stored));
  // The date and time inputs are not controlled: setting their value while a person types a year digit by
  // digit restarts the browser's segment editing. They are written on mount and when the stored value
  // changes from outside (undo, a loaded result), never while they have the focus.
  const mine = useRef<string | null>(stored);
  const dateRef = useRef<HTMLInputElement>(null);
  const timeRef = useRef<HTMLInputElement>(null);
  const write = (value: DateValue) => {
    for (const [el, text] of [
      [dateRef.current, isoDate(value)],
      [timeRef.current, value.time ?? ""],
    ] as const) {
      if (el && el !== document.activeElement && el.value !== text) el.value = text;
    }
  };
  useLayoutEffect(() => write(v), []);
  useEffect(() => {
    if (stored === mine.current) return; // what this control just stored
    mine.current = stored;
    const next = readDateTime(spec, stored);
    setV(next);
    write(next);
  }, [stored]);
  const parts = dateParts(spec);
  // min/max, said as soon as the value is whole (a refused submit's reason shows under the control)
  const live = dateTimeValue(spec, v) !== null ? dateTimeProblem(spec, v) : null;
  const problem = invalid.get(control.name) ?? live;

  const change = (patch: DateValue) => {
    const next = { ...v, ...patch };
    for (const k of Object.keys(patch) as (keyof DateValue)[]) if (patch[k] === undefined) delete next[k];
    setV(next);
    mine.current = dateTimeValue(spec, next);
    annotation.set(control, datetimeValue(mine.current), { coalesce: true });
  };
  const minDate = typeof spec.min === "string" && /^\d{4}-\d{2}-\d{2}/.test(spec.min) ? spec.min.slice(0, 10) : undefined;
  const maxDate = typeof spec.max === "string" && /^\d{4}-\d{2}-\d{2}/.test(spec.max) ? spec.max.slice(0, 10) : undefined;

  return (
    <div class="lnb-datetime" role="group" aria-label={control.name} aria-invalid={problem ? true : undefined}>
      {parts.month && (
        <select
          class="lnb-select"
          aria-label={`${control.name} month`}
          data-part="month"
          value={v.month ?? ""}
          onChange={(e) => change({ month: Number((e.currentTarget as HTMLSelectElement).value) || undefined })}
        >
          <option value="">Month…</option>
          {MONTH_NAMES.map((name, i) => (
            <option key={name} value={i + 1}>
              {name}
            </option>
          ))}
        </select>
      )}
      {parts.year && (
        <select
          class="lnb-select"
          aria-label={`${control.name} year`}
          data-part="year"
          value={v.year ?? ""}
          onChange={(e) => change({ year: Number((e.currentTarget as HTMLSelectElement).value) || undefined })}
        >
          <option value="">Year…</option>
          {yearOptions(spec).map((y) => (
            <option key={y} value={y}>
              {y}
            </option>
          ))}
        </select>
      )}
      {parts.date && (
        <input
          ref={dateRef}
          class="lnb-input"
          type="date"
          aria-label={`${control.name} date`}
          data-part="date"
          min={minDate}
          max={maxDate}
          onInput={(e) => {
            const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec((e.currentTarget as HTMLInputElement).value);
            change(m ? { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) } : { year: undefined, month: undefined, day: undefined });
          }}
        />
      )}
      {parts.time && (
        <input
          ref={timeRef}
          class="lnb-input"
          type="time"
          aria-label={`${control.name} time`}
          data-part="time"
          onInput={(e) => change({ time: (e.currentTarget as HTMLInputElement).value.slice(0, 5) || undefined })}
        />
      )}
      {live && !invalid.get(control.name) && (
        <span class="lnb-hint lnb-date-problem" role="alert" data-date-problem="">
          {live}
        </span>
      )}
    </div>
  );
}

export const DateTime: ControlDef = {
  ...DateTimeRules,
  Component: DateTimeControl,
};
