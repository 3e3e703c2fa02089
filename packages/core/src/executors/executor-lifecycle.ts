/**
 * The start/shutdown bookkeeping every executor shares: refuses runs after shutdown, tracks the
 * runs in flight so `shutdown(true)` can wait for them, and owns the executor-level abort signal
 * that `shutdown(false)` fires.
 */
import { ExecutorShutdownError } from "../errors.js";

/** Reason given to run signals aborted by `shutdown(false)`. */
export const SHUTDOWN_REASON = "executor shut down";

/** Shared lifecycle state of one executor. Internal to executors. */
export class ExecutorLifecycle {
  readonly #type: string;
  readonly #inFlight = new Set<Promise<unknown>>();
  /** Runs in flight that have no promise (see {@link ExecutorLifecycle.begin}). */
  #untracked = 0;
  /** Resolvers of `shutdown(true)` calls waiting for the untracked runs. */
  #idleWaiters: (() => void)[] = [];
  #controller = new AbortController();
  #signal = this.#controller.signal;
  #shutDown = false;

  /** @param type - the executor's alias, for error messages */
  constructor(type: string) {
    this.#type = type;
  }

  /** Aborted by `shutdown(false)`; renewed by {@link ExecutorLifecycle.start}. */
  get signal(): AbortSignal {
    // Cached: AbortController's own getter is not free, and every run reads this.
    return this.#signal;
  }

  /** Whether the executor refuses new runs. */
  get isShutDown(): boolean {
    return this.#shutDown;
  }

  /** Number of runs in flight. */
  get inFlight(): number {
    return this.#inFlight.size + this.#untracked;
  }

  /** Accepts runs again (a scheduler may be started again after a shutdown). */
  start(): void {
    if (this.#shutDown) {
      this.#shutDown = false;
      this.#controller = new AbortController();
      this.#signal = this.#controller.signal;
    }
  }

  /**
   * @param taskId - the task being submitted
   * @throws {@link ExecutorShutdownError} when the executor is shut down
   */
  assertOpen(taskId: string): void {
    if (this.#shutDown) throw new ExecutorShutdownError(this.#type, taskId, "refused");
  }

  /**
   * Registers a run so that `shutdown(true)` waits for it.
   *
   * @param run - the run's promise
   * @param settled - called once the run settles (one handler for both, to keep the number of
   *   promises per run low: each costs more while `AsyncLocalStorage` is active)
   * @returns the same promise
   */
  track<T>(run: Promise<T>, settled?: () => void): Promise<T> {
    this.#inFlight.add(run);
    const forget = (): void => {
      this.#inFlight.delete(run);
      settled?.();
    };
    run.then(forget, forget);
    return run;
  }

  /**
   * Counts a run in flight that has no promise to track (the callback path of plain functions),
   * so that `shutdown(true)` waits for it too. Pair every call with {@link ExecutorLifecycle.end}.
   */
  begin(): void {
    this.#untracked++;
  }

  /** Ends a run counted by {@link ExecutorLifecycle.begin}. */
  end(): void {
    if (--this.#untracked > 0 || this.#idleWaiters.length === 0) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /**
   * Refuses new runs; without `wait`, aborts the signal of every run in flight.
   *
   * @param wait - whether to wait for the runs in flight
   * @returns a promise that settles when the runs in flight have settled (at once without `wait`)
   */
  async shutdown(wait: boolean): Promise<void> {
    this.#shutDown = true;
    if (!wait) {
      this.#controller.abort(SHUTDOWN_REASON);
      return;
    }
    while (this.#inFlight.size > 0 || this.#untracked > 0) {
      if (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
      else await new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
    }
  }
}
