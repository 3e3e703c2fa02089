// SPEC §2, lifecycle task on the memory store: a generator's `next` plays Python's `send`.
// Setup runs at once, each interval tick resumes the loop, and the shutdown task (run by stop())
// lets the generator reach its cleanup.
import { AsyncIOScheduler, makeFunction } from "@asyncz/core";

/** @returns what the lifecycle did, in order */
export async function main(): Promise<string[]> {
  const log: string[] = [];
  const scheduler = new AsyncIOScheduler();
  function* lifecycleTask(): Generator<void, void, boolean> {
    // setup ...
    log.push("setup");
    scheduler.addTask(
      makeFunction((v: boolean) => generator.next(v)),
      { args: [false], trigger: "shutdown" },
    );
    let running = yield;
    while (running) {
      /* do something */
      log.push("tick");
      running = yield;
    }
    // cleanup ...
    log.push("cleanup");
  }
  const generator = lifecycleTask();
  generator.next(true);
  scheduler.addTask(
    makeFunction((v: boolean) => generator.next(v)),
    {
      id: "tick",
      args: [true],
      trigger: "interval",
      minutes: 5,
    },
  );
  await scheduler.start();
  // ... the application runs; one tick is forced here instead of waiting five minutes.
  await scheduler.runTask("tick");
  await scheduler.stop(); // the shutdown task runs: the generator reaches its cleanup
  return log;
}
