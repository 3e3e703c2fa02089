/**
 * Deterministic jitter. A jittered fire time is a pure function of (seed, un-jittered time), so
 * every process sharing a store computes the same next run time, and the un-jittered time can be
 * recovered from the jittered one, so jitter never accumulates: the next time is always computed
 * from the un-jittered grid.
 */

function mix(hash: number): number {
  // murmur3's finaliser: spreads the FNV bits over the whole word.
  let h = hash;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85eb_ca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2_ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function fnv1a(text: string): number {
  let hash = 0x811c_9dc5;
  for (let index = 0; index < text.length; index += 1) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x0100_0193);
  }
  return hash >>> 0;
}

/**
 * The jitter delay of one fire time.
 *
 * @param seed - the evaluation seed (the scheduler passes the task id)
 * @param instant - the un-jittered fire time, milliseconds since the epoch
 * @param jitterSeconds - the largest delay, in seconds
 * @returns a delay in whole milliseconds, `0 <= delay < jitterSeconds * 1000`
 */
export function jitterDelayMs(seed: string, instant: number, jitterSeconds: number): number {
  if (jitterSeconds <= 0) return 0;
  const unit = mix(fnv1a(`${seed}\u0000${instant}`)) / 4_294_967_296;
  return Math.floor(unit * jitterSeconds * 1000);
}

/**
 * Applies jitter to an un-jittered fire time, never past the trigger's end.
 *
 * @param instant - un-jittered fire time (ms)
 * @param jitterSeconds - largest delay in seconds, or `null` for none
 * @param seed - the evaluation seed
 * @param endMs - the trigger's inclusive end (ms), or `Infinity`
 * @returns the jittered fire time (ms)
 */
export function applyJitter(
  instant: number,
  jitterSeconds: number | null,
  seed: string,
  endMs: number,
): number {
  if (jitterSeconds === null || jitterSeconds <= 0) return instant;
  return Math.min(instant + jitterDelayMs(seed, instant, jitterSeconds), Math.max(endMs, instant));
}

/** Bound on the grid points examined when recovering an un-jittered time. */
const MAX_UNJITTER_STEPS = 10_000;

/**
 * Recovers the un-jittered fire time behind a (possibly jittered) previous fire time.
 *
 * @param previous - the previous fire time as stored (ms)
 * @param jitterSeconds - the trigger's jitter, or `null`
 * @param seed - the evaluation seed
 * @param endMs - the trigger's inclusive end (ms), or `Infinity`
 * @param firstFrom - the trigger's first un-jittered fire time at or after an instant
 * @returns the latest grid time whose jittered value is `previous`; `previous` itself when there
 *   is no jitter or no grid time matches (the seed changed, or the time was set by hand)
 */
export function unjitter(
  previous: number,
  jitterSeconds: number | null,
  seed: string,
  endMs: number,
  firstFrom: (from: number) => number | null,
): number {
  if (jitterSeconds === null || jitterSeconds <= 0) return previous;
  // Take the latest grid time that jitters onto `previous`: when the jitter is wider than the gap
  // between fire times, two grid times can (rarely) jitter onto the same millisecond, and picking
  // the earlier one would hand out the same next time again and again.
  let found = previous;
  let candidate = firstFrom(previous - Math.ceil(jitterSeconds * 1000));
  for (
    let step = 0;
    candidate !== null && candidate <= previous && step < MAX_UNJITTER_STEPS;
    step += 1
  ) {
    if (applyJitter(candidate, jitterSeconds, seed, endMs) === previous) found = candidate;
    candidate = firstFrom(candidate + 1);
  }
  return found;
}
