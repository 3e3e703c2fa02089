/**
 * The task record: what a store keeps for one task. It is plain data (the trigger in its JSON form,
 * the function as a reference), so any store can persist it; {@link taskRecordToJSON} and
 * {@link taskRecordFromJSON} convert it to and from the versioned JSON that persistent stores write.
 */
import { TaskRecordError } from "../errors.js";
import type { TriggerJSON } from "../triggers/trigger.js";

/** Version of the persisted JSON shape written by {@link taskRecordToJSON}. */
export const TASK_RECORD_VERSION = 1;

/**
 * One task as a store holds it. Records are immutable values: a store may keep the object it was
 * given, and callers never mutate a record they passed in or got back.
 */
export interface TaskRecord {
  /** The task id (any non-empty string; generated ids are 32 lowercase hex characters). */
  readonly id: string;
  /** Human-readable name. */
  readonly name: string;
  /**
   * The function, by reference: a registered name (`"checkStatus"`) or a module reference
   * (`"./jobs.js:checkStatus"`). Never code (SPEC §4.5).
   */
  readonly fn: string;
  /** Positional arguments (JSON-compatible for persistent stores). */
  readonly args: readonly unknown[];
  /** The trigger, in its versioned JSON form. */
  readonly trigger: TriggerJSON;
  /** Alias of the executor that runs it. */
  readonly executor: string;
  /** Seconds a run may be late and still run; `null` = no limit. */
  readonly mistriggerGraceTime: number | null;
  /** Whether a backlog of due run times runs once. */
  readonly coalesce: boolean;
  /** Most runs of this task at once in one process. */
  readonly maxInstances: number;
  /** The next scheduled run time; `null` = paused. */
  readonly nextRunTime: Date | null;
}

/** The persisted JSON form of a {@link TaskRecord}: the same fields, versioned, times as text. */
export type TaskRecordJSON = Omit<TaskRecord, "nextRunTime"> & {
  readonly version: number;
  /** ISO-8601 instant (UTC), or `null` when paused. */
  readonly nextRunTime: string | null;
};

/**
 * @param record - a task record
 * @returns its versioned JSON form (`version: 1`, `nextRunTime` as an ISO string)
 */
export function taskRecordToJSON(record: TaskRecord): TaskRecordJSON {
  return {
    version: TASK_RECORD_VERSION,
    id: record.id,
    name: record.name,
    fn: record.fn,
    args: record.args,
    trigger: record.trigger,
    executor: record.executor,
    mistriggerGraceTime: record.mistriggerGraceTime,
    coalesce: record.coalesce,
    maxInstances: record.maxInstances,
    nextRunTime: record.nextRunTime === null ? null : record.nextRunTime.toISOString(),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function requireString(json: Record<string, unknown>, field: string): string {
  const value = json[field];
  if (typeof value !== "string" || value.length === 0)
    throw new TaskRecordError(field, value, "must be a non-empty string");
  return value;
}

/**
 * Reads a persisted record back, checking every field (a store must quarantine, not delete, what
 * this rejects).
 *
 * @param json - parsed JSON of one record
 * @returns the record
 * @throws {@link TaskRecordError} on an unknown version or a missing or mistyped field
 */
export function taskRecordFromJSON(json: unknown): TaskRecord {
  if (!isObject(json)) throw new TaskRecordError("(root)", json, "must be a JSON object");
  if (json.version !== TASK_RECORD_VERSION)
    throw new TaskRecordError(
      "version",
      json.version,
      `only version ${TASK_RECORD_VERSION} is known`,
    );
  const id = requireString(json, "id");
  const name = requireString(json, "name");
  const fn = requireString(json, "fn");
  const executor = requireString(json, "executor");
  const args = json.args;
  if (!Array.isArray(args)) throw new TaskRecordError("args", args, "must be an array");
  const trigger = json.trigger;
  if (!isObject(trigger) || typeof trigger.type !== "string" || typeof trigger.version !== "number")
    throw new TaskRecordError(
      "trigger",
      trigger,
      "must be a trigger JSON object with type and version",
    );
  const grace = json.mistriggerGraceTime;
  if (grace !== null && (typeof grace !== "number" || !(grace > 0)))
    throw new TaskRecordError("mistriggerGraceTime", grace, "must be null or a positive number");
  if (typeof json.coalesce !== "boolean")
    throw new TaskRecordError("coalesce", json.coalesce, "must be a boolean");
  const maxInstances = json.maxInstances;
  if (typeof maxInstances !== "number" || !Number.isInteger(maxInstances) || maxInstances < 1)
    throw new TaskRecordError("maxInstances", maxInstances, "must be a positive integer");
  const next = json.nextRunTime;
  let nextRunTime: Date | null = null;
  if (next !== null) {
    nextRunTime = typeof next === "string" ? new Date(next) : new Date(Number.NaN);
    if (Number.isNaN(nextRunTime.getTime()))
      throw new TaskRecordError("nextRunTime", next, "must be null or an ISO-8601 instant");
  }
  return {
    id,
    name,
    fn,
    args,
    trigger: trigger as TriggerJSON,
    executor,
    mistriggerGraceTime: grace,
    coalesce: json.coalesce,
    maxInstances,
    nextRunTime,
  };
}
