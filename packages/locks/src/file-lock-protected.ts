import { closeSync, statSync } from "node:fs";
import { dirname } from "node:path";
import {
  InvalidLockOptionError,
  LockPathError,
  LockTimeoutError,
  LockUnsupportedError,
} from "./errors.js";
import { type LockGuard, type LockProtected, UnacquiredGuard } from "./lock-guard.js";
import { expandLockPath } from "./lock-path-template.js";
import { type LockCompromisedError, tryMkdirLock } from "./mkdir-lock-guard.js";
import { nativeLocks } from "./native-locks.js";
import { type LockFileDescriptor, lockExclusive, lockPath, OsLock } from "./os-lock.js";
import { OsLockGuard } from "./os-lock-guard.js";
import { pollUntil } from "./poll-until.js";
import { type LockWaitOptions, timeoutToMs } from "./wait-options.js";

/**
 * How a {@link FileLockProtected} locks.
 * - `"os"`: an OS-level lock (OFD `fcntl` / `flock` / `LockFileEx`) on the lock file. Released by
 *   the kernel the moment the holder dies; never lost while the holder lives.
 * - `"mkdir"`: proper-lockfile's `mkdir` lock with an mtime lease, for filesystems where OS locks
 *   do not work. A dead holder's lock is taken over only after `staleMs`, and a holder stalled
 *   longer than `staleMs` loses it (two holders can overlap; see the README).
 */
export type LockStrategy = "os" | "mkdir";

/** Options of {@link FileLockProtected}. */
export interface FileLockProtectedOptions {
  /** Value of the template's `{store}` placeholder. */
  readonly store?: string;
  /** How to lock. @defaultValue "os" */
  readonly strategy?: LockStrategy;
  /**
   * `"mkdir"` only: milliseconds without a refresh after which another process takes the lock
   * over. Make it much longer than the longest event-loop stall you expect. At least 2000
   * (proper-lockfile's floor). @defaultValue 10000
   */
  readonly staleMs?: number;
  /**
   * `"mkdir"` only: told when a held lock is lost. It must not throw; if it does, the error
   * becomes a process warning instead of crashing the host. @defaultValue emits a process warning
   */
  readonly onCompromised?: (error: LockCompromisedError) => void;
  /** Permission bits of the lock file when it is created. @defaultValue 0o600 */
  readonly fileMode?: number;
}

// Closes the descriptor an instance kept for re-locking once the instance is garbage-collected.
const idleDescriptors = new FinalizationRegistry<{ file: LockFileDescriptor | undefined }>(
  (cell) => {
    if (cell.file !== undefined) closeSync(cell.file.fd);
  },
);

const KNOWN_OPTIONS = new Set(["store", "strategy", "staleMs", "onCompromised", "fileMode"]);

/**
 * An inter-process lock on a file, used to elect a single active holder among processes (the
 * seed's "Option 2" lifecycle pattern) or to serialise work on a shared resource.
 *
 * ```ts
 * const lock = new FileLockProtected("/tmp/asyncz_bg_{pgrp}.lock");
 * using guard = lock.protected(false);
 * if (guard.acquired) { ... }
 * ```
 *
 * Two guards in one process exclude each other just as guards in two processes do. The lock file
 * is created when missing and never deleted.
 */
export class FileLockProtected implements LockProtected {
  /** The expanded lock path. */
  readonly path: string;
  /** The template as given. */
  readonly template: string;
  /** The locking strategy. */
  readonly strategy: LockStrategy;
  readonly #staleMs: number;
  readonly #onCompromised: (error: LockCompromisedError) => void;
  readonly #fileMode: number;
  // One unlocked descriptor of the lock file, kept between guards: re-locking then costs one
  // fcntl (plus a stat that checks the file was not replaced) instead of open + fcntl + close.
  readonly #idle: { file: LockFileDescriptor | undefined } = { file: undefined };

