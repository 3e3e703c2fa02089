/**
 * The `"pool"` (alias `"threadpool"`) executor: worker threads via piscina.
 */
import { MessageChannel } from "node:worker_threads";
import { Piscina } from "piscina";
import {
  ExecutorNotCloneableError,
  ExecutorShutdownError,
  ExecutorWorkerCrashedError,
} from "../errors.js";
import type { Executor, ExecutorContext, RunRequest } from "./executor.js";
import { ExecutorLifecycle } from "./executor-lifecycle.js";
import { defaultMaxWorkers, integerOption, rejectUnknownOptions } from "./executor-options.js";
import type { PoolTask } from "./pool-worker.js";
import {
  deserializeError,
  type RemoteOutcome,
  type RemoteRunMessage,
  toRemoteRunMessage,
} from "./remote-run.js";

/** Options of {@link PoolExecutor}. */
export interface PoolExecutorOptions {
  /**
   * Most threads this executor runs at once; further runs wait in a queue.
   * @defaultValue `Math.min(4, os.availableParallelism())`
   */
  readonly maxWorkers?: number;
  /**
   * How long an idle thread lives before it exits, in milliseconds.
   * @defaultValue 30000
   */
  readonly idleTimeoutMs?: number;
  /**
   * After `shutdown(false)` aborted their signals, how long runs get to finish before their
   * threads are terminated, in milliseconds.
   * @defaultValue 1000
   */
  readonly abortGraceMs?: number;
}

const OPTION_NAMES = ["maxWorkers", "idleTimeoutMs", "abortGraceMs"] as const;
const WORKER_URL = new URL("./pool-worker.js", import.meta.url).href;

/**
 * Runs task functions in worker threads (piscina 5). Each task must name its function by module
 * reference, since functions cannot cross threads, and its arguments and return value must be
 * structured-cloneable.
 *
 * @remarks
 * No thread exists until the first run; at most `maxWorkers` run at once; idle threads exit after
 * `idleTimeoutMs` (piscina's own defaults — one thread per core kept alive — would give cores²
 * threads in a pm2 cluster). Abort is cooperative: `shutdown(false)` aborts the run's
 * `getRunContext().signal` inside the thread, then terminates threads still busy after
 * `abortGraceMs`.
 */
export class PoolExecutor implements Executor {
  /** `"pool"` or `"threadpool"`, as configured. */
  readonly type: "pool" | "threadpool";
  /** Most threads run at once. */
  readonly maxWorkers: number;
  /** Idle lifetime of a thread, in milliseconds. */
  readonly idleTimeoutMs: number;
  /** Grace before termination at `shutdown(false)`, in milliseconds. */
  readonly abortGraceMs: number;
  readonly #lifecycle: ExecutorLifecycle;
  #pool: Piscina<PoolTask, RemoteOutcome> | undefined;

  /**
   * @param options - see {@link PoolExecutorOptions}
   * @param type - the alias it was configured with
   * @throws {@link ExecutorConfigError} for an unknown option or a bad value
   */
  constructor(options: PoolExecutorOptions = {}, type: "pool" | "threadpool" = "pool") {
    rejectUnknownOptions(type, options, OPTION_NAMES);
    this.type = type;
    this.maxWorkers = integerOption("maxWorkers", options.maxWorkers, defaultMaxWorkers(), 1);
    this.idleTimeoutMs = integerOption("idleTimeoutMs", options.idleTimeoutMs, 30_000, 0);
    this.abortGraceMs = integerOption("abortGraceMs", options.abortGraceMs, 1000, 0);
    this.#lifecycle = new ExecutorLifecycle(type);
  }

  /** Threads alive now (0 before the first run and after they idle out). */
  get threadCount(): number {
    return this.#pool?.threads.length ?? 0;
  }

  /**
   * Accepts runs; threads start at the first run, not here.
   *
   * @param _context - the alias it is registered under
   * @returns a resolved promise
   */
  async start(_context: ExecutorContext): Promise<void> {
    this.#lifecycle.start();
  }

  /**
   * Runs the task's module-referenced function in a worker thread.
   *
   * @param request - the run
   * @returns a promise of the return value, rejected with what the function threw (same name,
   *   message, stack and own properties), or with `ExecutorModuleRefRequiredError`,
   *   `ExecutorNotCloneableError`, `ExecutorModuleLoadError`, `ExecutorWorkerCrashedError` or
   *   `ExecutorShutdownError`
   */
  run(request: RunRequest): Promise<unknown> {
    try {
      this.#lifecycle.assertOpen(request.taskId);
      const message = toRemoteRunMessage(this.type, request);
      return this.#lifecycle.track(this.#submit(message, request.signal));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async #submit(message: RemoteRunMessage, schedulerSignal: AbortSignal): Promise<unknown> {
    const { port1, port2 } = new MessageChannel();
    const sources = [schedulerSignal, this.#lifecycle.signal];
    const onAbort = (event: Event): void => {
      port1.postMessage(String((event.target as AbortSignal).reason));
    };
    for (const source of sources) {
      if (source.aborted) port1.postMessage(String(source.reason));
      else source.addEventListener("abort", onAbort);
    }
    let outcome: RemoteOutcome;
    try {
      outcome = await this.#getPool().run({ message, port: port2 }, { transferList: [port2] });
    } catch (error) {
      if (this.#lifecycle.isShutDown) {
        throw new ExecutorShutdownError(this.type, message.taskId, "ended");
      }
      const crashed = new ExecutorWorkerCrashedError("worker thread", message.taskId, null, null);
      crashed.cause = error;
      throw crashed;
    } finally {
      for (const source of sources) source.removeEventListener("abort", onAbort);
      port1.close();
    }
    if (outcome.ok) return outcome.value;
    const error = deserializeError(outcome.error);
    if (outcome.notCloneable === true) {
      throw new ExecutorNotCloneableError(message.taskId, "returnValue", error);
    }
    throw error;
  }

  #getPool(): Piscina<PoolTask, RemoteOutcome> {
    if (this.#pool === undefined) {
      const pool = new Piscina<PoolTask, RemoteOutcome>({
        filename: WORKER_URL,
        name: "runPoolTask",
        minThreads: 0,
        maxThreads: this.maxWorkers,
        idleTimeout: this.idleTimeoutMs,
        // Queue without bound: the scheduler already limits instances per task.
        maxQueue: Number.POSITIVE_INFINITY,
        // 'sync' parks idle threads with Atomics.wait, freezing timers a task left behind.
        atomics: "async",
        closeTimeout: this.abortGraceMs,
      });
      // A thread that dies outside a task must not crash the process (EventEmitter rethrows
      // 'error' without a listener); runs in flight reject on their own.
      pool.on("error", () => {});
      this.#pool = pool;
    }
    return this.#pool;
  }

  /**
   * Refuses new runs and stops the threads.
   *
   * @param wait - `true` waits for queued and running runs; `false` rejects queued runs, aborts
   *   the signals of running ones, gives them `abortGraceMs`, then terminates the threads
   * @returns a promise that settles when every thread has exited
   */
  async shutdown(wait: boolean): Promise<void> {
    const pool = this.#pool;
    this.#pool = undefined;
    const settled = this.#lifecycle.shutdown(wait);
    if (wait) {
      await settled;
      await pool?.destroy();
      return;
    }
    // piscina's forced close rejects queued runs at once (they must not start with an aborted
    // signal), waits up to closeTimeout (= abortGraceMs) for running ones, then terminates.
    await pool?.close({ force: true });
  }
}
