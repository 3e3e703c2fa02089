/**
 * The executor port: how the scheduler hands one run of a task to something that executes it.
 * Implementations live beside this file (`asyncio-executor.ts`, `debug-executor.ts`,
 * `pool-executor.ts`, `process-pool-executor.ts`).
 */

/** A callable the scheduler can run. */
export type TaskFunction = (...args: never[]) => unknown;

/** One run of a task, as the scheduler submits it. */
export interface RunRequest {
  /** Id of the task this run belongs to. */
  readonly taskId: string;
  /** Unique id of this run (32 lowercase hex characters). */
  readonly runId: string;
  /** The trigger's canonical instant for this run (the latest one when runs were coalesced). */
  readonly scheduledRunTime: Date;
  /** The resolved function, for executors that run in this thread. */
  readonly fn: TaskFunction;
  /**
   * Where the function can be loaded from by another thread or process: an absolute module URL
   * and export name, or `null` when the function was registered by name only.
   */
  readonly moduleRef: { readonly url: string; readonly exportName: string } | null;
  /** Positional arguments. */
  readonly args: readonly unknown[];
  /** Aborted when the scheduler shuts down; executors forward it to the run's context. */
  readonly signal: AbortSignal;
}

/**
 * Told once when a run submitted with {@link Executor.runNow} settles.
 *
 * @param ok - `true` when the function returned (or its promise fulfilled), `false` when it threw
 *   or its promise rejected
 * @param result - the return value (awaited when it was a promise), or what was thrown
 */
export type RunDone = (ok: boolean, result: unknown) => void;

/** What an executor is told when the scheduler starts it. */
export interface ExecutorContext {
  /** The alias the executor is registered under. */
  readonly alias: string;
}

/**
 * Runs task functions.
 *
 * @remarks
 * The scheduler enforces `maxInstances`, misfire grace and coalescing before submitting, so an
 * executor only runs what it is given. A run that throws must reject the returned promise; it must
 * never throw synchronously out of {@link Executor.run}.
 */
export interface Executor {
  /** The alias of the implementation (`"asyncio"`, `"debug"`, `"pool"`, `"processpool"`). */
  readonly type: string;

  /**
   * Prepares the executor. Pools start their workers lazily, at the first run, not here.
   *
   * @param context - the alias it is registered under
   */
  start(context: ExecutorContext): Promise<void>;

  /**
   * Executes one run.
   *
   * @param request - the run
   * @returns a promise of the function's return value (awaited when it is a promise), rejected
   *   with what the function threw
   */
  run(request: RunRequest): Promise<unknown>;

  /**
   * Optional callback form of {@link Executor.run}, preferred by the scheduler when present: an
   * executor that runs plain functions on the event loop can then run them without creating a
   * promise per run. Same contract as `run`: the function runs after the calling code (never
   * synchronously inside this call), and `done` is called exactly once, never synchronously.
   *
   * @param request - the run
   * @param done - told the outcome
   */
  runNow?(request: RunRequest, done: RunDone): void;

  /**
   * Stops the executor.
   *
   * @param wait - `true` to let running runs finish first, `false` to abort them
   */
  shutdown(wait: boolean): Promise<void>;
}
