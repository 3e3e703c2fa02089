import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compareEntries, type IndexEntry, RunTimeIndex } from "./run-time-index.js";

describe("RunTimeIndex", () => {
  it("agrees with a sorted array under random inserts, moves, pauses and removals", () => {
    const op = fc.record({
      id: fc.integer({ min: 0, max: 30 }),
      ms: fc.option(fc.integer({ min: 0, max: 50 }), { nil: null }),
      remove: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), fc.integer({ min: 0, max: 60 }), (ops, now) => {
        const index = new RunTimeIndex<null>();
        const entries = new Map<string, IndexEntry<null>>();
        for (const { id, ms, remove } of ops) {
          const key = `t${id}`;
          let entry = entries.get(key);
          if (remove) {
            if (entry !== undefined) index.remove(entry);
            entries.delete(key);
            continue;
          }
          if (entry === undefined) {
            entry = { ms: 0, id: key, value: null, pos: -1 };
            entries.set(key, entry);
          }
          index.set(entry, ms);
        }
        const scheduled = [...entries.values()].filter((e) => e.pos >= 0).sort(compareEntries);
        expect(index.size).toBe(scheduled.length);
        expect(index.peek()).toBe(scheduled[0]);
        expect(index.due(now, Number.POSITIVE_INFINITY)).toEqual(
          scheduled.filter((e) => e.ms <= now),
        );
        expect(index.due(now, 3)).toEqual(scheduled.filter((e) => e.ms <= now).slice(0, 3));
      }),
    );
  });
});
