/**
 * `AsyncIOScheduler` (alias `Scheduler`): the public class (SPEC §3.1). Its parts live beside it:
 * stores and executors in `scheduler-components.ts`, the task API and its contract in
 * `scheduler-task-api.ts` (adding tasks in `task-registration.ts`, the rest in
 * `task-operations.ts`), its events in `scheduler-emitter.ts`, the loop in
 * `scheduling-loop.ts` and `run-dispatcher.ts`. This file holds the options, the lifecycle
 * (reference-counted start/shutdown, pause/resume) and the public methods with their contract.
 */
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { SchedulerNotRunningError } from "../errors.js";
import {
  ALL_EVENTS,
  type EventName,
  SCHEDULER_PAUSED,
  SCHEDULER_RESUMED,
  SCHEDULER_SHUTDOWN,
  SCHEDULER_START,
} from "../events/event-codes.js";
import { EventDispatcher } from "../events/event-dispatcher.js";
import type { EventListener, EventPayloads } from "../events/events.js";
import type { ExecutorConfig } from "../executors/create-executor.js";
import type { TaskFunction } from "../executors/executor.js";
import { FunctionRegistry } from "../functions/function-registry.js";
import type { Store } from "../stores/store.js";
import { type Clock, systemClock } from "./clock.js";
import { HealthMonitor, type HealthOptions, type SchedulerHealth } from "./health.js";
import { type Logger, silentLogger } from "./logger.js";
import type { SchedulerComponents } from "./scheduler-components.js";
import { SchedulerEmitter } from "./scheduler-emitter.js";
import {
  checkSchedulerOptions,
  resolveTimezone,
  type SchedulerOptions,
  type StoreConfig,
} from "./scheduler-options.js";
import { SchedulerTaskApi, type TaskParts } from "./scheduler-task-api.js";
import { wireScheduler } from "./scheduler-wiring.js";
import type { SchedulingLoop } from "./scheduling-loop.js";

/** `"stopped" | "running" | "paused"`. */
export type SchedulerState = "stopped" | "running" | "paused";

/**
 * The scheduler. Every method that touches a store returns a Promise.
 */
export class AsyncIOScheduler extends SchedulerTaskApi {
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #timezone: string;
  readonly #startupDelayMs: number | undefined;
  readonly #owner = `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
  readonly #events = new EventDispatcher(() => this.#logger);
  readonly #emitter = new SchedulerEmitter(this.#events, () => this.#logger);
  readonly #functions: FunctionRegistry;
  readonly #components: SchedulerComponents;
  readonly #instances = new Map<string, number>();
  readonly #loop: SchedulingLoop;
  readonly #healthMonitor = new HealthMonitor();
  readonly #parts: TaskParts;
  #state: SchedulerState = "stopped";
  #refs = 0;
  #abort = new AbortController();
  /** `#abort.signal`, read once per start: the getter is not free and every run asks for it. */
  #signal = this.#abort.signal;

  /**
   * @param options - see {@link SchedulerOptions}
   * @throws `InvalidArgumentError` (and subclasses) naming a bad option; `ExecutorConfigError`
   */
  constructor(options: SchedulerOptions = {}) {
    super();
    checkSchedulerOptions(options);
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger ?? silentLogger;
    this.#timezone = resolveTimezone(options.timezone);
    this.#startupDelayMs =
      options.startupDelay === undefined ? undefined : options.startupDelay * 1000;
    this.#functions = new FunctionRegistry(options.baseDirectory ?? process.cwd());
    const parts = wireScheduler(
      {
        self: this,
        owner: this.#owner,
        clock: this.#clock,
        timezone: this.#timezone,
        events: this.#events,
        emitter: this.#emitter,
        functions: this.#functions,
        instances: this.#instances,
        logger: () => this.#logger,
        started: () => this.#state !== "stopped",
        running: () => this.#state === "running",
        signal: () => this.#signal,
        passEnded: (at: Date, error?: unknown) => this.#healthMonitor.passEnded(at, error),
      },
      options,
    );
    this.#components = parts.components;
    this.#parts = { registration: parts.registration, operations: parts.operations };
    this.#loop = parts.loop;
  }

  /** @internal The scheduler's task registration and operations, for the task API. */
  protected override taskParts(): TaskParts {
    return this.#parts;
  }

