import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../errors.js";
import { MemoryStore } from "../stores/memory-store.js";
import type { Store } from "../stores/store.js";
import { type DelayHistogram, HealthMonitor, type HealthSource } from "./health.js";

function source(stores: [string, Store][], overrides: Partial<HealthSource> = {}): HealthSource {
  return {
    state: "running",
    stores: () => stores,
    nextWake: () => new Date("2026-03-01T08:00:00.000Z"),
    runningCount: () => 2,
    ...overrides,
  };
}

/** A store whose lookups fail, or never answer. */
function brokenStore(mode: "throws" | "hangs"): Store {
  const store = new MemoryStore();
  return Object.assign(Object.create(store) as Store, {
    type: "broken",
    lookupTask: () =>
      mode === "throws" ? Promise.reject(new Error("EACCES: directory")) : new Promise(() => {}),
  });
}

describe("HealthMonitor", () => {
  it("reports state, stores, next wake, running count and the last pass", async () => {
    const monitor = new HealthMonitor();
    monitor.passEnded(new Date("2026-03-01T07:59:59.000Z"));
    const health = await monitor.collect(source([["default", new MemoryStore()]]));
    expect(health).toMatchObject({
      ok: true,
      state: "running",
      pid: process.pid,
      storeReachable: true,
      nextWake: "2026-03-01T08:00:00.000Z",
      running: 2,
      lastPass: "2026-03-01T07:59:59.000Z",
      locks: {},
      lockHolder: false,
      eventLoopDelayP99Ms: 0,
    });
    expect(health.stores).toEqual([
      { alias: "default", type: "memory", reachable: true, latencyMs: expect.any(Number) },
    ]);
    expect(health).not.toHaveProperty("lastPassError");
  });

  it("marks a failing or silent store unreachable without throwing", async () => {
    const monitor = new HealthMonitor();
    const health = await monitor.collect(
      source([
        ["default", new MemoryStore()],
        ["broken", brokenStore("throws")],
        ["slow", brokenStore("hangs")],
      ]),
      { probeTimeoutMs: 5 },
    );
    expect(health.ok).toBe(false);
    expect(health.storeReachable).toBe(false);
    expect(health.stores.map((s) => [s.alias, s.reachable])).toEqual([
      ["default", true],
      ["broken", false],
      ["slow", false],
    ]);
    expect(health.stores[1]?.error).toContain("EACCES");
    expect(health.stores[2]?.error).toContain("no answer within 5 ms");
  });

  it("reports the locks it is given, and a failed pass", async () => {
    const monitor = new HealthMonitor();
    monitor.passEnded(new Date(0), new TypeError("boom"));
    const health = await monitor.collect(
      source([], {
        state: "paused",
        nextWake: () => null,
      }),
      {
        locks: {
          lifecycle: () => true,
          other: () => false,
          broken: () => {
            throw new Error("closed");
          },
        },
      },
    );
    expect(health.locks).toEqual({ lifecycle: true, other: false, broken: false });
    expect(health.lockHolder).toBe(true);
    expect(health.nextWake).toBeNull();
    expect(health.lastPassError).toBe("TypeError: boom");
    expect(health.ok).toBe(true);
  });

  it("rejects a bad probe timeout or lock with a typed error naming the field", async () => {
    const monitor = new HealthMonitor();
    await expect(monitor.collect(source([]), { probeTimeoutMs: 0 })).rejects.toThrow(
      InvalidArgumentError,
    );
    await expect(monitor.collect(source([]), { probeTimeoutMs: -1 })).rejects.toThrow(
      /probeTimeoutMs = -1/,
    );
    await expect(
      monitor.collect(source([]), { locks: { lifecycle: true as unknown as () => boolean } }),
    ).rejects.toThrow(/locks\.lifecycle = true/);
  });

  it("is not ok when stopped", async () => {
    const health = await new HealthMonitor().collect(source([], { state: "stopped" }));
    expect(health.ok).toBe(false);
    expect(health.lastPass).toBeNull();
  });

  it("reports the event-loop delay p99 since the previous call, while started, sampling from the first report on", async () => {
    const samples: number[] = [];
    const log: string[] = [];
    const histogram: DelayHistogram = {
      enable: () => {
        log.push("enable");
        return true;
      },
      disable: () => {
        log.push("disable");
        return true;
      },
      reset: () => void samples.splice(0),
      get count() {
        return samples.length;
      },
      percentile: (p: number) => {
        const sorted = [...samples].sort((a, b) => a - b);
        return sorted[Math.ceil((p / 100) * sorted.length) - 1] ?? 0;
      },
    };
    const monitor = new HealthMonitor(() => histogram);
    expect((await monitor.collect(source([]))).eventLoopDelayP99Ms).toBe(0);
    monitor.start();
    monitor.start();
    // Not sampling until a report is asked for: the first report after start says 0 ms.
    expect(log).toEqual([]);
    expect((await monitor.collect(source([]))).eventLoopDelayP99Ms).toBe(0);
    expect(log).toEqual(["enable"]);
    // 100 samples in ns: 99 of 10 ms and one of 250 ms; p99 is the 99th smallest.
    samples.push(...Array.from({ length: 99 }, () => 10e6), 250e6);
    expect((await monitor.collect(source([]))).eventLoopDelayP99Ms).toBe(10);
    expect(samples).toEqual([]);
    samples.push(12.345e6);
    expect((await monitor.collect(source([]))).eventLoopDelayP99Ms).toBe(12.35);
    monitor.stop();
    monitor.stop();
    expect(log).toEqual(["enable", "disable"]);
    expect((await monitor.collect(source([]))).eventLoopDelayP99Ms).toBe(0);
  });
});
