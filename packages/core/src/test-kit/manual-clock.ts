/**
 * A clock that moves only when told to: for testing scheduling logic without sleeping.
 */
import type { Clock, TimerHandle } from "../scheduler/clock.js";

interface PendingTimer {
  readonly id: number;
  readonly at: number;
  readonly callback: () => void;
}

/** Settles pending promise chains (a few macrotask turns) so the scheduler's awaits complete. */
export async function flushAsync(turns = 5): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * A manual {@link Clock}. Timers fire in time order when the clock is advanced past them; between
 * timers, pending promise callbacks are settled so that async work triggered by a timer completes
 * before the next one fires.
 */
export class ManualClock implements Clock {
  #now: number;
  #nextId = 1;
  #timers: PendingTimer[] = [];
  /** Every delay passed to `setTimeout`, in order (lets tests check clamping). */
  readonly delays: number[] = [];

  /** @param start - the initial instant (a Date or epoch milliseconds) */
  constructor(start: Date | number = Date.UTC(2030, 0, 1, 12, 0, 0)) {
    this.#now = typeof start === "number" ? start : start.getTime();
  }

  /** @inheritDoc */
  now(): number {
    return this.#now;
  }

  /** @inheritDoc */
  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const id = this.#nextId++;
    this.delays.push(delayMs);
    this.#timers.push({ id, at: this.#now + Math.max(0, delayMs), callback });
    return id;
  }

  /** @inheritDoc */
  clearTimeout(handle: TimerHandle): void {
    this.#timers = this.#timers.filter((timer) => timer.id !== handle);
  }

  /** Number of timers waiting to fire. */
  get pendingTimers(): number {
    return this.#timers.length;
  }

  /**
   * Moves time forward by `ms`, firing every timer that falls due on the way, in order.
   *
   * @param ms - milliseconds to advance
   */
  async advance(ms: number): Promise<void> {
    const target = this.#now + ms;
    await flushAsync();
    for (;;) {
      let next: PendingTimer | undefined;
      for (const timer of this.#timers) if (next === undefined || timer.at < next.at) next = timer;
      if (next === undefined || next.at > target) break;
      this.#timers = this.#timers.filter((timer) => timer !== next);
      this.#now = Math.max(this.#now, next.at);
      next.callback();
      await flushAsync();
    }
    this.#now = target;
    await flushAsync();
  }

  /**
   * Jumps to an instant without firing timers (simulates a stalled event loop or a suspended
   * machine); the next {@link ManualClock.advance} fires what became due.
   *
   * @param at - the new instant
   */
  set(at: Date | number): void {
    this.#now = typeof at === "number" ? at : at.getTime();
  }
}
