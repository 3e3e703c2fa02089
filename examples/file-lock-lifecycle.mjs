// SPEC §2, Option 2: a single active lifecycle holder elected with a file lock. Plain JavaScript on
// Node 20 has no `using`, so the guard is released in `finally` (SPEC §2). Needs @asyncz/locks.
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AsyncIOScheduler, makeFunction } from "@asyncz/core";
import { FileLockProtected } from "@asyncz/locks";

/** @returns what the lifecycle did, in order */
export async function main() {
  const log = [];
  const scheduler = new AsyncIOScheduler({
    stores: { default: { type: "memory" }, memory: { type: "memory" } },
  });
  function* lifecycleTask(name) {
    const fileLock = new FileLockProtected(join(tmpdir(), `asyncz_bg_${name}_{pgrp}.lock`));
    while (true) {
      const guard = fileLock.protected(false); // non-blocking; guard.acquired: boolean
      try {
        if (!guard.acquired) {
          const running = yield;
          if (!running) break;
          continue;
        }
        // delayed setup: only the lock holder gets here
        log.push("setup");
        scheduler.addTask(
          makeFunction((v) => generator.next(v)),
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
        // cleanup of the loop setup
        log.push("cleanup");
        break;
      } finally {
        guard.release();
      }
    }
  }
  const generator = lifecycleTask(`example-${process.pid}`);
  generator.next();
  scheduler.addTask(
    makeFunction((v) => generator.next(v)),
    {
      id: "tick",
      args: [true],
      trigger: "interval",
      minutes: 5,
    },
  );
  await scheduler.start();
  await scheduler.runTask("tick");
  await scheduler.stop();
  return log;
}
