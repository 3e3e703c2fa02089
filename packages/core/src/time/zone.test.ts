import { describe, expect, it } from "vitest";
import { UnknownTimezoneError } from "../errors.js";
import { wallFromFields } from "./civil.js";
import { formatInstant, formatTimePoint, instantOfPoint, parseTimePoint } from "./parse-time.js";
import { isUtcZone, toTimeZone, UTC } from "./time-zone.js";
import { instantOfWall, resolveWall, wallOf } from "./wall-time.js";
import { offsetAt } from "./zone-offset.js";

const ny = toTimeZone("America/New_York");
const berlin = toTimeZone("Europe/Berlin");
const lordHowe = toTimeZone("Australia/Lord_Howe");
const HOUR = 3_600_000;
const iso = (ms: number): string => new Date(ms).toISOString();

describe("time zones", () => {
  it("validates names and rejects unknown ones with a typed error naming the value", () => {
    expect(toTimeZone("Europe/Berlin")).toBe("Europe/Berlin");
    expect(() => toTimeZone("Mars/Olympus_Mons")).toThrow(UnknownTimezoneError);
    expect(() => toTimeZone("Mars/Olympus_Mons")).toThrow(/timezone = "Mars\/Olympus_Mons"/);
    expect(() => toTimeZone(42, "zone")).toThrow(/zone = 42/);
    expect(() => toTimeZone("")).toThrow(UnknownTimezoneError);
  });

  it("recognises UTC under other spellings", () => {
    expect(isUtcZone(UTC)).toBe(true);
    expect(isUtcZone(toTimeZone("Etc/UTC"))).toBe(true);
    expect(isUtcZone(ny)).toBe(false);
  });
});

describe("offsets", () => {
  it("reads standard and daylight offsets", () => {
    expect(offsetAt(ny, Date.UTC(2026, 0, 15))).toBe(-5 * HOUR);
    expect(offsetAt(ny, Date.UTC(2026, 6, 15))).toBe(-4 * HOUR);
    expect(offsetAt(lordHowe, Date.UTC(2026, 0, 15))).toBe(11 * HOUR);
    expect(offsetAt(lordHowe, Date.UTC(2026, 6, 15))).toBe(10.5 * HOUR);
    expect(offsetAt(toTimeZone("Asia/Kolkata"), Date.UTC(2026, 6, 15))).toBe(5.5 * HOUR);
  });

  it("switches exactly at the transition second", () => {
    const spring = Date.UTC(2026, 2, 8, 7); // 02:00 EST → 03:00 EDT
    expect(offsetAt(ny, spring - 1000)).toBe(-5 * HOUR);
    expect(offsetAt(ny, spring)).toBe(-4 * HOUR);
    const autumn = Date.UTC(2026, 10, 1, 6); // 02:00 EDT → 01:00 EST
    expect(offsetAt(ny, autumn - 1000)).toBe(-4 * HOUR);
    expect(offsetAt(ny, autumn)).toBe(-5 * HOUR);
    // Lord Howe: 2026-04-05 02:00 LHDT (+11) → 01:30 LHST (+10:30), i.e. 15:00 UTC the day before.
    const lhiAutumn = Date.UTC(2026, 3, 4, 15);
    expect(offsetAt(lordHowe, lhiAutumn - 1000)).toBe(11 * HOUR);
    expect(offsetAt(lordHowe, lhiAutumn)).toBe(10.5 * HOUR);
  });
});

