import { describe, expect, it } from "vitest";
import { TaskRecordError } from "../errors.js";
import type { TaskRecord } from "./task-record.js";
import { taskRecordFromJSON, taskRecordToJSON } from "./task-record.js";

const record: TaskRecord = {
  id: "0123456789abcdef0123456789abcdef",
  name: "check status",
  fn: "./jobs.js:checkStatus",
  args: [1, { a: "b" }],
  trigger: { type: "interval", version: 1, seconds: 300 },
  executor: "default",
  mistriggerGraceTime: null,
  coalesce: false,
  maxInstances: 3,
  nextRunTime: new Date("2030-01-01T08:00:00.123Z"),
};

describe("task record JSON", () => {
  it("round-trips through JSON text with version 1 and an ISO next run time", () => {
    const json = taskRecordToJSON(record);
    expect(json.version).toBe(1);
    expect(json.nextRunTime).toBe("2030-01-01T08:00:00.123Z");
    expect(taskRecordFromJSON(JSON.parse(JSON.stringify(json)))).toEqual(record);
    const paused = { ...record, nextRunTime: null };
    expect(taskRecordFromJSON(JSON.parse(JSON.stringify(taskRecordToJSON(paused))))).toEqual(
      paused,
    );
  });

  it.each([
    ["version", 2, /version = 2/],
    ["id", "", /id = ""/],
    ["fn", 42, /fn = 42/],
    ["args", "x", /args = "x"/],
    ["trigger", { version: 1 }, /trigger = /],
    ["mistriggerGraceTime", 0, /mistriggerGraceTime = 0/],
    ["coalesce", "yes", /coalesce = "yes"/],
    ["maxInstances", 1.5, /maxInstances = 1.5/],
    ["nextRunTime", "tomorrow", /nextRunTime = "tomorrow"/],
  ])("rejects a bad %s with a typed error naming it", (field, value, message) => {
    const json = { ...taskRecordToJSON(record), [field]: value };
    const error = (() => {
      try {
        taskRecordFromJSON(json);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(TaskRecordError);
    expect((error as TaskRecordError).code).toBe("INVALID_TASK_RECORD");
    expect((error as Error).message).toMatch(message);
  });

  it("rejects something that is not an object", () => {
    expect(() => taskRecordFromJSON([1])).toThrow(TaskRecordError);
    expect(() => taskRecordFromJSON(null)).toThrow(TaskRecordError);
  });
});
