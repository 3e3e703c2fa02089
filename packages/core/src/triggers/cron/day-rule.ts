import { daysFromCivil, daysInMonth, isoWeek, weekdayOfDays } from "../../time/civil.js";

/** "The k-th `weekday` of the month" (k = 1..5), or the last one (k = -1). Weekday 0 = Monday. */
export interface NthWeekday {
  readonly weekday: number;
  readonly k: number;
}

/**
 * Everything that decides which days of a month match: the day-of-month side, the day-of-week
 * side, the ISO week, and how the two sides combine (asyncz: AND; crontab with both sides
 * restricted: OR, as Vixie cron does).
 */
export interface DayRuleSpec {
  /** Day-of-month bits (bit d = day d) from plain numbers, ranges and steps. */
  readonly dayBits: number;
  /** True when the day-of-month side matches every day. */
  readonly dayAny: boolean;
  /** `L` (0) and `L-n` (n): days counted back from the last day. */
  readonly dayFromLast: readonly number[];
  /** `nW`: the weekday (Mon–Fri) nearest to day n, within the month. */
  readonly dayNearestWeekday: readonly number[];
  /** `LW`: the last weekday (Mon–Fri) of the month. */
  readonly dayLastWeekday: boolean;
  /** asyncz `1st fri`, `last sat` (day field). */
  readonly dayNth: readonly NthWeekday[];
  /** Weekday bits, bit 0 = Monday .. bit 6 = Sunday. */
  readonly weekdayBits: number;
  /** True when the day-of-week side matches every day. */
  readonly weekdayAny: boolean;
  /** crontab `n#k` and `nL` (day-of-week field). */
  readonly weekdayNth: readonly NthWeekday[];
  /** ISO weeks allowed (index 1..53), or `null` for any. */
  readonly weeks: readonly boolean[] | null;
  /**
   * Combine the two sides with OR instead of AND: crontab, when both the day-of-month and the
   * day-of-week fields are restricted (neither is a bare `*` or `?`, as croner and cron-parser read it).
   */
  readonly or: boolean;
}

function nthWeekdayDay(rule: NthWeekday, firstWeekday: number, monthDays: number): number {
  const first = 1 + ((rule.weekday - firstWeekday + 7) % 7);
  if (rule.k > 0) return first + 7 * (rule.k - 1);
  return first + 7 * Math.floor((monthDays - first) / 7);
}

function isWeekend(day: number, firstWeekday: number): boolean {
  return (firstWeekday + day - 1) % 7 >= 5;
}

function nearestWeekday(day: number, firstWeekday: number, monthDays: number): number {
  if (day > monthDays) return 0;
  const weekday = (firstWeekday + day - 1) % 7;
  if (weekday < 5) return day;
  if (weekday === 5) return day > 1 ? day - 1 : day + 2; // Saturday: Friday, or Monday on the 1st
  return day < monthDays ? day + 1 : day - 2; // Sunday: Monday, or Friday on the last day
}

/**
 * Bits of the matching days of one month.
 *
 * @param rule - the compiled rule
 * @param year - full year
 * @param month - 1..12
 * @returns a 32-bit mask, bit d set when day d matches
 */
export function monthDayMask(rule: DayRuleSpec, year: number, month: number): number {
  const monthDays = daysInMonth(year, month);
  const firstDay = daysFromCivil(year, month, 1);
  const firstWeekday = weekdayOfDays(firstDay);
  const all = monthDays === 31 ? -2 : (1 << (monthDays + 1)) - 2;

  let daySide = rule.dayAny ? all : rule.dayBits;
  for (const back of rule.dayFromLast)
    if (monthDays - back >= 1) daySide |= 1 << (monthDays - back);
  for (const day of rule.dayNearestWeekday) {
    const hit = nearestWeekday(day, firstWeekday, monthDays);
    if (hit > 0) daySide |= 1 << hit;
  }
  if (rule.dayLastWeekday) {
    let day = monthDays;
    while (isWeekend(day, firstWeekday)) day -= 1;
    daySide |= 1 << day;
  }
  for (const nth of rule.dayNth) {
    const day = nthWeekdayDay(nth, firstWeekday, monthDays);
    if (day <= monthDays) daySide |= 1 << day;
  }

  let weekdaySide = all;
  if (!rule.weekdayAny) {
    weekdaySide = 0;
    for (let weekday = 0; weekday < 7; weekday += 1) {
      if ((rule.weekdayBits & (1 << weekday)) === 0) continue;
      for (let day = 1 + ((weekday - firstWeekday + 7) % 7); day <= monthDays; day += 7)
        weekdaySide |= 1 << day;
    }
    for (const nth of rule.weekdayNth) {
      const day = nthWeekdayDay(nth, firstWeekday, monthDays);
      if (day <= monthDays) weekdaySide |= 1 << day;
    }
  }

  let mask = (rule.or ? daySide | weekdaySide : daySide & weekdaySide) & all;
  const weeks = rule.weeks;
  if (weeks !== null && mask !== 0) {
    for (let day = 1; day <= monthDays; day += 1) {
      if ((mask & (1 << day)) !== 0 && weeks[isoWeek(year, month, day)] !== true)
        mask &= ~(1 << day);
    }
  }
  return mask;
}
