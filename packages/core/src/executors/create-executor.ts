/**
 * Turns an executor configuration (alias, `{ type, ...options }` or instance) into an executor.
 */
import { describeValue, ExecutorConfigError } from "../errors.js";
import { AsyncioExecutor } from "./asyncio-executor.js";
import { DebugExecutor } from "./debug-executor.js";
import type { Executor } from "./executor.js";
import { PoolExecutor, type PoolExecutorOptions } from "./pool-executor.js";
import { ProcessPoolExecutor, type ProcessPoolExecutorOptions } from "./process-pool-executor.js";

/** The executor aliases. */
export const EXECUTOR_TYPES = ["asyncio", "pool", "threadpool", "processpool", "debug"] as const;

/** One of {@link EXECUTOR_TYPES}. */
export type ExecutorType = (typeof EXECUTOR_TYPES)[number];

/** How an executor can be configured in the scheduler's `executors` option. */
export type ExecutorConfig =
  | Executor
  | ExecutorType
  | { readonly type: "asyncio" | "debug" }
  | ({ readonly type: "pool" | "threadpool" } & PoolExecutorOptions)
  | ({ readonly type: "processpool" } & ProcessPoolExecutorOptions);

function isExecutor(value: object): value is Executor {
  const candidate = value as Partial<Record<keyof Executor, unknown>>;
  return (
    typeof candidate.run === "function" &&
    typeof candidate.start === "function" &&
    typeof candidate.shutdown === "function"
  );
}

/**
 * Builds an executor from its configuration.
 *
 * @param config - an alias (`"asyncio"`, `"pool"`, `"threadpool"`, `"processpool"`, `"debug"`),
 *   an object `{ type, ...options }`, or an executor instance (returned as it is)
 * @returns the executor
 * @throws {@link ExecutorConfigError} for an unknown alias, an unknown option or a bad value
 */
export function createExecutor(config: ExecutorConfig): Executor {
  if (typeof config === "object" && config !== null && isExecutor(config)) return config;
  const isObject = typeof config === "object" && config !== null;
  const type: unknown = isObject ? (config as { type?: unknown }).type : config;
  const options: Record<string, unknown> = {};
  if (isObject) {
    for (const [key, value] of Object.entries(config)) if (key !== "type") options[key] = value;
  }
  switch (type) {
    case "asyncio":
    case "debug":
      for (const key of Object.keys(options)) {
        throw new ExecutorConfigError(
          key,
          options[key],
          `unknown option of the "${type}" executor; it takes none`,
        );
      }
      return type === "asyncio" ? new AsyncioExecutor() : new DebugExecutor();
    case "pool":
    case "threadpool":
      return new PoolExecutor(options, type);
    case "processpool":
      return new ProcessPoolExecutor(options);
    default: {
      const expected = `expected one of ${EXECUTOR_TYPES.map((name) => `"${name}"`).join(", ")}`;
      if (isObject)
        throw new ExecutorConfigError("type", type, `unknown executor type; ${expected}`);
      throw new ExecutorConfigError(
        "executor",
        config,
        typeof config === "string"
          ? `unknown executor alias; ${expected}, an object { type, ...options } or an executor instance`
          : `not an executor configuration (got ${describeValue(config)}); ${expected}, an object { type, ...options } or an executor instance`,
      );
    }
  }
}