  // ─── state ───────────────────────────────────────────────────────────────────────────────

  /** `"stopped"`, `"running"` or `"paused"`. */
  get state(): SchedulerState {
    return this.#state;
  }

  /** Whether the scheduler is started (also while paused). */
  get running(): boolean {
    return this.#state !== "stopped";
  }

  /** The IANA zone triggers without their own zone use. */
  get timezone(): string {
    return this.#timezone;
  }

  /** Unique id of this scheduler instance, in whose name runs are claimed. */
  get owner(): string {
    return this.#owner;
  }

  // ─── lifecycle ───────────────────────────────────────────────────────────────────────────

  /**
   * Starts the scheduler. Reference counted: only the first call starts it; every call must be
   * matched by a `shutdown()`.
   *
   * @param options - `paused: true` to start without running anything until `resume()`
   * @returns `true` for the call that really started the scheduler, `false` for the others
   * @throws the errors of starting a store or an executor (the scheduler then stays stopped)
   */
  async start(options: { paused?: boolean } = {}): Promise<boolean> {
    this.#refs++;
    if (this.#refs > 1) return false;
    try {
      await this.#reallyStart(options.paused === true);
    } catch (error) {
      this.#refs = 0;
      this.#state = "stopped";
      this.#loop.disarm();
      await this.#components.rollBack();
      throw error;
    }
    return true;
  }

  async #reallyStart(paused: boolean): Promise<void> {
    const now = this.#clock.now();
    this.#abort = new AbortController();
    this.#signal = this.#abort.signal;
    await this.#components.startAll();
    const notBefore = now + (this.#startupDelayMs ?? (this.#components.persistent ? 1000 : 0));
    this.#healthMonitor.start();
    this.#state = paused ? "paused" : "running";
    await this.#parts.registration.commitPending();
    this.#logger.info({ owner: this.#owner }, "Scheduler started");
    this.#emitter.simple(SCHEDULER_START, "scheduler_start");
    this.#loop.start(notBefore);
  }

  /**
   * Shuts the scheduler down when the last reference is released: stops the loop, aborts the run
   * signal, shuts the executors down, runs this process's shutdown tasks (awaited), closes stores.
   *
   * @param wait - let running runs finish before returning
   * @returns `true` for the call that really shut the scheduler down, `false` while references remain
   * @throws {@link SchedulerNotRunningError} when the scheduler is not running
   */
  async shutdown(wait = true): Promise<boolean> {
    if (this.#state === "stopped" || this.#refs === 0)
      throw new SchedulerNotRunningError("shutdown");
    this.#refs--;
    if (this.#refs > 0) return false;
    this.#state = "stopped";
    this.#loop.disarm();
    this.#healthMonitor.stop();
    this.#components.unwatchAll();
    await this.#loop.stop();
    this.#abort.abort();
    await this.#components.shutdownExecutors(wait);
    await this.#parts.registration.runShutdownTasks();
    await this.#components.shutdownStores();
    this.#logger.info({}, "Scheduler has been shut down");
    this.#emitter.simple(SCHEDULER_SHUTDOWN, "scheduler_shutdown");
    return true;
  }

  /**
   * A health report for a health endpoint or a pm2 probe: state, each store's reachability
   * (probed through the store), the locks given in `options`, the next wake-up, runs executing in
   * this process, the last scheduling pass, and the event-loop delay p99 since the previous call.
   *
   * @param options - locks to report (name → "does this process hold it?"), probe timeout
   * @returns the report; an unreachable store is a field, never a rejection
   */
  health(options?: HealthOptions): Promise<SchedulerHealth> {
    const stores = this.#components.stores;
    return this.#healthMonitor.collect(
      {
        state: this.#state,
        stores: () =>
          [...stores.values()].flatMap((slot) =>
            slot.store === undefined ? [] : [[slot.alias, slot.store] as const],
          ),
        nextWake: () => (this.#loop.dueMs === null ? null : new Date(this.#loop.dueMs)),
        runningCount: () => [...this.#instances.values()].reduce((sum, n) => sum + n, 0),
      },
      options,
    );
  }

  /**
   * Alias of {@link AsyncIOScheduler.shutdown}.
   *
   * @param wait - let running runs finish
   * @returns see `shutdown`
   */
  stop(wait = true): Promise<boolean> {
    return this.shutdown(wait);
  }

  /** `await using scheduler = ...`: shuts down (every remaining reference) when it goes out of scope. */
  async [Symbol.asyncDispose](): Promise<void> {
    if (this.#state === "stopped") return;
    this.#refs = 1;
    await this.shutdown();
  }

  /**
   * Stops running tasks until `resume()`; running runs are not affected.
   *
   * @throws {@link SchedulerNotRunningError} when stopped
   */
  pause(): void {
    if (this.#state === "stopped") throw new SchedulerNotRunningError("pause");
    if (this.#state === "paused") return;
    this.#state = "paused";
    this.#loop.disarm();
    this.#logger.info({}, "Scheduler paused");
    this.#emitter.simple(SCHEDULER_PAUSED, "scheduler_paused");
  }

  /**
   * Resumes a paused scheduler; runs that fell due meanwhile follow the misfire rules.
   *
   * @throws {@link SchedulerNotRunningError} when stopped
   */
  resume(): void {
    if (this.#state === "stopped") throw new SchedulerNotRunningError("resume");
    if (this.#state === "running") return;
    this.#state = "running";
    this.#logger.info({}, "Scheduler resumed");
    this.#emitter.simple(SCHEDULER_RESUMED, "scheduler_resumed");
    this.#loop.wakeup();
  }

  // ─── stores and executors ────────────────────────────────────────────────────────────────

  /**
   * Adds a store; started at once when the scheduler runs.
   *
   * @param store - an instance or `{ type, ...options }`
   * @param alias - its alias
   * @throws {@link DuplicateAliasError} when the alias is taken
   */
  async addStore(store: Store | StoreConfig, alias = "default"): Promise<void> {
    await this.#components.addStore(store, alias);
    if (this.#state === "running") this.#loop.wakeup();
  }

  /**
   * Removes a store (shutting it down; a persistent store keeps its tasks).
   *
   * @param alias - its alias
   * @throws {@link UnknownAliasError} when there is no such store
   */
  removeStore(alias: string): Promise<void> {
    return this.#components.removeStore(alias);
  }

  /**
   * Adds an executor; started at once when the scheduler runs.
   *
   * @param executor - an instance, an alias or `{ type, ...options }`
   * @param alias - its alias
   * @throws {@link DuplicateAliasError} when the alias is taken; `ExecutorConfigError`
   */
  addExecutor(executor: ExecutorConfig, alias = "default"): Promise<void> {
    return this.#components.addExecutor(executor, alias);
  }

  /**
   * Removes an executor, shutting it down (waiting for its runs).
   *
   * @param alias - its alias
   * @throws {@link UnknownAliasError} when there is no such executor
   */
  removeExecutor(alias: string): Promise<void> {
    return this.#components.removeExecutor(alias);
  }

  // ─── listeners and functions ─────────────────────────────────────────────────────────────

  /**
   * @param callback - called with every event whose code is in `mask`
   * @param mask - OR of event codes @defaultValue ALL_EVENTS
   */
  addListener(callback: EventListener, mask: number = ALL_EVENTS): void {
    this.#events.add(callback, mask);
  }

  /**
   * @param callback - a listener added before
   * @returns whether it was registered
   */
  removeListener(callback: EventListener): boolean {
    return this.#events.remove(callback);
  }

  /**
   * @param name - lowercase event name (`"task_executed"`, ...)
   * @param callback - called with the typed payload
   * @returns a function that unsubscribes
   */
  on<N extends EventName>(name: N, callback: (event: EventPayloads[N]) => void): () => void {
    return this.#events.on(name, callback);
  }

  /**
   * Registers a function under a name, so tasks in persistent stores can refer to it. Every
   * process sharing the store must register the same names.
   *
   * @param name - the name (no `:`)
   * @param fn - the function
   * @throws `FunctionNameConflictError` when another function has the name
   */
  registerFunction(name: string, fn: TaskFunction): void {
    this.#functions.register(name, fn);
  }
}

/** Alias of {@link AsyncIOScheduler}. */
export const Scheduler = AsyncIOScheduler;
/** Alias type of {@link AsyncIOScheduler}. */
export type Scheduler = AsyncIOScheduler;
