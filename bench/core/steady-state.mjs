// The scheduler's steady-state CPU per run, without timers or wake-up costs: 200 interval tasks
// (or cron with KIND=cron), an injected clock moved 1 s per pass, CPU per run over many passes
// after a warm-up. A development tool for the run path (load-independent enough to compare two
// builds); the table of index.mjs remains the measurement against the floor.
//   node bench/core/steady-state.mjs [warm-up passes = 300] [measured passes = 3000]
import { AsyncIOScheduler } from "@asyncz/core";

const TASKS = 200;
const warmPasses = Number(process.argv[2] ?? 300);
const passes = Number(process.argv[3] ?? 3000);
let now = Date.UTC(2030, 0, 1);
let pending = null;
// The memory store ages its run claims by Date.now(); it must see the injected time too.
Date.now = () => now;
const clock = {
  now: () => now,
  setTimeout: (callback) => {
    pending = callback;
    return 1;
  },
  clearTimeout: () => {
    pending = null;
  },
};
const scheduler = new AsyncIOScheduler({ clock });
await scheduler.start();
let runs = 0;
function job() {
  runs += 1;
}
for (let i = 0; i < TASKS; i++)
  await (process.env.KIND === "cron"
    ? scheduler.addTask(job, { trigger: "cron", second: "*" })
    : scheduler.addTask(job, { trigger: "interval", seconds: 1, startAt: new Date(now + 1000) }));
const turn = () => new Promise((resolve) => setImmediate(resolve));
async function pass() {
  now += 1000;
  while (pending === null) await turn();
  const wake = pending;
  pending = null;
  wake();
  for (let i = 0; i < 3; i++) await turn();
}
for (let i = 0; i < warmPasses; i++) await pass();
const runsBefore = runs;
const cpuBefore = process.cpuUsage();
for (let i = 0; i < passes; i++) await pass();
const cpu = process.cpuUsage(cpuBefore);
const measured = runs - runsBefore;
console.log(
  JSON.stringify({
    kind: process.env.KIND ?? "interval",
    runs: measured,
    cpuUsPerRun: (cpu.user + cpu.system) / measured,
  }),
);
await scheduler.shutdown(false);
