/**
 * The task file format: core's versioned task record JSON (`version: 1`), pretty-printed so a
 * person can read and edit it, and checked against the file's name on the way back.
 */
import { type TaskRecord, taskRecordFromJSON, taskRecordToJSON } from "@asyncz/core";
import { taskFileName } from "./file-names.js";

/**
 * @param record - a task record
 * @returns the file content
 */
export function serializeTask(record: TaskRecord): string {
  return `${JSON.stringify(taskRecordToJSON(record), null, 2)}\n`;
}

/** Why a file could not be read as a task. */
export interface UnreadableTask {
  readonly reason: string;
  readonly cause: unknown;
  /** A newer format: leave the file for the process that wrote it (it is not quarantined). */
  readonly newerVersion: boolean;
}

/**
 * @param text - the file content
 * @param name - the file's name (the record's id must map to it)
 * @returns the record, or why it is unreadable
 */
export function parseTask(text: string, name: string): TaskRecord | UnreadableTask {
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
  return record;
}

/**
 * @param value - what {@link parseTask} returned
 * @returns true for a record
 */
export function isRecord(value: TaskRecord | UnreadableTask): value is TaskRecord {
  return "id" in value;
}
