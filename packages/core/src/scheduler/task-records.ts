/**
 * Conversions between `Task` handles and store records. A record carries its trigger as JSON;
 * the live trigger of each JSON object is cached (`triggers/trigger-cache.ts`), as re-reading it on
 * every pass would cost a parse per run.
 */
import type { TaskFunction } from "../executors/executor.js";
import type { FunctionRegistry } from "../functions/function-registry.js";
import type { TaskRecord } from "../stores/task-record.js";
import { Task, type TaskOwner, taskState } from "../tasks/task.js";
import type { Trigger } from "../triggers/trigger.js";
import { liveTriggerOf, rememberedTriggerJSON } from "../triggers/trigger-cache.js";
import type { Clock } from "./clock.js";
import type { Logger } from "./logger.js";
import type { StoreSlot } from "./store-slots.js";

/** What the conversions need from the scheduler. */
export interface TaskRecordsHost {
  readonly functions: FunctionRegistry;
  readonly timezone: string;
  readonly clock: Clock;
  readonly owner: TaskOwner;
  logger(): Logger;
}

/** Task ↔ record conversions for one scheduler. */
export class TaskRecords {
  readonly #host: TaskRecordsHost;

  /** @param host - the scheduler's side */
  constructor(host: TaskRecordsHost) {
    this.#host = host;
  }

  /**
   * @param fn - the task's function or reference
   * @param slot - the target store
   * @param id - the task id
   * @returns the reference to store (a module reference is imported and checked first)
   * @throws `ModuleReferenceError`, `TaskNotReferencableError`, `FunctionNameConflictError`
   */
  async reference(fn: TaskFunction | string, slot: StoreSlot, id: string): Promise<string> {
    if (typeof fn === "string") {
      await this.#host.functions.resolve(fn);
      return fn;
    }
    return this.#host.functions.referenceFor(fn, slot.persistent, slot.alias, id);
  }

  /**
   * @param trigger - a trigger
   * @param id - the task id (jitter seed)
   * @returns its first fire time from now, or `null` when it never fires
   */
  firstRunTime(trigger: Trigger, id: string): Date | null {
    return trigger.getNextTriggerTime(null, new Date(this.#host.clock.now()), {
      timezone: this.#host.timezone,
      seed: id,
    });
  }

  /**
   * @param trigger - a live trigger
   * @returns its JSON form for a record, remembered as coming from `trigger`
   */
  triggerJSON(trigger: Trigger): TaskRecord["trigger"] {
    return rememberedTriggerJSON(trigger);
  }

  /**
   * @param record - a stored task
   * @returns its live trigger (cached per JSON object)
   * @throws the trigger errors of `triggerFromJSON` for an unreadable trigger
   */
  triggerOf(record: TaskRecord): Trigger {
    return liveTriggerOf(record.trigger);
  }

  /**
   * @param record - a stored task
   * @param alias - its store
   * @returns a `Task` handle (trigger left undefined, and logged, when it cannot be read)
   */
  taskFromRecord(record: TaskRecord, alias: string): Task {
    let trigger: Trigger | undefined;
    try {
      trigger = this.triggerOf(record);
    } catch (error) {
      this.#host.logger().warn({ err: error, taskId: record.id }, "Unreadable trigger");
    }
    const task = new Task({
      id: record.id,
      name: record.name,
      fn: this.#host.functions.cached(record.fn)?.fn ?? record.fn,
      args: record.args,
      ...(trigger === undefined ? {} : { trigger }),
      executor: record.executor,
      store: alias,
      mistriggerGraceTime: record.mistriggerGraceTime,
      maxInstances: record.maxInstances,
      coalesce: record.coalesce,
    });
    const state = taskState(task);
    state.nextRunTime = record.nextRunTime;
    state.pending = false;
    state.submitted = true;
    state.owner = this.#host.owner;
    return task;
  }
}
