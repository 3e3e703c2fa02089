import type { LockWaitOptions } from "./wait-options.js";

/**
 * The result of one `protected()` call. Hold it for as long as the protected work runs and
 * release it when done — with `using guard = lock.protected(false)` (TypeScript >= 5.2), or
 * `try { ... } finally { guard.release(); }` in plain JavaScript.
 */
export interface LockGuard extends Disposable {
  /** Whether this call got the lock. A guard that did not acquire holds nothing. */
  readonly acquired: boolean;
  /** The expanded lock path. */
  readonly path: string;
  /**
   * Whether the lock is still held right now: acquired and not released, and, for the `"mkdir"`
   * strategy, still owned by this guard (its owner token is re-read; a stale takeover by another
   * process makes this false). Check it before each use of the protected resource.
   *
   * @returns true while this guard holds the lock
   */
  isHeld(): boolean;
  /** Releases the lock. Releasing twice, or releasing a guard that did not acquire, does nothing. */
  release(): void;
}

/**
 * What `FileLockProtected` and `NullLockProtected` have in common: a lock that hands out guards.
 */
export interface LockProtected {
  /** The expanded lock path (empty for {@link NullLockProtected}). */
  readonly path: string;
  /**
   * Tries once, synchronously, without blocking. Works inside a sync generator.
   *
   * @param blocking - `false`
   * @returns a guard; `guard.acquired` tells whether the lock was taken
   */
  protected(blocking?: false): LockGuard;
  /**
   * Waits without blocking the event loop until the lock is free.
   *
   * @param blocking - `true`
   * @param options - `timeout` in seconds (default: wait forever), abort `signal`
   * @returns a promise of an acquired guard
   * @throws {@link LockTimeoutError} (rejection) when the timeout expires
   */
  protected(blocking: true, options?: LockWaitOptions): Promise<LockGuard>;
  /**
   * Either form, chosen at run time.
   *
   * @param blocking - whether to wait
   * @param options - used only when waiting
   * @returns a guard, or a promise of one when `blocking` is true
   */
  protected(blocking: boolean, options?: LockWaitOptions): LockGuard | Promise<LockGuard>;
}

/**
 * A guard that did not acquire: `acquired` is false and release does nothing.
 */
export class UnacquiredGuard implements LockGuard {
  /** Always false. */
  readonly acquired = false;
  /** The lock path that was tried. */
  readonly path: string;

  /** @param path - the lock path that was tried */
  constructor(path: string) {
    this.path = path;
  }

  /** @returns false */
  isHeld(): boolean {
    return false;
  }

  /** Does nothing. */
  release(): void {}

  /** Does nothing. */
  [Symbol.dispose](): void {}
}
