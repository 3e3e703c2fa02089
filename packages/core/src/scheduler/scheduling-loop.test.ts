import { describe, expect, it } from "vitest";
import { MemoryStore } from "../stores/memory-store.js";
import type { StoreSpreadHint } from "../stores/store.js";
import { SHARED_PASS_GAP_MS, walkStart } from "./scheduling-loop.js";
import { harness, ofName, PersistentMemoryStore, T0 } from "./test-support/harness.js";

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

/** A shared-store stand-in that logs its claims and advances, and can fail or pause on cue. */
class LoggingStore extends PersistentMemoryStore {
  readonly log: string[] = [];
  /** Called with the id of every claim (e.g. to pause the scheduler in the middle of a walk). */
  onClaim: (taskId: string) => void = () => {};
  /** Ids whose next advance throws (once). */
  readonly failAdvance = new Set<string>();
  /** Walked in order (a lone process), so the tests know which task comes first. */
  spreadHint(): StoreSpreadHint {
    return { index: 0, count: 1 };
  }
  override async claimRuns(taskId: string, runTimes: readonly Date[], owner: string) {
    this.log.push(`claim ${taskId}`);
    this.onClaim(taskId);
    return super.claimRuns(taskId, runTimes, owner);
  }
  runsSubmitted(taskId: string, runTimes: readonly Date[]): void {
    this.log.push(`submitted ${taskId} ${runTimes.map((t) => t.getTime() - T0).join(",")}`);
  }
  override async advanceTask(id: string, from: Date, to: Date | null) {
    this.log.push(`advance ${id}`);
    if (this.failAdvance.delete(id)) throw new Error(`advance of ${id} failed`);
    return super.advanceTask(id, from, to);
  }
}

describe("a pass over a persistent store: claims and runs first, advances after", () => {
  async function setUp(ids: readonly string[]) {
    const store = new LoggingStore();
    const h = harness({ stores: { default: store }, startupDelay: 0 });
    h.scheduler.registerFunction("job", (id: string) => {
      store.log.push(`run ${id}`);
    });
    for (const id of ids)
      await h.scheduler.addTask("job", {
        id,
        args: [id],
        trigger: "interval",
        seconds: 10,
        startAt: new Date(T0 + 1000),
      });
    return { ...h, store };
  }

  it("claims and starts every due run (and says so) before the first advance, then advances each task once", async () => {
    const { scheduler, clock, store } = await setUp(["a", "b", "c"]);
    await scheduler.start();
    await clock.advance(1000);
    const firstAdvance = store.log.findIndex((line) => line.startsWith("advance"));
    const claimed = store.log.slice(0, firstAdvance);
    expect(claimed.filter((line) => !line.startsWith("run"))).toEqual([
      "claim a",
      "submitted a 1000",
      "claim b",
      "submitted b 1000",
      "claim c",
      "submitted c 1000",
    ]);
    expect(claimed.filter((line) => line.startsWith("run")).sort()).toEqual([
      "run a",
      "run b",
      "run c",
    ]);
    expect(store.log.slice(firstAdvance).sort()).toEqual(["advance a", "advance b", "advance c"]);
    for (const id of ["a", "b", "c"])
      expect((await scheduler.getTask(id))?.nextRunTime?.getTime()).toBe(T0 + 11_000);
    await scheduler.shutdown();
  });

  it("still advances the tasks it claimed when the walk stops early (paused mid-pass)", async () => {
    const { scheduler, clock, store } = await setUp(["a", "b", "c"]);
    store.onClaim = (id) => {
      if (id === "b") scheduler.pause();
    };
    await scheduler.start();
    await clock.advance(1000);
    expect(
      store.log.filter((line) => line.startsWith("claim") || line.startsWith("advance")),
    ).toEqual(["claim a", "claim b", "advance a", "advance b"]);
    expect((await scheduler.getTask("b"))?.nextRunTime?.getTime()).toBe(T0 + 11_000);
    expect((await scheduler.getTask("c"))?.nextRunTime?.getTime()).toBe(T0 + 1000);
    store.onClaim = () => {};
    scheduler.resume();
    await clock.advance(0);
    expect(store.log.slice(-4).filter((line) => !line.startsWith("run"))).toEqual([
      "claim c",
      "submitted c 1000",
      "advance c",
    ]);
    expect(store.log.slice(-4)).toContain("run c");
    await scheduler.shutdown();
  });

  it("reports a failed advance as the task's error and backs the task off; the others advance", async () => {
    const { scheduler, clock, store, events } = await setUp(["a", "b"]);
    store.failAdvance.add("a");
    await scheduler.start();
    await clock.advance(1000);
    const errors = ofName(events, "scheduler_error");
    expect(errors.map((e) => [e.taskId, e.message])).toEqual([
      ["a", 'Cannot process task "a": advance of a failed'],
    ]);
    expect(store.log.filter((line) => line.startsWith("run"))).toEqual(["run a", "run b"]);
    expect((await scheduler.getTask("a"))?.nextRunTime?.getTime()).toBe(T0 + 1000);
    expect((await scheduler.getTask("b"))?.nextRunTime?.getTime()).toBe(T0 + 11_000);
    await scheduler.shutdown();
  });
});
