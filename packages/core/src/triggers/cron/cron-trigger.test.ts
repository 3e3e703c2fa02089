import { describe, expect, it } from "vitest";
import {
  InvalidCronExpressionError,
  InvalidTriggerArgumentError,
  UnknownTimezoneError,
  UnknownTriggerArgumentError,
} from "../../errors.js";
import { fireTimes } from "../test-support/fire-times.js";
import { CronTrigger, type CronTriggerOptions } from "./cron-trigger.js";

const next = (
  options: CronTriggerOptions,
  now: string,
  previous: string | null = null,
): string | undefined =>
  new CronTrigger(options)
    .getNextTriggerTime(previous === null ? null : new Date(previous), new Date(now))
    ?.toISOString();

describe("CronTrigger field language (asyncz)", () => {
  it("steps on years and months with a day range", () => {
    expect(
      fireTimes(
        new CronTrigger({ year: "2009/2", month: "1/3", day: "5-13" }),
        "2008-12-01T00:00:00Z",
        2,
      ),
    ).toEqual(["2009-01-05T00:00:00.000Z", "2009-01-06T00:00:00.000Z"]);
    expect(next({ year: "2009/2", month: "1/3", day: "5-13" }, "2009-10-14T00:00:00Z")).toBe(
      "2011-01-05T00:00:00.000Z",
    );
  });

  it("reads month and weekday names, case-insensitively", () => {
    expect(next({ month: "FEB,dec", day: 1 }, "2026-03-01T00:00:00Z")).toBe(
      "2026-12-01T00:00:00.000Z",
    );
    expect(next({ dayOfWeek: "WED" }, "2026-01-01T00:00:00Z")).toBe("2026-01-07T00:00:00.000Z");
    expect(next({ dayOfWeek: "tue-sat", hour: 8 }, "2026-01-05T09:00:00Z")).toBe(
      "2026-01-06T08:00:00.000Z",
    );
  });

  it("numbers weekdays from Monday = 0", () => {
    expect(next({ dayOfWeek: 0, hour: 8 }, "2026-01-01T00:00:00Z")).toBe(
      "2026-01-05T08:00:00.000Z",
    );
    expect(next({ dayOfWeek: 6, hour: 8 }, "2026-01-01T00:00:00Z")).toBe(
      "2026-01-04T08:00:00.000Z",
    );
  });

  it("finds the last day of the month", () => {
    expect(next({ month: 2, day: "last" }, "2012-01-01T00:00:00Z")).toBe(
      "2012-02-29T00:00:00.000Z",
    );
    expect(next({ month: 2, day: "last" }, "2013-01-01T00:00:00Z")).toBe(
      "2013-02-28T00:00:00.000Z",
    );
  });

  it("finds the n-th and last weekday of a month (Feb 2008: 1, 13, 29)", () => {
    expect(next({ day: "1st fri" }, "2008-02-01T00:00:00Z")).toBe("2008-02-01T00:00:00.000Z");
    expect(next({ day: "2nd wed" }, "2008-02-01T00:00:00Z")).toBe("2008-02-13T00:00:00.000Z");
    expect(next({ day: "last fri" }, "2008-02-01T00:00:00Z")).toBe("2008-02-29T00:00:00.000Z");
    // A 5th Wednesday that does not exist skips the month: Feb 2026 has four.
    expect(next({ day: "5th wed" }, "2026-02-01T00:00:00Z")).toBe("2026-04-29T00:00:00.000Z");
  });

  it("combines day and dayOfWeek with AND (Jan 2009: Wednesday the 7th)", () => {
    expect(next({ day: "6-10", dayOfWeek: "2-4" }, "2009-01-01T00:00:00Z")).toBe(
      "2009-01-07T00:00:00.000Z",
    );
  });

  it("reads ISO weeks", () => {
    expect(next({ year: 2009, week: 8 }, "2009-01-01T00:00:00Z")).toBe("2009-02-16T00:00:00.000Z");
    expect(next({ year: 2009, week: 15, dayOfWeek: 2 }, "2009-01-01T00:00:00Z")).toBe(
      "2009-04-08T00:00:00.000Z",
    );
    expect(next({ week: 53, dayOfWeek: 0 }, "2026-01-01T00:00:00Z")).toBe(
      "2026-12-28T00:00:00.000Z",
    );
  });

  it("rolls over months that lack the day, and lists across the year end in any order", () => {
    expect(next({ day: 30 }, "2009-02-01T00:00:00Z")).toBe("2009-03-30T00:00:00.000Z");
    expect(next({ month: "12,1", day: 15 }, "2026-12-20T00:00:00Z")).toBe(
      "2027-01-15T00:00:00.000Z",
    );
    expect(next({ year: "2030,2028" }, "2026-06-01T00:00:00Z")).toBe("2028-01-01T00:00:00.000Z");
  });

  it("defaults less significant fields to their minimum and more significant ones to *", () => {
    expect(fireTimes(new CronTrigger({ minute: 5 }), "2026-01-01T10:07:00Z", 2)).toEqual([
      "2026-01-01T11:05:00.000Z",
      "2026-01-01T12:05:00.000Z",
    ]);
    expect(next({ day: 5 }, "2026-01-05T00:00:01Z")).toBe("2026-02-05T00:00:00.000Z");
    expect(fireTimes(new CronTrigger(), "2026-01-01T00:00:00.200Z", 2)).toEqual([
      "2026-01-01T00:00:01.000Z",
      "2026-01-01T00:00:02.000Z",
    ]);
    expect(
      next(
        { dayOfWeek: "mon,tue,wed,thu,fri,sat,sun", hour: 8, minute: 1 },
        "2026-01-01T09:00:00Z",
      ),
    ).toBe("2026-01-02T08:01:00.000Z");
  });

  it("follows asyncz on previous/now: after the previous fire, or from now when the clock went back", () => {
    const daily = { hour: 0 };
    expect(next(daily, "2010-11-26T00:00:00Z", "2010-11-23T00:00:00Z")).toBe(
      "2010-11-24T00:00:00.000Z",
    );
    expect(next(daily, "2010-11-23T00:00:00Z", "2010-11-25T00:00:00Z")).toBe(
      "2010-11-23T00:00:00.000Z",
    );
    expect(next(daily, "2010-11-25T00:00:00Z", "2010-11-25T00:00:00Z")).toBe(
      "2010-11-26T00:00:00.000Z",
    );
  });

  it("respects startAt and endAt (inclusive), with wall times in the trigger's zone", () => {
    const trigger = new CronTrigger({
      hour: 8,
      startAt: "2026-01-10",
      endAt: "2026-01-12T08:00:00",
      timezone: "Europe/Berlin",
    });
    expect(fireTimes(trigger, "2026-01-01T00:00:00Z", 5)).toEqual([
      "2026-01-10T07:00:00.000Z",
      "2026-01-11T07:00:00.000Z",
      "2026-01-12T07:00:00.000Z",
    ]);
  });

  it("reads fields in its zone, else the context's zone, else UTC — never the host's", () => {
    expect(next({ hour: 11, minute: "*/5", timezone: "Etc/GMT+5" }, "2026-01-01T16:16:00Z")).toBe(
      "2026-01-01T16:20:00.000Z",
    );
    const trigger = new CronTrigger({ hour: 8 });
    expect(
      trigger
        .getNextTriggerTime(null, new Date("2026-01-01T00:00:00Z"), { timezone: "Asia/Tokyo" })
        ?.toISOString(),
    ).toBe("2026-01-01T23:00:00.000Z");
    expect(trigger.getNextTriggerTime(null, new Date("2026-01-01T00:00:00Z"))?.toISOString()).toBe(
      "2026-01-01T08:00:00.000Z",
    );
  });

  it("returns null when the schedule can never fire again", () => {
    expect(next({ year: 2020 }, "2026-01-01T00:00:00Z")).toBeUndefined();
    expect(next({ year: "2029-2031", month: 2, day: 29 }, "2026-01-01T00:00:00Z")).toBeUndefined();
  });

  it("rejects a day that no allowed month has, instead of never firing", () => {
    expect(() => new CronTrigger({ month: 2, day: 30 })).toThrow(
      /day = 30: no allowed month \(month = "2"\) has day 30 or later, so the schedule would never fire/,
    );
    expect(() => new CronTrigger({ month: "apr,jun", day: "31" })).toThrow(
      InvalidCronExpressionError,
    );
    expect(next({ month: "feb,mar", day: 31 }, "2026-01-01T00:00:00Z")).toBe(
      "2026-03-31T00:00:00.000Z",
    );
    expect(next({ month: 2, day: 29 }, "2026-01-01T00:00:00Z")).toBe("2028-02-29T00:00:00.000Z");
  });

  it("prints the fields it was given, in field order", () => {
    expect(String(new CronTrigger({ day: "3rd FRI", month: "6-8, 11-12" }))).toBe(
      "cron[month='6-8,11-12', day='3rd fri']",
    );
    expect(String(new CronTrigger({ dayOfWeek: "mon-fri", hour: 8, minute: 1 }))).toBe(
      "cron[dayOfWeek='mon-fri', hour='8', minute='1']",
    );
    expect(String(CronTrigger.fromCrontab(" 0 8 * * 1-5 "))).toBe("cron[crontab='0 8 * * 1-5']");
  });
});

