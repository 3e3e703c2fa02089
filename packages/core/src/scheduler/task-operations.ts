/**
 * The task API beyond adding: read, update, reschedule, resume, run now, delete, preview
 * (SPEC §3.1). Each works on pending tasks (handles) while stopped and on store records while
 * running.
 */
import { InvalidArgumentError, TaskLookupError, TaskStateError } from "../errors.js";
import { ALL_TASKS_REMOVED, TASK_MODIFIED, TASK_REMOVED } from "../events/event-codes.js";
import type { FunctionRegistry } from "../functions/function-registry.js";
import type { TaskRecord } from "../stores/task-record.js";
import {
  type Task,
  type TaskChanges,
  type TriggerArgs,
  type TriggerSpec,
  taskState,
} from "../tasks/task.js";
import type { Clock } from "./clock.js";
import type { Logger } from "./logger.js";
import type { RunDispatcher } from "./run-dispatcher.js";
import type { SchedulerComponents } from "./scheduler-components.js";
import type { SchedulerEmitter } from "./scheduler-emitter.js";
import type { SchedulingLoop } from "./scheduling-loop.js";
import { storeOf } from "./store-slots.js";
import { checkChanges, makeTrigger, type TaskInputContext } from "./task-input.js";
import type { TaskRecords } from "./task-records.js";
import type { TaskRegistration } from "./task-registration.js";

/** What the task operations need from their scheduler. */
export interface OperationsHost {
  readonly clock: Clock;
  readonly owner: string;
  readonly timezone: string;
  readonly functions: FunctionRegistry;
  readonly records: TaskRecords;
  readonly input: TaskInputContext;
  readonly components: SchedulerComponents;
  readonly registration: TaskRegistration;
  readonly dispatcher: RunDispatcher;
  readonly emitter: SchedulerEmitter;
  readonly loop: () => SchedulingLoop;
  logger(): Logger;
  /** Whether the scheduler is started (running or paused). */
  started(): boolean;
}

/** See the methods of the same names on `AsyncIOScheduler`, which documents them. */
export class TaskOperations {
  readonly #host: OperationsHost;

  /** @param host - the scheduler */
  constructor(host: OperationsHost) {
    this.#host = host;
  }

  /**
   * @param store - only this store's tasks
   * @returns pending tasks, then each store's tasks
   */
  async getTasks(store?: string): Promise<Task[]> {
    const host = this.#host;
    const out = host.registration.pending
      .filter((entry) => store === undefined || taskState(entry.task).store === store)
      .map((entry) => entry.task);
    if (!host.started()) return out;
    for (const slot of host.components.select(store))
      for (const record of await storeOf(slot).getAllTasks())
        out.push(host.records.taskFromRecord(record, slot.alias));
    return out;
  }

  /**
   * @param id - task id
   * @param store - only look in this store
   * @returns the task, or `null`
   */
  async getTask(id: string, store?: string): Promise<Task | null> {
    const found = await this.#host.registration.find(id, store);
    if (found === null) return null;
    return "task" in found
      ? found.task
      : this.#host.records.taskFromRecord(found.record, found.alias);
  }

