/**
 * Adding tasks: pending until `start()`, committed to their store when running, the replace rule
 * that never drops a due run, lost id conflicts, lookups across stores, and the shutdown tasks this
 * process added (SPEC §3.1, §4.4, §4.6).
 */
import { ConflictIdError, TaskLookupError } from "../errors.js";
import { TASK_ADDED } from "../events/event-codes.js";
import type { TaskFunction } from "../executors/executor.js";
import type { FunctionRegistry } from "../functions/function-registry.js";
import { type LiveTaskRecord, MemoryStore } from "../stores/memory-store.js";
import type { Store } from "../stores/store.js";
import type { TaskRecord } from "../stores/task-record.js";
import { type Task, taskState } from "../tasks/task.js";
import type { Trigger, TriggerJSON } from "../triggers/trigger.js";
import { hasPlainJSON, rememberedTriggerJSON } from "../triggers/trigger-cache.js";
import type { Clock } from "./clock.js";
import type { Logger } from "./logger.js";
import type { SchedulerComponents } from "./scheduler-components.js";
import type { SchedulerEmitter } from "./scheduler-emitter.js";
import type { ResolvedTaskDefaults } from "./scheduler-options.js";
import type { SchedulingLoop } from "./scheduling-loop.js";
import { type StoreSlot, storeOf } from "./store-slots.js";
import { type AddTaskOptions, prepareTask, type TaskInputContext } from "./task-input.js";
import type { TaskRecords } from "./task-records.js";

const REPLACE = Object.freeze({ replaceExisting: true });
const NO_REPLACE = Object.freeze({ replaceExisting: false });
const RESOLVED: Promise<void> = Promise.resolve();
const memoryAddTask = MemoryStore.prototype.addTask;

/** A record as stored: its trigger in JSON form, or live (memory store, serialised on read). */
type StoredRecord = TaskRecord | LiveTaskRecord;

/**
 * @param slot - a store slot
 * @param trigger - the task's trigger
 * @returns the slot's store when the task may be added with its trigger live: a non-persistent
 *   memory store whose `addTask` is its own (not replaced by a subclass or a test double), and a
 *   trigger whose JSON is the same made now or later
 */
function liveStore(slot: StoreSlot, trigger: Trigger): MemoryStore | undefined {
  const store = storeOf(slot);
  return !slot.persistent &&
    store instanceof MemoryStore &&
    store.addTask === memoryAddTask &&
    hasPlainJSON(trigger)
    ? store
    : undefined;
}

/** A task added while the scheduler was stopped. */
export interface PendingEntry {
  readonly task: Task;
  readonly replaceExisting: boolean;
  /** `nextRunTime: null` given to addTask: add paused. */
  readonly paused: boolean;
}

/** A task found by id: pending (a handle) or stored (a record in a store). */
export type FoundTask = { task: Task } | { record: TaskRecord; alias: string };

/** What task registration needs from its scheduler. */
export interface RegistrationHost {
  readonly clock: Clock;
  readonly defaults: ResolvedTaskDefaults;
  readonly functions: FunctionRegistry;
  readonly records: TaskRecords;
  readonly input: TaskInputContext;
  readonly components: SchedulerComponents;
  readonly emitter: SchedulerEmitter;
  readonly loop: () => SchedulingLoop;
  logger(): Logger;
  /** Whether the scheduler is started (running or paused). */
  started(): boolean;
}

/** The add path and the per-process bookkeeping of tasks. */
export class TaskRegistration {
  /** Tasks added while stopped, committed at `start()`. */
  readonly pending: PendingEntry[] = [];
  /** Shutdown tasks this process added: id → store alias (SPEC §4.6). */
  readonly shutdownTasks = new Map<string, string>();
  readonly #host: RegistrationHost;

  /** @param host - the scheduler */
  constructor(host: RegistrationHost) {
    this.#host = host;
  }

