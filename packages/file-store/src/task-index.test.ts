import type { TaskRecord } from "@asyncz/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { taskFileName } from "./file-names.js";
import { compareEntries, type IndexEntry, TaskIndex } from "./task-index.js";
import { ownerIndex } from "./task-owner.js";

function entry(id: string, nextMs: number | null): IndexEntry {
  const record: TaskRecord = {
    id,
    name: id,
    fn: "job",
    args: [],
    trigger: { type: "interval", version: 1, seconds: 1 },
    executor: "default",
    mistriggerGraceTime: 60,
    coalesce: true,
    maxInstances: 1,
    nextRunTime: nextMs === null ? null : new Date(nextMs),
  };
  return { record, nextMs, name: taskFileName(id), stamp: { ino: 1, mtimeMs: 0, size: 0 } };
}

describe("TaskIndex", () => {
  it("agrees with a sorted list under any sequence of sets and deletes", () => {
    const op = fc.oneof(
      fc.record({
        kind: fc.constant("set" as const),
        id: fc.constantFrom("a", "b", "c", "d", "e", "f", "g"),
        next: fc.option(fc.integer({ min: 0, max: 50 }), { nil: null }),
      }),
      fc.record({ kind: fc.constant("delete" as const), id: fc.constantFrom("a", "b", "c", "d") }),
    );
    fc.assert(
      fc.property(
        fc.array(op, { maxLength: 200 }),
        fc.integer({ min: -1, max: 60 }),
        (ops, now) => {
          const index = new TaskIndex();
          const model = new Map<string, IndexEntry>();
          for (const o of ops) {
            if (o.kind === "set") {
              const e = entry(o.id, o.next);
              index.set(e);
              model.set(o.id, e);
            } else {
              index.delete(o.id);
              model.delete(o.id);
            }
          }
          const sorted = [...model.values()].sort(compareEntries);
          expect(index.all().map((e) => e.record.id)).toEqual(sorted.map((e) => e.record.id));
          const due = sorted.filter((e) => e.nextMs !== null && e.nextMs <= now);
          expect(index.due(now).map((e) => e.record.id)).toEqual(due.map((e) => e.record.id));
          expect(index.due(now, 2).map((e) => e.record.id)).toEqual(
            due.slice(0, 2).map((e) => e.record.id),
          );
          const first = sorted.find((e) => e.nextMs !== null);
          expect(index.nextMs()).toBe(first?.nextMs ?? null);
          expect(index.size).toBe(model.size);
        },
      ),
    );
  });

  it("finds entries by file name and forgets them on delete", () => {
    const index = new TaskIndex();
    index.set(entry("x", 5));
    expect(index.getByName(taskFileName("x"))?.record.id).toBe("x");
    index.delete("x");
    expect(index.getByName(taskFileName("x"))).toBeUndefined();
    expect(index.nextMs()).toBeNull();
  });
});

describe("TaskIndex.share", () => {
  const ids = Array.from({ length: 40 }, (_, i) => `t-${i}`);
  const filled = () => {
    const index = new TaskIndex();
    for (const id of ids) index.set(entry(id, 1000));
    return index;
  };

  it("keys the other members' tasks graceMs later; its own and the order of all() stay", () => {
    const index = filled();
    expect(index.share(1, 4, 50)).toBe(true);
    const own = ids.filter((id) => ownerIndex(id, 4) === 1);
    expect(own.length).toBeGreaterThan(0);
    expect(own.length).toBeLessThan(ids.length);
    expect(index.due(1000).map((e) => e.record.id)).toEqual([...own].sort());
    expect(index.due(1049).map((e) => e.record.id)).toEqual([...own].sort());
    expect(index.due(1050)).toHaveLength(ids.length);
    expect(index.nextMs()).toBe(1000);
    expect(index.all()).toHaveLength(ids.length);
    // A task set after the share follows it too.
    const other = ids.find((id) => ownerIndex(id, 4) !== 1) as string;
    index.set(entry(other, 2000));
    expect(index.due(2049).map((e) => e.record.id)).not.toContain(other);
    expect(index.due(2050).map((e) => e.record.id)).toContain(other);
  });

  it("answers the next wake-up with the grace when only other members' tasks are left", () => {
    const index = new TaskIndex();
    const other = ids.find((id) => ownerIndex(id, 2) !== 0) as string;
    index.set(entry(other, 1000));
    index.share(0, 2, 30);
    expect(index.nextMs()).toBe(1030);
  });

  it("re-keys every task when the share changes, and turns off for one member or no grace", () => {
    const index = filled();
    index.share(0, 2, 50);
    const firstOwn = index.due(1000).length;
    expect(index.share(0, 2, 50)).toBe(false);
    expect(index.share(1, 2, 50)).toBe(true);
    expect(index.due(1000).length).toBe(ids.length - firstOwn);
    expect(index.share(0, 1, 50)).toBe(true);
    expect(index.due(1000)).toHaveLength(ids.length);
    index.share(0, 3, 50);
    expect(index.share(0, 3, 0)).toBe(true);
    expect(index.due(1000)).toHaveLength(ids.length);
    // An index out of range (the member list is being refreshed) means: every task is ours.
    index.share(5, 3, 50);
    expect(index.due(1000)).toHaveLength(ids.length);
  });

  it("adds the grace after a parked task's wake-up", () => {
    const index = new TaskIndex();
    const other = ids.find((id) => ownerIndex(id, 2) !== 0) as string;
    index.share(0, 2, 50);
    index.set({ ...entry(other, 1000), wakeMs: 1500 });
    expect(index.nextMs()).toBe(1550);
  });
});
