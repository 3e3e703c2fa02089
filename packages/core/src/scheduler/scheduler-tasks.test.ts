import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";
import {
  ConflictIdError,
  FunctionNameConflictError,
  InvalidArgumentError,
  ModuleReferenceError,
  SchedulerNotRunningError,
  TaskLookupError,
  TaskNotReferencableError,
  TaskStateError,
  UnknownAliasError,
} from "../errors.js";
import { Task } from "../tasks/task.js";
import { scratchDir } from "../test-kit/scratch-dir.js";
import { CronTrigger } from "../triggers/cron/cron-trigger.js";
import { harness, ofName, PersistentMemoryStore, T0 } from "./test-support/harness.js";

function checkStatus() {
  return "ok";
}

describe("task API", () => {
  it("runs the SPEC §2 example: Task with scheduler, addTask(Task, trigger), update, reschedule", async () => {
    const { scheduler } = harness();
    const task = new Task({
      id: "my-task",
      fn: checkStatus,
      name: "my-func",
      scheduler,
      trigger: new CronTrigger({ dayOfWeek: "mon,tue,wed,thu,fri,sat,sun", hour: 8, minute: 1 }),
      maxInstances: 3,
      coalesce: true,
    });
    expect(task.scheduleState).toBe("pending");
    await scheduler.start();
    const t = new Task({ id: "my-task2", fn: checkStatus, maxInstances: 1, coalesce: true });
    await scheduler.addTask(t, {
      trigger: new CronTrigger({ dayOfWeek: "mon-fri", hour: 8, minute: 1 }),
    });
    expect(t.scheduleState).toBe("scheduled");
    await task.update({ name: "my-new-task-id", maxInstances: 5, coalesce: false });
    await expect(task.update({ id: "other" } as never)).rejects.toBeInstanceOf(TaskStateError);
    await task.reschedule({ trigger: "cron", hour: 10, minute: 5 });
    const stored = await scheduler.getTask("my-task");
    expect(stored).toMatchObject({ name: "my-new-task-id", maxInstances: 5, coalesce: false });
    // 2030-01-01 12:00 UTC → next 10:05 is the next day.
    expect(stored?.nextRunTime).toEqual(new Date(Date.UTC(2030, 0, 2, 10, 5)));
    expect(String(stored?.trigger)).toContain("cron");
    await scheduler.shutdown();
  });

  it("applies taskDefaults (grace 60, coalesce true, maxInstances 1) and generates 32-hex ids", async () => {
    const { scheduler } = harness();
    await scheduler.start();
    const task = await scheduler.addTask(checkStatus, { trigger: "interval", minutes: 1 });
    expect(task.id).toMatch(/^[0-9a-f]{32}$/);
    expect(task).toMatchObject({ mistriggerGraceTime: 60, coalesce: true, maxInstances: 1 });
    expect(task.name).toBe("checkStatus");
    const custom = harness({ taskDefaults: { mistriggerGraceTime: null, maxInstances: 4 } });
    const other = await custom.scheduler.addTask(checkStatus, { trigger: "interval", minutes: 1 });
    expect(other).toMatchObject({ mistriggerGraceTime: null, coalesce: true, maxInstances: 4 });
    await scheduler.shutdown();
  });

  it("rejects a duplicate id with ConflictIdError, and replaces with replaceExisting", async () => {
    const { scheduler } = harness();
    await scheduler.start();
    await scheduler.addTask(checkStatus, { id: "x", trigger: "interval", minutes: 1 });
    await expect(
      scheduler.addTask(checkStatus, { id: "x", trigger: "interval", minutes: 2 }),
    ).rejects.toBeInstanceOf(ConflictIdError);
    await scheduler.addTask(checkStatus, {
      id: "x",
      trigger: "interval",
      minutes: 2,
      replaceExisting: true,
    });
    expect(String((await scheduler.getTask("x"))?.trigger)).toBe(
      String((await scheduler.getTasks())[0]?.trigger),
    );
    expect(await scheduler.getTasks()).toHaveLength(1);
    await scheduler.shutdown();
  });

  it("adds a task paused with nextRunTime: null, and pause/resume it", async () => {
    const { scheduler, events } = harness();
    await scheduler.start();
    const task = await scheduler.addTask(checkStatus, {
      id: "p",
      trigger: "interval",
      minutes: 1,
      nextRunTime: null,
    });
    expect(task.scheduleState).toBe("paused");
    const resumed = await scheduler.resumeTask("p");
    expect(resumed?.nextRunTime).toEqual(new Date(T0 + 60_000));
    const paused = await scheduler.pauseTask("p");
    expect(paused.scheduleState).toBe("paused");
    expect(ofName(events, "task_modified")).toHaveLength(2);
    await scheduler.shutdown();
  });

  it("runTask runs a paused task now and keeps it paused", async () => {
    const { scheduler, clock, events } = harness();
    const fn = vi.fn(() => 3);
    await expect(scheduler.runTask("nope")).rejects.toBeInstanceOf(SchedulerNotRunningError);
    await scheduler.start();
    await scheduler.addTask(fn, { id: "p", trigger: "interval", minutes: 1, nextRunTime: null });
    await scheduler.runTask("p");
    await clock.advance(0);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(ofName(events, "task_submitted")[0]?.source).toBe("manual");
    expect(ofName(events, "task_executed")[0]?.returnValue).toBe(3);
    expect((await scheduler.getTask("p"))?.scheduleState).toBe("paused");
    await scheduler.runTask("p", { force: false });
    await clock.advance(0);
    expect(fn).toHaveBeenCalledTimes(1);
    await scheduler.shutdown();
  });

  it("previewTaskRuns returns the next run times without changing the task", async () => {
    const { scheduler } = harness();
    await scheduler.start();
    await scheduler.addTask(checkStatus, { id: "i", trigger: "interval", seconds: 30 });
    const before = await scheduler.getTask("i");
    expect(await scheduler.previewTaskRuns("i", 3)).toEqual([
      new Date(T0 + 30_000),
      new Date(T0 + 60_000),
      new Date(T0 + 90_000),
    ]);
    expect((await scheduler.getTask("i"))?.nextRunTime).toEqual(before?.nextRunTime);
    await expect(scheduler.previewTaskRuns("i", 51)).rejects.toBeInstanceOf(InvalidArgumentError);
    await scheduler.shutdown();
  });

  it("gets, deletes and removes tasks, stopped and running, with typed errors", async () => {
    const { scheduler, events } = harness({
      stores: { default: { type: "memory" }, other: { type: "memory" } },
    });
    await scheduler.addTask(checkStatus, { id: "a", trigger: "interval", minutes: 1 });
    expect((await scheduler.getTask("a"))?.scheduleState).toBe("pending");
    await scheduler.start();
    await scheduler.addTask(checkStatus, {
      id: "b",
      trigger: "interval",
      minutes: 1,
      store: "other",
    });
    expect((await scheduler.getTasks("other")).map((t) => t.id)).toEqual(["b"]);
    expect((await scheduler.getTasks()).map((t) => t.id).sort()).toEqual(["a", "b"]);
    expect(await scheduler.getTask("zzz")).toBeNull();
    await expect(scheduler.deleteTask("zzz")).rejects.toBeInstanceOf(TaskLookupError);
    await scheduler.deleteTask("a");
    expect(ofName(events, "task_removed").map((e) => e.store)).toEqual(["default"]);
    await scheduler.removeAllTasks("other");
    expect(await scheduler.getTasks()).toEqual([]);
    expect(ofName(events, "all_tasks_removed")[0]?.alias).toBe("other");
    await expect(scheduler.getTasks("nope")).rejects.toBeInstanceOf(UnknownAliasError);
    await scheduler.shutdown();
  });

  it("validates input with typed errors naming the field, and stores nothing on failure", async () => {
    const { scheduler } = harness();
    await scheduler.start();
    const bad: Array<[Record<string, unknown>, RegExp]> = [
      [{ maxInstances: 0 }, /maxInstances = 0/],
      [{ mistriggerGraceTime: -1 }, /mistriggerGraceTime = -1/],
      [{ coalesce: "yes" }, /coalesce = "yes"/],
      [{ store: "nowhere" }, /store = "nowhere"/],
      [{ executor: "nowhere" }, /executor = "nowhere"/],
      [{ trigger: "interval", hourz: 1 }, /hourz/],
      [{ hours: 1 }, /hours = 1/],
      [{ trigger: "sometimes" }, /sometimes/],
      [{ args: "x" }, /args = "x"/],
    ];
    for (const [options, message] of bad)
      await expect(scheduler.addTask(checkStatus, options)).rejects.toThrow(message);
    expect(await scheduler.getTasks()).toEqual([]);
    await expect(scheduler.updateTask("missing", { name: "x" })).rejects.toBeInstanceOf(
      TaskLookupError,
    );
    await scheduler.addTask(checkStatus, { id: "k", trigger: "interval", minutes: 1 });
    await expect(scheduler.updateTask("k", { maxInstances: -2 })).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
    await expect(scheduler.updateTask("k", { id: "j" } as never)).rejects.toBeInstanceOf(
      TaskStateError,
    );
    expect((await scheduler.getTask("k"))?.maxInstances).toBe(1);
    await expect(scheduler.addTask((await scheduler.getTask("k")) as Task)).rejects.toBeInstanceOf(
      TaskStateError,
    );
    await scheduler.shutdown();
  });
});

