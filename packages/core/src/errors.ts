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
