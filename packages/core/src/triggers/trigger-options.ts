import { InvalidTriggerArgumentError, UnknownTriggerArgumentError } from "../errors.js";
import { type TimeZone, toTimeZone, UTC } from "../time/time-zone.js";
import type { TriggerContext } from "./trigger.js";

/** Options every trigger factory accepts besides the trigger's own arguments. */
export interface TriggerClock {
  /**
   * The construction instant, used for defaults such as an interval's first run ("one interval
   * after the trigger was made") and a date trigger without `runAt`.
   *
   * @defaultValue the current time
   */
  readonly now?: Date;
}

/**
 * Rejects argument names a trigger does not know.
 *
 * @param trigger - the trigger alias
 * @param args - the arguments given
 * @param known - the names it accepts
 * @throws UnknownTriggerArgumentError naming the first unknown argument
 */
export function checkKnownArguments(trigger: string, args: object, known: readonly string[]): void {
  for (const name in args) {
    if (Object.hasOwn(args, name) && !known.includes(name)) {
      throw new UnknownTriggerArgumentError(
        trigger,
        name,
        (args as Record<string, unknown>)[name],
        known,
      );
    }
  }
}

/**
 * Validates an optional jitter.
 *
 * @param value - seconds, or `null`/`undefined` for none
 * @returns the jitter in seconds, or `null`
 * @throws InvalidTriggerArgumentError when not a finite number >= 0
 */
export function parseJitter(value: unknown): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new InvalidTriggerArgumentError("jitter", value, "expected a number of seconds >= 0");
  }
  return value === 0 ? null : value;
}

/**
 * Validates an optional zone.
 *
 * @param value - an IANA zone name, or `null`/`undefined`
 * @returns the validated zone, or `null` (the context's zone applies)
 * @throws UnknownTimezoneError for unknown names
 */
export function parseOptionalZone(value: unknown): TimeZone | null {
  return value === undefined || value === null ? null : toTimeZone(value, "timezone");
}

/**
 * The zone a trigger evaluates in: its own, else the scheduler's (from the context), else UTC —
 * never the host's zone.
 *
 * @param own - the trigger's zone, or `null`
 * @param context - the evaluation context
 * @returns the effective zone
 * @throws UnknownTimezoneError when the context names an unknown zone
 */
export function effectiveZone(own: TimeZone | null, context: TriggerContext | undefined): TimeZone {
  if (own !== null) return own;
  const name = context?.timezone;
  return name === undefined ? UTC : toTimeZone(name, "timezone");
}

/**
 * The construction instant of a trigger.
 *
 * @param clock - the factory options
 * @returns milliseconds since the epoch
 * @throws InvalidTriggerArgumentError when `now` is not a valid Date
 */
export function constructionTime(clock: TriggerClock | undefined): number {
  const now = clock?.now;
  if (now === undefined) return Date.now();
  if (!(now instanceof Date) || Number.isNaN(now.getTime())) {
    throw new InvalidTriggerArgumentError("now", now, "expected a valid Date");
  }
  return now.getTime();
}
