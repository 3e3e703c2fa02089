import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../errors.js";
import { silentLogger } from "../scheduler/logger.js";
import { makeTestRecord } from "../test-kit/store-contract.js";
import { MemoryStore } from "./memory-store.js";

const context = {
  alias: "default",
  owner: "me",
  lockPath: undefined,
  logger: silentLogger,
  emit: () => {},
};

describe("MemoryStore", () => {
  it("is not persistent and has type memory", () => {
    const store = new MemoryStore();
    expect(store.type).toBe("memory");
    expect(store.persistent).toBe(false);
  });

  it("rejects a bad claimRetentionMs", () => {
    expect(() => new MemoryStore({ claimRetentionMs: -1 })).toThrow(InvalidArgumentError);
  });

  it("keeps its tasks across shutdown and start", async () => {
    const store = new MemoryStore();
    await store.start(context);
    await store.addTask(makeTestRecord("a", 1000));
    await store.shutdown();
    await store.start(context);
    expect((await store.lookupTask("a"))?.id).toBe("a");
  });

  it("holds 100k tasks and finds the due ones without scanning the rest", async () => {
    const store = new MemoryStore();
    for (let i = 0; i < 100_000; i++) await store.addTask(makeTestRecord(`t${i}`, 1_000_000 + i));
    expect(store.peekNextRunTimeMs()).toBe(1_000_000);
    const due = await store.getDueTasks(new Date(1_000_004));
    expect(due.map((r) => r.id)).toEqual(["t0", "t1", "t2", "t3", "t4"]);
  });

  it("collects old claims once the task has moved past them, never live ones", async () => {
    const store = new MemoryStore({ claimRetentionMs: 0 });
    await store.start(context);
    await store.addTask(makeTestRecord("a", 1000));
    const times = Array.from({ length: 20 }, (_, i) => new Date(1000 + i));
    expect(await store.claimRuns("a", times, "me")).toHaveLength(20);
    await store.advanceTask("a", new Date(1000), new Date(1015));
    // Claims before 1015 may be collected; those at or after it must still hold.
    const again = await store.claimRuns("a", times.slice(15), "other");
    expect(again).toEqual([]);
  });
  it("hints watchers on changes that can make a task due sooner, not on advances", async () => {
    const store = new MemoryStore();
    let hints = 0;
    store.watch(() => {
      hints += 1;
    });
    const turn = () => new Promise((resolve) => setImmediate(resolve));
    await store.addTask(makeTestRecord("a", 1000));
    await turn();
    expect(hints).toBe(1);
    // An advance only moves a task later (or deletes it): no watcher must re-arm sooner.
    expect(await store.advanceTask("a", new Date(1000), new Date(2000))).toBe(true);
    expect(store.advanceTaskNow("a", new Date(2000), new Date(3000))).toBe(true);
    await turn();
    expect(hints).toBe(1);
    expect(store.peekNextRunTimeMs()).toBe(3000);
    await store.updateTask({ ...makeTestRecord("a", 500) });
    await turn();
    expect(hints).toBe(2);
  });
});
