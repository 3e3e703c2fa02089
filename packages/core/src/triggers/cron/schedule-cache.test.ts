import { describe, expect, it, vi } from "vitest";
import { InvalidCronExpressionError } from "../../errors.js";
import { compileCronFields } from "./cron-fields.js";
import { CronTrigger } from "./cron-trigger.js";
import { compileCrontab } from "./crontab.js";
import { cachedSchedule } from "./schedule-cache.js";

const UTC = { timezone: "UTC", seed: "t" };

describe("cron schedule cache", () => {
  it("compiles a key once and shares the schedule", () => {
    const compile = vi.fn(() => compileCrontab("*/7 * * * *"));
    const first = cachedSchedule("test\u0000share", compile);
    const second = cachedSchedule("test\u0000share", compile);
    expect(second).toBe(first);
    expect(compile).toHaveBeenCalledTimes(1);
  });

  it("caches nothing when compiling throws: the error comes back every time", () => {
    const compile = vi.fn(() => compileCronFields({ minute: "61" }, { minute: "61" }));
    expect(() => cachedSchedule("test\u0000bad", compile)).toThrow(InvalidCronExpressionError);
    expect(() => cachedSchedule("test\u0000bad", compile)).toThrow(InvalidCronExpressionError);
    expect(compile).toHaveBeenCalledTimes(2);
  });

  it("keeps at most 1024 expressions, dropping the oldest", () => {
    const compile = vi.fn(() => compileCrontab("0 * * * *"));
    cachedSchedule("test\u0000oldest", compile);
    for (let i = 0; i < 1024; i++) cachedSchedule(`test\u0000filler ${i}`, compile);
    const calls = compile.mock.calls.length;
    cachedSchedule("test\u0000oldest", compile);
    expect(compile.mock.calls.length).toBe(calls + 1);
  });

  it("triggers on the same expression fire alike; different fields never share", () => {
    const from = new Date("2030-01-01T12:01:00Z");
    const a = new CronTrigger({ minute: "*/5" });
    const b = new CronTrigger({ minute: "*/5" });
    const c = new CronTrigger({ second: "*/5" });
    expect(a.getNextTriggerTime(null, from, UTC)).toEqual(new Date("2030-01-01T12:05:00Z"));
    expect(b.getNextTriggerTime(null, from, UTC)).toEqual(new Date("2030-01-01T12:05:00Z"));
    expect(c.getNextTriggerTime(null, from, UTC)).toEqual(new Date("2030-01-01T12:01:00Z"));
  });

  it("still refuses a bad value after a good one was cached, and a non-string crontab", () => {
    expect(new CronTrigger({ crontab: "*/5 * * * *" })).toBeInstanceOf(CronTrigger);
    expect(() => new CronTrigger({ crontab: ["*/5 * * * *"] as unknown as string })).toThrow(
      InvalidCronExpressionError,
    );
    expect(new CronTrigger({ hour: 3 })).toBeInstanceOf(CronTrigger);
    expect(() => new CronTrigger({ hour: 24 })).toThrow(InvalidCronExpressionError);
    expect(() => new CronTrigger({ hour: "3.5" })).toThrow(InvalidCronExpressionError);
  });
});
