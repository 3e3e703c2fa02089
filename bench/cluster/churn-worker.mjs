// Child of bench/cluster: raw store throughput without a scheduler. Each of N processes walks the
// same tasks and run times; for each run it claims, and the winner advances the task (compare-and-
// set), as a scheduler pass does. Usage: node churn-worker.mjs <dir> <tasks> <rounds> <startAtMs>
import { silentLogger } from "@asyncz/core";
import { FileStore } from "@asyncz/file-store";

const [directory, tasksArg, roundsArg, startAtArg] = process.argv.slice(2);
const tasks = Number(tasksArg);
const rounds = Number(roundsArg);
const owner = `churn-${process.pid}`;
const store = new FileStore({ directory });
await store.start({
  alias: "default",
  owner,
  lockPath: undefined,
  logger: silentLogger,
  emit() {},
});
await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAtArg) - Date.now())));
const T0 = 1_900_000_000_000;
let won = 0;
let advanced = 0;
const c0 = process.cpuUsage();
const w0 = performance.now();
for (let r = 0; r < rounds; r++) {
  const time = new Date(T0 + r * 1000);
  for (let i = 0; i < tasks; i++) {
    const id = `churn-${i}`;
    const got = await store.claimRuns(id, [time], owner);
    if (got.length === 1) {
      won += 1;
      if (await store.advanceTask(id, time, new Date(time.getTime() + 1000))) advanced += 1;
    }
  }
}
const wallMs = performance.now() - w0;
const cpu = process.cpuUsage(c0);
await store.shutdown();
process.stdout.write(
  JSON.stringify({ won, advanced, wallMs, cpuMs: (cpu.user + cpu.system) / 1000 }),
);
