import { describe, expect, it } from "vitest";
import { InvalidCronExpressionError } from "../../errors.js";
import { fireTimes } from "../test-support/fire-times.js";
import { CronTrigger } from "./cron-trigger.js";

const days = (expression: string, from: string, count: number): string[] =>
  fireTimes(CronTrigger.fromCrontab(expression), from, count).map((time) => time.slice(0, 10));

describe("CronTrigger.fromCrontab (standard crontab)", () => {
  it("reads 0 and 7 as Sunday, unlike asyncz's from_crontab", () => {
    expect(days("0 8 * * 0", "2026-01-01T00:00:00Z", 1)).toEqual(["2026-01-04"]);
    expect(days("0 8 * * 7", "2026-01-01T00:00:00Z", 1)).toEqual(["2026-01-04"]);
    expect(days("0 8 * * 5-7", "2026-01-01T00:00:00Z", 4)).toEqual([
      "2026-01-02",
      "2026-01-03",
      "2026-01-04",
      "2026-01-09",
    ]);
  });

  it("takes a leading seconds field", () => {
    expect(
      fireTimes(CronTrigger.fromCrontab("*/20 0 12 * * *"), "2026-01-01T00:00:00Z", 3),
    ).toEqual(["2026-01-01T12:00:00.000Z", "2026-01-01T12:00:20.000Z", "2026-01-01T12:00:40.000Z"]);
  });

  it("supports L, L-n, nW, LW, n#k and nL", () => {
    expect(days("0 0 L * *", "2026-01-01T00:00:00Z", 3)).toEqual([
      "2026-01-31",
      "2026-02-28",
      "2026-03-31",
    ]);
    expect(days("0 0 L-2 * *", "2026-01-01T00:00:00Z", 3)).toEqual([
      "2026-01-29",
      "2026-02-26",
      "2026-03-29",
    ]);
    // 2026-02-01 is a Sunday: 1W → Monday the 2nd; 2026-05-31 is a Sunday: 31W → Friday the 29th.
    expect(days("0 0 1W * *", "2026-01-15T00:00:00Z", 1)).toEqual(["2026-02-02"]);
    expect(days("0 0 31W 5 *", "2026-01-01T00:00:00Z", 1)).toEqual(["2026-05-29"]);
    expect(days("0 0 LW * *", "2026-01-01T00:00:00Z", 3)).toEqual([
      "2026-01-30",
      "2026-02-27",
      "2026-03-31",
    ]);
    expect(days("0 0 * * 5#3", "2026-01-01T00:00:00Z", 2)).toEqual(["2026-01-16", "2026-02-20"]);
    expect(days("0 0 * * fri#3", "2026-01-01T00:00:00Z", 1)).toEqual(["2026-01-16"]);
    expect(days("0 0 * * 1L", "2026-01-01T00:00:00Z", 2)).toEqual(["2026-01-26", "2026-02-23"]);
  });

  it("combines restricted day and weekday with OR (Vixie), otherwise AND", () => {
    expect(days("0 0 13 * 5", "2026-02-01T00:00:00Z", 4)).toEqual([
      "2026-02-06",
      "2026-02-13",
      "2026-02-20",
      "2026-02-27",
    ]);
    expect(days("0 0 13 * *", "2026-02-01T00:00:00Z", 1)).toEqual(["2026-02-13"]);
    expect(days("0 0 ? * 5", "2026-02-01T00:00:00Z", 1)).toEqual(["2026-02-06"]);
  });

  it("knows the nicknames", () => {
    expect(fireTimes(CronTrigger.fromCrontab("@yearly"), "2026-05-01T00:00:00Z", 1)).toEqual([
      "2027-01-01T00:00:00.000Z",
    ]);
    expect(fireTimes(CronTrigger.fromCrontab("@annually"), "2026-05-01T00:00:00Z", 1)).toEqual([
      "2027-01-01T00:00:00.000Z",
    ]);
    expect(fireTimes(CronTrigger.fromCrontab("@monthly"), "2026-05-02T00:00:00Z", 1)).toEqual([
      "2026-06-01T00:00:00.000Z",
    ]);
    expect(fireTimes(CronTrigger.fromCrontab("@weekly"), "2026-05-01T00:00:00Z", 1)).toEqual([
      "2026-05-03T00:00:00.000Z",
    ]);
    expect(fireTimes(CronTrigger.fromCrontab("@daily"), "2026-05-01T10:00:00Z", 1)).toEqual([
      "2026-05-02T00:00:00.000Z",
    ]);
    expect(fireTimes(CronTrigger.fromCrontab("@midnight"), "2026-05-01T10:00:00Z", 1)).toEqual([
      "2026-05-02T00:00:00.000Z",
    ]);
    expect(fireTimes(CronTrigger.fromCrontab("@hourly"), "2026-05-01T10:30:00Z", 1)).toEqual([
      "2026-05-01T11:00:00.000Z",
    ]);
  });

  it("reads its zone, and round-trips through JSON", () => {
    const trigger = CronTrigger.fromCrontab("30 2 * * *", "America/New_York");
    expect(fireTimes(trigger, "2026-03-07T12:00:00Z", 2)).toEqual([
      "2026-03-08T07:30:00.000Z",
      "2026-03-09T06:30:00.000Z",
    ]);
    const copy = CronTrigger.fromJSON(JSON.parse(JSON.stringify(trigger)));
    expect(fireTimes(copy, "2026-03-07T12:00:00Z", 2)).toEqual(
      fireTimes(trigger, "2026-03-07T12:00:00Z", 2),
    );
  });

  const bad: [string, RegExp][] = [
    ["* * * *", /crontab = "\* \* \* \*": wrong number of fields: got 4, expected 5/],
    ["0 0 * * * * 2026", /got 7/],
    ["", /got 0/],
    ["@often", /unknown nickname/],
    ["60 * * * *", /crontab minute = "60": the last value \(60\)/],
    ["* 24 * * *", /crontab hour = "24"/],
    ["* * 0 * *", /crontab day = "0": the first value \(0\) is lower/],
    ["* * * 13 *", /crontab month = "13"/],
    ["* * * * 8", /crontab dayOfWeek = "8"/],
    ["*/0 * * * *", /crontab minute = "\*\/0": the step value \(0\)/],
    ["* * * * 5#6", /crontab dayOfWeek = "5#6": "5#6": the occurrence must be 1..5/],
    ["* * L-31 * *", /at most 30 days before the last/],
    ["* * 32W * *", /the day must be 1..31/],
    ["* * * * sat-sun#2", /crontab dayOfWeek/],
    ["5-1 * * * *", /must not be higher than the maximum/],
    ["0 0 30 2 *", /crontab day = "30": no allowed month \(month = "2"\) has day 30 or later/],
    ["0 0 31 4,6,9,11 *", /crontab day = "31": no allowed month/],
  ];
  it.each(bad)("rejects %j", (expression, message) => {
    expect(() => CronTrigger.fromCrontab(expression)).toThrow(InvalidCronExpressionError);
    expect(() => CronTrigger.fromCrontab(expression)).toThrow(message);
  });
});
