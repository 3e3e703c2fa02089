import { describe, expect, it, vi } from "vitest";
import { getRunContext } from "../executors/run-context.js";
import { MemoryStore } from "../stores/memory-store.js";
import { IntervalTrigger } from "../triggers/interval-trigger.js";
import { harness, ofName, T0 } from "./test-support/harness.js";

const MINUTE = 60_000;

async function overdue(options: { coalesce: boolean; mistriggerGraceTime?: number | null }) {
  const h = harness();
  const fn = vi.fn();
  await h.scheduler.start();
  // Interval 1 min whose next run time is 3.5 intervals in the past (asyncz's example).
  await h.scheduler.addTask(fn, {
    id: "late",
    trigger: new IntervalTrigger({ minutes: 1, startAt: new Date(T0 - 3.5 * MINUTE) }),
    nextRunTime: new Date(T0 - 3.5 * MINUTE),
    coalesce: options.coalesce,
    ...(options.mistriggerGraceTime === undefined
      ? {}
      : { mistriggerGraceTime: options.mistriggerGraceTime }),
  });
  await h.clock.advance(0);
  return { ...h, fn };
}

describe("misfire, coalescing and max instances", () => {
  it("coalesces a task 3.5 intervals overdue into one run with coalescedRunCount 3", async () => {
    const { fn, events, scheduler } = await overdue({ coalesce: true });
    expect(fn).toHaveBeenCalledTimes(1);
    const [submitted] = ofName(events, "task_submitted");
    expect(submitted?.coalescedRunCount).toBe(3);
    expect(submitted?.scheduledRunTimes).toEqual([new Date(T0 - 0.5 * MINUTE)]);
    expect(ofName(events, "task_missed")).toEqual([]);
    // The next run is the trigger's canonical instant, not "now + interval".
    expect((await scheduler.getTask("late"))?.nextRunTime).toEqual(new Date(T0 + 0.5 * MINUTE));
    await scheduler.shutdown();
  });

  it("reports the coalesced run missed, with its lateness, when even the latest is past grace", async () => {
    const { fn, events, scheduler } = await overdue({ coalesce: true, mistriggerGraceTime: 1 });
    expect(fn).not.toHaveBeenCalled();
    const missed = ofName(events, "task_missed");
    expect(missed).toHaveLength(1);
    expect(missed[0]).toMatchObject({ latenessMs: 30_000, reason: "late", taskId: "late" });
    await scheduler.shutdown();
  });

  it("without coalescing, checks every run time: 3 missed past the 60 s default, 1 run", async () => {
    const { fn, events, scheduler } = await overdue({ coalesce: false });
    expect(fn).toHaveBeenCalledTimes(1);
    expect(ofName(events, "task_missed").map((e) => e.latenessMs)).toEqual([
      210_000, 150_000, 90_000,
    ]);
    await scheduler.shutdown();
  });

  it("with mistriggerGraceTime null, runs all 4 (or 1 coalesced)", async () => {
    const a = await overdue({ coalesce: false, mistriggerGraceTime: null });
    expect(a.fn).toHaveBeenCalledTimes(4);
    await a.scheduler.shutdown();
    const b = await overdue({ coalesce: true, mistriggerGraceTime: null });
    expect(b.fn).toHaveBeenCalledTimes(1);
    await b.scheduler.shutdown();
  });

  it("never reports a 'run now' task missed, however late the loop gets to it", async () => {
    const { scheduler, clock, events } = harness();
    const fn = vi.fn();
    await scheduler.addTask(fn);
    await scheduler.start();
    clock.set(T0 + 3_600_000); // the loop stalled for an hour
    await clock.advance(0);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(ofName(events, "task_missed")).toEqual([]);
    expect(ofName(events, "task_removed").map((e) => e.taskId)).toHaveLength(1);
    await scheduler.shutdown();
  });

  it("runs at the trigger's canonical instants, never early", async () => {
    const { scheduler, clock, events } = harness();
    const times: number[] = [];
    await scheduler.start();
    await scheduler.addTask(() => times.push(clock.now()), { trigger: "interval", seconds: 10 });
    await clock.advance(9_999);
    expect(times).toEqual([]);
    await clock.advance(25_001);
    expect(times).toEqual([T0 + 10_000, T0 + 20_000, T0 + 30_000]);
    expect(ofName(events, "task_executed").map((e) => e.scheduledRunTime.getTime())).toEqual([
      T0 + 10_000,
      T0 + 20_000,
      T0 + 30_000,
    ]);
    await scheduler.shutdown();
  });

  it("enforces maxInstances with a task_max_instances event, and the schedule moves on", async () => {
    const { scheduler, clock, events } = harness();
    const releases: Array<() => void> = [];
    const fn = () => new Promise<void>((resolve) => releases.push(resolve));
    await scheduler.start();
    await scheduler.addTask(fn, { id: "slow", trigger: "interval", seconds: 1, maxInstances: 2 });
    await clock.advance(3_000);
    expect(releases).toHaveLength(2);
    const skipped = ofName(events, "task_max_instances");
    expect(skipped).toHaveLength(1);
    expect(skipped[0]?.scheduledRunTimes).toEqual([new Date(T0 + 3_000)]);
    for (const release of releases) release();
    await clock.advance(1_000);
    expect(releases).toHaveLength(3);
    expect((await scheduler.getTask("slow"))?.nextRunTime).toEqual(new Date(T0 + 5_000));
    for (const release of releases) release();
    await scheduler.shutdown();
  });

  it("turns a throwing task into task_error, and the loop goes on", async () => {
    const { scheduler, clock, events } = harness();
    let n = 0;
    await scheduler.start();
    await scheduler.addTask(
      () => {
        n++;
        if (n === 1) throw new Error("boom");
        return n;
      },
      { trigger: "interval", seconds: 1 },
    );
    await clock.advance(2_000);
    expect(ofName(events, "task_error")[0]?.exception).toEqual(new Error("boom"));
    expect(ofName(events, "task_executed")[0]?.returnValue).toBe(2);
    await scheduler.shutdown();
  });

  it("gives a run its context (task id, scheduled run time, run id, signal aborted at shutdown)", async () => {
    const { scheduler, clock } = harness();
    let seen: ReturnType<typeof getRunContext>;
    await scheduler.start();
    await scheduler.addTask(
      () => {
        seen = getRunContext();
      },
      { id: "ctx" },
    );
    await clock.advance(0);
    expect(seen?.taskId).toBe("ctx");
    expect(seen?.scheduledRunTime).toEqual(new Date(T0));
    expect(seen?.runId).toMatch(/^[0-9a-f]{32}$/);
    expect(seen?.signal.aborted).toBe(false);
    await scheduler.shutdown();
    expect(seen?.signal.aborted).toBe(true);
  });

  it("runs each scheduled run once when two schedulers share one store", async () => {
    const shared = new MemoryStore();
    const a = harness({ stores: { default: shared } });
    const b = harness({ stores: { default: shared }, clock: a.clock });
    const runs: string[] = [];
    const job = (who: string) => runs.push(who);
    await a.scheduler.start();
    await b.scheduler.start();
    a.scheduler.registerFunction("job", job);
    b.scheduler.registerFunction("job", job);
    await a.scheduler.addTask("job", {
      id: "shared",
      args: ["x"],
      trigger: "interval",
      seconds: 5,
    });
    await a.clock.advance(60_000);
    expect(runs).toHaveLength(12);
    await a.scheduler.shutdown();
    await b.scheduler.shutdown();
  });

  it("runs a finished task's whole backlog with its anonymous function, then removes it", async () => {
    const { scheduler, clock, events } = harness();
    const times: number[] = [];
    await scheduler.start();
    await scheduler.addTask((t: number) => times.push(t), {
      id: "ends",
      args: [1],
      trigger: "interval",
      seconds: 1,
      endAt: new Date(T0 + 3_000),
      coalesce: false,
      mistriggerGraceTime: null,
    });
    clock.set(T0 + 10_000);
    await clock.advance(0);
    expect(times).toEqual([1, 1, 1]);
    expect(ofName(events, "task_error")).toEqual([]);
    expect(ofName(events, "task_removed").map((e) => e.taskId)).toEqual(["ends"]);
    await scheduler.shutdown();
  });
});
