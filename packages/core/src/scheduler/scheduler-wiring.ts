/**
 * Builds the parts of one `AsyncIOScheduler` from its options and wires them to each other: the
 * stores and executors, the record conversions, the run dispatcher, the add path, the task
 * operations and the loop. The scheduler keeps the state; the parts read it through `SchedulerCore`.
 */
import type { EventDispatcher } from "../events/event-dispatcher.js";
import type { FunctionRegistry } from "../functions/function-registry.js";
import type { TaskRecord } from "../stores/task-record.js";
import type { TaskOwner } from "../tasks/task.js";
import type { Clock } from "./clock.js";
import type { Logger } from "./logger.js";
import { RunDispatcher } from "./run-dispatcher.js";
import { SchedulerComponents } from "./scheduler-components.js";
import type { SchedulerEmitter } from "./scheduler-emitter.js";
import { resolveTaskDefaults, type SchedulerOptions } from "./scheduler-options.js";
import { SchedulingLoop } from "./scheduling-loop.js";
import type { TaskInputContext } from "./task-input.js";
import { TaskOperations } from "./task-operations.js";
import { TaskRecords } from "./task-records.js";
import { TaskRegistration } from "./task-registration.js";

/** What the scheduler lends its parts: fixed values and readers of its changing state. */
export interface SchedulerCore {
  readonly self: TaskOwner;
  readonly owner: string;
  readonly clock: Clock;
  readonly timezone: string;
  readonly events: EventDispatcher;
  readonly emitter: SchedulerEmitter;
  readonly functions: FunctionRegistry;
  /** Runs executing in this process, per task id. */
  readonly instances: Map<string, number>;
  logger(): Logger;
  /** Running or paused. */
  started(): boolean;
  /** Running (not paused). */
  running(): boolean;
  /** The current start's abort signal. */
  signal(): AbortSignal;
  /** Told when each pass ends (for `health()`). */
  passEnded(at: Date, error?: unknown): void;
}

/** The wired parts. */
export interface SchedulerParts {
  readonly components: SchedulerComponents;
  readonly registration: TaskRegistration;
  readonly operations: TaskOperations;
  readonly loop: SchedulingLoop;
}

/**
 * @param core - the scheduler's side
 * @param options - the scheduler's (already checked) options
 * @returns its parts
 * @throws `ExecutorConfigError`, `InvalidArgumentError` for bad store or executor configurations
 */
export function wireScheduler(core: SchedulerCore, options: SchedulerOptions): SchedulerParts {
  const { logger, started } = core;
  let loopRef: SchedulingLoop | undefined;
  const loop = () => loopRef as SchedulingLoop;
  const common = { owner: core.owner, events: core.events, emitter: core.emitter };
  const components = new SchedulerComponents(
    { ...common, lockPath: options.lockPath, loop, logger, started },
    options.stores,
    options.executors,
  );
  const records = new TaskRecords({
    functions: core.functions,
    timezone: core.timezone,
    clock: core.clock,
    owner: core.self,
    logger,
  });
  const dispatcher = new RunDispatcher({
    owner: core.owner,
    timezone: core.timezone,
    events: core.events,
    functions: core.functions,
    instances: core.instances,
    logger,
    executor: (alias: string) => components.executors.get(alias),
    executorAliases: () => [...components.executors.keys()],
    signal: core.signal,
    triggerOf: (record: TaskRecord) => records.triggerOf(record),
  });
  const defaults = resolveTaskDefaults(options.taskDefaults);
  const input: TaskInputContext = {
    defaults,
    functions: core.functions,
    owner: core.self,
    now: () => core.clock.now(),
    storeSlot: (alias) => components.slot(alias),
    hasExecutor: (alias) => components.executors.has(alias),
    executorAliases: () => [...components.executors.keys()],
  };
  const parts = {
    ...common,
    clock: core.clock,
    timezone: core.timezone,
    defaults,
    functions: core.functions,
    records,
    input,
    components,
    dispatcher,
    loop,
    logger,
    started,
  };
  const registration = new TaskRegistration(parts);
  const operations = new TaskOperations({ ...parts, registration });
  loopRef = new SchedulingLoop({
    clock: core.clock,
    events: core.events,
    dispatcher,
    retryMs: (options.storeRetryInterval ?? 10) * 1000,
    logger,
    isRunning: core.running,
    stores: () => components.stores.values(),
    loopError: (error, message, taskId, store) =>
      core.emitter.loopError(error, message, taskId, store),
    passEnded: core.passEnded,
  });
  return { components, registration, operations, loop: loopRef };
}
