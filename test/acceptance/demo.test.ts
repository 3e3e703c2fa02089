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

  it("rejects a bad option with a message naming it", () => {
    const result = spawnSync(process.execPath, [demo, "--workers", "99"], { encoding: "utf8" });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('option --workers must be an integer from 2 to 16, got "99"');
    const unknown = spawnSync(process.execPath, [demo, "--fast"], { encoding: "utf8" });
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('unknown option "--fast"');
  });
});
