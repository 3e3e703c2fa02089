/**
 * Every error thrown by `@asyncz/core` extends {@link AsynczError} and carries a stable string
 * `code`. Codes are public API: callers may branch on them, so they never change meaning.
 * Subclasses take the offending datum and build their own message, so every message names the
 * field and the value that were rejected.
 */

/**
 * Base class of every error thrown by asyncz packages.
 */
export class AsynczError extends Error {
  /** Stable, machine-readable identifier of the failure (for example `"INVALID_TRIGGER_ARGUMENT"`). */
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
 * A value given to an asyncz API is not acceptable (wrong type, out of range, unknown option).
 */
export class InvalidArgumentError extends AsynczError {
  /** Name of the rejected field, as the caller spelled it. */
  readonly field: string;
  /** The rejected value. */
  readonly value: unknown;

  /**
   * @param field - the option or argument that was rejected
   * @param value - the value that was given
   * @param reason - why it was rejected, phrased to complete "field = value: <reason>"
   * @param code - a more specific stable code, when a subclass has one
   */
  constructor(field: string, value: unknown, reason: string, code = "INVALID_ARGUMENT") {
    super(code, `Invalid ${field} = ${describeValue(value)}: ${reason}`);
    this.field = field;
    this.value = value;
  }
}

/**
 * Renders a rejected value for an error message: strings quoted, objects as compact JSON, and
 * long renderings shortened so that one message never floods a log line.
 *
 * @param value - any value
 * @returns a short, single-line rendering
 */
export function describeValue(value: unknown): string {
  let text: string;
  if (typeof value === "string") text = JSON.stringify(value);
  else if (typeof value === "function") text = `[function ${value.name || "anonymous"}]`;
  else if (value instanceof Date)
    text = Number.isNaN(value.getTime()) ? "Invalid Date" : value.toISOString();
  else if (typeof value === "bigint" || typeof value === "symbol") text = String(value);
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = String(value);
    }
  }
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

// ─── Scheduler core errors (scheduler, tasks, stores, functions) ──────────────────────────────

/**
 * A task id is already taken in the store, and `replaceExisting` was not set.
 */
export class ConflictIdError extends AsynczError {
  /** The id that is already taken. */
  readonly taskId: string;

  /**
   * @param taskId - the conflicting id
   * @param store - alias of the store that holds it, when known
   */
  constructor(taskId: string, store?: string) {
    super(
      "CONFLICT_ID",
      `Task id ${describeValue(taskId)} conflicts with an existing task${store === undefined ? "" : ` in store ${describeValue(store)}`}; pass replaceExisting: true to overwrite it`,
    );
    this.taskId = taskId;
  }
}

/**
 * No task with the given id exists (in the given store, or in any store).
 */
export class TaskLookupError extends AsynczError {
  /** The id that was looked up. */
  readonly taskId: string;

  /**
   * @param taskId - the id that was not found
   * @param store - alias of the store that was searched, when only one was
   */
  constructor(taskId: string, store?: string) {
    super(
      "TASK_NOT_FOUND",
      `No task with id ${describeValue(taskId)} was found${store === undefined ? "" : ` in store ${describeValue(store)}`}`,
    );
    this.taskId = taskId;
  }
}

/**
 * A function cannot be saved by reference, which a persistent store requires (SPEC §4.5).
 */
export class TaskNotReferencableError extends AsynczError {
  /**
   * @param fn - the function that cannot be referenced
   * @param store - alias of the persistent store it was given to
   */
  constructor(fn: unknown, store: string) {
    super(
      "TASK_NOT_REFERENCABLE",
      `Invalid fn = ${describeValue(fn)}: store ${describeValue(store)} is persistent and saves functions by name, but this function has no name. Give it one (export function myJob() {...}), register it with scheduler.registerFunction("myJob", fn), pass a module reference such as "./jobs.js:myJob", or add the task to a memory store ({ store: "memory" })`,
    );
  }
}

/**
 * Two different functions were registered under one name.
 */
