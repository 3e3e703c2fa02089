/**
 * `Task` (SPEC §3.2): a task's definition plus the methods that change it through its scheduler.
 */
import { InvalidArgumentError, TaskStateError } from "../errors.js";
import type { TaskFunction } from "../executors/executor.js";
import type { Trigger } from "../triggers/trigger.js";
import {
  checkArgs,
  checkCoalesce,
  checkFn,
  checkGraceTime,
  checkKnownKeys,
  checkMaxInstances,
  checkNextRunTime,
  checkNonEmptyString,
  generateTaskId,
} from "./task-fields.js";

/** Where a task stands: not yet committed to a store, paused, or waiting for its next run. */
export type TaskScheduleState = "pending" | "paused" | "scheduled";

/** Trigger arguments (`{ trigger: "cron", hour: 10 }`): everything besides the alias. */
export type TriggerArgs = Record<string, unknown>;

/** A trigger given as an instance, or as an alias whose arguments sit beside it. */
export type TriggerSpec = Trigger | string;

/** What a scheduler offers the tasks it owns. Implemented by `AsyncIOScheduler`. */
export interface TaskOwner {
  /**
   * Registers a task constructed with `scheduler` (pending until start, or committed at once).
   * @internal
   */
  registerTask(task: Task): void;
  updateTask(id: string, changes: TaskChanges, store?: string): Promise<Task>;
  rescheduleTask(
    id: string,
    options: { trigger?: TriggerSpec } & TriggerArgs,
    store?: string,
  ): Promise<Task>;
  pauseTask(id: string, store?: string): Promise<Task>;
  resumeTask(id: string, store?: string): Promise<Task | null>;
  deleteTask(id: string, store?: string): Promise<void>;
}

/** Options of `new Task(...)`. */
export interface TaskOptions {
  /** Unique id. @defaultValue 32 random lowercase hex characters */
  readonly id?: string;
  /** Readable name. @defaultValue the function's name, else the reference, else the id */
  readonly name?: string;
  /** The function, a registered name, or a module reference `"./jobs.js:checkStatus"`. */
  readonly fn: TaskFunction | string;
  /** Positional arguments. @defaultValue [] */
  readonly args?: readonly unknown[];
  /** The trigger instance (aliases with arguments go to `addTask`/`reschedule`). @defaultValue run once, now */
  readonly trigger?: Trigger;
  /** Executor alias. @defaultValue "default" */
  readonly executor?: string;
  /** Store alias. @defaultValue "default" */
  readonly store?: string;
  /** Seconds a run may be late; `null` = no limit. @defaultValue the scheduler's taskDefaults (60) */
  readonly mistriggerGraceTime?: number | null;
  /** Most concurrent runs in one process. @defaultValue the scheduler's taskDefaults (1) */
  readonly maxInstances?: number;
  /** Run a backlog once. @defaultValue the scheduler's taskDefaults (true) */
  readonly coalesce?: boolean;
  /** First run time (`null` here does not pause: SPEC §3.2). @defaultValue from the trigger */
  readonly nextRunTime?: Date | string | null;
  /** Registers the task with this scheduler (pending until `start()`, or at once if running). */
  readonly scheduler?: TaskOwner;
}

/** Fields `update()` may change: everything but the id (and the store). */
export interface TaskChanges {
  readonly name?: string;
  readonly fn?: TaskFunction | string;
  readonly args?: readonly unknown[];
  readonly trigger?: Trigger;
  readonly executor?: string;
  readonly mistriggerGraceTime?: number | null;
  readonly maxInstances?: number;
  readonly coalesce?: boolean;
  /** A new next run time; `null` pauses. */
  readonly nextRunTime?: Date | string | null;
  /** Refused: ids are immutable (a typed error says so). */
  readonly id?: never;
}

/** Mutable state behind a {@link Task}; only the scheduler writes it. */
export interface TaskState {
  name: string;
  fn: TaskFunction | string;
  args: readonly unknown[];
  trigger: Trigger | undefined;
  executor: string;
  store: string;
  mistriggerGraceTime: number | null | undefined;
  maxInstances: number | undefined;
  coalesce: boolean | undefined;
  /** `undefined` = to be computed from the trigger at commit. */
  nextRunTime: Date | null | undefined;
  pending: boolean;
  /** Whether `addTask` has seen this object (a Task is added once). */
  submitted: boolean;
  owner: TaskOwner | undefined;
}

