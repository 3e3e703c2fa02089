// One cluster worker of the demo: the same application code every worker runs. It starts a
// scheduler on the shared file store, registers the demo's tasks (idempotently: every worker adds
// the same ids; the first worker's tasks stay), elects a lifecycle holder with a file lock, and
// reports each run to the primary over IPC. The primary, not this file, decides whether runs were exactly once.
import { appendFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import * as core from "@asyncz/core";
import { FileLockProtected } from "@asyncz/locks";
import { LIFECYCLE, SHARED_TASKS } from "./plan.mjs";

const directory = requiredEnv("DEMO_DIR");
const startAt = new Date(Number(requiredEnv("DEMO_START_MS")));
const worker = Number(requiredEnv("DEMO_WORKER"));

function requiredEnv(name) {
  const value = process.env[name];
  if (value === undefined)
    throw new Error(`the demo worker needs ${name} (start it with npm run demo)`);
  return value;
}

function send(message) {
  // The primary may already be gone (Ctrl-C); a worker never dies of a closed channel.
  if (process.connected) process.send(message, undefined, undefined, () => {});
}

const { AsyncIOScheduler, getRunContext, installGracefulShutdown, makeFunction } = core;

const scheduler = new AsyncIOScheduler({
  stores: {
    default: { type: "file", directory: join(directory, "tasks") },
    memory: { type: "memory" },
  },
  // Every run must execute on its own: coalescing would fold late runs together.
  taskDefaults: { coalesce: false },
});

// Each run is also appended to this worker's journal before the IPC message is sent: a worker
// SIGKILLed just after a run starts may never deliver its message, and the primary reconciles
// the journals before it judges, so a run that happened is never counted as missed.
const journal = join(directory, "runs", `${process.pid}.jsonl`);
mkdirSync(dirname(journal), { recursive: true });
function reportRun() {
  const context = getRunContext();
  const run = {
    type: "run",
    taskId: context.taskId,
    scheduledMs: context.scheduledRunTime.getTime(),
    startedMs: Date.now(),
    pid: process.pid,
    worker,
  };
  appendFileSync(journal, `${JSON.stringify(run)}\n`);
  send(run);
}
// The shared tasks: module-level named functions, so the file store saves them by name and any
// worker can run a task another worker added.
export function heartbeat() {
  reportRun();
}
export function report() {
  reportRun();
}
export function digest() {
  reportRun();
}
const functions = { heartbeat, report, digest };

// Option 2 of the SPEC: every process ticks its own lifecycle generator; only the holder of the
// file lock gets past the guard. When the holder dies the OS drops its lock, and the next process
// to tick takes it (the generator retries the lock as soon as it is resumed).
const fileLock = new FileLockProtected(join(directory, "lifecycle-{pgrp}.lock"));
let holding = false;
function holderReport(acquired) {
  // The very first attempt happens when the generator is primed, outside any run.
  const scheduledMs = getRunContext()?.scheduledRunTime.getTime() ?? null;
  send({ type: "holder", pid: process.pid, worker, scheduledMs, acquired, atMs: Date.now() });
}
function* lifecycleTask() {
  while (true) {
    const guard = fileLock.protected(false);
    try {
      if (!guard.acquired) {
        const running = yield;
        if (!running) return;
        continue;
      }
      // Delayed setup: only the holder gets here. Its cleanup runs at this process's shutdown.
      holding = true;
      holderReport(true);
      scheduler.addTask(
        makeFunction((v) => generator.next(v), "lifecycleShutdown"),
        {
          id: "lifecycle-shutdown",
          args: [false],
          trigger: "shutdown",
          store: "memory",
        },
      );
      let running = yield;
      while (running) {
        holderReport(false);
        running = yield;
      }
      return;
    } finally {
      holding = false;
      guard.release();
    }
  }
}
const generator = lifecycleTask();
generator.next();
export function lifecycleTick() {
  generator.next(true);
}

scheduler.on("task_missed", (event) => {
  send({
    type: "missed",
    taskId: event.taskId,
    scheduledMs: event.scheduledRunTime.getTime(),
    reason: event.reason ?? "late",
    pid: process.pid,
  });
});

installGracefulShutdown(scheduler, { timeoutMs: 1500 });

// Without replaceExisting: a worker that boots late keeps the stored schedule instead of
// recomputing it (a replace after a run came due could skip that run).
for (const task of SHARED_TASKS) {
  await scheduler.addTask(functions[task.id], { ...task.options(startAt, core), id: task.id });
}
await scheduler.addTask(lifecycleTick, {
  id: LIFECYCLE.id,
  trigger: "interval",
  seconds: LIFECYCLE.periodMs / 1000,
  startAt,
  store: "memory",
});
await scheduler.start();
send({ type: "ready", pid: process.pid, worker });

// The live view shows each worker's health once a second.
const healthTimer = setInterval(async () => {
  try {
    const health = await scheduler.health({ locks: { lifecycle: () => holding } });
    send({ type: "health", worker, pid: process.pid, health });
  } catch {
    // health() reports a failing store as a field; anything thrown here is the scheduler stopping.
  }
}, 1000);
healthTimer.unref();
