import { describe, expect, it, vi } from "vitest";
import { ManualClock } from "../test-kit/manual-clock.js";
import type { Clock } from "./clock.js";
import { DIRECT_UP_TO_MS, MAX_TIMER_DELAY_MS, WakeTimer } from "./wake-timer.js";

describe("WakeTimer", () => {
  it("clamps long delays below 2^31-1 ms and re-arms until the due time", async () => {
    const clock = new ManualClock(0);
    const onDue = vi.fn();
    const timer = new WakeTimer(clock, onDue);
    const due = 40 * 24 * 3600 * 1000; // 40 days: beyond a 32-bit timer
    timer.arm(due);
    for (const delay of clock.delays) expect(delay).toBeLessThanOrEqual(MAX_TIMER_DELAY_MS);
    await clock.advance(due - 1);
    expect(onDue).not.toHaveBeenCalled();
    expect(clock.delays.length).toBeGreaterThan(1);
    await clock.advance(1);
    expect(onDue).toHaveBeenCalledTimes(1);
    expect(clock.delays.every((d) => d <= MAX_TIMER_DELAY_MS)).toBe(true);
  });

  it("wakes in two steps and never fires before the due time, even when a timer fires early", () => {
    let now = 0;
    const timers: Array<{ at: number; fn: () => void }> = [];
    // A clock whose timers fire 1 ms early, like Node's can.
    const early: Clock = {
      now: () => now,
      setTimeout: (fn, ms) => timers.push({ at: now + Math.max(ms - 1, 1), fn }),
      clearTimeout: () => {},
    };
    const fired: number[] = [];
    const timer = new WakeTimer(early, () => fired.push(now));
    timer.arm(5000);
    expect(timers).toHaveLength(1);
    expect(timers[0]?.at).toBeLessThan(4990); // the first of the two steps comes early on purpose
    while (timers.length > 0 && fired.length === 0) {
      const next = timers.shift();
      if (next === undefined) break;
      now = Math.max(now, next.at);
      next.fn();
    }
    expect(fired).toEqual([5000]);
  });

  it("arms a short wait directly, and splits a longer one (even one second)", () => {
    const clock = new ManualClock(0);
    const timer = new WakeTimer(clock, () => {});
    timer.arm(1000);
    expect(clock.delays).toEqual([988]);
    timer.arm(DIRECT_UP_TO_MS);
    expect(clock.delays.at(-1)).toBe(DIRECT_UP_TO_MS);
    timer.arm(DIRECT_UP_TO_MS + 1);
    expect(clock.delays.at(-1)).toBeLessThan(DIRECT_UP_TO_MS + 1 - 10);
  });

  it("fires at once for a time in the past, and disarm cancels", async () => {
    const clock = new ManualClock(10_000);
    const onDue = vi.fn();
    const timer = new WakeTimer(clock, onDue);
    timer.arm(5);
    await clock.advance(0);
    expect(onDue).toHaveBeenCalledTimes(1);
    timer.arm(20_000);
    timer.disarm();
    await clock.advance(20_000);
    expect(onDue).toHaveBeenCalledTimes(1);
    expect(timer.dueMs).toBeNull();
  });
});