const TASK_KEYS: ReadonlySet<string> = new Set([
  "id",
  "name",
  "fn",
  "args",
  "trigger",
  "executor",
  "store",
  "mistriggerGraceTime",
  "maxInstances",
  "coalesce",
  "nextRunTime",
  "scheduler",
]);

/** Shared by every task without arguments (frozen: nothing may push into it). */
const NO_ARGS: readonly unknown[] = Object.freeze([]);

let readState: (task: Task) => TaskState;

/**
 * @param task - a task
 * @returns its mutable state (scheduler-internal; not exported from the package)
 */
export function taskState(task: Task): TaskState {
  return readState(task);
}

/**
 * @param fn - a function or a reference
 * @returns a default task name for it
 */
export function defaultTaskName(fn: TaskFunction | string, id: string): string {
  if (typeof fn === "function") return fn.name === "" ? id : fn.name;
  return fn;
}

/**
 * A task: what to run (`fn`, `args`), when (`trigger`), and how (executor, grace, coalescing,
 * concurrency).
 *
 * @remarks
 * A `Task` is a handle: the store holds the authoritative copy. Its fields are those of the last
 * time this object was read or changed; `scheduler.getTask(id)` returns a fresh one.
 */
export class Task {
  readonly #id: string;
  #state: TaskState;

  static {
    readState = (task) => task.#state;
  }