  /**
   * @param id - task id
   * @param changes - the fields to change
   * @param store - the store to look in
   * @returns the updated task
   */
  async updateTask(id: string, changes: TaskChanges, store?: string): Promise<Task> {
    const host = this.#host;
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
    const patch = checkChanges(host.input, changes);
    const found = await host.registration.require(id, store);
    if ("task" in found) {
      Object.assign(taskState(found.task), patch.state);
      if (patch.nextRunTime !== undefined) taskState(found.task).nextRunTime = patch.nextRunTime;
      host.emitter.task(TASK_MODIFIED, "task_modified", id, null);
      return found.task;
    }
    const slot = host.components.slot(found.alias);
    const record = found.record;
    let fn = record.fn;
    if (patch.state.fn !== undefined) fn = await host.records.reference(patch.state.fn, slot, id);
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
      ...(patch.trigger === undefined ? {} : { trigger: host.records.triggerJSON(patch.trigger) }),
      ...(patch.nextRunTime === undefined ? {} : { nextRunTime: patch.nextRunTime }),
      fn,
    };
    await storeOf(slot).updateTask(updated);
    host.emitter.task(TASK_MODIFIED, "task_modified", id, found.alias);
    host.loop().rearm(updated.nextRunTime);
    return host.records.taskFromRecord(updated, found.alias);
  }

  /**
   * @param id - task id
   * @param options - `{ trigger, ...triggerArgs }`
   * @param store - the store to look in
   * @returns the updated task
   */
  rescheduleTask(
    id: string,
    options: { trigger?: TriggerSpec } & TriggerArgs,
    store?: string,
  ): Promise<Task> {
    const { trigger: spec, ...args } = options;
    const trigger = makeTrigger(this.#host.input, spec ?? "date", args);
    const next = this.#host.records.firstRunTime(trigger, id);
    return this.updateTask(id, { trigger, nextRunTime: next }, store);
  }

  /**
   * @param id - task id
   * @param store - the store to look in
   * @returns the task, or `null` when it was deleted
   */
  async resumeTask(id: string, store?: string): Promise<Task | null> {
    const host = this.#host;
    const found = await host.registration.require(id, store);
    const trigger =
      "task" in found ? taskState(found.task).trigger : host.records.triggerOf(found.record);
    if (trigger === undefined) return "task" in found ? found.task : null;
    const next = host.records.firstRunTime(trigger, id);
    if (next === null) {
      await this.deleteTask(id, store);
      return null;
    }
    return this.updateTask(id, { nextRunTime: next }, store);
  }

  /**
   * @param id - task id
   * @param options - `force`, `store`
   * @returns the task after the run was submitted
   */
  async runTask(id: string, options: { force?: boolean; store?: string }): Promise<Task> {
    const host = this.#host;
    const found = await host.registration.require(id, options.store);
    if ("task" in found) throw new TaskLookupError(id);
    const nowMs = host.clock.now();
    const store = storeOf(host.components.slot(found.alias));
    const record = found.record;
    const { runTimes, next } = host.dispatcher.dueRunTimes(record, nowMs);
    if (runTimes.length > 0 && record.nextRunTime !== null) {
      const won = await store.claimRuns(id, runTimes, host.owner);
      if (won.length > 0) host.dispatcher.submit(found.alias, record, won, nowMs, "manual", null);
      const changed = await store.advanceTask(id, record.nextRunTime, next);
      if (changed && next === null) {
        host.functions.release(record.fn);
        host.emitter.task(TASK_REMOVED, "task_removed", id, found.alias);
      }
      return host.records.taskFromRecord({ ...record, nextRunTime: next }, found.alias);
    }
    if (options.force !== false)
      host.dispatcher.submit(found.alias, record, [new Date(nowMs)], nowMs, "manual", null);
    return host.records.taskFromRecord(record, found.alias);
  }

  /**
   * @param id - task id
   * @param store - the store to look in
   */
  async deleteTask(id: string, store?: string): Promise<void> {
    const host = this.#host;
    const registration = host.registration;
    const found = await registration.require(id, store);
    if ("task" in found) {
      registration.pending.splice(
        registration.pending.findIndex((entry) => entry.task === found.task),
        1,
      );
      host.emitter.task(TASK_REMOVED, "task_removed", id, null);
      return;
    }
    await storeOf(host.components.slot(found.alias)).deleteTask(id);
    host.functions.release(found.record.fn);
    registration.shutdownTasks.delete(id);
    host.loop().forget(id);
    host.logger().info({ taskId: id }, `Removed task "${id}"`);
    host.emitter.task(TASK_REMOVED, "task_removed", id, found.alias);
  }

  /** @param store - the store alias; all stores when omitted */
  async removeAllTasks(store?: string): Promise<void> {
    const host = this.#host;
    const { pending, shutdownTasks } = host.registration;
    for (let i = pending.length - 1; i >= 0; i--) {
      const entry = pending[i];
      if (entry !== undefined && (store === undefined || taskState(entry.task).store === store))
        pending.splice(i, 1);
    }
    if (host.started())
      for (const slot of host.components.select(store)) await storeOf(slot).removeAllTasks();
    if (store === undefined) host.functions.releaseAll();
    for (const [id, alias] of shutdownTasks)
      if (store === undefined || alias === store) shutdownTasks.delete(id);
    host.emitter.alias(ALL_TASKS_REMOVED, "all_tasks_removed", store ?? null);
  }

  /**
   * @param id - task id
   * @param count - how many (1..50)
   * @returns up to `count` instants
   */
  async previewTaskRuns(id: string, count: number): Promise<Date[]> {
    const host = this.#host;
    if (!Number.isInteger(count) || count < 1 || count > 50)
      throw new InvalidArgumentError("count", count, "must be an integer from 1 to 50");
    const found = await host.registration.require(id);
    const trigger =
      "task" in found ? taskState(found.task).trigger : host.records.triggerOf(found.record);
    if (trigger === undefined) return [];
    const context = { timezone: host.timezone, seed: id };
    const now = new Date(host.clock.now());
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
}
