import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  civilFromDays,
  DAY_MS,
  daysFromCivil,
  daysInMonth,
  fieldsFromWall,
  isoWeek,
  wallFromFields,
  weekdayOfDays,
} from "./civil.js";

describe("civil calendar arithmetic", () => {
  it("agrees with Date.UTC for any day from 1900 to 9999", () => {
    fc.assert(
      fc.property(fc.integer({ min: -25_567, max: 2_932_896 }), (days) => {
        const date = new Date(days * DAY_MS);
        expect(civilFromDays(days)).toEqual([
          date.getUTCFullYear(),
          date.getUTCMonth() + 1,
          date.getUTCDate(),
        ]);
        expect(
          daysFromCivil(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()),
        ).toBe(days);
        expect(weekdayOfDays(days)).toBe((date.getUTCDay() + 6) % 7);
      }),
    );
  });

  it("round-trips wall fields", () => {
    const wall = wallFromFields(2026, 3, 8, 2, 30, 15, 250);
    expect(new Date(wall).toISOString()).toBe("2026-03-08T02:30:15.250Z");
    expect(fieldsFromWall(wall)).toEqual({
      year: 2026,
      month: 3,
      day: 8,
      hour: 2,
      minute: 30,
      second: 15,
      millisecond: 250,
    });
  });

  it("knows month lengths and leap years", () => {
    expect([2024, 2025, 2100, 2000].map((year) => daysInMonth(year, 2))).toEqual([29, 28, 28, 29]);
    expect(daysInMonth(2026, 4)).toBe(30);
    expect(daysInMonth(2026, 12)).toBe(31);
  });

  it("computes ISO weeks across year ends", () => {
    expect(isoWeek(2026, 1, 1)).toBe(1); // Thursday
    expect(isoWeek(2027, 1, 1)).toBe(53); // Friday: last week of 2026
    expect(isoWeek(2020, 12, 31)).toBe(53);
    expect(isoWeek(2024, 12, 30)).toBe(1); // Monday of week 1 of 2025
    expect(isoWeek(2009, 2, 16)).toBe(8);
  });
});
