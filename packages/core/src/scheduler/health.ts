/**
 * `scheduler.health()`: one object a health endpoint or a pm2 probe can return as-is.
 *
 * @remarks
 * The scheduler owns one {@link HealthMonitor}: it starts the event-loop delay histogram at
 * `start()` and stops it at shutdown, tells it when each scheduling pass ends, and hands it a
 * {@link HealthSource} view of itself when `health()` is called. Every store is probed through the
 * `Store` port with a lookup of an id no task has (`lookupTask`, which a persistent store answers
 * from its backing storage, not from a cache), so a store on a server answers the same question as
 * the file store: can this process reach its tasks right now?
 */
import { type IntervalHistogram, monitorEventLoopDelay } from "node:perf_hooks";
import { InvalidArgumentError } from "../errors.js";
import type { Store } from "../stores/store.js";

/** The scheduler's state, as `scheduler.state` reports it. */
export type HealthState = "stopped" | "running" | "paused";

/** One store's probe. */
export interface StoreHealth {
  /** The store alias. */
  readonly alias: string;
  /** The store type (`"memory"`, `"file"`, ...). */
  readonly type: string;
  /** `true` when the probe answered within the timeout without an error. */
  readonly reachable: boolean;
  /** How long the probe took, in ms. */
  readonly latencyMs: number;
  /** Why the probe failed, when it did. */
  readonly error?: string;
}

/** What {@link HealthMonitor.collect} returns. */
export interface SchedulerHealth {
  /** `true` when the scheduler runs (or is paused on purpose) and every store is reachable. */
  readonly ok: boolean;
  /** The scheduler's state. */
  readonly state: HealthState;
  /** This process. */
  readonly pid: number;
  /** `true` when every store answered its probe. */
  readonly storeReachable: boolean;
  /** Each store's probe, in registration order. */
  readonly stores: readonly StoreHealth[];
  /**
   * Whether this process holds each lock given to `health({ locks })` (for example the lifecycle
   * lock of a `FileLockProtected` election), by the name it was given under.
   */
  readonly locks: Readonly<Record<string, boolean>>;
  /** `true` when this process holds at least one of those locks. */
  readonly lockHolder: boolean;
  /** When the scheduler will next wake up to look for due runs (ISO-8601), or `null`. */
  readonly nextWake: string | null;
  /** Runs executing in this process now. */
  readonly running: number;
  /** When the scheduling loop last completed a pass (ISO-8601), or `null` before the first. */
  readonly lastPass: string | null;
  /** What the last pass failed with, when it failed. */
  readonly lastPassError?: string;
  /**
   * 99th percentile of the event-loop delay, in ms, since the previous `health()` call (or since
   * `start()`). A high value means timers, and so runs, start late in this process.
   */
  readonly eventLoopDelayP99Ms: number;
}

/** The scheduler's internals the monitor reads. */
export interface HealthSource {
  readonly state: HealthState;
  /** Alias → store, in registration order. */
  stores(): Iterable<readonly [string, Store]>;
  /** @returns the time of the next armed wake-up, or `null` when none is armed */
  nextWake(): Date | null;
  /** @returns how many runs execute now in this process */
  runningCount(): number;
}

/** Options of `scheduler.health()`. */
export interface HealthOptions {
  /**
   * Locks to report, by name: a function telling whether this process holds the lock now (e.g.
   * `() => guard?.isHeld() ?? false` for a `FileLockProtected` guard).
   */
  readonly locks?: Readonly<Record<string, () => boolean>>;
  /** How long a store probe may take before the store counts as unreachable. @defaultValue 1000 */
  readonly probeTimeoutMs?: number;
}

const DEFAULT_PROBE_TIMEOUT_MS = 1000;
/** An id the probe looks up; a task may even have it, the answer is not used. */
const PROBE_ID = "asyncz-health-probe";
// 10 ms sampling is what Node's docs suggest: cheap, and fine enough to see a stalled loop.
const HISTOGRAM_RESOLUTION_MS = 10;

/** The part of Node's `IntervalHistogram` the monitor uses (nanoseconds). */
export type DelayHistogram = Pick<
  IntervalHistogram,
  "enable" | "disable" | "reset" | "percentile" | "count"
>;

/** Measures event-loop delay while the scheduler runs (from the first report on) and assembles health reports. */
export class HealthMonitor {
  #histogram: DelayHistogram | undefined;
  #started = false;
  #lastPass: { readonly at: Date; readonly error?: unknown } | null = null;
  readonly #createHistogram: () => DelayHistogram;

