// SPEC §2, multi-process, file store, "tick only one lifecycle task" (Option 1): the tick lives in
// the shared file store (so one worker runs each tick), the shutdown task in this process's memory
// store (so each worker cleans up its own setup). Needs @asyncz/file-store installed.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AsyncIOScheduler, makeFunction } from "@asyncz/core";

export const log: string[] = [];

export const scheduler = new AsyncIOScheduler({
  lockPath: join(tmpdir(), "asyncz_{pgrp}_{store}.lock"),
  stores: {
    default: {
      type: "file",
      directory: mkdtempSync(join(tmpdir(), "asyncz-")),
      cleanupDirectory: true,
    },
    memory: { type: "memory" },
  },
});

function* lifecycleTask(): Generator<void, void, boolean> {
  log.push("setup");
  scheduler.addTask(
    makeFunction((v: boolean) => generator.next(v)),
    {
      args: [false],
      trigger: "shutdown",
      store: "memory",
    },
  );
  let running = yield;
  while (running) {
    log.push("tick");
    running = yield;
  }
  log.push("cleanup");
}
const generator = lifecycleTask();
generator.next(true);

/** Referencable (SPEC §4.5): a named function, registered under its name by addTask. */
export function lifecycleTick() {
  generator.next(true);
}

/** @returns what the lifecycle did, in order */
export async function main(): Promise<string[]> {
  await scheduler.addTask(lifecycleTick, {
    id: "lifecycle-tick",
    trigger: "interval",
    minutes: 5,
    replaceExisting: true,
  });
  await scheduler.start();
  await scheduler.runTask("lifecycle-tick");
  await scheduler.stop();
  return log;
}
