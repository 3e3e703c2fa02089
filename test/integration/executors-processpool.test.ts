// The "processpool" executor with real child processes, running the functions of
// test/fixtures/executors/tasks.mjs by module reference against the built @asyncz/core.

import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import {
  ExecutorModuleLoadError,
  ExecutorModuleRefRequiredError,
  ExecutorNotCloneableError,
  ExecutorWorkerCrashedError,
  ProcessPoolExecutor,
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
  start: number;
  end: number;
}

/** Largest number of runs whose [start, end) intervals overlap. */
function maxOverlap(runs: readonly Occupied[]): number {
  const edges: [number, number][] = runs.flatMap((run): [number, number][] => [
    [run.start, 1],
    [run.end, -1],
  ]);
  edges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let current = 0;
  let most = 0;
  for (const [, delta] of edges) {
    current += delta;
    most = Math.max(most, current);
  }
  return most;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const executors: ProcessPoolExecutor[] = [];
function make(
  options: ConstructorParameters<typeof ProcessPoolExecutor>[0] = {},
): ProcessPoolExecutor {
  const executor = new ProcessPoolExecutor(options);
  executors.push(executor);
  return executor;
}
afterEach(async () => {
  await Promise.all(executors.splice(0).map((executor) => executor.shutdown(false)));
});

describe("processpool executor (child processes)", () => {
  it("starts no process before the first run, then runs in a child process", async () => {
    const executor = make({ maxWorkers: 2 });
    await executor.start({ alias: "default" });
    expect(executor.processCount).toBe(0);
    const where = (await executor.run(request("whoAmI"))) as { pid: number };
    expect(where.pid).not.toBe(process.pid);
    expect(isAlive(where.pid)).toBe(true);
    expect(executor.processCount).toBe(1);
    // The same child serves the next run.
    expect(((await executor.run(request("whoAmI"))) as { pid: number }).pid).toBe(where.pid);
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

  it("rebuilds getRunContext() inside the child", async () => {
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
  });

  it("never runs more than maxWorkers processes under concurrent load", async () => {
    const executor = make({ maxWorkers: 2 });
    await executor.start({ alias: "default" });
    const runs = Array.from({ length: 6 }, () => executor.run(request("occupy", [200])));
    let mostProcesses = 0;
    const sampler = setInterval(() => {
      mostProcesses = Math.max(mostProcesses, executor.processCount);
    }, 10);
    const results = (await Promise.all(runs)) as Occupied[];
    clearInterval(sampler);
    expect(new Set(results.map((r) => r.pid)).size).toBe(2);
    expect(mostProcesses).toBeLessThanOrEqual(2);
    expect(maxOverlap(results)).toBe(2);
  });

  it("rejects a run whose child exits mid-run with a typed error, and replaces the child", async () => {
    const executor = make({ maxWorkers: 1 });
    await executor.start({ alias: "default" });
    const first = (await executor.run(request("whoAmI"))) as { pid: number };
    const crash = await executor.run(request("exitMidRun", [3])).catch((e: unknown) => e);
    expect(crash).toBeInstanceOf(ExecutorWorkerCrashedError);
    expect(crash).toMatchObject({
      code: "EXECUTOR_WORKER_CRASHED",
      exitCode: 3,
      taskId: "task-exitMidRun",
    });
    const killed = await executor.run(request("killSelf")).catch((e: unknown) => e);
    expect(killed).toMatchObject({
      code: "EXECUTOR_WORKER_CRASHED",
      exitCode: null,
      signal: "SIGKILL",
    });
    const after = (await executor.run(request("whoAmI"))) as { pid: number };
    expect(after.pid).not.toBe(first.pid);
    expect(executor.processCount).toBe(1);
  });

  it("propagates the scheduler's abort into the child", async () => {
    const executor = make();
    await executor.start({ alias: "default" });
    const scheduler = new AbortController();
    const run = executor.run(request("waitForAbort", [10_000], scheduler.signal));
    await new Promise((resolve) => setTimeout(resolve, 100));
    scheduler.abort("scheduler shut down");
    await expect(run).resolves.toMatchObject({ aborted: true, reason: "scheduler shut down" });
  });

  it("shutdown(false) aborts the run's signal in the child and stops every child", async () => {
    const executor = make({ abortGraceMs: 5000 });
    await executor.start({ alias: "default" });
    const { pid } = (await executor.run(request("whoAmI"))) as { pid: number };
    const run = executor.run(request("waitForAbort", [10_000]));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await executor.shutdown(false);
    await expect(run).resolves.toMatchObject({ aborted: true, reason: "executor shut down" });
    expect(executor.processCount).toBe(0);
    expect(isAlive(pid)).toBe(false);
  });

  it("shutdown(false) kills a child that ignores its signal after abortGraceMs", async () => {
    const executor = make({ abortGraceMs: 50, maxWorkers: 1 });
    await executor.start({ alias: "default" });
    const running = executor.run(request("occupy", [10_000]));
    const queued = executor.run(request("add", [1, 1]));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await executor.shutdown(false);
    await expect(running).rejects.toMatchObject({ code: "EXECUTOR_SHUT_DOWN" });
    await expect(queued).rejects.toMatchObject({ code: "EXECUTOR_SHUT_DOWN" });
    expect(executor.processCount).toBe(0);
  });

  it("lets an idle child go after idleTimeoutMs", async () => {
    const executor = make({ idleTimeoutMs: 50 });
    await executor.start({ alias: "default" });
    const { pid } = (await executor.run(request("whoAmI"))) as { pid: number };
    await expect.poll(() => executor.processCount, { timeout: 5000 }).toBe(0);
    await expect.poll(() => isAlive(pid), { timeout: 5000 }).toBe(false);
  });

  it("children exit when their parent process is SIGKILLed", async () => {
    const parent = spawn(
      process.execPath,
      [fileURLToPath(new URL("../fixtures/executors/pool-parent.mjs", import.meta.url))],
      { stdio: ["ignore", "pipe", "inherit"] },
    );
    const [line] = (await once(parent.stdout, "data")) as [Buffer];
    const { childPid } = JSON.parse(line.toString()) as { childPid: number };
    expect(isAlive(childPid)).toBe(true);
    parent.kill("SIGKILL");
    await once(parent, "exit");
    // Generous bound: the child notices the closed IPC channel and exits.
    await expect.poll(() => isAlive(childPid), { timeout: 10_000 }).toBe(false);
  });
});
