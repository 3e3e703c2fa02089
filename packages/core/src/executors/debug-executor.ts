/**
 * The debug executor: calls task functions inline, synchronously, inside `run()`.
 */
import type { Executor, ExecutorContext, RunRequest } from "./executor.js";
import { ExecutorLifecycle } from "./executor-lifecycle.js";
import { callInContext, LazyRunContext } from "./run-context.js";

/**
 * Calls each task function synchronously inside {@link DebugExecutor.run}, so its side effects
 * are visible as soon as `run()` returns — handy in tests and when stepping through with a
 * debugger. The result is still delivered as a promise: a returned promise is adopted, and a
 * throw becomes a rejection.
 */
export class DebugExecutor implements Executor {
  /** Always `"debug"`. */
  readonly type = "debug";
  readonly #lifecycle = new ExecutorLifecycle("debug");

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
   * Calls the function now, in this call stack.
   *
   * @param request - the run
   * @returns a promise of the return value, rejected with what the function threw, or with
   *   `ExecutorShutdownError` when the executor is shut down
   */
  run(request: RunRequest): Promise<unknown> {
    const context = new LazyRunContext(request.taskId, request.scheduledRunTime, request.runId, [
      request.signal,
      this.#lifecycle.signal,
    ]);
    let run: Promise<unknown>;
    try {
      this.#lifecycle.assertOpen(request.taskId);
      const fn = request.fn as (...args: readonly unknown[]) => unknown;
      run = Promise.resolve(callInContext(context, fn, request.args));
    } catch (error) {
      run = Promise.reject(error);
    }
    return this.#lifecycle.track(run, () => context.dispose());
  }

  /**
   * Refuses new runs.
   *
   * @param wait - `true` waits for returned promises to settle; `false` aborts run signals and
   *   returns at once
   * @returns a promise that settles when done
   */
  shutdown(wait: boolean): Promise<void> {
    return this.#lifecycle.shutdown(wait);
  }
}