  /**
   * @param options - the task fields; with `scheduler`, the task registers itself
   * @throws {@link InvalidArgumentError} naming the first bad or unknown field
   */
  constructor(options: TaskOptions) {
    if (typeof options !== "object" || options === null)
      throw new InvalidArgumentError("options", options, "must be an object with at least fn");
    checkKnownKeys(options, TASK_KEYS, "Task");
    const fn = checkFn(options.fn);
    this.#id = options.id === undefined ? generateTaskId() : checkNonEmptyString("id", options.id);
    if (options.trigger !== undefined && !isTrigger(options.trigger))
      throw new InvalidArgumentError(
        "trigger",
        options.trigger,
        "must be a trigger instance here (aliases with arguments go to addTask or reschedule)",
      );
    this.#state = {
      name:
        options.name === undefined
          ? defaultTaskName(fn, this.id)
          : checkNonEmptyString("name", options.name),
      fn,
      args: options.args === undefined ? NO_ARGS : checkArgs(options.args),
      trigger: options.trigger,
      executor:
        options.executor === undefined
          ? "default"
          : checkNonEmptyString("executor", options.executor),
      store: options.store === undefined ? "default" : checkNonEmptyString("store", options.store),
      mistriggerGraceTime:
        options.mistriggerGraceTime === undefined
          ? undefined
          : checkGraceTime(options.mistriggerGraceTime),
      maxInstances:
        options.maxInstances === undefined ? undefined : checkMaxInstances(options.maxInstances),
      coalesce: options.coalesce === undefined ? undefined : checkCoalesce(options.coalesce),
      // SPEC §3.2: null given to the constructor does not pause; it means "from the trigger".
      nextRunTime:
        options.nextRunTime === undefined || options.nextRunTime === null
          ? undefined
          : (checkNextRunTime(options.nextRunTime) ?? undefined),
      pending: true,
      submitted: false,
      owner: undefined,
    };
    if (options.scheduler !== undefined) options.scheduler.registerTask(this);
  }

  /** The id (immutable). */
  get id(): string {
    return this.#id;
  }
  /**
   * Ids are immutable: assigning one throws (TypeScript rejects the assignment already).
   *
   * @throws {@link TaskStateError} always
   */
  set id(value: never) {
    throw new TaskStateError("id", value, `the id of task "${this.#id}" cannot be changed`);
  }

  /** Readable name. */
  get name(): string {
    return this.#state.name;
  }
  /** The function, or its reference when this process has not resolved it. */
  get fn(): TaskFunction | string {
    return this.#state.fn;
  }
  /** Positional arguments. */
  get args(): readonly unknown[] {
    return this.#state.args;
  }
  /** The trigger (`undefined` until added, when none was given: "run once, now"). */
  get trigger(): Trigger | undefined {
    return this.#state.trigger;
  }
  /** Executor alias. */
  get executor(): string {
    return this.#state.executor;
  }
  /** Store alias. */
  get store(): string {
    return this.#state.store;
  }
  /** Grace in seconds (`null`: no limit; `undefined` until the scheduler applies its defaults). */
  get mistriggerGraceTime(): number | null | undefined {
    return this.#state.mistriggerGraceTime;
  }
  /** Most concurrent runs in one process (`undefined` until defaults apply). */
  get maxInstances(): number | undefined {
    return this.#state.maxInstances;
  }
  /** Whether a backlog runs once (`undefined` until defaults apply). */
  get coalesce(): boolean | undefined {
    return this.#state.coalesce;
  }
  /** Next run time; `null` = paused (`undefined` while pending without an explicit time). */
  get nextRunTime(): Date | null | undefined {
    return this.#state.nextRunTime;
  }
  /** `"pending"` until committed to a store, then `"paused"` or `"scheduled"`. */
  get scheduleState(): TaskScheduleState {
    if (this.#state.pending) return "pending";
    return this.#state.nextRunTime === null ? "paused" : "scheduled";
  }

  /**
   * Changes any field but the id.
   *
   * @param changes - the fields to change
   * @returns this task, refreshed
   * @throws `TaskStateError` for an id change or a task without a scheduler; `InvalidArgumentError`
   *   for a bad value; `TaskLookupError` when the task is gone
   */
  async update(changes: TaskChanges): Promise<Task> {
    if (typeof changes === "object" && changes !== null && "id" in changes)
      throw new TaskStateError(
        "id",
        (changes as { id: unknown }).id,
        `the id of task "${this.id}" cannot be changed`,
      );
    await this.#owner("update").updateTask(this.id, changes, this.#state.store);
    return this;
  }

  /**
   * Replaces the trigger and computes the next run time from now.
   *
   * @param options - `{ trigger, ...triggerArgs }`
   * @returns this task, refreshed
   */
  async reschedule(options: { trigger?: TriggerSpec } & TriggerArgs): Promise<Task> {
    await this.#owner("reschedule").rescheduleTask(this.id, options, this.#state.store);
    return this;
  }

  /** @returns this task, paused */
  async pause(): Promise<Task> {
    await this.#owner("pause").pauseTask(this.id, this.#state.store);
    return this;
  }

  /** @returns this task, resumed (deleted when its trigger has finished) */
  async resume(): Promise<Task> {
    await this.#owner("resume").resumeTask(this.id, this.#state.store);
    return this;
  }

  /** Deletes the task. */
  async delete(): Promise<void> {
    await this.#owner("delete").deleteTask(this.id, this.#state.store);
  }

  /** @returns `"<name> (trigger: <trigger>, next run at: <ISO>)"`, or `paused` / `pending` */
  toString(): string {
    const trigger = this.#state.trigger === undefined ? "now" : String(this.#state.trigger);
    const when =
      this.scheduleState === "pending"
        ? "pending"
        : this.#state.nextRunTime === null || this.#state.nextRunTime === undefined
          ? "paused"
          : `next run at: ${this.#state.nextRunTime.toISOString()}`;
    return `${this.#state.name} (trigger: ${trigger}, ${when})`;
  }

  #owner(operation: string): TaskOwner {
    const owner = this.#state.owner;
    if (owner === undefined)
      throw new TaskStateError(
        "task",
        this.id,
        `${operation}() needs a task added to a scheduler (new Task({ ..., scheduler }) or scheduler.addTask(task))`,
      );
    return owner;
  }
}

// Keeps the hidden classes of `Task` objects alive. V8 gives every object a hidden class (a map);
// the ones made by adding the private fields in the constructor are kept only while some object
// uses them. An application that drops the handles `addTask` returns (the usual case) leaves none
// alive, so every full garbage collection dropped those classes and with them the optimised code
// of the whole add path, which then ran unoptimised until it was compiled again (~30 ms of
// compiling; adds 2–4× slower meanwhile). One handle that lives as long as the module avoids it
// (exported so that it is a module binding, which lives as long as the module: a local one would
// be collected after the module ran).
/** @internal A `Task` that is never collected; see the comment above. */
export const TASK_SHAPE_KEEPER = new Task({ id: "(shape)", fn: "(shape)" });

/**
 * @param value - anything
 * @returns whether it implements the trigger port
 */
export function isTrigger(value: unknown): value is Trigger {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Trigger).getNextTriggerTime === "function" &&
    typeof (value as Trigger).toJSON === "function" &&
    typeof (value as Trigger).type === "string"
  );
}
