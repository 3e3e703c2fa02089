import { InvalidCronExpressionError } from "../../errors.js";
import {
  type CronRange,
  MONTH_NAMES,
  parseRange,
  type RangeSyntax,
  rangesToSet,
  type ValueSet,
} from "./cron-range.js";
import { type CronScheduleSpec, checkDaysCanMatch } from "./cron-schedule.js";
import type { NthWeekday } from "./day-rule.js";

/** crontab weekday names, standard numbering: `sun` = 0 (and 7) .. `sat` = 6. */
const CRONTAB_WEEKDAYS: Readonly<Record<string, number>> = {
  sun: 0,
  mon: 1,
  tue: 2,
  wed: 3,
  thu: 4,
  fri: 5,
  sat: 6,
};

/** The nicknames crontab users know. */
export const CRONTAB_NICKNAMES: Readonly<Record<string, string>> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};

function syntaxOf(
  field: string,
  expression: string,
  min: number,
  max: number,
  names: RangeSyntax["names"] = null,
): RangeSyntax {
  return { field: `crontab ${field}`, expression, min, max, names };
}

function parseList(
  syntax: RangeSyntax,
  text: string,
  special?: (item: string) => boolean,
): CronRange[] {
  const ranges: CronRange[] = [];
  for (const item of text.split(",")) {
    if (item === "")
      throw new InvalidCronExpressionError(
        syntax.field,
        syntax.expression,
        "an item of the list is empty",
      );
    if (special?.(item) === true) continue;
    const range = parseRange(syntax, item === "?" ? "*" : item);
    if (range === null) {
      throw new InvalidCronExpressionError(
        syntax.field,
        syntax.expression,
        `unrecognised item "${item}"`,
      );
    }
    ranges.push(range);
  }
  return ranges;
}

/** Standard weekday number (0..7, Sunday = 0 or 7) → asyncz numbering (Monday = 0). */
function toMondayFirst(weekday: number): number {
  return (weekday + 6) % 7;
}

const NONE: readonly never[] = [];

/**
 * Parsed fields by text. Apps build many triggers from few distinct field texts (`0`, `*`,
 * `1-5`), so parsing each text once keeps building 10k triggers cheap. The values are immutable.
 */
function cached<T>(cache: Map<string, T>, text: string, parse: (text: string) => T): T {
  const known = cache.get(text);
  if (known !== undefined) return known;
  const value = parse(text);
  if (cache.size >= 5000) cache.clear();
  cache.set(text, value);
  return value;
}

const parseMonth = (text: string): ValueSet =>
  rangesToSet(parseList(syntaxOf("month", text, 1, 12, MONTH_NAMES), text));
const parseHour = (text: string): ValueSet =>
  rangesToSet(parseList(syntaxOf("hour", text, 0, 23), text));
const parseMinute = (text: string): ValueSet =>
  rangesToSet(parseList(syntaxOf("minute", text, 0, 59), text));
const parseSecond = (text: string): ValueSet =>
  rangesToSet(parseList(syntaxOf("second", text, 0, 59), text));

interface DaySide {
  readonly dayBits: number;
  readonly dayAny: boolean;
  readonly dayFromLast: readonly number[];
  readonly dayNearestWeekday: readonly number[];
  readonly dayLastWeekday: boolean;
}

function parseDaySide(day: string): DaySide {
  const dayFromLast: number[] = [];
  const dayNearestWeekday: number[] = [];
  let dayLastWeekday = false;
  const daySyntax = syntaxOf("day", day, 1, 31);
  const dayRanges = parseList(daySyntax, day, (item) => {
    if (item === "l") return dayFromLast.push(0) > 0;
    if (item === "lw") {
      dayLastWeekday = true;
      return true;
    }
    const back = /^l-(\d+)$/.exec(item);
    if (back !== null) {
      const count = Number(back[1]);
      if (count > 30)
        throw new InvalidCronExpressionError(
          daySyntax.field,
          day,
          `"${item}": at most 30 days before the last`,
        );
      return dayFromLast.push(count) > 0;
    }
    const nearest = /^(\d+)w$/.exec(item);
    if (nearest !== null) {
      const target = Number(nearest[1]);
      if (target < 1 || target > 31)
        throw new InvalidCronExpressionError(
          daySyntax.field,
          day,
          `"${item}": the day must be 1..31`,
        );
      return dayNearestWeekday.push(target) > 0;
    }
    return false;
  });
  const dayBits = rangesToSet(dayRanges).lo;
  return {
    dayBits,
    // Bits 1..31 all set: every day of the month.
    dayAny:
      dayBits === -2 && dayFromLast.length + dayNearestWeekday.length === 0 && !dayLastWeekday,
    dayFromLast: dayFromLast.length === 0 ? NONE : dayFromLast,
    dayNearestWeekday: dayNearestWeekday.length === 0 ? NONE : dayNearestWeekday,
    dayLastWeekday,
  };
}

interface WeekdaySide {
  readonly weekdayBits: number;
  readonly weekdayAny: boolean;
  readonly weekdayNth: readonly NthWeekday[];
}

