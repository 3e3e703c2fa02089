// Task owners across real worker processes on one file store: while every worker keeps up, each
// task runs in one worker only (its owner); when an owner stalls, the others run its tasks, but
// only once `ownerGraceMs` has passed; when it is back, it runs them again. A stalled event loop
// is a real busy loop in the worker (its member lock stays held: it is alive, just late).
import { scratchDir } from "@asyncz/core/test-kit";
import { describe, expect, it } from "vitest";
// @ts-expect-error -- a plain .mjs fixture shared with bench/cluster
import { analyse, readRuns, runCluster } from "../fixtures/file-store/cluster-harness.mjs";

interface Run {
  taskId: string;
  scheduled: number;
  pid: number;
  started: number;
}

/** task id → the pids that ran it, for runs scheduled in [fromMs, toMs]. */
function runners(runs: Run[], fromMs: number, toMs: number): Map<string, Set<number>> {
  const by = new Map<string, Set<number>>();
  for (const r of runs) {
    if (r.scheduled < fromMs || r.scheduled > toMs) continue;
    const pids = by.get(r.taskId) ?? new Set<number>();
    pids.add(r.pid);
    by.set(r.taskId, pids);
  }
  return by;
}

describe("task owners in a cluster", () => {
  it("runs each task in its owner; a stalled owner's tasks move to the others after the grace, and back", async () => {
    const root = scratchDir("asyncz-owners-");
    const graceMs = 500;
    const tasks = 30;
    const run = await runCluster({
      root,
      workers: 3,
      tasks,
      interval: 1,
      durationMs: 13_000,
      envFor: (i: number, startAt: number) => ({
        STORE_OPTIONS: JSON.stringify({ ownerGraceMs: graceMs }),
        ...(i === 0 ? { BLOCK_AT_MS: String(startAt + 4200), BLOCK_FOR_MS: "3000" } : {}),
      }),
    });
    const result = analyse(run, { tasks, interval: 1 });
    expect(result.duplicates).toEqual([]);
    expect(result.missing).toEqual([]);
    const runs: Run[] = readRuns(run.outDir);
    const stalled = run.pids[0] as number;
    const t = run.startAt;

    // Before the stall: every task ran in one worker, and every worker owned some tasks.
    const before = runners(runs, t, t + 3000);
    expect(before.size).toBe(tasks);
    for (const [taskId, pids] of before) expect([taskId, pids.size]).toEqual([taskId, 1]);
    const owners = new Set([...before.values()].map((pids) => [...pids][0]));
    expect(owners).toEqual(new Set(run.pids.slice(0, 3)));
    const stalledTasks = [...before].filter(([, pids]) => pids.has(stalled)).map(([id]) => id);

    // During the stall (runs due 4.6–6.4 s in): the stalled worker's tasks ran elsewhere, never
    // before the grace was over, and within the 1 s takeover bound.
    const during = runs.filter(
      (r) => stalledTasks.includes(r.taskId) && r.scheduled >= t + 4600 && r.scheduled <= t + 6400,
    );
    expect(during.length).toBe(stalledTasks.length * 2);
    for (const r of during) {
      expect(r.pid).not.toBe(stalled);
      expect(r.started - r.scheduled).toBeGreaterThanOrEqual(graceMs - 5);
      expect(r.started - r.scheduled).toBeLessThan(1000);
    }

    // Back from the stall (runs due from 9 s in): the owner runs its tasks again.
    const after = runners(runs, t + 9000, t + 11_000);
    for (const taskId of stalledTasks) expect(after.get(taskId)).toEqual(new Set([stalled]));
  }, 90_000);
});
