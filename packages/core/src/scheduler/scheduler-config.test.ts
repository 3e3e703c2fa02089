import { describe, expect, it, vi } from "vitest";
import {
  AsynczError,
  DuplicateAliasError,
  InvalidArgumentError,
  UnknownAliasError,
} from "../errors.js";
import { DebugExecutor } from "../executors/debug-executor.js";
import { MemoryStore } from "../stores/memory-store.js";
import { AsyncIOScheduler } from "./scheduler.js";
import { harness, ofName } from "./test-support/harness.js";

describe("scheduler configuration", () => {
  it("rejects unknown options and bad values with typed errors naming them", () => {
    expect(() => new AsyncIOScheduler({ storeRetryIntervall: 5 } as never)).toThrow(
      /storeRetryIntervall/,
    );
    expect(() => new AsyncIOScheduler({ storeRetryInterval: -1 })).toThrow(InvalidArgumentError);
    expect(() => new AsyncIOScheduler({ timezone: "Mars/Olympus" })).toThrow(/Mars\/Olympus/);
    expect(() => new AsyncIOScheduler({ taskDefaults: { maxInstances: 0 } })).toThrow(
      /maxInstances = 0/,
    );
    expect(() => new AsyncIOScheduler({ taskDefaults: { grace: 1 } as never })).toThrow(/grace/);
    expect(() => new AsyncIOScheduler({ stores: { default: { type: "redis" } as never } })).toThrow(
      UnknownAliasError,
    );
    expect(() => new AsyncIOScheduler({ logger: {} as never })).toThrow(/logger/);
    expect(() => new AsyncIOScheduler({ executors: { default: "fast" as never } })).toThrow(/fast/);
  });

  it("resolves the host zone once, explicitly, as the default timezone", () => {
    const expected = Intl.DateTimeFormat().resolvedOptions().timeZone;
    expect(new AsyncIOScheduler().timezone).toBe(expected);
    expect(new AsyncIOScheduler({ timezone: "Asia/Kolkata" }).timezone).toBe("Asia/Kolkata");
  });

  it("adds and removes stores and executors, with events and typed errors", async () => {
    const { scheduler, clock, events } = harness();
    await scheduler.start();
    await scheduler.addStore(new MemoryStore(), "extra");
    await expect(scheduler.addStore({ type: "memory" }, "extra")).rejects.toBeInstanceOf(
      DuplicateAliasError,
    );
    await scheduler.addExecutor(new DebugExecutor(), "inline");
    await expect(scheduler.addExecutor("asyncio", "inline")).rejects.toBeInstanceOf(
      DuplicateAliasError,
    );
    const fn = vi.fn(() => "inline");
    await scheduler.addTask(fn, { store: "extra", executor: "inline" });
    await clock.advance(0);
    expect(fn).toHaveBeenCalledTimes(1);
    await scheduler.removeExecutor("inline");
    await scheduler.removeStore("extra");
    await expect(scheduler.removeStore("extra")).rejects.toBeInstanceOf(UnknownAliasError);
    await expect(scheduler.removeExecutor("inline")).rejects.toBeInstanceOf(UnknownAliasError);
    expect(ofName(events, "store_added").map((e) => e.alias)).toEqual(["default", "extra"]);
    expect(ofName(events, "executor_removed").map((e) => e.alias)).toEqual(["inline"]);
    expect(ofName(events, "store_removed").map((e) => e.alias)).toEqual(["extra"]);
    await scheduler.shutdown();
  });

  it("a file store that cannot be loaded or opened makes start() reject; the scheduler stays stopped", async () => {
    const scheduler = new AsyncIOScheduler({
      stores: { default: { type: "file", directory: "/nonexistent/asyncz/dir" } },
    });
    await expect(scheduler.start()).rejects.toBeInstanceOf(AsynczError);
    expect(scheduler.state).toBe("stopped");
    expect(await scheduler.start().catch(() => "rejected again")).toBe("rejected again");
  });

  it("closes what it opened when start() fails half-way, and can start again", async () => {
    const good = new MemoryStore();
    const closed = vi.fn();
    good.shutdown = async () => closed();
    const bad = new MemoryStore();
    let failures = 1;
    const start = bad.start.bind(bad);
    bad.start = (context) =>
      failures-- > 0 ? Promise.reject(new Error("no disk")) : start(context);
    const scheduler = new AsyncIOScheduler({ stores: { default: good, other: bad } });
    await expect(scheduler.start()).rejects.toThrow("no disk");
    expect(closed).toHaveBeenCalledTimes(1);
    expect(await scheduler.start()).toBe(true);
    expect(await scheduler.shutdown()).toBe(true);
  });
});
