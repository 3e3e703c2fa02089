/**
 * The scheduler's view of time. Production uses {@link systemClock}; unit tests inject a manual
 * clock (`ManualClock` from `@asyncz/core/test-kit`) so that timing logic is tested without sleeping.
 */

/** An opaque timer handle. */
export type TimerHandle = unknown;

/** Wall-clock time and one-shot timers. */
export interface Clock {
  /** @returns the current instant in epoch milliseconds */
  now(): number;
  /**
   * @param callback - called once, after about `delayMs`
   * @param delayMs - delay in milliseconds (already clamped below 2^31-1 by the scheduler)
   * @returns a handle for {@link Clock.clearTimeout}
   */
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  /** @param handle - a handle from {@link Clock.setTimeout}; clearing twice is harmless */
  clearTimeout(handle: TimerHandle): void;
}

/** The real clock: `Date.now()` and the global timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
