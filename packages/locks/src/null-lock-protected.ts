import type { LockGuard, LockProtected } from "./lock-guard.js";

/**
 * A lock that always acquires and protects nothing: for a single process, or to switch the
 * election off without changing the code that uses the guard.
 */
export class NullLockProtected implements LockProtected {
  /** Empty: there is no lock file. */
  readonly path = "";

  /**
   * @param blocking - ignored
   * @returns an acquired guard
   */
  protected(blocking?: false): LockGuard;
  /**
   * @param blocking - `true`
   * @returns a promise of an acquired guard
   */
  protected(blocking: true): Promise<LockGuard>;
  /**
   * @param blocking - whether to return a promise
   * @returns an acquired guard, or a promise of one
   */
  protected(blocking: boolean): LockGuard | Promise<LockGuard>;
  protected(blocking = false): LockGuard | Promise<LockGuard> {
    const guard = new NullGuard();
    return blocking ? Promise.resolve(guard) : guard;
  }
}

class NullGuard implements LockGuard {
  readonly acquired = true;
  readonly path = "";
  #released = false;

  isHeld(): boolean {
    return !this.#released;
  }

  release(): void {
    this.#released = true;
  }

  [Symbol.dispose](): void {
    this.release();
  }
}
