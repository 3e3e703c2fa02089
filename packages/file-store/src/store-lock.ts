/**
 * The store lock: an OS lock (OFD `fcntl` on Linux) on one file, held only for the few
 * microseconds of a mutation. The kernel drops it when its holder dies, so a SIGKILLed process
 * never leaves the store locked, and a waiter polls with a 1–10 ms back-off instead of asyncz's
 * fixed 10 s.
 */
import { expandLockPath, LockError, lockExclusive, tryLockExclusive } from "@asyncz/locks";
import { StoreLockError } from "./errors.js";

/** Retries at the next event-loop turn before sleeping between attempts. */
const SPIN_TURNS = 64;

/** The lock of one store. */
export class StoreLock {
  /** The lock file. */
  readonly path: string;
  readonly #fileMode: number;
  readonly #timeoutMs: number;

  /**
   * @param template - the lock path, possibly with `{pgrp}` / `{ppid}` placeholders
   * @param fileMode - permission bits of a new lock file
   * @param timeoutMs - longest wait in {@link StoreLock.run}
   * @throws {@link StoreLockError} for an unknown placeholder
   */
  constructor(template: string, fileMode: number, timeoutMs: number) {
    try {
      this.path = template.includes("{") ? expandLockPath(template) : template;
    } catch (error) {
      throw new StoreLockError(template, errorMessage(error), { cause: error });
    }
    this.#fileMode = fileMode;
    this.#timeoutMs = timeoutMs;
  }

  /**
   * Takes and releases the lock once, so a bad path fails at start rather than at the first write.
   *
   * @throws {@link StoreLockError} when the lock file cannot be opened or locked
   */
  probe(): void {
    try {
      tryLockExclusive(this.path, { fileMode: this.#fileMode })?.release();
    } catch (error) {
      throw new StoreLockError(this.path, errorMessage(error), { cause: error });
    }
  }

  /**
   * Runs `fn` while holding the lock. `fn` is synchronous, so nothing else of this process runs
   * inside the critical section either.
   *
   * @param fn - the critical section
   * @returns what `fn` returned
   * @throws what `fn` threw, or {@link StoreLockError} when the lock cannot be had in time
   */
  async run<T>(fn: () => T): Promise<T> {
    let lock: ReturnType<typeof tryLockExclusive>;
    try {
      lock = tryLockExclusive(this.path, { fileMode: this.#fileMode });
      // The lock is held for tens of microseconds: retry at the next turn of the event loop a few
      // times before falling back to the library's 1–10 ms back-off, which would add whole
      // milliseconds to every contended mutation (measured: 1 ms per task with 2 workers).
      for (let spin = 0; lock === undefined && spin < SPIN_TURNS; spin++) {
        await new Promise((resolve) => setImmediate(resolve));
        lock = tryLockExclusive(this.path, { fileMode: this.#fileMode });
      }
      lock ??= await lockExclusive(this.path, {
        fileMode: this.#fileMode,
        timeout: this.#timeoutMs / 1000,
      });
    } catch (error) {
      if (error instanceof LockError)
        throw new StoreLockError(this.path, errorMessage(error), { cause: error });
      throw error;
    }
    try {
      return fn();
    } finally {
      lock.release();
    }
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
