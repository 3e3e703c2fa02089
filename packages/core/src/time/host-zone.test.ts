import { describe, expect, it } from "vitest";
import { CronTrigger } from "../triggers/cron/cron-trigger.js";
import { toTimeZone } from "./time-zone.js";

// The unit-tz-* projects run the trigger and time suites under three host zones. This file proves
// each run really is under the zone it claims (so "identical results" cannot pass vacuously) and
// that a trigger with no zone anywhere uses UTC, never the host's zone.
const JANUARY_OFFSETS: Record<string, number> = {
  UTC: 0,
  "America/New_York": 300,
  "Australia/Lord_Howe": -660,
};

describe("host zone of this run", () => {
  it("is the zone the project sets (or, in the plain unit project, the zone TZ names)", () => {
    const hostZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const expected = process.env.EXPECTED_HOST_TZ ?? process.env.TZ;
    if (expected === undefined || expected === "") {
      expect(toTimeZone(hostZone)).toBe(hostZone);
      return;
    }
    expect(hostZone).toBe(expected === "Etc/UTC" ? "UTC" : expected);
    const offset = JANUARY_OFFSETS[expected];
    if (offset !== undefined)
      expect(new Date(Date.UTC(2026, 0, 15)).getTimezoneOffset()).toBe(offset);
  });

  it("does not leak into triggers: no zone means UTC", () => {
    const next = new CronTrigger({ hour: 8 }).getNextTriggerTime(
      null,
      new Date("2026-01-15T00:00:00Z"),
    );
    expect(next?.toISOString()).toBe("2026-01-15T08:00:00.000Z");
  });
});
