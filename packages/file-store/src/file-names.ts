/**
 * How task ids and run claims map to file names inside the store directory.
 *
 * @remarks
 * A task id may be any string, so it is encoded before it becomes a file name:
 *
 * - `a`–`z`, `0`–`9`, `_` and `-` are kept as they are (generated ids, 32 lowercase hex
 *   characters, stay readable);
 * - every other UTF-16 code unit sequence is UTF-8 encoded and written as `%XX` with upper-case hex
 *   digits (so `My.Task/1` becomes `%4Dy%2E%54ask%2F1`). Upper-case letters are escaped too, which
 *   keeps two ids that differ only in case apart on case-insensitive filesystems (macOS, Windows);
 * - an encoding longer than {@link MAX_ENCODED_LENGTH} characters is cut to its first 100
 *   characters followed by `~` and the first 32 hex digits of the SHA-256 of the id.
 *
 * The result never contains `/`, `\`, `.` or NUL, never starts with a dot and is at most 133
 * characters before the suffix, so no id can name a file outside the directory, a hidden file or
 * a temp file. The mapping is injective except for the (2^-128) chance of a hash collision between
 * two ids longer than the cap; the task file still holds the real id, and the store checks it.
 */
import { createHash } from "node:crypto";

/** Suffix of a task file. */
export const TASK_FILE_SUFFIX = ".task.json";
/** Suffix of a claim marker in the `claims/` folder. */
export const CLAIM_FILE_SUFFIX = ".claim";
/** Longest encoded id kept whole; longer ones are cut and hashed. */
export const MAX_ENCODED_LENGTH = 120;
/** Temp files start with this prefix (a dot: hidden, and never a valid encoded id). */
export const TEMP_PREFIX = ".tmp-";

const KEPT = /^[a-z0-9_-]$/;
const PLAIN = /^[a-z0-9_-]+$/;
const HEX = "0123456789ABCDEF";
const utf8 = new TextEncoder();

/**
 * @param id - any task id
 * @returns the encoded id (see the module remarks); never empty for a non-empty id
 */
export function encodeId(id: string): string {
  // The common case (generated ids, simple names) is its own encoding; this runs several times
  // per run of every task, in every process.
  if (id.length <= MAX_ENCODED_LENGTH && PLAIN.test(id)) return id;
  let out = "";
  for (const char of id) {
    if (KEPT.test(char)) {
      out += char;
      continue;
    }
    for (const byte of utf8.encode(char)) out += `%${HEX[byte >> 4]}${HEX[byte & 15]}`;
  }
  if (out.length <= MAX_ENCODED_LENGTH) return out;
  const digest = createHash("sha256").update(id, "utf8").digest("hex").slice(0, 32);
  return `${out.slice(0, 100)}~${digest}`;
}

/**
 * @param encoded - an encoded id (see {@link encodeId})
 * @returns the task id, or `undefined` when the encoding was cut short and hashed (or is not one)
 */
export function decodeId(encoded: string): string | undefined {
  if (encoded.includes("~")) return undefined;
  try {
    return decodeURIComponent(encoded);
  } catch {
    return undefined;
  }
}

/**
 * @param id - any task id
 * @returns the task file's name inside the store directory
 */
export function taskFileName(id: string): string {
  return `${encodeId(id)}${TASK_FILE_SUFFIX}`;
}

/**
 * @param name - a directory entry
 * @returns true for a task file name (not a temp file, not hidden, right suffix)
 */
export function isTaskFileName(name: string): boolean {
  return (
    name.endsWith(TASK_FILE_SUFFIX) &&
    name.length > TASK_FILE_SUFFIX.length &&
    !name.startsWith(".")
  );
}

/**
 * @param id - task id
 * @param runTimeMs - the run time, in epoch milliseconds
 * @returns the claim marker's name inside `claims/`: `<encoded id>@<run time ms>.claim`
 */
export function claimFileName(id: string, runTimeMs: number): string {
  return `${encodeId(id)}@${runTimeMs}${CLAIM_FILE_SUFFIX}`;
}

/** The parts of a claim marker's name. */
export interface ClaimName {
  /** The encoded task id (see {@link encodeId}). */
  readonly encodedId: string;
  /** The claimed run time, in epoch milliseconds. */
  readonly runTimeMs: number;
}

/**
 * @param name - a directory entry of `claims/`
 * @returns its parts, or `undefined` when it is not a claim marker
 */
export function parseClaimFileName(name: string): ClaimName | undefined {
  if (!name.endsWith(CLAIM_FILE_SUFFIX) || name.startsWith(".")) return undefined;
  const stem = name.slice(0, -CLAIM_FILE_SUFFIX.length);
  const at = stem.lastIndexOf("@");
  if (at <= 0) return undefined;
  const runTimeMs = Number(stem.slice(at + 1));
  if (!Number.isSafeInteger(runTimeMs)) return undefined;
  return { encodedId: stem.slice(0, at), runTimeMs };
}

/**
 * @param name - the final file name the temp file will become
 * @returns a unique temp name in the same directory (ignored by readers and the watcher)
 */
export function tempFileName(name: string): string {
  const random = Math.random().toString(36).slice(2, 10);
  return `${TEMP_PREFIX}${process.pid}-${random}-${name}`;
}
