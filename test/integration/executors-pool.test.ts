// The "pool"/"threadpool" executor with real worker threads (piscina), running the functions of
// test/fixtures/executors/tasks.mjs by module reference against the built @asyncz/core.
import {
  ExecutorModuleLoadError,
  ExecutorModuleRefRequiredError,
  ExecutorNotCloneableError,
  ExecutorWorkerCrashedError,
  PoolExecutor,
  type RunRequest,
  type TaskFunction,
} from "@asyncz/core";
import { afterEach, describe, expect, it } from "vitest";

const TASKS = new URL("../fixtures/executors/tasks.mjs", import.meta.url).href;
let counter = 0;

function request(exportName: string, args: unknown[] = [], signal?: AbortSignal): RunRequest {
  counter += 1;
  return {
    taskId: `task-${exportName}`,
    runId: counter.toString(16).padStart(32, "0"),
    scheduledRunTime: new Date("2026-03-01T08:00:00Z"),
    fn: function placeholder() {} as TaskFunction,
    moduleRef: { url: TASKS, exportName },
    args,
    signal: signal ?? new AbortController().signal,
  };
}

interface Occupied {
  pid: number;
  threadId: number;
  start: number;
  end: number;
}

/** Largest number of runs whose [start, end) intervals overlap. */
function maxOverlap(runs: readonly Occupied[]): number {
  const edges = runs.flatMap((run) => [
    [run.start, 1],
    [run.end, -1],
  ]);
  edges.sort((a, b) => (a[0] as number) - (b[0] as number) || (a[1] as number) - (b[1] as number));
  let current = 0;
  let most = 0;
  for (const [, delta] of edges) {
    current += delta as number;
    most = Math.max(most, current);
  }
  return most;
}

const executors: PoolExecutor[] = [];
function make(options: ConstructorParameters<typeof PoolExecutor>[0] = {}): PoolExecutor {
  const executor = new PoolExecutor(options);
  executors.push(executor);
  return executor;
}
afterEach(async () => {
  await Promise.all(executors.splice(0).map((executor) => executor.shutdown(false)));
});

describe("pool executor (worker threads)", () => {
  it("starts no thread before the first run, then runs in a worker thread", async () => {
    const executor = make({ maxWorkers: 2 });
    await executor.start({ alias: "default" });
    expect(executor.threadCount).toBe(0);
    const where = (await executor.run(request("whoAmI"))) as { pid: number; threadId: number };
    expect(where.pid).toBe(process.pid);
    expect(where.threadId).not.toBe(0);
    expect(executor.threadCount).toBe(1);
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

  it("rebuilds getRunContext() inside the thread", async () => {
    const executor = make();
    await executor.start({ alias: "default" });
    const run = request("context");
    const context = await executor.run(run);
    expect(context).toEqual({
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

  it("never runs more than maxWorkers threads under concurrent load", async () => {
    const executor = make({ maxWorkers: 2 });
    await executor.start({ alias: "default" });
    const runs = Array.from({ length: 8 }, () => executor.run(request("occupy", [150])));
    let mostThreads = 0;
    const sampler = setInterval(() => {
      mostThreads = Math.max(mostThreads, executor.threadCount);
    }, 10);
    const results = (await Promise.all(runs)) as Occupied[];
    clearInterval(sampler);
    expect(new Set(results.map((r) => r.threadId)).size).toBeLessThanOrEqual(2);
    expect(mostThreads).toBeLessThanOrEqual(2);
    expect(maxOverlap(results)).toBe(2);
  });

  it("rejects a run whose thread exits mid-run with a typed error, and keeps serving", async () => {
    const executor = make({ maxWorkers: 1 });
    await executor.start({ alias: "default" });
    const first = (await executor.run(request("whoAmI"))) as { threadId: number };
    const crash = await executor.run(request("exitMidRun", [3])).catch((e: unknown) => e);
    expect(crash).toBeInstanceOf(ExecutorWorkerCrashedError);
    expect(crash).toMatchObject({ code: "EXECUTOR_WORKER_CRASHED", taskId: "task-exitMidRun" });
    const after = (await executor.run(request("whoAmI"))) as { threadId: number };
    expect(after.threadId).not.toBe(first.threadId);
  });

  it("propagates the scheduler's abort into the thread", async () => {
    const executor = make();
    await executor.start({ alias: "default" });
    const scheduler = new AbortController();
    const run = executor.run(request("waitForAbort", [10_000], scheduler.signal));
    await expect.poll(() => executor.threadCount).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    scheduler.abort("scheduler shut down");
    await expect(run).resolves.toMatchObject({ aborted: true, reason: "scheduler shut down" });
  });

  it("shutdown(false) aborts the run's signal in the thread and stops every thread", async () => {
    const executor = make({ abortGraceMs: 5000 });
    await executor.start({ alias: "default" });
    const run = executor.run(request("waitForAbort", [10_000]));
    await expect.poll(() => executor.threadCount).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await executor.shutdown(false);
    await expect(run).resolves.toMatchObject({ aborted: true, reason: "executor shut down" });
    expect(executor.threadCount).toBe(0);
  });

  it("shutdown(false) ends a run that ignores its signal after abortGraceMs", async () => {
    const executor = make({ abortGraceMs: 50 });
    await executor.start({ alias: "default" });
    const run = executor.run(request("occupy", [10_000]));
    await expect.poll(() => executor.threadCount).toBe(1);
    await executor.shutdown(false);
    await expect(run).rejects.toMatchObject({ code: "EXECUTOR_SHUT_DOWN" });
    await expect(executor.run(request("add", [1, 1]))).rejects.toMatchObject({
      code: "EXECUTOR_SHUT_DOWN",
    });
  });

  it("idles threads out after idleTimeoutMs", async () => {
    const executor = make({ idleTimeoutMs: 50 });
    await executor.start({ alias: "default" });
    await executor.run(request("add", [1, 1]));
    expect(executor.threadCount).toBe(1);
    await expect.poll(() => executor.threadCount, { timeout: 5000 }).toBe(0);
  });
});
