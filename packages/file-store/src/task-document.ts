/**
 * The task file format: core's versioned task record JSON (`version: 1`), pretty-printed so a
 * person can read and edit it, and checked against the file's name on the way back.
 *
 * @remarks
 * The file always ends with a fixed-width tail holding the next run time:
 *
 * ```
 *   "nextRunTime": "2030-01-01T08:00:00.000Z",
 *   "nextRunCheck": "9c1f04d2"
 * }
 * ```
 *
 * The value is padded with JSON whitespace to 26 characters (`null` too), so advancing a task — the
 * hot path, once per run — overwrites those bytes in place with one `pwrite` instead of rewriting
 * the file. (On ext4 a rename over a file written a moment ago waits for the old file's writeback:
 * ~1–2 ms per run measured here, against ~10 µs in place.) `nextRunCheck` is a hash of the value:
 * a reader whose read raced with the `pwrite` sees a mismatch and reads again. A person editing
 * the file may change `nextRunTime` and ignore the check; a mismatch that persists across two
 * reads is taken as such an edit.
 */
import {
  type TaskRecord,
  type TaskRecordJSON,
  taskRecordFromJSON,
  taskRecordToJSON,
} from "@asyncz/core";
import { taskFileName } from "./file-names.js";

const VALUE_WIDTH = 26;

/**
 * @param value - a JSON value text
 * @returns its 8-hex-digit FNV-1a hash
 */
function check(value: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    hash ^= value.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(16).padStart(8, "0");
}

/**
 * @param nextRunTime - the ISO string or `null`
 * @returns the fixed tail of a task file for this value
 */
export function taskTail(nextRunTime: string | null): string {
  const value = JSON.stringify(nextRunTime);
  return `  "nextRunTime": ${value.padEnd(VALUE_WIDTH)},\n  "nextRunCheck": "${check(value)}"\n}\n`;
}

/**
 * @param time - a next run time, or `null`
 * @returns the tail for it
 */
export function tailFor(time: Date | null): string {
  return taskTail(time === null ? null : time.toISOString());
}

/**
 * @param record - a task record
 * @returns the file content
 */
export function serializeTask(record: TaskRecord): string {
  const { nextRunTime, ...rest } = taskRecordToJSON(record);
  const head = JSON.stringify(rest, null, 2);
  return `${head.slice(0, -2)},\n${taskTail(nextRunTime)}`;
}

/** Why a file could not be read as a task. */
export interface UnreadableTask {
  readonly reason: string;
  readonly cause: unknown;
  /** A newer format: leave the file for the process that wrote it (it is not quarantined). */
  readonly newerVersion: boolean;
  /** The check of the next run time did not match: possibly a read that raced a write. */
  readonly torn?: boolean;
}

/**
 * @param text - the file content
 * @param name - the file's name (the record's id must map to it)
 * @param acceptMismatch - accept a `nextRunCheck` that does not match (a hand edit)
 * @returns the record, or why it is unreadable
 */
export function parseTask(
  text: string,
  name: string,
  acceptMismatch = false,
): TaskRecord | UnreadableTask {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    const reason =
      text.trim().length === 0
        ? "the file is empty"
        : "the file is not valid JSON (corrupt or truncated)";
    return { reason, cause, newerVersion: false };
  }
  const version = (json as { version?: unknown } | null)?.version;
  let record: TaskRecord;
  try {
    record = taskRecordFromJSON(json);
  } catch (cause) {
    const newer = typeof version === "number" && version > 1;
    const reason = cause instanceof Error ? cause.message : String(cause);
    return { reason, cause, newerVersion: newer };
  }
  if (taskFileName(record.id) !== name)
    return {
      reason: `it holds task id ${JSON.stringify(record.id)}, which is stored under another file name`,
      cause: undefined,
      newerVersion: false,
    };
  const stored = (json as TaskRecordJSON & { nextRunCheck?: unknown }).nextRunCheck;
  if (!acceptMismatch && typeof stored === "string") {
    const next = (json as TaskRecordJSON).nextRunTime;
    if (stored !== check(JSON.stringify(next)))
      return {
        reason: "nextRunCheck does not match",
        cause: undefined,
        newerVersion: false,
        torn: true,
      };
  }
  return record;
}

/**
 * @param value - what {@link parseTask} returned
 * @returns true for a record
 */
export function isRecord(value: TaskRecord | UnreadableTask): value is TaskRecord {
  return "id" in value;
}