describe("CronTrigger jitter", () => {
  it("never hands out the same time twice, even when two grid times jitter onto one millisecond", () => {
    // Found by fast-check: 01:02:15 and 01:03:15 both jitter to 01:03:48.462 with this seed.
    const trigger = new CronTrigger({ minute: "0,2,3", second: 15, jitter: 108 });
    const times = fireTimes(trigger, new Date(1_924_984_996_000).toISOString(), 12, { seed: "S" });
    expect(times).toHaveLength(12);
    expect(new Set(times).size).toBe(12);
    expect(times).toContain("2031-01-01T01:03:48.462Z");
  });

  it("is deterministic per seed and stays within the jitter of the schedule", () => {
    const trigger = new CronTrigger({ minute: "*/10", jitter: 30 });
    const times = fireTimes(trigger, "2026-01-01T00:00:00Z", 20, { seed: "task-1" });
    expect(
      fireTimes(new CronTrigger({ minute: "*/10", jitter: 30 }), "2026-01-01T00:00:00Z", 20, {
        seed: "task-1",
      }),
    ).toEqual(times);
    times.forEach((time, index) => {
      const delay = Date.parse(time) - Date.parse("2026-01-01T00:00:00Z") - index * 600_000;
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(30_000);
    });
  });

  it("never passes endAt", () => {
    const trigger = new CronTrigger({ minute: "*", endAt: "2026-01-01T00:05:00Z", jitter: 3600 });
    const times = fireTimes(trigger, "2026-01-01T00:00:00Z", 100, { seed: "e" });
    expect(times.length).toBeGreaterThan(0);
    for (const time of times)
      expect(Date.parse(time)).toBeLessThanOrEqual(Date.parse("2026-01-01T00:05:00Z"));
  });
});

