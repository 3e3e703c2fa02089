import { describe, expect, it, vi } from "vitest";
import { InvalidArgumentError } from "../errors.js";
import type { Logger } from "../scheduler/logger.js";
import { ALL_EVENTS, SCHEDULER_START, TASK_ADDED } from "./event-codes.js";
import { EventDispatcher } from "./event-dispatcher.js";

describe("event codes", () => {
  it("keep asyncz's bit values", async () => {
    const codes = await import("./event-codes.js");
    expect([codes.SCHEDULER_START, codes.SCHEDULER_SHUTDOWN, codes.TASK_EXECUTED]).toEqual([
      1, 2, 4096,
    ]);
    expect([codes.TASK_MISSED, codes.TASK_SUBMITTED, codes.TASK_MAX_INSTANCES]).toEqual([
      16384, 32768, 65536,
    ]);
    expect(ALL_EVENTS & codes.STORE_ERROR).toBe(codes.STORE_ERROR);
  });
});

describe("EventDispatcher", () => {
  it("calls listeners by mask, survives a throwing one, and logs it", () => {
    const error = vi.fn();
    const logger = { error } as unknown as Logger;
    const events = new EventDispatcher(() => logger);
    const seen: string[] = [];
    events.add(() => {
      throw new Error("bad listener");
    });
    events.add((e) => seen.push(e.name), TASK_ADDED);
    expect(events.wants(SCHEDULER_START)).toBe(true);
    events.dispatch({ code: SCHEDULER_START, name: "scheduler_start" });
    events.dispatch({ code: TASK_ADDED, name: "task_added", taskId: "t", store: "default" });
    expect(seen).toEqual(["task_added"]);
    expect(error).toHaveBeenCalledTimes(2);
  });

  it("on(name) returns an unsubscribe function, and rejects unknown names", () => {
    const events = new EventDispatcher(() => ({}) as Logger);
    const cb = vi.fn();
    const off = events.on("task_added", cb);
    events.dispatch({ code: TASK_ADDED, name: "task_added", taskId: "t", store: null });
    off();
    events.dispatch({ code: TASK_ADDED, name: "task_added", taskId: "t", store: null });
    expect(cb).toHaveBeenCalledTimes(1);
    expect(events.wants(TASK_ADDED)).toBe(false);
    expect(() => events.on("task_exploded" as never, cb)).toThrow(InvalidArgumentError);
    expect(() => events.add(cb, 0)).toThrow(InvalidArgumentError);
  });
});