describe("wall time ↔ instant (SPEC §7)", () => {
  it("maps ordinary wall times one to one", () => {
    const wall = wallFromFields(2026, 7, 1, 12, 0);
    const resolved = resolveWall(wall, berlin);
    expect(resolved.kind).toBe("single");
    expect(iso(resolved.first)).toBe("2026-07-01T10:00:00.000Z");
    expect(wallOf(resolved.first, berlin)).toBe(wall);
  });

  it("shifts a wall time in a gap forward by the gap", () => {
    const resolved = resolveWall(wallFromFields(2026, 3, 8, 2, 30), ny);
    expect(resolved.kind).toBe("gap");
    expect(iso(resolved.first)).toBe("2026-03-08T07:30:00.000Z"); // 03:30 EDT
    const berlinGap = resolveWall(wallFromFields(2026, 3, 29, 2, 15), berlin);
    expect(berlinGap.kind).toBe("gap");
    expect(iso(berlinGap.first)).toBe("2026-03-29T01:15:00.000Z"); // 03:15 CEST
    // Lord Howe springs forward 30 minutes: 02:00 → 02:30 on 2026-10-04.
    const lhiGap = resolveWall(wallFromFields(2026, 10, 4, 2, 10), lordHowe);
    expect(lhiGap.kind).toBe("gap");
    expect(wallOf(lhiGap.first, lordHowe)).toBe(wallFromFields(2026, 10, 4, 2, 40));
  });

  it("returns both occurrences of a repeated wall time, first first", () => {
    const resolved = resolveWall(wallFromFields(2026, 11, 1, 1, 30), ny);
    expect(resolved.kind).toBe("overlap");
    expect(iso(resolved.first)).toBe("2026-11-01T05:30:00.000Z"); // 01:30 EDT
    expect(iso(resolved.second)).toBe("2026-11-01T06:30:00.000Z"); // 01:30 EST
    expect(instantOfWall(wallFromFields(2026, 11, 1, 1, 30), ny)).toBe(resolved.first);
    const lhi = resolveWall(wallFromFields(2026, 4, 5, 1, 45), lordHowe);
    expect(lhi.kind).toBe("overlap");
    expect(lhi.second - lhi.first).toBe(HOUR / 2);
  });
});

describe("parsing times", () => {
  it("reads instants and wall times", () => {
    expect(parseTimePoint("2026-03-01T08:00:00Z", "runAt")).toEqual({
      kind: "instant",
      ms: Date.UTC(2026, 2, 1, 8),
    });
    expect(parseTimePoint("2026-03-01 08:00:00+01:00", "runAt")).toEqual({
      kind: "instant",
      ms: Date.UTC(2026, 2, 1, 7),
    });
    expect(parseTimePoint("2026-03-01T08:00-0530", "runAt")).toEqual({
      kind: "instant",
      ms: Date.UTC(2026, 2, 1, 13, 30),
    });
    expect(parseTimePoint("2026-03-01", "runAt")).toEqual({
      kind: "wall",
      ms: Date.UTC(2026, 2, 1),
    });
    expect(parseTimePoint("2026-03-01T08:00:00.5", "runAt")).toEqual({
      kind: "wall",
      ms: Date.UTC(2026, 2, 1, 8, 0, 0, 500),
    });
    expect(parseTimePoint(new Date(5), "runAt")).toEqual({ kind: "instant", ms: 5 });
  });

  it("reads wall times in the zone with the DST policy", () => {
    expect(iso(instantOfPoint(parseTimePoint("2026-03-08T02:30", "startAt"), ny))).toBe(
      "2026-03-08T07:30:00.000Z",
    );
    expect(iso(instantOfPoint(parseTimePoint("2026-11-01T01:30", "startAt"), ny))).toBe(
      "2026-11-01T05:30:00.000Z",
    );
  });

  it("rejects bad dates naming the field and the value", () => {
    for (const bad of [
      "2026-02-30",
      "2026-13-01",
      "tomorrow",
      "2026-01-01T24:00",
      "2026-01-01T10:00+25:00",
    ]) {
      expect(() => parseTimePoint(bad, "startAt")).toThrow(
        new RegExp(`startAt = "${bad.replace("+", "\\+")}"`),
      );
    }
    expect(() => parseTimePoint(new Date(Number.NaN), "endAt")).toThrow(/endAt = Invalid Date/);
    expect(() => parseTimePoint(1_700_000_000_000, "runAt")).toThrow(/runAt = 1700000000000/);
  });

  it("formats points and instants", () => {
    expect(formatTimePoint({ kind: "wall", ms: Date.UTC(2026, 2, 1, 8) })).toBe(
      "2026-03-01T08:00:00",
    );
    expect(formatTimePoint({ kind: "instant", ms: Date.UTC(2026, 2, 1, 8) })).toBe(
      "2026-03-01T08:00:00.000Z",
    );
    expect(formatInstant(Date.UTC(2026, 2, 1, 8), berlin)).toBe(
      "2026-03-01 09:00:00 Europe/Berlin",
    );
  });
});
