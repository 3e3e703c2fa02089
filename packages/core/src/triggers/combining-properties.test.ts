import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AndTrigger } from "./and-trigger.js";
import { CronTrigger } from "./cron/cron-trigger.js";
import { IntervalTrigger } from "./interval-trigger.js";
import { OrTrigger } from "./or-trigger.js";
import type { Trigger } from "./trigger.js";

// `or` must fire at the union and `and` at the intersection of their children's fire times;
// intervals exactly on their grid within [startAt, endAt].
const HOUR = 3_600_000;
const start = Date.UTC(2026, 0, 1);

function firesUntil(trigger: Trigger, from: number, until: number): number[] {
  const times: number[] = [];
  let previous: Date | null = null;
  let now = new Date(from);
  for (let step = 0; step < 5000; step += 1) {
    const next = trigger.getNextTriggerTime(previous, now);
    if (next === null || next.getTime() > until) break;
    times.push(next.getTime());
    previous = next;
    now = next;
  }
  return times;
}

const cronArbitrary = fc
  .record({
    hour: fc.uniqueArray(fc.integer({ min: 0, max: 23 }), { minLength: 1, maxLength: 8 }),
    minute: fc.uniqueArray(fc.constantFrom(0, 10, 15, 20, 30, 40, 45, 50), {
      minLength: 1,
      maxLength: 4,
    }),
  })
  .map(({ hour, minute }) => new CronTrigger({ hour: hour.join(","), minute: minute.join(",") }));

const intervalArbitrary = fc
  .record({
    minutes: fc.constantFrom(5, 10, 15, 20, 30, 45, 60, 90),
    offset: fc.integer({ min: 0, max: 11 }),
  })
  .map(
    ({ minutes, offset }) =>
      new IntervalTrigger({ minutes, startAt: new Date(start + offset * 5 * 60_000) }),
  );

const childArbitrary = fc.oneof(cronArbitrary, intervalArbitrary);

describe("combining triggers (properties)", { timeout: 60_000 }, () => {
  it("or fires at exactly the union of its children's fire times", () => {
    fc.assert(
      fc.property(fc.array(childArbitrary, { minLength: 1, maxLength: 3 }), (children) => {
        const until = start + 48 * HOUR;
        const union = [
          ...new Set(children.flatMap((child) => firesUntil(child, start, until))),
        ].sort((a, b) => a - b);
        expect(firesUntil(new OrTrigger({ triggers: children }), start, until)).toEqual(union);
      }),
      { numRuns: 80 },
    );
  });

  it("and fires at exactly the intersection of its children's fire times", () => {
    fc.assert(
      fc.property(fc.array(childArbitrary, { minLength: 2, maxLength: 3 }), (children) => {
        const until = start + 48 * HOUR;
        const [first = [], ...rest] = children.map(
          (child) => new Set(firesUntil(child, start, until)),
        );
        const intersection = [...first]
          .filter((time) => rest.every((set) => set.has(time)))
          .sort((a, b) => a - b);
        expect(firesUntil(new AndTrigger({ triggers: children }), start, until)).toEqual(
          intersection,
        );
      }),
      { numRuns: 80 },
    );
  });

  it("an interval fires exactly on its grid, within startAt and endAt", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 7200 }),
        fc.integer({ min: 0, max: 10 * 86_400 }),
        fc.integer({ min: 0, max: 3 * 86_400 }),
        fc.integer({ min: -86_400, max: 86_400 }),
        (seconds, startOffset, span, nowOffset) => {
          const startAt = start + startOffset * 1000;
          const endAt = startAt + span * 1000;
          const trigger = new IntervalTrigger({
            seconds,
            startAt: new Date(startAt),
            endAt: new Date(endAt),
          });
          const from = startAt + nowOffset * 1000;
          const times = firesUntil(trigger, from, Number.POSITIVE_INFINITY);
          const firstK = Math.max(0, Math.ceil((from - startAt) / (seconds * 1000)));
          const expected: number[] = [];
          for (
            let k = firstK;
            startAt + k * seconds * 1000 <= endAt && expected.length < 5000;
            k += 1
          ) {
            expected.push(startAt + k * seconds * 1000);
          }
          expect(times).toEqual(expected);
        },
      ),
      { numRuns: 150 },
    );
  });
});