describe("CronTrigger rejects bad input with typed errors naming field and value", () => {
  const cases: [CronTriggerOptions | Record<string, unknown>, RegExp][] = [
    [{ hour: 25 }, /hour = 25: the last value \(25\) is higher than the maximum value \(23\)/],
    [{ hour: "0-24" }, /hour = "0-24": the last value \(24\)/],
    [{ day: "0-3" }, /day = "0-3": the first value \(0\) is lower than the minimum value \(1\)/],
    [{ day: "*/0" }, /day = "\*\/0": the step value \(0\) must be a positive integer/],
    [
      { day: "*/31" },
      /day = "\*\/31": the step value \(31\) is higher than the total range of the expression \(30\)/,
    ],
    [
      { dayOfWeek: "sun-mon" },
      /dayOfWeek = "sun-mon": the minimum value in a range \(6\) must not be higher than the maximum \(0\)/,
    ],
    [{ dayOfWeek: 7 }, /dayOfWeek = 7/],
    [{ month: "foo" }, /month = "foo": unrecognised expression "foo"/],
    [{ day: "3rd xyz" }, /day = "3rd xyz": "xyz" is not a weekday name/],
    [{ day: "6th fri" }, /day = "6th fri"/],
    [{ minute: 1.5 }, /minute = 1.5: expected an integer/],
    [{ minute: "" }, /minute = "": the expression is empty/],
    [{ second: "1,,2" }, /second = "1,,2": an item of the list is empty/],
    [{ year: 1969 }, /year = 1969/],
  ];
  it.each(cases)("%j", (options, message) => {
    expect(() => new CronTrigger(options as CronTriggerOptions)).toThrow(
      InvalidCronExpressionError,
    );
    expect(() => new CronTrigger(options as CronTriggerOptions)).toThrow(message);
  });

  it("rejects unknown arguments (asyncz ignores `hours`)", () => {
    const error = (() => {
      try {
        new CronTrigger({ hours: 3 } as CronTriggerOptions);
      } catch (caught) {
        return caught;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(UnknownTriggerArgumentError);
    expect(error).toMatchObject({ code: "UNKNOWN_TRIGGER_ARGUMENT", field: "hours", value: 3 });
  });

  it("rejects an unknown zone in the evaluation context", () => {
    expect(() =>
      new CronTrigger({ hour: 8 }).getNextTriggerTime(null, new Date(0), {
        timezone: "Nowhere/City",
      }),
    ).toThrow(UnknownTimezoneError);
  });

  it("rejects bad zones, dates and jitter", () => {
    expect(() => new CronTrigger({ hour: 1, timezone: "Mars/Base" })).toThrow(UnknownTimezoneError);
    expect(() => new CronTrigger({ hour: 1, startAt: "soon" })).toThrow(/startAt = "soon"/);
    expect(() => new CronTrigger({ hour: 1, jitter: -1 })).toThrow(/jitter = -1/);
    expect(() => new CronTrigger({ hour: 1, startAt: "2026-02-01", endAt: "2026-01-01" })).toThrow(
      InvalidTriggerArgumentError,
    );
    expect(() => new CronTrigger({ hour: 1, crontab: "* * * * *" })).toThrow(
      /hour = 1: cannot be combined with crontab/,
    );
  });
});
