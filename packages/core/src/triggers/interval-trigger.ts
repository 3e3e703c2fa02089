import { InvalidTriggerArgumentError } from "../errors.js";
import {
  formatTimePoint,
  instantOfPoint,
  parseTimePoint,
  type TimeInput,
  type TimePoint,
} from "../time/parse-time.js";
import type { TimeZone } from "../time/time-zone.js";
import { applyJitter, unjitter } from "./jitter.js";
import type { SeekableTrigger } from "./seekable-trigger.js";
import type { TriggerContext, TriggerJSON } from "./trigger.js";
import { argumentsOf, checkEnvelope, TRIGGER_JSON_VERSION } from "./trigger-json.js";
import {
  checkKnownArguments,
  constructionTime,
  effectiveZone,
  parseJitter,
  parseOptionalZone,
  type TriggerClock,
} from "./trigger-options.js";

/** Arguments of {@link IntervalTrigger} (alias `"interval"`). Durations add up; all in their unit. */
export interface IntervalTriggerOptions {
  /** @defaultValue 0 */
  readonly weeks?: number;
  /** @defaultValue 0 */
  readonly days?: number;
  /** @defaultValue 0 */
  readonly hours?: number;
  /** @defaultValue 0 */
  readonly minutes?: number;
  /** @defaultValue 0; when every duration is 0 the interval is 1 second (as in asyncz) */
  readonly seconds?: number;
  /**
   * First run (inclusive).
   *
   * @defaultValue one interval after the trigger was made
   */
  readonly startAt?: TimeInput;
  /**
   * Last possible run (inclusive).
   *
   * @defaultValue none
   */
  readonly endAt?: TimeInput;
  /**
   * IANA zone for `startAt`/`endAt` strings without offset. Intervals themselves count elapsed
   * time, so the zone never changes their length.
   *
   * @defaultValue the scheduler's zone, else UTC
   */
  readonly timezone?: string;
  /**
   * Largest random delay added to each run, in seconds (deterministic per task; never accumulates).
   *
   * @defaultValue none
   */
  readonly jitter?: number;
}

const KNOWN = [
  "weeks",
  "days",
  "hours",
  "minutes",
  "seconds",
  "startAt",
  "endAt",
  "timezone",
  "jitter",
] as const;
const UNIT_SECONDS = {
  weeks: 604_800,
  days: 86_400,
  hours: 3600,
  minutes: 60,
  seconds: 1,
} as const;

function formatDuration(ms: number): string {
  const days = Math.floor(ms / 86_400_000);
  let rest = ms - days * 86_400_000;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  const millis = rest - seconds * 1000;
  const clock = `${hours}:${String(minutes).padStart(2, "0")}:${String(seconds).padStart(2, "0")}${
    millis === 0 ? "" : `.${String(millis * 1000).padStart(6, "0")}`
  }`;
  return days === 0 ? clock : `${days} day${days === 1 ? "" : "s"}, ${clock}`;
}

/**
 * Fires every fixed interval of elapsed time (a 1-day interval is 24 real hours across DST).
 * The grid is `startAt + k·interval`; runs before `startAt` or after `endAt` never happen.
 */
export class IntervalTrigger implements SeekableTrigger {
  /** The alias of this trigger. */
  readonly type = "interval";
  /** The interval in milliseconds. */
  readonly intervalMs: number;
  readonly #start: TimePoint;
  readonly #end: TimePoint | null;
  readonly #zone: TimeZone | null;
  readonly #jitter: number | null;

