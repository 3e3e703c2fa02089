// The two executors that run a function somewhere else — "pool"/"threadpool" (worker threads on
// piscina) and "processpool" (child processes) — share one behaviour contract, tested here against
// both with the functions of test/fixtures/executors/tasks.mjs by module reference and the built
// @asyncz/core. What only one of them does (a child's pid, a SIGKILLed parent) is tested in
// executors-processpool.test.ts.
import {
  ExecutorModuleLoadError,
  ExecutorModuleRefRequiredError,
  ExecutorNotCloneableError,
  ExecutorWorkerCrashedError,
  PoolExecutor,
  ProcessPoolExecutor,
  type RunRequest,
} from "@asyncz/core";
import { afterEach, describe, expect, it } from "vitest";
import { maxOverlap, type Occupied, request } from "./support/remote-runs.js";

/** One remote executor kind: how to build it and how many workers (threads or children) it has. */
interface Kind {
  name: string;
  make(options: { maxWorkers?: number; abortGraceMs?: number; idleTimeoutMs?: number }): {
    start(context: { alias: string }): Promise<void>;
    run(request: RunRequest): Promise<unknown>;
    shutdown(wait: boolean): Promise<void>;
  };
  workers(executor: unknown): number;
  /** Identifies the worker a `whoAmI` result came from. */
  workerOf(result: { pid: number; threadId: number }): number;
}

const kinds: Kind[] = [
  {
    name: "pool executor (worker threads)",
    make: (options) => new PoolExecutor(options),
    workers: (executor) => (executor as PoolExecutor).threadCount,
    workerOf: (result) => result.threadId,
  },
  {
    name: "processpool executor (child processes)",
    make: (options) => new ProcessPoolExecutor(options),
    workers: (executor) => (executor as ProcessPoolExecutor).processCount,
    workerOf: (result) => result.pid,
  },
];

