/**
 * What happens to one due task in a scheduling pass: compute every due run time, claim each of
 * them in the store, report the late ones missed, run the rest (coalesced or not, within
 * `maxInstances`), and advance the stored next run time with a compare-and-set.
 */
import { randomBytes } from "node:crypto";
import { UnknownAliasError } from "../errors.js";
import {
  TASK_ERROR,
  TASK_EXECUTED,
  TASK_MAX_INSTANCES,
  TASK_MISSED,
  TASK_REMOVED,
  TASK_SUBMITTED,
} from "../events/event-codes.js";
import type { EventDispatcher } from "../events/event-dispatcher.js";
import type { Executor, RunDone, RunRequest } from "../executors/executor.js";
import type { FunctionRegistry, ResolvedFunction } from "../functions/function-registry.js";
import { MemoryStore } from "../stores/memory-store.js";
import type { Store } from "../stores/store.js";
import type { TaskRecord } from "../stores/task-record.js";
import type { Trigger, TriggerContext } from "../triggers/trigger.js";
import type { Logger } from "./logger.js";

/** Most run times collected for one task in one pass; the rest are taken by the next pass. */
export const MAX_RUNS_PER_PASS = 1000;

/** What the dispatcher needs from its scheduler. */
export interface RunHost {
  readonly owner: string;
  readonly timezone: string;
  readonly events: EventDispatcher;
  readonly functions: FunctionRegistry;
  readonly instances: Map<string, number>;
  logger(): Logger;
  executor(alias: string): Executor | undefined;
  executorAliases(): string[];
  signal(): AbortSignal;
  triggerOf(record: TaskRecord): Trigger;
}

/** Where one run came from. */
type Source = "scheduled" | "manual";

/**
 * The advance of a task whose due runs were claimed and started, left for later in the pass (see
 * {@link RunDispatcher.process}).
 */
export interface PendingAdvance {
  readonly alias: string;
  readonly store: Store;
  readonly record: TaskRecord;
  /** The stored next run time the runs were claimed from. */
  readonly from: Date;
  /** The next run time after them, `null` when the trigger has finished. */
  readonly next: Date | null;
}

const RUN_ID_PREFIX = randomBytes(8).toString("hex");
let runCounter = 0;

/** @returns a unique run id: 32 lowercase hex characters (process prefix + counter) */
export function nextRunId(): string {
  runCounter++;
  return RUN_ID_PREFIX + runCounter.toString(16).padStart(16, "0");
}

const memoryClaimRuns = MemoryStore.prototype.claimRuns;
const memoryAdvanceTask = MemoryStore.prototype.advanceTask;

/**
 * @param store - a store
 * @returns the store when it is a memory store whose claim and advance are its own (not replaced,
 *   e.g. by a test double or a subclass), so their synchronous forms mean the same
 */
function synchronousStore(store: Store): MemoryStore | undefined {
  return store instanceof MemoryStore &&
    store.claimRuns === memoryClaimRuns &&
    store.advanceTask === memoryAdvanceTask
    ? store
    : undefined;
}

/** Runs due tasks for one scheduler. */
export class RunDispatcher {
  readonly #host: RunHost;

  /** @param host - the scheduler's side */
  constructor(host: RunHost) {
    this.#host = host;
  }

