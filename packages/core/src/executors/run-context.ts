/**
 * The context of the run in progress, readable from inside a task with {@link getRunContext}.
 * In this thread it travels with `AsyncLocalStorage`; pool threads and child processes rebuild
 * it on their side before calling the task (see `remote-run.ts`).
 */
import { AsyncLocalStorage } from "node:async_hooks";

/** What a running task can learn about its own run. */
export interface RunContext {
  /** Id of the task. */
  readonly taskId: string;
  /** The trigger's canonical instant for this run. */
  readonly scheduledRunTime: Date;
  /** Unique id of this run (32 lowercase hex characters). */
  readonly runId: string;
  /**
   * Aborted when the scheduler shuts down, or when the executor is shut down without waiting.
   * Long tasks should watch it and stop early.
   */
  readonly signal: AbortSignal;
}

// Kept on globalThis under a registered symbol so that two copies of @asyncz/core in one thread
// (a bundled app plus a linked package, or dual installs) still see the same run.
const holderKey = Symbol.for("asyncz.runContext");
interface Holder {
  readonly storage: AsyncLocalStorage<RunContext>;
  /** The context of the plain (non-async) function being called right now, if any. */
  current: RunContext | undefined;
}
const globals = globalThis as { [holderKey]?: Holder };
const holder: Holder = globals[holderKey] ?? {
  storage: new AsyncLocalStorage(),
  current: undefined,
};
globals[holderKey] = holder;

// Bound async functions share this prototype too, so `fn.bind(...)` keeps the async path.
const asyncFunctionPrototype: unknown = Object.getPrototypeOf(async () => {});

/**
 * Returns the context of the run the caller is part of.
 *
 * @remarks
 * Inside an `async` function task it is available everywhere, after any number of awaits, and
 * in everything the task starts. Inside a plain (non-`async`) function task it is available
 * during the synchronous call — in the function and in whatever it calls synchronously — but not
 * in callbacks it leaves behind; such a task should read the context first and pass it on. Why:
 * `AsyncLocalStorage` costs about 20 µs of CPU per run on Node 20 (measured in bench/core), which
 * plain functions do not need to pay.
 *
 * @returns the run's context, or `undefined` when called outside a run (for example at module
 *   top level or from a timer a plain task left behind). It works in every executor: on the event
 *   loop, in pool threads and in child processes.
 */
export function getRunContext(): RunContext | undefined {
  return holder.storage.getStore() ?? holder.current;
}

/**
 * Calls a task function with `context` as its run context: through `AsyncLocalStorage` for
 * `async` functions, so the context survives awaits; through a plain variable for the
 * synchronous call of other functions. Internal to executors.
 *
 * @param context - the run's context
 * @param fn - the task function
 * @param args - its arguments
 * @returns what `fn` returns
 */
export function callInContext(
  context: RunContext,
  fn: (...args: readonly unknown[]) => unknown,
  args: readonly unknown[],
): unknown {
  if (Object.getPrototypeOf(fn) === asyncFunctionPrototype)
    return holder.storage.run(context, () => fn(...args));
  const previous = holder.current;
  holder.current = context;
  try {
    return fn(...args);
  } finally {
    holder.current = previous;
  }
}

/**
 * A run context whose signal is created only when a task reads it, so runs that never look at
 * their signal cost no AbortController and no listeners. The signal follows every source signal
 * until {@link LazyRunContext.dispose} detaches it at the end of the run.
 */
export class LazyRunContext implements RunContext {
  readonly taskId: string;
  readonly scheduledRunTime: Date;
  readonly runId: string;
  readonly #sources: readonly AbortSignal[];
  #controller: AbortController | undefined;
  #detach: (() => void) | undefined;

  /**
   * @param taskId - the task
   * @param scheduledRunTime - the run's scheduled instant
   * @param runId - the run id
   * @param sources - signals whose abort aborts this run (scheduler, executor)
   */
  constructor(
    taskId: string,
    scheduledRunTime: Date,
    runId: string,
    sources: readonly AbortSignal[],
  ) {
    this.taskId = taskId;
    this.scheduledRunTime = scheduledRunTime;
    this.runId = runId;
    this.#sources = sources;
  }

  /** The run's abort signal (see {@link RunContext.signal}). */
  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      const controller = new AbortController();
      this.#controller = controller;
      const aborted = this.#sources.find((source) => source.aborted);
      if (aborted !== undefined) controller.abort(aborted.reason);
      else {
        const onAbort = (event: Event): void => {
          this.#detach?.();
          controller.abort((event.target as AbortSignal).reason);
        };
        for (const source of this.#sources) source.addEventListener("abort", onAbort);
        this.#detach = () => {
          this.#detach = undefined;
          for (const source of this.#sources) source.removeEventListener("abort", onAbort);
        };
      }
    }
    return this.#controller.signal;
  }

  /** Detaches from the source signals; called when the run settles. */
  dispose(): void {
    this.#detach?.();
  }
}
