export {
  AsynczError,
  ConflictIdError,
  DuplicateAliasError,
  describeValue,
  ExecutorConfigError,
  ExecutorModuleLoadError,
  ExecutorModuleRefRequiredError,
  ExecutorNotCloneableError,
  ExecutorShutdownError,
  ExecutorWorkerCrashedError,
  FunctionNameConflictError,
  InvalidArgumentError,
  InvalidCronExpressionError,
  InvalidTriggerArgumentError,
  InvalidTriggerJSONError,
  ModuleReferenceError,
  SchedulerAlreadyRunningError,
  SchedulerNotRunningError,
  TaskLookupError,
  TaskNotReferencableError,
  TaskRecordError,
  TaskStateError,
  UnknownAliasError,
  UnknownTimezoneError,
  UnknownTriggerArgumentError,
  UnknownTriggerTypeError,
} from "./errors.js";
export {
  ALL_EVENTS,
  ALL_TASKS_REMOVED,
  EVENT_CODES,
  type EventName,
  EXECUTOR_ADDED,
  EXECUTOR_REMOVED,
  SCHEDULER_ERROR,
  SCHEDULER_PAUSED,
  SCHEDULER_RESUMED,
  SCHEDULER_SHUTDOWN,
  SCHEDULER_START,
  SCHEDULER_STARTED,
  STORE_ADDED,
  STORE_ERROR,
  STORE_LOCK_LOST,
  STORE_QUARANTINED,
  STORE_REMOVED,
  TASK_ADDED,
  TASK_ERROR,
  TASK_EXECUTED,
  TASK_MAX_INSTANCES,
  TASK_MISSED,
  TASK_MODIFIED,
  TASK_REMOVED,
  TASK_SUBMITTED,
} from "./events/event-codes.js";
export type {
  AliasEvent,
  AsynczEvent,
  EventListener,
  EventOf,
  EventPayloads,
  ProblemEvent,
  SchedulerLifecycleEvent,
  TaskEvent,
  TaskExecutionEvent,
  TaskSubmissionEvent,
} from "./events/events.js";
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
  RunDone,
  RunRequest,
  TaskFunction,
} from "./executors/executor.js";
export { PoolExecutor, type PoolExecutorOptions } from "./executors/pool-executor.js";
export {
  ProcessPoolExecutor,
  type ProcessPoolExecutorOptions,
} from "./executors/process-pool-executor.js";
export { getRunContext, type RunContext } from "./executors/run-context.js";
export { makeAsyncFunction, makeFunction } from "./lifecycle/make-function.js";
export type { Clock, TimerHandle } from "./scheduler/clock.js";
export { systemClock } from "./scheduler/clock.js";
export {
  type GracefulShutdown,
  type GracefulShutdownOptions,
  type GracefulShutdownResult,
  type GracefulShutdownTarget,
  installGracefulShutdown,
} from "./scheduler/graceful-shutdown.js";
export {
  HealthMonitor,
  type HealthOptions,
  type HealthSource,
  type HealthState,
  type SchedulerHealth,
  type StoreHealth,
} from "./scheduler/health.js";
export type { Logger, LogMethod } from "./scheduler/logger.js";
export { silentLogger } from "./scheduler/logger.js";
export { AsyncIOScheduler, Scheduler, type SchedulerState } from "./scheduler/scheduler.js";
export type {
  SchedulerOptions,
  StoreConfig,
  TaskDefaults,
} from "./scheduler/scheduler-options.js";
export type { AddTaskOptions } from "./scheduler/task-input.js";
export { MAX_TIMER_DELAY_MS } from "./scheduler/wake-timer.js";
export { MemoryStore, type MemoryStoreOptions } from "./stores/memory-store.js";
export type { AddRecordOptions, Store, StoreContext, StoreSpreadHint } from "./stores/store.js";
export {
  TASK_RECORD_VERSION,
  type TaskRecord,
  type TaskRecordJSON,
  taskRecordFromJSON,
  taskRecordToJSON,
} from "./stores/task-record.js";
export {
  Task,
  type TaskChanges,
  type TaskOptions,
  type TaskScheduleState,
  type TriggerArgs,
  type TriggerSpec,
} from "./tasks/task.js";
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