describe.each(kinds)("$name", (kind) => {
  const executors: ReturnType<Kind["make"]>[] = [];
  function make(options: Parameters<Kind["make"]>[0] = {}): ReturnType<Kind["make"]> {
    const executor = kind.make(options);
    executors.push(executor);
    return executor;
  }
  afterEach(async () => {
    await Promise.all(executors.splice(0).map((executor) => executor.shutdown(false)));
  });

  it("starts no worker before the first run, then runs elsewhere and reuses that worker", async () => {
    const executor = make({ maxWorkers: 2 });
    await executor.start({ alias: "default" });
    expect(kind.workers(executor)).toBe(0);
    const where = (await executor.run(request("whoAmI"))) as { pid: number; threadId: number };
    expect(where.pid !== process.pid || where.threadId !== 0).toBe(true);
    expect(kind.workers(executor)).toBe(1);
    const again = (await executor.run(request("whoAmI"))) as { pid: number; threadId: number };
    expect(kind.workerOf(again)).toBe(kind.workerOf(where));
  });

  it("returns values of sync and async functions", async () => {
    const executor = make();
    await executor.start({ alias: "default" });
    await expect(executor.run(request("add", [2, 3]))).resolves.toBe(5);
    await expect(executor.run(request("addLater", [4, 5]))).resolves.toBe(9);
  });

  it("rejects with the thrown error's name, message and properties", async () => {
    const executor = make();
    await executor.start({ alias: "default" });
    const error = await executor.run(request("fail", ["broken"])).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "RangeError", message: "broken", code: "E_FIXTURE" });
    const later = await executor.run(request("failLater", ["later"])).catch((e: unknown) => e);
    expect(later).toMatchObject({ name: "TypeError", message: "later" });
  });

  it("rebuilds getRunContext() inside the worker", async () => {
    const executor = make();
    await executor.start({ alias: "default" });
    const run = request("context");
    await expect(executor.run(run)).resolves.toEqual({
      taskId: run.taskId,
      runId: run.runId,
      scheduledRunTime: run.scheduledRunTime,
      isDate: true,
      hasSignal: true,
      aborted: false,
    });
  });

  it("rejects functions without a module reference, uncloneable data and bad references with typed errors", async () => {
    const executor = make();
    await executor.start({ alias: "default" });
    await expect(executor.run({ ...request("add"), moduleRef: null })).rejects.toBeInstanceOf(
      ExecutorModuleRefRequiredError,
    );
    await expect(executor.run(request("add", [() => 1, 2]))).rejects.toMatchObject({
      code: "EXECUTOR_NOT_CLONEABLE",
      field: "args",
    });
    await expect(executor.run(request("returnsFunction"))).rejects.toBeInstanceOf(
      ExecutorNotCloneableError,
    );
    await expect(executor.run(request("missingExport"))).rejects.toBeInstanceOf(
      ExecutorModuleLoadError,
    );
    await expect(executor.run(request("notAFunction"))).rejects.toBeInstanceOf(
      ExecutorModuleLoadError,
    );
  });

  it("never runs more than maxWorkers workers under concurrent load", async () => {
    const executor = make({ maxWorkers: 2 });
    await executor.start({ alias: "default" });
    const runs = Array.from({ length: 6 }, () => executor.run(request("occupy", [200])));
    let most = 0;
    const sampler = setInterval(() => {
      most = Math.max(most, kind.workers(executor));
    }, 10);
    const results = (await Promise.all(runs)) as Occupied[];
    clearInterval(sampler);
    expect(new Set(results.map((r) => kind.workerOf(r))).size).toBe(2);
    expect(most).toBeLessThanOrEqual(2);
    expect(maxOverlap(results)).toBe(2);
  });

  it("rejects a run whose worker exits mid-run with a typed error, and replaces the worker", async () => {
    const executor = make({ maxWorkers: 1 });
    await executor.start({ alias: "default" });
    const first = (await executor.run(request("whoAmI"))) as { pid: number; threadId: number };
    const crash = await executor.run(request("exitMidRun", [3])).catch((e: unknown) => e);
    expect(crash).toBeInstanceOf(ExecutorWorkerCrashedError);
    expect(crash).toMatchObject({ code: "EXECUTOR_WORKER_CRASHED", taskId: "task-exitMidRun" });
    const after = (await executor.run(request("whoAmI"))) as { pid: number; threadId: number };
    expect(kind.workerOf(after)).not.toBe(kind.workerOf(first));
    expect(kind.workers(executor)).toBe(1);
  });

  it("propagates the scheduler's abort into the worker", async () => {
    const executor = make();
    await executor.start({ alias: "default" });
    const scheduler = new AbortController();
    const run = executor.run(request("waitForAbort", [10_000], scheduler.signal));
    await expect.poll(() => kind.workers(executor)).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    scheduler.abort("scheduler shut down");
    await expect(run).resolves.toMatchObject({ aborted: true, reason: "scheduler shut down" });
  });

  it("shutdown(false) aborts the run's signal in the worker, refuses queued runs and stops every worker", async () => {
    const executor = make({ abortGraceMs: 5000, maxWorkers: 1 });
    await executor.start({ alias: "default" });
    const run = executor.run(request("waitForAbort", [10_000]));
    const queued = executor.run(request("context"));
    await expect.poll(() => kind.workers(executor)).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await executor.shutdown(false);
    await expect(run).resolves.toMatchObject({ aborted: true, reason: "executor shut down" });
    // The queued run is refused, not started with an already aborted signal once the worker frees.
    await expect(queued).rejects.toMatchObject({ code: "EXECUTOR_SHUT_DOWN" });
    expect(kind.workers(executor)).toBe(0);
  });

  it("shutdown(false) ends a run that ignores its signal after abortGraceMs", async () => {
    const executor = make({ abortGraceMs: 50, maxWorkers: 1 });
    await executor.start({ alias: "default" });
    const running = executor.run(request("occupy", [10_000]));
    const queued = executor.run(request("add", [1, 1]));
    await expect.poll(() => kind.workers(executor)).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await executor.shutdown(false);
    await expect(running).rejects.toMatchObject({ code: "EXECUTOR_SHUT_DOWN" });
    await expect(queued).rejects.toMatchObject({ code: "EXECUTOR_SHUT_DOWN" });
    expect(kind.workers(executor)).toBe(0);
    await expect(executor.run(request("add", [1, 1]))).rejects.toMatchObject({
      code: "EXECUTOR_SHUT_DOWN",
    });
  });

  it("lets an idle worker go after idleTimeoutMs", async () => {
    const executor = make({ idleTimeoutMs: 50 });
    await executor.start({ alias: "default" });
    await executor.run(request("add", [1, 1]));
    expect(kind.workers(executor)).toBe(1);
    await expect.poll(() => kind.workers(executor), { timeout: 5000 }).toBe(0);
  });
});
