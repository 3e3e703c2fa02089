import { describe, expect, it } from "vitest";
import { InvalidTriggerArgumentError, UnknownTriggerArgumentError } from "../errors.js";
import { IntervalTrigger } from "./interval-trigger.js";
import { fireTimes, gapsInMinutes } from "./test-support/fire-times.js";

const made = { now: new Date("2026-01-01T00:00:00Z") };

describe("IntervalTrigger", () => {
  it("first fires one interval after it was made, then every interval", () => {
    const trigger = new IntervalTrigger({ minutes: 5 }, made);
    expect(fireTimes(trigger, "2026-01-01T00:00:00Z", 3)).toEqual([
      "2026-01-01T00:05:00.000Z",
      "2026-01-01T00:10:00.000Z",
      "2026-01-01T00:15:00.000Z",
    ]);
  });

  it("adds its durations up", () => {
    expect(
      new IntervalTrigger({ weeks: 1, days: 1, hours: 1, minutes: 1, seconds: 1.5 }, made)
        .intervalMs,
    ).toBe((8 * 86_400 + 3661.5) * 1000);
  });

  it("fires at startAt, or at the next grid point when started late", () => {
    const trigger = new IntervalTrigger({ seconds: 10, startAt: "2026-01-01T00:00:00Z" });
    expect(trigger.getNextTriggerTime(null, new Date("2025-12-31T00:00:00Z"))?.toISOString()).toBe(
      "2026-01-01T00:00:00.000Z",
    );
    expect(trigger.getNextTriggerTime(null, new Date("2026-01-01T00:00:00Z"))?.toISOString()).toBe(
      "2026-01-01T00:00:00.000Z",
    );
    expect(trigger.getNextTriggerTime(null, new Date("2026-01-01T00:00:21Z"))?.toISOString()).toBe(
      "2026-01-01T00:00:30.000Z",
    );
  });

  it("stops after endAt (inclusive)", () => {
    const trigger = new IntervalTrigger({
      hours: 1,
      startAt: "2026-01-01T00:00:00Z",
      endAt: "2026-01-01T02:00:00Z",
    });
    expect(fireTimes(trigger, "2026-01-01T00:00:00Z", 10)).toEqual([
      "2026-01-01T00:00:00.000Z",
      "2026-01-01T01:00:00.000Z",
      "2026-01-01T02:00:00.000Z",
    ]);
  });

  it("reads wall-time strings in its zone (else the context's)", () => {
    const trigger = new IntervalTrigger({ hours: 1, startAt: "2026-07-01T08:00:00" });
    expect(
      trigger
        .getNextTriggerTime(null, new Date("2026-06-01T00:00:00Z"), { timezone: "Europe/Berlin" })
        ?.toISOString(),
    ).toBe("2026-07-01T06:00:00.000Z");
    expect(trigger.getNextTriggerTime(null, new Date("2026-06-01T00:00:00Z"))?.toISOString()).toBe(
      "2026-07-01T08:00:00.000Z",
    );
  });

  it("uses 1 second when every duration is 0 (as asyncz)", () => {
    expect(new IntervalTrigger({}, made).intervalMs).toBe(1000);
  });

  it("prints like Python's timedelta", () => {
    expect(String(new IntervalTrigger({ minutes: 5 }, made))).toBe("interval[0:05:00]");
    expect(String(new IntervalTrigger({ days: 2, seconds: 1.5 }, made))).toBe(
      "interval[2 days, 0:00:01.500000]",
    );
    expect(String(new IntervalTrigger({ days: 1 }, made))).toBe("interval[1 day, 0:00:00]");
  });

  it("round-trips through JSON without moving its grid", () => {
    const trigger = new IntervalTrigger(
      { minutes: 7, endAt: "2026-02-01T00:00:00", timezone: "Asia/Tokyo", jitter: 3 },
      made,
    );
    const copy = IntervalTrigger.fromJSON(JSON.parse(JSON.stringify(trigger)));
    expect(fireTimes(copy, "2026-01-01T00:00:00Z", 5, { seed: "t" })).toEqual(
      fireTimes(trigger, "2026-01-01T00:00:00Z", 5, { seed: "t" }),
    );
  });

  it("rejects negative or non-numeric durations, bad dates and unknown arguments", () => {
    expect(() => new IntervalTrigger({ minutes: -1 })).toThrow(InvalidTriggerArgumentError);
    expect(() => new IntervalTrigger({ minutes: -1 })).toThrow(/minutes = -1/);
    expect(() => new IntervalTrigger({ seconds: "5" as unknown as number })).toThrow(
      /seconds = "5"/,
    );
    // describeValue (errors.ts, shared) renders Infinity as "null" through JSON; the field is named.
    expect(() => new IntervalTrigger({ hours: Number.POSITIVE_INFINITY })).toThrow(
      /^Invalid hours = /,
    );
    expect(() => new IntervalTrigger({ minutes: 1, startAt: "2026-13-01" })).toThrow(
      /startAt = "2026-13-01"/,
    );
    expect(
      () => new IntervalTrigger({ minutes: 1, startAt: "2026-02-01", endAt: "2026-01-01" }),
    ).toThrow(/endAt/);
    expect(() => new IntervalTrigger({ minute: 1 } as never)).toThrow(UnknownTriggerArgumentError);
  });
});

describe("interval jitter", () => {
  const startAt = "2026-01-01T00:00:00Z";

  it("stays within [0, jitter) and is a pure function of (seed, grid time)", () => {
    const trigger = new IntervalTrigger({ minutes: 1, startAt, jitter: 30 });
    const times = fireTimes(trigger, startAt, 200, { seed: "task-a" });
    times.forEach((time, index) => {
      const delay = Date.parse(time) - (Date.parse(startAt) + index * 60_000);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(30_000);
    });
    // Another process with the same seed computes the same times; another task does not.
    expect(
      fireTimes(new IntervalTrigger({ minutes: 1, startAt, jitter: 30 }), startAt, 200, {
        seed: "task-a",
      }),
    ).toEqual(times);
    expect(fireTimes(trigger, startAt, 200, { seed: "task-b" })).not.toEqual(times);
  });

  it("never accumulates: the 1000th run is still within jitter of its grid point", () => {
    const trigger = new IntervalTrigger({ seconds: 10, startAt, jitter: 9 });
    const times = fireTimes(trigger, startAt, 1000, { seed: "x" });
    const last = Date.parse(times.at(-1) ?? "");
    expect(last - (Date.parse(startAt) + 999 * 10_000)).toBeLessThan(9000);
  });

  it("never goes past endAt", () => {
    const trigger = new IntervalTrigger({
      minutes: 1,
      startAt,
      endAt: "2026-01-01T00:10:00Z",
      jitter: 59,
    });
    const times = fireTimes(trigger, startAt, 100, { seed: "y" });
    expect(times).toHaveLength(11);
    for (const time of times)
      expect(Date.parse(time)).toBeLessThanOrEqual(Date.parse("2026-01-01T00:10:00Z"));
  });

  it("spreads tasks: 100 seeds give many different delays", () => {
    const trigger = new IntervalTrigger({ minutes: 1, startAt, jitter: 60 });
    const delays = new Set(
      Array.from(
        { length: 100 },
        (_, seed) => fireTimes(trigger, startAt, 1, { seed: String(seed) })[0],
      ),
    );
    expect(delays.size).toBeGreaterThan(90);
    expect(gapsInMinutes(["2026-01-01T00:00:00Z", "2026-01-01T00:01:00Z"])).toEqual([1]);
  });
});
