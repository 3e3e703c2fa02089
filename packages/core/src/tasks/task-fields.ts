/**
 * Validation of the task fields shared by `new Task()`, `addTask()` and `updateTask()`. Each check
 * throws an `InvalidArgumentError` naming the field and the value; nothing is changed on failure
 * because callers validate everything before applying anything.
 */
import { randomFillSync } from "node:crypto";
import { InvalidArgumentError } from "../errors.js";

/** @returns a fresh task id: 32 lowercase hex characters */
export function generateTaskId(): string {
  // One getrandom call per 256 ids instead of one per id: ids are minted on addTask's hot path.
  if (poolOffset >= ID_POOL.length) {
    randomFillSync(ID_POOL);
    poolOffset = 0;
  }
  const id = ID_POOL.toString("hex", poolOffset, poolOffset + 16);
  poolOffset += 16;
  return id;
}

const ID_POOL = Buffer.alloc(16 * 256);
let poolOffset = ID_POOL.length;

/** @throws {@link InvalidArgumentError} unless `value` is a non-empty string */
export function checkNonEmptyString(field: string, value: unknown): string {
  if (typeof value !== "string" || value.length === 0)
    throw new InvalidArgumentError(field, value, "must be a non-empty string");
  return value;
}

/** @throws {@link InvalidArgumentError} unless `value` is `null` or a positive finite number */
export function checkGraceTime(value: unknown): number | null {
  if (value === null) return null;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0)
    throw new InvalidArgumentError(
      "mistriggerGraceTime",
      value,
      "must be null (no limit) or a positive number of seconds",
    );
  return value;
}

/** @throws {@link InvalidArgumentError} unless `value` is a positive integer */
export function checkMaxInstances(value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1)
    throw new InvalidArgumentError("maxInstances", value, "must be a positive integer");
  return value;
}

/** @throws {@link InvalidArgumentError} unless `value` is a boolean */
export function checkCoalesce(value: unknown): boolean {
  if (typeof value !== "boolean")
    throw new InvalidArgumentError("coalesce", value, "must be a boolean");
  return value;
}

/** @throws {@link InvalidArgumentError} unless `value` is an array */
export function checkArgs(value: unknown): readonly unknown[] {
  if (!Array.isArray(value))
    throw new InvalidArgumentError(
      "args",
      value,
      "must be an array of positional arguments (pass an object inside it for keyword-style arguments)",
    );
  return value;
}

/** @throws {@link InvalidArgumentError} unless `value` is a function or a non-empty reference */
export function checkFn(value: unknown): ((...args: never[]) => unknown) | string {
  if (typeof value === "function") return value as (...args: never[]) => unknown;
  if (typeof value === "string" && value.length > 0) return value;
  throw new InvalidArgumentError(
    "fn",
    value,
    'must be a function, a registered function name, or a module reference such as "./jobs.js:checkStatus"',
  );
}

/**
 * @param value - a Date, an ISO-8601 string with an offset, or `null`
 * @returns the instant, or `null`
 * @throws {@link InvalidArgumentError} for anything else or an invalid date
 */
export function checkNextRunTime(value: unknown): Date | null {
  if (value === null) return null;
  const date =
    value instanceof Date ? value : typeof value === "string" ? new Date(value) : undefined;
  if (date === undefined || Number.isNaN(date.getTime()))
    throw new InvalidArgumentError(
      "nextRunTime",
      value,
      "must be a Date, an ISO-8601 string, or null (paused)",
    );
  return new Date(date.getTime());
}

/**
 * @param options - an options object
 * @param allowed - the keys it may have
 * @param what - what the options are for, in the message
 * @throws {@link InvalidArgumentError} naming the first unknown key
 */
export function checkKnownKeys(options: object, allowed: ReadonlySet<string>, what: string): void {
  for (const key of Object.keys(options))
    if (!allowed.has(key))
      throw new InvalidArgumentError(
        key,
        (options as Record<string, unknown>)[key],
        `is not an option of ${what}; known: ${[...allowed].join(", ")}`,
      );
}
