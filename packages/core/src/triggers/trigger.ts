/**
 * The trigger port: what the scheduler needs from any schedule. Implementations live beside this
 * file, one per kind (`date-trigger.ts`, `interval-trigger.ts`, `cron-trigger.ts`, ...).
 */

/** Plain JSON form of a trigger, as persisted in a store. Always carries its own format version. */
export interface TriggerJSON {
  /** The trigger alias (`"date"`, `"interval"`, `"cron"`, `"and"`, `"or"`, `"shutdown"`). */
  readonly type: string;
  /** Version of this JSON shape; readers reject versions they do not know. */
  readonly version: number;
  readonly [field: string]: unknown;
}

/** What the scheduler tells a trigger when it asks for the next fire time. */
export interface TriggerContext {
  /** IANA zone used when the trigger has no zone of its own (the scheduler's `timezone`). */
  readonly timezone?: string;
  /**
   * Seed for jitter. Jitter must be a pure function of (seed, un-jittered fire time) so that every
   * process sharing a store computes the same next run time (the scheduler passes the task id).
   */
  readonly seed?: string;
}

/**
 * Turns "the previous fire time" into "the next fire time".
 *
 * @remarks
 * A trigger holds no mutable schedule state: the scheduler passes the previous fire time in, so a
 * trigger can be shared, persisted and re-created from JSON without drift.
 */
export interface Trigger {
  /** The alias this trigger is registered under (`"cron"`, ...). */
  readonly type: string;

  /**
   * Computes the next instant at which this trigger fires.
   *
   * @param previous - the previous fire time, or `null` if it never fired
   * @param now - the current instant
   * @param context - evaluation context supplied by the scheduler
   * @returns the next fire instant, or `null` when the trigger will never fire again
   */
  getNextTriggerTime(previous: Date | null, now: Date, context?: TriggerContext): Date | null;

  /** @returns the versioned JSON form, readable back with `triggerFromJSON`. */
  toJSON(): TriggerJSON;

  /** @returns a readable description such as `cron[month='6-8,11-12', day='3rd fri']`. */
  toString(): string;
}
