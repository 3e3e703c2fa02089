import { closeSync, constants, fstatSync, openSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { LockPathError, LockTimeoutError, LockUnsupportedError } from "./errors.js";
import { isConflict, nativeLocks } from "./native-locks.js";
import { pollUntil } from "./poll-until.js";
import { type LockWaitOptions, timeoutToMs } from "./wait-options.js";

/** `"exclusive"`: one holder; `"shared"`: any number of shared holders, no exclusive one. */
export type LockMode = "exclusive" | "shared";

/** Options of the OS-lock primitives. */
export interface OsLockOptions {
  /** Permission bits of the lock file when it is created. @defaultValue 0o600 */
  readonly fileMode?: number;
}

/**
 * An OS-level lock (OFD `fcntl` on Linux, `flock` on macOS, `LockFileEx` on Windows) held on an
 * open descriptor of a lock file. The kernel releases it when the descriptor closes, so a process
 * that dies — even by SIGKILL — releases at once, and a process whose event loop stalls keeps it.
 * The lock file itself is never deleted: unlinking a lock file lets a second holder lock a new
 * inode while the first still holds the old one.
 */
export class OsLock implements Disposable {
  /** The lock file. */
  readonly path: string;
  /** Whether this is an exclusive or a shared lock. */
  readonly mode: LockMode;
  #fd: number | undefined;
  readonly #done: (fd: number) => void;

  /**
   * @param path - the lock file
   * @param mode - exclusive or shared
   * @param fd - the open descriptor that holds the lock; the lock takes ownership of it
   * @param done - internal: what to do with the unlocked descriptor (default: close it)
   */
  constructor(path: string, mode: LockMode, fd: number, done: (fd: number) => void = closeSync) {
    this.path = path;
    this.mode = mode;
    this.#fd = fd;
    this.#done = done;
  }

  /** True until {@link OsLock.release} is called. */
  get held(): boolean {
    return this.#fd !== undefined;
  }

  /**
   * Releases the lock (unlock, then close the descriptor). Calling it again does nothing.
   */
  release(): void {
    const fd = this.#fd;
    if (fd === undefined) return;
    this.#fd = undefined;
    const native = nativeLocks();
    try {
      if (!("error" in native)) native.unlock(fd);
    } catch {
      // Closing drops the lock even if unlock failed: the lock belongs to this descriptor.
      closeSync(fd);
      return;
    }
    this.#done(fd);
  }

  /** Same as {@link OsLock.release}, for `using`. */
  [Symbol.dispose](): void {
    this.release();
  }
}

/**
 * Tries once, without blocking, to take an exclusive OS lock on `path` (created if missing).
 *
 * @param path - the lock file; its directory must exist
 * @param options - file mode of a newly created lock file
 * @returns the lock, or `undefined` when another descriptor (in any process) holds a lock on it
 * @throws {@link LockPathError} when the directory is missing or the file cannot be opened
 * @throws {@link LockUnsupportedError} when OS locks are not available for this file
 */
export function tryLockExclusive(path: string, options: OsLockOptions = {}): OsLock | undefined {
  return tryLockOnce(path, "exclusive", options);
}

/**
 * Tries once, without blocking, to take a shared OS lock on `path` (created if missing). Any
 * number of shared locks coexist; none coexists with an exclusive lock. "Every live member holds a
 * shared lock; the last one out gets the exclusive lock": to leave, release the shared lock and
 * then {@link tryLockExclusive} — whoever gets it knows no member is left (and keeps it while it
 * cleans up, so a newcomer's {@link lockShared} waits until the cleanup is done).
 *
 * @param path - the lock file; its directory must exist
 * @param options - file mode of a newly created lock file
 * @returns the lock, or `undefined` when an exclusive lock is held on it
 * @throws {@link LockPathError} when the directory is missing or the file cannot be opened
 * @throws {@link LockUnsupportedError} when OS locks are not available for this file
 */
export function tryLockShared(path: string, options: OsLockOptions = {}): OsLock | undefined {
  return tryLockOnce(path, "shared", options);
}

/**
 * Waits, without blocking the event loop, for an exclusive OS lock on `path`.
 *
 * @param path - the lock file; its directory must exist
 * @param options - `timeout` in seconds, abort `signal`, file mode
 * @returns the lock
 * @throws {@link LockTimeoutError} when the timeout expires
 * @throws {@link LockPathError} / {@link LockUnsupportedError} as {@link tryLockExclusive}
 */
export function lockExclusive(
  path: string,
  options: LockWaitOptions & OsLockOptions = {},
): Promise<OsLock> {
  return waitForOsLock(path, "exclusive", options);
}

/**
 * Waits, without blocking the event loop, for a shared OS lock on `path`.
 *
 * @param path - the lock file; its directory must exist
 * @param options - `timeout` in seconds, abort `signal`, file mode
 * @returns the lock
 * @throws {@link LockTimeoutError} when the timeout expires
 * @throws {@link LockPathError} / {@link LockUnsupportedError} as {@link tryLockShared}
 */
export function lockShared(
  path: string,
  options: LockWaitOptions & OsLockOptions = {},
): Promise<OsLock> {
  return waitForOsLock(path, "shared", options);
}

/**
 * Tells whether any descriptor (in this or another process) holds a lock on `path`, by trying an
 * exclusive lock and releasing it at once. A missing file is not locked. Use it to check that the
 * owner of a resource is alive: the owner holds a lock on its own file for as long as it lives.
 *
 * @param path - the lock file
 * @returns true when the file exists and some descriptor holds a shared or exclusive lock on it
 * @throws {@link LockPathError} when the file exists but cannot be opened
 * @throws {@link LockUnsupportedError} when OS locks are not available for this file
 */
export function isLocked(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDWR);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw pathError(path, error);
  }
  try {
    return !lockFd(path, fd, "exclusive");
  } finally {
    // Closing releases the probe's lock if it got one.
    closeSync(fd);
  }
}

