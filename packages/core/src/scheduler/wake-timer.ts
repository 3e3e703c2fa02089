/**
 * The scheduler's one timer. Node timers have two traps this class handles:
 *
 * - A delay above 2^31-1 ms overflows and fires at once; delays are clamped and the timer re-armed.
 * - A long `setTimeout` fires late by about delay/1000 (kernel timer slack: ~5 ms at 5 s) and can
 *   fire up to 1 ms early. So a long wait is split in two: a first wake a little before the due
 *   time, then a short, precise timer for the remainder; every wake re-checks the clock and waits
 *   again if it came early, so a run never starts before its time.
 */
import type { Clock, TimerHandle } from "./clock.js";

/** Largest delay a Node timer accepts without overflowing. */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

/**
 * Up to this remaining delay the timer is armed directly for the due time; a longer wait is split
 * in two (an early first wake, then a short timer for the rest). Splitting costs a second wake
 * (~115 µs of CPU, `bench/core/per-wake.mjs`), but even a 1 s `setTimeout` fires late enough to
 * matter: arming 1 s waits directly (tried on 2026-11-29) moved the lateness of 200 runs due on
 * every second from p50 1.7–2.1 / p99 5.6–5.7 ms to p50 2.7–3.4 / p99 6.1–6.5 ms in alternating
 * runs of `bench/core/measure.mjs asyncz fire`, past the 3 / 6 ms targets.
 */
export const DIRECT_UP_TO_MS = 50;

/**
 * @param delayMs - a remaining delay
 * @returns how long before the due time the first of the two wakes should happen
 */
function leadFor(delayMs: number): number {
  // Slack grows with the delay (about 1/1000 of it); leave twice that plus a margin, at most 1 s.
  return Math.min(1000, Math.ceil(delayMs / 500) + 10);
}

/** One re-armable timer that calls `onDue` no earlier than the instant it is armed for. */
export class WakeTimer {
  readonly #clock: Clock;
  readonly #onDue: () => void;
  #handle: TimerHandle | undefined;
  #dueMs: number | null = null;

  /**
   * @param clock - time source
   * @param onDue - called once per arming, at or after the due instant
   */
  constructor(clock: Clock, onDue: () => void) {
    this.#clock = clock;
    this.#onDue = onDue;
  }

  /** The instant the timer is armed for, or `null`. */
  get dueMs(): number | null {
    return this.#dueMs;
  }

  /**
   * Arms the timer for `dueMs`, replacing any earlier arming.
   *
   * @param dueMs - epoch milliseconds; `null` disarms
   */
  arm(dueMs: number | null): void {
    this.disarm();
    this.#dueMs = dueMs;
    if (dueMs !== null) this.#schedule();
  }

  /** Cancels the timer. */
  disarm(): void {
    if (this.#handle !== undefined) this.#clock.clearTimeout(this.#handle);
    this.#handle = undefined;
    this.#dueMs = null;
  }

  #schedule(): void {
    const due = this.#dueMs;
    if (due === null) return;
    const remaining = due - this.#clock.now();
    if (remaining <= 0) {
      this.#handle = this.#clock.setTimeout(() => this.#fire(), 0);
      return;
    }
    const wait =
      remaining <= DIRECT_UP_TO_MS
        ? remaining
        : Math.min(remaining - leadFor(remaining), MAX_TIMER_DELAY_MS);
    this.#handle = this.#clock.setTimeout(() => this.#wake(), wait);
  }

  #wake(): void {
    this.#handle = undefined;
    const due = this.#dueMs;
    if (due === null) return;
    if (this.#clock.now() >= due) this.#fire();
    else this.#schedule();
  }

  #fire(): void {
    this.#handle = undefined;
    this.#dueMs = null;
    this.#onDue();
  }
}
