/**
 * Proleptic-Gregorian calendar arithmetic on "wall milliseconds": a wall time written as if it
 * were UTC (`Date.UTC(y, m - 1, d, h, mi, s)`), which is how this module represents local times
 * independently of any zone and of the host's `TZ`.
 */

/** Milliseconds per day. */
export const DAY_MS = 86_400_000;

/**
 * Days since 1970-01-01 of a civil date (H. Hinnant's algorithm; valid for every year).
 *
 * @param year - full year
 * @param month - 1..12
 * @param day - 1..31
 * @returns the day number
 */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/**
 * Civil date of a day number.
 *
 * @param days - days since 1970-01-01
 * @returns `[year, month 1..12, day 1..31]`
 */
export function civilFromDays(days: number): [number, number, number] {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

/**
 * Wall milliseconds of a civil date and time.
 *
 * @param year - full year
 * @param month - 1..12
 * @param day - 1..31
 * @param hour - 0..23
 * @param minute - 0..59
 * @param second - 0..59
 * @param millisecond - 0..999
 * @defaultValue hour, minute, second and millisecond 0
 * @returns milliseconds, as if the wall time were UTC
 */
export function wallFromFields(
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
  millisecond = 0,
): number {
  return (
    daysFromCivil(year, month, day) * DAY_MS +
    ((hour * 60 + minute) * 60 + second) * 1000 +
    millisecond
  );
}

/** Broken-down wall time. */
export interface WallFields {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly millisecond: number;
}

/**
 * Breaks wall milliseconds into fields.
 *
 * @param wall - wall milliseconds
 * @returns the civil date and time
 */
export function fieldsFromWall(wall: number): WallFields {
  const days = Math.floor(wall / DAY_MS);
  const [year, month, day] = civilFromDays(days);
  let rest = wall - days * DAY_MS;
  const millisecond = rest % 1000;
  rest = (rest - millisecond) / 1000;
  return {
    year,
    month,
    day,
    hour: Math.floor(rest / 3600),
    minute: Math.floor(rest / 60) % 60,
    second: rest % 60,
    millisecond,
  };
}

/**
 * Whether a year is a leap year.
 *
 * @param year - full year
 * @returns true for leap years
 */
export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Days in a month.
 *
 * @param year - full year
 * @param month - 1..12
 * @returns 28..31
 */
export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : (MONTH_DAYS[month - 1] ?? 31);
}

/**
 * Weekday of a day number, Monday = 0 .. Sunday = 6 (asyncz numbering).
 *
 * @param days - days since 1970-01-01 (a Thursday)
 * @returns 0..6
 */
export function weekdayOfDays(days: number): number {
  return (((days + 3) % 7) + 7) % 7;
}

/**
 * ISO-8601 week number of a civil date.
 *
 * @param year - full year
 * @param month - 1..12
 * @param day - 1..31
 * @returns 1..53
 */
export function isoWeek(year: number, month: number, day: number): number {
  const days = daysFromCivil(year, month, day);
  const thursday = days - weekdayOfDays(days) + 3;
  const [thursdayYear] = civilFromDays(thursday);
  return Math.floor((thursday - daysFromCivil(thursdayYear, 1, 1)) / 7) + 1;
}
