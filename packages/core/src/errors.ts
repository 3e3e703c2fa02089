/**
 * Every error thrown by `@asyncz/core` extends {@link AsynczError} and carries a stable string
 * `code`. Codes are public API: callers may branch on them, so they never change meaning.
 * Subclasses take the offending datum and build their own message, so every message names the
 * field and the value that were rejected.
 */

/** Marks every asyncz error, whichever copy of this module made it (a registry symbol). */
const ASYNCZ_ERROR_BRAND = Symbol.for("asyncz.error");

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
    Object.defineProperty(this, ASYNCZ_ERROR_BRAND, { value: true });
  }

  /**
   * `error instanceof AsynczError` also holds for an error made by another copy of this module
   * (a store package importing the built `@asyncz/core` while a test imports its source, or two
   * installed copies). Subclasses keep the ordinary prototype check.
   *
   * @param value - anything
   * @returns whether `value` is an asyncz error (for subclasses: an instance of that subclass)
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class on the right of instanceof
    if (this !== AsynczError) return Function.prototype[Symbol.hasInstance].call(this, value);
    return (
      typeof value === "object" &&
      value !== null &&
      (value as Record<symbol, unknown>)[ASYNCZ_ERROR_BRAND] === true
    );
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
  // String(), not JSON: JSON renders Infinity and NaN as "null", which would hide the bad value.
  else if (typeof value === "number" || typeof value === "bigint" || typeof value === "symbol")
    text = String(value);
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

// ---- executors (packages/core/src/executors) ------------------------------------------------

/**
 * An executor configuration is not acceptable: an unknown executor type, an unknown option or an
 * option with a bad value.
 */
export class ExecutorConfigError extends InvalidArgumentError {
  /**
   * @param field - the option that was rejected (`"executor"`, `"type"`, `"maxWorkers"`, ...)
   * @param value - the value that was given
   * @param reason - why it was rejected
   */
  constructor(field: string, value: unknown, reason: string) {
    super(field, value, reason, "INVALID_EXECUTOR_CONFIG");
  }
}

/**
 * A thread or process executor was given a function it cannot load in another thread or
 * process: it has no module reference (`"./jobs.js:exportName"`).
 */
export class ExecutorModuleRefRequiredError extends AsynczError {
  /** Id of the task whose function has no module reference. */
  readonly taskId: string;

  /**
   * @param executorType - the executor that needs the reference (`"pool"`, `"processpool"`)
   * @param taskId - the task
   * @param fnName - name of the function that was given
   */
  constructor(executorType: string, taskId: string, fnName: string) {
    super(
      "EXECUTOR_MODULE_REF_REQUIRED",
      `Invalid fn = [function ${fnName || "anonymous"}] for task ${JSON.stringify(taskId)}: ` +
        `the "${executorType}" executor runs functions in another thread or process, so the task ` +
        `must name its function by module reference ("./jobs.js:${fnName || "myTask"}"), not pass ` +
        "the function itself.",
    );
    this.taskId = taskId;
  }
}

/**
 * Arguments or a return value cannot cross to or from a worker thread or child process because
 * they are not structured-cloneable (functions, class instances with private state, sockets...).
 */
export class ExecutorNotCloneableError extends AsynczError {
  /** Id of the task. */
  readonly taskId: string;
  /** `"args"` or `"returnValue"`. */
  readonly field: string;

  /**
   * @param taskId - the task
   * @param field - `"args"` or `"returnValue"`
   * @param cause - the clone error
   */
  constructor(taskId: string, field: "args" | "returnValue", cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super(
      "EXECUTOR_NOT_CLONEABLE",
      `Invalid ${field} of task ${JSON.stringify(taskId)}: it must be structured-cloneable to ` +
        `cross to another thread or process (${detail}).`,
      { cause },
    );
    this.taskId = taskId;
    this.field = field;
  }
}

/**
 * A module reference could not be loaded inside a worker thread or child process, or its export
 * is not a function.
 */
export class ExecutorModuleLoadError extends AsynczError {
  /** The module URL. */
  readonly url: string;
  /** The export name. */
  readonly exportName: string;

  /**
   * @param url - module URL
   * @param exportName - export name
   * @param reason - what went wrong
   * @param cause - the underlying error, when there was one
   */
  constructor(url: string, exportName: string, reason: string, cause?: unknown) {
    super(
      "EXECUTOR_MODULE_LOAD_FAILED",
      `Invalid module reference = ${JSON.stringify(`${url}:${exportName}`)}: ${reason}`,
      cause === undefined ? undefined : { cause },
    );
    this.url = url;
    this.exportName = exportName;
  }
}

/** The worker thread or child process running a task died before the run finished. */
export class ExecutorWorkerCrashedError extends AsynczError {
  /** Id of the task. */
  readonly taskId: string;
  /** Exit code of the worker, or `null` when it was killed by a signal. */
  readonly exitCode: number | null;
  /** Signal that killed the worker, or `null`. */
  readonly signal: string | null;

