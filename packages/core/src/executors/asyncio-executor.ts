/**
 * The default executor: runs task functions on this process's event loop.
 */
import type { Executor, ExecutorContext, RunDone, RunRequest } from "./executor.js";
import { ExecutorLifecycle } from "./executor-lifecycle.js";
import { callInContext, LazyRunContext } from "./run-context.js";

/** Schedules microtasks: `RESOLVED.then(fn)` runs `fn` after the current synchronous code. */
const RESOLVED = Promise.resolve();

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
    return new Promise((resolve, reject) => {
      this.runNow(request, (ok, result) => (ok ? resolve(result) : reject(result)));
    });
  }

  /**
   * The callback form of {@link AsyncioExecutor.run}, which the scheduler uses: the function runs
   * in a microtask after the calling code, and a plain function's run makes no promise chain: one
   * reaction on a shared resolved promise schedules it (its derived promise is the only one; on
   * Node 20 that costs less than `queueMicrotask`, which makes an `AsyncResource` per call). More
   * promises are made only when the function returns a thenable, to await it.
   *
   * @param request - the run
   * @param done - told the outcome once, never synchronously; `ExecutorShutdownError` when the
   *   executor is shut down
   */
  runNow(request: RunRequest, done: RunDone): void {
    const lifecycle = this.#lifecycle;
    try {
      lifecycle.assertOpen(request.taskId);
    } catch (error) {
      RESOLVED.then(() => done(false, error));
      return;
    }
    const context = new LazyRunContext(request.taskId, request.scheduledRunTime, request.runId, [
      request.signal,
      lifecycle.signal,
    ]);
    const fn = request.fn as (...args: readonly unknown[]) => unknown;
    const args = request.args;
    const settle = (ok: boolean, result: unknown): void => {
      context.dispose();
      lifecycle.end();
      done(ok, result);
    };
    lifecycle.begin();
    RESOLVED.then(() => {
      let value: unknown;
      let thenable: boolean;
      try {
        value = callInContext(context, fn, args);
        thenable = isThenable(value);
      } catch (error) {
        settle(false, error);
        return;
      }
      // Outside the try: a throwing `done` must not be reported as the task's own failure.
      if (!thenable) settle(true, value);
      else
        Promise.resolve(value).then(
          (result) => settle(true, result),
          (error: unknown) => settle(false, error),
        );
    });
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

/**
 * @param value - what a task function returned
 * @returns whether it has a `then` method (reading it may throw, as a rejection would)
 */
function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    ((typeof value === "object" && value !== null) || typeof value === "function") &&
    typeof (value as { then?: unknown }).then === "function"
  );
}
