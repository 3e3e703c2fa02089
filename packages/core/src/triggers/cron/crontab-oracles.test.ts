import { CronExpressionParser } from "cron-parser";
import { Cron } from "croner";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidCronExpressionError } from "../../errors.js";
import { CronTrigger } from "./cron-trigger.js";

// Differential tests of CronTrigger.fromCrontab against croner 11 and cron-parser 5 (standard
// crontab in UTC): random expressions from per-field pools, random start instants, 10 fire times.
const POOLS = {
  second: ["0", "*/15", "30", "5-10", "0,30", "*"],
  minute: ["*", "0", "*/5", "15,45", "0-30/10", "59", "7", "*/7", "10-50/20"],
  hour: ["*", "0", "*/3", "9-17", "8", "23", "1,13", "*/5", "22-23"],
  day: [
    "*",
    "1",
    "15",
    "1-7",
    "*/2",
    "31",
    "29",
    "10-20",
    "L",
    "?",
    "*/10",
    "5,20",
    "15W",
    "LW",
    "1W",
    "31W",
  ],
  month: ["*", "1", "*/3", "2", "jan-mar", "JUN,DEC", "6-8", "feb", "*/5", "11"],
  weekday: [
    "*",
    "0",
    "7",
    "1-5",
    "MON-FRI",
    "sat,sun",
    "5#3",
    "1#1",
    "5L",
    "0L",
    "*/2",
    "2-4",
    "?",
    "mon#5",
    "5-7",
  ],
} as const;

const expressionArbitrary = fc
  .record({
    withSeconds: fc.boolean(),
    second: fc.constantFrom(...POOLS.second),
    minute: fc.constantFrom(...POOLS.minute),
    hour: fc.constantFrom(...POOLS.hour),
    day: fc.constantFrom(...POOLS.day),
    month: fc.constantFrom(...POOLS.month),
    weekday: fc.constantFrom(...POOLS.weekday),
  })
  .map(
    (f) =>
      `${f.withSeconds ? `${f.second} ` : ""}${f.minute} ${f.hour} ${f.day} ${f.month} ${f.weekday}`,
  );

const startArbitrary = fc
  .integer({ min: Date.UTC(2000, 0, 1) / 1000, max: Date.UTC(2040, 0, 1) / 1000 })
  .map((seconds) => new Date(seconds * 1000));

const COUNT = 10;

function ours(expression: string, from: Date): string[] {
  const trigger = CronTrigger.fromCrontab(expression, "UTC");
  const times: string[] = [];
  let previous = from;
  for (let index = 0; index < COUNT; index += 1) {
    const next = trigger.getNextTriggerTime(previous, previous);
    if (next === null) break;
    times.push(next.toISOString());
    previous = next;
  }
  return times;
}

/** Our result, or the word "rejected" when the expression can never fire (we throw). */
function oursOrRejected(expression: string, from: Date): string[] | "rejected" {
  try {
    return ours(expression, from);
  } catch (error) {
    if (error instanceof InvalidCronExpressionError && /would never fire/.test(error.message))
      return "rejected";
    throw error;
  }
}

function croner(expression: string, from: Date): string[] {
  return new Cron(expression, { timezone: "UTC" })
    .nextRuns(COUNT, from)
    .map((date) => date.toISOString());
}

function cronParser(expression: string, from: Date): string[] | "rejected" {
  let iterator: ReturnType<typeof CronExpressionParser.parse>;
  try {
    iterator = CronExpressionParser.parse(expression, { currentDate: from, tz: "UTC" });
  } catch (error) {
    // cron-parser rejects a day that no allowed month has; we do too.
    if (error instanceof Error && /Invalid explicit day of month/.test(error.message))
      return "rejected";
    throw error;
  }
  return Array.from({ length: COUNT }, () => iterator.next().toDate().toISOString());
}

describe("CronTrigger.fromCrontab agrees with croner and cron-parser (UTC)", {
  timeout: 60_000,
}, () => {
  it("matches croner on random expressions", () => {
    fc.assert(
      fc.property(expressionArbitrary, startArbitrary, (expression, from) => {
        const result = oursOrRejected(expression, from);
        // croner answers "no runs" where we reject.
        expect(result === "rejected" ? [] : result).toEqual(croner(expression, from));
      }),
      { numRuns: 400, seed: 20261129 },
    );
  });

  it("matches cron-parser on random expressions without W (which it does not support)", () => {
    fc.assert(
      fc.property(
        expressionArbitrary.filter(
          (expression) => !/w\b/i.test(expression.split(" ").at(-3) ?? ""),
        ),
        startArbitrary,
        (expression, from) => {
          expect(oursOrRejected(expression, from)).toEqual(cronParser(expression, from));
        },
      ),
      { numRuns: 400, seed: 20261129 },
    );
  });

  it.each(["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"])(
    "nickname %s",
    (nickname) => {
      const from = new Date("2026-05-17T13:45:12Z");
      expect(ours(nickname, from)).toEqual(croner(nickname, from));
    },
  );
});