describe("functions by reference", () => {
  it("rejects an anonymous function for a persistent store, with the fix in the message", async () => {
    const { scheduler } = harness({ stores: { default: new PersistentMemoryStore() } });
    const error = await scheduler.addTask(() => 1).catch((e) => e);
    expect(error).toBeInstanceOf(TaskNotReferencableError);
    expect(error.message).toMatch(/registerFunction/);
    expect(error.message).toMatch(/\.\/jobs\.js:myJob/);
  });

  it("registers fn.name on addTask, and refuses two different functions under one name", async () => {
    const { scheduler } = harness({ stores: { default: new PersistentMemoryStore() } });
    await scheduler.addTask(checkStatus, { trigger: "interval", minutes: 1 });
    const impostor = { checkStatus: () => "other" }.checkStatus;
    expect(impostor.name).toBe("checkStatus");
    await expect(
      scheduler.addTask(impostor, { trigger: "interval", minutes: 1 }),
    ).rejects.toBeInstanceOf(FunctionNameConflictError);
    expect(() => scheduler.registerFunction("checkStatus", impostor)).toThrow(
      FunctionNameConflictError,
    );
    scheduler.registerFunction("other", impostor);
    await scheduler.addTask("other", { trigger: "interval", minutes: 1 });
    await expect(scheduler.addTask("unregistered")).rejects.toBeInstanceOf(ModuleReferenceError);
  });

  it("resolves module references against baseDirectory, verifying them at addTask", async () => {
    const dir = scratchDir("asyncz-ref-");
    writeFileSync(
      join(dir, "jobs.mjs"),
      "export function double(x) { return 2 * x; }\nexport const nope = 1;\n",
    );
    const { scheduler, clock, events } = harness({ baseDirectory: dir });
    await scheduler.start();
    await scheduler.addTask("./jobs.mjs:double", { args: [21] });
    await clock.advance(0);
    await vi.waitFor(() => expect(ofName(events, "task_executed")[0]?.returnValue).toBe(42));
    await expect(scheduler.addTask("./jobs.mjs:nope")).rejects.toBeInstanceOf(ModuleReferenceError);
    await expect(scheduler.addTask("./missing.mjs:double")).rejects.toBeInstanceOf(
      ModuleReferenceError,
    );
    await scheduler.shutdown();
  });
});
