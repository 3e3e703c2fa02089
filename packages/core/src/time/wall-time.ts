import { DAY_MS } from "./civil.js";
import type { TimeZone } from "./time-zone.js";
import { offsetAt } from "./zone-offset.js";

/**
 * How one wall time maps to instants in a zone (SPEC §7):
 * - `"single"`: it exists once; `first === second`.
 * - `"gap"`: it does not exist (clocks jumped over it); `first === second` is the wall time
 *   shifted forward by the gap (02:30 on New York's spring-forward day → 03:30 EDT).
 * - `"overlap"`: it exists twice (clocks went back); `first` is the earlier occurrence.
 */
export interface WallResolution {
  readonly kind: "single" | "gap" | "overlap";
  readonly first: number;
  readonly second: number;
}

/**
 * Wall time of an instant in a zone.
 *
 * @param instant - milliseconds since the epoch
 * @param zone - a validated zone
 * @returns wall milliseconds (the local date and time written as if it were UTC)
 */
export function wallOf(instant: number, zone: TimeZone): number {
  return instant + offsetAt(zone, instant);
}

/**
 * Resolves a wall time in a zone to its instant(s).
 *
 * @param wall - wall milliseconds
 * @param zone - a validated zone
 * @returns the resolution (see {@link WallResolution})
 */
export function resolveWall(wall: number, zone: TimeZone): WallResolution {
  // The instant of a wall time lies within a day of it, and the tz database never has two
  // transitions within two days, so the offsets a day either side are the only candidates.
  const earlier = offsetAt(zone, wall - DAY_MS);
  const later = offsetAt(zone, wall + DAY_MS);
  if (earlier === later) {
    const instant = wall - earlier;
    return { kind: "single", first: instant, second: instant };
  }
  const withEarlier = wall - earlier;
  const withLater = wall - later;
  const earlierValid = offsetAt(zone, withEarlier) === earlier;
  const laterValid = offsetAt(zone, withLater) === later;
  if (earlierValid && laterValid) {
    return {
      kind: "overlap",
      first: Math.min(withEarlier, withLater),
      second: Math.max(withEarlier, withLater),
    };
  }
  if (earlierValid) return { kind: "single", first: withEarlier, second: withEarlier };
  if (laterValid) return { kind: "single", first: withLater, second: withLater };
  // In the gap: read the wall time with the offset in force before the jump, which lands it
  // exactly one gap later than the wall time says.
  return { kind: "gap", first: withEarlier, second: withEarlier };
}

/**
 * The instant of a wall time under the SPEC §7 policy: gap → shifted forward by the gap,
 * overlap → first occurrence.
 *
 * @param wall - wall milliseconds
 * @param zone - a validated zone
 * @returns milliseconds since the epoch
 */
export function instantOfWall(wall: number, zone: TimeZone): number {
  return resolveWall(wall, zone).first;
}
