/**
 * The store port: where tasks live and how processes sharing them agree on who runs what.
 *
 * @remarks
 * The scheduler loop is store-agnostic: every piece of coordination between processes sits behind
 * this interface, so the memory store, the file store, and stores on Redis (Lua / `MULTI`) or
 * PostgreSQL (`INSERT ... ON CONFLICT`, `SELECT ... FOR UPDATE SKIP LOCKED`) fit unchanged.
 *
 * What every implementation guarantees (the contract kit, `@asyncz/core/test-kit`, checks it):
 *
 * - **Ordering.** {@link Store.getAllTasks} and {@link Store.getDueTasks} return tasks by
 *   `nextRunTime` ascending (millisecond precision), ties broken by id (code-unit order); paused
 *   tasks (`nextRunTime: null`) come last.
 * - **Errors.** A duplicate id without `replaceExisting` rejects with `ConflictIdError`, atomically
 *   across processes (exactly one of N concurrent adds of one id succeeds). Updating or deleting a
 *   missing id rejects with `TaskLookupError`. Any other failure rejects with an error whose `cause`
 *   is the underlying one; a failed call changes nothing.
 * - **Run claims.** {@link Store.claimRuns} is the at-most-once guarantee (SPEC §4.1): exactly one
 *   caller, across every process sharing the store, ever wins a given (task id, run time) pair. A
 *   claim is an immutable marker: a Set entry, an exclusive-create file, `SET NX`, an
 *   `INSERT ... ON CONFLICT DO NOTHING`. Markers are collected once they are older than a retention
 *   window and the stored `nextRunTime` of the task has moved past them.
 * - **Advance.** {@link Store.advanceTask} is a compare-and-set on `nextRunTime`, so a stale view
 *   never moves a task backwards and a task rescheduled meanwhile keeps its new time.
 * - **Watch.** {@link Store.watch} listeners are told when the contents may have changed behind the
 *   caller's back (another process, a file edited by hand). It is a hint: the scheduler re-reads
 *   {@link Store.getNextRunTime}; a store without change notification calls it periodically.
 * - **Records** are immutable values; a store may keep the objects it is given and return them.
 */
import type { AsynczEvent } from "../events/events.js";
import type { Logger } from "../scheduler/logger.js";
import type { TaskRecord } from "./task-record.js";

/** What the scheduler gives a store when it starts it. */
export interface StoreContext {
  /** The alias the store is registered under (`"default"`, `"memory"`, ...). */
  readonly alias: string;
  /**
   * Unique id of the scheduler instance that started the store, e.g. `host:pid:random`. Claims are
   * made in its name; a store that can detect dead owners reports their unstarted runs missed.
   */
  readonly owner: string;
  /**
   * The scheduler's `lockPath` template with `{store}` already expanded (other placeholders are the
   * lock library's), or `undefined` when unset: a persistent store then uses its own lock.
   */
  readonly lockPath: string | undefined;
  /** Logger bound to this store. */
  readonly logger: Logger;
  /**
   * Reports a store-level fact: `store_error`, `store_quarantined`, `store_lock_lost`, or a
   * `task_missed` with `reason: "lost"` for a run whose claimer died before starting it.
   */
  emit(event: AsynczEvent): void;
}

/** Options of {@link Store.addTask}. */
export interface AddRecordOptions {
  /** Overwrite a task with the same id instead of rejecting. @defaultValue false */
  readonly replaceExisting?: boolean;
}

/**
 * Where this process stands among the processes sharing a store (see {@link Store.spreadHint}).
 */
export interface StoreSpreadHint {
  /** This process's position, `0 <= index < count`. */
  readonly index: number;
  /** How many processes share the store (this one included). */
  readonly count: number;
}

/** A task store. See the module remarks for what every implementation guarantees. */
export interface Store {
  /** The store type alias (`"memory"`, `"file"`, ...). */
  readonly type: string;
  /**
   * Whether tasks outlive the process and may be shared with other processes. A persistent store
   * only accepts functions by reference (the scheduler checks), and makes the scheduler's default
   * `startupDelay` 1 s so every worker can register its functions before the first run.
   */
  readonly persistent: boolean;

  /**
   * Opens the store. Called once, before any other method.
   *
   * @param context - alias, owner id, lock path, logger and event sink
   * @throws an `AsynczError` when the store cannot be opened (missing directory, bad lock path)
   */
  start(context: StoreContext): Promise<void>;

  /** Closes the store; releases locks and watchers. The tasks of a persistent store stay. */
  shutdown(): Promise<void>;

