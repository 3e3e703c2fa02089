import { describe, expect, it } from "vitest";
import { ExecutorShutdownError } from "../errors.js";
import { AsyncioExecutor } from "./asyncio-executor.js";
import { DebugExecutor } from "./debug-executor.js";
import type { RunRequest, TaskFunction } from "./executor.js";
import { getRunContext } from "./run-context.js";

function request(
  fn: (...args: never[]) => unknown,
  args: unknown[] = [],
  signal = new AbortController().signal,
): RunRequest {
  return {
    taskId: "task-1",
    runId: "0123456789abcdef0123456789abcdef",
    scheduledRunTime: new Date("2026-03-01T08:00:00Z"),
    fn: fn as TaskFunction,
    moduleRef: null,
    args,
    signal,
  };
}

/** A promise the test opens by hand: no real time passes in these tests. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = (): void => {};
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

describe.each([
  ["asyncio", () => new AsyncioExecutor()],
  ["debug", () => new DebugExecutor()],
] as const)("%s executor", (type, make) => {
  it("returns the function's value, passing the args", async () => {
    const executor = make();
    await executor.start({ alias: "default" });
    expect(executor.type).toBe(type);
    const run = executor.run(request((a: number, b: number) => a + b, [2, 3]));
    await expect(run).resolves.toBe(5);
  });

  it("awaits async functions", async () => {
    const executor = make();
    await executor.start({ alias: "default" });
    const g = gate();
    const run = executor.run(
      request(async () => {
        await g.promise;
        return "done";
      }),
    );
    g.open();
    await expect(run).resolves.toBe("done");
  });

  it("turns a synchronous throw into a rejection, never a throw out of run()", async () => {
    const executor = make();
    await executor.start({ alias: "default" });
    const boom = new RangeError("boom");
    let run: Promise<unknown> = Promise.resolve();
    expect(() => {
      run = executor.run(
        request(() => {
          throw boom;
        }),
      );
    }).not.toThrow();
    await expect(run).rejects.toBe(boom);
  });

  it("gives the run its context, also after an await, and none outside a run", async () => {
    const executor = make();
    await executor.start({ alias: "default" });
    const g = gate();
    const run = executor.run(
      request(async () => {
        await g.promise;
        const ctx = getRunContext();
        return (
          ctx && [ctx.taskId, ctx.runId, ctx.scheduledRunTime.toISOString(), ctx.signal.aborted]
        );
      }),
    );
    expect(getRunContext()).toBeUndefined();
    g.open();
    await expect(run).resolves.toEqual([
      "task-1",
      "0123456789abcdef0123456789abcdef",
      "2026-03-01T08:00:00.000Z",
      false,
    ]);
    expect(getRunContext()).toBeUndefined();
  });

  it("aborts the run's signal when the scheduler's signal aborts", async () => {
    const executor = make();
    await executor.start({ alias: "default" });
    const scheduler = new AbortController();
    const g = gate();
    const run = executor.run(
      request(
        async () => {
          const signal = getRunContext()?.signal;
          await g.promise;
          return [signal?.aborted, signal?.reason];
        },
        [],
        scheduler.signal,
      ),
    );
    await Promise.resolve();
    scheduler.abort("scheduler shut down");
    g.open();
    await expect(run).resolves.toEqual([true, "scheduler shut down"]);
  });

  it("shutdown(true) waits for runs in flight, then refuses new runs", async () => {
    const executor = make();
    await executor.start({ alias: "default" });
    const g = gate();
    let finished = false;
    const run = executor.run(
      request(async () => {
        await g.promise;
        finished = true;
      }),
    );
    const shutdown = executor.shutdown(true);
    let shutDown = false;
    void shutdown.then(() => {
      shutDown = true;
    });
    await Promise.resolve();
    expect(shutDown).toBe(false);
    g.open();
    await shutdown;
    expect(finished).toBe(true);
    await run;
    await expect(executor.run(request(() => 1))).rejects.toBeInstanceOf(ExecutorShutdownError);
    await executor.start({ alias: "default" });
    await expect(executor.run(request(() => 1))).resolves.toBe(1);
  });

  it("shutdown(false) aborts the signal of runs in flight and returns at once", async () => {
    const executor = make();
    await executor.start({ alias: "default" });
    const run = executor.run(
      request(async () => {
        const signal = getRunContext()?.signal;
        if (signal === undefined) throw new Error("no context");
        await new Promise((resolve) => signal.addEventListener("abort", resolve));
        return signal.reason;
      }),
    );
    await Promise.resolve();
    await executor.shutdown(false);
    await expect(run).resolves.toBe("executor shut down");
  });
});

describe("debug executor", () => {
  it("calls the function synchronously inside run()", async () => {
    const executor = new DebugExecutor();
    await executor.start({ alias: "default" });
    const calls: string[] = [];
    const run = executor.run(request(() => calls.push("called")));
    expect(calls).toEqual(["called"]);
    await run;
  });
});

describe("asyncio executor", () => {
  it("calls the function after the submitting code, not inside run()", async () => {
    const executor = new AsyncioExecutor();
    await executor.start({ alias: "default" });
    const calls: string[] = [];
    const run = executor.run(request(() => calls.push("called")));
    expect(calls).toEqual([]);
    await run;
    expect(calls).toEqual(["called"]);
  });
});