  /**
   * Every run time of `record` due at `nowMs`, from its stored next run time.
   *
   * @returns the due run times and the next run time after them (`null`: the trigger finished)
   */
  dueRunTimes(record: TaskRecord, nowMs: number): { runTimes: Date[]; next: Date | null } {
    const runTimes = this.#collectDue(record, nowMs);
    return { runTimes, next: this.#dueNext };
  }

  /** The next run time after the last {@link RunDispatcher.#collectDue} call's run times. */
  #dueNext: Date | null = null;
  /** One `now` Date per pass instant, shared by every task of the pass. */
  #nowDate = new Date(0);

  /** {@link RunDispatcher.dueRunTimes} without a result object: `next` goes to `#dueNext`. */
  #collectDue(record: TaskRecord, nowMs: number): Date[] {
    const trigger = this.#host.triggerOf(record);
    const context: TriggerContext = { timezone: this.#host.timezone, seed: record.id };
    // Triggers only read `now`; a fresh Date per pass, not per task.
    if (this.#nowDate.getTime() !== nowMs) this.#nowDate = new Date(nowMs);
    const now = this.#nowDate;
    const runTimes: Date[] = [];
    let next = record.nextRunTime;
    while (next !== null && next.getTime() <= nowMs && runTimes.length < MAX_RUNS_PER_PASS) {
      runTimes.push(next);
      const following = trigger.getNextTriggerTime(next, now, context);
      // A trigger must move forward; one that does not is treated as finished, not looped on.
      next = following !== null && following.getTime() > next.getTime() ? following : null;
    }
    this.#dueNext = next;
    return runTimes;
  }

  /**
   * Processes one due task of one store.
   *
   * @remarks
   * With `later`, a store without a synchronous fast path only claims and starts the runs here;
   * the advance goes to `later`, for {@link RunDispatcher.advance} once the pass has started every
   * due run. In a burst of due tasks in a persistent store, claiming and advancing cost about the
   * same (a `link` and an in-place write each, in the file store), so the last run of a burst
   * starts after the claims alone instead of after every claim and advance before it. Until its
   * advance, a task stays due at its claimed run time; other processes lose the claim and wait for
   * the advance, exactly as during the advance's own I/O.
   *
   * @param alias - the store alias
   * @param store - the store
   * @param record - the due task
   * @param nowMs - the pass's instant
   * @param later - where to leave the advance; without it the advance is awaited here
   * @returns a promise for stores without a synchronous fast path, else `undefined` (done)
   * @throws store errors (the caller backs off that store)
   */
  process(
    alias: string,
    store: Store,
    record: TaskRecord,
    nowMs: number,
    later?: PendingAdvance[],
  ): Promise<void> | undefined {
    const from = record.nextRunTime;
    if (from === null) return undefined;
    const runTimes = this.#collectDue(record, nowMs);
    const next = this.#dueNext;
    const fast = synchronousStore(store);
    if (fast === undefined)
      return this.#processAsync(alias, store, record, nowMs, runTimes, next, later);
    // Same steps, without a promise round trip per claim and per advance.
    const won = fast.claimRunsNow(record.id, runTimes, this.#host.owner);
    if (won.length > 0) this.submit(alias, record, won, nowMs, "scheduled");
    this.#advanced(alias, record, next, fast.advanceTaskNow(record.id, from, next));
    return undefined;
  }

  async #processAsync(
    alias: string,
    store: Store,
    record: TaskRecord,
    nowMs: number,
    runTimes: Date[],
    next: Date | null,
    later: PendingAdvance[] | undefined,
  ): Promise<void> {
    const from = record.nextRunTime as Date;
    const won = await store.claimRuns(record.id, runTimes, this.#host.owner);
    if (won.length > 0) {
      this.submit(alias, record, won, nowMs, "scheduled");
      store.runsSubmitted?.(record.id, won);
    }
    const pending: PendingAdvance = { alias, store, record, from, next };
    if (later !== undefined) later.push(pending);
    else await this.advance(pending);
  }

  /**
   * Advances a task whose runs {@link RunDispatcher.process} claimed and started.
   *
   * @param pending - what `process` left in `later`
   * @throws store errors (the caller backs off the task)
   */
  async advance(pending: PendingAdvance): Promise<void> {
    const { alias, store, record, from, next } = pending;
    this.#advanced(alias, record, next, await store.advanceTask(record.id, from, next));
  }

  #advanced(alias: string, record: TaskRecord, next: Date | null, changed: boolean): void {
    if (changed && next === null) {
      // Runs already started resolved their function; a local one is no longer needed.
      this.#host.functions.release(record.fn);
      this.#emitTaskRemoved(record.id, alias);
    }
  }

  /**
   * Hands won run times to the executor: coalesced into the latest one, or one by one; each run
   * later than the grace time is reported missed instead; `maxInstances` is enforced.
   *
   * @param alias - store alias
   * @param record - the task
   * @param runTimes - run times this process won
   * @param nowMs - the current instant
   * @param source - loop or `runTask()`
   * @param graceOverride - `null` to ignore the grace time (manual runs)
   */
  submit(
    alias: string,
    record: TaskRecord,
    runTimes: readonly Date[],
    nowMs: number,
    source: Source,
    graceOverride?: null,
  ): void {
    const grace = graceOverride === null ? null : record.mistriggerGraceTime;
    const only = runTimes.length === 1 ? (runTimes[0] as Date) : undefined;
    if (only !== undefined && (grace === null || nowMs - only.getTime() <= grace * 1000)) {
      // The common case (one run time, in time): no intermediate arrays.
      this.#start(alias, record, runTimes, 0, nowMs, source);
      return;
    }
    // Coalescing folds the backlog into its latest run time; otherwise every run time is one run
    // of a single submission (one instance), executed in order, as in asyncz.
    const candidates = record.coalesce ? runTimes.slice(-1) : runTimes;
    const coalesced = record.coalesce ? runTimes.length - 1 : 0;
    const runnable: Date[] = [];
    for (const time of candidates) {
      const lateness = nowMs - time.getTime();
      if (grace === null || lateness <= grace * 1000) {
        runnable.push(time);
        continue;
      }
      this.#host
        .logger()
        .warn(
          { taskId: record.id, scheduledRunTime: time.toISOString(), latenessMs: lateness },
          `Run of task "${record.id}" missed by ${lateness} ms (grace ${grace} s)`,
        );
      if (this.#host.events.wants(TASK_MISSED))
        this.#host.events.dispatch({
          code: TASK_MISSED,
          name: "task_missed",
          taskId: record.id,
          store: alias,
          scheduledRunTime: time,
          runId: nextRunId(),
          latenessMs: lateness,
          reason: "late",
        });
    }
    if (runnable.length > 0) this.#start(alias, record, runnable, coalesced, nowMs, source);
  }

  #start(
    alias: string,
    record: TaskRecord,
    times: readonly Date[],
    coalesced: number,
    nowMs: number,
    source: Source,
  ): void {
    const host = this.#host;
    const running = host.instances.get(record.id) ?? 0;
    const events = host.events;
    if (running >= record.maxInstances) {
      host
        .logger()
        .warn(
          { taskId: record.id, maxInstances: record.maxInstances },
          `Execution of task "${record.id}" skipped: maximum number of running instances reached (${record.maxInstances})`,
        );
      if (events.wants(TASK_MAX_INSTANCES))
        events.dispatch({
          code: TASK_MAX_INSTANCES,
          name: "task_max_instances",
          taskId: record.id,
          store: alias,
          scheduledRunTimes: times,
          coalescedRunCount: coalesced,
          source,
        });
      return;
    }
    const executor = host.executor(record.executor);
    if (executor === undefined) {
      const error = new UnknownAliasError("executor", record.executor, host.executorAliases());
      for (const time of times) this.#failed(alias, record, time, nextRunId(), error, nowMs);
      return;
    }
    host.instances.set(record.id, running + 1);
    if (events.wants(TASK_SUBMITTED))
      events.dispatch({
        code: TASK_SUBMITTED,
        name: "task_submitted",
        taskId: record.id,
        store: alias,
        scheduledRunTimes: times,
        coalescedRunCount: coalesced,
        source,
      });
    // Resolved once per submission, before the task can be released (a finished task's local
    // function is dropped right after this call).
    const cached = host.functions.cached(record.fn);
    const resolving = cached === undefined ? host.functions.resolve(record.fn) : undefined;
    const count = times.length;
    // The runs of one submission go one after the other; the last one's outcome releases the
    // instance. Callbacks, not a promise chain: a plain function's run then costs no promise.
    const runAt = (index: number): void => {
      const time = times[index] as Date;
      const runId = nextRunId();
      const done: RunDone = (ok, result) => {
        try {
          if (!ok) this.#failed(alias, record, time, runId, result, nowMs);
          else if (events.wants(TASK_EXECUTED))
            events.dispatch({
              code: TASK_EXECUTED,
              name: "task_executed",
              taskId: record.id,
              store: alias,
              scheduledRunTime: time,
              runId,
              returnValue: result,
              latenessMs: nowMs - time.getTime(),
            });
        } finally {
          if (index === count - 1) this.#release(record.id);
          else runAt(index + 1);
        }
      };
      if (cached !== undefined) this.#execute(executor, record, cached, time, runId, done);
      else
        (resolving as Promise<ResolvedFunction>).then(
          (resolved) => this.#execute(executor, record, resolved, time, runId, done),
          (error: unknown) => done(false, error),
        );
    };
    runAt(0);
  }

