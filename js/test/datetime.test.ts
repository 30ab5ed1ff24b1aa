// <DateTime> as Label Studio's editor has it: parts from `only`, values written with `format` (strftime),
// read back, bounded by min/max.
import { describe, expect, it } from "vitest";
import { dateFormat, dateParts, dateTimeProblem, dateTimeValue, readDateTime, strftime, strptime, yearOptions } from "../src/schema/datetime";
import type { ControlSpec } from "../src/schema/model";

const spec = (extra: Partial<ControlSpec> = {}) => ({ name: "dt", tag: "DateTime", ...extra }) as ControlSpec;

describe("DateTime", () => {
  it("shows the parts `only` names", () => {
    expect(dateParts(spec())).toMatchObject({ date: true, time: true, month: false, year: false, onlyTime: false });
    expect(dateParts(spec({ only: "date" }))).toMatchObject({ date: true, time: false });
    expect(dateParts(spec({ only: "time" }))).toMatchObject({ date: false, time: true, onlyTime: true });
    expect(dateParts(spec({ only: "month,year" }))).toMatchObject({ date: false, time: false, month: true, year: true });
    expect(dateParts(spec({ only: "date,month" }))).toMatchObject({ date: true, month: false });
  });

  it("writes Label Studio's default formats, or the config's", () => {
    expect(dateFormat(spec())).toBe("%Y-%m-%dT%H:%M");
    expect(dateFormat(spec({ only: "date" }))).toBe("%Y-%m-%d");
    expect(dateTimeValue(spec(), { year: 1991, month: 5, day: 22, time: "09:17" })).toBe("1991-05-22T09:17");
    expect(dateTimeValue(spec(), { year: 1991, month: 5, day: 22 })).toBe("1991-05-22T00:00");
    expect(dateTimeValue(spec({ only: "date" }), { year: 2024, month: 2, day: 29 })).toBe("2024-02-29");
    expect(dateTimeValue(spec({ only: "time" }), { time: "14:30" })).toBe("14:30");
    expect(dateTimeValue(spec({ only: "year" }), { year: 2023 })).toBe("2023-01-01");
    expect(dateTimeValue(spec({ only: "month,year", format: "%B %Y" }), { year: 2023, month: 7 })).toBe("July 2023");
    expect(dateTimeValue(spec({ format: "%d/%m/%Y %I:%M %p" }), { year: 2024, month: 1, day: 5, time: "15:04" })).toBe("05/01/2024 03:04 PM");
    // not whole yet: nothing stored
    expect(dateTimeValue(spec({ only: "date" }), { year: 2024, month: 2 })).toBeNull();
    expect(dateTimeValue(spec({ only: "time" }), {})).toBeNull();
  });

  it("reads stored values back with the same format", () => {
    expect(readDateTime(spec(), "1991-05-22T09:17")).toEqual({ year: 1991, month: 5, day: 22, time: "09:17" });
    expect(readDateTime(spec({ format: "%d/%m/%Y %I:%M %p" }), "05/01/2024 03:04 PM")).toEqual({ year: 2024, month: 1, day: 5, time: "15:04" });
    expect(readDateTime(spec({ only: "month,year", format: "%B %Y" }), "July 2023")).toEqual({ year: 2023, month: 7 });
    expect(readDateTime(spec({ only: "time" }), "08:05")).toEqual({ time: "08:05" });
    expect(readDateTime(spec(), "not a date")).toEqual({});
    expect(readDateTime(spec(), "2024-13-01T00:00")).toEqual({});
    expect(strptime("2024-06-15", "%Y-%m-%d")).toEqual({ year: 2024, month: 6, day: 15 });
    for (const format of ["%Y-%m-%dT%H:%M", "%d.%m.%y %H:%M", "%A, %B %e %Y", "%j/%Y"]) {
      const d = new Date(2021, 10, 7, 18, 45);
      const text = strftime(d, format);
      if (!format.includes("%j")) expect(dateTimeValue(spec({ format }), strptime(text, format) ?? {})).toBe(text);
    }
    expect(strftime(new Date(2021, 0, 31), "%j %% %q")).toBe("031 % %q");
  });

  it("bounds the ISO date (or the year) by min and max", () => {
    const bounded = spec({ only: "date", min: "2020-01-01", max: "2025-12-31" });
    expect(dateTimeProblem(bounded, { year: 2019, month: 6, day: 15 })).toBe("must be 2020-01-01 or later");
    expect(dateTimeProblem(bounded, { year: 2026, month: 1, day: 1 })).toBe("must be 2025-12-31 or earlier");
    expect(dateTimeProblem(bounded, { year: 2023, month: 6, day: 15 })).toBeNull();
    const years = spec({ only: "year", min: "2010", max: "2012" });
    expect(dateTimeProblem(years, { year: 2009 })).toBe("must be 2010 or later");
    expect(yearOptions(years)).toEqual([2012, 2011, 2010]);
    expect(yearOptions(spec({ only: "year" }), new Date(2003, 5, 1))).toEqual([2003, 2002, 2001, 2000]);
  });
});
