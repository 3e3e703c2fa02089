/**
 * The scheduling loop: one timer, passes that never overlap, and the back-off rules. A pass asks
 * every store for its due tasks, hands each to the {@link RunDispatcher}, and re-arms the timer for
 * the earliest next run time (or a store's retry time).
 */
import { STORE_ERROR } from "../events/event-codes.js";
import type { EventDispatcher } from "../events/event-dispatcher.js";
import type { Store } from "../stores/store.js";
import type { Clock } from "./clock.js";
import type { Logger } from "./logger.js";
import type { PendingAdvance, RunDispatcher } from "./run-dispatcher.js";
import type { StoreSlot } from "./store-slots.js";
import { WakeTimer } from "./wake-timer.js";

/** Most due tasks one store hands over per pass; a full batch makes the loop go round at once. */
const PASS_BATCH = 1000;

/**
 * Where a pass starts walking a store's due list.
 *
 * @remarks
 * A store that is not persistent is walked in order. Processes sharing a persistent store start at
 * evenly spaced points when the store says where this process stands ({@link Store.spreadHint}):
 * with N processes each one's stretch is 1/N of the list, so a burst ends when 1/N is done. Without
 * a hint (or with a malformed one) the start is random; with 4 random points the longest stretch
 * averages about half the list.
 *
 * @param store - the store
 * @param length - the number of due tasks
 * @param random - a uniform random number in [0, 1) (`Math.random`)
 * @returns the index of the first task to process, `0 <= start < length` (0 for an empty list)
 */
export function walkStart(store: Store, length: number, random: () => number): number {
  if (!store.persistent || length <= 1) return 0;
  const hint = store.spreadHint?.();
  if (
    hint !== undefined &&
    Number.isInteger(hint.index) &&
    Number.isInteger(hint.count) &&
    hint.index >= 0 &&
    hint.index < hint.count
  )
    return Math.floor((hint.index * length) / hint.count);
  return Math.min(length - 1, Math.floor(random() * length));
}

/**
 * Least time between the starts of two passes while a persistent store is attached.
 *
 * @remarks
 * Processes sharing a store each wake for every run time, and each run one of them advances is a
 * change the others are told about. With run times spread over the second (1,000 tasks a second
 * at different instants), 4 processes each woke about 1,000 times a second and spent 16 % of a
 * core doing so. Passes at most every 10 ms take each wake's due runs together: at most 10 ms
 * later, for a fraction of the wakes. A memory store has no peers and keeps waking exactly on time.
 */
export const SHARED_PASS_GAP_MS = 10;

/** What the loop needs from its scheduler. */
export interface LoopHost {
  readonly clock: Clock;
  readonly events: EventDispatcher;
  readonly dispatcher: RunDispatcher;
  /** Milliseconds to leave a failing store or task alone. */
  readonly retryMs: number;
  logger(): Logger;
  isRunning(): boolean;
  stores(): Iterable<StoreSlot>;
  loopError(error: unknown, message: string, taskId?: string, store?: string): void;
  /** Told when each pass ends, with its error if it failed (for `health()`). */
  passEnded(at: Date, error?: unknown): void;
}

/** The loop of one scheduler. */
export class SchedulingLoop {
  readonly #host: LoopHost;
  readonly #timer: WakeTimer;
  /** Tasks whose processing failed: id → when they may be retried. */
  readonly #broken = new Map<string, number>();
  #notBeforeMs = 0;
  #pass: Promise<void> | undefined;
  /** Something asked for a pass while one was running (an add, a wake-up): run another at once. */
  #passAgain = false;
  /** The earliest next run time a store reported while a pass was running (epoch ms). */
  #changedNextMs: number | null = null;
  /** No pass starts before this instant (the shared-store pass gap), epoch ms. */
  #gapUntilMs = 0;

  /** @param host - the scheduler's side */
  constructor(host: LoopHost) {
    this.#host = host;
    this.#timer = new WakeTimer(host.clock, () => this.wakeup());
  }

