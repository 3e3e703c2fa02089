import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { daysFromCivil, fieldsFromWall, weekdayOfDays } from "../../time/civil.js";
import { toTimeZone } from "../../time/time-zone.js";
import { resolveWall, wallOf } from "../../time/wall-time.js";
import { applyJitter } from "../jitter.js";
import { CronTrigger } from "./cron-trigger.js";

// Property tests with an independent, naive matcher: fields are plain sets of numbers, and a
// wall time matches when each of its fields is in its set.
interface FieldSets {
  readonly month: readonly number[] | null;
  readonly day: readonly number[] | null;
  readonly dayOfWeek: readonly number[] | null;
  readonly hour: readonly number[] | null;
  readonly minute: readonly number[];
  readonly second: readonly number[];
}

const subset = (min: number, max: number, maxLength: number): fc.Arbitrary<number[]> =>
  fc.uniqueArray(fc.integer({ min, max }), { minLength: 1, maxLength });
const maybe = <T>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | null> =>
  fc.option(arbitrary, { freq: 2 });

const LONGEST_MONTH = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const fieldSets: fc.Arbitrary<FieldSets> = fc
  .record({
    month: maybe(subset(1, 12, 6)),
    day: maybe(subset(1, 31, 8)),
    dayOfWeek: maybe(subset(0, 6, 4)),
    hour: maybe(subset(0, 23, 6)),
    minute: subset(0, 59, 6),
    second: fc.constantFrom([0], [0, 30], [15]),
  })
  // A day no allowed month has is rejected up front (tested in cron-trigger.test.ts).
  .filter(
    (sets) =>
      sets.day === null ||
      Math.min(...sets.day) <=
        Math.max(
          ...(sets.month ?? [1]).map((month) => LONGEST_MONTH[month] ?? 31),
          sets.month === null ? 31 : 0,
        ),
  );

function toOptions(sets: FieldSets): Record<string, string> {
  const options: Record<string, string> = {};
  for (const [field, values] of Object.entries(sets))
    if (values !== null) options[field] = values.join(",");
  return options;
}

function matches(sets: FieldSets, wall: number): boolean {
  const f = fieldsFromWall(wall);
  const weekday = weekdayOfDays(daysFromCivil(f.year, f.month, f.day));
  const inSet = (values: readonly number[] | null, value: number): boolean =>
    values === null || values.includes(value);
  return (
    f.millisecond === 0 &&
    inSet(sets.month, f.month) &&
    inSet(sets.day, f.day) &&
    inSet(sets.dayOfWeek, weekday) &&
    inSet(sets.hour, f.hour) &&
    sets.minute.includes(f.minute) &&
    sets.second.includes(f.second)
  );
}

const instant = fc
  .integer({ min: Date.UTC(2026, 0, 1) / 1000, max: Date.UTC(2031, 0, 1) / 1000 })
  .map((s) => s * 1000);

function fireTimes(trigger: CronTrigger, from: number, until: number): number[] {
  const times: number[] = [];
  let next = trigger.getNextTriggerTime(null, new Date(from));
  while (next !== null && next.getTime() <= until) {
    times.push(next.getTime());
    next = trigger.getNextTriggerTime(next, next);
  }
  return times;
}