  /**
   * @param pathTemplate - lock file path; may use `{pgrp}`, `{ppid}` and `{store}`
   * @param options - strategy and its settings, `{store}` value, file mode
   * @throws {@link UnknownPlaceholderError} when the template uses another placeholder
   * @throws {@link LockPathError} when the lock file's directory does not exist
   * @throws {@link InvalidLockOptionError} for a bad or unknown option
   * @throws {@link LockUnsupportedError} for `"os"` when the native addon cannot load here
   */
  constructor(pathTemplate: string, options: FileLockProtectedOptions = {}) {
    if (typeof pathTemplate !== "string" || pathTemplate === "") {
      throw new InvalidLockOptionError("pathTemplate", pathTemplate, "expected a non-empty path");
    }
    validateOptions(options);
    this.template = pathTemplate;
    this.strategy = options.strategy ?? "os";
    this.#staleMs = options.staleMs ?? 10_000;
    this.#onCompromised = options.onCompromised ?? warnCompromised;
    this.#fileMode = options.fileMode ?? 0o600;
    this.path = expandLockPath(
      pathTemplate,
      options.store === undefined ? {} : { store: options.store },
    );
    assertDirectory(this.path);
    idleDescriptors.register(this, this.#idle);
    if (this.strategy === "os") {
      const native = nativeLocks();
      if ("error" in native) {
        throw new LockUnsupportedError(this.path, "the fs-native-extensions addon did not load", {
          cause: native.error,
        });
      }
    }
  }

  /**
   * Tries once, synchronously, without blocking; usable inside a sync generator.
   *
   * @param blocking - `false` (the default)
   * @returns a guard whose `acquired` tells whether the lock was taken
   * @throws {@link LockPathError} when the directory disappeared or the file cannot be opened
   */
  protected(blocking?: false): LockGuard;
  /**
   * Waits without blocking the event loop (polling with a back-off capped at 10 ms).
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
   * @param options - `timeout` in seconds, abort `signal` (used only when waiting)
   * @returns a guard, or a promise of one when `blocking` is true
   */
  protected(blocking: boolean, options?: LockWaitOptions): LockGuard | Promise<LockGuard>;
  protected(blocking = false, options: LockWaitOptions = {}): LockGuard | Promise<LockGuard> {
    if (!blocking) return this.#tryOnce() ?? new UnacquiredGuard(this.path);
    return this.#wait(options);
  }

  #tryOnce(): LockGuard | undefined {
    if (this.strategy === "mkdir") {
      try {
        return tryMkdirLock(this.path, {
          staleMs: this.#staleMs,
          onCompromised: this.#onCompromised,
        });
      } catch (error) {
        throw this.#asPathError(error);
      }
    }
    const reuse = this.#idle.file;
    this.#idle.file = undefined;
    const { file, locked } = lockPath(this.path, "exclusive", this.#fileMode, reuse);
    if (!locked) {
      this.#park(file);
      return undefined;
    }
    return new OsLockGuard(new OsLock(this.path, "exclusive", file.fd, () => this.#park(file)));
  }

  /**
   * Closes the descriptor this instance keeps open between guards for fast re-locking. Guards
   * still out are not affected, and the instance stays usable (it opens a new descriptor when
   * needed). Unreferenced instances are cleaned up by the garbage collector anyway; call this when
   * you drop an instance and need the descriptor back at once.
   */
  close(): void {
    const file = this.#idle.file;
    this.#idle.file = undefined;
    if (file !== undefined) closeSync(file.fd);
  }

  #park(file: LockFileDescriptor): void {
    if (this.#idle.file === undefined) this.#idle.file = file;
    else closeSync(file.fd);
  }

  async #wait(options: LockWaitOptions): Promise<LockGuard> {
    if (this.strategy === "os") {
      timeoutToMs(options.timeout);
      options.signal?.throwIfAborted();
      // A free lock is taken at once, on the kept descriptor; only a busy one starts the poll.
      const quick = this.#tryOnce();
      if (quick !== undefined) return quick;
      return new OsLockGuard(
        await lockExclusive(this.path, { ...options, fileMode: this.#fileMode }),
      );
    }
    const timeoutMs = timeoutToMs(options.timeout);
    const guard = await pollUntil(() => this.#tryOnce(), { timeoutMs, signal: options.signal });
    if (guard === undefined) throw new LockTimeoutError(this.path, timeoutMs ?? 0);
    return guard;
  }

  #asPathError(error: unknown): unknown {
    const code = (error as { code?: unknown } | null)?.code;
    if (code === "ENOENT" || code === "ENOTDIR" || code === "EACCES" || code === "EPERM") {
      const reason = code === "ENOENT" ? "does not exist" : `cannot hold the lock (${code})`;
      return new LockPathError(this.path, dirname(this.path), reason, { cause: error });
    }
    return error;
  }
}

/**
 * Alias of {@link FileLockProtected}, under the name asyncz also exports.
 */
export const FileProtectedLock = FileLockProtected;
/** Alias of {@link FileLockProtected}, under the name asyncz also exports. */
export type FileProtectedLock = FileLockProtected;

function validateOptions(options: FileLockProtectedOptions): void {
  if (typeof options !== "object" || options === null) {
    throw new InvalidLockOptionError("options", options, "expected an object");
  }
  for (const key of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(key)) {
      throw new InvalidLockOptionError(
        key,
        (options as Record<string, unknown>)[key],
        `unknown option (known: ${[...KNOWN_OPTIONS].join(", ")})`,
      );
    }
  }
  const { strategy, staleMs, onCompromised, fileMode, store } = options;
  if (strategy !== undefined && strategy !== "os" && strategy !== "mkdir") {
    throw new InvalidLockOptionError("strategy", strategy, 'expected "os" or "mkdir"');
  }
  if (staleMs !== undefined && (typeof staleMs !== "number" || !(staleMs >= 2000))) {
    throw new InvalidLockOptionError("staleMs", staleMs, "expected milliseconds >= 2000");
  }
  if (onCompromised !== undefined && typeof onCompromised !== "function") {
    throw new InvalidLockOptionError("onCompromised", onCompromised, "expected a function");
  }
  if (
    fileMode !== undefined &&
    !(Number.isInteger(fileMode) && fileMode >= 0 && fileMode <= 0o777)
  ) {
    throw new InvalidLockOptionError("fileMode", fileMode, "expected permission bits 0..0o777");
  }
  if (store !== undefined && typeof store !== "string") {
    throw new InvalidLockOptionError("store", store, "expected a string");
  }
}

function assertDirectory(path: string): void {
  const directory = dirname(path);
  let isDirectory: boolean;
  try {
    isDirectory = statSync(directory).isDirectory();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const reason = code === "ENOENT" ? "does not exist" : `cannot be read (${String(code)})`;
    throw new LockPathError(path, directory, reason, { cause: error });
  }
  if (!isDirectory) throw new LockPathError(path, directory, "is not a directory");
}

function warnCompromised(error: LockCompromisedError): void {
  process.emitWarning(error.message, "AsynczLockWarning");
}
