import { InvalidTriggerArgumentError } from "../../errors.js";
import {
  formatTimePoint,
  instantOfPoint,
  parseTimePoint,
  type TimeInput,
  type TimePoint,
} from "../../time/parse-time.js";
import type { TimeZone } from "../../time/time-zone.js";
import { applyJitter, unjitter } from "../jitter.js";
import type { SeekableTrigger } from "../seekable-trigger.js";
import type { TriggerContext, TriggerJSON } from "../trigger.js";
import { argumentsOf, checkEnvelope, TRIGGER_JSON_VERSION } from "../trigger-json.js";
import {
  checkKnownArguments,
  effectiveZone,
  parseJitter,
  parseOptionalZone,
} from "../trigger-options.js";
import {
  CRON_FIELDS,
  type CronField,
  type CronFieldValue,
  compileCronFields,
  normaliseCronValue,
} from "./cron-fields.js";
import { nextCronInstant } from "./cron-next.js";
import { CronSchedule } from "./cron-schedule.js";
import { compileCrontab } from "./crontab.js";
import { cachedSchedule } from "./schedule-cache.js";

/**
 * Arguments of {@link CronTrigger} (alias `"cron"`). Each field takes a number or an expression
 * (asyncz/APScheduler 3 language): `*`, `*\/n`, `a`, `a-b`, `a-b/n`, `a/n`, comma lists, month
 * names `jan`..`dec`, weekday names `mon`..`sun`, and in `day`: `last`, `1st`..`5th <weekday>`,
 * `last <weekday>`.
 */
export interface CronTriggerOptions {
  /** 4-digit year (1970..9999). */
  readonly year?: CronFieldValue;
  /** Month 1..12 or `jan`..`dec`. */
  readonly month?: CronFieldValue;
  /** Day of month 1..31, `last`, `3rd fri`, `last sun`. */
  readonly day?: CronFieldValue;
  /** ISO week 1..53. */
  readonly week?: CronFieldValue;
  /** Day of week, **0 = Monday .. 6 = Sunday**, or `mon`..`sun`; combined with `day` by AND. */
  readonly dayOfWeek?: CronFieldValue;
  /** Hour 0..23. */
  readonly hour?: CronFieldValue;
  /** Minute 0..59. */
  readonly minute?: CronFieldValue;
  /** Second 0..59. */
  readonly second?: CronFieldValue;
  /**
   * A standard crontab line instead of the fields (see {@link CronTrigger.fromCrontab}); an
   * extension over asyncz so that crontab triggers survive `toJSON()` and `createTrigger`.
   */
  readonly crontab?: string;
  /** Earliest fire time (inclusive). @defaultValue none */
  readonly startAt?: TimeInput;
  /** Latest fire time (inclusive). @defaultValue none */
  readonly endAt?: TimeInput;
  /** IANA zone the fields are read in. @defaultValue the scheduler's zone, else UTC */
  readonly timezone?: string;
  /** Largest random delay per run, seconds (deterministic per task; never accumulates). @defaultValue none */
  readonly jitter?: number;
}

const KNOWN = [...CRON_FIELDS, "crontab", "startAt", "endAt", "timezone", "jitter"] as const;

/**
 * Fires at the wall times whose fields match, in the trigger's zone, with the SPEC §7 DST policy
 * (gap → shifted forward once; overlap → first occurrence, both when the hour field is `*`).
 */
export class CronTrigger implements SeekableTrigger {
  /** The alias of this trigger. */
  readonly type = "cron";
  readonly #schedule: CronSchedule;
  readonly #fields: Partial<Record<CronField, string>>;
  readonly #crontab: string | null;
  readonly #start: TimePoint | null;
  readonly #end: TimePoint | null;
  readonly #zone: TimeZone | null;
  readonly #jitter: number | null;

  /**
   * @param options - see {@link CronTriggerOptions}
   * @throws InvalidCronExpressionError naming the field and value; InvalidTriggerArgumentError
   *   for bad dates or jitter; UnknownTimezoneError; UnknownTriggerArgumentError (e.g. `hours`)
   */
  constructor(options: CronTriggerOptions = {}) {
    checkKnownArguments("cron", options, KNOWN);
    const fields: Partial<Record<CronField, string>> = {};
    for (const field of CRON_FIELDS) {
      const value = options[field];
      if (value !== undefined && value !== null) fields[field] = normaliseCronValue(field, value);
    }
    this.#fields = fields;
    if (options.crontab !== undefined) {
      const field = Object.keys(fields)[0];
      if (field !== undefined) {
        throw new InvalidTriggerArgumentError(
          field,
          options[field as CronField],
          "cannot be combined with crontab",
        );
      }
      const crontab = options.crontab;
      this.#crontab = crontab;
      // Only text is looked up: a non-string that prints as a cached line must still be refused.
      this.#schedule =
        typeof crontab === "string"
          ? cachedSchedule(`crontab\u0000${crontab}`, () => compileCrontab(crontab))
          : new CronSchedule(compileCrontab(crontab));
    } else {
      this.#crontab = null;
      // The key is the normalised text of every field (NUL never occurs in a valid expression).
      let key = "fields";
      for (const field of CRON_FIELDS) key += `\u0000${fields[field] ?? ""}`;
      this.#schedule = cachedSchedule(key, () => compileCronFields(fields, options));
    }
    this.#zone = parseOptionalZone(options.timezone);
    this.#jitter = parseJitter(options.jitter);
    this.#start = options.startAt === undefined ? null : parseTimePoint(options.startAt, "startAt");
    this.#end = options.endAt === undefined ? null : parseTimePoint(options.endAt, "endAt");
    if (
      this.#start !== null &&
      this.#end !== null &&
      this.#start.kind === this.#end.kind &&
      this.#end.ms < this.#start.ms
    ) {
      throw new InvalidTriggerArgumentError("endAt", options.endAt, "is before startAt");
    }
  }