  /**
   * Starts looping (call once the scheduler runs).
   *
   * @param notBeforeMs - no pass runs before this instant (`startupDelay`)
   */
  start(notBeforeMs: number): void {
    this.#notBeforeMs = notBeforeMs;
    this.wakeup();
  }

  /** The instant the loop will next wake up (epoch ms), or `null` when nothing is armed. */
  get dueMs(): number | null {
    return this.#timer.dueMs;
  }

  /** Stops the timer (pause). */
  disarm(): void {
    this.#timer.disarm();
  }

  /** Stops the timer and waits for a pass in progress. */
  async stop(): Promise<void> {
    this.#timer.disarm();
    await this.#pass;
  }

  /** @param taskId - a deleted task, forgotten by the back-off rules */
  forget(taskId: string): void {
    this.#broken.delete(taskId);
  }

  /**
   * A store says its contents may have changed behind our back: re-read its next run time (once
   * per macrotask turn, however many changes) and re-arm the timer if it moved earlier.
   */
  storeChanged(slot: StoreSlot): void {
    if (slot.changeQueued || !this.#host.isRunning()) return;
    slot.changeQueued = true;
    setImmediate(() => {
      slot.changeQueued = false;
      const store = slot.store;
      if (store === undefined || !this.#host.isRunning()) return;
      store.getNextRunTime().then(
        (next) => this.rearm(next),
        (error: unknown) =>
          this.#host.loopError(error, "Cannot read the next run time", undefined, slot.alias),
      );
    });
  }

  /**
   * Arms the timer for `next` when that is earlier than what is armed.
   *
   * @param next - a store's next run time, or `null` (nothing to do)
   */
  rearm(next: Date | null): void {
    if (!this.#host.isRunning() || next === null) return;
    if (this.#pass !== undefined) {
      // Taken into account when the pass arms the timer, so that peers' changes arriving during
      // a pass (every run they advance) do not each cost a pass of their own.
      const at = next.getTime();
      if (this.#changedNextMs === null || at < this.#changedNextMs) this.#changedNextMs = at;
      return;
    }
    const at = Math.max(next.getTime(), this.#notBeforeMs, this.#gapUntilMs);
    const armed = this.#timer.dueMs;
    if (armed === null || at < armed) this.#timer.arm(at);
  }

  wakeup(): void {
    if (!this.#host.isRunning()) return;
    if (this.#pass !== undefined) {
      this.#passAgain = true;
      return;
    }
    this.#timer.disarm();
    this.#pass = this.#runPasses().finally(() => {
      this.#pass = undefined;
    });
  }

  async #runPasses(): Promise<void> {
    do {
      this.#passAgain = false;
      try {
        await this.#onePass();
        this.#host.passEnded(new Date(this.#host.clock.now()));
      } catch (error) {
        this.#host.passEnded(new Date(this.#host.clock.now()), error);
        this.#host.loopError(error, "Scheduling pass failed");
        if (this.#host.isRunning()) this.#timer.arm(this.#host.clock.now() + this.#host.retryMs);
      }
    } while (this.#passAgain && this.#host.isRunning());
  }

  async #onePass(): Promise<void> {
    const nowMs = this.#host.clock.now();
    if (nowMs < this.#notBeforeMs) {
      this.#timer.arm(this.#notBeforeMs);
      return;
    }
    let wake: number | null = null;
    const earliest = (at: number | null) => {
      if (at !== null && (wake === null || at < wake)) wake = at;
    };
    this.#changedNextMs = null;
    let shared = false;
    for (const slot of [...this.#host.stores()]) {
      if (!this.#host.isRunning()) return;
      const store = slot.store;
      if (store === undefined) continue;
      if (store.persistent) shared = true;
      if (slot.retryAtMs > nowMs) {
        earliest(slot.retryAtMs);
        continue;
      }
      try {
        const due = await store.getDueTasks(new Date(nowMs), PASS_BATCH);
        let progressed = false;
        let heldUntil: number | null = null;
        // Processes sharing a persistent store all get the same due list; each walks it from its
        // own starting point, so their claims spread over the list instead of every process
        // racing for the same task first (losing a claim still costs a look at the store).
        // Exactly-once is the claims' business; the order only spreads the work, and every task
        // of the batch is still processed in this pass.
        const start = walkStart(store, due.length, Math.random);
        const failed = (id: string, error: unknown) => {
          const until = nowMs + this.#host.retryMs;
          this.#broken.set(id, until);
          heldUntil = heldUntil === null ? until : Math.min(heldUntil, until);
          this.#host.loopError(error, `Cannot process task "${id}"`, id, slot.alias);
        };
        // A persistent store's tasks are claimed and started first and advanced after the walk
        // (see RunDispatcher.process), also when the walk stops early (shutdown, pause): a claimed
        // run's task is always advanced by its claimer while it lives.
        const later: PendingAdvance[] | undefined = store.persistent ? [] : undefined;
        try {
          for (let i = 0; i < due.length; i++) {
            const record = due[(start + i) % due.length];
            if (record === undefined) continue;
            if (!this.#host.isRunning()) return;
            // A task that failed recently is left alone until its retry time (it stays stored).
            const retryAt = this.#broken.get(record.id);
            if (retryAt !== undefined && retryAt > nowMs) {
              heldUntil = heldUntil === null ? retryAt : Math.min(heldUntil, retryAt);
              continue;
            }
            try {
              // A memory store is processed synchronously (no promise); the await still yields
              // one microtask turn per task, so the runs just submitted start now, not after the
              // whole batch (200 tasks due at once: run lateness p50 4.6 → 2.x ms).
              await this.#host.dispatcher.process(slot.alias, store, record, nowMs, later);
              if (retryAt !== undefined) this.#broken.delete(record.id);
              progressed = true;
            } catch (error) {
              failed(record.id, error);
            }
          }
        } finally {
          for (const pending of later ?? []) {
            try {
              await this.#host.dispatcher.advance(pending);
            } catch (error) {
              failed(pending.record.id, error);
            }
          }
        }
        let next: number | null;
        if (due.length >= PASS_BATCH && progressed) next = nowMs;
        else next = (await store.getNextRunTime())?.getTime() ?? null;
        // Only held-back tasks are due: wake when the first of them may be retried, not at once,
        // so a task that fails every time never turns the loop into a busy loop.
        if (!progressed && heldUntil !== null && next !== null && next <= nowMs)
          next = await this.#firstUnheld(store, heldUntil, nowMs);
        earliest(next);
      } catch (error) {
        slot.retryAtMs = nowMs + this.#host.retryMs;
        earliest(slot.retryAtMs);
        this.#host
          .logger()
          .error(
            { err: error, store: slot.alias },
            `Store "${slot.alias}" failed; retrying in ${this.#host.retryMs} ms`,
          );
        if (this.#host.events.wants(STORE_ERROR))
          this.#host.events.dispatch({
            code: STORE_ERROR,
            name: "store_error",
            store: slot.alias,
            message: error instanceof Error ? error.message : String(error),
            error,
          });
      }
    }
    earliest(this.#changedNextMs);
    this.#changedNextMs = null;
    // The gap spaces passes that wait for a later run time; a pass that left due work behind (a
    // full batch) goes round at once.
    this.#gapUntilMs = shared && wake !== null && wake > nowMs ? nowMs + SHARED_PASS_GAP_MS : 0;
    if (this.#host.isRunning() && !this.#passAgain)
      this.#timer.arm(wake === null ? null : Math.max(wake, this.#notBeforeMs, this.#gapUntilMs));
  }

  /**
   * The earliest run time that is not a held-back task's, looking no further than `heldUntil`.
   *
   * @returns that time, or `heldUntil` when every task due before it is held back
   */
  async #firstUnheld(store: Store, heldUntil: number, nowMs: number): Promise<number> {
    const candidates = await store.getDueTasks(new Date(heldUntil), this.#broken.size + 1);
    for (const record of candidates) {
      const retryAt = this.#broken.get(record.id);
      if ((retryAt === undefined || retryAt <= nowMs) && record.nextRunTime !== null)
        return record.nextRunTime.getTime();
    }
    return heldUntil;
  }
}