/** An open descriptor of a lock file, with the identity of the file it refers to. */
export interface LockFileDescriptor {
  /** The descriptor. */
  readonly fd: number;
  /** Device of the file (from `fstat` at open). */
  readonly dev: number;
  /** Inode of the file (from `fstat` at open). */
  readonly ino: number;
}

/**
 * Opens (creating if needed) a lock file for reading and writing, as both lock modes need, and
 * records which file it is, so later attempts can tell whether the path still names it.
 *
 * @param path - the lock file
 * @param fileMode - permission bits when created
 * @returns the descriptor and the file's identity
 * @throws {@link LockPathError} naming the missing or unusable directory
 */
export function openLockFile(path: string, fileMode = 0o600): LockFileDescriptor {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDWR | constants.O_CREAT, fileMode);
  } catch (error) {
    throw pathError(path, error);
  }
  try {
    const { dev, ino } = fstatSync(fd);
    return { fd, dev, ino };
  } catch (error) {
    closeSync(fd);
    throw pathError(path, error);
  }
}

/**
 * One non-blocking lock attempt on an open descriptor.
 *
 * @param path - the lock file (for error messages)
 * @param fd - an open descriptor of it
 * @param mode - exclusive or shared
 * @returns true when the lock was taken, false when it is held elsewhere
 * @throws {@link LockUnsupportedError} when the platform or filesystem cannot lock
 */
export function lockFd(path: string, fd: number, mode: LockMode): boolean {
  const native = nativeLocks();
  if ("error" in native) {
    throw new LockUnsupportedError(path, "the fs-native-extensions addon did not load", {
      cause: native.error,
    });
  }
  try {
    return native.tryLock(fd, { shared: mode === "shared" });
  } catch (error) {
    if (isConflict(error)) return false;
    throw new LockUnsupportedError(path, `the lock call failed (${errorCode(error)})`, {
      cause: error,
    });
  }
}

function tryLockOnce(path: string, mode: LockMode, options: OsLockOptions): OsLock | undefined {
  const { file, locked } = lockPath(path, mode, options.fileMode, undefined);
  if (!locked) {
    closeSync(file.fd);
    return undefined;
  }
  return new OsLock(path, mode, file.fd);
}

