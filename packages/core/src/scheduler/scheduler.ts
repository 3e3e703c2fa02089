/**
 * `AsyncIOScheduler` (alias `Scheduler`): lifecycle, stores and executors, listeners, the task API
 * and the scheduling loop (SPEC §3.1).
 */
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import {
  ConflictIdError,
  DuplicateAliasError,
  InvalidArgumentError,
  SchedulerNotRunningError,
  TaskLookupError,
  TaskStateError,
  UnknownAliasError,
} from "../errors.js";
import {
  ALL_EVENTS,
  ALL_TASKS_REMOVED,
  type EventName,
  EXECUTOR_ADDED,
  EXECUTOR_REMOVED,
  SCHEDULER_ERROR,
  SCHEDULER_PAUSED,
  SCHEDULER_RESUMED,
  SCHEDULER_SHUTDOWN,
  SCHEDULER_START,
  STORE_ADDED,
  STORE_REMOVED,
  TASK_ADDED,
  TASK_MODIFIED,
  TASK_REMOVED,
} from "../events/event-codes.js";
import { EventDispatcher } from "../events/event-dispatcher.js";
import type { EventListener, EventPayloads } from "../events/events.js";
import { createExecutor, type ExecutorConfig } from "../executors/create-executor.js";
import type { Executor, TaskFunction } from "../executors/executor.js";
import { FunctionRegistry } from "../functions/function-registry.js";
import type { Store } from "../stores/store.js";
import type { TaskRecord } from "../stores/task-record.js";
import {
  type Task,
  type TaskChanges,
  type TaskOwner,
  type TriggerArgs,
  type TriggerSpec,
  taskState,
} from "../tasks/task.js";
import { checkNonEmptyString } from "../tasks/task-fields.js";
import type { Trigger } from "../triggers/trigger.js";
import { type Clock, systemClock } from "./clock.js";
import { HealthMonitor, type HealthOptions, type SchedulerHealth } from "./health.js";
import { type Logger, silentLogger } from "./logger.js";
import { RunDispatcher } from "./run-dispatcher.js";
import {
  checkSchedulerOptions,
  type ResolvedTaskDefaults,
  resolveTaskDefaults,
  resolveTimezone,
  type SchedulerOptions,
  type StoreConfig,
} from "./scheduler-options.js";
import { SchedulingLoop } from "./scheduling-loop.js";
import { createStore } from "./store-factory.js";
import { makeStoreSlot, type StoreSlot, storeOf } from "./store-slots.js";
import {
  type AddTaskOptions,
  checkChanges,
  makeTrigger,
  prepareTask,
  type TaskInputContext,
} from "./task-input.js";
import { TaskRecords } from "./task-records.js";

const REPLACE = Object.freeze({ replaceExisting: true });
const NO_REPLACE = Object.freeze({ replaceExisting: false });

/** `"stopped" | "running" | "paused"`. */
export type SchedulerState = "stopped" | "running" | "paused";

interface PendingEntry {
  readonly task: Task;
  readonly replaceExisting: boolean;
  /** `nextRunTime: null` given to addTask: add paused. */
  readonly paused: boolean;
}

/**
 * The scheduler. Every method that touches a store returns a Promise.
 */
export class AsyncIOScheduler implements TaskOwner {
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #timezone: string;
  readonly #defaults: ResolvedTaskDefaults;
  readonly #lockPath: string | undefined;
  readonly #retryMs: number;
  readonly #startupDelayMs: number | undefined;
  readonly #owner = `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
  readonly #events = new EventDispatcher(() => this.#logger);
  readonly #functions: FunctionRegistry;
  readonly #stores = new Map<string, StoreSlot>();
  readonly #executors = new Map<string, Executor>();
  readonly #startedExecutors = new Set<string>();
  readonly #instances = new Map<string, number>();
  readonly #pending: PendingEntry[] = [];
  /** Shutdown tasks this process added: id → store alias (SPEC §4.6). */
  readonly #shutdownTasks = new Map<string, string>();
  readonly #loop: SchedulingLoop;
  readonly #healthMonitor = new HealthMonitor();
  readonly #records: TaskRecords;
  readonly #input: TaskInputContext;
  readonly #dispatcher: RunDispatcher;
  #state: SchedulerState = "stopped";
  #refs = 0;
  #announced = false;
  #abort = new AbortController();

