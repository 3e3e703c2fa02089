/**
 * Errors of `@asyncz/file-store`. Each extends core's `AsynczError` with a stable `code` and a
 * message that names the field and the value.
 */
import { AsynczError, describeValue } from "@asyncz/core";

/**
 * The store directory cannot be used: its parent is missing, it is not a directory, or this
 * process may not read or write it. Nothing was created or changed.
 */
export class StoreDirectoryError extends AsynczError {
  /** The directory given as `directory`. */
  readonly directory: string;

  /**
   * @param directory - the store directory
   * @param reason - completes "directory = ...: <reason>"
   * @param options - `cause`: the underlying Node error
   */
  constructor(directory: string, reason: string, options?: ErrorOptions) {
    super("STORE_DIRECTORY", `Invalid directory = ${describeValue(directory)}: ${reason}`, options);
    this.directory = directory;
  }
}

/**
 * A file in the store directory is not a task file this version can read (corrupt, truncated,
 * foreign, or stored under another task's name). The file was moved to `quarantine/`, not
 * deleted; this error is the `error` of the `store_quarantined` event.
 */
export class CorruptTaskFileError extends AsynczError {
  /** The file as it was found in the store directory. */
  readonly path: string;
  /** Where it was moved to (inside `quarantine/`). */
  readonly quarantinedTo: string | undefined;

  /**
   * @param path - the unreadable file
   * @param reason - why it could not be read
   * @param quarantinedTo - where it was moved, when the move succeeded
   * @param options - `cause`: the parse or validation error
   */
  constructor(
    path: string,
    reason: string,
    quarantinedTo: string | undefined,
    options?: ErrorOptions,
  ) {
    super(
      "CORRUPT_TASK_FILE",
      `Invalid task file = ${describeValue(path)}: ${reason}${
        quarantinedTo === undefined ? "" : `; moved to ${describeValue(quarantinedTo)}`
      }`,
      options,
    );
    this.path = path;
    this.quarantinedTo = quarantinedTo;
  }
}

/**
 * An option given to `new FileStore(...)` is not acceptable.
 */
export class FileStoreOptionError extends AsynczError {
  /** The option's name. */
  readonly field: string;
  /** The rejected value. */
  readonly value: unknown;

  /**
   * @param field - option name
   * @param value - the value given
   * @param reason - completes "field = value: <reason>"
   */
  constructor(field: string, value: unknown, reason: string) {
    super("INVALID_FILE_STORE_OPTION", `Invalid ${field} = ${describeValue(value)}: ${reason}`);
    this.field = field;
    this.value = value;
  }
}

/**
 * @param error - anything caught from a Node `fs` call
 * @returns its `code` (`"ENOENT"`, ...) or `undefined`
 */
export function errnoCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : undefined;
}

/**
 * The store lock cannot be used: its directory is missing, it cannot be created or opened, or the
 * filesystem cannot hold OS locks. Raised by `start()`, before any task is read.
 */
export class StoreLockError extends AsynczError {
  /** The lock file path (after expanding `{pgrp}`, `{ppid}`, `{store}`). */
  readonly path: string;

  /**
   * @param path - the lock file
   * @param reason - what went wrong
   * @param options - `cause`: the lock library's error
   */
  constructor(path: string, reason: string, options?: ErrorOptions) {
    super("STORE_LOCK", `Invalid lockPath = ${describeValue(path)}: ${reason}`, options);
    this.path = path;
  }
}
