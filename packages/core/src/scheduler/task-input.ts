/**
 * Turning `addTask` / `updateTask` input into task state: option splitting (task fields vs trigger
 * arguments), defaults, trigger construction and validation. Nothing is changed before every
 * field has been checked.
 */
import { InvalidArgumentError, TaskStateError, UnknownAliasError } from "../errors.js";
import type { TaskFunction } from "../executors/executor.js";
import type { FunctionRegistry } from "../functions/function-registry.js";
import {
  defaultTaskName,
  isTrigger,
  Task,
  type TaskChanges,
  type TaskOptions,
  type TaskOwner,
  type TaskState,
  type TriggerArgs,
  type TriggerSpec,
  taskState,
} from "../tasks/task.js";
import {
  checkArgs,
  checkCoalesce,
  checkFn,
  checkGraceTime,
  checkMaxInstances,
  checkNextRunTime,
  checkNonEmptyString,
} from "../tasks/task-fields.js";
import { createTrigger } from "../triggers/create-trigger.js";
import type { Trigger } from "../triggers/trigger.js";
import type { ResolvedTaskDefaults } from "./scheduler-options.js";
import type { StoreSlot } from "./store-slots.js";

/** Options of `addTask` besides the function (SPEC §3.1); other keys are trigger arguments. */
export interface AddTaskOptions extends TriggerArgs {
  readonly trigger?: TriggerSpec;
  readonly args?: readonly unknown[];
  readonly id?: string;
  readonly name?: string;
  readonly mistriggerGraceTime?: number | null;
  readonly coalesce?: boolean;
  readonly maxInstances?: number;
  /** First run time; `null` adds the task paused. */
  readonly nextRunTime?: Date | string | null;
  readonly store?: string;
  readonly executor?: string;
  /** Overwrite a task with the same id. @defaultValue false */
  readonly replaceExisting?: boolean;
}

/** The `addTask` options that are `Task` fields (copied into `new Task`). */
const TASK_FIELD_KEYS = [
  "id",
  "name",
  "args",
  "executor",
  "store",
  "mistriggerGraceTime",
  "maxInstances",
  "coalesce",
  "nextRunTime",
] as const;

const TASK_OPTION_KEYS = new Set([
  "trigger",
  "args",
  "id",
  "name",
  "mistriggerGraceTime",
  "coalesce",
  "maxInstances",
  "nextRunTime",
  "store",
  "executor",
  "replaceExisting",
]);

/** What task input handling needs from the scheduler. */
export interface TaskInputContext {
  readonly defaults: ResolvedTaskDefaults;
  readonly functions: FunctionRegistry;
  readonly owner: TaskOwner;
  now(): number;
  storeSlot(alias: string): StoreSlot;
  hasExecutor(alias: string): boolean;
  executorAliases(): string[];
}

/**
 * Builds (or takes) the `Task` for `addTask`, applies `options`, the trigger and the defaults, and
 * checks the store, the executor and the function's referencability.
 *
 * @param ctx - the scheduler's side
 * @param fnOrTask - a function, a `Task`, or a reference
 * @param options - `addTask` options; unknown keys are trigger arguments
 * @returns the task, whether to replace an existing one, and whether to add it paused
 * @throws InvalidArgumentError and its subclasses; `TaskStateError` for a Task added twice or an id
 *   change; `UnknownAliasError`; `TaskNotReferencableError`; `FunctionNameConflictError`
 */
