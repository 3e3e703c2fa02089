import { describe, expect, it } from "vitest";
import type { Executor, RunRequest } from "../executors/executor.js";
import { getRunContext } from "../executors/run-context.js";
import { harness, ofName, T0 } from "./test-support/harness.js";

/**
 * An executor with only the promise form (`run`), as a third-party executor may be: the
 * scheduler must still run through it, with the same events.
 */
class PromiseOnlyExecutor implements Executor {
  readonly type = "promise-only";
  readonly requests: RunRequest[] = [];
  async start(): Promise<void> {}
  async run(request: RunRequest): Promise<unknown> {
    this.requests.push(request);
    return (request.fn as () => unknown)();
  }
  async shutdown(): Promise<void> {}
}

async function runOnce(fn: () => unknown, options: { executor?: string } = {}) {
  const promiseOnly = new PromiseOnlyExecutor();
  const h = harness({ executors: { "promise-only": promiseOnly } });
  await h.scheduler.start();
  await h.scheduler.addTask(fn, {
    id: "job",
    trigger: "date",
    runAt: new Date(T0 + 1000),
    ...(options.executor === undefined ? {} : { executor: options.executor }),
  });
  await h.clock.advance(1000);
  await h.scheduler.shutdown();
  return { ...h, promiseOnly };
}

const RUN_EVENTS = ["task_submitted", "task_executed", "task_error", "task_removed"];

describe("run paths: plain functions without a promise, thenables, promise-only executors", () => {
  it("a plain function: submitted, executed with its return value, then removed (date trigger)", async () => {
    const { events } = await runOnce(() => 7);
    expect(events.map((e) => e.name).filter((n) => RUN_EVENTS.includes(n))).toEqual([
      "task_submitted",
      "task_removed",
      "task_executed",
    ]);
    expect(ofName(events, "task_executed")[0]?.returnValue).toBe(7);
  });

  it("a plain function that throws: task_error with the error, the scheduler goes on", async () => {
    const boom = new Error("plain boom");
    const { events } = await runOnce(() => {
      throw boom;
    });
    expect(ofName(events, "task_error")[0]?.exception).toBe(boom);
    expect(ofName(events, "task_executed")).toEqual([]);
  });

  it("a plain function returning a promise or a thenable: the settled value is reported", async () => {
    const promised = await runOnce(() => Promise.resolve("promised"));
    expect(ofName(promised.events, "task_executed")[0]?.returnValue).toBe("promised");
    const thenable = {
      // biome-ignore lint/suspicious/noThenProperty: a thenable is what this test is about
      then(resolve: (value: string) => void): void {
        resolve("thenable");
      },
    };
    const custom = await runOnce(() => thenable);
    expect(ofName(custom.events, "task_executed")[0]?.returnValue).toBe("thenable");
    const reason = new Error("rejected");
    const rejected = await runOnce(() => Promise.reject(reason));
    expect(ofName(rejected.events, "task_error")[0]?.exception).toBe(reason);
  });

  it("getRunContext() inside a plain function gives the run's ids", async () => {
    let seen: ReturnType<typeof getRunContext>;
    const { events } = await runOnce(() => {
      seen = getRunContext();
    });
    const executed = ofName(events, "task_executed")[0];
    expect(seen?.taskId).toBe("job");
    expect(seen?.runId).toBe(executed?.runId);
    expect(seen?.scheduledRunTime).toEqual(new Date(T0 + 1000));
  });

  it("an executor without runNow gets the run through run(), with the same events", async () => {
    const { events, promiseOnly } = await runOnce(() => "via run()", { executor: "promise-only" });
    expect(promiseOnly.requests).toHaveLength(1);
    expect(promiseOnly.requests[0]?.taskId).toBe("job");
    expect(ofName(events, "task_executed")[0]?.returnValue).toBe("via run()");
    const failing = await runOnce(
      () => {
        throw new Error("promise-only boom");
      },
      { executor: "promise-only" },
    );
    expect(ofName(failing.events, "task_error")[0]?.exception).toEqual(
      new Error("promise-only boom"),
    );
  });

  it("runs every run time of a backlog in order, one instance at a time", async () => {
    const h = harness();
    const order: string[] = [];
    await h.scheduler.start();
    await h.scheduler.addTask(
      () => order.push(getRunContext()?.scheduledRunTime.toISOString() ?? "?"),
      {
        id: "backlog",
        trigger: "interval",
        seconds: 1,
        startAt: new Date(T0 - 3000),
        nextRunTime: new Date(T0 - 3000),
        coalesce: false,
      },
    );
    await h.clock.advance(0);
    await h.scheduler.shutdown();
    expect(order).toEqual([
      new Date(T0 - 3000).toISOString(),
      new Date(T0 - 2000).toISOString(),
      new Date(T0 - 1000).toISOString(),
      new Date(T0).toISOString(),
    ]);
    const submitted = ofName(h.events, "task_submitted");
    expect(submitted).toHaveLength(1);
    expect(submitted[0]?.scheduledRunTimes).toHaveLength(4);
    expect(ofName(h.events, "task_executed").map((e) => e.scheduledRunTime.getTime())).toEqual([
      T0 - 3000,
      T0 - 2000,
      T0 - 1000,
      T0,
    ]);
  });
});
