import { InvalidTriggerArgumentError } from "../errors.js";
import { daysInMonth, fieldsFromWall, wallFromFields } from "./civil.js";
import type { TimeZone } from "./time-zone.js";
import { instantOfWall, wallOf } from "./wall-time.js";

/**
 * A point in time as the user gave it: either an exact instant (a `Date`, or an ISO string with
 * `Z` or an offset), or a wall time without offset, read in the trigger's zone when it is used
 * (the zone may only be known at evaluation: the scheduler's `timezone`).
 */
export type TimePoint =
  | { readonly kind: "instant"; readonly ms: number }
  | { readonly kind: "wall"; readonly ms: number };

/** What trigger options accept for a time: a `Date` or an ISO-8601 string. */
export type TimeInput = Date | string;

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * Parses a trigger time option.
 *
 * @param value - a valid `Date`, or an ISO-8601 string (`2026-03-01`, `2026-03-01T08:00`,
 *   `2026-03-01 08:00:00+01:00`, `2026-03-01T07:00:00Z`)
 * @param field - the option name, for the error message
 * @returns the parsed time point
 * @throws InvalidTriggerArgumentError for anything else, or impossible dates (`2026-02-30`)
 */
export function parseTimePoint(value: unknown, field: string): TimePoint {
  if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms)) throw new InvalidTriggerArgumentError(field, value, "not a valid date");
    return { kind: "instant", ms };
  }
  if (typeof value !== "string") {
    throw new InvalidTriggerArgumentError(field, value, "expected a Date or an ISO-8601 string");
  }
  const match = ISO.exec(value.trim());
  if (match === null) {
    throw new InvalidTriggerArgumentError(
      field,
      value,
      "not an ISO-8601 date-time (YYYY-MM-DD[THH:MM[:SS[.fff]]][Z|±HH:MM])",
    );
  }
  const [, y, mo, d, h = "0", mi = "0", s = "0", fraction = "", offset] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth(year, month) ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    throw new InvalidTriggerArgumentError(field, value, "no such date or time of day");
  }
  const millisecond = Math.floor(Number(`0.${fraction || "0"}`) * 1000);
  const wall = wallFromFields(year, month, day, hour, minute, second, millisecond);
  if (offset === undefined) return { kind: "wall", ms: wall };
  if (offset === "Z" || offset === "z") return { kind: "instant", ms: wall };
  const sign = offset.startsWith("-") ? -1 : 1;
  const digits = offset.slice(1).replace(":", "");
  const offsetHours = Number(digits.slice(0, 2));
  const offsetMinutes = Number(digits.slice(2) || "0");
  if (offsetHours > 23 || offsetMinutes > 59) {
    throw new InvalidTriggerArgumentError(field, value, "the UTC offset is out of range");
  }
  return { kind: "instant", ms: wall - sign * (offsetHours * 60 + offsetMinutes) * 60_000 };
}

/**
 * The instant of a time point in a zone (wall times follow the SPEC §7 policy).
 *
 * @param point - a parsed time point
 * @param zone - the zone wall times are read in
 * @returns milliseconds since the epoch
 */
export function instantOfPoint(point: TimePoint, zone: TimeZone): number {
  return point.kind === "instant" ? point.ms : instantOfWall(point.ms, zone);
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, "0");
}

/**
 * Formats wall milliseconds as `YYYY-MM-DD HH:MM:SS` (with `.fff` when not a whole second).
 *
 * @param wall - wall milliseconds
 * @param separator - between date and time
 * @defaultValue separator `" "`
 * @returns the formatted wall time
 */
export function formatWall(wall: number, separator = " "): string {
  const f = fieldsFromWall(wall);
  const base = `${pad(f.year, 4)}-${pad(f.month)}-${pad(f.day)}${separator}${pad(f.hour)}:${pad(f.minute)}:${pad(f.second)}`;
  return f.millisecond === 0 ? base : `${base}.${pad(f.millisecond, 3)}`;
}

/**
 * Serialises a time point back to the string {@link parseTimePoint} reads: an instant as UTC
 * with `Z`, a wall time without offset.
 *
 * @param point - a parsed time point
 * @returns an ISO-8601 string
 */
export function formatTimePoint(point: TimePoint): string {
  return point.kind === "instant" ? new Date(point.ms).toISOString() : formatWall(point.ms, "T");
}

/**
 * Formats an instant as wall time in a zone followed by the zone name, for `toString()`.
 *
 * @param instant - milliseconds since the epoch
 * @param zone - the zone to show it in
 * @returns for example `2026-03-01 08:00:00 Europe/Berlin`
 */
export function formatInstant(instant: number, zone: TimeZone): string {
  return `${formatWall(wallOf(instant, zone))} ${zone}`;
}