  /**
   * @param options - see {@link IntervalTriggerOptions}
   * @param clock - construction instant, for the default `startAt`
   * @throws InvalidTriggerArgumentError for negative or non-numeric durations, bad dates,
   *   `endAt` before `startAt` or a bad jitter; UnknownTimezoneError; UnknownTriggerArgumentError
   */
  constructor(options: IntervalTriggerOptions = {}, clock?: TriggerClock) {
    checkKnownArguments("interval", options, KNOWN);
    let totalMs = 0;
    for (const unit of ["weeks", "days", "hours", "minutes", "seconds"] as const) {
      const value: unknown = options[unit];
      if (value === undefined) continue;
      if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
        throw new InvalidTriggerArgumentError(unit, value, "expected a finite number >= 0");
      }
      totalMs += value * UNIT_SECONDS[unit] * 1000;
    }
    this.intervalMs = Math.round(totalMs) || 1000;
    this.#zone = parseOptionalZone(options.timezone);
    this.#jitter = parseJitter(options.jitter);
    this.#start =
      options.startAt === undefined
        ? { kind: "instant", ms: constructionTime(clock) + this.intervalMs }
        : parseTimePoint(options.startAt, "startAt");
    this.#end = options.endAt === undefined ? null : parseTimePoint(options.endAt, "endAt");
    if (
      this.#end !== null &&
      this.#end.kind === this.#start.kind &&
      this.#end.ms < this.#start.ms
    ) {
      throw new InvalidTriggerArgumentError("endAt", options.endAt, "is before startAt");
    }
  }

  /**
   * @param previous - the previous (possibly jittered) fire time, or `null`
   * @param now - the current instant
   * @param context - zone and jitter seed
   * @returns the next fire time, or `null` past `endAt`
   * @throws UnknownTimezoneError when `context.timezone` is not a known zone
   */
  getNextTriggerTime(previous: Date | null, now: Date, context?: TriggerContext): Date | null {
    const zone = effectiveZone(this.#zone, context);
    const end = this.#end === null ? Number.POSITIVE_INFINITY : instantOfPoint(this.#end, zone);
    const seed = context?.seed ?? "";
    let next: number | null;
    if (previous === null) {
      next = this.firstFireFrom(now.getTime(), context);
    } else {
      const base = unjitter(previous.getTime(), this.#jitter, seed, end, (from) =>
        this.#gridFrom(from, zone, end),
      );
      next = this.#gridFrom(base + 1, zone, end);
    }
    return next === null ? null : new Date(applyJitter(next, this.#jitter, seed, end));
  }

  /**
   * @param from - an instant (ms)
   * @param context - the evaluation context
   * @returns the first grid point `>= from` and `>= startAt`, or `null` past `endAt`
   */
  firstFireFrom(from: number, context?: TriggerContext): number | null {
    const zone = effectiveZone(this.#zone, context);
    const end = this.#end === null ? Number.POSITIVE_INFINITY : instantOfPoint(this.#end, zone);
    return this.#gridFrom(from, zone, end);
  }

  #gridFrom(from: number, zone: TimeZone, end: number): number | null {
    const start = instantOfPoint(this.#start, zone);
    const next =
      from <= start ? start : start + Math.ceil((from - start) / this.intervalMs) * this.intervalMs;
    return next > end ? null : next;
  }

  /** @returns `{ type: "interval", version: 1, seconds, startAt, endAt, timezone, jitter }` */
  toJSON(): TriggerJSON {
    return {
      type: this.type,
      version: TRIGGER_JSON_VERSION,
      seconds: this.intervalMs / 1000,
      startAt: formatTimePoint(this.#start),
      endAt: this.#end === null ? null : formatTimePoint(this.#end),
      timezone: this.#zone,
      jitter: this.#jitter,
    };
  }

  /** @returns for example `interval[0:05:00]` or `interval[1 day, 0:00:00]` */
  toString(): string {
    return `interval[${formatDuration(this.intervalMs)}]`;
  }

  /**
   * @param json - the persisted form
   * @returns the trigger
   * @throws InvalidTriggerJSONError for a wrong type or version; the constructor's errors for bad fields
   */
  static fromJSON(json: unknown): IntervalTrigger {
    return new IntervalTrigger(
      argumentsOf(checkEnvelope(json, "interval")) as IntervalTriggerOptions,
    );
  }
}
