import { describe, expect, it } from "vitest";
import { IntervalTrigger } from "../interval-trigger.js";
import { fireTimes, gapsInMinutes } from "../test-support/fire-times.js";
import { CronTrigger } from "./cron-trigger.js";

// SPEC §7: gap → shifted forward by the gap, fires once; overlap → first occurrence only, unless
// the hour field is `*` (then both); intervals count elapsed time.
// 2026 transitions: New York 03-08 02:00→03:00 and 11-01 02:00→01:00; Berlin 03-29 02:00→03:00
// and 10-25 03:00→02:00; Lord Howe (30 min) 04-05 02:00→01:30 and 10-04 02:00→02:30.
const ny = { timezone: "America/New_York" };
const berlin = { timezone: "Europe/Berlin" };
const lordHowe = { timezone: "Australia/Lord_Howe" };

describe("daily times inside the gap fire once, shifted forward", () => {
  it("New York 02:30 → 03:30 EDT on the spring day, 02:30 again after", () => {
    expect(
      fireTimes(new CronTrigger({ hour: 2, minute: 30 }), "2026-03-07T12:00:00Z", 3, ny),
    ).toEqual(["2026-03-08T07:30:00.000Z", "2026-03-09T06:30:00.000Z", "2026-03-10T06:30:00.000Z"]);
  });

  it("Berlin 02:30 → 03:30 CEST", () => {
    expect(
      fireTimes(
        new CronTrigger({ hour: 2, minute: 30, timezone: "Europe/Berlin" }),
        "2026-03-28T12:00:00Z",
        3,
      ),
    ).toEqual(["2026-03-29T01:30:00.000Z", "2026-03-30T00:30:00.000Z", "2026-03-31T00:30:00.000Z"]);
  });

  it("Lord Howe 02:15 → 02:45 LHDT (a 30-minute gap)", () => {
    expect(
      fireTimes(new CronTrigger({ hour: 2, minute: 15 }), "2026-10-03T00:00:00Z", 3, lordHowe),
    ).toEqual(["2026-10-03T15:45:00.000Z", "2026-10-04T15:15:00.000Z", "2026-10-05T15:15:00.000Z"]);
  });

  it("a shifted gap time is still due when asked just after the jump", () => {
    const trigger = new CronTrigger({ hour: 2, minute: 45 });
    expect(
      trigger.getNextTriggerTime(null, new Date("2026-03-08T07:05:00Z"), ny)?.toISOString(),
    ).toBe("2026-03-08T07:45:00.000Z");
  });

  it("gap times that land on real times fire once", () => {
    expect(
      fireTimes(new CronTrigger({ hour: "2-3", minute: "10,45" }), "2026-03-08T00:00:00Z", 3, ny),
    ).toEqual(["2026-03-08T07:10:00.000Z", "2026-03-08T07:45:00.000Z", "2026-03-09T06:10:00.000Z"]);
  });
});

describe("daily times inside the overlap fire once, at the first occurrence", () => {
  it("New York 01:30 → 01:30 EDT only", () => {
    expect(
      fireTimes(new CronTrigger({ hour: 1, minute: 30 }), "2026-10-31T12:00:00Z", 3, ny),
    ).toEqual(["2026-11-01T05:30:00.000Z", "2026-11-02T06:30:00.000Z", "2026-11-03T06:30:00.000Z"]);
  });

  it("Berlin 02:30 → 02:30 CEST only", () => {
    expect(
      fireTimes(new CronTrigger({ hour: 2, minute: 30 }), "2026-10-24T12:00:00Z", 2, berlin),
    ).toEqual(["2026-10-25T00:30:00.000Z", "2026-10-26T01:30:00.000Z"]);
  });

  it("Lord Howe 01:45 → 01:45 LHDT only", () => {
    expect(
      fireTimes(new CronTrigger({ hour: 1, minute: 45 }), "2026-04-04T00:00:00Z", 2, lordHowe),
    ).toEqual(["2026-04-04T14:45:00.000Z", "2026-04-05T15:15:00.000Z"]);
  });

  it("a trigger asked during the second pass does not fire the repeated time again", () => {
    const trigger = new CronTrigger({ hour: 1, minute: 30 });
    expect(
      trigger.getNextTriggerTime(null, new Date("2026-11-01T06:10:00Z"), ny)?.toISOString(),
    ).toBe("2026-11-02T06:30:00.000Z");
  });

  it("a restricted hour with */30 minutes fires the repeated hour once", () => {
    expect(
      fireTimes(new CronTrigger({ hour: 2, minute: "*/30" }), "2026-10-24T12:00:00Z", 3, berlin),
    ).toEqual(["2026-10-25T00:00:00.000Z", "2026-10-25T00:30:00.000Z", "2026-10-26T01:00:00.000Z"]);
  });
});