  /** Hands one run to the executor, through its callback form when it has one. */
  #execute(
    executor: Executor,
    record: TaskRecord,
    resolved: ResolvedFunction,
    time: Date,
    runId: string,
    done: RunDone,
  ): void {
    const request: RunRequest = {
      taskId: record.id,
      runId,
      scheduledRunTime: time,
      fn: resolved.fn,
      moduleRef: resolved.moduleRef,
      args: record.args,
      signal: this.#host.signal(),
    };
    if (executor.runNow !== undefined) executor.runNow(request, done);
    else
      executor.run(request).then(
        (value) => done(true, value),
        (error: unknown) => done(false, error),
      );
  }

  #failed(
    alias: string,
    record: TaskRecord,
    time: Date,
    runId: string,
    exception: unknown,
    nowMs: number,
  ): void {
    this.#host
      .logger()
      .error({ err: exception, taskId: record.id, runId }, `Task "${record.id}" failed`);
    if (this.#host.events.wants(TASK_ERROR))
      this.#host.events.dispatch({
        code: TASK_ERROR,
        name: "task_error",
        taskId: record.id,
        store: alias,
        scheduledRunTime: time,
        runId,
        exception,
        latenessMs: nowMs - time.getTime(),
      });
  }

  #release(taskId: string): void {
    const instances = this.#host.instances;
    const count = (instances.get(taskId) ?? 1) - 1;
    // Zero is kept for up to 1024 tasks: a map emptied by every pass and refilled by the next
    // shrinks and regrows its table each time (an allocation per run).
    if (count <= 0 && instances.size > 1024) instances.delete(taskId);
    else instances.set(taskId, Math.max(0, count));
  }

  #emitTaskRemoved(taskId: string, alias: string): void {
    this.#host.logger().info({ taskId }, `Removed finished task "${taskId}"`);
    if (this.#host.events.wants(TASK_REMOVED))
      this.#host.events.dispatch({
        code: TASK_REMOVED,
        name: "task_removed",
        taskId,
        store: alias,
      });
  }
}
