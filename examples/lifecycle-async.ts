// SPEC §2: async generators work the same way, with makeAsyncFunction; stop() awaits the cleanup.
import { AsyncIOScheduler, makeAsyncFunction } from "@asyncz/core";

/** @returns what the lifecycle did, in order */
export async function main(): Promise<string[]> {
  const log: string[] = [];
  const scheduler = new AsyncIOScheduler();
  async function* lifecycleTask(): AsyncGenerator<void, void, boolean> {
    log.push("setup");
    scheduler.addTask(
      makeAsyncFunction((v: boolean) => generator.next(v)),
      { args: [false], trigger: "shutdown" },
    );
    let running = yield;
    while (running) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      log.push("tick");
      running = yield;
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
    log.push("cleanup");
  }
  const generator = lifecycleTask();
  await generator.next(true);
  scheduler.addTask(
    makeAsyncFunction((v: boolean) => generator.next(v)),
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
