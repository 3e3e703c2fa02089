import { describe, expect, it } from "vitest";
import { ConflictIdError } from "../errors.js";
import { CronTrigger } from "../triggers/cron/cron-trigger.js";
import { IntervalTrigger } from "../triggers/interval-trigger.js";
import type { Trigger } from "../triggers/trigger.js";
import { type LiveTaskRecord, MemoryStore } from "./memory-store.js";
import { type TaskRecord, taskRecordToJSON } from "./task-record.js";

const T0 = Date.UTC(2030, 0, 1, 12, 0, 0);

function liveRecord(
  id: string,
  nextRunTime: number | null,
  trigger: Trigger = interval(),
): LiveTaskRecord {
  return {
    id,
    name: `task ${id}`,
    fn: "job",
    args: [1, "two"],
    trigger,
    executor: "default",
    mistriggerGraceTime: 60,
    coalesce: true,
    maxInstances: 1,
    nextRunTime: nextRunTime === null ? null : new Date(nextRunTime),
  };
}

function interval(): IntervalTrigger {
  return new IntervalTrigger({ minutes: 5, startAt: new Date(T0 + 300_000) });
}

/** The record `addTask` would have been given: the trigger serialised at once. */
function eager(record: LiveTaskRecord): TaskRecord {
  return { ...record, trigger: record.trigger.toJSON() };
}

describe("MemoryStore.addTaskNow (records with a live trigger)", () => {
  it("hands out the record with the trigger's JSON, field for field as addTask would store it", async () => {
    const live = liveRecord("a", T0 + 300_000);
    const store = new MemoryStore();
    store.addTaskNow(live, false);
    const read = await store.lookupTask("a");
    expect(read).toEqual(eager(live));
    expect(read?.trigger).toEqual({
      type: "interval",
      version: 1,
      seconds: 300,
      startAt: "2030-01-01T12:05:00.000Z",
      endAt: null,
      timezone: null,
      jitter: null,
    });
    // Same keys in the same order: the JSON a persistent store would write is identical.
    expect(JSON.stringify(taskRecordToJSON(read as TaskRecord))).toBe(
      JSON.stringify(taskRecordToJSON(eager(live))),
    );
  });

  it("serialises once: every read returns the same record object", async () => {
    const store = new MemoryStore();
    store.addTaskNow(liveRecord("a", T0), false);
    const first = await store.lookupTask("a");
    expect(await store.lookupTask("a")).toBe(first);
    expect((await store.getAllTasks())[0]).toBe(first);
    expect((await store.getDueTasks(new Date(T0)))[0]).toBe(first);
  });

  it("serialises on getAllTasks and getDueTasks too, in store order", async () => {
    const store = new MemoryStore();
    const cron = new CronTrigger({ minute: "*/5" });
    store.addTaskNow(liveRecord("b", T0 + 2000, cron), false);
    store.addTaskNow(liveRecord("a", T0 + 1000), false);
    store.addTaskNow(liveRecord("p", null), false);
    const all = await store.getAllTasks();
    expect(all.map((r) => r.id)).toEqual(["a", "b", "p"]);
    expect(all[1]?.trigger).toEqual(cron.toJSON());
    const other = new MemoryStore();
    other.addTaskNow(liveRecord("b", T0 + 2000, cron), false);
    const due = await other.getDueTasks(new Date(T0 + 5000));
    expect(due).toEqual([eager(liveRecord("b", T0 + 2000, cron))]);
  });

  it("rejects a taken id with ConflictIdError and keeps the stored task", async () => {
    const store = new MemoryStore();
    store.addTaskNow(liveRecord("a", T0), false);
    expect(() => store.addTaskNow(liveRecord("a", T0 + 1), false)).toThrow(ConflictIdError);
    await expect(store.addTask(eager(liveRecord("a", T0 + 2)))).rejects.toBeInstanceOf(
      ConflictIdError,
    );
    expect((await store.lookupTask("a"))?.nextRunTime).toEqual(new Date(T0));
  });

  it("replaces with replaceExisting, live over plain and plain over live", async () => {
    const store = new MemoryStore();
    await store.addTask(eager(liveRecord("a", T0)));
    store.addTaskNow(liveRecord("a", T0 + 10), true);
    expect(await store.lookupTask("a")).toEqual(eager(liveRecord("a", T0 + 10)));
    store.addTaskNow(liveRecord("a", T0 + 20), true);
    await store.addTask(eager(liveRecord("a", T0 + 30)), { replaceExisting: true });
    expect(await store.lookupTask("a")).toEqual(eager(liveRecord("a", T0 + 30)));
    expect(store.peekNextRunTimeMs()).toBe(T0 + 30);
  });

  it("advances a task that was never read, with the trigger serialised", async () => {
    const store = new MemoryStore();
    store.addTaskNow(liveRecord("a", T0), false);
    expect(store.advanceTaskNow("a", new Date(T0), new Date(T0 + 300_000))).toBe(true);
    expect(await store.lookupTask("a")).toEqual(eager(liveRecord("a", T0 + 300_000)));
  });

  it("updateTask replaces a live record by the plain one it is given", async () => {
    const store = new MemoryStore();
    store.addTaskNow(liveRecord("a", T0), false);
    const plain = { ...eager(liveRecord("a", T0 + 5)), name: "renamed" };
    await store.updateTask(plain);
    expect(await store.lookupTask("a")).toBe(plain);
  });

  it("getDueTasks never hands out a live record, whatever happened to the others", async () => {
    const store = new MemoryStore();
    const isPlain = (record: TaskRecord) =>
      typeof (record.trigger as Partial<Trigger>).getNextTriggerTime === "undefined";
    store.addTaskNow(liveRecord("a", T0), false);
    store.addTaskNow(liveRecord("b", T0 + 1), false);
    store.addTaskNow(liveRecord("c", T0 + 2), false);
    store.addTaskNow(liveRecord("d", T0 + 3), false);
    await store.lookupTask("a"); // serialised by a read
    await store.deleteTask("b"); // live, deleted
    expect(store.advanceTaskNow("c", new Date(T0 + 2), null)).toBe(true); // live, finished
    await store.updateTask(eager(liveRecord("d", T0 + 4))); // live, replaced by a plain record
    store.addTaskNow(liveRecord("e", T0 + 5), false);
    store.addTaskNow(liveRecord("e", T0 + 6), true); // live over live
    let due = await store.getDueTasks(new Date(T0 + 10));
    expect(due.map((r) => r.id)).toEqual(["a", "d", "e"]);
    expect(due.every(isPlain)).toBe(true);
    expect(due[2]).toEqual(eager(liveRecord("e", T0 + 6)));
    // All serialised now; later adds are live again and still come out plain.
    store.addTaskNow(liveRecord("f", T0 + 7), false);
    due = await store.getDueTasks(new Date(T0 + 10));
    expect(due.map((r) => r.id)).toEqual(["a", "d", "e", "f"]);
    expect(due.every(isPlain)).toBe(true);
    await store.removeAllTasks();
    store.addTaskNow(liveRecord("g", T0), false);
    due = await store.getDueTasks(new Date(T0 + 10));
    expect(due).toEqual([eager(liveRecord("g", T0))]);
  });

  it("sends the same watch hint as addTask", async () => {
    const store = new MemoryStore();
    let hints = 0;
    store.watch(() => {
      hints += 1;
    });
    store.addTaskNow(liveRecord("a", T0), false);
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(hints).toBe(1);
  });
});
