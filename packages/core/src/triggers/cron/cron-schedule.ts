import { InvalidCronExpressionError } from "../../errors.js";
import { civilFromDays, DAY_MS, daysFromCivil } from "../../time/civil.js";
import type { ValueSet } from "./cron-range.js";
import { type DayRuleSpec, monthDayMask } from "./day-rule.js";

/** Largest year a cron schedule can fire in (as in asyncz). */
export const MAX_YEAR = 9999;

/** A compiled set of years: `null` ranges mean "every year". */
export interface YearRange {
  readonly from: number;
  readonly to: number;
  readonly step: number;
}

/** The parts a {@link CronSchedule} is compiled from: sets of allowed values per field. */
export interface CronScheduleSpec {
  /** Allowed years, or `null` for any. */
  readonly years: readonly YearRange[] | null;
  /** Allowed months 1..12. */
  readonly months: ValueSet;
  readonly days: DayRuleSpec;
  /** Allowed hours 0..23. */
  readonly hours: ValueSet;
  /** Allowed minutes 0..59. */
  readonly minutes: ValueSet;
  /** Allowed seconds 0..59. */
  readonly seconds: ValueSet;
}

/** `table[v]` = smallest allowed value >= v, or -1; one slot past the maximum for carries. */
const tables = new Map<string, Int8Array>();

/** Tables are shared between schedules (they are never written after construction). */
const tablesBySet = new WeakMap<ValueSet, Int8Array>();

function nextTable(values: ValueSet, max: number): Int8Array {
  // Cached field values (crontab parses each field text once) hit this without building a key.
  const bySet = tablesBySet.get(values);
  if (bySet !== undefined) return bySet;
  const table = tableFor(values, max);
  tablesBySet.set(values, table);
  return table;
}

function tableFor(values: ValueSet, max: number): Int8Array {
  const key =
    values.hi === 0
      ? String(max * 4_294_967_296 + (values.lo >>> 0))
      : `${max}:${values.lo}:${values.hi}`;
  const known = tables.get(key);
  if (known !== undefined) return known;
  const table = new Int8Array(max + 2).fill(-1);
  let next = -1;
  for (let value = max; value >= 0; value -= 1) {
    if (value < 32 ? (values.lo & (1 << value)) !== 0 : (values.hi & (1 << (value - 32))) !== 0)
      next = value;
    table[value] = next;
  }
  if (tables.size < 10_000) tables.set(key, table);
  return table;
}

/**
 * A cron schedule compiled for fast search in wall time: per-field "next allowed value" tables
 * and a per-month day mask, so the next match is found by jumping field by field (year, month,
 * day, hour, minute, second) rather than by ticking through seconds.
 */
export class CronSchedule {
  /** Whether every hour is allowed (SPEC §7: then both occurrences of a repeated hour fire). */
  readonly hourAny: boolean;
  readonly #years: readonly YearRange[] | null;
  readonly #months: Int8Array;
  readonly #days: DayRuleSpec;
  readonly #hours: Int8Array;
  readonly #minutes: Int8Array;
  readonly #seconds: Int8Array;
  #maskKey = -1;
  #mask = 0;

  /** @param spec - the allowed values per field */
  constructor(spec: CronScheduleSpec) {
    this.#years = spec.years;
    this.#months = nextTable(spec.months, 12);
    this.#days = spec.days;
    this.#hours = nextTable(spec.hours, 23);
    this.#minutes = nextTable(spec.minutes, 59);
    this.#seconds = nextTable(spec.seconds, 59);
    this.hourAny = (spec.hours.lo & 0xff_ffff) === 0xff_ffff;
  }

