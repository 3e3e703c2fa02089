import type { TimeZone } from "../../time/time-zone.js";
import { resolveWall } from "../../time/wall-time.js";
import { offsetAt, zoneIsUtc } from "../../time/zone-offset.js";
import type { CronSchedule } from "./cron-schedule.js";

/** Longest DST jump handled by the look-behind/look-ahead below (real ones are 30 min to 2 h). */
const TRANSITION_WINDOW_MS = 3 * 3_600_000;
/** Wall time never differs from its instant by more than this (UTC−12 .. UTC+14, with margin). */
const MAX_OFFSET_MS = 15 * 3_600_000;

/**
 * The first fire time of a cron schedule at or after an instant, in a zone, under the SPEC §7
 * DST policy:
 * - a wall time inside a gap fires once, shifted forward by the gap (02:30 → 03:30 EDT);
 * - a wall time inside an overlap fires at its first occurrence only, unless the schedule allows
 *   every hour, in which case the second occurrence fires too (`*\/30` keeps firing every 30 real
 *   minutes through the repeated hour).
 *
 * @param schedule - the compiled schedule
 * @param from - an instant (ms); rounded up to a whole second
 * @param zone - the zone the schedule's fields are read in
 * @returns the fire instant (ms), or `null` when the schedule never fires again
 */
export function nextCronInstant(
  schedule: CronSchedule,
  from: number,
  zone: TimeZone,
): number | null {
  const start = Math.ceil(from / 1000) * 1000;
  if (zoneIsUtc(zone)) return schedule.next(start);

  const offset = offsetAt(zone, start);
  let best = Number.POSITIVE_INFINITY;

  // Just after a spring-forward jump: walls of the gap that precede `start`'s wall may still be
  // due, shifted forward by the gap.
  const offsetBefore = offsetAt(zone, start - TRANSITION_WINDOW_MS);
  if (offsetBefore < offset) {
    const wall = schedule.next(start + offsetBefore);
    if (wall !== null && wall < start + offset) {
      const resolved = resolveWall(wall, zone);
      if (resolved.kind === "gap" && resolved.first >= start) best = resolved.first;
    }
  }
  // Just before a fall-back jump, with every hour allowed: the second occurrences of walls that
  // precede `start`'s wall are still ahead.
  if (schedule.hourAny) {
    const offsetAfter = offsetAt(zone, start + TRANSITION_WINDOW_MS);
    if (offsetAfter < offset) {
      // Walls before the repeated range resolve as single (and are past): walk on to the first
      // repeated one.
      let wall = schedule.next(start + offsetAfter);
      while (wall !== null && wall < start + offset) {
        const resolved = resolveWall(wall, zone);
        if (resolved.kind === "overlap" && resolved.second >= start) {
          if (resolved.second < best) best = resolved.second;
          break;
        }
        wall = schedule.next(wall + 1000);
      }
    }
  }

  let wall = schedule.next(start + offset);
  while (wall !== null && wall - MAX_OFFSET_MS <= best) {
    const resolved = resolveWall(wall, zone);
    if (resolved.kind === "single") return Math.min(best, resolved.first);
    if (resolved.kind === "gap") {
      // Keep looking: a real wall just after the gap can come before this shifted one.
      if (resolved.first >= start && resolved.first < best) best = resolved.first;
    } else if (resolved.first >= start) {
      return Math.min(best, resolved.first);
    } else if (schedule.hourAny && resolved.second >= start) {
      return Math.min(best, resolved.second);
    }
    wall = schedule.next(wall + 1000);
  }
  return best === Number.POSITIVE_INFINITY ? null : best;
}
