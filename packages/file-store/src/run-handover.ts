/**
 * The file store's run path: claiming due runs with markers and advancing the task afterwards,
 * without the store lock in the common case. Kept apart from `FileStore`, which handles the rest
 * of the Store port; this is where the cluster's per-run cost lives (see bench/cluster).
 */
import type { TaskRecord } from "@asyncz/core";
import { advanceLine } from "./change-journal.js";
import { claimFileName, encodeId, taskFileName } from "./file-names.js";
import type { OpenStore } from "./open-store.js";
import { serializeTask, tailFor } from "./task-document.js";

/** How long a task whose current run another process won waits for that process's advance. */
const PARK_MS = 500;
/** Longest stretch of claims (ms) before a claim lets I/O callbacks run. */
const YIELD_EVERY_MS = 4;

/** Claims and advances of one started file store. */
export class RunHandover {
  readonly #open: () => OpenStore;
  readonly #claimRetentionMs: number;
  /**
   * Tasks with runs won and not yet handed over (submitted or advanced: either journals a `>`
   * line), with the markers of those runs (re-journaled if the journal is truncated before).
   */
  readonly #won = new Map<string, string[]>();
  /**
   * Tasks whose won runs the scheduler has submitted (their `>` line is out) and not advanced
   * yet: their advance is this process's as the winner, with no `stat` first.
   */
  readonly #submitted = new Set<string>();
  /** A `>` line from {@link RunHandover.submitted} waits for the next journal write. */
  #handOverQueued = false;
  /** When a claim last let I/O callbacks run (epoch ms). */
  #yieldedAtMs = 0;
  /** When the last claim was made (epoch ms). */
  #claimedAtMs = 0;

  /**
   * @param open - the started store's parts (throws when the store is not started)
   * @param claimRetentionMs - how long claim markers are kept
   */
  constructor(open: () => OpenStore, claimRetentionMs: number) {
    this.#open = open;
    this.#claimRetentionMs = claimRetentionMs;
  }

  /**
   * @param ms - a short span
   * @returns whether this process claimed a run within the last `ms` milliseconds (it is in the
   *   middle of a burst of its own due runs)
   */
  claimedWithin(ms: number): boolean {
    return Date.now() - this.#claimedAtMs < ms;
  }