export function prepareTask(
  ctx: TaskInputContext,
  fnOrTask: TaskFunction | Task | string,
  options: AddTaskOptions,
): { task: Task; replaceExisting: boolean; paused: boolean } {
  if (typeof options !== "object" || options === null)
    throw new InvalidArgumentError("options", options, "must be an object");
  const triggerArgs: Record<string, unknown> = {};
  for (const key of Object.keys(options))
    if (!TASK_OPTION_KEYS.has(key)) triggerArgs[key] = (options as Record<string, unknown>)[key];
  let task: Task;
  if (fnOrTask instanceof Task) {
    task = fnOrTask;
    const state = taskState(task);
    if (state.submitted)
      throw new TaskStateError("task", task.id, "this Task was already added to a scheduler");
    if (options.id !== undefined && options.id !== task.id)
      throw new TaskStateError("id", options.id, `the id of task "${task.id}" cannot be changed`);
    const patch = checkChanges(ctx, {
      ...(options.name === undefined ? {} : { name: options.name }),
      ...(options.args === undefined ? {} : { args: options.args }),
      ...(options.executor === undefined ? {} : { executor: options.executor }),
      ...(options.mistriggerGraceTime === undefined
        ? {}
        : { mistriggerGraceTime: options.mistriggerGraceTime }),
      ...(options.maxInstances === undefined ? {} : { maxInstances: options.maxInstances }),
      ...(options.coalesce === undefined ? {} : { coalesce: options.coalesce }),
    });
    Object.assign(state, patch.state);
    if (options.store !== undefined) state.store = checkNonEmptyString("store", options.store);
    if (options.nextRunTime !== undefined && options.nextRunTime !== null)
      state.nextRunTime = checkNextRunTime(options.nextRunTime);
  } else {
    // Built key by key: this is the hot path of addTask, so no spread temporaries.
    const taskOptions: Record<string, unknown> = { fn: checkFn(fnOrTask) };
    for (const key of TASK_FIELD_KEYS) {
      const value = (options as Record<string, unknown>)[key];
      if (value !== undefined && value !== null) taskOptions[key] = value;
      else if (value === null && key === "mistriggerGraceTime") taskOptions[key] = null;
    }
    task = new Task(taskOptions as unknown as TaskOptions);
  }
  const state = taskState(task);
  if (options.trigger !== undefined) state.trigger = makeTrigger(ctx, options.trigger, triggerArgs);
  else if (Object.keys(triggerArgs).length > 0) makeTrigger(ctx, undefined, triggerArgs);
  if (state.trigger === undefined) {
    // "Run once, now": never reported missed unless the caller set a grace time.
    state.trigger = createTrigger("date", {}, { now: new Date(ctx.now()) });
    if (state.mistriggerGraceTime === undefined) state.mistriggerGraceTime = null;
  }
  if (state.mistriggerGraceTime === undefined)
    state.mistriggerGraceTime = ctx.defaults.mistriggerGraceTime;
  state.coalesce ??= ctx.defaults.coalesce;
  state.maxInstances ??= ctx.defaults.maxInstances;
  const slot = ctx.storeSlot(state.store);
  if (!ctx.hasExecutor(state.executor))
    throw new UnknownAliasError("executor", state.executor, ctx.executorAliases());
  if (typeof state.fn === "function")
    ctx.functions.referenceFor(state.fn, slot.persistent, slot.alias, task.id);
  if (state.name === task.id && typeof state.fn === "function" && state.fn.name !== "")
    state.name = defaultTaskName(state.fn, task.id);
  state.submitted = true;
  state.owner = ctx.owner;
  return {
    task,
    replaceExisting: options.replaceExisting === true,
    paused: options.nextRunTime === null,
  };
}

/**
 * Validates `updateTask` changes (every field but the id and the store).
 *
 * @param ctx - the scheduler's side
 * @param changes - the requested changes
 * @returns the checked task-state patch, the new trigger and the new next run time, if any
 * @throws InvalidArgumentError naming the first bad or unknown field; `UnknownAliasError`
 */
export function checkChanges(
  ctx: TaskInputContext,
  changes: TaskChanges,
): {
  state: Partial<TaskState>;
  trigger: Trigger | undefined;
  nextRunTime: Date | null | undefined;
} {
  const state: Partial<TaskState> = {};
  let trigger: Trigger | undefined;
  let nextRunTime: Date | null | undefined;
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    switch (key) {
      case "name":
        state.name = checkNonEmptyString("name", value);
        break;
      case "fn":
        state.fn = checkFn(value);
        break;
      case "args":
        state.args = checkArgs(value);
        break;
      case "executor": {
        const alias = checkNonEmptyString("executor", value);
        if (!ctx.hasExecutor(alias))
          throw new UnknownAliasError("executor", alias, ctx.executorAliases());
        state.executor = alias;
        break;
      }
      case "mistriggerGraceTime":
        state.mistriggerGraceTime = checkGraceTime(value);
        break;
      case "maxInstances":
        state.maxInstances = checkMaxInstances(value);
        break;
      case "coalesce":
        state.coalesce = checkCoalesce(value);
        break;
      case "trigger":
        if (!isTrigger(value))
          throw new InvalidArgumentError(
            "trigger",
            value,
            "must be a trigger instance (use reschedule() for an alias with arguments)",
          );
        trigger = value;
        state.trigger = value;
        break;
      case "nextRunTime":
        nextRunTime = checkNextRunTime(value);
        break;
      default:
        throw new InvalidArgumentError(
          key,
          value,
          "is not a modifiable task field; known: name, fn, args, trigger, executor, mistriggerGraceTime, maxInstances, coalesce, nextRunTime",
        );
    }
  }
  return { state, trigger, nextRunTime };
}

/**
 * @param ctx - the scheduler's side (its clock is the trigger's construction time)
 * @param spec - a trigger instance, an alias, or nothing
 * @param args - trigger arguments (only with an alias)
 * @returns the trigger (`undefined` passes through when `spec` is undefined and there are no args)
 * @throws InvalidArgumentError for arguments without an alias; the trigger's own errors
 */
export function makeTrigger(
  ctx: TaskInputContext,
  spec: TriggerSpec | undefined,
  args: Record<string, unknown>,
): Trigger {
  if (spec === undefined || isTrigger(spec)) {
    const [key] = Object.keys(args);
    if (key !== undefined)
      throw new InvalidArgumentError(
        key,
        args[key],
        'is not an option of addTask; trigger arguments go with a trigger alias ({ trigger: "interval", minutes: 5 })',
      );
    return spec as Trigger;
  }
  if (typeof spec !== "string")
    throw new InvalidArgumentError("trigger", spec, "must be a trigger instance or an alias");
  return createTrigger(spec, args, { now: new Date(ctx.now()) });
}
