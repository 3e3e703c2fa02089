/**
 * Validation shared by the executors' option objects: plain JavaScript callers can pass
 * anything, so unknown keys and bad values are rejected with the field named.
 */
import { availableParallelism } from "node:os";
import { ExecutorConfigError } from "../errors.js";

/**
 * Rejects keys of `options` that are not in `known`.
 *
 * @param executorType - the executor, for the message
 * @param options - what the caller gave
 * @param known - the accepted keys
 * @throws {@link ExecutorConfigError} naming the first unknown key
 */
export function rejectUnknownOptions(
  executorType: string,
  options: object,
  known: readonly string[],
): void {
  for (const key of Object.keys(options)) {
    if (!known.includes(key)) {
      const list = known.length === 0 ? "none" : known.map((name) => `"${name}"`).join(", ");
      throw new ExecutorConfigError(
        key,
        (options as Record<string, unknown>)[key],
        `unknown option of the "${executorType}" executor; it accepts ${list}`,
      );
    }
  }
}

/**
 * Checks an optional positive-integer option.
 *
 * @param field - option name
 * @param value - given value
 * @param fallback - default when `undefined`
 * @param min - smallest accepted value
 * @returns the value or the default
 * @throws {@link ExecutorConfigError} when not an integer ≥ `min`
 */
export function integerOption(
  field: string,
  value: unknown,
  fallback: number,
  min: number,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min) {
    throw new ExecutorConfigError(field, value, `must be an integer >= ${min}`);
  }
  return value;
}

/**
 * The default `maxWorkers` of the pool executors: `min(4, availableParallelism())`.
 *
 * @remarks
 * Every process of a pm2 or `cluster` deployment builds its own executors, so a per-core default
 * (piscina's) multiplies into cores² threads on the machine. Four per process is enough for the
 * occasional CPU-bound task a scheduler runs; threads and processes start only when a run needs
 * one and exit after `idleTimeoutMs`, so an idle deployment holds none.
 *
 * @returns the default worker count
 */
export function defaultMaxWorkers(): number {
  return Math.min(4, availableParallelism());
}
