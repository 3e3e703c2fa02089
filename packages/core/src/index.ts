export {
  AsynczError,
  describeValue,
  ExecutorConfigError,
  ExecutorModuleLoadError,
  ExecutorModuleRefRequiredError,
  ExecutorNotCloneableError,
  ExecutorShutdownError,
  ExecutorWorkerCrashedError,
  InvalidArgumentError,
} from "./errors.js";
export { AsyncioExecutor } from "./executors/asyncio-executor.js";
export {
  createExecutor,
  EXECUTOR_TYPES,
  type ExecutorConfig,
  type ExecutorType,
} from "./executors/create-executor.js";
export { DebugExecutor } from "./executors/debug-executor.js";
export type {
  Executor,
  ExecutorContext,
  RunRequest,
  TaskFunction,
} from "./executors/executor.js";
export { PoolExecutor, type PoolExecutorOptions } from "./executors/pool-executor.js";
export {
  ProcessPoolExecutor,
  type ProcessPoolExecutorOptions,
} from "./executors/process-pool-executor.js";
export { getRunContext, type RunContext } from "./executors/run-context.js";
export type { Trigger, TriggerContext, TriggerJSON } from "./triggers/trigger.js";
