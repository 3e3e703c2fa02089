import { describe, expect, it } from "vitest";
import { InvalidTriggerArgumentError } from "../errors.js";
import { AndTrigger } from "./and-trigger.js";
import { CronTrigger } from "./cron/cron-trigger.js";
import { DateTrigger } from "./date-trigger.js";
import { IntervalTrigger } from "./interval-trigger.js";
import { OrTrigger } from "./or-trigger.js";
import { ShutdownTrigger } from "./shutdown-trigger.js";
import { fireTimes } from "./test-support/fire-times.js";
import type { Trigger } from "./trigger.js";

const date = (runAt: string): DateTrigger => new DateTrigger({ runAt });

describe("OrTrigger", () => {
  it("fires every date of an or of dates (asyncz fires once)", () => {
    const trigger = new OrTrigger({
      triggers: [
        date("2026-01-03T00:00:00Z"),
        date("2026-01-01T00:00:00Z"),
        date("2026-01-02T00:00:00Z"),
      ],
    });
    expect(fireTimes(trigger, "2025-12-01T00:00:00Z", 10)).toEqual([
      "2026-01-01T00:00:00.000Z",
      "2026-01-02T00:00:00.000Z",
      "2026-01-03T00:00:00.000Z",
    ]);
  });

  it("merges cron and interval schedules, firing once when they coincide", () => {
    const trigger = new OrTrigger({
      triggers: [
        new CronTrigger({ minute: "*/20" }),
        new IntervalTrigger({ minutes: 30, startAt: "2026-01-01T00:00:00Z" }),
      ],
    });
    expect(fireTimes(trigger, "2026-01-01T00:00:00Z", 6).map((time) => time.slice(11, 16))).toEqual(
      ["00:00", "00:20", "00:30", "00:40", "01:00", "01:20"],
    );
  });

  it("ends when every child has ended", () => {
    const trigger = new OrTrigger({
      triggers: [date("2026-01-01T00:00:00Z"), new ShutdownTrigger()],
    });
    expect(fireTimes(trigger, "2025-01-01T00:00:00Z", 5)).toEqual(["2026-01-01T00:00:00.000Z"]);
  });

  it("prints its children", () => {
    expect(
      String(
        new OrTrigger({ triggers: [new CronTrigger({ hour: 8 }), date("2026-03-01T08:00:00Z")] }),
      ),
    ).toBe("or[cron[hour='8'], date[2026-03-01 08:00:00 UTC]]");
  });
});

describe("AndTrigger", () => {
  it("fires when every child fires (first Monday of each month)", () => {
    const trigger = new AndTrigger({
      triggers: [new CronTrigger({ day: "1-7" }), new CronTrigger({ dayOfWeek: "mon" })],
    });
    expect(fireTimes(trigger, "2026-01-01T00:00:00Z", 3)).toEqual([
      "2026-01-05T00:00:00.000Z",
      "2026-02-02T00:00:00.000Z",
      "2026-03-02T00:00:00.000Z",
    ]);
  });

  it("keeps firing after the first run (asyncz loops forever here)", () => {
    const trigger = new AndTrigger({
      triggers: [
        new CronTrigger({ hour: "*/2" }),
        new IntervalTrigger({ hours: 3, startAt: "2026-01-01T00:00:00Z" }),
      ],
    });
    expect(fireTimes(trigger, "2026-01-01T00:00:00Z", 4).map((time) => time.slice(11, 16))).toEqual(
      ["00:00", "06:00", "12:00", "18:00"],
    );
  });

  it("terminates with null when the children never agree", () => {
    const never = new AndTrigger({
      triggers: [new CronTrigger({ second: 1 }), new CronTrigger({ second: 2 })],
    });
    expect(never.getNextTriggerTime(null, new Date("2026-01-01T00:00:00Z"))).toBeNull();
    const disjoint = new AndTrigger({
      triggers: [
        new CronTrigger({ hour: 8, dayOfWeek: "mon" }),
        new CronTrigger({ hour: 8, dayOfWeek: "tue" }),
      ],
    });
    expect(
      disjoint.getNextTriggerTime(
        new Date("2026-01-05T08:00:00Z"),
        new Date("2026-01-05T08:00:00Z"),
      ),
    ).toBeNull();
  });

  it("ends when a child ends", () => {
    const trigger = new AndTrigger({
      triggers: [
        new CronTrigger({ minute: 0, endAt: "2026-01-01T02:00:00Z" }),
        new CronTrigger({ second: 0 }),
      ],
    });
    expect(fireTimes(trigger, "2026-01-01T00:00:00Z", 10)).toHaveLength(3);
  });

  it("applies jitter to the combined time without drifting", () => {
    const trigger = new AndTrigger({
      triggers: [new CronTrigger({ minute: "*/10" }), new CronTrigger({ minute: "*/15" })],
      jitter: 60,
    });
    const times = fireTimes(trigger, "2026-01-01T00:00:00Z", 50, { seed: "s" });
    times.forEach((time, index) => {
      const delay = Date.parse(time) - Date.parse("2026-01-01T00:00:00Z") - index * 30 * 60_000;
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(60_000);
    });
  });

  it("rejects an empty or non-trigger child list", () => {
    expect(() => new AndTrigger({ triggers: [] })).toThrow(InvalidTriggerArgumentError);
    expect(() => new OrTrigger({ triggers: [{} as Trigger] })).toThrow(/triggers\[0\] = \{\}/);
    expect(() => new OrTrigger({ triggers: [new ShutdownTrigger()], jitter: -2 })).toThrow(
      /jitter = -2/,
    );
  });
});
