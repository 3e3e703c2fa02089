import { describe, expect, it } from "vitest";
import { MemoryStore } from "../stores/memory-store.js";
import type { StoreSpreadHint } from "../stores/store.js";
import { walkStart } from "./scheduling-loop.js";
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
