export { AsynczError, describeValue, InvalidArgumentError } from "./errors.js";
export type {
  Executor,
  ExecutorContext,
  RunRequest,
  TaskFunction,
} from "./executors/executor.js";
export type { Trigger, TriggerContext, TriggerJSON } from "./triggers/trigger.js";
