import { randomUUID } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import lockfile from "proper-lockfile";
import { LockError } from "./errors.js";
import type { LockGuard } from "./lock-guard.js";

/**
 * Passed to `onCompromised` when a `"mkdir"` lock was lost: its directory was removed or its
 * mtime could not be refreshed (typically because the event loop stalled longer than `staleMs`
 * and another process took the lock over as stale).
 */
export class LockCompromisedError extends LockError {
  /** The lock path. */
  readonly path: string;

  /**
   * @param path - the lock path
   * @param cause - what proper-lockfile reported
   */
  constructor(path: string, cause: unknown) {
    super("LOCK_COMPROMISED", `The lock ${JSON.stringify(path)} was lost to another process`, {
      cause,
    });
    this.path = path;
  }
}

/** Settings of the `"mkdir"` strategy. */
export interface MkdirLockSettings {
  /** Milliseconds after the last refresh at which another process may take the lock over. */
  readonly staleMs: number;
  /** Told when the lock is lost; never allowed to throw into the host. */
  readonly onCompromised: (error: LockCompromisedError) => void;
}

/**
 * The directory proper-lockfile creates for a lock path. It sits beside the lock path so that the
 * two strategies never fight over one name.
 *
 * @param path - the expanded lock path
 * @returns the lock directory's path
 */
export function mkdirLockDirectory(path: string): string {
  return `${path}.dirlock`;
}

/**
 * Tries once, synchronously, to take a `"mkdir"` lock (proper-lockfile 4.1.2): `mkdir` of
 * `<path>.dirlock`, refreshed by a timer, taken over by others once it is `staleMs` old. After
 * taking it, a fresh owner token is written into the lock path itself, so that this guard can
 * later tell whether it is still the owner (see {@link MkdirLockGuard.isHeld}).
 *
 * @param path - the expanded lock path (its directory must exist; checked by the caller)
 * @param settings - stale threshold and compromise handler
 * @returns the guard, or `undefined` when another owner holds a fresh lock
 * @throws the underlying error for anything but "already locked"
 */
export function tryMkdirLock(
  path: string,
  settings: MkdirLockSettings,
): MkdirLockGuard | undefined {
  const state: { guard?: MkdirLockGuard } = {};
  let release: () => void;
  try {
    release = lockfile.lockSync(path, {
      lockfilePath: mkdirLockDirectory(path),
      realpath: false,
      stale: settings.staleMs,
      onCompromised: (cause: Error) => state.guard?.markCompromised(cause),
    });
  } catch (error) {
    if ((error as { code?: unknown }).code === "ELOCKED") return undefined;
    throw error;
  }
  const token = `${hostname()}:${process.pid}:${randomUUID()}`;
  try {
    writeFileSync(path, `${token}\n`);
  } catch (error) {
    release();
    throw error;
  }
  const guard = new MkdirLockGuard(path, token, release, settings.onCompromised);
  state.guard = guard;
  return guard;
}

/**
 * A guard holding a `"mkdir"` lock. Unlike an OS lock it can be lost while this process lives (a
 * stale takeover), so {@link MkdirLockGuard.isHeld} re-reads the owner token, and release removes
 * the lock directory only while the token is still ours.
 */
export class MkdirLockGuard implements LockGuard {
  /** Always true: the guard exists only once the lock was taken. */
  readonly acquired = true;
  /** The lock path (which holds the owner token). */
  readonly path: string;
  readonly #token: string;
  readonly #release: () => void;
  readonly #onCompromised: (error: LockCompromisedError) => void;
  #released = false;
  #compromised = false;

  /**
   * @param path - the lock path
   * @param token - this owner's token, as written into the lock path
   * @param release - proper-lockfile's release function
   * @param onCompromised - the user's handler
   */
  constructor(
    path: string,
    token: string,
    release: () => void,
    onCompromised: (error: LockCompromisedError) => void,
  ) {
    this.path = path;
    this.#token = token;
    this.#release = release;
    this.#onCompromised = onCompromised;
  }

  /**
   * @returns true while not released, not reported compromised, and the owner token on disk is
   *   still this guard's
   */
  isHeld(): boolean {
    return !this.#released && !this.#compromised && this.#ownsToken();
  }

  /**
   * Removes the lock directory if this guard still owns it; a lock that was taken over is left
   * to its new owner. Idempotent; never throws.
   */
  release(): void {
    if (this.#released) return;
    this.#released = true;
    if (this.#compromised || !this.#ownsToken()) return;
    try {
      this.#release();
    } catch {
      // Already released by proper-lockfile (compromise raced with us): nothing is ours to remove.
    }
  }

  /** Same as {@link MkdirLockGuard.release}. */
  [Symbol.dispose](): void {
    this.release();
  }

  /**
   * Called by proper-lockfile's refresh timer. Never throws into the host: a throwing handler is
   * turned into a process warning.
   *
   * @param cause - what proper-lockfile reported
   */
  markCompromised(cause: unknown): void {
    if (this.#released || this.#compromised) return;
    this.#compromised = true;
    try {
      this.#onCompromised(new LockCompromisedError(this.path, cause));
    } catch (error) {
      process.emitWarning(
        `onCompromised for ${JSON.stringify(this.path)} threw: ${String(error)}`,
        "AsynczLockWarning",
      );
    }
  }

  #ownsToken(): boolean {
    try {
      return readFileSync(this.path, "utf8").trim() === this.#token;
    } catch {
      return false;
    }
  }
}
