// The "asyncio" and "debug" executors from the built @asyncz/core, with the same fixture
// functions the thread and process pools load by reference (here imported and passed directly).
import { createExecutor, type RunRequest, type TaskFunction } from "@asyncz/core";
import { describe, expect, it } from "vitest";

const TASKS = new URL("../fixtures/executors/tasks.mjs", import.meta.url).href;
const tasks = (await import(TASKS)) as Record<string, TaskFunction>;

function request(exportName: string, args: unknown[] = [], signal?: AbortSignal): RunRequest {
  const fn = tasks[exportName];
  if (fn === undefined) throw new Error(`no fixture ${exportName}`);
  return {
    taskId: `task-${exportName}`,
    runId: "f".repeat(32),
    scheduledRunTime: new Date("2026-03-01T08:00:00Z"),
    fn,
    moduleRef: { url: TASKS, exportName },
    args,
    signal: signal ?? new AbortController().signal,
  };
}

describe.each(["asyncio", "debug"] as const)("%s executor (built package)", (type) => {
  it("returns values, rejects with thrown errors and gives the run its context", async () => {
    const executor = createExecutor(type);
    await executor.start({ alias: "default" });
    await expect(executor.run(request("addLater", [1, 2]))).resolves.toBe(3);
    await expect(executor.run(request("fail", ["x"]))).rejects.toMatchObject({
      name: "RangeError",
      code: "E_FIXTURE",
    });
    const run = request("context");
    await expect(executor.run(run)).resolves.toEqual({
      taskId: run.taskId,
      runId: run.runId,
      scheduledRunTime: run.scheduledRunTime,
      isDate: true,
      hasSignal: true,
      aborted: false,
    });
    await executor.shutdown(true);
  });

  it("aborts the run's signal at shutdown(false)", async () => {
    const executor = createExecutor(type);
    await executor.start({ alias: "default" });
    const run = executor.run(request("waitForAbort", [10_000]));
    await new Promise((resolve) => setTimeout(resolve, 20));
    await executor.shutdown(false);
    await expect(run).resolves.toMatchObject({ aborted: true, reason: "executor shut down" });
  });
});
