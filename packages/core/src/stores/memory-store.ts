/**
 * The memory store: the default store and the reference implementation of {@link Store}.
 */
import { ConflictIdError, InvalidArgumentError, TaskLookupError } from "../errors.js";
import type { Trigger } from "../triggers/trigger.js";
import { rememberedTriggerJSON } from "../triggers/trigger-cache.js";
import { compareEntries, type IndexEntry, RunTimeIndex } from "./run-time-index.js";
import type { AddRecordOptions, Store, StoreContext } from "./store.js";
import type { TaskRecord } from "./task-record.js";

/** Options of {@link MemoryStore}. */
export interface MemoryStoreOptions {
  /**
   * How long a run claim is kept after its run time, in milliseconds, once the task has moved past
   * it. Only matters when several schedulers share one store instance: it must exceed the longest
   * time between one scheduler reading a due task and claiming its runs (one pass).
   * @defaultValue 60000 (1 minute)
   */
  readonly claimRetentionMs?: number;
}

/**
 * A task record whose trigger is still the live trigger object: what the scheduler hands
 * {@link MemoryStore.addTaskNow}. The store makes the record's JSON trigger (`trigger.toJSON()`)
 * when the record is first read, so a task that is added and never read again costs no
 * serialisation.
 */
export type LiveTaskRecord = Omit<TaskRecord, "trigger"> & {
  /** The live trigger; its `toJSON()` must be a pure function of immutable state. */
  readonly trigger: Trigger;
};

/** A task of the store: its record, or the live record until the first read. */
interface StoreEntry extends IndexEntry<TaskRecord | LiveTaskRecord> {
  /** `value` is a {@link LiveTaskRecord} whose trigger is not serialised yet. */
  live: boolean;
}

const NO_LIMIT = Number.POSITIVE_INFINITY;

/**
 * A new record with `source`'s fields but `trigger` and `nextRunTime`, written out field by
 * field: a literal of one fixed shape is cheaper to build than a spread, and it is built once per
 * due task (advance) and once per live record (first read).
 *
 * @param source - the record to copy
 * @param trigger - the new record's trigger JSON
 * @param nextRunTime - the new record's next run time
 * @returns the new record
 */
function recordWith(
  source: TaskRecord | LiveTaskRecord,
  trigger: TaskRecord["trigger"],
  nextRunTime: Date | null,
): TaskRecord {
  return {
    id: source.id,
    name: source.name,
    fn: source.fn,
    args: source.args,
    trigger,
    executor: source.executor,
    mistriggerGraceTime: source.mistriggerGraceTime,
    coalesce: source.coalesce,
    maxInstances: source.maxInstances,
    nextRunTime,
  };
}

/** The claims of one task: run time (ms) → owner, and the size at which to collect next. */
interface ClaimSet {
  readonly owners: Map<number, string>;
  collectAt: number;
}
const SWEEP_EVERY_CLAIMS = 4096;

/**
 * Keeps tasks in this process's memory, ordered by an indexed heap, so adding, advancing and
 * finding due tasks cost O(log n) however many tasks there are. Not persistent: functions need not
 * be referencable, and tasks disappear with the process. One instance may be shared by several
 * schedulers of one process; run claims then keep each run to one of them.
 */
export class MemoryStore implements Store {
  /** Always `"memory"`. */
  readonly type = "memory";
  /** Always `false`: tasks live and die with the process. */
  readonly persistent: boolean = false;

  readonly #tasks = new Map<string, StoreEntry>();
  readonly #index = new RunTimeIndex<TaskRecord | LiveTaskRecord>();
  readonly #claims = new Map<string, ClaimSet>();
  readonly #listeners = new Set<() => void>();
  readonly #claimRetentionMs: number;
  // The first sweep comes after 64 claims and each task's first collection at its second claim
  // (see `claimRunsNow`), while the code is still warming up: the JIT then optimises the claim
  // path with those branches known. Met first after 16 claims of one task or 4096 in all, they
  // de-optimised the claim path and the code that depends on it ~17 s into a busy process
  // (200 runs/s), which ran unoptimised for ~10 s more.
  #claimsSinceSweep = SWEEP_EVERY_CLAIMS - 64;
  /** How many entries hold a live record (trigger not serialised yet). */
  #liveCount = 0;
  #notifyQueued = false;

  /**
   * @param options - claim retention
   * @throws {@link InvalidArgumentError} when `claimRetentionMs` is not a non-negative number
   */
  constructor(options: MemoryStoreOptions = {}) {
    const retention = options.claimRetentionMs ?? 60_000;
    if (typeof retention !== "number" || !(retention >= 0))
      throw new InvalidArgumentError("claimRetentionMs", retention, "must be a number >= 0");
    this.#claimRetentionMs = retention;
  }

  /** @param _context - unused: a memory store needs no lock, owner or logger */
  async start(_context: StoreContext): Promise<void> {}

  /** Keeps the tasks: a scheduler started again with this instance finds them. */
  async shutdown(): Promise<void> {}

