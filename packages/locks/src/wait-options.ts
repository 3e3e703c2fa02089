import { InvalidLockOptionError } from "./errors.js";

/** How a waiting lock call waits. */
export interface LockWaitOptions {
  /**
   * Seconds to wait before rejecting with {@link LockTimeoutError}; `0` tries once (then rejects),
   * `undefined` or `Infinity` waits until the lock is free. Seconds, as in asyncz.
   * @defaultValue undefined (wait forever)
   */
  readonly timeout?: number | undefined;
  /** Stops waiting: the promise rejects with the signal's reason and nothing stays locked. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * Validates `timeout` (seconds) and converts it to milliseconds.
 *
 * @param timeout - seconds, `Infinity` or `undefined`
 * @returns milliseconds, or `undefined` for "wait forever"
 * @throws {@link InvalidLockOptionError} when `timeout` is not a non-negative number
 */
export function timeoutToMs(timeout: unknown): number | undefined {
  if (timeout === undefined || timeout === Number.POSITIVE_INFINITY) return undefined;
  if (typeof timeout !== "number" || Number.isNaN(timeout) || timeout < 0) {
    throw new InvalidLockOptionError("timeout", timeout, "expected a number of seconds >= 0");
  }
  return timeout * 1000;
}
