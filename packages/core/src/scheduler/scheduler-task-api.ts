/**
 * The task API of {@link AsyncIOScheduler} (SPEC §3.1), with its contract. Each method delegates
 * to the scheduler's task registration and operations (`task-registration.ts`,
 * `task-operations.ts`); the scheduler class itself holds the options and the lifecycle.
 */
import { SchedulerNotRunningError } from "../errors.js";
import type { TaskFunction } from "../executors/executor.js";
import type { Task, TaskChanges, TaskOwner, TriggerArgs, TriggerSpec } from "../tasks/task.js";
import type { AddTaskOptions } from "./task-input.js";
import type { TaskOperations } from "./task-operations.js";
import type { TaskRegistration } from "./task-registration.js";

/** What the task API delegates to. */
export interface TaskParts {
  readonly registration: TaskRegistration;
  readonly operations: TaskOperations;
}

/** The task methods every scheduler has; see {@link AsyncIOScheduler}. */
export abstract class SchedulerTaskApi implements TaskOwner {
  /** Whether the scheduler is started (also while paused). */
  abstract get running(): boolean;

  /** @internal The scheduler's task registration and operations. */
  protected abstract taskParts(): TaskParts;

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
    return this.taskParts().registration.addTask(fnOrTask, options);
  }

  /** @internal Called by `new Task({ scheduler })`. */
  registerTask(task: Task): void {
    this.taskParts().registration.registerTask(task);
  }

  /**
   * @param store - only this store's tasks
   * @returns the tasks (pending ones while stopped), each store's by next run time, paused last
   */
  getTasks(store?: string): Promise<Task[]> {
    return this.taskParts().operations.getTasks(store);
  }

  /**
   * @param id - task id
   * @param store - only look in this store
   * @returns the task, or `null`
   */
  getTask(id: string, store?: string): Promise<Task | null> {
    return this.taskParts().operations.getTask(id, store);
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
  updateTask(id: string, changes: TaskChanges, store?: string): Promise<Task> {
    return this.taskParts().operations.updateTask(id, changes, store);
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
    return this.taskParts().operations.rescheduleTask(id, options, store);
  }

  /**
   * @param id - task id
   * @param store - the store to look in
   * @returns the task, paused (`nextRunTime: null`)
   */
  pauseTask(id: string, store?: string): Promise<Task> {
    return this.taskParts().operations.updateTask(id, { nextRunTime: null }, store);
  }

  /**
   * Resumes a paused task from now; a task whose trigger has finished is deleted.
   *
   * @param id - task id
   * @param store - the store to look in
   * @returns the task, or `null` when it was deleted
   */
  resumeTask(id: string, store?: string): Promise<Task | null> {
    return this.taskParts().operations.resumeTask(id, store);
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
    if (!this.running) throw new SchedulerNotRunningError("runTask");
    return this.taskParts().operations.runTask(id, options);
  }

  /**
   * Deletes a task.
   *
   * @param id - task id
   * @param store - the store to look in
   * @throws `TaskLookupError` when there is no such task
   */
  deleteTask(id: string, store?: string): Promise<void> {
    return this.taskParts().operations.deleteTask(id, store);
  }

  /**
   * Deletes every task of one store, or of all stores (and the pending ones).
   *
   * @param store - the store alias; all stores when omitted
   */
  removeAllTasks(store?: string): Promise<void> {
    return this.taskParts().operations.removeAllTasks(store);
  }

  /**
   * The next run times of a task, without changing anything.
   *
   * @param id - task id
   * @param count - how many (1..50) @defaultValue 5
   * @returns up to `count` instants (fewer when the trigger finishes)
   */
  previewTaskRuns(id: string, count = 5): Promise<Date[]> {
    return this.taskParts().operations.previewTaskRuns(id, count);
  }
}
