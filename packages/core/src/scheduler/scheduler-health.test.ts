import { describe, expect, it } from "vitest";
import { harness, T0 } from "./test-support/harness.js";

describe("scheduler.health()", () => {
  it("reports state, stores, next wake, running runs and the last pass of a real scheduler", async () => {
    const h = harness();
    expect(await h.scheduler.health()).toMatchObject({
      ok: false,
      state: "stopped",
      lastPass: null,
      nextWake: null,
      running: 0,
    });
    await h.scheduler.start();
    let release: () => void = () => undefined;
    await h.scheduler.addTask(
      function slow() {
        return new Promise<void>((resolve) => {
          release = resolve;
        });
      },
      { id: "slow", trigger: "interval", minutes: 1 },
    );
    await h.clock.advance(0);
    const idle = await h.scheduler.health({ locks: { lifecycle: () => true } });
    expect(idle).toMatchObject({
      ok: true,
      state: "running",
      storeReachable: true,
      lockHolder: true,
      locks: { lifecycle: true },
      nextWake: new Date(T0 + 60_000).toISOString(),
      running: 0,
      lastPass: new Date(T0).toISOString(),
    });
    expect(idle.stores.map((s) => [s.alias, s.type, s.reachable])).toEqual([
      ["default", "memory", true],
    ]);

    await h.clock.advance(60_000);
    const busy = await h.scheduler.health();
    expect(busy.running).toBe(1);
    expect(busy.lastPass).toBe(new Date(T0 + 60_000).toISOString());
    expect(busy.nextWake).toBe(new Date(T0 + 120_000).toISOString());
    release();

    h.scheduler.pause();
    expect((await h.scheduler.health()).state).toBe("paused");
    await h.scheduler.shutdown();
    expect(await h.scheduler.health()).toMatchObject({ ok: false, state: "stopped" });
  });
});
