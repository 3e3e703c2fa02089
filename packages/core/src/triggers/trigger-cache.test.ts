import { describe, expect, it } from "vitest";
import { AndTrigger } from "./and-trigger.js";
import { CronTrigger } from "./cron/cron-trigger.js";
import { DateTrigger } from "./date-trigger.js";
import { IntervalTrigger } from "./interval-trigger.js";
import { OrTrigger } from "./or-trigger.js";
import { ShutdownTrigger } from "./shutdown-trigger.js";
import type { Trigger, TriggerJSON } from "./trigger.js";
import { hasPlainJSON, liveTriggerOf, rememberedTriggerJSON } from "./trigger-cache.js";

const custom: Trigger = {
  type: "custom",
  getNextTriggerTime: () => null,
  toJSON: () => ({ type: "custom", version: 1 }),
  toString: () => "custom[]",
};

describe("trigger cache", () => {
  it("gives back the live trigger a JSON object came from", () => {
    const trigger = new IntervalTrigger({ seconds: 30 });
    const json = rememberedTriggerJSON(trigger);
    expect(json).toEqual(trigger.toJSON());
    expect(liveTriggerOf(json)).toBe(trigger);
  });

  it("reads a JSON object it has not seen once, then returns the same trigger", () => {
    const json: TriggerJSON = { type: "cron", version: 1, minute: "*/5" };
    const trigger = liveTriggerOf(json);
    expect(trigger).toBeInstanceOf(CronTrigger);
    expect(liveTriggerOf(json)).toBe(trigger);
    // An equal but different object is read again.
    expect(liveTriggerOf({ ...json })).not.toBe(trigger);
  });

  it("defers toJSON only for built-in triggers (and and/or of them)", () => {
    const interval = new IntervalTrigger({ seconds: 30 });
    const cron = new CronTrigger({ hour: 8 });
    const date = new DateTrigger({ runAt: "2030-01-01T00:00:00Z" });
    expect(hasPlainJSON(interval)).toBe(true);
    expect(hasPlainJSON(cron)).toBe(true);
    expect(hasPlainJSON(date)).toBe(true);
    expect(hasPlainJSON(new ShutdownTrigger())).toBe(true);
    expect(hasPlainJSON(new AndTrigger({ triggers: [interval, cron] }))).toBe(true);
    expect(
      hasPlainJSON(new OrTrigger({ triggers: [date, new OrTrigger({ triggers: [cron] })] })),
    ).toBe(true);
    expect(hasPlainJSON(custom)).toBe(false);
    expect(hasPlainJSON(new OrTrigger({ triggers: [cron, custom] }))).toBe(false);
    class MyInterval extends IntervalTrigger {}
    expect(hasPlainJSON(new MyInterval({ seconds: 30 }))).toBe(false);
  });
});
