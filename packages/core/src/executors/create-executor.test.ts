import { describe, expect, it } from "vitest";
import { ExecutorConfigError } from "../errors.js";
import { AsyncioExecutor } from "./asyncio-executor.js";
import { createExecutor, type ExecutorConfig } from "./create-executor.js";
import { DebugExecutor } from "./debug-executor.js";
import { PoolExecutor } from "./pool-executor.js";
import { ProcessPoolExecutor } from "./process-pool-executor.js";

describe("createExecutor", () => {
  it("maps every alias to its executor", () => {
    expect(createExecutor("asyncio")).toBeInstanceOf(AsyncioExecutor);
    expect(createExecutor("debug")).toBeInstanceOf(DebugExecutor);
    expect(createExecutor("pool")).toBeInstanceOf(PoolExecutor);
    expect(createExecutor("threadpool").type).toBe("threadpool");
    expect(createExecutor("processpool")).toBeInstanceOf(ProcessPoolExecutor);
  });

  it("passes options of { type, ...options } to the executor", () => {
    const pool = createExecutor({ type: "pool", maxWorkers: 2, idleTimeoutMs: 5 });
    expect(pool).toBeInstanceOf(PoolExecutor);
    expect((pool as PoolExecutor).maxWorkers).toBe(2);
    expect((pool as PoolExecutor).idleTimeoutMs).toBe(5);
    const processes = createExecutor({ type: "processpool", maxWorkers: 3 });
    expect((processes as ProcessPoolExecutor).maxWorkers).toBe(3);
  });

  it("defaults maxWorkers to a small number and creates no worker up front", () => {
    const pool = new PoolExecutor();
    expect(pool.maxWorkers).toBeGreaterThanOrEqual(1);
    expect(pool.maxWorkers).toBeLessThanOrEqual(4);
    expect(pool.threadCount).toBe(0);
    expect(new ProcessPoolExecutor().processCount).toBe(0);
  });

  it("returns an instance as it is", () => {
    const executor = new DebugExecutor();
    expect(createExecutor(executor)).toBe(executor);
  });

  it.each([
    [
      "unknown alias",
      "threads",
      "executor",
      /Invalid executor = "threads": unknown executor alias/,
    ],
    ["unknown type", { type: "fork" }, "type", /Invalid type = "fork": unknown executor type/],
    [
      "unknown pool option",
      { type: "pool", maxWorker: 2 },
      "maxWorker",
      /Invalid maxWorker = 2: unknown option of the "pool" executor/,
    ],
    ["option of asyncio", { type: "asyncio", maxWorkers: 2 }, "maxWorkers", /takes none/],
    [
      "zero maxWorkers",
      { type: "processpool", maxWorkers: 0 },
      "maxWorkers",
      /Invalid maxWorkers = 0: must be an integer >= 1/,
    ],
    [
      "fractional idle timeout",
      { type: "threadpool", idleTimeoutMs: 1.5 },
      "idleTimeoutMs",
      /must be an integer >= 0/,
    ],
    ["not a configuration", 42, "executor", /not an executor configuration/],
  ])("rejects an %s with a typed error naming it", (_label, config, field, message) => {
    let caught: unknown;
    try {
      createExecutor(config as unknown as ExecutorConfig);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ExecutorConfigError);
    expect((caught as ExecutorConfigError).code).toBe("INVALID_EXECUTOR_CONFIG");
    expect((caught as ExecutorConfigError).field).toBe(field);
    expect((caught as Error).message).toMatch(message);
  });
});
