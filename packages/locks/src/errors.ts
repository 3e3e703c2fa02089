/**
 * Every error thrown by `@asyncz/locks` extends {@link LockError} and carries a stable string
 * `code`. The package does not depend on `@asyncz/core`, so it has its own small base class; codes
 * are public API and never change meaning.
 */

/**
 * Base class of every error thrown by `@asyncz/locks`.
 */
export class LockError extends Error {
  /** Stable, machine-readable identifier of the failure (for example `"LOCK_TIMEOUT"`). */
  readonly code: string;

  /**
   * @param code - stable identifier of the failure
   * @param message - human-readable message naming the field and the value
   * @param options - `cause` for a wrapped lower-level error
   */
  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/**
 * `protected(true, { timeout })` (or a waiting primitive) did not get the lock in time.
 */
export class LockTimeoutError extends LockError {
  /** The lock file that could not be acquired. */
  readonly path: string;
  /** How long the caller waited, in milliseconds. */
  readonly timeoutMs: number;

  /**
   * @param path - the lock file
   * @param timeoutMs - the timeout that expired, in milliseconds
   */
  constructor(path: string, timeoutMs: number) {
    super(
      "LOCK_TIMEOUT",
      `Timed out after ${timeoutMs} ms waiting for the lock ${JSON.stringify(path)}`,
    );
    this.path = path;
    this.timeoutMs = timeoutMs;
  }
}

/**
 * The lock path cannot be used: its parent directory does not exist, is not a directory, or the
 * lock file cannot be opened.
 */
export class LockPathError extends LockError {
  /** The lock file. */
  readonly path: string;
  /** The directory that is missing or unusable. */
  readonly directory: string;

  /**
   * @param path - the lock file
   * @param directory - the parent directory that is missing or unusable
   * @param reason - why, phrased to complete "lock directory ... <reason>"
   * @param options - `cause` for the underlying Node error
   */
  constructor(path: string, directory: string, reason: string, options?: ErrorOptions) {
    super(
      "LOCK_PATH_INVALID",
      `Invalid lock path ${JSON.stringify(path)}: lock directory ${JSON.stringify(directory)} ${reason}`,
      options,
    );
    this.path = path;
    this.directory = directory;
  }
}

/**
 * A lock-path template names a placeholder other than `{pgrp}`, `{ppid}` and `{store}`, or uses
 * `{store}` without a store name.
 */
export class UnknownPlaceholderError extends LockError {
  /** The template as given. */
  readonly template: string;
  /** The placeholder that cannot be expanded, with its braces (for example `"{pid}"`). */
  readonly placeholder: string;

  /**
   * @param template - the lock-path template
   * @param placeholder - the offending placeholder, braces included
   * @param reason - why it cannot be expanded
   */
  constructor(template: string, placeholder: string, reason: string) {
    super(
      "LOCK_UNKNOWN_PLACEHOLDER",
      `Invalid lock path template ${JSON.stringify(template)}: placeholder ${placeholder} ${reason}`,
    );
    this.template = template;
    this.placeholder = placeholder;
  }
}

/**
 * An option given to a lock API is not acceptable (wrong type, out of range, unknown value).
 */
export class InvalidLockOptionError extends LockError {
  /** Name of the rejected option, as the caller spelled it. */
  readonly field: string;
  /** The rejected value. */
  readonly value: unknown;

  /**
   * @param field - the option that was rejected
   * @param value - the value that was given
   * @param reason - why it was rejected, phrased to complete "field = value: <reason>"
   */
  constructor(field: string, value: unknown, reason: string) {
    super("LOCK_INVALID_OPTION", `Invalid ${field} = ${describe(value)}: ${reason}`);
    this.field = field;
    this.value = value;
  }
}

/**
 * OS-level locks are not available here: the native addon has no build for this platform, or the
 * filesystem refuses `fcntl`/`flock` locks. The message names the `strategy: "mkdir"` fallback.
 */
export class LockUnsupportedError extends LockError {
  /** The lock file, or the directory that was probed. */
  readonly path: string;

  /**
   * @param path - the lock file or directory
   * @param reason - what failed
   * @param options - `cause` for the underlying error
   */
  constructor(path: string, reason: string, options?: ErrorOptions) {
    super(
      "LOCK_UNSUPPORTED",
      `OS-level locks do not work for ${JSON.stringify(path)}: ${reason}. ` +
        `Use { strategy: "mkdir" } on filesystems without working fcntl/flock locks.`,
      options,
    );
    this.path = path;
  }
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || value == null)
    return String(value);
  try {
    const text = JSON.stringify(value);
    return text === undefined ? String(value) : text.length > 80 ? `${text.slice(0, 77)}...` : text;
  } catch {
    return String(value);
  }
}
