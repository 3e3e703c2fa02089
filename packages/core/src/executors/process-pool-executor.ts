/**
 * The `"processpool"` executor: child processes forked from a small runner module.
 */
import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import {
  ExecutorNotCloneableError,
  ExecutorShutdownError,
  ExecutorWorkerCrashedError,
} from "../errors.js";
import type { Executor, ExecutorContext, RunRequest } from "./executor.js";
import { ExecutorLifecycle } from "./executor-lifecycle.js";
import { defaultMaxWorkers, integerOption, rejectUnknownOptions } from "./executor-options.js";
import type { ChildMessage, ParentMessage } from "./process-runner.js";
import { deserializeError, type RemoteRunMessage, toRemoteRunMessage } from "./remote-run.js";

/** Options of {@link ProcessPoolExecutor}. */
export interface ProcessPoolExecutorOptions {
  /**
   * Most child processes alive at once; each runs one task at a time, further runs queue.
   * @defaultValue `Math.min(4, os.availableParallelism())`
   */
  readonly maxWorkers?: number;
  /**
   * How long an idle child lives before it is let go, in milliseconds.
   * @defaultValue 30000
   */
  readonly idleTimeoutMs?: number;
  /**
   * After `shutdown(false)` aborted their signals, how long runs get to finish before their
   * children are killed (SIGKILL), in milliseconds.
   * @defaultValue 1000
   */
  readonly abortGraceMs?: number;
  /**
   * Node options of the children.
   * @defaultValue `process.execArgv` (so loaders such as `--import tsx` apply to them too)
   */
  readonly execArgv?: readonly string[];
}

const OPTION_NAMES = ["maxWorkers", "idleTimeoutMs", "abortGraceMs", "execArgv"] as const;
const RUNNER_PATH = fileURLToPath(new URL("./process-runner.js", import.meta.url));

interface PendingRun {
  readonly message: RemoteRunMessage;
  readonly schedulerSignal: AbortSignal;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

interface Child {
  readonly process: ChildProcess;
  run: PendingRun | undefined;
  idleTimer: NodeJS.Timeout | undefined;
  detach: (() => void) | undefined;
}

/**
 * Runs task functions in child processes, one run per child at a time, for isolation: a task
 * that crashes, leaks or blocks takes only its child down. Each task must name its function by
 * module reference, and its arguments and return value must be structured-cloneable (the IPC
 * channel uses Node's `"advanced"` serialization).
 *
 * @remarks
 * No child exists until the first run; at most `maxWorkers` are alive; idle children exit after
 * `idleTimeoutMs` and do not keep the parent alive meanwhile. A child that exits mid-run rejects
 * that run with `ExecutorWorkerCrashedError` and is replaced by a fresh one at the next run.
 */
export class ProcessPoolExecutor implements Executor {
  /** Always `"processpool"`. */
  readonly type = "processpool";
  /** Most children alive at once. */
  readonly maxWorkers: number;
  /** Idle lifetime of a child, in milliseconds. */
  readonly idleTimeoutMs: number;
  /** Grace before SIGKILL at `shutdown(false)`, in milliseconds. */
  readonly abortGraceMs: number;
  readonly #execArgv: readonly string[] | undefined;
  readonly #lifecycle = new ExecutorLifecycle("processpool");
  readonly #children = new Set<Child>();
  readonly #queue: PendingRun[] = [];

  /**
   * @param options - see {@link ProcessPoolExecutorOptions}
   * @throws {@link ExecutorConfigError} for an unknown option or a bad value
   */
  constructor(options: ProcessPoolExecutorOptions = {}) {
    rejectUnknownOptions("processpool", options, OPTION_NAMES);
    this.maxWorkers = integerOption("maxWorkers", options.maxWorkers, defaultMaxWorkers(), 1);
    this.idleTimeoutMs = integerOption("idleTimeoutMs", options.idleTimeoutMs, 30_000, 0);
    this.abortGraceMs = integerOption("abortGraceMs", options.abortGraceMs, 1000, 0);
    this.#execArgv = options.execArgv;
  }

  /** Child processes alive now (0 before the first run and after they idle out). */
  get processCount(): number {
    return this.#children.size;
  }

  /**
   * Accepts runs; children start at the first run, not here.
   *
   * @param _context - the alias it is registered under
   * @returns a resolved promise
   */
  async start(_context: ExecutorContext): Promise<void> {
    this.#lifecycle.start();
  }

