import { describe, expect, it } from "vitest";

// Proves the unit-tz-* projects really run under the zone they claim; without this, the
// "identical results under three host zones" check could pass vacuously.
describe("host zone of this run", () => {
  const expected = process.env.EXPECTED_HOST_TZ;
  it.runIf(expected !== undefined)("is the zone the project sets", () => {
    expect(Intl.DateTimeFormat().resolvedOptions().timeZone).toBe(expected);
    const januaryOffset = new Date(Date.UTC(2026, 0, 15)).getTimezoneOffset();
    const expectedOffsets: Record<string, number> = {
      UTC: 0,
      "America/New_York": 300,
      "Australia/Lord_Howe": -660,
    };
    expect(januaryOffset).toBe(expectedOffsets[expected ?? ""]);
  });
});
