import { describe, expect, it } from "vitest";
import { ExecutorShutdownError } from "../errors.js";
import { AsyncioExecutor } from "./asyncio-executor.js";
import type { RunRequest, TaskFunction } from "./executor.js";
import { getRunContext, type RunContext } from "./run-context.js";

function request(fn: (...args: never[]) => unknown, args: unknown[] = []): RunRequest {
  return {
    taskId: "task-1",
    runId: "0123456789abcdef0123456789abcdef",
    scheduledRunTime: new Date("2026-03-01T08:00:00Z"),
    fn: fn as TaskFunction,
    moduleRef: null,
    args,
    signal: new AbortController().signal,
  };
}

interface Outcome {
  readonly ok: boolean;
  readonly result: unknown;
}

/** Runs `fn` through the callback path and records every call of `done`. */
async function runNow(
  fn: (...args: never[]) => unknown,
  args: unknown[] = [],
): Promise<{ outcomes: Outcome[]; settled: Promise<Outcome> }> {
  const executor = new AsyncioExecutor();
  await executor.start({ alias: "default" });
  const outcomes: Outcome[] = [];
  const settled = new Promise<Outcome>((resolve) => {
    executor.runNow(request(fn, args), (ok, result) => {
      outcomes.push({ ok, result });
      resolve({ ok, result });
    });
  });
  return { outcomes, settled };
}

describe("asyncio executor, callback path (runNow)", () => {
  it("runs a plain function after the calling code and reports its value once", async () => {
    const executor = new AsyncioExecutor();
    await executor.start({ alias: "default" });
    const calls: string[] = [];
    const outcomes: Outcome[] = [];
    const settled = new Promise<void>((resolve) => {
      executor.runNow(
        request(
          (a: number, b: number) => {
            calls.push("called");
            return a * b;
          },
          [6, 7],
        ),
        (ok, result) => {
          outcomes.push({ ok, result });
          resolve();
        },
      );
    });
    expect(calls).toEqual([]);
    expect(outcomes).toEqual([]);
    await settled;
    await Promise.resolve();
    expect(calls).toEqual(["called"]);
    expect(outcomes).toEqual([{ ok: true, result: 42 }]);
  });

  it("reports a synchronous throw as a failure, never a throw out of runNow()", async () => {
    const boom = new Error("boom");
    const { settled } = await runNow(() => {
      throw boom;
    });
    await expect(settled).resolves.toEqual({ ok: false, result: boom });
  });

  it("awaits a returned promise, fulfilled or rejected", async () => {
    const fulfilled = await runNow(() => Promise.resolve("later"));
    await expect(fulfilled.settled).resolves.toEqual({ ok: true, result: "later" });
    const reason = new Error("rejected");
    const rejected = await runNow(() => Promise.reject(reason));
    await expect(rejected.settled).resolves.toEqual({ ok: false, result: reason });
  });

  it("awaits a returned thenable that is not a promise", async () => {
    const thenable = {
      // biome-ignore lint/suspicious/noThenProperty: a thenable is what this test is about
      then(resolve: (value: string) => void): void {
        resolve("from thenable");
      },
    };
    const { settled } = await runNow(() => thenable);
    await expect(settled).resolves.toEqual({ ok: true, result: "from thenable" });
  });

  it("reports a throwing `then` getter as the run's failure", async () => {
    const broken = new Error("then getter");
    const value = {
      // biome-ignore lint/suspicious/noThenProperty: a thenable is what this test is about
      get then(): never {
        throw broken;
      },
    };
    const { settled } = await runNow(() => value);
    await expect(settled).resolves.toEqual({ ok: false, result: broken });
  });

  it("gives a plain function its run context during the call, and none afterwards", async () => {
    let inside: RunContext | undefined;
    const { settled } = await runNow(() => {
      inside = getRunContext();
    });
    await settled;
    expect(inside?.taskId).toBe("task-1");
    expect(inside?.runId).toBe("0123456789abcdef0123456789abcdef");
    expect(inside?.signal.aborted).toBe(false);
    expect(getRunContext()).toBeUndefined();
  });

  it("keeps the context of an async function across awaits", async () => {
    const { settled } = await runNow(async () => {
      await Promise.resolve();
      return getRunContext()?.taskId;
    });
    await expect(settled).resolves.toEqual({ ok: true, result: "task-1" });
  });

  it("refuses runs after shutdown with ExecutorShutdownError, asynchronously", async () => {
    const executor = new AsyncioExecutor();
    await executor.start({ alias: "default" });
    await executor.shutdown(true);
    const outcomes: Outcome[] = [];
    const settled = new Promise<void>((resolve) => {
      executor.runNow(
        request(() => "never"),
        (ok, result) => {
          outcomes.push({ ok, result });
          resolve();
        },
      );
    });
    expect(outcomes).toEqual([]);
    await settled;
    expect(outcomes[0]?.ok).toBe(false);
    expect(outcomes[0]?.result).toBeInstanceOf(ExecutorShutdownError);
  });

  it("shutdown(true) waits for callback runs in flight, also for their promises", async () => {
    const executor = new AsyncioExecutor();
    await executor.start({ alias: "default" });
    let open = (): void => {};
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const order: string[] = [];
    executor.runNow(
      request(async () => {
        await gate;
        order.push("async run ended");
      }),
      () => order.push("async done"),
    );
    executor.runNow(
      request(() => order.push("plain run")),
      () => order.push("plain done"),
    );
    const stopped = executor.shutdown(true).then(() => order.push("shut down"));
    await Promise.resolve();
    await Promise.resolve();
    expect(order).not.toContain("shut down");
    open();
    await stopped;
    expect(order).toEqual([
      "plain run",
      "plain done",
      "async run ended",
      "async done",
      "shut down",
    ]);
  });

  it("a throwing `done` is not reported as the task's failure: done is called once, the error surfaces unhandled", async () => {
    const executor = new AsyncioExecutor();
    await executor.start({ alias: "default" });
    const calls: boolean[] = [];
    const uncaught = new Promise<unknown>((resolve) => {
      process.once("unhandledRejection", resolve);
    });
    executor.runNow(
      request(() => "value"),
      (ok) => {
        calls.push(ok);
        throw new Error("listener failed");
      },
    );
    await expect(uncaught).resolves.toBeInstanceOf(Error);
    expect(calls).toEqual([true]);
  });
});
