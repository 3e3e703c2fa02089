import { describe, expect, it, vi } from "vitest";
import { SchedulerNotRunningError } from "../errors.js";
import { EXECUTOR_ADDED, STORE_ADDED, TASK_EXECUTED } from "../events/event-codes.js";
import { makeAsyncFunction, makeFunction } from "../lifecycle/make-function.js";
import { MemoryStore } from "../stores/memory-store.js";
import type { Store } from "../stores/store.js";
import { harness, ofName, T0 } from "./test-support/harness.js";
import { MAX_TIMER_DELAY_MS } from "./wake-timer.js";

describe("scheduler lifecycle", () => {
  it("reference-counts start and shutdown with correct return values", async () => {
    const { scheduler } = harness();
    expect(scheduler.state).toBe("stopped");
    expect(await scheduler.start()).toBe(true);
    expect(await scheduler.start()).toBe(false);
    expect(scheduler.running).toBe(true);
    expect(await scheduler.shutdown()).toBe(false);
    expect(scheduler.state).toBe("running");
    expect(await scheduler.stop()).toBe(true);
    expect(scheduler.state).toBe("stopped");
    await expect(scheduler.shutdown()).rejects.toBeInstanceOf(SchedulerNotRunningError);
    expect(() => scheduler.pause()).toThrow(SchedulerNotRunningError);
    expect(() => scheduler.resume()).toThrow(SchedulerNotRunningError);
  });

  it("emits executor_added, store_added, task_added (pending), scheduler_start in that order", async () => {
    const { scheduler, names } = harness();
    await scheduler.addTask(() => 1, { trigger: "interval", minutes: 1, id: "pending" });
    await scheduler.start();
    expect(names()).toEqual(["executor_added", "store_added", "task_added", "scheduler_start"]);
    await scheduler.shutdown();
    expect(names().at(-1)).toBe("scheduler_shutdown");
    await scheduler.start();
    // Stores and executors are announced once, not at every restart.
    expect(names().filter((n) => n === "store_added")).toHaveLength(1);
    await scheduler.shutdown();
  });

  it("commits pending tasks at start", async () => {
    const { scheduler } = harness();
    await scheduler.addTask(function job() {}, { trigger: "interval", seconds: 30, id: "p" });
    const [pending] = await scheduler.getTasks();
    expect(pending?.scheduleState).toBe("pending");
    await scheduler.start();
    const task = await scheduler.getTask("p");
    expect(task?.scheduleState).toBe("scheduled");
    expect(task?.nextRunTime).toEqual(new Date(T0 + 30_000));
    await scheduler.shutdown();
  });

  it("pauses and resumes: nothing runs while paused, due runs follow the misfire rules after", async () => {
    const { scheduler, clock, events } = harness();
    const fn = vi.fn();
    await scheduler.start({ paused: true });
    expect(scheduler.state).toBe("paused");
    await scheduler.addTask(fn, { trigger: "interval", seconds: 10 });
    await clock.advance(25_000);
    expect(fn).not.toHaveBeenCalled();
    scheduler.resume();
    await clock.advance(0);
    expect(fn).toHaveBeenCalledTimes(1); // coalesced: two run times, one run
    expect(ofName(events, "task_submitted")[0]?.coalescedRunCount).toBe(1);
    scheduler.pause();
    expect(ofName(events, "scheduler_paused")).toHaveLength(1);
    expect(ofName(events, "scheduler_resumed")).toHaveLength(1);
    await scheduler.shutdown();
  });

  it("keeps one timer, clamped below 2^31-1 ms, for a run 60 days away", async () => {
    const { scheduler, clock } = harness();
    const fn = vi.fn();
    await scheduler.start();
    await scheduler.addTask(fn, { trigger: "date", runAt: new Date(T0 + 60 * 86_400_000) });
    await clock.advance(60 * 86_400_000 - 1);
    expect(fn).not.toHaveBeenCalled();
    expect(clock.pendingTimers).toBe(1);
    await clock.advance(1);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(Math.max(...clock.delays)).toBeLessThanOrEqual(MAX_TIMER_DELAY_MS);
    await scheduler.shutdown();
  });

  it("a throwing listener breaks nothing", async () => {
    const { scheduler, clock } = harness();
    const fn = vi.fn(() => 7);
    scheduler.addListener(() => {
      throw new Error("listener bug");
    });
    const executed = vi.fn();
    const off = scheduler.on("task_executed", executed);
    await scheduler.start();
    await scheduler.addTask(fn);
    await clock.advance(0);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(executed.mock.calls[0]?.[0]).toMatchObject({ returnValue: 7, code: TASK_EXECUTED });
    off();
    await scheduler.addTask(fn);
    await clock.advance(0);
    expect(executed).toHaveBeenCalledTimes(1);
    await scheduler.shutdown();
  });

  it("filters listeners by mask and removes them", async () => {
    const { scheduler } = harness();
    const seen: string[] = [];
    const listener = (e: { name: string }) => seen.push(e.name);
    scheduler.addListener(listener, EXECUTOR_ADDED | STORE_ADDED);
    await scheduler.start();
    expect(seen).toEqual(["executor_added", "store_added"]);
    expect(scheduler.removeListener(listener)).toBe(true);
    expect(scheduler.removeListener(listener)).toBe(false);
    await scheduler.shutdown();
  });

  it("logs and emits a store error, backs off storeRetryInterval, then goes on", async () => {
    const store = new MemoryStore();
    let failures = 1;
    const original = store.getDueTasks.bind(store);
    store.getDueTasks = (now, limit) =>
      failures-- > 0 ? Promise.reject(new Error("disk on fire")) : original(now, limit);
    const logger = {
      debug: vi.fn(),
      info: vi.fn(),
      warn: vi.fn(),
      error: vi.fn(),
      child: () => logger,
    };
    const { scheduler, clock, events } = harness({
      stores: { default: store },
      storeRetryInterval: 5,
      logger,
    });
    const fn = vi.fn();
    await scheduler.start();
    await scheduler.addTask(fn);
    await clock.advance(0);
    expect(fn).not.toHaveBeenCalled();
    expect(ofName(events, "store_error")[0]?.message).toBe("disk on fire");
    expect(logger.error).toHaveBeenCalled();
    await clock.advance(4999);
    expect(fn).not.toHaveBeenCalled();
    await clock.advance(1);
    expect(fn).toHaveBeenCalledTimes(1);
    await scheduler.shutdown();
  });

  it("passes lockPath with {store} expanded, an owner id and a logger to each store", async () => {
    const contexts: unknown[] = [];
    const store = new MemoryStore();
    const start = store.start.bind(store);
    store.start = (context) => {
      contexts.push(context);
      return start(context);
    };
    const { scheduler } = harness({
      stores: { main: store as Store },
      lockPath: "/tmp/asyncz_{pgrp}_{store}.lock",
    });
    await scheduler.start();
    expect(contexts[0]).toMatchObject({
      alias: "main",
      lockPath: "/tmp/asyncz_{pgrp}_main.lock",
      owner: scheduler.owner,
    });
    await scheduler.shutdown();
  });

  it("waits startupDelay (1 s by default with a persistent store) before the first run", async () => {
    const { PersistentMemoryStore } = await import("./test-support/harness.js");
    const { scheduler, clock } = harness({ stores: { default: new PersistentMemoryStore() } });
    const fn = vi.fn();
    scheduler.registerFunction("job", fn);
    await scheduler.addTask("job");
    await scheduler.start();
    await clock.advance(999);
    expect(fn).not.toHaveBeenCalled();
    await clock.advance(1);
    expect(fn).toHaveBeenCalledTimes(1);
    await scheduler.shutdown();
  });

  it("runs shutdown tasks once, awaited, only in the process (scheduler) that added them", async () => {
    const shared = new MemoryStore();
    const a = harness({ stores: { default: shared } });
    const b = harness({ stores: { default: shared } });
    const log: string[] = [];
    await a.scheduler.start();
    await b.scheduler.start();
    await a.scheduler.addTask(
      makeAsyncFunction(async () => {
        await new Promise((resolve) => setImmediate(resolve));
        log.push("cleanup");
      }),
      { trigger: "shutdown" },
    );
    expect((await a.scheduler.getTasks())[0]?.scheduleState).toBe("paused");
    await b.scheduler.shutdown();
    expect(log).toEqual([]);
    await a.scheduler.shutdown();
    expect(log).toEqual(["cleanup"]);
    expect(await shared.getAllTasks()).toEqual([]);
  });

  it("drives a generator lifecycle task: ticks, then cleanup at stop (SPEC §2)", async () => {
    const { scheduler, clock } = harness();
    const log: string[] = [];
    function* lifecycle(): Generator<void, void, boolean> {
      log.push("setup");
      scheduler.addTask(
        makeFunction((v: boolean) => generator.next(v)),
        {
          args: [false],
          trigger: "shutdown",
        },
      );
      let running = yield;
      while (running) {
        log.push("tick");
        running = yield;
      }
      log.push("cleanup");
    }
    const generator = lifecycle();
    generator.next(false);
    scheduler.addTask(
      makeFunction((v: boolean) => generator.next(v)),
      {
        args: [true],
        trigger: "interval",
        minutes: 5,
      },
    );
    await scheduler.start();
    await clock.advance(10 * 60_000);
    await scheduler.stop();
    expect(log).toEqual(["setup", "tick", "tick", "cleanup"]);
  });

  it("shuts down with await using ([Symbol.asyncDispose])", async () => {
    const { scheduler, names } = harness();
    {
      await using s = scheduler;
      await s.start();
      await s.start();
    }
    expect(scheduler.state).toBe("stopped");
    expect(names().filter((n) => n === "scheduler_shutdown")).toHaveLength(1);
  });

  it("reports an unreadable stored task as scheduler_error, keeps it, runs the others, and does not spin", async () => {
    const store = new MemoryStore();
    const { scheduler, clock, events } = harness({
      stores: { default: store },
      storeRetryInterval: 30,
    });
    await store.addTask({
      id: "foreign",
      name: "foreign",
      fn: "nobody",
      args: [],
      trigger: { type: "sometimes", version: 1 },
      executor: "default",
      mistriggerGraceTime: null,
      coalesce: true,
      maxInstances: 1,
      nextRunTime: new Date(T0),
    });
    const fn = vi.fn();
    await scheduler.start();
    await scheduler.addTask(fn, { trigger: "interval", seconds: 10 });
    await clock.advance(0);
    const errors = ofName(events, "scheduler_error");
    expect(errors).toHaveLength(1);
    expect(errors[0]?.taskId).toBe("foreign");
    expect(clock.pendingTimers).toBe(1);
    await clock.advance(10_000);
    expect(fn).toHaveBeenCalledTimes(1);
    // Retried after storeRetryInterval, not in a busy loop.
    expect(ofName(events, "scheduler_error").length).toBeLessThanOrEqual(2);
    expect(await store.lookupTask("foreign")).not.toBeNull();
    await scheduler.shutdown();
  });
});
