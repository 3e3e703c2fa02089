// The application every pm2 worker runs. Nothing in it knows how many workers there are: they
// all register the same tasks on the same directory, and the file store makes each run happen
// once. Set ASYNCZ_DIR to choose the task directory and RUNS_FILE to record every run.
import { appendFileSync, mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { AsyncIOScheduler, getRunContext, installGracefulShutdown } from "@asyncz/core";

const directory = resolve(process.env.ASYNCZ_DIR ?? "./data/tasks");
const runsFile = resolve(process.env.RUNS_FILE ?? "./data/runs.jsonl");
const instance = Number(process.env.NODE_APP_INSTANCE ?? 0);
mkdirSync(dirname(directory), { recursive: true });
mkdirSync(dirname(runsFile), { recursive: true });

// One line per fact; a single append of a short line is not interleaved with other processes'.
function record(fact) {
  appendFileSync(runsFile, `${JSON.stringify({ ...fact, pid: process.pid, instance })}\n`);
}

const scheduler = new AsyncIOScheduler({
  stores: { default: { type: "file", directory } },
});

function tick() {
  const { taskId, scheduledRunTime } = getRunContext();
  record({ type: "run", taskId, scheduledMs: scheduledRunTime.getTime(), startedMs: Date.now() });
}
function report() {
  const { taskId, scheduledRunTime } = getRunContext();
  record({ type: "run", taskId, scheduledMs: scheduledRunTime.getTime(), startedMs: Date.now() });
}
// Every worker registers the functions by name: any of them can run a task another one added.
scheduler.registerFunction("tick", tick);
scheduler.registerFunction("report", report);

// Idempotent registration for rolling restarts: every worker adds the tasks before start(); the
// first worker to start stores them, and the others (and the workers that replace them on
// `pm2 reload`) find them there and keep their schedule (the conflicting add is dropped at
// start()). Use `replaceExisting: true` instead when a deploy changes a task's trigger.
await scheduler.addTask(tick, { id: "tick", trigger: "cron", second: "*" });
await scheduler.addTask(report, { id: "report", trigger: "cron", second: "*/5" });

// SIGINT from `pm2 reload/stop`: stop claiming, finish running tasks within 1.5 s, close the store.
installGracefulShutdown(scheduler, {
  timeoutMs: 1500,
  onShutdown: (result) =>
    record({ type: "stopped", ...result, error: result.error && String(result.error) }),
});

await scheduler.start();
record({ type: "ready", health: await scheduler.health() });
