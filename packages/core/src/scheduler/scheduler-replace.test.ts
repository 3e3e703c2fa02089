import { describe, expect, it, vi } from "vitest";
import { ConflictIdError } from "../errors.js";
import { MemoryStore } from "../stores/memory-store.js";
import { Task } from "../tasks/task.js";
import { ManualClock } from "../test-kit/manual-clock.js";
import { IntervalTrigger } from "../triggers/interval-trigger.js";
import { harness, ofName, T0 } from "./test-support/harness.js";

const SECOND = 1000;

describe("replaceExisting never drops a due run (SPEC §4.2, §4.4)", () => {
  it("keeps a due, unclaimed run time when a task is replaced, then advances with the new trigger", async () => {
    const { scheduler, clock, events } = harness();
    const fn = vi.fn();
    await scheduler.start({ paused: true });
    await scheduler.addTask(fn, { id: "tick", trigger: "interval", seconds: 5 });
    expect((await scheduler.getTask("tick"))?.nextRunTime).toEqual(new Date(T0 + 5 * SECOND));
    // The run at T0+5s comes due while nobody claims it; the task is replaced 300 ms later.
    clock.set(T0 + 5 * SECOND + 300);
    await scheduler.addTask(fn, {
      id: "tick",
      trigger: "interval",
      seconds: 5,
      replaceExisting: true,
    });
    expect((await scheduler.getTask("tick"))?.nextRunTime).toEqual(new Date(T0 + 5 * SECOND));
    scheduler.resume();
    await clock.advance(0);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(ofName(events, "task_submitted")[0]?.scheduledRunTimes).toEqual([
      new Date(T0 + 5 * SECOND),
    ]);
    expect(ofName(events, "task_missed")).toEqual([]);
    // Then advanced with the new trigger, whose interval is anchored at its creation (T0+5.3s).
    expect((await scheduler.getTask("tick"))?.nextRunTime).toEqual(
      new Date(T0 + 10 * SECOND + 300),
    );
    await scheduler.shutdown();
  });

  it("takes the new trigger's time when nothing stored is due, and honours a paused replacement", async () => {
    const { scheduler, clock } = harness();
    await scheduler.start({ paused: true });
    await scheduler.addTask(() => {}, { id: "t", trigger: "interval", seconds: 5 });
    clock.set(T0 + 2 * SECOND);
    await scheduler.addTask(() => {}, {
      id: "t",
      trigger: "interval",
      seconds: 60,
      replaceExisting: true,
    });
    expect((await scheduler.getTask("t"))?.nextRunTime).toEqual(new Date(T0 + 62 * SECOND));
    clock.set(T0 + 70 * SECOND);
    await scheduler.addTask(() => {}, {
      id: "t",
      trigger: "interval",
      seconds: 5,
      nextRunTime: null,
      replaceExisting: true,
    });
    expect((await scheduler.getTask("t"))?.nextRunTime).toBeNull();
    await scheduler.shutdown();
  });

  it("a late joiner replacing a due task on a shared store neither skips nor repeats the run", async () => {
    const clock = new ManualClock(T0);
    const shared = new MemoryStore();
    const a = harness({ clock, stores: { default: shared } });
    const b = harness({ clock, stores: { default: shared } });
    const ranBy: string[] = [];
    const job = (who: string) => ranBy.push(who);
    await a.scheduler.start({ paused: true });
    await a.scheduler.addTask(job, {
      id: "cron",
      trigger: "cron",
      second: "*/5",
      args: ["a"],
      replaceExisting: true,
    });
    // Due at T0+5s; A is busy (paused). B joins 300 ms later and replaces the same task.
    clock.set(T0 + 5 * SECOND + 300);
    await b.scheduler.start({ paused: true });
    await b.scheduler.addTask(job, {
      id: "cron",
      trigger: "cron",
      second: "*/5",
      args: ["b"],
      replaceExisting: true,
    });
    a.scheduler.resume();
    b.scheduler.resume();
    await clock.advance(0);
    expect(ranBy).toHaveLength(1);
    const executed = [...a.events, ...b.events].filter((e) => e.name === "task_executed");
    expect(executed).toHaveLength(1);
    expect(executed[0]).toMatchObject({ scheduledRunTime: new Date(T0 + 5 * SECOND) });
    expect([...ofName(a.events, "task_missed"), ...ofName(b.events, "task_missed")]).toEqual([]);
    await clock.advance(5 * SECOND);
    expect(ranBy).toHaveLength(2);
    await a.scheduler.shutdown();
    await b.scheduler.shutdown();
  });

  it("a replacement written after a peer claimed and ran the due run does not run it twice", async () => {
    const clock = new ManualClock(T0);
    const shared = new MemoryStore();
    const a = harness({ clock, stores: { default: shared } });
    const b = harness({ clock, stores: { default: shared } });
    const fn = vi.fn();
    await a.scheduler.start();
    await b.scheduler.start({ paused: true });
    await a.scheduler.addTask(fn, { id: "x", trigger: "interval", seconds: 5 });
    // B read the record while the run at T0+5s was due and unclaimed ...
    clock.set(T0 + 5 * SECOND);
    const stale = await shared.lookupTask("x");
    // ... A claims and runs it meanwhile ...
    await clock.advance(0);
    expect(fn).toHaveBeenCalledTimes(1);
    // ... and B's replacement carries the old run time back: the claim keeps it to one run.
    if (stale === null) throw new Error("no record");
    await shared.addTask(stale, { replaceExisting: true });
    b.scheduler.resume();
    await clock.advance(0);
    expect(fn).toHaveBeenCalledTimes(1);
    expect((await shared.lookupTask("x"))?.nextRunTime).toEqual(new Date(T0 + 10 * SECOND));
    await a.scheduler.shutdown();
    await b.scheduler.shutdown();
  });
});

