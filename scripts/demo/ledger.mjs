// The primary's record of everything the workers reported, and the verdict computed from it.
import { expectedRuns, SHARED_TASKS } from "./plan.mjs";

/** One executed run as a worker reported it over IPC. */
/** @typedef {{ taskId: string, scheduledMs: number, startedMs: number, pid: number, worker: number }} RunReport */

/** Collects run reports, lifecycle reports and missed-run events; computes the verdict. */
export class Ledger {
  /** @type {RunReport[]} */
  runs = [];
  /** Distinct (task id, run time) keys → how many times each ran. */
  #runCounts = new Map();
  /** Runs the schedulers reported as missed (`task_missed`). */
  reportedMissed = [];
  /** Lifecycle ticks of the lock holders, as reported: `{ pid, atMs, acquired }`. */
  #holderTicks = [];
  /** Lock acquisitions in order: `{ pid, worker, atMs }`. */
  acquisitions = [];
  /** The current lifecycle holder (pid), if any. */
  holder = null;

  /**
   * Records one executed run.
   *
   * @param {RunReport} run - the report
   * @returns {number} how many times this (task, run time) has now run; more than 1 is a duplicate
   */
  addRun(run) {
    this.runs.push(run);
    const key = `${run.taskId}@${run.scheduledMs}`;
    const count = (this.#runCounts.get(key) ?? 0) + 1;
    this.#runCounts.set(key, count);
    return count;
  }

  /** @param {{ taskId: string, scheduledMs: number, reason: string, pid: number }} missed */
  addMissed(missed) {
    this.reportedMissed.push(missed);
  }

  /**
   * Records a lifecycle tick of a process that holds the lock.
   *
   * @param {{ pid: number, worker: number, scheduledMs: number | null, acquired: boolean, atMs: number }} tick
   *   `scheduledMs` is the tick's run time (`null` for the attempt made when the generator is
   *   primed); `acquired` is true for the tick that took the lock
   */
  addHolderTick(tick) {
    this.#holderTicks.push({ pid: tick.pid, atMs: tick.atMs, acquired: tick.acquired });
    if (tick.acquired)
      this.acquisitions.push({ pid: tick.pid, worker: tick.worker, atMs: tick.atMs });
    this.holder = tick.pid;
  }

  /**
   * Ticks of a holder made after another process took the lock: the lock let two processes hold
   * it at once. (Two holders ticking for the same run time is not one: at a graceful stop the
   * holder ticks and releases, and a worker whose tick for that second comes a few milliseconds
   * later takes the lock over in it.) Ticks are ordered by when they were made; at the same
   * millisecond a holder's tick counts as made before another's acquisition.
   *
   * @returns {number} how many such ticks
   */
  #overlaps() {
    const ticks = [...this.#holderTicks].sort(
      (a, b) => a.atMs - b.atMs || Number(a.acquired) - Number(b.acquired),
    );
    let holder = null;
    let overlaps = 0;
    for (const tick of ticks) {
      if (tick.acquired) holder = tick.pid;
      else if (holder !== null && tick.pid !== holder) overlaps += 1;
    }
    return overlaps;
  }

  /** @returns {number} runs counted per task id */
  countFor(taskId) {
    let n = 0;
    for (const run of this.runs) if (run.taskId === taskId) n += 1;
    return n;
  }

  /**
   * The verdict over the run times `[fromMs, toMs]`.
   *
   * @param {{ fromMs: number, toMs: number, killedAtMs: number | null, killedPid: number | null }} window
   * @returns the verdict: runs, duplicates, missed, unexpected, holder overlaps, lateness of the
   *   runs (p50 and max, ms), takeover time
   */
  verdict({ fromMs, toMs, killedAtMs, killedPid }) {
    const expected = expectedRuns(fromMs, toMs);
    let expectedCount = 0;
    let missed = 0;
    const missedRuns = [];
    for (const [taskId, times] of expected) {
      for (const t of times) {
        expectedCount += 1;
        if (!this.#runCounts.has(`${taskId}@${t}`)) {
          missed += 1;
          missedRuns.push(`${taskId}@${new Date(t).toISOString()}`);
        }
      }
    }
    let runs = 0;
    let duplicates = 0;
    let unexpected = 0;
    const sharedIds = new Set(SHARED_TASKS.map((task) => task.id));
    for (const [key, count] of this.#runCounts) {
      const at = key.lastIndexOf("@");
      const taskId = key.slice(0, at);
      const t = Number(key.slice(at + 1));
      if (!sharedIds.has(taskId) || t < fromMs || t > toMs) continue;
      runs += count;
      duplicates += count - 1;
      if (!expected.get(taskId)?.includes(t)) unexpected += count;
    }
    const lateness = this.runs
      .filter((r) => sharedIds.has(r.taskId) && r.scheduledMs >= fromMs && r.scheduledMs <= toMs)
      .map((r) => r.startedMs - r.scheduledMs)
      .sort((a, b) => a - b);
    const holderOverlaps = this.#overlaps();
    const takeover =
      killedAtMs === null
        ? undefined
        : this.acquisitions.find((a) => a.atMs >= killedAtMs && a.pid !== killedPid);
    return {
      runs,
      expected: expectedCount,
      duplicates,
      missed,
      missedRuns,
      unexpected,
      reportedMissed: this.reportedMissed.length,
      holderOverlaps,
      latenessP50Ms: lateness[Math.floor((lateness.length - 1) / 2)] ?? null,
      latenessMaxMs: lateness.at(-1) ?? null,
      takeoverMs: takeover === undefined ? null : takeover.atMs - (killedAtMs ?? 0),
      newHolder: takeover === undefined ? null : takeover.pid,
    };
  }
}