  /**
   * @param createHistogram - makes the delay histogram
   *   @defaultValue `perf_hooks.monitorEventLoopDelay({ resolution: 10 })`
   */
  constructor(
    createHistogram: () => DelayHistogram = () =>
      monitorEventLoopDelay({ resolution: HISTOGRAM_RESOLUTION_MS }),
  ) {
    this.#createHistogram = createHistogram;
  }

  /**
   * Allows measuring the event-loop delay (idempotent). The histogram itself starts at the first
   * report: its 10 ms sampling timer costs ~0.4 % of a core in an otherwise idle process (measured
   * in bench/core), which a scheduler whose `health()` is never called should not pay. So the first
   * report after `start()` says 0 ms, and each later one covers the time since the one before.
   */
  start(): void {
    this.#started = true;
  }

  /** Stops measuring (idempotent). */
  stop(): void {
    this.#started = false;
    this.#histogram?.disable();
    this.#histogram = undefined;
  }

  /**
   * Records the end of a scheduling pass.
   *
   * @param at - when it ended
   * @param error - what it failed with, if it failed
   */
  passEnded(at: Date, error?: unknown): void {
    this.#lastPass = error === undefined ? { at } : { at, error };
  }

  /**
   * Assembles a health report; resets the event-loop histogram.
   *
   * @param source - the scheduler's view of itself
   * @param options - locks to report and the probe timeout
   * @returns the report; never rejects for an unreachable store (that is a field)
   * @throws {InvalidArgumentError} (as a rejection) when `probeTimeoutMs` is not a positive number
   *   or a lock is not a function
   */
  async collect(source: HealthSource, options: HealthOptions = {}): Promise<SchedulerHealth> {
    const timeoutMs = options.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
    if (typeof timeoutMs !== "number" || !Number.isFinite(timeoutMs) || timeoutMs <= 0) {
      throw new InvalidArgumentError(
        "probeTimeoutMs",
        timeoutMs,
        "must be a positive number of ms",
      );
    }
    for (const [name, isHeld] of Object.entries(options.locks ?? {})) {
      if (typeof isHeld !== "function") {
        throw new InvalidArgumentError(
          `locks.${name}`,
          isHeld,
          "must be a function returning a boolean",
        );
      }
    }
    const stores = await Promise.all(
      [...source.stores()].map(([alias, store]) => probeStore(alias, store, timeoutMs)),
    );
    const locks: Record<string, boolean> = {};
    for (const [name, isHeld] of Object.entries(options.locks ?? {})) {
      try {
        locks[name] = isHeld() === true;
      } catch {
        locks[name] = false;
      }
    }
    const storeReachable = stores.every((s) => s.reachable);
    const pass = this.#lastPass;
    const nextWake = source.nextWake();
    const health: SchedulerHealth = {
      ok: source.state !== "stopped" && storeReachable,
      state: source.state,
      pid: process.pid,
      storeReachable,
      stores,
      locks,
      lockHolder: Object.values(locks).some(Boolean),
      nextWake: nextWake === null ? null : nextWake.toISOString(),
      running: source.runningCount(),
      lastPass: pass === null ? null : pass.at.toISOString(),
      ...(pass?.error === undefined ? {} : { lastPassError: describeError(pass.error) }),
      eventLoopDelayP99Ms: this.#takeP99(),
    };
    return health;
  }

  #takeP99(): number {
    const histogram = this.#histogram;
    if (histogram === undefined) {
      if (this.#started) {
        this.#histogram = this.#createHistogram();
        this.#histogram.enable();
      }
      return 0;
    }
    if (histogram.count === 0) return 0;
    const p99 = histogram.percentile(99) / 1e6;
    histogram.reset();
    return Math.round(p99 * 100) / 100;
  }
}

async function probeStore(alias: string, store: Store, timeoutMs: number): Promise<StoreHealth> {
  const started = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      store.lookupTask(PROBE_ID),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        timer.unref();
      }),
    ]);
    return { alias, type: store.type, reachable: true, latencyMs: elapsed(started) };
  } catch (error) {
    return {
      alias,
      type: store.type,
      reachable: false,
      latencyMs: elapsed(started),
      error: describeError(error),
    };
  } finally {
    clearTimeout(timer);
  }
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 100) / 100;
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