  /**
   * A trigger from a standard crontab line (not asyncz's `from_crontab`, which reads 0 as Monday):
   * 5 fields, or 6 with leading seconds; 0 and 7 = Sunday; names; `L`, `L-n`, `nW`, `LW`, `n#k`,
   * `nL`; `@yearly`..`@hourly`; Vixie OR when day and weekday are both restricted.
   *
   * @param expression - the crontab line
   * @param timezone - IANA zone it is read in (default: the scheduler's zone, else UTC)
   * @returns the trigger
   * @throws InvalidCronExpressionError for a wrong field count or a bad field; UnknownTimezoneError
   */
  static fromCrontab(expression: string, timezone?: string): CronTrigger {
    return new CronTrigger(
      timezone === undefined ? { crontab: expression } : { crontab: expression, timezone },
    );
  }

  /**
   * @param previous - the previous (possibly jittered) fire time, or `null`
   * @param now - the current instant
   * @param context - zone and jitter seed
   * @returns the next fire time, or `null` when the schedule is over
   * @throws UnknownTimezoneError when `context.timezone` is not a known zone
   */
  getNextTriggerTime(previous: Date | null, now: Date, context?: TriggerContext): Date | null {
    const zone = effectiveZone(this.#zone, context);
    const end = this.#end === null ? Number.POSITIVE_INFINITY : instantOfPoint(this.#end, zone);
    const seed = context?.seed ?? "";
    let from = now.getTime();
    if (previous !== null) {
      const base = unjitter(previous.getTime(), this.#jitter, seed, end, (at) =>
        this.#first(at, zone, end),
      );
      // As in asyncz: the first fire after the previous one, unless the clock went back
      // behind it (then from `now`).
      from = from <= base ? from : base + 1;
      if (from === base) from += 1;
    }
    const next = this.#first(from, zone, end);
    return next === null ? null : new Date(applyJitter(next, this.#jitter, seed, end));
  }

  /**
   * @param from - an instant (ms)
   * @param context - the evaluation context
   * @returns the first un-jittered fire time `>= from`, or `null`
   */
  firstFireFrom(from: number, context?: TriggerContext): number | null {
    const zone = effectiveZone(this.#zone, context);
    return this.#first(
      from,
      zone,
      this.#end === null ? Number.POSITIVE_INFINITY : instantOfPoint(this.#end, zone),
    );
  }

  #first(from: number, zone: TimeZone, end: number): number | null {
    const start = this.#start === null ? from : Math.max(from, instantOfPoint(this.#start, zone));
    const next = nextCronInstant(this.#schedule, start, zone);
    return next === null || next > end ? null : next;
  }

  /** @returns `{ type: "cron", version: 1, <given fields> | crontab, startAt, endAt, timezone, jitter }` */
  toJSON(): TriggerJSON {
    return {
      type: this.type,
      version: TRIGGER_JSON_VERSION,
      ...(this.#crontab === null ? this.#fields : { crontab: this.#crontab }),
      startAt: this.#start === null ? null : formatTimePoint(this.#start),
      endAt: this.#end === null ? null : formatTimePoint(this.#end),
      timezone: this.#zone,
      jitter: this.#jitter,
    };
  }

  /** @returns for example `cron[month='6-8,11-12', day='3rd fri']` or `cron[crontab='0 8 * * 1-5']` */
  toString(): string {
    if (this.#crontab !== null) return `cron[crontab='${this.#crontab.trim()}']`;
    const parts = CRON_FIELDS.flatMap((field) => {
      const value = this.#fields[field];
      return value === undefined ? [] : [`${field}='${value}'`];
    });
    return `cron[${parts.join(", ")}]`;
  }

  /**
   * @param json - the persisted form
   * @returns the trigger
   * @throws InvalidTriggerJSONError for a wrong type or version; the constructor's errors for bad fields
   */
  static fromJSON(json: unknown): CronTrigger {
    return new CronTrigger(argumentsOf(checkEnvelope(json, "cron")) as CronTriggerOptions);
  }
}
