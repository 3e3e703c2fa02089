/**
 * Opt-in graceful shutdown for processes run by a supervisor (pm2, systemd, Kubernetes, a
 * `node:cluster` primary).
 *
 * @remarks
 * pm2 stops or reloads a process by sending `SIGINT` (or the `shutdown` IPC message with
 * `shutdown_with_message`, and always on Windows), and sends `SIGKILL` 1.6 s later
 * (`kill_timeout`). A run still going then dies half-way and its lifecycle cleanup never runs. This
 * helper turns those signals into `scheduler.shutdown(true)` — stop claiming runs, abort the runs'
 * `AbortSignal`s and wait for the running ones, run this process's shutdown tasks, close the
 * stores (which releases their locks) — bounded by a budget shorter than the kill timeout. Past the
 * budget it exits anyway (code 1), so the process ends on its own terms before the supervisor's
 * `SIGKILL`. The scheduler's `start()` is reference counted; the helper releases every reference,
 * since the process is leaving.
 */
import { AsynczError, InvalidArgumentError } from "../errors.js";

/** What the helper needs from a scheduler: `AsyncIOScheduler` satisfies it. */
export interface GracefulShutdownTarget {
  /**
   * @param wait - `true`: wait for running tasks
   * @returns `false` while other `start()` references remain, anything else once shut down
   */
  shutdown(wait?: boolean): Promise<unknown>;
}

/** Options of {@link installGracefulShutdown}. */
export interface GracefulShutdownOptions {
  /**
   * Budget for the whole shutdown, in ms: running tasks, shutdown tasks, store close. Keep it
   * below the supervisor's kill timeout (pm2: `kill_timeout`, 1600 ms by default).
   *
   * @defaultValue 1500
   */
  readonly timeoutMs?: number;
  /** Signals that start the shutdown. @defaultValue `["SIGINT", "SIGTERM"]` */
  readonly signals?: readonly NodeJS.Signals[];
  /**
   * The IPC message that starts the shutdown (pm2's `shutdown_with_message`, pm2 on Windows), or
   * `false` to ignore IPC messages.
   *
   * @defaultValue `"shutdown"`
   */
  readonly message?: string | false;
  /**
   * Whether to call `process.exit()` when done (code 0 after a clean shutdown, 1 otherwise).
   * With `false`, the caller decides, from {@link GracefulShutdownOptions.onShutdown} or the
   * promise of {@link GracefulShutdown.shutdown}.
   *
   * @defaultValue true
   */
  readonly exit?: boolean;
  /**
   * Called once the scheduler has shut down (or the budget ran out), before the process exits.
   * Its own time counts against nothing: keep it short under pm2.
   */
  readonly onShutdown?: (result: GracefulShutdownResult) => void | Promise<void>;
}

/** How a graceful shutdown went. */
export interface GracefulShutdownResult {
  /** What started it: a signal name, `"message"`, or `"manual"`. */
  readonly trigger: string;
  /** `true` when the scheduler shut down within the budget without an error. */
  readonly clean: boolean;
  /** `true` when the budget ran out before the scheduler finished shutting down. */
  readonly timedOut: boolean;
  /** Milliseconds from the trigger to the end of the scheduler's shutdown (or of the budget). */
  readonly elapsedMs: number;
  /** What `shutdown()` threw, if it did. */
  readonly error?: unknown;
}

/** The handle returned by {@link installGracefulShutdown}. */
export interface GracefulShutdown {
  /**
   * Starts the shutdown as a signal would; later calls return the same promise.
   *
   * @param trigger - recorded in the result @defaultValue `"manual"`
   * @returns the result, once the scheduler has shut down or the budget has run out
   */
  shutdown(trigger?: string): Promise<GracefulShutdownResult>;
  /**
   * Removes the signal and message handlers (the process's default behaviour comes back). Done
   * automatically once a shutdown has finished.
   */
  uninstall(): void;
}