describe("*/30 minutes keeps firing every 30 real minutes through both transitions", () => {
  const cases = [
    ["New York spring", ny, "2026-03-08T04:00:00Z"],
    ["New York autumn", ny, "2026-11-01T03:00:00Z"],
    ["Berlin spring", berlin, "2026-03-28T23:00:00Z"],
    ["Berlin autumn", berlin, "2026-10-24T22:00:00Z"],
    ["Lord Howe spring", lordHowe, "2026-10-03T12:00:00Z"],
    ["Lord Howe autumn", lordHowe, "2026-04-04T12:00:00Z"],
  ] as const;
  it.each(cases)("%s", (_name, context, from) => {
    const times = fireTimes(new CronTrigger({ minute: "*/30" }), from, 16, context);
    expect(times).toHaveLength(16);
    expect(gapsInMinutes(times)).toEqual(Array(15).fill(30));
  });

  it("finds a second occurrence even when earlier walls of the window are single (Lord Howe's half hour)", () => {
    // From 01:31 LHDT: 01:30 repeats at 01:30 LHST (15:00Z), before 02:01 LHST.
    expect(
      fireTimes(new CronTrigger({ minute: "1,30" }), "2026-04-04T14:31:00Z", 3, lordHowe),
    ).toEqual(["2026-04-04T15:00:00.000Z", "2026-04-04T15:31:00.000Z", "2026-04-04T16:00:00.000Z"]);
  });

  it("passes through both occurrences of New York's repeated hour", () => {
    expect(fireTimes(new CronTrigger({ minute: "*/30" }), "2026-11-01T04:40:00Z", 5, ny)).toEqual([
      "2026-11-01T05:00:00.000Z", // 01:00 EDT
      "2026-11-01T05:30:00.000Z", // 01:30 EDT
      "2026-11-01T06:00:00.000Z", // 01:00 EST
      "2026-11-01T06:30:00.000Z", // 01:30 EST
      "2026-11-01T07:00:00.000Z", // 02:00 EST
    ]);
  });
});

describe("hourly schedules through both transitions", () => {
  it("New York spring: 01:00 EST, then 03:00 EDT (02:00 shifted onto it), 04:00", () => {
    expect(fireTimes(new CronTrigger({ minute: 0 }), "2026-03-08T05:30:00Z", 3, ny)).toEqual([
      "2026-03-08T06:00:00.000Z",
      "2026-03-08T07:00:00.000Z",
      "2026-03-08T08:00:00.000Z",
    ]);
  });

  it("New York autumn: 01:00 fires in both passes", () => {
    expect(fireTimes(new CronTrigger({ minute: 0 }), "2026-11-01T03:30:00Z", 4, ny)).toEqual([
      "2026-11-01T04:00:00.000Z",
      "2026-11-01T05:00:00.000Z",
      "2026-11-01T06:00:00.000Z",
      "2026-11-01T07:00:00.000Z",
    ]);
  });

  it("Berlin: every real hour in both directions", () => {
    expect(
      gapsInMinutes(fireTimes(new CronTrigger({ minute: 0 }), "2026-03-28T22:30:00Z", 6, berlin)),
    ).toEqual([60, 60, 60, 60, 60]);
    expect(
      gapsInMinutes(fireTimes(new CronTrigger({ minute: 0 }), "2026-10-24T22:30:00Z", 6, berlin)),
    ).toEqual([60, 60, 60, 60, 60]);
  });

  it("Lord Howe spring: 02:00 does not exist and fires at 02:30 LHDT", () => {
    expect(fireTimes(new CronTrigger({ minute: 0 }), "2026-10-03T14:00:00Z", 3, lordHowe)).toEqual([
      "2026-10-03T14:30:00.000Z", // 01:00 LHST
      "2026-10-03T15:30:00.000Z", // 02:00 shifted → 02:30 LHDT
      "2026-10-03T16:00:00.000Z", // 03:00 LHDT
    ]);
  });

  it("Lord Howe autumn: the repeated half hour holds no full hour", () => {
    expect(fireTimes(new CronTrigger({ minute: 0 }), "2026-04-04T13:30:00Z", 3, lordHowe)).toEqual([
      "2026-04-04T14:00:00.000Z", // 01:00 LHDT
      "2026-04-04T15:30:00.000Z", // 02:00 LHST
      "2026-04-04T16:30:00.000Z",
    ]);
  });
});

describe("intervals count elapsed time across both transitions", () => {
  const cases = [
    ["New York", "America/New_York", "2026-03-07T17:00:00Z", "2026-10-31T16:00:00Z"],
    ["Berlin", "Europe/Berlin", "2026-03-28T11:00:00Z", "2026-10-24T10:00:00Z"],
    ["Lord Howe", "Australia/Lord_Howe", "2026-10-03T01:00:00Z", "2026-04-04T01:00:00Z"],
  ] as const;
  it.each(cases)("%s: 24 h and 30 min intervals stay exact", (_name, timezone, spring, autumn) => {
    for (const startAt of [spring, autumn]) {
      const daily = new IntervalTrigger({ hours: 24, startAt, timezone });
      expect(gapsInMinutes(fireTimes(daily, startAt, 4))).toEqual([1440, 1440, 1440]);
      const halfHourly = new IntervalTrigger({ minutes: 30, startAt, timezone });
      expect(gapsInMinutes(fireTimes(halfHourly, startAt, 60))).toEqual(Array(59).fill(30));
    }
  });

  it("a wall-time startAt inside the gap starts at the shifted instant", () => {
    const trigger = new IntervalTrigger({
      hours: 1,
      startAt: "2026-03-08T02:30:00",
      timezone: "America/New_York",
    });
    expect(fireTimes(trigger, "2026-03-08T00:00:00Z", 2)).toEqual([
      "2026-03-08T07:30:00.000Z",
      "2026-03-08T08:30:00.000Z",
    ]);
  });
});
