/**
 * Event codes. asyncz's codes keep their bit values (SPEC §3.5) so that masks written for asyncz
 * mean the same here; the codes from `STORE_ERROR` on are new, for what a multi-process store can
 * report.
 */

/** The scheduler started (the call to `start()` that really started it). */
export const SCHEDULER_START = 1;
/** Alias of {@link SCHEDULER_START}, as in asyncz. */
export const SCHEDULER_STARTED = SCHEDULER_START;
/** The scheduler shut down (the last reference). */
export const SCHEDULER_SHUTDOWN = 2;
/** The scheduler was paused. */
export const SCHEDULER_PAUSED = 4;
/** The scheduler was resumed. */
export const SCHEDULER_RESUMED = 8;
/** An executor was added. */
export const EXECUTOR_ADDED = 16;
/** An executor was removed. */
export const EXECUTOR_REMOVED = 32;
/** A store was added. */
export const STORE_ADDED = 64;
/** A store was removed. */
export const STORE_REMOVED = 128;
/** `removeAllTasks()` emptied one store or all of them. */
export const ALL_TASKS_REMOVED = 256;
/** A task was committed to a store. */
export const TASK_ADDED = 512;
/** A task was removed (deleted, or its trigger finished). */
export const TASK_REMOVED = 1024;
/** A task was updated, rescheduled, paused or resumed. */
export const TASK_MODIFIED = 2048;
/** A run returned. */
export const TASK_EXECUTED = 4096;
/** A run threw. */
export const TASK_ERROR = 8192;
/** A run was not executed because it was later than `mistriggerGraceTime`, or its claimer died. */
export const TASK_MISSED = 16384;
/** A run was handed to an executor. */
export const TASK_SUBMITTED = 32768;
/** A run was skipped because `maxInstances` runs of the task were already running. */
export const TASK_MAX_INSTANCES = 65536;
/** A store operation failed; the scheduler retries after `storeRetryInterval`. (New.) */
export const STORE_ERROR = 131072;
/** A store set aside a record it could not read (file store: moved to quarantine). (New.) */
export const STORE_QUARANTINED = 262144;
/** A store lost an inter-process lock it held. (New.) */
export const STORE_LOCK_LOST = 524288;
/** An error inside the scheduling loop that is not a store's (the loop goes on). (New.) */
export const SCHEDULER_ERROR = 1048576;

/** Every code OR-ed together: the default listener mask. */
export const ALL_EVENTS =
  SCHEDULER_START |
  SCHEDULER_SHUTDOWN |
  SCHEDULER_PAUSED |
  SCHEDULER_RESUMED |
  EXECUTOR_ADDED |
  EXECUTOR_REMOVED |
  STORE_ADDED |
  STORE_REMOVED |
  ALL_TASKS_REMOVED |
  TASK_ADDED |
  TASK_REMOVED |
  TASK_MODIFIED |
  TASK_EXECUTED |
  TASK_ERROR |
  TASK_MISSED |
  TASK_SUBMITTED |
  TASK_MAX_INSTANCES |
  STORE_ERROR |
  STORE_QUARANTINED |
  STORE_LOCK_LOST |
  SCHEDULER_ERROR;

/** Lowercase event name → code, as `on(name, callback)` takes them. */
export const EVENT_CODES = {
  scheduler_start: SCHEDULER_START,
  scheduler_shutdown: SCHEDULER_SHUTDOWN,
  scheduler_paused: SCHEDULER_PAUSED,
  scheduler_resumed: SCHEDULER_RESUMED,
  executor_added: EXECUTOR_ADDED,
  executor_removed: EXECUTOR_REMOVED,
  store_added: STORE_ADDED,
  store_removed: STORE_REMOVED,
  all_tasks_removed: ALL_TASKS_REMOVED,
  task_added: TASK_ADDED,
  task_removed: TASK_REMOVED,
  task_modified: TASK_MODIFIED,
  task_executed: TASK_EXECUTED,
  task_error: TASK_ERROR,
  task_missed: TASK_MISSED,
  task_submitted: TASK_SUBMITTED,
  task_max_instances: TASK_MAX_INSTANCES,
  store_error: STORE_ERROR,
  store_quarantined: STORE_QUARANTINED,
  store_lock_lost: STORE_LOCK_LOST,
  scheduler_error: SCHEDULER_ERROR,
} as const;

/** A lowercase event name (`"task_executed"`, ...). */
export type EventName = keyof typeof EVENT_CODES;
