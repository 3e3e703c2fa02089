// One adapter per scheduler under test. Each exposes what the library does natively:
// `interval(seconds, fn, firstAt)` and/or `cron(spec, fn)` where spec carries both a 6-field
// crontab (seconds first) and asyncz's field form, plus `start()` / `stop()`.
// `firstAt` (epoch ms) is honoured where the library can take a start time (`intervalStartsAt`);
// the others count from the add.
import { FloorScheduler } from "./floor.mjs";

/** Cron schedules used by the suite. */
export const CRON = {
  everySecond: { crontab: "* * * * * *", fields: { second: "*" } },
  everyFiveMinutes: { crontab: "0 */5 * * * *", fields: { minute: "*/5" } },
  daily: { crontab: "0 0 3 * * *", fields: { hour: 3 } },
};

export const adapters = {
  floor: async () => {
    const floor = new FloorScheduler();
    return {
      intervalStartsAt: true,
      interval: (seconds, fn, firstAt) => floor.add(seconds * 1000, fn, firstAt),
      stop: () => floor.stop(),
    };
  },

  "toad-scheduler": async () => {
    const { ToadScheduler, SimpleIntervalJob, Task } = await import("toad-scheduler");
    const scheduler = new ToadScheduler();
    let n = 0;
    return {
      interval: (seconds, fn) => {
        n += 1;
        scheduler.addSimpleIntervalJob(
          new SimpleIntervalJob({ seconds }, new Task(`t${n}`, () => fn()), { id: `j${n}` }),
        );
      },
      stop: () => scheduler.stop(),
    };
  },

  croner: async () => {
    const { Cron } = await import("croner");
    const jobs = [];
    return {
      cron: (spec, fn) => jobs.push(new Cron(spec.crontab, () => fn())),
      stop: () => {
        for (const job of jobs) job.stop();
      },
    };
  },

  "node-cron": async () => {
    const cron = (await import("node-cron")).default;
    const tasks = [];
    return {
      cron: (spec, fn) => tasks.push(cron.schedule(spec.crontab, () => fn())),
      stop: () => {
        for (const task of tasks) task.destroy();
      },
    };
  },

  "node-schedule": async () => {
    const schedule = (await import("node-schedule")).default;
    return {
      cron: (spec, fn) => schedule.scheduleJob(spec.crontab, () => fn()),
      stop: () => schedule.gracefulShutdown(),
    };
  },

  asyncz: async () => {
    const core = await import("@asyncz/core");
    const Scheduler = core.AsyncIOScheduler;
    if (typeof Scheduler !== "function")
      throw new Error("pending: @asyncz/core has no AsyncIOScheduler yet");
    const scheduler = new Scheduler();
    await scheduler.start();
    return {
      intervalStartsAt: true,
      interval: (seconds, fn, firstAt) =>
        scheduler.addTask(() => fn(), {
          trigger: "interval",
          seconds,
          ...(firstAt === undefined ? {} : { startAt: new Date(firstAt) }),
        }),
      cron: (spec, fn) => scheduler.addTask(() => fn(), { trigger: "cron", ...spec.fields }),
      stop: () => scheduler.shutdown(false),
    };
  },
};
