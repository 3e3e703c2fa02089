import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { InvalidArgumentError, SchedulerNotRunningError } from "../errors.js";
import {
  createGracefulShutdown,
  type GracefulShutdownResult,
  type ShutdownHost,
} from "./graceful-shutdown.js";

/** A fake process: signals are emitted by hand, timers fire when the test advances the clock. */
class FakeHost extends EventEmitter implements ShutdownHost {
  exits: number[] = [];
  time = 0;
  #timers = new Map<number, { at: number; callback: () => void }>();
  #nextId = 1;
  exit(code: number): void {
    this.exits.push(code);
  }
  now(): number {
    return this.time;
  }
  setTimeout(callback: () => void, delayMs: number): unknown {
    const id = this.#nextId++;
    this.#timers.set(id, { at: this.time + delayMs, callback });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.#timers.delete(handle as number);
  }
  advance(ms: number): void {
    this.time += ms;
    for (const [id, timer] of this.#timers) {
      if (timer.at <= this.time) {
        this.#timers.delete(id);
        timer.callback();
      }
    }
  }
}

/** A scheduler whose shutdown finishes when the test says so; `refs` start() references. */
function fakeScheduler(refs = 1) {
  const calls: boolean[] = [];
  let remaining = refs;
  let finish: () => void = () => undefined;
  let fail: (error: unknown) => void = () => undefined;
  return {
    calls,
    finish: () => finish(),
    fail: (error: unknown) => fail(error),
    shutdown(wait = true): Promise<boolean> {
      calls.push(wait);
      if (remaining === 0) return Promise.reject(new SchedulerNotRunningError("shutdown"));
      remaining -= 1;
      if (remaining > 0) return Promise.resolve(false);
      return new Promise<boolean>((resolve, reject) => {
        finish = () => resolve(true);
        fail = reject;
      });
    },
  };
}

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

