import type { LockGuard } from "./lock-guard.js";
import type { OsLock } from "./os-lock.js";

/**
 * A guard holding an OS-level lock. The kernel keeps the lock for as long as the descriptor is
 * open, so nothing can take it away while this process lives: {@link OsLockGuard.isHeld} needs no
 * I/O.
 */
export class OsLockGuard implements LockGuard {
  /** Always true: an OS guard exists only once the lock was taken. */
  readonly acquired = true;
  readonly #lock: OsLock;

  /** @param lock - the held OS lock; the guard owns it */
  constructor(lock: OsLock) {
    this.#lock = lock;
  }

  /** The lock file. */
  get path(): string {
    return this.#lock.path;
  }

  /** @returns true until released */
  isHeld(): boolean {
    return this.#lock.held;
  }

  /** Unlocks and closes the descriptor; the lock file stays. Idempotent. */
  release(): void {
    this.#lock.release();
  }

  /** Same as {@link OsLockGuard.release}. */
  [Symbol.dispose](): void {
    this.release();
  }
}
