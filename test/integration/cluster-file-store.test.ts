// The scheduler across real worker processes sharing one file store on a real directory. Each run
// records (task id, scheduled run time, pid, start time); the test aggregates every process's
// records. Bounds are the guarantees, generously: no timing is asserted beyond "within 1 s".
import { mkdirSync, readdirSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { scratchDir } from "@asyncz/core/test-kit";
import { describe, expect, it } from "vitest";
// @ts-expect-error -- a plain .mjs fixture shared with bench/cluster
import { analyse, runCluster } from "../fixtures/file-store/cluster-harness.mjs";

interface Missing {
  key: string;
  owner: string | null;
  ownerPid: number | null;
  byKilled: boolean;
}
interface Analysis {
  expected: number;
  executed: number;
  duplicates: Array<[string, number[]]>;
  missing: Missing[];
  missedEvents: Array<{ taskId: string; t: number; reason: string }>;
  latenessP50: number;
  latenessP99: number;
  latenessMax: number;
}

function scratch(): string {
  return scratchDir("asyncz-cluster-");
}

describe("cluster on a file store", () => {
  it("4 workers × 200 interval tasks every second for 30 s: zero duplicates, zero missing", async () => {
    const root = scratch();
    const run = await runCluster({ root, workers: 4, tasks: 200, interval: 1, durationMs: 30_000 });
    expect(run.codes).toEqual([0, 0, 0, 0]);
    const result: Analysis = analyse(run, { tasks: 200, interval: 1 });
    expect(result.expected).toBeGreaterThan(200 * 25);
    expect(result.duplicates).toEqual([]);
    expect(result.missing).toEqual([]);
    expect(result.missedEvents).toEqual([]);
  }, 90_000);

  it("a random worker SIGKILLed and restarted every 2 s: zero duplicates, only the killed claimers' runs lost, runs keep starting", async () => {
    const root = scratch();
    const run = await runCluster({
      root,
      workers: 4,
      tasks: 200,
      interval: 1,
      durationMs: 20_000,
      killEveryMs: 2000,
    });
    expect(run.kills.length).toBeGreaterThanOrEqual(6);
    const result: Analysis = analyse(run, { tasks: 200, interval: 1 });
    expect(result.duplicates).toEqual([]);
    // Every run that did not execute was claimed by a process that was then killed.
    expect(result.missing.filter((m) => !m.byKilled)).toEqual([]);
    // Each lost run was reported as task_missed ("lost") by a survivor.
    const reported = new Set(result.missedEvents.map((e) => `${e.taskId}@${e.t}`));
    for (const m of result.missing) expect(reported.has(m.key)).toBe(true);
    // Runs keep starting within 1 s of their time while workers die (generous bound: p99).
    expect(result.latenessP99).toBeLessThan(1000);
  }, 90_000);

  it("a worker whose event loop is blocked for 5 s causes no duplicate and no missing run", async () => {
    const root = scratch();
    const run = await runCluster({
      root,
      workers: 4,
      tasks: 50,
      interval: 1,
      durationMs: 15_000,
      envFor: (i: number, startAt: number) =>
        i === 0 ? { BLOCK_AT_MS: String(startAt + 4000), BLOCK_FOR_MS: "5000" } : {},
    });
    const result: Analysis = analyse(run, { tasks: 50, interval: 1 });
    expect(result.duplicates).toEqual([]);
    // Runs the blocked worker had claimed just before it stalled start late, but they start.
    expect(result.missing).toEqual([]);
  }, 90_000);

  it("quarantines a corrupt and a truncated file found at start, and every other task runs", async () => {
    const root = scratch();
    let directory = "";
    const run = await runCluster({
      root,
      workers: 2,
      tasks: 20,
      interval: 1,
      durationMs: 6000,
      prepare: (dir: string) => {
        directory = dir;
        mkdirSync(dir, { mode: 0o700 });
        const corrupt = join(dir, "broken.task.json");
        const truncated = join(dir, "t-999.task.json");
        writeFileSync(corrupt, "\u0000\u0000 garbage");
        writeFileSync(truncated, '{\n  "version": 1,\n  "id": "t-999",\n  "name": "t-9');
        const past = new Date(Date.now() - 60_000);
        for (const path of [corrupt, truncated]) utimesSync(path, past, past);
      },
    });
    expect(run.codes).toEqual([0, 0]);
    const result: Analysis = analyse(run, { tasks: 20, interval: 1 });
    expect(result.expected).toBeGreaterThan(20 * 3);
    expect(result.duplicates).toEqual([]);
    expect(result.missing).toEqual([]);
    const quarantined = readdirSync(join(directory, "quarantine"));
    expect(quarantined.filter((n) => n.startsWith("broken.task.json"))).toHaveLength(1);
    expect(quarantined.filter((n) => n.startsWith("t-999.task.json"))).toHaveLength(1);
  }, 60_000);
});