describe("installGracefulShutdown", () => {
  it("shuts down on SIGINT, waits for the scheduler, then exits 0", async () => {
    const host = new FakeHost();
    const scheduler = fakeScheduler();
    const results: GracefulShutdownResult[] = [];
    createGracefulShutdown(scheduler, { onShutdown: (r) => void results.push(r) }, host);
    host.emit("SIGINT", "SIGINT");
    await flush();
    expect(scheduler.calls).toEqual([true]);
    expect(host.exits).toEqual([]);
    host.advance(400);
    scheduler.finish();
    await flush();
    expect(host.exits).toEqual([0]);
    expect(results).toEqual([{ trigger: "SIGINT", clean: true, timedOut: false, elapsedMs: 400 }]);
  });

  it("handles SIGTERM and pm2's shutdown message the same way", async () => {
    for (const [event, arg, trigger] of [
      ["SIGTERM", "SIGTERM", "SIGTERM"],
      ["message", "shutdown", "message"],
    ] as const) {
      const host = new FakeHost();
      const scheduler = fakeScheduler();
      const handle = createGracefulShutdown(scheduler, {}, host);
      host.emit(event, arg);
      scheduler.finish();
      const result = await handle.shutdown();
      expect(result.trigger).toBe(trigger);
      expect(host.exits).toEqual([0]);
    }
  });

  it("ignores other IPC messages", async () => {
    const host = new FakeHost();
    const scheduler = fakeScheduler();
    createGracefulShutdown(scheduler, {}, host);
    host.emit("message", { type: "hello" });
    host.emit("message", "reload");
    await flush();
    expect(scheduler.calls).toEqual([]);
  });

  it("exits 1 when the budget runs out before the scheduler has shut down", async () => {
    const host = new FakeHost();
    const scheduler = fakeScheduler();
    const handle = createGracefulShutdown(scheduler, { timeoutMs: 1500 }, host);
    host.emit("SIGINT", "SIGINT");
    await flush();
    host.advance(1499);
    await flush();
    expect(host.exits).toEqual([]);
    host.advance(1);
    const result = await handle.shutdown();
    expect(result).toMatchObject({ clean: false, timedOut: true, elapsedMs: 1500 });
    expect(scheduler.calls).toEqual([true]);
    expect(host.exits).toEqual([1]);
  });

  it("releases every start() reference, since the process is leaving", async () => {
    const host = new FakeHost();
    const scheduler = fakeScheduler(3);
    const handle = createGracefulShutdown(scheduler, {}, host);
    const pending = handle.shutdown();
    await flush();
    expect(scheduler.calls).toEqual([true, true, true]);
    scheduler.finish();
    expect((await pending).clean).toBe(true);
    expect(host.exits).toEqual([0]);
  });

  it("counts a scheduler that is already stopped as a clean shutdown", async () => {
    const host = new FakeHost();
    const result = await createGracefulShutdown(fakeScheduler(0), {}, host).shutdown("SIGTERM");
    expect(result).toMatchObject({ trigger: "SIGTERM", clean: true, timedOut: false });
    expect(host.exits).toEqual([0]);
  });

  it("reports a failing shutdown and exits 1", async () => {
    const host = new FakeHost();
    const scheduler = fakeScheduler();
    const handle = createGracefulShutdown(scheduler, {}, host);
    const pending = handle.shutdown();
    await flush();
    scheduler.fail(new Error("disk gone"));
    const result = await pending;
    expect(result.clean).toBe(false);
    expect(result.timedOut).toBe(false);
    expect(String(result.error)).toContain("disk gone");
    expect(host.exits).toEqual([1]);
  });

  it("exits at once on a second signal", async () => {
    const host = new FakeHost();
    const scheduler = fakeScheduler();
    createGracefulShutdown(scheduler, {}, host);
    host.emit("SIGINT", "SIGINT");
    host.emit("SIGINT", "SIGINT");
    expect(host.exits).toEqual([1]);
    expect(scheduler.calls).toEqual([true]);
  });

  it("leaves the exit to the caller with exit: false, and uninstalls", async () => {
    const host = new FakeHost();
    const scheduler = fakeScheduler();
    const handle = createGracefulShutdown(scheduler, { exit: false }, host);
    expect(host.listenerCount("SIGINT")).toBe(1);
    expect(host.listenerCount("message")).toBe(1);
    const pending = handle.shutdown();
    expect(handle.shutdown()).toBe(pending);
    // While shutting down, the handlers stay (a second signal must not kill the process).
    expect(host.listenerCount("SIGINT")).toBe(1);
    scheduler.finish();
    expect((await pending).clean).toBe(true);
    expect(host.exits).toEqual([]);
    // Once done, they are gone: a listener on 'message' would keep the IPC channel alive.
    expect(host.listenerCount("SIGINT")).toBe(0);
    expect(host.listenerCount("SIGTERM")).toBe(0);
    expect(host.listenerCount("message")).toBe(0);
  });

  it("uninstalls on request", () => {
    const host = new FakeHost();
    const handle = createGracefulShutdown(fakeScheduler(), {}, host);
    handle.uninstall();
    expect(host.listenerCount("SIGINT")).toBe(0);
    expect(host.listenerCount("SIGTERM")).toBe(0);
    expect(host.listenerCount("message")).toBe(0);
  });

  it("listens to the signals it is given, and no IPC with message: false", () => {
    const host = new FakeHost();
    createGracefulShutdown(fakeScheduler(), { signals: ["SIGUSR2"], message: false }, host);
    expect(host.listenerCount("SIGUSR2")).toBe(1);
    expect(host.listenerCount("SIGINT")).toBe(0);
    expect(host.listenerCount("message")).toBe(0);
  });

  it("rejects bad options with a typed error naming the field", () => {
    const host = new FakeHost();
    for (const timeoutMs of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => createGracefulShutdown(fakeScheduler(), { timeoutMs }, host)).toThrow(
        InvalidArgumentError,
      );
    }
    expect(() => createGracefulShutdown(fakeScheduler(), { timeoutMs: 0 }, host)).toThrow(
      /timeoutMs = 0/,
    );
    expect(() =>
      createGracefulShutdown(
        fakeScheduler(),
        { onShutdown: "exit" as unknown as () => void },
        host,
      ),
    ).toThrow(/onShutdown/);
    expect(host.listenerCount("SIGINT")).toBe(0);
  });
});