  /**
   * @param fnOrTask - a function, a `Task`, a registered name or a module reference
   * @param options - task fields, trigger and its arguments, `store`, `replaceExisting`
   * @returns the task, once stored (or pending)
   */
  addTask(fnOrTask: TaskFunction | Task | string, options: AddTaskOptions): Promise<Task> {
    // Not `async`: the common case (a function, a running scheduler) costs one promise, the
    // store's. Every failure still surfaces as a rejection, never as a synchronous throw.
    try {
      const host = this.#host;
      const { task, replaceExisting, paused } = prepareTask(host.input, fnOrTask, options);
      const state = taskState(task);
      if (typeof state.fn === "string" || !host.started())
        return this.#addSlowly(task, replaceExisting, paused);
      const slot = host.components.slot(state.store);
      const fn = host.functions.referenceFor(state.fn, slot.persistent, slot.alias, task.id);
      // `task_added` comes after `addTask` returns, from every store (the memory store's fast
      // path in #store answers with a resolved promise).
      return this.#store(task, slot, fn, paused, replaceExisting).then((stored) => {
        this.#committed(task, slot.alias, stored);
        return task;
      });
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * Called by `new Task({ scheduler })`: pending while stopped, else committed in the background.
   *
   * @param task - the task
   */
  registerTask(task: Task): void {
    const host = this.#host;
    const { replaceExisting, paused } = prepareTask(host.input, task, {});
    if (!host.started()) {
      this.pending.push({ task, replaceExisting, paused });
      return;
    }
    const state = taskState(task);
    const verify =
      typeof state.fn === "string" ? host.functions.resolve(state.fn) : Promise.resolve();
    verify
      .then(() => this.#commit(task, replaceExisting, paused))
      .catch((error: unknown) => this.#addFailed(error, task, "task"));
  }

  /** Commits the tasks added while stopped; lost id conflicts are dropped (SPEC §4.4). */
  async commitPending(): Promise<void> {
    for (const entry of this.pending.splice(0)) {
      try {
        await this.#commit(entry.task, entry.replaceExisting, entry.paused);
      } catch (error) {
        this.#addFailed(error, entry.task, "pending task");
      }
    }
  }

  /**
   * @param id - task id
   * @param store - only look in this store
   * @returns the pending task or the stored record, or `null`
   */
  async find(id: string, store?: string): Promise<FoundTask | null> {
    const entry = this.pending.find(
      (e) => e.task.id === id && (store === undefined || taskState(e.task).store === store),
    );
    if (entry !== undefined) return { task: entry.task };
    if (!this.#host.started()) return null;
    for (const slot of this.#host.components.select(store)) {
      const record = await storeOf(slot).lookupTask(id);
      if (record !== null) return { record, alias: slot.alias };
    }
    return null;
  }

  /**
   * @param id - task id
   * @param store - only look in this store
   * @returns the pending task or the stored record
   * @throws `TaskLookupError` when there is no such task
   */
  async require(id: string, store?: string): Promise<FoundTask> {
    const found = await this.find(id, store);
    if (found === null) throw new TaskLookupError(id, store);
    return found;
  }

  /** Runs (awaited, once) the shutdown tasks this process added, deleting each from its store. */
  async runShutdownTasks(): Promise<void> {
    const host = this.#host;
    for (const [id, alias] of [...this.shutdownTasks]) {
      this.shutdownTasks.delete(id);
      const store = host.components.stores.get(alias)?.store;
      if (store === undefined) continue;
      try {
        const record = await store.lookupTask(id);
        if (record === null) continue;
        await store.deleteTask(id).catch((error: unknown) => {
          if (!(error instanceof TaskLookupError)) throw error;
        });
        const { fn } = await host.functions.resolve(record.fn);
        await (fn as (...args: unknown[]) => unknown)(...record.args);
      } catch (error) {
        host.logger().error({ err: error, taskId: id }, `Shutdown task "${id}" failed`);
      }
    }
  }

  async #addSlowly(task: Task, replaceExisting: boolean, paused: boolean): Promise<Task> {
    const state = taskState(task);
    if (typeof state.fn === "string") await this.#host.functions.resolve(state.fn);
    if (!this.#host.started()) {
      this.pending.push({ task, replaceExisting, paused });
      return task;
    }
    await this.#commit(task, replaceExisting, paused);
    return task;
  }

  async #commit(task: Task, replaceExisting: boolean, paused: boolean): Promise<void> {
    const host = this.#host;
    const state = taskState(task);
    const slot = host.components.slot(state.store);
    const fn =
      typeof state.fn === "function"
        ? host.functions.referenceFor(state.fn, slot.persistent, slot.alias, task.id)
        : await host.records.reference(state.fn, slot, task.id);
    this.#committed(task, slot.alias, await this.#store(task, slot, fn, paused, replaceExisting));
  }

  /**
   * Writes the task's record to its store: with the trigger live when the store allows it (see
   * {@link liveStore}), else with the trigger's JSON.
   *
   * @returns the record as stored
   */
  #store(
    task: Task,
    slot: StoreSlot,
    fn: string,
    paused: boolean,
    replaceExisting: boolean,
  ): Promise<StoredRecord> {
    const trigger = taskState(task).trigger as Trigger;
    const fast = liveStore(slot, trigger);
    if (fast !== undefined) {
      const record = this.#buildRecord(task, fn, paused, trigger);
      if (!replaceExisting) {
        // No trigger JSON made now (the store makes it when the record is first read), no
        // promise of the store's.
        fast.addTaskNow(record, false);
        return Promise.resolve(record);
      }
      return this.#replace(fast, record, (kept) => {
        fast.addTaskNow(kept, true);
        return RESOLVED;
      });
    }
    const store = storeOf(slot);
    const record = this.#buildRecord(task, fn, paused, rememberedTriggerJSON(trigger));
    if (!replaceExisting) return store.addTask(record, NO_REPLACE).then(() => record);
    return this.#replace(store, record, (kept) => store.addTask(kept, REPLACE));
  }

  /**
   * Replaces a stored task. Keeps a stored run time that is already due (≤ now) and earlier than
   * the new one: that run was not claimed yet (claiming advances the stored time), and recomputing
   * from now would drop it without running it or reporting it missed (SPEC §4.2). The next pass
   * claims it (a peer that ran it meanwhile holds its claim) and advances with the new trigger.
   *
   * @param store - the store
   * @param record - the new record
   * @param put - writes a record to the store, replacing the stored one
   * @returns the record as stored
   */
  #replace<R extends StoredRecord>(
    store: Store,
    record: R,
    put: (record: R) => Promise<void>,
  ): Promise<R> {
    const next = record.nextRunTime;
    if (next === null) return put(record).then(() => record);
    return store.lookupTask(record.id).then((existing) => {
      const due = existing?.nextRunTime ?? null;
      const kept =
        due !== null && due.getTime() <= this.#host.clock.now() && due.getTime() < next.getTime()
          ? { ...record, nextRunTime: due }
          : record;
      return put(kept).then(() => kept);
    });
  }

  /**
   * @param trigger - the task's trigger: live (memory store fast path) or its JSON form
   * @returns the task's record (field order as in every record, so the JSON is the same)
   */
  #buildRecord<T extends Trigger | TriggerJSON>(
    task: Task,
    fn: string,
    paused: boolean,
    trigger: T,
  ): Omit<TaskRecord, "trigger"> & { readonly trigger: T } {
    const host = this.#host;
    const state = taskState(task);
    const live = state.trigger as Trigger;
    return {
      id: task.id,
      name: state.name,
      fn,
      args: state.args,
      trigger,
      executor: state.executor,
      mistriggerGraceTime: state.mistriggerGraceTime ?? null,
      coalesce: state.coalesce ?? host.defaults.coalesce,
      maxInstances: state.maxInstances ?? host.defaults.maxInstances,
      nextRunTime: paused
        ? null
        : state.nextRunTime instanceof Date
          ? state.nextRunTime
          : host.records.firstRunTime(live, task.id),
    };
  }

  #committed(task: Task, alias: string, record: StoredRecord): void {
    const state = taskState(task);
    state.pending = false;
    state.nextRunTime = record.nextRunTime;
    if (record.trigger.type === "shutdown") this.shutdownTasks.set(task.id, alias);
    this.#host.emitter.task(TASK_ADDED, "task_added", task.id, alias);
    this.#host.loop().rearm(record.nextRunTime);
  }

  /** A pending or self-registered task that could not be committed; nobody awaits it. */
  #addFailed(error: unknown, task: Task, what: string): void {
    if (error instanceof ConflictIdError) {
      // Another worker registered it first (SPEC §4.4): theirs stays, this one is dropped. An
      // expected outcome in a cluster, so not a scheduler_error.
      this.#host
        .logger()
        .info({ taskId: task.id }, `Task "${task.id}" already exists; keeping the stored one`);
      taskState(task).pending = false;
    } else {
      this.#host.emitter.loopError(error, `Cannot add ${what} "${task.id}"`, task.id);
    }
  }
}