  /** @inheritDoc */
  addTask(record: TaskRecord, options?: AddRecordOptions): Promise<void> {
    try {
      this.#add(record, false, options?.replaceExisting === true);
    } catch (error) {
      return Promise.reject(error);
    }
    return Promise.resolve();
  }

  /**
   * Synchronous form of {@link MemoryStore.addTask} for a record whose trigger is still live (the
   * scheduler's fast path): the record's JSON trigger is made by `trigger.toJSON()` when the record
   * is first read (`lookupTask`, `getAllTasks`, `getDueTasks`, an advance), and from then on it is
   * the same object every time. Reads, order and watch hints are those of `addTask`.
   *
   * @param record - the record, its trigger as a live object whose `toJSON()` is pure
   * @param replaceExisting - overwrite a task with the same id
   * @throws {@link ConflictIdError} when the id is taken and `replaceExisting` is not set
   */
  addTaskNow(record: LiveTaskRecord, replaceExisting: boolean): void {
    this.#add(record, true, replaceExisting);
  }

  /** @inheritDoc */
  updateTask(record: TaskRecord): Promise<void> {
    const entry = this.#tasks.get(record.id);
    if (entry === undefined) return Promise.reject(new TaskLookupError(record.id));
    this.#put(entry, record, false);
    this.#changed();
    return Promise.resolve();
  }

  /** @inheritDoc */
  deleteTask(id: string): Promise<void> {
    const entry = this.#tasks.get(id);
    if (entry === undefined) return Promise.reject(new TaskLookupError(id));
    this.#forget(entry);
    this.#changed();
    return Promise.resolve();
  }

  /** @inheritDoc */
  removeAllTasks(): Promise<void> {
    this.#index.clear();
    this.#tasks.clear();
    this.#liveCount = 0;
    this.#changed();
    return Promise.resolve();
  }

