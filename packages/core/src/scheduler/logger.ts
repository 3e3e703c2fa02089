/**
 * The logger the scheduler and its stores write to: any pino-compatible logger (pino, a pino child,
 * or an object with the same four methods and `child`).
 */

/** One log method: pino's `(object, message)` or `(message)` call forms. */
export type LogMethod = (objOrMessage: unknown, message?: string) => void;

/** A pino-compatible logger. */
export interface Logger {
  debug: LogMethod;
  info: LogMethod;
  warn: LogMethod;
  error: LogMethod;
  /** @returns a logger that adds `bindings` to every line */
  child(bindings: Record<string, unknown>): Logger;
}

const noop: LogMethod = () => {};

/** A logger that writes nothing: the scheduler's default (libraries stay quiet unless asked). */
export const silentLogger: Logger = {
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
  child: () => silentLogger,
};
