import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { nowNs, spawnFixture } from "../fixtures/locks/children.js";

let directory: string;
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), "asyncz-locks-takeover-"));
});
afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

const stamp = (line: string): bigint => BigInt(line.split(" ")[1] ?? "");

describe("OS lock takeover", () => {
  it("lets a waiter in within 100 ms of the holder's SIGKILL (5 trials)", async () => {
    const latenciesMs: number[] = [];
    for (let trial = 0; trial < 5; trial += 1) {
      const lockPath = join(directory, `kill-${trial}.lock`);
      const holder = spawnFixture("hold.mjs", [lockPath, "hold"]);
      await holder.line("acquired");
      const waiter = spawnFixture("wait.mjs", [lockPath]);
      await waiter.line("waiting");
      // Let the waiter reach its longest back-off step before the kill.
      await new Promise((resolve) => setTimeout(resolve, 150));
      const killedAt = nowNs();
      holder.process.kill("SIGKILL");
      const acquiredAt = stamp(await waiter.line("acquired"));
      latenciesMs.push(Number(acquiredAt - killedAt) / 1e6);
      expect(await waiter.exited).toBe(0);
      await holder.exited;
    }
    expect(latenciesMs.every((ms) => ms >= 0 && ms < 100)).toBe(true);
  });

  it("does not rob a holder whose event loop is stalled for 3 s", async () => {
    const lockPath = join(directory, "stall.lock");
    const holder = spawnFixture("hold.mjs", [lockPath, "stall", "3000"]);
    const acquiredAt = stamp(await holder.line("acquired"));
    const waiter = spawnFixture("wait.mjs", [lockPath]);
    const [released, taken] = await Promise.all([holder.line("released"), waiter.line("acquired")]);
    const [, releasedAt, stillHeld] = released.split(" ");
    expect(stillHeld).toBe("true");
    const takenAt = stamp(taken);
    expect(takenAt).toBeGreaterThan(BigInt(releasedAt ?? ""));
    expect(Number(BigInt(releasedAt ?? "") - acquiredAt) / 1e6).toBeGreaterThanOrEqual(3000);
    expect(await holder.exited).toBe(0);
    expect(await waiter.exited).toBe(0);
  });
});

describe("mkdir strategy trade-off (documented, shown here so the README's claim stays true)", () => {
  it("a holder stalled longer than staleMs is robbed, and notices", async () => {
    const lockPath = join(directory, "mkdir-stall.lock");
    const holder = spawnFixture("hold.mjs", [lockPath, "stall", "3500", "mkdir"]);
    const acquiredAt = stamp(await holder.line("acquired"));
    const waiter = spawnFixture("wait.mjs", [lockPath, "mkdir"]);
    const [released, taken] = await Promise.all([holder.line("released"), waiter.line("acquired")]);
    const [, releasedAt, stillHeld] = released.split(" ");
    // The waiter got in while the holder was still inside (staleMs 2000 < 3500 ms stall) ...
    expect(stamp(taken)).toBeLessThan(BigInt(releasedAt ?? ""));
    expect(Number(stamp(taken) - acquiredAt) / 1e6).toBeGreaterThanOrEqual(2000);
    // ... and the owner-token check told the holder it had lost the lock.
    expect(stillHeld).toBe("false");
    await Promise.all([holder.exited, waiter.exited]);
  });
});
