import type { Trigger, TriggerContext } from "../trigger.js";

/**
 * Chains a trigger the way the scheduler does (previous = last fire, now = last fire) and
 * returns the fire times as ISO strings.
 */
export function fireTimes(
  trigger: Trigger,
  from: string,
  count: number,
  context?: TriggerContext,
): string[] {
  const times: string[] = [];
  let previous: Date | null = null;
  let now = new Date(from);
  for (let index = 0; index < count; index += 1) {
    const next = trigger.getNextTriggerTime(previous, now, context);
    if (next === null) break;
    times.push(next.toISOString());
    previous = next;
    now = next;
  }
  return times;
}

/** Gaps between consecutive ISO times, in minutes. */
export function gapsInMinutes(times: readonly string[]): number[] {
  return times
    .slice(1)
    .map((time, index) => (Date.parse(time) - Date.parse(times[index] ?? time)) / 60_000);
}
