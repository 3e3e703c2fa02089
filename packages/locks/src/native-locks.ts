import { createRequire } from "node:module";

/** The part of fs-native-extensions 1.5.1 this package uses. */
interface NativeLocks {
  tryLock(fd: number, options: { shared: boolean }): boolean;
  waitForLock(fd: number, options: { shared: boolean }): Promise<void>;
  unlock(fd: number): void;
}

let loaded: NativeLocks | undefined;
let loadError: unknown;

/**
 * Loads fs-native-extensions once. It is a CommonJS package with prebuilt N-API binaries for
 * linux-x64/arm64, darwin and win32; on other platforms the load fails and the OS strategy
 * reports {@link LockUnsupportedError} instead of crashing at import time.
 *
 * Semantics we rely on, per platform: Linux uses OFD `fcntl` locks (`F_OFD_SETLK`), macOS
 * `flock`, Windows `LockFileEx`. All three belong to the open file description (handle), not to
 * the process, so two descriptors opened on one file in one process exclude each other, and the
 * kernel drops the lock when the last descriptor closes — including when the process is killed.
 *
 * @returns the binding, or the error that prevented loading it
 */
export function nativeLocks(): NativeLocks | { error: unknown } {
  if (loaded !== undefined) return loaded;
  if (loadError !== undefined) return { error: loadError };
  try {
    const require = createRequire(import.meta.url);
    loaded = require("fs-native-extensions") as NativeLocks;
    return loaded;
  } catch (error) {
    loadError = error ?? new Error("fs-native-extensions failed to load");
    return { error: loadError };
  }
}

/**
 * Whether an error from a non-blocking lock attempt means "someone else holds it" (as opposed to
 * "this filesystem cannot lock"). `fcntl` may report a conflict as `EAGAIN` or `EACCES`, `flock`
 * as `EWOULDBLOCK` (= `EAGAIN`), and Windows' `ERROR_LOCK_VIOLATION` arrives as `EBUSY`.
 *
 * @param error - what the binding threw
 * @returns true when the lock is merely held elsewhere
 */
export function isConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === "EAGAIN" || code === "EACCES" || code === "EWOULDBLOCK" || code === "EBUSY";
}
