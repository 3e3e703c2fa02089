import { describe, expect, it } from "vitest";
import {
  InvalidTriggerJSONError,
  UnknownTriggerArgumentError,
  UnknownTriggerTypeError,
} from "../errors.js";
import { AndTrigger } from "./and-trigger.js";
import { createTrigger, TRIGGER_ALIASES, triggerFromJSON } from "./create-trigger.js";
import { CronTrigger } from "./cron/cron-trigger.js";
import { DateTrigger } from "./date-trigger.js";
import { IntervalTrigger } from "./interval-trigger.js";
import { OrTrigger } from "./or-trigger.js";
import { ShutdownTrigger } from "./shutdown-trigger.js";
import { fireTimes } from "./test-support/fire-times.js";

const now = new Date("2026-01-01T00:00:00Z");

describe("createTrigger", () => {
  it("builds every alias", () => {
    expect(createTrigger("date", { runAt: "2026-03-01T08:00:00Z" })).toBeInstanceOf(DateTrigger);
    expect(createTrigger("interval", { minutes: 5 }, { now })).toBeInstanceOf(IntervalTrigger);
    expect(createTrigger("cron", { hour: 10, minute: 5 })).toBeInstanceOf(CronTrigger);
    expect(createTrigger("cron", { crontab: "*/5 * * * *" })).toBeInstanceOf(CronTrigger);
    expect(createTrigger("and", { triggers: [new ShutdownTrigger()] })).toBeInstanceOf(AndTrigger);
    expect(createTrigger("or", { triggers: [new ShutdownTrigger()] })).toBeInstanceOf(OrTrigger);
    expect(createTrigger("shutdown", {})).toBeInstanceOf(ShutdownTrigger);
    expect([...TRIGGER_ALIASES]).toEqual(["date", "interval", "cron", "and", "or", "shutdown"]);
  });

  it("uses the injected construction time for defaults", () => {
    expect(
      fireTimes(createTrigger("interval", { minutes: 5 }, { now }), now.toISOString(), 1),
    ).toEqual(["2026-01-01T00:05:00.000Z"]);
    expect(fireTimes(createTrigger("date", {}, { now }), now.toISOString(), 1)).toEqual([
      now.toISOString(),
    ]);
  });

  it("rejects an unknown alias, naming it", () => {
    expect(() => createTrigger("weekly", {})).toThrow(UnknownTriggerTypeError);
    expect(() => createTrigger("weekly", {})).toThrow(
      /trigger = "weekly": unknown trigger type \(known: date, interval, cron, and, or, shutdown\)/,
    );
  });

  it("rejects an unknown argument of each alias, naming it", () => {
    for (const [alias, args] of [
      ["date", { runAt: "2026-01-01T00:00:00Z", when: 1 }],
      ["interval", { minutes: 5, every: 1 }],
      ["cron", { hour: 1, hours: 3 }],
      ["and", { triggers: [new ShutdownTrigger()], mode: "x" }],
      ["shutdown", { at: 1 }],
    ] as const) {
      expect(() => createTrigger(alias, args)).toThrow(UnknownTriggerArgumentError);
    }
    expect(() => createTrigger("cron", { hours: 3 })).toThrow(
      /hours = 3: unknown argument of the "cron" trigger/,
    );
  });
});

describe("triggerFromJSON", () => {
  const triggers = [
    new DateTrigger({ runAt: "2026-03-01T08:00", timezone: "Europe/Berlin" }),
    new IntervalTrigger({ hours: 2, jitter: 5 }, { now }),
    new CronTrigger({
      dayOfWeek: "mon-fri",
      hour: 8,
      minute: 1,
      startAt: "2026-02-01",
      timezone: "America/New_York",
    }),
    CronTrigger.fromCrontab("0 9 L * *", "Asia/Tokyo"),
    new OrTrigger({
      triggers: [new CronTrigger({ hour: 8 }), new DateTrigger({ runAt: "2026-01-10T00:00:00Z" })],
      jitter: 2,
    }),
    new AndTrigger({
      triggers: [
        new CronTrigger({ day: "1-7" }),
        new OrTrigger({ triggers: [new CronTrigger({ dayOfWeek: 0 })] }),
      ],
    }),
    new ShutdownTrigger(),
  ];

  it.each(triggers.map((trigger) => [String(trigger), trigger] as const))(
    "round-trips %s",
    (_name, trigger) => {
      const json = JSON.parse(JSON.stringify(trigger.toJSON()));
      expect(json.version).toBe(1);
      const copy = triggerFromJSON(json);
      expect(copy.toJSON()).toEqual(trigger.toJSON());
      expect(String(copy)).toBe(String(trigger));
      expect(fireTimes(copy, "2026-01-01T00:00:00Z", 5, { seed: "s" })).toEqual(
        fireTimes(trigger, "2026-01-01T00:00:00Z", 5, { seed: "s" }),
      );
    },
  );

  it("rejects unknown types, unknown versions and non-objects", () => {
    expect(() => triggerFromJSON({ type: "weekly", version: 1 })).toThrow(UnknownTriggerTypeError);
    expect(() => triggerFromJSON({ type: "cron", version: 2, hour: "8" })).toThrow(
      InvalidTriggerJSONError,
    );
    expect(() => triggerFromJSON({ type: "cron", version: 2, hour: "8" })).toThrow(
      /version = 2: unsupported cron trigger format version/,
    );
    expect(() => triggerFromJSON({ type: "cron", hour: "8" })).toThrow(/version = undefined/);
    expect(() => triggerFromJSON("cron")).toThrow(InvalidTriggerJSONError);
    expect(() => triggerFromJSON(null)).toThrow(InvalidTriggerJSONError);
    expect(() => triggerFromJSON({ type: "or", version: 1, triggers: "x" })).toThrow(
      /triggers = "x"/,
    );
    expect(() => triggerFromJSON({ type: "cron", version: 1, hours: "8" })).toThrow(
      UnknownTriggerArgumentError,
    );
  });
});