  /** @inheritDoc */
  lookupTask(id: string): Promise<TaskRecord | null> {
    const entry = this.#tasks.get(id);
    return Promise.resolve(entry === undefined ? null : this.#record(entry));
  }

  /** @inheritDoc */
  getAllTasks(): Promise<TaskRecord[]> {
    const entries = [...this.#tasks.values()].sort(compareEntries);
    return Promise.resolve(entries.map((entry) => this.#record(entry)));
  }

  /** @inheritDoc */
  getDueTasks(now: Date, limit: number = NO_LIMIT): Promise<TaskRecord[]> {
    const due = this.#index.due(now.getTime(), limit);
    // Kept small for the scheduler's pass, into which the JIT inlines it: once every live record
    // has been read (the first pass of each task), the serialising branch is never taken.
    if (this.#liveCount !== 0) return Promise.resolve(this.#recordsOf(due as StoreEntry[]));
    const out: TaskRecord[] = new Array(due.length);
    for (let i = 0; i < due.length; i++) out[i] = (due[i] as StoreEntry).value as TaskRecord;
    return Promise.resolve(out);
  }

  /** @inheritDoc */
  getNextRunTime(): Promise<Date | null> {
    const first = this.#index.peek();
    return Promise.resolve(first === undefined ? null : new Date(first.ms));
  }

  /**
   * Synchronous form of {@link MemoryStore.getNextRunTime}, in epoch milliseconds.
   *
   * @returns the earliest run time, or `null`
   */
  peekNextRunTimeMs(): number | null {
    return this.#index.peek()?.ms ?? null;
  }

  /** @inheritDoc */
  claimRuns(taskId: string, runTimes: readonly Date[], owner: string): Promise<Date[]> {
    const won = this.claimRunsNow(taskId, runTimes, owner);
    // The port hands back an array of its own.
    return Promise.resolve(won === runTimes ? [...won] : (won as Date[]));
  }

  /**
   * Synchronous form of {@link MemoryStore.claimRuns}: the scheduler's fast path for this store,
   * which saves two promise round trips per due task.
   *
   * @param taskId - the task
   * @param runTimes - run times to claim
   * @param owner - the claiming scheduler
   * @returns the run times this call won (`runTimes` itself when it won them all)
   */
  claimRunsNow(taskId: string, runTimes: readonly Date[], owner: string): readonly Date[] {
    let claims = this.#claims.get(taskId);
    if (claims === undefined) {
      claims = { owners: new Map(), collectAt: 2 };
      this.#claims.set(taskId, claims);
    }
    const owners = claims.owners;
    // The usual outcome is that every run time is won: then the caller's array is the answer and
    // no new one is made.
    let won: Date[] | undefined;
    for (let i = 0; i < runTimes.length; i++) {
      const runTime = runTimes[i] as Date;
      const ms = runTime.getTime();
      if (owners.has(ms)) {
        won ??= runTimes.slice(0, i);
        continue;
      }
      owners.set(ms, owner);
      won?.push(runTime);
    }
    // Collected when the set doubles since the last collection: amortised O(1) per claim.
    if (owners.size >= claims.collectAt) {
      this.#collect(taskId, claims);
      claims.collectAt = Math.max(16, 2 * owners.size);
    }
    if (++this.#claimsSinceSweep >= SWEEP_EVERY_CLAIMS) this.#sweep();
    return won ?? runTimes;
  }

  /** @inheritDoc */
  advanceTask(id: string, from: Date, to: Date | null): Promise<boolean> {
    return Promise.resolve(this.advanceTaskNow(id, from, to));
  }

  /**
   * Synchronous form of {@link MemoryStore.advanceTask} (the scheduler's fast path).
   *
   * @param id - the task
   * @param from - the next run time the caller read
   * @param to - the new next run time; `null` deletes the task
   * @returns whether the task was advanced (`false`: it changed meanwhile, or is gone)
   */
  advanceTaskNow(id: string, from: Date, to: Date | null): boolean {
    const entry = this.#tasks.get(id);
    const current = entry?.value.nextRunTime;
    if (entry === undefined || current == null || current.getTime() !== from.getTime())
      return false;
    if (to === null) {
      this.#forget(entry);
    } else {
      // A new record (records are immutable values). Read by getDueTasks before any advance, so
      // no longer live: the call stays cold (not inlined into the scheduler's pass).
      const record = entry.live ? this.#record(entry) : (entry.value as TaskRecord);
      this.#put(entry, recordWith(record, record.trigger, to), false);
    }
    // No watch hint: an advance only moves a task later (or deletes it), so the earliest run time
    // never moves earlier and no watcher has to re-arm sooner. The hint cost every pass of a
    // scheduler on this store two macrotask turns and a promise for nothing.
    return true;
  }

  /** @inheritDoc */
  watch(listener: () => void): () => void {
    // Wrapped so that one function can be subscribed twice and unsubscribed independently.
    const wrapped = () => listener();
    this.#listeners.add(wrapped);
    return () => {
      this.#listeners.delete(wrapped);
    };
  }

  #add(record: TaskRecord | LiveTaskRecord, live: boolean, replaceExisting: boolean): void {
    const existing = this.#tasks.get(record.id);
    if (existing !== undefined) {
      if (!replaceExisting) throw new ConflictIdError(record.id);
      this.#put(existing, record, live);
    } else {
      const entry: StoreEntry = { ms: 0, id: record.id, value: record, pos: -1, live: false };
      this.#tasks.set(record.id, entry);
      this.#put(entry, record, live);
    }
    this.#changed();
  }

  #put(entry: StoreEntry, record: TaskRecord | LiveTaskRecord, live: boolean): void {
    if (entry.live !== live) this.#liveCount += live ? 1 : -1;
    entry.value = record;
    entry.live = live;
    this.#index.set(entry, record.nextRunTime === null ? null : record.nextRunTime.getTime());
  }

  /** The entry's record, its trigger serialised now if it is still live (once per entry). */
  #record(entry: StoreEntry): TaskRecord {
    if (!entry.live) return entry.value as TaskRecord;
    const live = entry.value as LiveTaskRecord;
    const record = recordWith(live, rememberedTriggerJSON(live.trigger), live.nextRunTime);
    entry.value = record;
    entry.live = false;
    this.#liveCount--;
    return record;
  }

  /** @returns the records of `entries`, serialising the live ones */
  #recordsOf(entries: readonly StoreEntry[]): TaskRecord[] {
    const out: TaskRecord[] = new Array(entries.length);
    for (let i = 0; i < entries.length; i++) out[i] = this.#record(entries[i] as StoreEntry);
    return out;
  }

  #forget(entry: StoreEntry): void {
    if (entry.live) this.#liveCount--;
    this.#index.remove(entry);
    this.#tasks.delete(entry.id);
  }

  #changed(): void {
    if (this.#listeners.size === 0 || this.#notifyQueued) return;
    this.#notifyQueued = true;
    // One notification per event-loop turn, however many changes: a loop of awaited adds costs a
    // flag check per add, not a callback.
    setImmediate(() => {
      this.#notifyQueued = false;
      for (const listener of this.#listeners) {
        try {
          listener();
        } catch {
          // A watcher's failure is its own; the store's state is unaffected.
        }
      }
    });
  }

  /** Drops the claims of one task that are past both its stored run time and the retention. */
  #collect(taskId: string, claims: ClaimSet, horizon = Date.now() - this.#claimRetentionMs): void {
    const next = this.#tasks.get(taskId)?.value.nextRunTime;
    const limit = next == null ? horizon : Math.min(next.getTime(), horizon);
    for (const ms of claims.owners.keys()) if (ms < limit) claims.owners.delete(ms);
    if (claims.owners.size === 0) this.#claims.delete(taskId);
  }

  #sweep(): void {
    this.#claimsSinceSweep = 0;
    const horizon = Date.now() - this.#claimRetentionMs;
    for (const [taskId, claims] of this.#claims) this.#collect(taskId, claims, horizon);
  }
}
