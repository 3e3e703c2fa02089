// The executors as the scheduler drives them: a task added by module reference to each
// executor, run now, reports its own run context through the TASK_EXECUTED event.
import { AsyncIOScheduler } from "@asyncz/core";
import { afterEach, describe, expect, it } from "vitest";

const TASKS = new URL("../fixtures/executors/tasks.mjs", import.meta.url).href;

interface Executed {
  taskId: string;
  runId?: string;
  returnValue?: unknown;
  exception?: unknown;
}

const schedulers: AsyncIOScheduler[] = [];
afterEach(async () => {
  await Promise.all(schedulers.splice(0).map((scheduler) => scheduler.shutdown(false)));
});

async function runOnce(
  executor: string,
  exportName: string,
  args: unknown[] = [],
): Promise<Executed> {
  const scheduler = new AsyncIOScheduler({
    executors: {
      default: "asyncio",
      debug: "debug",
      pool: { type: "pool", maxWorkers: 1 },
      processes: { type: "processpool", maxWorkers: 1 },
    },
  });
  schedulers.push(scheduler);
  const done = new Promise<Executed>((resolve) => {
    scheduler.on("task_executed", (event) => resolve(event as unknown as Executed));
    scheduler.on("task_error", (event) => resolve(event as unknown as Executed));
  });
  await scheduler.start();
  await scheduler.addTask(`${TASKS}:${exportName}`, { id: `ctx-${executor}`, executor, args });
  return done;
}

describe.each(["default", "debug", "pool", "processes"])(
  "scheduler with the %s executor",
  (executor) => {
    it("runs a module-referenced task and gives it its run context", async () => {
      const event = await runOnce(executor, "context");
      expect(event.exception).toBeUndefined();
      expect(event.returnValue).toMatchObject({
        taskId: `ctx-${executor}`,
        isDate: true,
        hasSignal: true,
        aborted: false,
      });
      expect((event.returnValue as { runId: string }).runId).toMatch(/^[0-9a-f]{32}$/);
      if (event.runId !== undefined)
        expect((event.returnValue as { runId: string }).runId).toBe(event.runId);
    });

    it("gives a plain (non-async) function its context during its call", async () => {
      const event = await runOnce(executor, "contextSync");
      expect(event.returnValue).toEqual({ taskId: `ctx-${executor}`, aborted: false });
    });

    it("reaches a dotted export path", async () => {
      const event = await runOnce(executor, "nested.double", [21]);
      expect(event.returnValue).toBe(42);
    });
  },
);
