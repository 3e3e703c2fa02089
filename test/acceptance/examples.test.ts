// Every SPEC §2 snippet, as a file in examples/, run as written against the built packages.
import { describe, expect, it } from "vitest";

describe("SPEC §2 examples", () => {
  it("cron-task.ts: Task with a scheduler, addTask(Task, { trigger }), update, reschedule", async () => {
    const { main } = await import("../../examples/cron-task.js");
    const tasks = await main();
    expect(tasks).toEqual([
      { id: "my-task2", name: "checkStatus", trigger: expect.stringContaining("cron[") },
      { id: "my-task", name: "my-new-task-id", trigger: expect.stringContaining("cron[") },
    ]);
    expect(tasks.find((t) => t.id === "my-task")?.trigger).toMatch(/hour='10'/);
  });

  it("lifecycle-memory.ts: setup, a tick, cleanup at stop()", async () => {
    const { main } = await import("../../examples/lifecycle-memory.js");
    expect(await main()).toEqual(["setup", "tick", "cleanup"]);
  });

  it("lifecycle-async.ts: the same with an async generator, cleanup awaited by stop()", async () => {
    const { main } = await import("../../examples/lifecycle-async.js");
    expect(await main()).toEqual(["setup", "tick", "cleanup"]);
  });

  it("file-store-lifecycle.ts: file store + memory store (Option 1)", async () => {
    const { main } = await import("../../examples/file-store-lifecycle.js");
    expect(await main()).toEqual(["setup", "tick", "cleanup"]);
  });

  it("file-lock-lifecycle.mjs: one lock holder runs the lifecycle (Option 2)", async () => {
    const { main } = await import("../../examples/file-lock-lifecycle.mjs");
    expect(await main()).toEqual(["setup", "tick", "cleanup"]);
  });
});
