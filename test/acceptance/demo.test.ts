// `npm run demo -- --json`, end to end: a real node:cluster on a real temp directory, one worker
// SIGKILLed halfway. The verdict is computed by the demo's primary from what every worker
// reported; this test checks the verdict and that it is consistent with itself.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const demo = fileURLToPath(new URL("../../scripts/demo.mjs", import.meta.url));

interface Verdict {
  workers: number;
  runs: number;
  duplicates: number;
  missed: number;
  takeoverMs: number | null;
  expected: number;
  unexpected: number;
  holderOverlaps: number;
  killedPid: number | null;
  gracefulStops: number;
  survivors: number;
  ok: boolean;
}

interface LedgerLike {
  addRun(run: {
    taskId: string;
    scheduledMs: number;
    startedMs: number;
    pid: number;
    worker: number;
  }): number;
  addHolderTick(tick: {
    pid: number;
    worker: number;
    scheduledMs: number | null;
    acquired: boolean;
    atMs: number;
  }): void;
  verdict(window: {
    fromMs: number;
    toMs: number;
    killedAtMs: number | null;
    killedPid: number | null;
  }): Record<string, unknown>;
}

describe("the cluster demo", () => {
  it("runs every scheduled run exactly once across 4 workers and survives a SIGKILL", () => {
    const result = spawnSync(
      process.execPath,
      [demo, "--json", "--duration", "10", "--workers", "4"],
      {
        encoding: "utf8",
        timeout: 60_000,
        env: { ...process.env, NO_COLOR: "1" },
      },
    );
    const lines = result.stdout.trim().split("\n");
    const last = lines.at(-1) ?? "";
    let verdict: Verdict;
    try {
      verdict = JSON.parse(last) as Verdict;
    } catch {
      throw new Error(
        `no JSON verdict on stdout:\n${result.stdout}\n--- stderr ---\n${result.stderr}`,
      );
    }
    const context = `stderr:\n${result.stderr}`;
    expect(verdict.workers, context).toBe(4);
    expect(verdict.duplicates, context).toBe(0);
    expect(verdict.missed, context).toBe(0);
    expect(verdict.unexpected, context).toBe(0);
    expect(verdict.holderOverlaps, context).toBe(0);
    // 10 s of run times: heartbeat every 1 s, report every 2 s, digest every 5 s.
    expect(verdict.expected, context).toBeGreaterThanOrEqual(10 + 5 + 2);
    expect(verdict.runs, context).toBe(verdict.expected);
    expect(verdict.killedPid, context).toBeTypeOf("number");
    // The lifecycle ticks every second; a survivor takes the lock at its next tick. Generous
    // bound for a loaded 2-core machine.
    expect(verdict.takeoverMs, context).toBeTypeOf("number");
    expect(verdict.takeoverMs ?? Number.POSITIVE_INFINITY, context).toBeLessThan(2500);
    // The 3 survivors stopped on the shutdown message through installGracefulShutdown (exit 0).
    expect(verdict.survivors, context).toBe(3);
    expect(verdict.gracefulStops, context).toBe(3);
    expect(verdict.ok, context).toBe(true);
    expect(result.status, context).toBe(0);
    // The human-readable verdict went to stderr, the JSON is the only stdout line.
    expect(lines).toHaveLength(1);
    expect(result.stderr).toMatch(/verdict: PASS/);
    expect(result.stderr).toMatch(/SIGKILL -> worker \d+ \(pid \d+\), the lifecycle holder/);
  });

  it("judges with a ledger that does catch duplicates, gaps, stray runs and two holders", async () => {
    // The same Ledger the demo's primary uses, fed a hand-made history with one of each defect,
    // so a verdict of zeros above cannot come from a ledger that never counts anything.
    const ledgerPath = "../../scripts/demo/ledger.mjs";
    const { Ledger } = (await import(ledgerPath)) as { Ledger: new () => LedgerLike };
    const ledger = new Ledger();
    const from = 1_800_000_000_000; // a whole multiple of 10 s
    const to = from + 9000;
    const run = (taskId: string, scheduledMs: number, pid: number) =>
      ledger.addRun({ taskId, scheduledMs, startedMs: scheduledMs + 5, pid, worker: 1 });
    for (let t = from; t <= to; t += 1000) if (t !== from + 4000) run("heartbeat", t, 11);
    for (let t = from; t <= to; t += 2000) run("report", t, 12);
    run("report", from + 2000, 13); // the duplicate
    run("report", from + 3000, 12); // not a run time of report
    run("digest", from, 11);
    run("digest", from + 5000, 11);
    const tick = (pid: number, scheduledMs: number, acquired: boolean, atMs: number) =>
      ledger.addHolderTick({ pid, worker: pid - 10, scheduledMs, acquired, atMs });
    tick(11, from, true, from);
    tick(11, from + 1000, false, from + 1000);
    // The overlap: 12 ticks as a holder while 11 holds the lock.
    tick(12, from + 1000, false, from + 1001);
    tick(12, from + 6000, true, from + 5600);
    // Not one: at the graceful stop, 12 ticks and releases; 13's tick of the same second, a few
    // milliseconds later, takes the lock over.
    tick(12, to, false, to);
    tick(13, to, true, to + 4);
    const verdict = ledger.verdict({
      fromMs: from,
      toMs: to,
      killedAtMs: from + 5500,
      killedPid: 11,
    });
    expect(verdict).toMatchObject({
      expected: 10 + 5 + 2,
      missed: 1,
      missedRuns: [`heartbeat@${new Date(from + 4000).toISOString()}`],
      duplicates: 1,
      unexpected: 1,
      holderOverlaps: 1,
      takeoverMs: 100,
      newHolder: 12,
      latenessP50Ms: 5,
    });
  });

  it("rejects a bad option with a message naming it", () => {
    const result = spawnSync(process.execPath, [demo, "--workers", "99"], { encoding: "utf8" });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('option --workers must be an integer from 2 to 16, got "99"');
    const unknown = spawnSync(process.execPath, [demo, "--fast"], { encoding: "utf8" });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown option "--fast"');
  });
});
