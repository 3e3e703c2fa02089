/**
 * Options of {@link FileStore}, with their defaults and validation.
 */
import { FileStoreOptionError } from "./errors.js";

/** Options of `new FileStore(...)` (and of `{ type: "file", ... }`). */
export interface FileStoreOptions {
  /** The shared store directory. Its parent must exist; the directory is created if missing. */
  readonly directory: string;
  /**
   * Remove the directory when the last process using it shuts down (never while another live
   * process still uses it). @defaultValue false
   */
  readonly cleanupDirectory?: boolean;
  /** Permission bits of the directory when this store creates it. @defaultValue 0o700 */
  readonly directoryMode?: number;
  /** Permission bits of the files this store creates. @defaultValue 0o600 */
  readonly fileMode?: number;
  /**
   * How often the authoritative check runs (other members' journals, the directory's mtime, dead
   * members), in milliseconds. Changes made by other processes are seen within about this long
   * even where `fs.watch` delivers nothing (network filesystems). @defaultValue 250
   */
  readonly pollIntervalMs?: number;
  /** Use `fs.watch` on the directory as a fast hint. @defaultValue true */
  readonly watch?: boolean;
  /**
   * How long a run claim marker is kept after its run time, in milliseconds (it is collected only
   * once the task's stored next run time has also moved past it). A process whose view of a task
   * is older than half of this re-reads the task file before claiming. @defaultValue 120000
   */
  readonly claimRetentionMs?: number;
  /** `fsync` every task file before renaming it into place (slower; survives power loss). @defaultValue false */
  readonly durable?: boolean;
  /** Longest wait for the store lock before an operation fails, in milliseconds. @defaultValue 30000 */
  readonly lockTimeoutMs?: number;
  /**
   * With several live processes on the directory, each task has an owner among them (a hash of
   * its id over the sorted member list); the others leave its due runs to the owner for this many
   * milliseconds before they claim them too. So one process, not all of them, wakes, claims and
   * advances each run, and a busy, blocked or dead owner costs its tasks at most this much extra
   * lateness (a dead member is dropped from the list within about 4 × `pollIntervalMs`). 0: every
   * process looks at every due task at once. @defaultValue 50
   */
  readonly ownerGraceMs?: number;
}

/** {@link FileStoreOptions} with every default applied. */
export type ResolvedFileStoreOptions = Required<FileStoreOptions>;

function positive(field: string, value: unknown, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value < min)
    throw new FileStoreOptionError(field, value, `must be a number >= ${min}`);
  return value;
}

function mode(field: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0 || value > 0o7777)
    throw new FileStoreOptionError(field, value, "must be permission bits such as 0o700");
  return value;
}

function flag(field: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== "boolean") throw new FileStoreOptionError(field, value, "must be a boolean");
  return value;
}

/**
 * @param options - what the caller gave
 * @returns the options with defaults
 * @throws {@link FileStoreOptionError} naming the first bad option
 */
export function resolveFileStoreOptions(options: FileStoreOptions): ResolvedFileStoreOptions {
  if (typeof options !== "object" || options === null)
    throw new FileStoreOptionError("options", options, "must be an object with a directory");
  const known = new Set([
    "type",
    "directory",
    "cleanupDirectory",
    "directoryMode",
    "fileMode",
    "pollIntervalMs",
    "watch",
    "claimRetentionMs",
    "durable",
    "lockTimeoutMs",
    "ownerGraceMs",
  ]);
  for (const key of Object.keys(options))
    if (!known.has(key))
      throw new FileStoreOptionError(
        key,
        (options as unknown as Record<string, unknown>)[key],
        "is not a file store option",
      );
  const directory = options.directory;
  if (typeof directory !== "string" || directory.length === 0)
    throw new FileStoreOptionError("directory", directory, "must be a non-empty path");
  return {
    directory,
    cleanupDirectory: flag("cleanupDirectory", options.cleanupDirectory, false),
    directoryMode: mode("directoryMode", options.directoryMode, 0o700),
    fileMode: mode("fileMode", options.fileMode, 0o600),
    pollIntervalMs: positive("pollIntervalMs", options.pollIntervalMs, 250, 10),
    watch: flag("watch", options.watch, true),
    claimRetentionMs: positive("claimRetentionMs", options.claimRetentionMs, 120_000, 1000),
    durable: flag("durable", options.durable, false),
    lockTimeoutMs: positive("lockTimeoutMs", options.lockTimeoutMs, 30_000),
    ownerGraceMs: positive("ownerGraceMs", options.ownerGraceMs, 50, 0),
  };
}
