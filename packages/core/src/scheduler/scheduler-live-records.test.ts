import { describe, expect, it } from "vitest";
import { MemoryStore } from "../stores/memory-store.js";
import type { AddRecordOptions } from "../stores/store.js";
import { type TaskRecord, taskRecordToJSON } from "../stores/task-record.js";
import type { Task } from "../tasks/task.js";
import { AndTrigger } from "../triggers/and-trigger.js";
import { CronTrigger } from "../triggers/cron/cron-trigger.js";
import { DateTrigger } from "../triggers/date-trigger.js";
import { IntervalTrigger } from "../triggers/interval-trigger.js";
import { OrTrigger } from "../triggers/or-trigger.js";
import type { Trigger } from "../triggers/trigger.js";
import type { AddTaskOptions } from "./task-input.js";
import { harness, T0 } from "./test-support/harness.js";

/** A memory store with `addTask` of its own: the scheduler gives it records with trigger JSON. */
class EagerMemoryStore extends MemoryStore {
  readonly added: TaskRecord[] = [];
  override addTask(record: TaskRecord, options?: AddRecordOptions): Promise<void> {
    this.added.push(record);
    return super.addTask(record, options);
  }
}

function job() {
  return "done";
}

/** One scheduler on the plain memory store (live records) and one on the eager store. */
async function pair() {
  const live = new MemoryStore();
  const eager = new EagerMemoryStore();
  const a = harness({ stores: { default: live } });
  const b = harness({ stores: { default: eager } });
  await a.scheduler.start();
  await b.scheduler.start();
  return { live, eager, a, b };
}

function view(task: Task | null) {
  if (task === null) return null;
  return {
    id: task.id,
    name: task.name,
    fn: task.fn,
    args: task.args,
    trigger: task.trigger?.toJSON(),
    triggerText: String(task.trigger),
    executor: task.executor,
    store: task.store,
    mistriggerGraceTime: task.mistriggerGraceTime,
    maxInstances: task.maxInstances,
    coalesce: task.coalesce,
    nextRunTime: task.nextRunTime,
    scheduleState: task.scheduleState,
  };
}

async function expectSame(
  stores: { live: MemoryStore; eager: EagerMemoryStore },
  schedulers: { a: ReturnType<typeof harness>; b: ReturnType<typeof harness> },
  id: string,
): Promise<void> {
  const live = await stores.live.getAllTasks();
  const eager = await stores.eager.getAllTasks();
  expect(live).toEqual(eager);
  expect(JSON.stringify(live.map(taskRecordToJSON))).toBe(
    JSON.stringify(eager.map(taskRecordToJSON)),
  );
  expect(view(await schedulers.a.scheduler.getTask(id))).toEqual(
    view(await schedulers.b.scheduler.getTask(id)),
  );
}

const triggers: Array<[string, () => Trigger | AddTaskOptions]> = [
  ["interval alias", () => ({ trigger: "interval", minutes: 5 })],
  [
    "interval with start, end, zone, jitter",
    () =>
      new IntervalTrigger({
        hours: 1,
        startAt: "2030-01-01 08:30",
        endAt: "2031-01-01T00:00:00Z",
        timezone: "Europe/Berlin",
        jitter: 10,
      }),
  ],
  ["cron fields", () => ({ trigger: "cron", minute: "*/5", hour: "8-17", dayOfWeek: "mon-fri" })],
  ["cron crontab", () => CronTrigger.fromCrontab("0 8 * * 1-5", "Europe/Berlin")],
  ["date", () => new DateTrigger({ runAt: new Date(T0 + 3_600_000) })],
  [
    "and",
    () =>
      new AndTrigger({
        triggers: [
          new IntervalTrigger({ minutes: 10 }, { now: new Date(T0) }),
          new CronTrigger({ minute: "*/20" }),
        ],
      }),
  ],
  [
    "or",
    () =>
      new OrTrigger({
        triggers: [new DateTrigger({ runAt: new Date(T0 + 60_000) }), new CronTrigger({ hour: 9 })],
      }),
  ],
];

describe("live records in the memory store equal the serialised ones", () => {
  for (const [label, make] of triggers) {
    it(`${label}: after add, update, reschedule, pause and resume`, async () => {
      const stores = await pair();
      const { a, b, eager } = stores;
      const spec = make();
      const options = (t: Trigger | AddTaskOptions): AddTaskOptions =>
        "getNextTriggerTime" in t ? { trigger: t as Trigger } : (t as AddTaskOptions);
      const added = await a.scheduler.addTask(job, { id: "t", args: [1], ...options(spec) });
      await b.scheduler.addTask(job, { id: "t", args: [1], ...options(make()) });
      // The eager path really was taken on one side.
      expect(eager.added).toHaveLength(1);
      await expectSame(stores, { a, b }, "t");
      // The live trigger object is the one getTask hands back, as before.
      if ("getNextTriggerTime" in spec)
        expect((await a.scheduler.getTask("t"))?.trigger).toBe(spec);
      expect((await a.scheduler.getTask("t"))?.trigger).toBe(added.trigger);

      for (const scheduler of [a.scheduler, b.scheduler])
        await scheduler.updateTask("t", { name: "renamed", maxInstances: 2 });
      await expectSame(stores, { a, b }, "t");
      for (const scheduler of [a.scheduler, b.scheduler])
        await scheduler.rescheduleTask("t", { trigger: "interval", minutes: 7 });
      await expectSame(stores, { a, b }, "t");
      for (const scheduler of [a.scheduler, b.scheduler]) await scheduler.pauseTask("t");
      await expectSame(stores, { a, b }, "t");
      for (const scheduler of [a.scheduler, b.scheduler]) await scheduler.resumeTask("t");
      await expectSame(stores, { a, b }, "t");
      await a.scheduler.shutdown();
      await b.scheduler.shutdown();
    });
  }

  it("paused adds, replaceExisting and runs give the same records and events", async () => {
    const stores = await pair();
    const { a, b } = stores;
    for (const { scheduler } of [a, b]) {
      await scheduler.addTask(job, {
        id: "p",
        trigger: "interval",
        seconds: 30,
        nextRunTime: null,
      });
      await scheduler.addTask(job, { id: "r", trigger: "interval", seconds: 30 });
      await scheduler.addTask(job, {
        id: "r",
        trigger: "cron",
        second: "*/10",
        replaceExisting: true,
      });
    }
    await expectSame(stores, { a, b }, "p");
    await expectSame(stores, { a, b }, "r");
    await a.clock.advance(35_000);
    await b.clock.advance(35_000);
    await expectSame(stores, { a, b }, "r");
    expect(a.names()).toEqual(b.names());
    expect(a.names().filter((n) => n === "task_executed").length).toBeGreaterThan(0);
    await a.scheduler.shutdown();
    await b.scheduler.shutdown();
  });

  it("a trigger of another library is serialised when added: a failing toJSON rejects addTask", async () => {
    const { scheduler } = harness();
    await scheduler.start();
    const broken: Trigger = {
      type: "broken",
      getNextTriggerTime: () => new Date(T0 + 1000),
      toJSON: () => {
        throw new Error("cannot serialise");
      },
      toString: () => "broken[]",
    };
    await expect(scheduler.addTask(job, { trigger: broken })).rejects.toThrow("cannot serialise");
    expect(await scheduler.getTasks()).toEqual([]);
    await scheduler.shutdown();
  });
});
