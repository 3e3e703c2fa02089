import {
  formatInstant,
  formatTimePoint,
  instantOfPoint,
  parseTimePoint,
  type TimeInput,
  type TimePoint,
} from "../time/parse-time.js";
import type { TimeZone } from "../time/time-zone.js";
import type { SeekableTrigger } from "./seekable-trigger.js";
import type { TriggerContext, TriggerJSON } from "./trigger.js";
import { argumentsOf, checkEnvelope, TRIGGER_JSON_VERSION } from "./trigger-json.js";
import {
  checkKnownArguments,
  constructionTime,
  effectiveZone,
  parseOptionalZone,
  type TriggerClock,
} from "./trigger-options.js";

/** Arguments of {@link DateTrigger} (alias `"date"`). */
export interface DateTriggerOptions {
  /**
   * When to run: a `Date`, or an ISO-8601 string (without an offset it is wall time in the
   * trigger's zone).
   *
   * @defaultValue the construction time (run once, now)
   */
  readonly runAt?: TimeInput;
  /**
   * IANA zone for a `runAt` without offset.
   *
   * @defaultValue the scheduler's zone, else UTC
   */
  readonly timezone?: string;
}

const KNOWN = ["runAt", "timezone"] as const;

/**
 * Fires once, at `runAt`. A `runAt` in the past is still returned (the scheduler decides whether
 * the run is missed).
 */
export class DateTrigger implements SeekableTrigger {
  /** The alias of this trigger. */
  readonly type = "date";
  readonly #runAt: TimePoint;
  readonly #zone: TimeZone | null;

  /**
   * @param options - see {@link DateTriggerOptions}
   * @param clock - construction instant, for a missing `runAt`
   * @throws InvalidTriggerArgumentError for a bad `runAt`; UnknownTimezoneError for a bad zone;
   *   UnknownTriggerArgumentError for an unknown option
   */
  constructor(options: DateTriggerOptions = {}, clock?: TriggerClock) {
    checkKnownArguments("date", options, KNOWN);
    this.#zone = parseOptionalZone(options.timezone);
    this.#runAt =
      options.runAt === undefined
        ? { kind: "instant", ms: constructionTime(clock) }
        : parseTimePoint(options.runAt, "runAt");
  }

  /**
   * @param previous - the previous fire time; once set, the trigger is finished
   * @param _now - unused: a date trigger fires at `runAt` even if it is past
   * @param context - the evaluation context (zone for a wall-time `runAt`)
   * @returns `runAt`, or `null` after it fired
   * @throws UnknownTimezoneError when `context.timezone` is not a known zone
   */
  getNextTriggerTime(previous: Date | null, _now: Date, context?: TriggerContext): Date | null {
    if (previous !== null) return null;
    return new Date(instantOfPoint(this.#runAt, effectiveZone(this.#zone, context)));
  }

  /**
   * @param from - an instant (ms)
   * @param context - the evaluation context
   * @returns `runAt` if it is at or after `from`, else `null`
   */
  firstFireFrom(from: number, context?: TriggerContext): number | null {
    const runAt = instantOfPoint(this.#runAt, effectiveZone(this.#zone, context));
    return runAt >= from ? runAt : null;
  }

  /** @returns `{ type: "date", version: 1, runAt, timezone }` */
  toJSON(): TriggerJSON {
    return {
      type: this.type,
      version: TRIGGER_JSON_VERSION,
      runAt: formatTimePoint(this.#runAt),
      timezone: this.#zone,
    };
  }

  /** @returns for example `date[2026-03-01 08:00:00 UTC]` */
  toString(): string {
    const zone = this.#zone;
    if (this.#runAt.kind === "wall") {
      return `date[${formatTimePoint(this.#runAt).replace("T", " ")}${zone === null ? "" : ` ${zone}`}]`;
    }
    return `date[${formatInstant(this.#runAt.ms, zone ?? ("UTC" as TimeZone))}]`;
  }

  /**
   * Reads a trigger written by {@link DateTrigger.toJSON}.
   *
   * @param json - the persisted form
   * @returns the trigger
   * @throws InvalidTriggerJSONError for a wrong type or version; the constructor's errors for bad fields
   */
  static fromJSON(json: unknown): DateTrigger {
    return new DateTrigger(argumentsOf(checkEnvelope(json, "date")) as DateTriggerOptions);
  }
}
