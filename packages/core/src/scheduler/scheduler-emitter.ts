/**
 * The scheduler's own events (lifecycle, stores, executors, tasks) and its loop errors: each event
 * object is built only when a listener's mask wants it.
 */
import { SCHEDULER_ERROR } from "../events/event-codes.js";
import type { EventDispatcher } from "../events/event-dispatcher.js";
import type { Logger } from "./logger.js";

/** Names of the events without a payload beyond code and name. */
export type SimpleEventName =
  | "scheduler_start"
  | "scheduler_shutdown"
  | "scheduler_paused"
  | "scheduler_resumed";

/** Names of the events that carry a store or executor alias. */
export type AliasEventName =
  | "executor_added"
  | "executor_removed"
  | "store_added"
  | "store_removed"
  | "all_tasks_removed";

/** Names of the events that carry a task id and its store. */
export type TaskEventName = "task_added" | "task_removed" | "task_modified";

/** Emits the scheduler's events through its dispatcher. */
export class SchedulerEmitter {
  readonly #events: EventDispatcher;
  readonly #logger: () => Logger;

  /**
   * @param events - the scheduler's dispatcher
   * @param logger - the scheduler's logger
   */
  constructor(events: EventDispatcher, logger: () => Logger) {
    this.#events = events;
    this.#logger = logger;
  }

  /**
   * @param code - event code
   * @param name - event name
   */
  simple(code: number, name: SimpleEventName): void {
    if (this.#events.wants(code)) this.#events.dispatch({ code, name });
  }

  /**
   * @param code - event code
   * @param name - event name
   * @param alias - the store or executor alias (`null`: all stores)
   */
  alias(code: number, name: AliasEventName, alias: string | null): void {
    if (this.#events.wants(code)) this.#events.dispatch({ code, name, alias });
  }

  /**
   * @param code - event code
   * @param name - event name
   * @param taskId - the task
   * @param store - its store (`null` while pending)
   */
  task(code: number, name: TaskEventName, taskId: string, store: string | null): void {
    if (this.#events.wants(code)) this.#events.dispatch({ code, name, taskId, store });
  }

  /**
   * Logs an error that nobody awaits and emits it as `scheduler_error`.
   *
   * @param error - what was thrown
   * @param message - what failed
   * @param taskId - the task concerned
   * @param store - the store concerned
   */
  loopError(error: unknown, message: string, taskId?: string, store?: string): void {
    this.#logger().error({ err: error, taskId, store }, message);
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
}