// Property runs are CPU-bound and the suite runs in four projects on two cores: allow time.
describe("CronTrigger properties", { timeout: 60_000 }, () => {
  it("in UTC, fires at exactly the matching seconds of a 2-day window (brute force)", () => {
    fc.assert(
      fc.property(fieldSets, instant, (sets, start) => {
        const windowEnd = start + 2 * 86_400_000;
        const expected: number[] = [];
        for (let at = Math.ceil(start / 1000) * 1000; at <= windowEnd; at += 1000) {
          if (matches(sets, at)) expected.push(at);
        }
        const trigger = new CronTrigger(toOptions(sets));
        const actual: number[] = [];
        let next = trigger.getNextTriggerTime(null, new Date(start));
        while (next !== null && next.getTime() <= windowEnd) {
          actual.push(next.getTime());
          next = trigger.getNextTriggerTime(next, next);
        }
        expect(actual).toEqual(expected);
      }),
      { numRuns: 40 },
    );
  });

  it("in DST zones, fire times strictly increase, match their fields (or are a gap shift of a match) and respect startAt/endAt", () => {
    fc.assert(
      fc.property(
        fieldSets,
        fc.constantFrom(
          "UTC",
          "America/New_York",
          "Europe/Berlin",
          "Australia/Lord_Howe",
          // Midnight transitions, a 2-hour shift, negative DST, two shifts a month apart.
          "America/Santiago",
          "America/Havana",
          "Antarctica/Troll",
          "Europe/Dublin",
          "Africa/Casablanca",
        ),
        instant,
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 1, max: 400 }),
        (sets, zoneName, now, startDays, spanDays) => {
          const zone = toTimeZone(zoneName);
          const startAt = now + startDays * 86_400_000;
          const endAt = startAt + spanDays * 86_400_000;
          const trigger = new CronTrigger({
            ...toOptions(sets),
            timezone: zoneName,
            startAt: new Date(startAt).toISOString(),
            endAt: new Date(endAt).toISOString(),
          });
          let previous: Date | null = null;
          let current = new Date(now);
          for (let index = 0; index < 30; index += 1) {
            const next = trigger.getNextTriggerTime(previous, current);
            if (next === null) break;
            const at = next.getTime();
            if (previous !== null) expect(at).toBeGreaterThan(previous.getTime());
            expect(at).toBeGreaterThanOrEqual(startAt);
            expect(at).toBeLessThanOrEqual(endAt);
            const wall = wallOf(at, zone);
            if (!matches(sets, wall)) {
              // Only allowed for a wall time in a DST gap, fired shifted forward by the gap.
              const shifted = [30, 60, 120, 180]
                .map((minutes) => wall - minutes * 60_000)
                .find((candidate) => {
                  const resolved = resolveWall(candidate, zone);
                  return (
                    resolved.kind === "gap" && resolved.first === at && matches(sets, candidate)
                  );
                });
              expect(
                shifted,
                `${next.toISOString()} does not match ${JSON.stringify(sets)} in ${zoneName}`,
              ).toBeDefined();
            }
            previous = next;
            current = next;
          }
        },
      ),
      { numRuns: 400 },
    );
  });

  it("around real DST transitions, fires exactly at the times the SPEC §7 policy derives minute by minute", () => {
    const zones = [
      "America/New_York",
      "Europe/Berlin",
      "Australia/Lord_Howe",
      "America/Santiago",
      "Antarctica/Troll",
      "Europe/Dublin",
    ];
    // The 2026 transitions of each zone, found by scanning offsets every 15 minutes.
    const transitions = zones.flatMap((zoneName) => {
      const zone = toTimeZone(zoneName);
      const found: { zoneName: string; at: number }[] = [];
      for (let at = Date.UTC(2026, 0, 1); at < Date.UTC(2027, 0, 1); at += 900_000) {
        if (wallOf(at, zone) - at !== wallOf(at - 900_000, zone) - (at - 900_000))
          found.push({ zoneName, at });
      }
      return found;
    });
    expect(transitions.length).toBeGreaterThanOrEqual(2 * zones.length - 1);
    const minuteSets: fc.Arbitrary<FieldSets> = fc.record({
      month: fc.constant(null),
      day: fc.constant(null),
      dayOfWeek: fc.constant(null),
      hour: maybe(subset(0, 23, 8)),
      minute: subset(0, 59, 4),
      second: fc.constant([0]),
    });
    fc.assert(
      fc.property(
        minuteSets,
        fc.constantFrom(...transitions),
        fc.integer({ min: 0, max: 30 * 60 }),
        (sets, transition, leadMinutes) => {
          const zone = toTimeZone(transition.zoneName);
          const from = transition.at - leadMinutes * 60_000;
          const until = from + 36 * 3_600_000;
          const expected = new Set<number>();
          const seenWalls = new Set<number>();
          for (let at = from - 4 * 3_600_000; at <= until; at += 60_000) {
            const wall = wallOf(at, zone);
            const previousWall = wallOf(at - 60_000, zone) + 60_000;
            // Clocks jumped forward at `at`: the skipped walls fire shifted forward by the gap.
            for (let skipped = previousWall; skipped < wall; skipped += 60_000) {
              const shifted = skipped - (wall - at) + (wall - previousWall);
              if (at >= from && matches(sets, skipped) && shifted >= from && shifted <= until)
                expected.add(shifted);
            }
            const repeated = seenWalls.has(wall);
            seenWalls.add(wall);
            if (at < from || !matches(sets, wall)) continue;
            if (repeated && sets.hour !== null) continue; // overlap: first occurrence only unless hour is *
            expected.add(at);
          }
          const trigger = new CronTrigger({ ...toOptions(sets), timezone: transition.zoneName });
          expect(fireTimes(trigger, from, until)).toEqual([...expected].sort((a, b) => a - b));
        },
      ),
      { numRuns: 300 },
    );
  });

  // Jitter smaller than the spacing of fire times (here >= 30 s) cannot reorder or merge them:
  // the jittered sequence is the plain one, each time delayed by less than the jitter.
  it("with jitter smaller than the spacing, every grid time fires once, within jitter of it, in order", () => {
    fc.assert(
      fc.property(
        fieldSets,
        instant,
        fc.integer({ min: 1, max: 29 }),
        fc.string(),
        (sets, now, jitter, seed) => {
          const plain = new CronTrigger(toOptions(sets));
          const jittered = new CronTrigger({ ...toOptions(sets), jitter });
          let previous: Date | null = null;
          let plainPrevious: Date | null = null;
          for (let index = 0; index < 10; index += 1) {
            const next = jittered.getNextTriggerTime(previous, previous ?? new Date(now), { seed });
            const grid = plain.getNextTriggerTime(plainPrevious, plainPrevious ?? new Date(now));
            if (next === null || grid === null) {
              expect(next).toBe(grid);
              break;
            }
            const delay = next.getTime() - grid.getTime();
            expect(delay).toBeGreaterThanOrEqual(0);
            expect(delay).toBeLessThan(jitter * 1000);
            if (previous !== null) expect(next.getTime()).toBeGreaterThan(previous.getTime());
            previous = next;
            plainPrevious = grid;
          }
        },
      ),
      { numRuns: 80 },
    );
  });

  // A jitter wider than the spacing may reorder close fire times, and two grid times that jitter
  // onto the same millisecond fire once; but the trigger always moves on (never hands out the
  // same time twice) and every fire is the jittered value of a later grid time than the last.
  it("with jitter wider than the spacing, fires keep moving along the grid", () => {
    fc.assert(
      fc.property(
        fieldSets,
        instant,
        fc.integer({ min: 30, max: 300 }),
        fc.string(),
        (sets, now, jitter, seed) => {
          const plain = new CronTrigger(toOptions(sets));
          const jittered = new CronTrigger({ ...toOptions(sets), jitter });
          const grid: number[] = [];
          let cursor = plain.getNextTriggerTime(null, new Date(now));
          while (cursor !== null && grid.length < 40) {
            grid.push(cursor.getTime());
            cursor = plain.getNextTriggerTime(cursor, cursor);
          }
          let previous: Date | null = null;
          let lastGrid = Number.NEGATIVE_INFINITY;
          for (let index = 0; index < 10; index += 1) {
            const next = jittered.getNextTriggerTime(previous, previous ?? new Date(now), { seed });
            if (next === null) break;
            expect(next.getTime()).not.toBe(previous?.getTime());
            const sources = grid.filter(
              (time) =>
                applyJitter(time, jitter, seed, Number.POSITIVE_INFINITY) === next.getTime(),
            );
            expect(sources.length).toBeGreaterThan(0);
            const source = Math.max(...sources);
            expect(source).toBeGreaterThan(lastGrid);
            expect(next.getTime() - source).toBeLessThan(jitter * 1000);
            lastGrid = source;
            previous = next;
          }
        },
      ),
      { numRuns: 80 },
    );
  });
});