/** The parts of the process the helper touches, injectable so unit tests need no real signals. */
export interface ShutdownHost {
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  off(event: string, listener: (...args: unknown[]) => void): unknown;
  exit(code: number): void;
  now(): number;
  setTimeout(callback: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
}

const DEFAULT_TIMEOUT_MS = 1500;
const DEFAULT_SIGNALS: readonly NodeJS.Signals[] = ["SIGINT", "SIGTERM"];

const processHost: ShutdownHost = {
  on: (event, listener) => process.on(event, listener),
  off: (event, listener) => process.off(event, listener),
  exit: (code) => process.exit(code),
  now: () => performance.now(),
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** Shuts down through every remaining `start()` reference; a stopped scheduler is already done. */
async function releaseAll(scheduler: GracefulShutdownTarget): Promise<void> {
  try {
    while ((await scheduler.shutdown(true)) === false) {
      // another start() reference was released; the last one really shuts down
    }
  } catch (error) {
    if (!(error instanceof AsynczError && error.code === "SCHEDULER_NOT_RUNNING")) throw error;
  }
}

/**
 * Makes the process shut its scheduler down cleanly on `SIGINT`, `SIGTERM` and pm2's `shutdown`
 * message, within a budget shorter than pm2's kill timeout. A second signal during the shutdown
 * exits at once (code 1), as a second Ctrl-C does in most CLIs.
 *
 * @param scheduler - the scheduler to shut down
 * @param options - budget, signals, IPC message, exit behaviour, a hook
 * @returns a handle to start the shutdown by hand or uninstall the handlers
 * @throws {InvalidArgumentError} when `timeoutMs` is not a positive finite number, a signal is not
 *   a string, or `onShutdown` is not a function
 */
export function installGracefulShutdown(
  scheduler: GracefulShutdownTarget,
  options: GracefulShutdownOptions = {},
): GracefulShutdown {
  return createGracefulShutdown(scheduler, options, processHost);
}

/**
 * {@link installGracefulShutdown} on an explicit host (the real process, or a fake in tests).
 *
 * @param scheduler - the scheduler to shut down
 * @param options - as for {@link installGracefulShutdown}
 * @param host - signal source, exit and timers
 * @returns the handle
 * @throws {InvalidArgumentError} on a bad option
 */
export function createGracefulShutdown(
  scheduler: GracefulShutdownTarget,
  options: GracefulShutdownOptions,
  host: ShutdownHost,
): GracefulShutdown {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (typeof timeoutMs !== "number" || !Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new InvalidArgumentError("timeoutMs", timeoutMs, "must be a positive number of ms");
  }
  const signals = options.signals ?? DEFAULT_SIGNALS;
  for (const signal of signals) {
    if (typeof signal !== "string") {
      throw new InvalidArgumentError("signals", signals, "must be signal names like SIGTERM");
    }
  }
  if (options.onShutdown !== undefined && typeof options.onShutdown !== "function") {
    throw new InvalidArgumentError("onShutdown", options.onShutdown, "must be a function");
  }
  const message = options.message ?? "shutdown";
  const exit = options.exit ?? true;
  let pending: Promise<GracefulShutdownResult> | undefined;

  const run = async (trigger: string): Promise<GracefulShutdownResult> => {
    const startedAt = host.now();
    let timer: unknown;
    const budget = new Promise<"timeout">((resolve) => {
      timer = host.setTimeout(() => resolve("timeout"), timeoutMs);
    });
    let outcome: "done" | "timeout";
    let error: unknown;
    try {
      outcome = await Promise.race([releaseAll(scheduler).then(() => "done" as const), budget]);
    } catch (cause) {
      outcome = "done";
      error = cause;
    } finally {
      host.clearTimeout(timer);
    }
    const result: GracefulShutdownResult = {
      trigger,
      clean: outcome === "done" && error === undefined,
      timedOut: outcome === "timeout",
      elapsedMs: host.now() - startedAt,
      ...(error === undefined ? {} : { error }),
    };
    try {
      await options.onShutdown?.(result);
    } finally {
      // A 'message' listener keeps the IPC channel, and so the process, alive: with exit: false
      // the process must be able to end on its own once the scheduler is down.
      uninstall();
      if (exit) host.exit(result.clean ? 0 : 1);
    }
    return result;
  };

  const start = (trigger: string): Promise<GracefulShutdownResult> => {
    pending ??= run(trigger);
    return pending;
  };
  const onSignal = (signal: unknown): void => {
    if (pending !== undefined) {
      if (exit) host.exit(1);
      return;
    }
    start(String(signal)).catch(() => undefined);
  };
  const onMessage = (received: unknown): void => {
    if (message !== false && received === message) start("message").catch(() => undefined);
  };

  function uninstall(): void {
    for (const signal of signals) host.off(signal, onSignal);
    if (message !== false) host.off("message", onMessage);
  }

  for (const signal of signals) host.on(signal, onSignal);
  if (message !== false) host.on("message", onMessage);

  return { shutdown: (trigger = "manual") => start(trigger), uninstall };
}