describe("N workers adding one id without replaceExisting (SPEC §2 Option 1, §4.4)", () => {
  it("exactly one running add succeeds; the others reject with ConflictIdError", async () => {
    const clock = new ManualClock(T0);
    const shared = new MemoryStore();
    const workers = [1, 2, 3, 4].map(() => harness({ clock, stores: { default: shared } }));
    for (const w of workers) await w.scheduler.start();
    const results = await Promise.allSettled(
      workers.map((w) =>
        w.scheduler.addTask(() => {}, { id: "only", trigger: "interval", seconds: 5 }),
      ),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.filter((r) => r.status === "rejected");
    expect(rejected).toHaveLength(3);
    for (const r of rejected) expect(r.reason).toBeInstanceOf(ConflictIdError);
    expect(await shared.getAllTasks()).toHaveLength(1);
    for (const w of workers) await w.scheduler.shutdown();
  });

  it("pending adds and new Task({ scheduler }) that lose at start(): start() resolves, the winner's task stays and runs once", async () => {
    const clock = new ManualClock(T0);
    const shared = new MemoryStore();
    const workers = ["w1", "w2", "w3"].map(() => harness({ clock, stores: { default: shared } }));
    const ranBy: string[] = [];
    workers.forEach((w, i) => {
      const who = `w${i + 1}`;
      // SPEC §2 Option 1: added before start, not awaited.
      void w.scheduler.addTask((name: string) => ranBy.push(name), {
        id: "lifecycle-tick",
        trigger: "interval",
        seconds: 5,
        args: [who],
      });
      new Task({
        id: "handle",
        fn: () => ranBy.push(`handle-${who}`),
        trigger: new IntervalTrigger({ seconds: 5 }),
        scheduler: w.scheduler,
      });
    });
    for (const w of workers) await expect(w.scheduler.start()).resolves.toBe(true);
    expect((await shared.getAllTasks()).map((r) => r.id).sort()).toEqual([
      "handle",
      "lifecycle-tick",
    ]);
    for (const w of workers) {
      expect(w.scheduler.state).toBe("running");
      // A lost conflict is an expected outcome in a cluster: no error event.
      expect(ofName(w.events, "scheduler_error")).toEqual([]);
      // Every worker sees the one stored task, whoever added it.
      expect((await w.scheduler.getTask("lifecycle-tick"))?.nextRunTime).toEqual(
        new Date(T0 + 5 * SECOND),
      );
    }
    expect(ofName(workers[0]?.events ?? [], "task_added")).toHaveLength(2);
    expect(ofName(workers[1]?.events ?? [], "task_added")).toHaveLength(0);
    await clock.advance(5 * SECOND);
    expect(ranBy.sort()).toEqual(["handle-w1", "w1"]);
    for (const w of workers) await w.scheduler.shutdown();
  });

  it("new Task({ scheduler }) on a running scheduler that loses the id is logged, not an error event", async () => {
    const clock = new ManualClock(T0);
    const shared = new MemoryStore();
    const a = harness({ clock, stores: { default: shared } });
    const b = harness({ clock, stores: { default: shared } });
    await a.scheduler.start();
    await b.scheduler.start();
    new Task({
      id: "dup",
      fn: () => {},
      trigger: new IntervalTrigger({ seconds: 5 }),
      scheduler: a.scheduler,
    });
    new Task({
      id: "dup",
      fn: () => {},
      trigger: new IntervalTrigger({ seconds: 5 }),
      scheduler: b.scheduler,
    });
    await clock.advance(0);
    expect(await shared.getAllTasks()).toHaveLength(1);
    expect(ofName(b.events, "scheduler_error")).toEqual([]);
    expect(ofName(a.events, "task_added")).toHaveLength(1);
    await a.scheduler.shutdown();
    await b.scheduler.shutdown();
  });
});
