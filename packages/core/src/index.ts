export {
  AsynczError,
  describeValue,
  InvalidArgumentError,
  InvalidCronExpressionError,
  InvalidTriggerArgumentError,
  InvalidTriggerJSONError,
  UnknownTimezoneError,
  UnknownTriggerArgumentError,
  UnknownTriggerTypeError,
} from "./errors.js";
export type {
  Executor,
  ExecutorContext,
  RunRequest,
  TaskFunction,
} from "./executors/executor.js";
export type { TimeInput } from "./time/parse-time.js";
export { type TimeZone, toTimeZone, UTC } from "./time/time-zone.js";
export {
  AND_TRIGGER_HORIZON_MS,
  AND_TRIGGER_MAX_ROUNDS,
  AndTrigger,
} from "./triggers/and-trigger.js";
export type { CombiningTriggerOptions } from "./triggers/combining-trigger.js";
export {
  createTrigger,
  TRIGGER_ALIASES,
  type TriggerAlias,
  triggerFromJSON,
} from "./triggers/create-trigger.js";
export type { CronFieldValue } from "./triggers/cron/cron-fields.js";
export { CronTrigger, type CronTriggerOptions } from "./triggers/cron/cron-trigger.js";
export { DateTrigger, type DateTriggerOptions } from "./triggers/date-trigger.js";
export { IntervalTrigger, type IntervalTriggerOptions } from "./triggers/interval-trigger.js";
export { OrTrigger } from "./triggers/or-trigger.js";
export { ShutdownTrigger } from "./triggers/shutdown-trigger.js";
export type { Trigger, TriggerContext, TriggerJSON } from "./triggers/trigger.js";
export type { TriggerClock } from "./triggers/trigger-options.js";