export class FunctionNameConflictError extends AsynczError {
  /** The name that is already taken. */
  readonly functionName: string;

  /** @param functionName - the name registered twice */
  constructor(functionName: string) {
    super(
      "FUNCTION_NAME_CONFLICT",
      `Invalid fn name = ${describeValue(functionName)}: a different function is already registered under this name; register one of them explicitly with scheduler.registerFunction("<unique name>", fn)`,
    );
    this.functionName = functionName;
  }
}

/**
 * A function reference (a registered name or `"module:export"`) does not resolve to a function.
 */
export class ModuleReferenceError extends AsynczError {
  /** The reference that did not resolve. */
  readonly reference: string;

  /**
   * @param reference - the reference as given
   * @param reason - why it did not resolve
   * @param options - `cause` for the underlying import error
   */
  constructor(reference: string, reason: string, options?: ErrorOptions) {
    super("MODULE_REFERENCE", `Invalid fn = ${describeValue(reference)}: ${reason}`, options);
    this.reference = reference;
  }
}

/**
 * An operation needs a running scheduler, and it is stopped.
 */
export class SchedulerNotRunningError extends AsynczError {
  /** @param operation - the method that was called */
  constructor(operation: string) {
    super(
      "SCHEDULER_NOT_RUNNING",
      `Scheduler is not running: ${operation}() needs a started scheduler`,
    );
  }
}

/**
 * An operation needs a stopped scheduler, and it is running.
 */
export class SchedulerAlreadyRunningError extends AsynczError {
  /** @param operation - the method that was called */
  constructor(operation: string) {
    super(
      "SCHEDULER_ALREADY_RUNNING",
      `Scheduler is already running: ${operation}() needs a stopped scheduler`,
    );
  }
}

/**
 * An alias names no registered store, executor or trigger type, or an alias is taken twice.
 */
export class UnknownAliasError extends AsynczError {
  /** What kind of alias: `"store"`, `"executor"`, `"store type"`, ... */
  readonly kind: string;
  /** The alias as given. */
  readonly alias: string;

  /**
   * @param kind - what kind of alias it is
   * @param alias - the alias as given
   * @param known - the aliases that exist, listed in the message
   */
  constructor(kind: string, alias: string, known: readonly string[]) {
    super(
      "UNKNOWN_ALIAS",
      `Invalid ${kind} = ${describeValue(alias)}: no such ${kind}; known: ${known.length === 0 ? "(none)" : known.map((k) => describeValue(k)).join(", ")}`,
    );
    this.kind = kind;
    this.alias = alias;
  }
}

/**
 * An alias is already taken by another store or executor.
 */
export class DuplicateAliasError extends AsynczError {
  /**
   * @param kind - `"store"` or `"executor"`
   * @param alias - the alias that is taken
   */
  constructor(kind: string, alias: string) {
    super(
      "DUPLICATE_ALIAS",
      `Invalid ${kind} alias = ${describeValue(alias)}: this scheduler already has a ${kind} under this alias`,
    );
  }
}

/**
 * A stored task record cannot be read: unknown version, a missing field, or a field of the wrong
 * type. Stores quarantine such records instead of deleting them.
 */
export class TaskRecordError extends AsynczError {
  /**
   * @param field - the field that is wrong
   * @param value - its value
   * @param reason - what is wrong with it
   */
  constructor(field: string, value: unknown, reason: string) {
    super(
      "INVALID_TASK_RECORD",
      `Invalid task record ${field} = ${describeValue(value)}: ${reason}`,
    );
  }
}

/**
 * A task was given to `addTask` a second time, or changed in a way a task cannot change (its id).
 */
export class TaskStateError extends AsynczError {
  /**
   * @param field - the field concerned (`"id"`, `"task"`)
   * @param value - its value
   * @param reason - why the operation is refused
   */
  constructor(field: string, value: unknown, reason: string) {
    super("INVALID_TASK_OPERATION", `Invalid ${field} = ${describeValue(value)}: ${reason}`);
  }
}

// ─── end of scheduler core errors ─────────────────────────────────────────────────────────────
