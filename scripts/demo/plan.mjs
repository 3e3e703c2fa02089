// The demo's tasks, shared by the primary (which computes what should run) and the workers (which
// register them). Every shared task fires on whole multiples of its period from the epoch, so the
// primary can list the expected runs with plain arithmetic: an oracle independent of the triggers
// under test.

/**
 * The tasks in the shared file store. Each executes exactly once per scheduled run across the
 * cluster. `periodMs` is the oracle; `options(startAt, core)` is what the workers give `addTask`
 * (`core` is `@asyncz/core`, passed in so the primary does not load the scheduler).
 */
export const SHARED_TASKS = [
  {
    id: "heartbeat",
    label: "interval 1 s",
    periodMs: 1000,
    options: (startAt) => ({ trigger: "interval", seconds: 1, startAt }),
  },
  {
    id: "report",
    label: "cron second */2",
    periodMs: 2000,
    options: (startAt) => ({ trigger: "cron", second: "*/2", timezone: "UTC", startAt }),
  },
  {
    id: "digest",
    label: "crontab */5 * * * * *",
    periodMs: 5000,
    // Standard crontab with a leading seconds field; a trigger instance carries its own start.
    options: (_startAt, core) => ({
      trigger: core.CronTrigger.fromCrontab("*/5 * * * * *", "UTC"),
    }),
  },
];

/** The lifecycle tick: a per-process task (memory store); only the file-lock holder works. */
export const LIFECYCLE = { id: "lifecycle-tick", periodMs: 1000 };

/**
 * Every run the shared tasks should execute with run times in `[fromMs, toMs]`.
 *
 * @param {number} fromMs - the first run time (a whole second, the tasks' `startAt`)
 * @param {number} toMs - the last run time considered
 * @returns {Map<string, number[]>} task id → run times in epoch ms
 */
export function expectedRuns(fromMs, toMs) {
  const expected = new Map();
  for (const task of SHARED_TASKS) {
    const times = [];
    for (let t = Math.ceil(fromMs / task.periodMs) * task.periodMs; t <= toMs; t += task.periodMs) {
      times.push(t);
    }
    expected.set(task.id, times);
  }
  return expected;
}
