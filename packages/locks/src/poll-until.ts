/** Time source and sleeper used while waiting for a lock; tests inject a fake one. */
export interface WaitClock {
  /** Current time in milliseconds (monotonic is best; only differences are used). */
  now(): number;
  /** Resolves after `ms` milliseconds, or rejects with `signal.reason` when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The real clock: `performance.now()` and `setTimeout`. */
export const realClock: WaitClock = {
  now: () => performance.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      }, ms);
      signal?.addEventListener("abort", onAbort, { once: true });
    }),
};

/** How {@link pollUntil} waits. */
export interface PollOptions {
  /** Give up after this many milliseconds; `undefined` waits forever. */
  readonly timeoutMs?: number | undefined;
  /** Stops waiting (the promise rejects with the signal's reason). */
  readonly signal?: AbortSignal | undefined;
  /** Time source; the real clock unless a test injects one. */
  readonly clock?: WaitClock | undefined;
  /** First pause between attempts. @defaultValue 1 */
  readonly initialIntervalMs?: number;
  /**
   * Longest pause between attempts. It bounds how late a waiter notices a released lock, so it is
   * the takeover latency after a holder dies (plus timer slack). @defaultValue 10
   */
  readonly maxIntervalMs?: number;
}

/**
 * Calls `attempt` until it returns a value, pausing between attempts with a doubling back-off
 * (1, 2, 4, 8, 10, 10, ... ms by default). Waiting never blocks the event loop, and a timeout or
 * abort never leaves anything behind (unlike a blocking `F_OFD_SETLKW` in the libuv thread pool,
 * which cannot be cancelled and would keep a pool thread until the lock came free).
 *
 * @param attempt - one non-blocking try; returns `undefined` when it should be retried
 * @param options - timeout, abort signal, clock and back-off bounds
 * @returns the first value `attempt` returned, or `undefined` when the timeout expired (a last
 *   attempt is always made at the deadline)
 * @throws whatever `attempt` throws, or the abort signal's reason
 */
export async function pollUntil<T>(
  attempt: () => T | undefined,
  options: PollOptions = {},
): Promise<T | undefined> {
  const clock = options.clock ?? realClock;
  const maxInterval = options.maxIntervalMs ?? 10;
  let interval = Math.min(options.initialIntervalMs ?? 1, maxInterval);
  const deadline = options.timeoutMs === undefined ? undefined : clock.now() + options.timeoutMs;
  for (;;) {
    options.signal?.throwIfAborted();
    const value = attempt();
    if (value !== undefined) return value;
    const remaining = deadline === undefined ? interval : deadline - clock.now();
    if (remaining <= 0) return undefined;
    await clock.sleep(Math.min(interval, remaining), options.signal);
    interval = Math.min(interval * 2, maxInterval);
  }
}
