/**
 * The default executor: runs task functions on this process's event loop.
 */
import type { Executor, ExecutorContext, RunRequest } from "./executor.js";
import { ExecutorLifecycle } from "./executor-lifecycle.js";
import { callInContext, LazyRunContext } from "./run-context.js";

/**
 * Runs each task function on the event loop, in a microtask after the submitting code, and awaits
 * what it returns (async functions and any promise). A synchronous throw becomes a rejection.
 *
 * @remarks
 * The function shares the event loop with the scheduler: a CPU-bound function delays every other
 * task. Use the `"pool"` or `"processpool"` executor for such work.
 */
export class AsyncioExecutor implements Executor {
  /** Always `"asyncio"`. */
  readonly type = "asyncio";
  readonly #lifecycle = new ExecutorLifecycle("asyncio");

  /**
   * Prepares the executor; nothing to start.
   *
   * @param _context - the alias it is registered under
   * @returns a resolved promise
   */
  async start(_context: ExecutorContext): Promise<void> {
    this.#lifecycle.start();
  }

  /**
   * Runs the function with `request.args` inside its run context.
   *
   * @param request - the run
   * @returns a promise of the (awaited) return value, rejected with what the function threw, or
   *   with `ExecutorShutdownError` when the executor is shut down
   */
  run(request: RunRequest): Promise<unknown> {
    try {
      this.#lifecycle.assertOpen(request.taskId);
    } catch (error) {
      return Promise.reject(error);
    }
    const context = new LazyRunContext(request.taskId, request.scheduledRunTime, request.runId, [
      request.signal,
      this.#lifecycle.signal,
    ]);
    const fn = request.fn as (...args: readonly unknown[]) => unknown;
    const run = Promise.resolve().then(() => callInContext(context, fn, request.args));
    return this.#lifecycle.track(run, () => context.dispose());
  }

  /**
   * Refuses new runs.
   *
   * @param wait - `true` waits for the runs in flight; `false` aborts their signals and returns
   *   at once (functions on the event loop cannot be stopped from outside)
   * @returns a promise that settles when done
   */
  shutdown(wait: boolean): Promise<void> {
    return this.#lifecycle.shutdown(wait);
  }
}