function parseWeekdaySide(weekday: string): WeekdaySide {
  const weekdayNth: NthWeekday[] = [];
  const weekdaySyntax = syntaxOf("dayOfWeek", weekday, 0, 7, CRONTAB_WEEKDAYS);
  const readWeekday = (text: string, item: string): number => {
    const value = /^\d+$/.test(text) ? Number(text) : CRONTAB_WEEKDAYS[text];
    if (value === undefined || value > 7) {
      throw new InvalidCronExpressionError(
        weekdaySyntax.field,
        weekday,
        `"${item}": "${text}" is not a weekday (0-7 or sun..sat)`,
      );
    }
    return toMondayFirst(value);
  };
  const weekdayRanges = parseList(weekdaySyntax, weekday, (item) => {
    const nth = /^([a-z0-9]+)#(\d+)$/.exec(item);
    if (nth !== null) {
      const k = Number(nth[2]);
      if (k < 1 || k > 5)
        throw new InvalidCronExpressionError(
          weekdaySyntax.field,
          weekday,
          `"${item}": the occurrence must be 1..5`,
        );
      return weekdayNth.push({ weekday: readWeekday(nth[1] ?? "", item), k }) > 0;
    }
    const last = /^([a-z0-9]+)l$/.exec(item);
    if (last !== null)
      return weekdayNth.push({ weekday: readWeekday(last[1] ?? "", item), k: -1 }) > 0;
    return false;
  });
  const standardWeekdays = rangesToSet(weekdayRanges).lo;
  let weekdayBits = 0;
  for (let value = 0; value <= 7; value += 1) {
    if ((standardWeekdays & (1 << value)) !== 0) weekdayBits |= 1 << toMondayFirst(value);
  }
  return {
    weekdayBits,
    weekdayAny: weekdayBits === 0x7f && weekdayNth.length === 0,
    weekdayNth: weekdayNth.length === 0 ? NONE : weekdayNth,
  };
}

const monthCache = new Map<string, ValueSet>();
const dayCache = new Map<string, DaySide>();
const weekdayCache = new Map<string, WeekdaySide>();
const hourCache = new Map<string, ValueSet>();
const minuteCache = new Map<string, ValueSet>();
const secondCache = new Map<string, ValueSet>();

/**
 * Compiles a standard crontab line: 5 fields (`minute hour day month weekday`) or 6 with leading
 * seconds; weekday 0 and 7 are Sunday; names; `?`; `L`, `L-n`, `nW`, `LW` in the day field;
 * `n#k` and `nL` in the weekday field; nicknames `@yearly @annually @monthly @weekly @daily
 * @midnight @hourly`. When both the day and the weekday fields are restricted (neither is a
 * bare `*` or `?`), a day matches if either matches (Vixie cron, as croner and cron-parser read
 * it: `*\/2` counts as restricted).
 *
 * @param expression - the crontab line
 * @returns the schedule spec
 * @throws InvalidCronExpressionError for a wrong field count or any bad field, naming it
 */
export function compileCrontab(expression: string): CronScheduleSpec {
  if (typeof expression !== "string") {
    throw new InvalidCronExpressionError("crontab", expression, "expected a crontab string");
  }
  const trimmed = expression.trim().toLowerCase();
  // Only look up nicknames for "@..." lines: a keyed lookup with every distinct crontab line
  // would intern each one as a property name.
  const line = trimmed.startsWith("@") ? (CRONTAB_NICKNAMES[trimmed] ?? trimmed) : trimmed;
  if (line.startsWith("@")) {
    throw new InvalidCronExpressionError(
      "crontab",
      expression,
      `unknown nickname (known: ${Object.keys(CRONTAB_NICKNAMES).join(", ")})`,
    );
  }
  // Split on single spaces when that is all there is (the common case, and much cheaper).
  const fields = /\s\s|\t/.test(line)
    ? line.split(/\s+/).filter((part) => part !== "")
    : line === ""
      ? []
      : line.split(" ");
  if (fields.length !== 5 && fields.length !== 6) {
    throw new InvalidCronExpressionError(
      "crontab",
      expression,
      `wrong number of fields: got ${fields.length}, expected 5 (minute hour day month weekday) or 6 (with leading seconds)`,
    );
  }
  const shift = fields.length === 6 ? 1 : 0;
  const second = shift === 1 ? (fields[0] ?? "") : "0";
  const minute = fields[shift] ?? "";
  const hour = fields[shift + 1] ?? "";
  const day = fields[shift + 2] ?? "";
  const month = fields[shift + 3] ?? "";
  const weekday = fields[shift + 4] ?? "";

  const days = cached(dayCache, day, parseDaySide);
  const weekdays = cached(weekdayCache, weekday, parseWeekdaySide);
  // "Restricted" as croner and cron-parser read it: anything but a bare `*` or `?` (Vixie cron
  // also counts `*\/2` as unrestricted; Node users expect the Node libraries' reading).
  const unrestricted = (text: string): boolean => text === "*" || text === "?";
  const spec: CronScheduleSpec = {
    years: null,
    months: cached(monthCache, month, parseMonth),
    days: {
      dayBits: days.dayBits,
      dayAny: days.dayAny,
      dayFromLast: days.dayFromLast,
      dayNearestWeekday: days.dayNearestWeekday,
      dayLastWeekday: days.dayLastWeekday,
      dayNth: NONE,
      weekdayBits: weekdays.weekdayBits,
      weekdayAny: weekdays.weekdayAny,
      weekdayNth: weekdays.weekdayNth,
      weeks: null,
      or: !unrestricted(day) && !unrestricted(weekday),
    },
    hours: cached(hourCache, hour, parseHour),
    minutes: cached(minuteCache, minute, parseMinute),
    seconds: cached(secondCache, second, parseSecond),
  };
  return checkDaysCanMatch(spec, "crontab day", day, month);
}