  /** @returns the intents (`+marker` lines) of every run won and not yet handed over */
  pendingIntents(): string[] {
    return [...this.#won.values()].flat().map((marker) => `+${marker}`);
  }

  /**
   * Claims run times of a task (the Store port's `claimRuns`).
   *
   * @param taskId - the task
   * @param runTimes - its due run times
   * @param owner - the claimer
   * @returns the run times this process won, in order
   */
  async claim(taskId: string, runTimes: readonly Date[], owner: string): Promise<Date[]> {
    let s = this.#open();
    let nowMs = Date.now();
    // The scheduler's pass over a burst of due tasks runs as one chain of promise callbacks, so
    // nothing of the other processes reaches the index until it ends. Every few milliseconds, let
    // I/O callbacks run: the other processes' advances are applied (from their journals, without
    // reads), and their runs are then skipped below without touching the disk. A claim that starts
    // a new stretch (the last one was made before the previous yield was due: another pass) needs
    // no yield: the event loop has just run, and in a steady stream of runs — one or two per pass —
    // yielding before every claim cost an extra event-loop turn per run.
    if (nowMs - this.#claimedAtMs >= YIELD_EVERY_MS) this.#yieldedAtMs = nowMs;
    else if (nowMs - this.#yieldedAtMs >= YIELD_EVERY_MS) {
      this.#yieldedAtMs = nowMs;
      await new Promise((resolve) => setImmediate(resolve));
      s = this.#open();
      nowMs = Date.now();
    }
    this.#claimedAtMs = nowMs;
    const name = taskFileName(taskId);
    const known = s.view.index.getByName(name);
    const candidates: Array<{ time: Date; ms: number }> = [];
    for (const time of runTimes) {
      const ms = time.getTime();
      // The stored next run time has moved past this run: it was claimed and handed over already
      // (a process advances a task only after claiming its runs), or the task was rescheduled.
      if (known?.nextMs != null && known.nextMs > ms) continue;
      // A view this old may predate the collection of this run's marker: ask the disk whether the
      // task has moved past it (then the run was already handled).
      if (ms < nowMs - this.#claimRetentionMs / 2) {
        const entry = s.view.reread(name);
        if (entry === undefined || entry.nextMs === null || entry.nextMs > ms) continue;
      }
      candidates.push({ time, ms });
    }
    // Journal the intent before creating the markers: if this process dies right after winning a
    // run, the survivor that reaps this journal knows the run was its and reports it lost. (No
    // `lstat` of the marker first: in a folder of thousands of markers the look-up costs as much
    // as the `link` that answers the same question; runs other processes handled are mostly
    // skipped above, from the index.)
    const entry = known;
    let lostCurrent = false;
    const open = candidates.map(({ time, ms }) => ({
      time,
      ms,
      marker: claimFileName(taskId, ms),
    }));
    s.membership.journal?.append(...open.map((c) => `+${c.marker}`));
    this.#handOverQueued = false;
    const won: Date[] = [];
    const wonMarkers: string[] = [];
    for (const { time, ms, marker } of open) {
      if (s.claims.create(marker, owner) !== undefined) {
        won.push(time);
        wonMarkers.push(marker);
      } else if (entry !== undefined && ms === entry.nextMs) lostCurrent = true;
    }
    if (won.length > 0) {
      const held = this.#won.get(taskId);
      if (held === undefined) this.#won.set(taskId, wonMarkers);
      else held.push(...wonMarkers);
    }
    // Another process won the run the task is waiting on and will advance it (the scheduler
    // advances a pass's tasks after claiming them all); until its write arrives, this process
    // parks the task instead of treating it as due again and again, and leaves the advance to the
    // winner. If the park ends and the run is still the current one, the winner died (or stalled)
    // before advancing: this process advances the task itself (a compare-and-set, so a late winner
    // changes nothing), and the task's next run is on time instead of waiting for another park.
    else if (lostCurrent && entry !== undefined && entry.wakeMs === undefined)
      s.view.index.set({ ...entry, wakeMs: nowMs + PARK_MS });
    return won;
  }

  /**
   * The scheduler has submitted the runs of `taskId` this process won (the Store port's
   * `runsSubmitted`): a `>` line covering them goes out with the next journal write (the next
   * claim's intent, or the end of this event-loop turn), so a survivor does not report them lost
   * if this process dies before the task's advance, which the scheduler makes only after the
   * pass's claims.
   *
   * @param taskId - the task
   * @param runTimes - the run times won and submitted
   */
  submitted(taskId: string, runTimes: readonly Date[]): void {
    let lastMs = Number.NEGATIVE_INFINITY;
    for (const time of runTimes) lastMs = Math.max(lastMs, time.getTime());
    if (lastMs === Number.NEGATIVE_INFINITY || !this.#won.delete(taskId)) return;
    this.#submitted.add(taskId);
    // `>id@ms` covers every run of the task before `ms` (see lost-runs.ts).
    this.#open().membership.journal?.appendSoon(`>${encodeId(taskId)}@${lastMs + 1}`);
    this.#handOverQueued = true;
  }

  /**
   * Moves a task's stored next run time from `from` to `to` (the Store port's `advanceTask`).
   *
   * @param id - the task
   * @param from - the next run time the caller saw
   * @param to - the new one, `null` when the trigger has finished (the task is removed)
   * @returns whether the stored value was `from` and is now `to`
   */
  async advance(id: string, from: Date, to: Date | null): Promise<boolean> {
    const s = this.#open();
    // The first advance after a pass's claims: the last claims' `>` lines go out now, not after
    // the advances (one write per pass), so a process killed meanwhile is not said to have lost
    // runs it started.
    if (this.#handOverQueued) {
      this.#handOverQueued = false;
      s.membership.journal?.append();
    }
    const name = taskFileName(id);
    const fromMs = from.getTime();
    // Runs this process won and now hands over, if the scheduler did not say so already (see
    // `submitted`): the `>` line tells a survivor they were started.
    const covered = this.#won.delete(id)
      ? [`>${encodeId(id)}@${to === null ? "end" : to.getTime()}`]
      : [];
    const winner = this.#submitted.delete(id) || covered.length > 0;
    // A process that lost the run and parked the task leaves the advance to the winner (no I/O).
    // Otherwise, for a loser, once the winner's write is visible (one stat) the stored value is no
    // longer `from` and the answer is false without the lock; the winner needs no stat here
    // (patchTail checks the file's stamp itself).
    const known = s.view.index.getByName(name);
    if (known?.wakeMs !== undefined && known.wakeMs > Date.now()) {
      s.membership.journal?.append(...covered);
      return false;
    }
    // Another process's advance already reached the index: this one cannot apply (stored values
    // only move forward, except by an update, which a compare-and-set may well lose to).
    if (!winner && known?.nextMs != null && known.nextMs > fromMs) return false;
    if (!winner) s.view.refresh(name);
    const seen = s.view.index.getByName(name);
    if (seen === undefined || seen.nextMs !== fromMs) {
      s.membership.journal?.append(...covered);
      return false;
    }
    // The hot path, without the store lock: the file is still the version this process last saw
    // (same inode, size and mtime), and its tail holds `from` exactly when the stored value is
    // `from` (an in-place advance the stamp cannot see shows in the tail) — compare and overwrite.
    // Two processes that pass the check at once saw the same version, whose trigger gives them the
    // same `to` (next run times are a pure function of the record), so both write the same bytes.
    // A rename (update, replace, delete) racing this write wins, as if it came just after.
    if (to !== null) {
      const stamp = s.files.patchTail(name, tailFor(from), tailFor(to), seen.stamp);
      if (stamp !== undefined) {
        s.view.remember({ ...seen.record, nextRunTime: to }, name, stamp);
        s.monitor?.wrote(name);
        // The journal says exactly what changed, so the other members need not read the file.
        const note = { name, fromMs, toMs: to.getTime(), before: seen.stamp, after: stamp };
        s.membership.journal?.appendSoon(advanceLine(note), ...covered);
        return true;
      }
    }
    // The runs were handed to the executor before this call: say so before waiting for the lock.
    s.membership.journal?.append(...covered);
    const changed = await s.lock.run(() => {
      const entry = s.view.reread(name);
      if (entry === undefined || entry.nextMs !== fromMs) return false;
      if (to === null) {
        s.files.remove(name);
        s.view.refresh(name);
        return true;
      }
      const record: TaskRecord = { ...entry.record, nextRunTime: to };
      const stamp = s.files.write(name, serializeTask(record), false);
      if (stamp !== undefined) s.view.remember(record, name, stamp);
      return true;
    });
    if (changed) s.membership.journal?.append(name);
    return changed;
  }
}
