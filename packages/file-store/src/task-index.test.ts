import type { TaskRecord } from "@asyncz/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { taskFileName } from "./file-names.js";
import { compareEntries, type IndexEntry, TaskIndex } from "./task-index.js";

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
