import { describe, expect, it } from "vitest";
import { InvalidArgumentError, TaskStateError } from "../errors.js";
import { Task } from "./task.js";

function job() {}

describe("Task", () => {
  it("generates 32-hex ids, defaults its name, and starts pending", () => {
    const task = new Task({ fn: job });
    expect(task.id).toMatch(/^[0-9a-f]{32}$/);
    expect(new Task({ fn: job }).id).not.toBe(task.id);
    expect(task.name).toBe("job");
    expect(task.scheduleState).toBe("pending");
    expect(task.args).toEqual([]);
    expect(String(task)).toBe("job (trigger: now, pending)");
  });

  it("refuses an id change with a typed error", () => {
    const task = new Task({ id: "fixed", fn: job });
    expect(() => {
      (task as unknown as { id: string }).id = "other";
    }).toThrow(TaskStateError);
    expect(task.id).toBe("fixed");
  });

  it("validates its fields with errors naming field and value", () => {
    expect(() => new Task({ fn: job, maxInstances: 0 })).toThrow(/maxInstances = 0/);
    expect(() => new Task({ fn: job, mistriggerGraceTime: 0 })).toThrow(/mistriggerGraceTime = 0/);
    expect(() => new Task({ fn: 42 as never })).toThrow(InvalidArgumentError);
    expect(() => new Task({ fn: job, id: "" })).toThrow(/id = ""/);
    expect(() => new Task({ fn: job, trigger: "cron" as never })).toThrow(/trigger = "cron"/);
    expect(() => new Task({ fn: job, colaesce: true } as never)).toThrow(/colaesce/);
  });

  it("keeps nextRunTime null given to the constructor as 'from the trigger' (SPEC §3.2)", () => {
    expect(new Task({ fn: job, nextRunTime: null }).nextRunTime).toBeUndefined();
    expect(new Task({ fn: job, nextRunTime: "2030-01-01T00:00:00Z" }).nextRunTime).toEqual(
      new Date("2030-01-01T00:00:00Z"),
    );
  });

  it("needs a scheduler for update/pause/resume/delete", async () => {
    const task = new Task({ fn: job });
    await expect(task.pause()).rejects.toBeInstanceOf(TaskStateError);
    await expect(task.update({ name: "x" })).rejects.toBeInstanceOf(TaskStateError);
  });
});
