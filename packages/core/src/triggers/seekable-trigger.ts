import type { Trigger, TriggerContext } from "./trigger.js";

/**
 * A trigger that can answer "what is your first un-jittered fire time at or after this instant?"
 * Every built-in trigger is one; `AndTrigger` and `OrTrigger` combine children through it, which is
 * what lets an `or` of dates fire every date and an `and` terminate.
 */
export interface SeekableTrigger extends Trigger {
  /**
   * @param from - an instant, milliseconds since the epoch
   * @param context - the evaluation context
   * @returns the first fire time `>= from` (ms, before jitter), or `null` if there is none
   */
  firstFireFrom(from: number, context?: TriggerContext): number | null;
}

/**
 * Whether a trigger implements {@link SeekableTrigger}.
 *
 * @param trigger - any trigger
 * @returns true when `firstFireFrom` is available
 */
export function isSeekable(trigger: Trigger): trigger is SeekableTrigger {
  return typeof (trigger as Partial<SeekableTrigger>).firstFireFrom === "function";
}

/**
 * First fire time of any trigger at or after an instant, through `firstFireFrom` when the
 * trigger has it, else through its public `getNextTriggerTime(null, from)`.
 *
 * @param trigger - any trigger
 * @param from - an instant (ms)
 * @param context - the evaluation context
 * @returns the first fire time `>= from` (ms), or `null`
 */
export function firstFireFrom(
  trigger: Trigger,
  from: number,
  context?: TriggerContext,
): number | null {
  if (isSeekable(trigger)) return trigger.firstFireFrom(from, context);
  const next = trigger.getNextTriggerTime(null, new Date(from), context);
  return next === null || next.getTime() < from ? null : next.getTime();
}
