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
