import { InvalidCronExpressionError } from "../../errors.js";
import {
  type CronRange,
  MONTH_NAMES,
  parseRange,
  type RangeSyntax,
  rangesToSet,
  setHas,
  setSize,
  WEEKDAY_NAMES,
} from "./cron-range.js";
import { type CronScheduleSpec, checkDaysCanMatch } from "./cron-schedule.js";
import type { NthWeekday } from "./day-rule.js";

/** The asyncz cron fields, most significant first. */
export const CRON_FIELDS = [
  "year",
  "month",
  "day",
  "week",
  "dayOfWeek",
  "hour",
  "minute",
  "second",
] as const;

/** One of {@link CRON_FIELDS}. */
export type CronField = (typeof CRON_FIELDS)[number];

/** What a cron field accepts: a number, or an expression string. */
export type CronFieldValue = number | string;

const BOUNDS: Record<CronField, readonly [number, number]> = {
  year: [1970, 9999],
  month: [1, 12],
  day: [1, 31],
  week: [1, 53],
  dayOfWeek: [0, 6],
  hour: [0, 23],
  minute: [0, 59],
  second: [0, 59],
};

/** Value of a field less significant than the least significant one given. */
const DEFAULTS: Record<CronField, string> = {
  year: "*",
  month: "1",
  day: "1",
  week: "*",
  dayOfWeek: "*",
  hour: "0",
  minute: "0",
  second: "0",
};

const POSITIONS: Readonly<Record<string, number>> = {
  "1st": 1,
  "2nd": 2,
  "3rd": 3,
  "4th": 4,
  "5th": 5,
  last: -1,
};
const NTH = /^(1st|2nd|3rd|4th|5th|last)\s+([a-z]+)$/;
/** A non-empty value without capitals or whitespace, which normalising leaves unchanged. */
const ALREADY_NORMAL = /^[0-9a-z*/,?#-]+$/;

/**
 * Normalises a field value to the text shown by `toString()`: lowercase, no spaces around commas.
 *
 * @param field - the field name, for the error
 * @param value - the value given
 * @returns the normalised expression
 * @throws InvalidCronExpressionError for values that are neither integers nor strings
 */
export function normaliseCronValue(field: string, value: unknown): string {
  if (typeof value === "number") {
    if (!Number.isInteger(value))
      throw new InvalidCronExpressionError(
        field,
        value,
        "expected an integer or an expression string",
      );
    return String(value);
  }
  if (typeof value !== "string")
    throw new InvalidCronExpressionError(
      field,
      value,
      "expected an integer or an expression string",
    );
  // Already normal (the usual `"*/5"`, `"1-5"`, `"mon,fri"`): returned as is, with no new string.
  if (ALREADY_NORMAL.test(value)) return value;
  const text = value
    .trim()
    .toLowerCase()
    .replace(/\s*,\s*/g, ",")
    .replace(/\s+/g, " ");
  if (text === "") throw new InvalidCronExpressionError(field, value, "the expression is empty");
  return text;
}

interface ParsedField {
  readonly ranges: CronRange[];
  readonly nth: NthWeekday[];
  readonly last: boolean;
}

function parseField(field: CronField, expression: string, given: unknown): ParsedField {
  const [min, max] = BOUNDS[field];
  const syntax: RangeSyntax = {
    field,
    expression: given,
    min,
    max,
    names: field === "month" ? MONTH_NAMES : field === "dayOfWeek" ? WEEKDAY_NAMES : null,
  };
  const parsed: ParsedField = { ranges: [], nth: [], last: false };
  for (const item of expression.split(",")) {
    if (item === "")
      throw new InvalidCronExpressionError(field, given, "an item of the list is empty");
    const range = parseRange(syntax, item);
    if (range !== null) {
      parsed.ranges.push(range);
      continue;
    }
    if (field === "day" && item === "last") {
      (parsed as { last: boolean }).last = true;
      continue;
    }
    const nth = field === "day" ? NTH.exec(item) : null;
    if (nth !== null) {
      const [, position = "", name = ""] = nth;
      const weekday = WEEKDAY_NAMES[name];
      if (weekday === undefined)
        throw new InvalidCronExpressionError(
          field,
          given,
          `"${name}" is not a weekday name (mon..sun)`,
        );
      parsed.nth.push({ weekday, k: POSITIONS[position] ?? 1 });
      continue;
    }
    throw new InvalidCronExpressionError(
      field,
      given,
      `unrecognised expression "${item}" for the ${field} field`,
    );
  }
  return parsed;
}

/**
 * Compiles asyncz cron fields (SPEC §3.3) into a schedule spec, applying asyncz's defaulting:
 * fields more significant than the least significant one given are `*`, less significant ones
 * take their minimum (`minute: 5` fires at hh:05:00); `day` and `dayOfWeek` combine with AND.
 *
 * @param given - the expressions given, normalised by {@link normaliseCronValue}
 * @param raw - the values as the caller gave them, for error messages
 * @returns the schedule spec
 * @throws InvalidCronExpressionError naming the field and value
 */
export function compileCronFields(
  given: Partial<Record<CronField, string>>,
  raw: Partial<Record<CronField, unknown>>,
): CronScheduleSpec {
  let lastGiven = -1;
  CRON_FIELDS.forEach((field, index) => {
    if (given[field] !== undefined) lastGiven = index;
  });
  const parsed = {} as Record<CronField, ParsedField>;
  CRON_FIELDS.forEach((field, index) => {
    const expression =
      given[field] ?? (index > lastGiven && lastGiven >= 0 ? DEFAULTS[field] : "*");
    parsed[field] = parseField(field, expression, raw[field] ?? expression);
  });
  // A field that allows every value is "any": it leaves the day-of-week/day AND alone and lets
  // the search skip year checks.
  const isStar = (field: CronField): boolean => {
    const { ranges, nth, last } = parsed[field];
    const [min, max] = BOUNDS[field];
    if (nth.length > 0 || last) return false;
    if (field === "year")
      return ranges.some((range) => range.step === 1 && range.from === min && range.to === max);
    return setSize(rangesToSet(ranges)) === max - min + 1;
  };
  const weekSet = rangesToSet(parsed.week.ranges);
  const weeks: boolean[] = [];
  for (let week = 1; week <= 53; week += 1) weeks[week] = setHas(weekSet, week);
  const dayAny = isStar("day");
  const spec: CronScheduleSpec = {
    years: isStar("year") ? null : parsed.year.ranges,
    months: rangesToSet(parsed.month.ranges),
    days: {
      dayBits: rangesToSet(parsed.day.ranges).lo,
      dayAny,
      dayFromLast: parsed.day.last ? [0] : [],
      dayNearestWeekday: [],
      dayLastWeekday: false,
      dayNth: parsed.day.nth,
      weekdayBits: rangesToSet(parsed.dayOfWeek.ranges).lo,
      weekdayAny: isStar("dayOfWeek"),
      weekdayNth: [],
      weeks: isStar("week") ? null : weeks,
      or: false,
    },
    hours: rangesToSet(parsed.hour.ranges),
    minutes: rangesToSet(parsed.minute.ranges),
    seconds: rangesToSet(parsed.second.ranges),
  };
  return checkDaysCanMatch(spec, "day", raw.day ?? given.day, given.month ?? "*");
}