  /**
   * @param options - see {@link SchedulerOptions}
   * @throws `InvalidArgumentError` (and subclasses) naming a bad option; `ExecutorConfigError`
   */
  constructor(options: SchedulerOptions = {}) {
    checkSchedulerOptions(options);
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger ?? silentLogger;
    this.#timezone = resolveTimezone(options.timezone);
    this.#defaults = resolveTaskDefaults(options.taskDefaults);
    this.#lockPath = options.lockPath;
    this.#retryMs = (options.storeRetryInterval ?? 10) * 1000;
    this.#startupDelayMs =
      options.startupDelay === undefined ? undefined : options.startupDelay * 1000;
    this.#functions = new FunctionRegistry(options.baseDirectory ?? process.cwd());
    for (const [alias, config] of Object.entries(options.stores ?? { default: { type: "memory" } }))
      this.#stores.set(alias, makeStoreSlot(alias, config));
    if (!this.#stores.has("default"))
      this.#stores.set("default", makeStoreSlot("default", { type: "memory" }));
    for (const [alias, config] of Object.entries(options.executors ?? { default: "asyncio" }))
      this.#executors.set(alias, createExecutor(config));
    if (!this.#executors.has("default")) this.#executors.set("default", createExecutor("asyncio"));
    const host = {
      owner: this.#owner,
      timezone: this.#timezone,
      events: this.#events,
      functions: this.#functions,
      instances: this.#instances,
      logger: () => this.#logger,
      executor: (alias: string) => this.#executors.get(alias),
      executorAliases: () => [...this.#executors.keys()],
      signal: () => this.#abort.signal,
      triggerOf: (record: TaskRecord) => this.#records.triggerOf(record),
    };
    this.#dispatcher = new RunDispatcher(host);
    this.#records = new TaskRecords({
      functions: this.#functions,
      timezone: this.#timezone,
      clock: this.#clock,
      owner: this,
      logger: () => this.#logger,
    });
    this.#input = {
      defaults: this.#defaults,
      functions: this.#functions,
      owner: this,
      now: () => this.#clock.now(),
      storeSlot: (alias) => this.#storeSlot(alias),
      hasExecutor: (alias) => this.#executors.has(alias),
      executorAliases: () => [...this.#executors.keys()],
    };
    this.#loop = new SchedulingLoop({
      clock: this.#clock,
      events: this.#events,
      dispatcher: this.#dispatcher,
      retryMs: this.#retryMs,
      logger: () => this.#logger,
      isRunning: () => this.#state === "running",
      stores: () => this.#stores.values(),
      loopError: (error, message, taskId, store) => this.#loopError(error, message, taskId, store),
      passEnded: (at, error) => this.#healthMonitor.passEnded(at, error),
    });
  }

  // ─── state ───────────────────────────────────────────────────────────────────────────────

  /** `"stopped"`, `"running"` or `"paused"`. */
  get state(): SchedulerState {
    return this.#state;
  }

  /** Whether the scheduler is started (also while paused). */
  get running(): boolean {
    return this.#state !== "stopped";
  }

  /** The IANA zone triggers without their own zone use. */
  get timezone(): string {
    return this.#timezone;
  }

  /** Unique id of this scheduler instance, in whose name runs are claimed. */
  get owner(): string {
    return this.#owner;
  }

  // ─── lifecycle ───────────────────────────────────────────────────────────────────────────

  /**
   * Starts the scheduler. Reference counted: only the first call starts it; every call must be
   * matched by a `shutdown()`.
   *
   * @param options - `paused: true` to start without running anything until `resume()`
   * @returns `true` for the call that really started the scheduler, `false` for the others
   * @throws the errors of starting a store or an executor (the scheduler then stays stopped)
   */
  async start(options: { paused?: boolean } = {}): Promise<boolean> {
    this.#refs++;
    if (this.#refs > 1) return false;
    try {
      await this.#reallyStart(options.paused === true);
    } catch (error) {
      this.#refs = 0;
      this.#state = "stopped";
      this.#loop.disarm();
      await this.#rollBackStart();
      throw error;
    }
    return true;
  }

  /** Undoes a start that failed half-way, so that a later `start()` begins from scratch. */
  async #rollBackStart(): Promise<void> {
    for (const slot of this.#stores.values()) {
      if (slot.unwatch === undefined) continue;
      slot.unwatch();
      slot.unwatch = undefined;
      await slot.store?.shutdown().catch((error: unknown) => {
        this.#logger.error(
          { err: error, store: slot.alias },
          "Error closing store after a failed start",
        );
      });
    }
    for (const alias of this.#startedExecutors)
      await this.#executors
        .get(alias)
        ?.shutdown(false)
        .catch((error: unknown) => {
          this.#logger.error({ err: error, executor: alias }, "Error shutting down executor");
        });
    this.#startedExecutors.clear();
  }

  async #reallyStart(paused: boolean): Promise<void> {
    const now = this.#clock.now();
    this.#abort = new AbortController();
    for (const [alias, executor] of this.#executors) {
      await executor.start({ alias });
      this.#startedExecutors.add(alias);
      if (!this.#announced) this.#emitAlias(EXECUTOR_ADDED, "executor_added", alias);
    }
    for (const slot of this.#stores.values()) {
      await this.#startStore(slot);
      if (!this.#announced) this.#emitAlias(STORE_ADDED, "store_added", slot.alias);
    }
    this.#announced = true;
    const persistent = [...this.#stores.values()].some((slot) => slot.persistent);
    const notBefore = now + (this.#startupDelayMs ?? (persistent ? 1000 : 0));
    this.#healthMonitor.start();
    this.#state = paused ? "paused" : "running";
    for (const entry of this.#pending.splice(0)) {
      try {
        await this.#commit(entry.task, entry.replaceExisting, entry.paused);
      } catch (error) {
        this.#addFailed(error, entry.task, "pending task");
      }
    }
    this.#logger.info({ owner: this.#owner }, "Scheduler started");
    this.#emitSimple(SCHEDULER_START, "scheduler_start");
    this.#loop.start(notBefore);
  }

  /**
   * Shuts the scheduler down when the last reference is released: stops the loop, aborts the run
   * signal, shuts the executors down, runs this process's shutdown tasks (awaited), closes stores.
   *
   * @param wait - let running runs finish before returning
   * @returns `true` for the call that really shut the scheduler down, `false` while references remain
   * @throws {@link SchedulerNotRunningError} when the scheduler is not running
   */
  async shutdown(wait = true): Promise<boolean> {
    if (this.#state === "stopped" || this.#refs === 0)
      throw new SchedulerNotRunningError("shutdown");
    this.#refs--;
    if (this.#refs > 0) return false;
    this.#state = "stopped";
    this.#loop.disarm();
    this.#healthMonitor.stop();
    for (const slot of this.#stores.values()) {
      slot.unwatch?.();
      slot.unwatch = undefined;
    }
    await this.#loop.stop();
    this.#abort.abort();
    for (const alias of this.#startedExecutors) {
      try {
        await this.#executors.get(alias)?.shutdown(wait);
      } catch (error) {
        this.#logger.error({ err: error, executor: alias }, "Error shutting down executor");
      }
    }
    this.#startedExecutors.clear();
    await this.#runShutdownTasks();
    for (const slot of this.#stores.values()) {
      try {
        await slot.store?.shutdown();
      } catch (error) {
        this.#logger.error({ err: error, store: slot.alias }, "Error shutting down store");
      }
    }
    this.#logger.info({}, "Scheduler has been shut down");
    this.#emitSimple(SCHEDULER_SHUTDOWN, "scheduler_shutdown");
    return true;
  }

  /**
   * A health report for a health endpoint or a pm2 probe: state, each store's reachability
   * (probed through the store), the locks given in `options`, the next wake-up, runs executing in
   * this process, the last scheduling pass, and the event-loop delay p99 since the previous call.
   *
   * @param options - locks to report (name → "does this process hold it?"), probe timeout
   * @returns the report; an unreachable store is a field, never a rejection
   */
  health(options?: HealthOptions): Promise<SchedulerHealth> {
    return this.#healthMonitor.collect(
      {
        state: this.#state,
        stores: () =>
          [...this.#stores.values()].flatMap((slot) =>
            slot.store === undefined ? [] : [[slot.alias, slot.store] as const],
          ),
        nextWake: () => (this.#loop.dueMs === null ? null : new Date(this.#loop.dueMs)),
        runningCount: () => [...this.#instances.values()].reduce((sum, n) => sum + n, 0),
      },
      options,
    );
  }

  /**
   * Alias of {@link AsyncIOScheduler.shutdown}.
   *
   * @param wait - let running runs finish
   * @returns see `shutdown`
   */
  stop(wait = true): Promise<boolean> {
    return this.shutdown(wait);
  }

  /** `await using scheduler = ...`: shuts down (every remaining reference) when it goes out of scope. */
  async [Symbol.asyncDispose](): Promise<void> {
    if (this.#state === "stopped") return;
    this.#refs = 1;
    await this.shutdown();
  }

  /**
   * Stops running tasks until `resume()`; running runs are not affected.
   *
   * @throws {@link SchedulerNotRunningError} when stopped
   */
  pause(): void {
    if (this.#state === "stopped") throw new SchedulerNotRunningError("pause");
    if (this.#state === "paused") return;
    this.#state = "paused";
    this.#loop.disarm();
    this.#logger.info({}, "Scheduler paused");
    this.#emitSimple(SCHEDULER_PAUSED, "scheduler_paused");
  }

  /**
   * Resumes a paused scheduler; runs that fell due meanwhile follow the misfire rules.
   *
   * @throws {@link SchedulerNotRunningError} when stopped
   */
  resume(): void {
    if (this.#state === "stopped") throw new SchedulerNotRunningError("resume");
    if (this.#state === "running") return;
    this.#state = "running";
    this.#logger.info({}, "Scheduler resumed");
    this.#emitSimple(SCHEDULER_RESUMED, "scheduler_resumed");
    this.#loop.wakeup();
  }

  // ─── stores and executors ────────────────────────────────────────────────────────────────

  /**
   * Adds a store; started at once when the scheduler runs.
   *
   * @param store - an instance or `{ type, ...options }`
   * @param alias - its alias
   * @throws {@link DuplicateAliasError} when the alias is taken
   */
  async addStore(store: Store | StoreConfig, alias = "default"): Promise<void> {
    checkNonEmptyString("alias", alias);
    if (this.#stores.has(alias)) throw new DuplicateAliasError("store", alias);
    const slot = makeStoreSlot(alias, store);
    this.#stores.set(alias, slot);
    if (this.#state !== "stopped") {
      try {
        await this.#startStore(slot);
      } catch (error) {
        this.#stores.delete(alias);
        throw error;
      }
    }
    this.#emitAlias(STORE_ADDED, "store_added", alias);
    if (this.#state === "running") this.#loop.wakeup();
  }

  /**
   * Removes a store (shutting it down; a persistent store keeps its tasks).
   *
   * @param alias - its alias
   * @throws {@link UnknownAliasError} when there is no such store
   */
  async removeStore(alias: string): Promise<void> {
    const slot = this.#stores.get(alias);
    if (slot === undefined) throw new UnknownAliasError("store", alias, [...this.#stores.keys()]);
    this.#stores.delete(alias);
    slot.unwatch?.();
    if (this.#state !== "stopped") await slot.store?.shutdown();
    this.#emitAlias(STORE_REMOVED, "store_removed", alias);
  }

  /**
   * Adds an executor; started at once when the scheduler runs.
   *
   * @param executor - an instance, an alias or `{ type, ...options }`
   * @param alias - its alias
   * @throws {@link DuplicateAliasError} when the alias is taken; `ExecutorConfigError`
   */
  async addExecutor(executor: ExecutorConfig, alias = "default"): Promise<void> {
    checkNonEmptyString("alias", alias);
    if (this.#executors.has(alias)) throw new DuplicateAliasError("executor", alias);
    const instance = createExecutor(executor);
    this.#executors.set(alias, instance);
    if (this.#state !== "stopped") {
      await instance.start({ alias });
      this.#startedExecutors.add(alias);
    }
    this.#emitAlias(EXECUTOR_ADDED, "executor_added", alias);
  }

  /**
   * Removes an executor, shutting it down (waiting for its runs).
   *
   * @param alias - its alias
   * @throws {@link UnknownAliasError} when there is no such executor
   */
  async removeExecutor(alias: string): Promise<void> {
    const executor = this.#executors.get(alias);
    if (executor === undefined)
      throw new UnknownAliasError("executor", alias, [...this.#executors.keys()]);
    this.#executors.delete(alias);
    if (this.#startedExecutors.delete(alias)) await executor.shutdown(true);
    this.#emitAlias(EXECUTOR_REMOVED, "executor_removed", alias);
  }

  // ─── listeners and functions ─────────────────────────────────────────────────────────────

  /**
   * @param callback - called with every event whose code is in `mask`
   * @param mask - OR of event codes @defaultValue ALL_EVENTS
   */
  addListener(callback: EventListener, mask: number = ALL_EVENTS): void {
    this.#events.add(callback, mask);
  }

  /**
   * @param callback - a listener added before
   * @returns whether it was registered
   */
  removeListener(callback: EventListener): boolean {
    return this.#events.remove(callback);
  }

  /**
   * @param name - lowercase event name (`"task_executed"`, ...)
   * @param callback - called with the typed payload
   * @returns a function that unsubscribes
   */
  on<N extends EventName>(name: N, callback: (event: EventPayloads[N]) => void): () => void {
    return this.#events.on(name, callback);
  }

  /**
   * Registers a function under a name, so tasks in persistent stores can refer to it. Every
   * process sharing the store must register the same names.
   *
   * @param name - the name (no `:`)
   * @param fn - the function
   * @throws `FunctionNameConflictError` when another function has the name
   */
  registerFunction(name: string, fn: TaskFunction): void {
    this.#functions.register(name, fn);
  }

  // ─── task API ────────────────────────────────────────────────────────────────────────────

  /**
   * Adds a task: pending until `start()` when stopped, committed to its store when running.
   *
   * @param fnOrTask - a function, a `Task`, a registered name or a module reference
   *   `"./jobs.js:checkStatus"`
   * @param options - task fields, `trigger` (instance or alias) plus its arguments, `store`,
   *   `replaceExisting`; no trigger means "run once, now" (never reported missed)
   * @returns the task
   * @throws `InvalidArgumentError` (and trigger errors) for bad input; `ConflictIdError` for a taken
   *   id; `TaskNotReferencableError` for an anonymous function and a persistent store;
   *   `ModuleReferenceError` for a reference that does not resolve; `UnknownAliasError`
   */
  addTask(fnOrTask: TaskFunction | Task | string, options: AddTaskOptions = {}): Promise<Task> {
    // Not `async`: the common case (a function, a running scheduler) costs one promise, the
    // store's. Every failure still surfaces as a rejection, never as a synchronous throw.
    try {
      const { task, replaceExisting, paused } = prepareTask(this.#input, fnOrTask, options);
      const state = taskState(task);
      if (typeof state.fn === "string" || this.#state === "stopped")
        return this.#addSlowly(task, replaceExisting, paused);
      const slot = this.#storeSlot(state.store);
      const fn = this.#functions.referenceFor(state.fn, slot.persistent, slot.alias, task.id);
      const record = this.#buildRecord(task, fn, paused);
      return this.#store(storeOf(slot), record, replaceExisting).then((stored) => {
        this.#committed(task, slot.alias, stored);
        return task;
      });
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async #addSlowly(task: Task, replaceExisting: boolean, paused: boolean): Promise<Task> {
    const state = taskState(task);
    if (typeof state.fn === "string") await this.#functions.resolve(state.fn);
    if (this.#state === "stopped") {
      this.#pending.push({ task, replaceExisting, paused });
      return task;
    }
    await this.#commit(task, replaceExisting, paused);
    return task;
  }

  /** @internal Called by `new Task({ scheduler })`. */
  registerTask(task: Task): void {
    const { replaceExisting, paused } = prepareTask(this.#input, task, {});
    if (this.#state === "stopped") {
      this.#pending.push({ task, replaceExisting, paused });
      return;
    }
    const state = taskState(task);
    const verify =
      typeof state.fn === "string" ? this.#functions.resolve(state.fn) : Promise.resolve();
    verify
      .then(() => this.#commit(task, replaceExisting, paused))
      .catch((error: unknown) => this.#addFailed(error, task, "task"));
  }

  /** A pending or self-registered task that could not be committed; nobody awaits it. */
  #addFailed(error: unknown, task: Task, what: string): void {
    if (error instanceof ConflictIdError) {
      // Another worker registered it first (SPEC §4.4): theirs stays, this one is dropped. An
      // expected outcome in a cluster, so not a scheduler_error.
      this.#logger.info(
        { taskId: task.id },
        `Task "${task.id}" already exists; keeping the stored one`,
      );
      taskState(task).pending = false;
    } else {
      this.#loopError(error, `Cannot add ${what} "${task.id}"`, task.id);
    }
  }

  /**
   * @param store - only this store's tasks
   * @returns the tasks (pending ones while stopped), each store's by next run time, paused last
   */
  async getTasks(store?: string): Promise<Task[]> {
    const pending = this.#pending
      .filter((entry) => store === undefined || taskState(entry.task).store === store)
      .map((entry) => entry.task);
    if (this.#state === "stopped") return pending;
    const out: Task[] = [...pending];
    for (const slot of this.#selectStores(store))
      for (const record of await storeOf(slot).getAllTasks())
        out.push(this.#records.taskFromRecord(record, slot.alias));
    return out;
  }

  /**
   * @param id - task id
   * @param store - only look in this store
   * @returns the task, or `null`
   */
  async getTask(id: string, store?: string): Promise<Task | null> {
    const found = await this.#find(id, store);
    if (found === null) return null;
    return "task" in found ? found.task : this.#records.taskFromRecord(found.record, found.alias);
  }

  /**
   * Changes any field of a task but its id.
   *
   * @param id - task id
   * @param changes - the fields to change (`nextRunTime: null` pauses)
   * @param store - the store to look in
   * @returns the updated task
   * @throws `TaskLookupError`; `TaskStateError` for an id change; `InvalidArgumentError`
   */
  async updateTask(id: string, changes: TaskChanges, store?: string): Promise<Task> {
    if (typeof changes !== "object" || changes === null)
      throw new InvalidArgumentError("changes", changes, "must be an object");
    if ("id" in changes && (changes as { id: unknown }).id !== id)
      throw new TaskStateError(
        "id",
        (changes as { id: unknown }).id,
        `the id of task "${id}" cannot be changed`,
      );
    if ("store" in changes)
      throw new TaskStateError(
        "store",
        (changes as { store: unknown }).store,
        "a task cannot move between stores; delete it and add it again",
      );
    const patch = checkChanges(this.#input, changes);
    const found = await this.#require(id, store);
    if ("task" in found) {
      Object.assign(taskState(found.task), patch.state);
      if (patch.nextRunTime !== undefined) taskState(found.task).nextRunTime = patch.nextRunTime;
      this.#emitTask(TASK_MODIFIED, "task_modified", id, null);
      return found.task;
    }
    const slot = this.#storeSlot(found.alias);
    const record = found.record;
    let fn = record.fn;
    if (patch.state.fn !== undefined) fn = await this.#records.reference(patch.state.fn, slot, id);
    const updated: TaskRecord = {
      ...record,
      ...(patch.state.name === undefined ? {} : { name: patch.state.name }),
      ...(patch.state.args === undefined ? {} : { args: patch.state.args }),
      ...(patch.state.executor === undefined ? {} : { executor: patch.state.executor }),
      ...(patch.state.mistriggerGraceTime === undefined
        ? {}
        : { mistriggerGraceTime: patch.state.mistriggerGraceTime }),
      ...(patch.state.maxInstances === undefined ? {} : { maxInstances: patch.state.maxInstances }),
      ...(patch.state.coalesce === undefined ? {} : { coalesce: patch.state.coalesce }),
      ...(patch.trigger === undefined ? {} : { trigger: this.#records.triggerJSON(patch.trigger) }),
      ...(patch.nextRunTime === undefined ? {} : { nextRunTime: patch.nextRunTime }),
      fn,
    };
    await storeOf(slot).updateTask(updated);
    this.#emitTask(TASK_MODIFIED, "task_modified", id, found.alias);
    this.#loop.rearm(updated.nextRunTime);
    return this.#records.taskFromRecord(updated, found.alias);
  }

  /**
   * Replaces a task's trigger; the next run time is computed from now.
   *
   * @param id - task id
   * @param options - `{ trigger, ...triggerArgs }` (`trigger` defaults to `"date"`)
   * @param store - the store to look in
   * @returns the updated task
   */
  async rescheduleTask(
    id: string,
    options: { trigger?: TriggerSpec } & TriggerArgs,
    store?: string,
  ): Promise<Task> {
    const { trigger: spec, ...args } = options;
    const trigger = makeTrigger(this.#input, spec ?? "date", args);
    const next = this.#records.firstRunTime(trigger, id);
    return this.updateTask(id, { trigger, nextRunTime: next }, store);
  }

  /**
   * @param id - task id
   * @param store - the store to look in
   * @returns the task, paused (`nextRunTime: null`)
   */
  pauseTask(id: string, store?: string): Promise<Task> {
    return this.updateTask(id, { nextRunTime: null }, store);
  }

  /**
   * Resumes a paused task from now; a task whose trigger has finished is deleted.
   *
   * @param id - task id
   * @param store - the store to look in
   * @returns the task, or `null` when it was deleted
   */
  async resumeTask(id: string, store?: string): Promise<Task | null> {
    const found = await this.#require(id, store);
    const trigger =
      "task" in found ? taskState(found.task).trigger : this.#records.triggerOf(found.record);
    if (trigger === undefined) return "task" in found ? found.task : null;
    const next = this.#records.firstRunTime(trigger, id);
    if (next === null) {
      await this.deleteTask(id, store);
      return null;
    }
    return this.updateTask(id, { nextRunTime: next }, store);
  }

  /**
   * Runs a task now, in this process. Due run times are claimed and consumed (the schedule moves on);
   * with nothing due, `force` runs it once at "now" without touching the schedule. A paused task
   * stays paused.
   *
   * @param id - task id
   * @param options - `force` (default true): run even when nothing is due
   * @returns the task after the run was submitted
   * @throws {@link SchedulerNotRunningError} when stopped; `TaskLookupError`
   */
  async runTask(id: string, options: { force?: boolean; store?: string } = {}): Promise<Task> {
    if (this.#state === "stopped") throw new SchedulerNotRunningError("runTask");
    const found = await this.#require(id, options.store);
    if ("task" in found) throw new TaskLookupError(id);
    const nowMs = this.#clock.now();
    const store = storeOf(this.#storeSlot(found.alias));
    const record = found.record;
    const { runTimes, next } = this.#dispatcher.dueRunTimes(record, nowMs);
    if (runTimes.length > 0 && record.nextRunTime !== null) {
      const won = await store.claimRuns(id, runTimes, this.#owner);
      if (won.length > 0) this.#dispatcher.submit(found.alias, record, won, nowMs, "manual", null);
      const changed = await store.advanceTask(id, record.nextRunTime, next);
      if (changed && next === null) {
        this.#functions.release(record.fn);
        this.#emitTask(TASK_REMOVED, "task_removed", id, found.alias);
      }
      return this.#records.taskFromRecord({ ...record, nextRunTime: next }, found.alias);
    }
    if (options.force !== false)
      this.#dispatcher.submit(found.alias, record, [new Date(nowMs)], nowMs, "manual", null);
    return this.#records.taskFromRecord(record, found.alias);
  }

  /**
   * Deletes a task.
   *
   * @param id - task id
   * @param store - the store to look in
   * @throws `TaskLookupError` when there is no such task
   */
  async deleteTask(id: string, store?: string): Promise<void> {
    const found = await this.#require(id, store);
    if ("task" in found) {
      this.#pending.splice(
        this.#pending.findIndex((entry) => entry.task === found.task),
        1,
      );
      this.#emitTask(TASK_REMOVED, "task_removed", id, null);
      return;
    }
    await storeOf(this.#storeSlot(found.alias)).deleteTask(id);
    this.#functions.release(found.record.fn);
    this.#shutdownTasks.delete(id);
    this.#loop.forget(id);
    this.#logger.info({ taskId: id }, `Removed task "${id}"`);
    this.#emitTask(TASK_REMOVED, "task_removed", id, found.alias);
  }

  /**
   * Deletes every task of one store, or of all stores (and the pending ones).
   *
   * @param store - the store alias; all stores when omitted
   */
  async removeAllTasks(store?: string): Promise<void> {
    for (let i = this.#pending.length - 1; i >= 0; i--) {
      const entry = this.#pending[i];
      if (entry !== undefined && (store === undefined || taskState(entry.task).store === store))
        this.#pending.splice(i, 1);
    }
    if (this.#state !== "stopped")
      for (const slot of this.#selectStores(store)) await storeOf(slot).removeAllTasks();
    if (store === undefined) this.#functions.releaseAll();
    for (const [id, alias] of this.#shutdownTasks)
      if (store === undefined || alias === store) this.#shutdownTasks.delete(id);
    this.#emitAlias(ALL_TASKS_REMOVED, "all_tasks_removed", store ?? null);
  }

  /**
   * The next run times of a task, without changing anything.
   *
   * @param id - task id
   * @param count - how many (1..50) @defaultValue 5
   * @returns up to `count` instants (fewer when the trigger finishes)
   */
  async previewTaskRuns(id: string, count = 5): Promise<Date[]> {
    if (!Number.isInteger(count) || count < 1 || count > 50)
      throw new InvalidArgumentError("count", count, "must be an integer from 1 to 50");
    const found = await this.#require(id);
    const trigger =
      "task" in found ? taskState(found.task).trigger : this.#records.triggerOf(found.record);
    if (trigger === undefined) return [];
    const context = { timezone: this.#timezone, seed: id };
    const now = new Date(this.#clock.now());
    const stored = "task" in found ? taskState(found.task).nextRunTime : found.record.nextRunTime;
    let next: Date | null =
      stored instanceof Date ? stored : trigger.getNextTriggerTime(null, now, context);
    const out: Date[] = [];
    while (next !== null && out.length < count) {
      out.push(next);
      const following: Date | null = trigger.getNextTriggerTime(next, next, context);
      next = following !== null && following.getTime() > next.getTime() ? following : null;
    }
    return out;
  }

  // ─── internals: tasks ────────────────────────────────────────────────────────────────────

  async #commit(task: Task, replaceExisting: boolean, paused: boolean): Promise<void> {
    const state = taskState(task);
    const slot = this.#storeSlot(state.store);
    const store = storeOf(slot);
    const fn =
      typeof state.fn === "function"
        ? this.#functions.referenceFor(state.fn, slot.persistent, slot.alias, task.id)
        : await this.#records.reference(state.fn, slot, task.id);
    const record = this.#buildRecord(task, fn, paused);
    this.#committed(task, slot.alias, await this.#store(store, record, replaceExisting));
  }

  /**
   * Writes a new task record. A replacement keeps a stored run time that is already due (≤ now)
   * and earlier than the new one: that run was not claimed yet (claiming advances the stored time),
   * and recomputing from now would drop it without running it or reporting it missed (SPEC §4.2).
   * The next pass claims it (a peer that ran it meanwhile holds its claim) and advances with the
   * new trigger.
   *
   * @returns the record as stored
   */
  #store(store: Store, record: TaskRecord, replaceExisting: boolean): Promise<TaskRecord> {
    if (!replaceExisting) return store.addTask(record, NO_REPLACE).then(() => record);
    const next = record.nextRunTime;
    if (next === null) return store.addTask(record, REPLACE).then(() => record);
    return store.lookupTask(record.id).then((existing) => {
      const due = existing?.nextRunTime ?? null;
      const kept =
        due !== null && due.getTime() <= this.#clock.now() && due.getTime() < next.getTime()
          ? { ...record, nextRunTime: due }
          : record;
      return store.addTask(kept, REPLACE).then(() => kept);
    });
  }

  #buildRecord(task: Task, fn: string, paused: boolean): TaskRecord {
    const state = taskState(task);
    const trigger = state.trigger as Trigger;
    return {
      id: task.id,
      name: state.name,
      fn,
      args: state.args,
      trigger: this.#records.triggerJSON(trigger),
      executor: state.executor,
      mistriggerGraceTime: state.mistriggerGraceTime ?? null,
      coalesce: state.coalesce ?? this.#defaults.coalesce,
      maxInstances: state.maxInstances ?? this.#defaults.maxInstances,
      nextRunTime: paused
        ? null
        : state.nextRunTime instanceof Date
          ? state.nextRunTime
          : this.#records.firstRunTime(trigger, task.id),
    };
  }

  #committed(task: Task, alias: string, record: TaskRecord): void {
    const state = taskState(task);
    state.pending = false;
    state.nextRunTime = record.nextRunTime;
    if (record.trigger.type === "shutdown") this.#shutdownTasks.set(task.id, alias);
    this.#emitTask(TASK_ADDED, "task_added", task.id, alias);
    this.#loop.rearm(record.nextRunTime);
  }

  async #find(
    id: string,
    store?: string,
  ): Promise<{ task: Task } | { record: TaskRecord; alias: string } | null> {
    const entry = this.#pending.find(
      (e) => e.task.id === id && (store === undefined || taskState(e.task).store === store),
    );
    if (entry !== undefined) return { task: entry.task };
    if (this.#state === "stopped") return null;
    for (const slot of this.#selectStores(store)) {
      const record = await storeOf(slot).lookupTask(id);
      if (record !== null) return { record, alias: slot.alias };
    }
    return null;
  }

  async #require(
    id: string,
    store?: string,
  ): Promise<{ task: Task } | { record: TaskRecord; alias: string }> {
    const found = await this.#find(id, store);
    if (found === null) throw new TaskLookupError(id, store);
    return found;
  }

  async #runShutdownTasks(): Promise<void> {
    for (const [id, alias] of [...this.#shutdownTasks]) {
      this.#shutdownTasks.delete(id);
      const store = this.#stores.get(alias)?.store;
      if (store === undefined) continue;
      try {
        const record = await store.lookupTask(id);
        if (record === null) continue;
        await store.deleteTask(id).catch((error: unknown) => {
          if (!(error instanceof TaskLookupError)) throw error;
        });
        const { fn } = await this.#functions.resolve(record.fn);
        await (fn as (...args: unknown[]) => unknown)(...record.args);
      } catch (error) {
        this.#logger.error({ err: error, taskId: id }, `Shutdown task "${id}" failed`);
      }
    }
  }

  // ─── internals: stores and the loop ──────────────────────────────────────────────────────

  async #startStore(slot: StoreSlot): Promise<void> {
    slot.store ??= await createStore(slot.alias, slot.config);
    const store = slot.store;
    await store.start({
      alias: slot.alias,
      owner: this.#owner,
      lockPath: this.#lockPath?.replaceAll("{store}", slot.alias),
      logger: this.#logger.child({ store: slot.alias }),
      emit: (event) => this.#events.dispatch(event),
    });
    slot.retryAtMs = 0;
    slot.unwatch = store.watch(() => this.#loop.storeChanged(slot));
  }

  #storeSlot(alias: string): StoreSlot {
    const slot = this.#stores.get(alias);
    if (slot === undefined) throw new UnknownAliasError("store", alias, [...this.#stores.keys()]);
    return slot;
  }

  #selectStores(store: string | undefined): StoreSlot[] {
    return store === undefined ? [...this.#stores.values()] : [this.#storeSlot(store)];
  }

  // ─── internals: events ───────────────────────────────────────────────────────────────────

  #loopError(error: unknown, message: string, taskId?: string, store?: string): void {
    this.#logger.error({ err: error, taskId, store }, message);
    if (this.#events.wants(SCHEDULER_ERROR))
      this.#events.dispatch({
        code: SCHEDULER_ERROR,
        name: "scheduler_error",
        store: store ?? null,
        message: `${message}: ${error instanceof Error ? error.message : String(error)}`,
        error,
        ...(taskId === undefined ? {} : { taskId }),
      });
  }

  #emitSimple(
    code: number,
    name: "scheduler_start" | "scheduler_shutdown" | "scheduler_paused" | "scheduler_resumed",
  ): void {
    if (this.#events.wants(code)) this.#events.dispatch({ code, name });
  }

  #emitAlias(
    code: number,
    name:
      | "executor_added"
      | "executor_removed"
      | "store_added"
      | "store_removed"
      | "all_tasks_removed",
    alias: string | null,
  ): void {
    if (this.#events.wants(code)) this.#events.dispatch({ code, name, alias });
  }

  #emitTask(
    code: number,
    name: "task_added" | "task_removed" | "task_modified",
    taskId: string,
    store: string | null,
  ): void {
    if (this.#events.wants(code)) this.#events.dispatch({ code, name, taskId, store });
  }
}

/** Alias of {@link AsyncIOScheduler}. */
export const Scheduler = AsyncIOScheduler;
/** Alias type of {@link AsyncIOScheduler}. */
export type Scheduler = AsyncIOScheduler;