  #nextYear(year: number): number {
    const ranges = this.#years;
    if (ranges === null) return year <= MAX_YEAR ? year : -1;
    let best = -1;
    for (const range of ranges) {
      if (year > range.to) continue;
      const candidate =
        year <= range.from
          ? range.from
          : range.from + Math.ceil((year - range.from) / range.step) * range.step;
      if (candidate <= range.to && (best === -1 || candidate < best)) best = candidate;
    }
    return best;
  }

  #dayMask(year: number, month: number): number {
    const key = year * 16 + month;
    if (key !== this.#maskKey) {
      this.#mask = monthDayMask(this.#days, year, month);
      this.#maskKey = key;
    }
    return this.#mask;
  }

  /**
   * The first matching wall time at or after a wall time.
   *
   * @param wall - wall milliseconds (rounded up to a whole second here)
   * @returns wall milliseconds of the match, or `null` if none up to year 9999
   */
  next(wall: number): number | null {
    const start = Math.ceil(wall / 1000) * 1000;
    const days = Math.floor(start / DAY_MS);
    let [year, month, day] = civilFromDays(days);
    const secondOfDay = (start - days * DAY_MS) / 1000;
    let hour = Math.floor(secondOfDay / 3600);
    let minute = Math.floor(secondOfDay / 60) % 60;
    let second = secondOfDay % 60;
    const months = this.#months;
    const hours = this.#hours;
    const minutes = this.#minutes;
    const seconds = this.#seconds;
    for (;;) {
      const nextYear = this.#nextYear(year);
      if (nextYear < 0) return null;
      if (nextYear !== year) {
        year = nextYear;
        month = 1;
        day = 1;
        hour = 0;
        minute = 0;
        second = 0;
      }
      const nextMonth = months[month] ?? -1;
      if (nextMonth < 0) {
        year += 1;
        month = 1;
        day = 1;
        hour = 0;
        minute = 0;
        second = 0;
        continue;
      }
      if (nextMonth !== month) {
        month = nextMonth;
        day = 1;
        hour = 0;
        minute = 0;
        second = 0;
      }
      const mask = day > 31 ? 0 : this.#dayMask(year, month) & (-1 << day);
      if (mask === 0) {
        month += 1;
        day = 1;
        hour = 0;
        minute = 0;
        second = 0;
        continue;
      }
      const nextDay = 31 - Math.clz32(mask & -mask);
      if (nextDay !== day) {
        day = nextDay;
        hour = 0;
        minute = 0;
        second = 0;
      }
      const nextHour = hours[hour] ?? -1;
      if (nextHour < 0) {
        day += 1;
        hour = 0;
        minute = 0;
        second = 0;
        continue;
      }
      if (nextHour !== hour) {
        hour = nextHour;
        minute = 0;
        second = 0;
      }
      const nextMinute = minutes[minute] ?? -1;
      if (nextMinute < 0) {
        hour += 1;
        minute = 0;
        second = 0;
        continue;
      }
      if (nextMinute !== minute) {
        minute = nextMinute;
        second = 0;
      }
      const nextSecond = seconds[second] ?? -1;
      if (nextSecond < 0) {
        minute += 1;
        second = 0;
        continue;
      }
      return (
        daysFromCivil(year, month, day) * DAY_MS + ((hour * 60 + minute) * 60 + nextSecond) * 1000
      );
    }
  }
}

const LONGEST_MONTH = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Rejects a schedule whose day field can never match in any allowed month (`day: 30` with
 * `month: 2`, crontab `0 0 31 4,6 *`): such a trigger would silently never fire. cron-parser
 * rejects these too; asyncz and croner return "never".
 *
 * @param spec - the compiled spec
 * @param field - the day field's name, for the error
 * @param expression - the day expression, for the error
 * @param months - the month expression, for the message
 * @returns the spec, unchanged
 * @throws InvalidCronExpressionError when no allowed month has any of the days
 */
export function checkDaysCanMatch(
  spec: CronScheduleSpec,
  field: string,
  expression: unknown,
  months: unknown,
): CronScheduleSpec {
  const days = spec.days;
  const plainDays =
    !days.dayAny &&
    days.dayFromLast.length === 0 &&
    days.dayNearestWeekday.length === 0 &&
    !days.dayLastWeekday &&
    days.dayNth.length === 0 &&
    !days.or;
  if (!plainDays || days.dayBits === 0) return spec;
  let longest = 0;
  for (let month = 1; month <= 12; month += 1) {
    if ((spec.months.lo & (1 << month)) !== 0)
      longest = Math.max(longest, LONGEST_MONTH[month] ?? 31);
  }
  const first = 31 - Math.clz32(days.dayBits & -days.dayBits);
  if (first > longest) {
    throw new InvalidCronExpressionError(
      field,
      expression,
      `no allowed month (month = ${JSON.stringify(months)}) has day ${first} or later, so the schedule would never fire`,
    );
  }
  return spec;
}