/**
 * One non-blocking attempt to lock the file at `path`, through `reuse` when given (an open,
 * unlocked descriptor of it) or a fresh descriptor. After locking, it checks that the descriptor
 * still refers to the file now at `path`: if someone deleted or replaced the lock file (a /tmp
 * cleaner, an operator), a lock on the old inode would exclude nobody, so it reopens and retries.
 *
 * @param path - the lock file
 * @param mode - exclusive or shared
 * @param fileMode - permission bits when created
 * @param reuse - an open, unlocked descriptor of `path` to try first; ownership passes to the call
 * @returns the descriptor (locked or not; the caller owns it either way) and whether it is locked
 * @throws {@link LockPathError} / {@link LockUnsupportedError} as {@link tryLockExclusive}
 */
export function lockPath(
  path: string,
  mode: LockMode,
  fileMode: number | undefined,
  reuse: LockFileDescriptor | undefined,
): { file: LockFileDescriptor; locked: boolean } {
  let file = reuse ?? openLockFile(path, fileMode);
  for (let attempt = 1; ; attempt += 1) {
    let result: "locked" | "busy" | "replaced";
    try {
      result = attemptLock(path, file, mode);
    } catch (error) {
      closeSync(file.fd);
      throw error;
    }
    if (result !== "replaced") return { file, locked: result === "locked" };
    closeSync(file.fd);
    if (attempt === 3) {
      throw new LockPathError(path, dirname(path), "keeps losing the lock file while it is locked");
    }
    file = openLockFile(path, fileMode);
  }
}

function attemptLock(
  path: string,
  file: LockFileDescriptor,
  mode: LockMode,
): "locked" | "busy" | "replaced" {
  if (!lockFd(path, file.fd, mode)) return "busy";
  if (isFileAt(path, file)) return "locked";
  const native = nativeLocks();
  if (!("error" in native)) native.unlock(file.fd);
  return "replaced";
}

function isFileAt(path: string, file: LockFileDescriptor): boolean {
  // Number inodes: above 2^53 two inodes could compare equal, which errs only towards "locked"
  // in the already unlikely case of a replaced lock file; bigint stats cost twice as much.
  const current = statSync(path, { throwIfNoEntry: false });
  return current !== undefined && current.ino === file.ino && current.dev === file.dev;
}

async function waitForOsLock(
  path: string,
  mode: LockMode,
  options: LockWaitOptions & OsLockOptions,
): Promise<OsLock> {
  const timeoutMs = timeoutToMs(options.timeout);
  // One descriptor for the whole wait (each attempt is then a single fcntl call), replaced only if
  // the lock file itself is.
  let file: LockFileDescriptor | undefined = openLockFile(path, options.fileMode);
  let locked = false;
  try {
    locked =
      (await pollUntil(
        () => {
          const reuse = file;
          // Ownership passes to lockPath, which closes the descriptor itself if it throws.
          file = undefined;
          const attempt = lockPath(path, mode, options.fileMode, reuse);
          file = attempt.file;
          return attempt.locked ? true : undefined;
        },
        { timeoutMs, signal: options.signal },
      )) === true;
  } finally {
    if (!locked && file !== undefined) closeSync(file.fd);
  }
  if (!locked || file === undefined) throw new LockTimeoutError(path, timeoutMs ?? 0);
  return new OsLock(path, mode, file.fd);
}

function pathError(path: string, error: unknown): LockPathError {
  const directory = dirname(path);
  const code = errorCode(error);
  const reason =
    code === "ENOENT"
      ? "does not exist"
      : code === "ENOTDIR"
        ? "is not a directory"
        : code === "EISDIR"
          ? "holds a directory at the lock file's name"
          : code === "EACCES" || code === "EPERM"
            ? "does not allow this process to open the lock file for writing"
            : `cannot hold the lock file (${code})`;
  return new LockPathError(path, directory, reason, { cause: error });
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : String(error);
}