  /**
   * Adds a task.
   *
   * @param record - the task
   * @param options - `replaceExisting` to overwrite a task with the same id
   * @throws `ConflictIdError` when the id exists and `replaceExisting` is not set; atomic across
   *   processes
   */
  addTask(record: TaskRecord, options?: AddRecordOptions): Promise<void>;

  /**
   * Replaces the stored task with the same id.
   *
   * @param record - the new version of the task
   * @throws `TaskLookupError` when no task has that id
   */
  updateTask(record: TaskRecord): Promise<void>;

  /**
   * Deletes a task (its run claims are collected later, as usual).
   *
   * @param id - task id
   * @throws `TaskLookupError` when no task has that id
   */
  deleteTask(id: string): Promise<void>;

  /** Deletes every task. */
  removeAllTasks(): Promise<void>;

  /**
   * @param id - task id
   * @returns the task, or `null` when no task has that id
   */
  lookupTask(id: string): Promise<TaskRecord | null>;

  /** @returns every task, by `nextRunTime` ascending, ties by id, paused tasks last */
  getAllTasks(): Promise<TaskRecord[]>;

  /**
   * @param now - the current instant
   * @param limit - at most this many tasks (the earliest ones); all when omitted
   * @returns the tasks with `nextRunTime <= now`, in the order of {@link Store.getAllTasks}
   */
  getDueTasks(now: Date, limit?: number): Promise<TaskRecord[]>;

  /** @returns the earliest `nextRunTime` of any unpaused task, or `null` when there is none */
  getNextRunTime(): Promise<Date | null>;

  /**
   * Claims run times of a task for `owner`.
   *
   * @remarks
   * Each (taskId, run time) pair is won by exactly one caller ever (until collected), whichever
   * process calls and however calls interleave. The winner must execute each won run or report it
   * missed. Claims do not require the task to still exist (a deleted task's claims are harmless).
   *
   * @param taskId - task id
   * @param runTimes - the run times to claim (distinct instants)
   * @param owner - the claiming scheduler's owner id (from {@link StoreContext.owner})
   * @returns the run times this caller won, in the order given
   */
  claimRuns(taskId: string, runTimes: readonly Date[], owner: string): Promise<Date[]>;

  /**
   * Compare-and-set of a task's `nextRunTime`: moves it from `from` to `to` only if the stored
   * value is still `from` (same millisecond). `to = null` means the trigger has finished: the task
   * is deleted.
   *
   * @param id - task id
   * @param from - the `nextRunTime` the caller computed from
   * @param to - the new `nextRunTime`, or `null` to delete the finished task
   * @returns `true` when this call changed the store; `false` when the stored value was no longer
   *   `from` (advanced by another process, rescheduled, paused) or the task is gone
   */
  advanceTask(id: string, from: Date, to: Date | null): Promise<boolean>;

  /**
   * Optional: the runs of `taskId` this process won with {@link Store.claimRuns} have just been
   * submitted (handed to the executor, or reported missed or skipped by `maxInstances`).
   *
   * @remarks
   * A store that reports a dead claimer's runs lost (SPEC §4) uses it to tell the runs that
   * process started from those it never got to: without it, only the task's advance says so, and
   * the scheduler advances the tasks of a pass after claiming and starting all of them. It is
   * called synchronously, right after the submission, once per task and pass with runs won; it
   * must be cheap and must not throw (record the fact; write it with the next write).
   *
   * @param taskId - the task
   * @param runTimes - the run times this process won and submitted
   */
  runsSubmitted?(taskId: string, runTimes: readonly Date[]): void;

  /**
   * Optional: this process's position among the live processes sharing the store, so each walks
   * the common due list from its own evenly spaced starting point (`floor(index * length / count)`)
   * instead of a random one, and the processes finish a burst of due tasks together.
   *
   * @remarks
   * A hint only: exactly-once is the claims' business, so a stale or inconsistent answer (a member
   * joining or dying) costs some lost claims, never a duplicate. It is called once per scheduling
   * pass and must be cheap (answer from memory; refresh on membership change or periodically).
   * Stores that are not shared leave it out; the scheduler then starts at a random point.
   *
   * @returns `{ index, count }` with integers `0 <= index < count`, or `undefined` when unknown
   */
  spreadHint?(): StoreSpreadHint | undefined;

  /**
   * Subscribes to "contents may have changed" hints.
   *
   * @param listener - called (without arguments) after changes, possibly coalesced
   * @returns a function that unsubscribes
   */
  watch(listener: () => void): () => void;
}