  /**
   * @param kind - `"child process"` or `"worker thread"`
   * @param taskId - the task whose run was lost
   * @param exitCode - exit code, or `null`
   * @param signal - the killing signal, or `null`
   */
  constructor(kind: string, taskId: string, exitCode: number | null, signal: string | null) {
    super(
      "EXECUTOR_WORKER_CRASHED",
      `The ${kind} running task ${JSON.stringify(taskId)} exited before the run finished ` +
        `(exit code ${exitCode === null ? "none" : exitCode}, signal ${signal ?? "none"}).`,
    );
    this.taskId = taskId;
    this.exitCode = exitCode;
    this.signal = signal;
  }
}

/** A run was submitted to an executor that is shut down, or was ended by `shutdown(false)`. */
export class ExecutorShutdownError extends AsynczError {
  /**
   * @param executorType - the executor
   * @param taskId - the task whose run was refused or ended
   * @param detail - `"refused"` when submitted after shutdown, `"ended"` when cut short
   */
  constructor(executorType: string, taskId: string, detail: "refused" | "ended") {
    super(
      "EXECUTOR_SHUT_DOWN",
      detail === "refused"
        ? `The "${executorType}" executor is shut down; it refused the run of task ${JSON.stringify(taskId)}.`
        : `The "${executorType}" executor shut down without waiting; it ended the run of task ${JSON.stringify(taskId)}.`,
    );
  }
}

// ---- end executors ----------------------------------------------------------------------------

// ---------------------------------------------------------------------------------------------
// Trigger and time errors (owned by the triggers module; keep this section self-contained).
// ---------------------------------------------------------------------------------------------

/**
 * A trigger argument has an unacceptable value: an out-of-range cron field, `*\/0`, a reversed
 * range, a negative interval, a date that cannot be parsed.
 */
export class InvalidTriggerArgumentError extends InvalidArgumentError {
  /**
   * @param field - the trigger argument (or cron field) that was rejected
   * @param value - the value that was given
   * @param reason - why it was rejected
   */
  constructor(field: string, value: unknown, reason: string) {
    super(field, value, reason, "INVALID_TRIGGER_ARGUMENT");
  }
}

/** A cron expression (one field, or a whole crontab line) cannot be parsed or is out of range. */
export class InvalidCronExpressionError extends InvalidArgumentError {
  /**
   * @param field - the cron field (`hour`, `dayOfWeek`, ...) or `crontab` for a whole line
   * @param value - the expression that was given
   * @param reason - why it was rejected
   */
  constructor(field: string, value: unknown, reason: string) {
    super(field, value, reason, "INVALID_CRON_EXPRESSION");
  }
}

/** A trigger was given an argument it does not know (asyncz silently ignores these; we reject). */
export class UnknownTriggerArgumentError extends InvalidArgumentError {
  /** The trigger alias that rejected the argument. */
  readonly trigger: string;

  /**
   * @param trigger - the trigger alias (`"cron"`, ...)
   * @param field - the unknown argument name
   * @param value - its value
   * @param known - the argument names the trigger accepts
   */
  constructor(trigger: string, field: string, value: unknown, known: readonly string[]) {
    super(
      field,
      value,
      `unknown argument of the "${trigger}" trigger (known: ${known.join(", ")})`,
      "UNKNOWN_TRIGGER_ARGUMENT",
    );
    this.trigger = trigger;
  }
}

/** A trigger alias (or a persisted trigger `type`) is not registered. */
export class UnknownTriggerTypeError extends InvalidArgumentError {
  /**
   * @param value - the alias that was given
   * @param known - the registered aliases
   */
  constructor(value: unknown, known: readonly string[]) {
    super(
      "trigger",
      value,
      `unknown trigger type (known: ${known.join(", ")})`,
      "UNKNOWN_TRIGGER_TYPE",
    );
  }
}

/** A time zone name is not a zone this runtime knows (IANA names such as `"Europe/Berlin"`). */
export class UnknownTimezoneError extends InvalidArgumentError {
  /**
   * @param field - the option that carried the zone (usually `timezone`)
   * @param value - the zone name that was given
   */
  constructor(field: string, value: unknown) {
    super(
      field,
      value,
      'not a known IANA time zone (for example "Europe/Berlin" or "UTC")',
      "UNKNOWN_TIMEZONE",
    );
  }
}

/** A persisted trigger cannot be read back: unknown version, missing or malformed fields. */
export class InvalidTriggerJSONError extends InvalidArgumentError {
  /**
   * @param field - the JSON member at fault (`type`, `version`, ...)
   * @param value - its value
   * @param reason - why it was rejected
   */
  constructor(field: string, value: unknown, reason: string) {
    super(field, value, reason, "INVALID_TRIGGER_JSON");
  }
}

// ------------------------------------ end of trigger errors ------------------------------------
