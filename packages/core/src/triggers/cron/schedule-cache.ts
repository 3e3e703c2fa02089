/**
 * Compiled cron schedules shared by every trigger with the same expression: an app that adds
 * 100k tasks on one expression compiles it once, not 100k times (add cost and memory both).
 */
import { CronSchedule, type CronScheduleSpec } from "./cron-schedule.js";

/** Most distinct expressions kept; past it the oldest is dropped (a bound, not an LRU). */
const MAX_SCHEDULES = 1024;

const schedules = new Map<string, CronSchedule>();

/**
 * The schedule compiled from `compile()`, shared with every earlier call with the same key.
 *
 * @remarks
 * Sharing is safe because a {@link CronSchedule} is a pure function of its spec (its only state is
 * a memo of the last month's day mask), and a spec is a pure function of the key's text. Nothing
 * is cached when `compile` throws, so a bad expression is reported on every call.
 *
 * @param key - the expression text the spec depends on, and nothing else
 * @param compile - compiles the spec (throws for a bad expression)
 * @returns the shared schedule
 */
export function cachedSchedule(key: string, compile: () => CronScheduleSpec): CronSchedule {
  const known = schedules.get(key);
  if (known !== undefined) return known;
  const schedule = new CronSchedule(compile());
  if (schedules.size >= MAX_SCHEDULES) {
    const oldest = schedules.keys().next();
    if (oldest.done !== true) schedules.delete(oldest.value);
  }
  schedules.set(key, schedule);
  return schedule;
}