  /**
   * Runs the task's module-referenced function in a child process.
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
      const run = new Promise<unknown>((resolve, reject) => {
        this.#queue.push({ message, schedulerSignal: request.signal, resolve, reject });
      });
      this.#dispatch();
      return this.#lifecycle.track(run);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  #dispatch(): void {
    while (this.#queue.length > 0) {
      let child: Child | undefined;
      for (const candidate of this.#children) {
        if (candidate.run === undefined && candidate.process.connected) {
          child = candidate;
          break;
        }
      }
      if (child === undefined && this.#children.size < this.maxWorkers) {
        try {
          child = this.#spawn();
        } catch (error) {
          // fork() itself failed (EAGAIN, EMFILE...): the waiting run gets the reason, and this
          // never throws out of an 'exit' or 'message' handler.
          this.#queue.shift()?.reject(error);
          continue;
        }
      }
      if (child === undefined) return;
      const pending = this.#queue.shift();
      if (pending === undefined) return;
      this.#assign(child, pending);
    }
  }

  #spawn(): Child {
    const childProcess = fork(RUNNER_PATH, [], {
      serialization: "advanced",
      execArgv: this.#execArgv === undefined ? process.execArgv : [...this.#execArgv],
    });
    const child: Child = {
      process: childProcess,
      run: undefined,
      idleTimer: undefined,
      detach: undefined,
    };
    this.#children.add(child);
    childProcess.on("message", (reply: ChildMessage) => this.#onReply(child, reply));
    childProcess.on("error", () => {
      // Spawn or IPC failures end in 'exit' (or never start); the run is settled there.
    });
    childProcess.on("exit", (code, signal) => this.#onExit(child, code, signal));
    return child;
  }

  #assign(child: Child, pending: PendingRun): void {
    if (child.idleTimer !== undefined) clearTimeout(child.idleTimer);
    child.idleTimer = undefined;
    child.run = pending;
    child.process.ref();
    child.process.channel?.ref();
    const runId = pending.message.runId;
    const onAbort = (event: Event): void => {
      this.#send(child, {
        type: "abort",
        runId,
        reason: String((event.target as AbortSignal).reason),
      });
    };
    const sources = [pending.schedulerSignal, this.#lifecycle.signal];
    child.detach = () => {
      for (const source of sources) source.removeEventListener("abort", onAbort);
    };
    this.#send(child, { type: "run", run: pending.message });
    for (const source of sources) {
      if (source.aborted)
        this.#send(child, { type: "abort", runId, reason: String(source.reason) });
      else source.addEventListener("abort", onAbort);
    }
  }

  #send(child: Child, message: ParentMessage): void {
    // A send that fails means the child is going away; killing it makes 'exit' settle the run.
    if (!child.process.connected) {
      child.process.kill("SIGKILL");
      return;
    }
    try {
      child.process.send(message, (error) => {
        if (error !== null) child.process.kill("SIGKILL");
      });
    } catch {
      child.process.kill("SIGKILL");
    }
  }

  #onReply(child: Child, reply: ChildMessage): void {
    const pending = child.run;
    if (reply.type !== "done" || pending === undefined || reply.runId !== pending.message.runId)
      return;
    this.#release(child);
    const { outcome } = reply;
    if (outcome.ok) pending.resolve(outcome.value);
    else {
      const error = deserializeError(outcome.error);
      pending.reject(
        outcome.notCloneable === true
          ? new ExecutorNotCloneableError(pending.message.taskId, "returnValue", error)
          : error,
      );
    }
    this.#dispatch();
  }

  /** The child finished its run: detach it from the run and start its idle countdown. */
  #release(child: Child): void {
    child.detach?.();
    child.detach = undefined;
    child.run = undefined;
    if (this.#queue.length > 0) return;
    // An idle child must not keep the parent alive.
    child.process.unref();
    child.process.channel?.unref();
    child.idleTimer = setTimeout(() => child.process.disconnect(), this.idleTimeoutMs);
    child.idleTimer.unref();
  }

  #onExit(child: Child, code: number | null, signal: NodeJS.Signals | null): void {
    this.#children.delete(child);
    if (child.idleTimer !== undefined) clearTimeout(child.idleTimer);
    const pending = child.run;
    if (pending !== undefined) {
      child.detach?.();
      child.run = undefined;
      pending.reject(
        this.#lifecycle.isShutDown
          ? new ExecutorShutdownError(this.type, pending.message.taskId, "ended")
          : new ExecutorWorkerCrashedError("child process", pending.message.taskId, code, signal),
      );
    }
    // A replacement starts only if runs are waiting; otherwise at the next run.
    this.#dispatch();
  }

  /**
   * Refuses new runs and stops the children.
   *
   * @param wait - `true` waits for queued and running runs; `false` rejects queued runs, aborts
   *   the signals of running ones, gives them `abortGraceMs`, then kills their children
   * @returns a promise that settles when every child has exited
   */
  async shutdown(wait: boolean): Promise<void> {
    const settled = this.#lifecycle.shutdown(wait);
    if (wait) await settled;
    else {
      for (const pending of this.#queue.splice(0)) {
        pending.reject(new ExecutorShutdownError(this.type, pending.message.taskId, "ended"));
      }
      if (this.#lifecycle.inFlight > 0) await this.#graceOver();
    }
    const exits = [...this.#children].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.process.exitCode !== null || child.process.signalCode !== null) resolve();
          else {
            child.process.once("exit", () => resolve());
            // Idle children are unref'd; shutdown must keep the loop alive until they are gone.
            child.process.ref();
            if (child.run === undefined && child.process.connected) child.process.disconnect();
            else child.process.kill("SIGKILL");
          }
        }),
    );
    await Promise.all(exits);
  }

  async #graceOver(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.abortGraceMs);
    });
    await Promise.race([grace, this.#lifecycle.shutdown(true)]);
    clearTimeout(timer);
  }
}
