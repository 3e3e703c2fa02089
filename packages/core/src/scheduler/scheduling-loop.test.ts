import { describe, expect, it } from "vitest";
import { MemoryStore } from "../stores/memory-store.js";
import type { StoreSpreadHint } from "../stores/store.js";
import { SHARED_PASS_GAP_MS, walkStart } from "./scheduling-loop.js";
import { harness, PersistentMemoryStore, T0 } from "./test-support/harness.js";

/** A shared-store stand-in that says where this process stands. */
class HintedStore extends PersistentMemoryStore {
  hint: StoreSpreadHint | undefined;
  constructor(hint: StoreSpreadHint | undefined) {
    super();
    this.hint = hint;
  }
  spreadHint(): StoreSpreadHint | undefined {
    return this.hint;
  }
}

const never = () => {
  throw new Error("random() must not be called");
};

describe("walkStart", () => {
  it("walks a store that is not persistent in order, whatever random says", () => {
    expect(walkStart(new MemoryStore(), 10, () => 0.99)).toBe(0);
  });

  it("starts at floor(index * length / count) when the store gives a hint", () => {
    const starts = [0, 1, 2, 3].map((index) =>
      walkStart(new HintedStore({ index, count: 4 }), 1000, never),
    );
    expect(starts).toEqual([0, 250, 500, 750]);
    expect(walkStart(new HintedStore({ index: 2, count: 3 }), 10, never)).toBe(6);
    expect(walkStart(new HintedStore({ index: 0, count: 1 }), 10, never)).toBe(0);
  });

  it("falls back to a random start without a hint or with a malformed one", () => {
    for (const hint of [
      undefined,
      { index: 4, count: 4 },
      { index: -1, count: 4 },
      { index: 0.5, count: 4 },
      { index: 0, count: Number.NaN },
    ])
      expect(walkStart(new HintedStore(hint), 100, () => 0.37)).toBe(37);
    expect(walkStart(new PersistentMemoryStore(), 100, () => 0.999_999)).toBe(99);
  });

  it("starts at 0 for lists of zero or one task", () => {
    expect(walkStart(new HintedStore({ index: 3, count: 4 }), 0, never)).toBe(0);
    expect(walkStart(new HintedStore({ index: 3, count: 4 }), 1, never)).toBe(0);
  });
});

describe("the due loop's order with a spread hint", () => {
  it("processes every due task once per pass, starting at this process's stretch and wrapping", async () => {
    const store = new HintedStore({ index: 1, count: 2 });
    const { scheduler, clock } = harness({ stores: { default: store }, startupDelay: 0 });
    const order: string[] = [];
    scheduler.registerFunction("job", (id: string) => {
      order.push(id);
    });
    const ids = ["a", "b", "c", "d", "e", "f"];
    for (const id of ids)
      await scheduler.addTask("job", {
        id,
        args: [id],
        trigger: "date",
        runAt: new Date(T0 + 1000),
      });
    await scheduler.start();
    await clock.advance(1000);
    expect(order).toEqual(["d", "e", "f", "a", "b", "c"]);
    await scheduler.shutdown();
  });
});

describe("the pass gap of a persistent store", () => {
  /** Two one-off tasks 3 ms apart; returns the clock time each started at (ms after T0). */
  async function startTimes(store: MemoryStore, tasks = 2): Promise<Map<string, number>> {
    const { scheduler, clock } = harness({ stores: { default: store }, startupDelay: 0 });
    const started = new Map<string, number>();
    scheduler.registerFunction("job", (id: string) => {
      started.set(id, clock.now() - T0);
    });
    for (let i = 0; i < tasks; i++)
      await scheduler.addTask("job", {
        id: `t${i}`,
        args: [`t${i}`],
        trigger: "date",
        runAt: new Date(T0 + 1000 + (i === tasks - 1 && tasks === 2 ? 3 : 0)),
      });
    await scheduler.start();
    for (let ms = 0; ms < 1020; ms++) await clock.advance(1);
    await scheduler.shutdown();
    return started;
  }

  it(`spaces passes over a persistent store by ${SHARED_PASS_GAP_MS} ms: a run due 3 ms after a pass waits for the gap`, async () => {
    const started = await startTimes(new PersistentMemoryStore());
    expect(started.get("t0")).toBe(1000);
    expect(started.get("t1")).toBe(1000 + SHARED_PASS_GAP_MS);
  });

  it("keeps a memory store's runs exactly on time", async () => {
    const started = await startTimes(new MemoryStore());
    expect(started.get("t0")).toBe(1000);
    expect(started.get("t1")).toBe(1003);
  });

  it("goes round at once after a full batch of due tasks, without waiting for the gap", async () => {
    const started = await startTimes(new PersistentMemoryStore(), 1001);
    expect(started.size).toBe(1001);
    expect(new Set(started.values())).toEqual(new Set([1000]));
  });
});
