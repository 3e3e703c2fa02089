// One measurement of one scheduler, in a fresh process (so heaps and timers never mix):
//   node --expose-gc measure.mjs <scheduler> <scenario>
// Prints one JSON line. Scenarios:
//   add-interval / add-cron  µs (median of 10 batches of 500, and the mean of all 5,000 adds) and
//                            retained bytes per added job
//                            (5,000 jobs after 5,000 warm-up)
//   bulk                     100,000 jobs: total add time, bytes per job, idle CPU over 3 s
//   fire                     200 jobs due every second, 10 s: CPU µs per execution, lateness
//   fire-warm                the same, measured after 20 s of firing
import { readFileSync } from "node:fs";
import { adapters, CRON } from "./adapters.mjs";

// An optional third argument ("interval" | "cron") picks the kind for bulk and fire where a
// library has both; by default they use intervals where the library has them.
const [name, scenario, preferredKind = "interval"] = process.argv.slice(2);
const make = adapters[name];
if (make === undefined) throw new Error(`unknown scheduler ${name}`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const now = () => performance.timeOrigin + performance.now();
const gc = () => {
  globalThis.gc?.();
  globalThis.gc?.();
};
// CPU time of the main thread alone (µs), from Linux's per-thread scheduler statistics (ns, not
// tick-sampled); `undefined` elsewhere. process.cpuUsage() also counts V8's background threads:
// in the first seconds of a process they are mostly JIT compilation (asyncz, 200 runs/s, s 2–12:
// 29 of 44 µs per run), a one-time cost that says nothing about the cost of one more run.
const MAIN_THREAD_STAT = `/proc/self/task/${process.pid}/schedstat`;
function mainThreadUs() {
  try {
    return Number(readFileSync(MAIN_THREAD_STAT, "utf8").split(" ")[0]) / 1000;
  } catch {
    return undefined;
  }
}
let fired = 0;
const noop = () => {
  fired += 1;
};

async function addMany(add, count) {
  // Libraries whose add returns a promise (asyncz) are awaited one by one, as a user would.
  for (let i = 0; i < count; i++) {
    const result = add(i);
    if (result !== null && typeof result === "object" && typeof result.then === "function")
      await result;
  }
}

function kindOf(s, preferred) {
  if (preferred === "interval" && s.interval) return "interval";
  if (preferred === "cron" && s.cron) return "cron";
  return undefined;
}

function adder(s, kind, schedule) {
  return kind === "interval"
    ? () => s.interval(schedule.seconds, noop)
    : () => s.cron(schedule.cron, noop);
}

async function perJob(kind) {
  const s = await make();
  if (!kindOf(s, kind)) return { skipped: `no ${kind} schedules` };
  const add = adder(s, kind, { seconds: 300, cron: CRON.everyFiveMinutes });
  // A long warm-up: a scheduler with more code on its add path needs thousands of adds before
  // the JIT settles (asyncz: 31 µs per add over the first 500, 7 µs from 5,000 on).
  await addMany(add, 5000);
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  // Ten batches of 500; the median batch, because other work on a shared machine lands in a
  // few batches and would dominate a mean.
  const batches = [];
  const allStarted = process.hrtime.bigint();
  for (let b = 0; b < 10; b++) {
    const started = process.hrtime.bigint();
    await addMany(add, 500);
    batches.push(Number(process.hrtime.bigint() - started) / 1000 / 500);
  }
  // The mean over all 5,000 adds, garbage collections included, next to the median: the median
  // alone is bimodal for a library whose batches take 2–6 ms each, because one scavenge or
  // incremental-marking step landing in half of them or not decides it (asyncz cron: 4 or 12 µs).
  const usPerAddMean = Number(process.hrtime.bigint() - allStarted) / 1000 / 5000;
  gc();
  const heapAfter = process.memoryUsage().heapUsed;
  await s.stop();
  batches.sort((a, b) => a - b);
  return {
    usPerAdd: (batches[4] + batches[5]) / 2,
    usPerAddMean,
    usPerAddBatches: batches,
    bytesPerJob: (heapAfter - heapBefore) / 5000,
  };
}

async function bulk() {
  const s = await make();
  const kind = kindOf(s, preferredKind) ?? kindOf(s, "interval") ?? "cron";
  const add = adder(s, kind, { seconds: 3600, cron: CRON.daily });
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const started = process.hrtime.bigint();
  await addMany(add, 100_000);
  const addMs = Number(process.hrtime.bigint() - started) / 1e6;
  gc();
  const bytesPerJob = (process.memoryUsage().heapUsed - heapBefore) / 100_000;
  await sleep(500);
  const cpuBefore = process.cpuUsage();
  const wallBefore = now();
  await sleep(3000);
  const cpu = process.cpuUsage(cpuBefore);
  const idleCpuPercent = ((cpu.user + cpu.system) / 1000 / (now() - wallBefore)) * 100;
  await s.stop();
  return { kind, addMs, bytesPerJob, idleCpuPercent, firedDuringIdle: fired };
}

async function fire(warmSeconds = 0) {
  const s = await make();
  // The process's own idle CPU (timers of this script, V8 housekeeping) is measured first and
  // subtracted, so "CPU per execution" is the scheduler's work for the runs.
  await sleep(200);
  const idleBefore = process.cpuUsage();
  const idleMainBefore = mainThreadUs();
  await sleep(2000);
  const idle = process.cpuUsage(idleBefore);
  const idleUsPerSecond = (idle.user + idle.system) / 2;
  const idleMainUsPerSecond =
    idleMainBefore === undefined ? undefined : (mainThreadUs() - idleMainBefore) / 2;
  const kind = kindOf(s, preferredKind) ?? kindOf(s, "interval") ?? "cron";
  const lateness = [];
  let measuring = false;
  // A job's runs are due at anchor + k seconds: whole seconds for cron and for intervals given a
  // start time; the add instant for intervals that count from the add (toad), so a late wake-up
  // before adding is not charged to the library. A run up to 500 ms early counts as negative.
  const recorder = (anchor) => () => {
    if (!measuring) return;
    const ms = (now() - anchor) % 1000;
    lateness.push(ms >= 500 ? ms - 1000 : ms);
  };
  // Add right after a second boundary, so libraries that count from the add fire on boundaries.
  await sleep(1000 - (Date.now() % 1000));
  // First runs on the next boundary, as cron "every second" and toad's 1 s interval do.
  const firstAt = Math.ceil(Date.now() / 1000) * 1000;
  await addMany(
    kind === "interval"
      ? () => s.interval(1, recorder(s.intervalStartsAt ? firstAt : now()), firstAt)
      : () => s.cron(CRON.everySecond, recorder(0)),
    200,
  );
  // Skip the first (cold) second, then measure over exactly ten firing seconds, from
  // mid-second to mid-second.
  // fire-warm: the same after `warmSeconds` more seconds of firing, when the JIT has compiled
  // the run path and the heap has settled (a long-running server's steady state).
  await sleep(1500 + warmSeconds * 1000 - (Date.now() % 1000));
  measuring = true;
  const cpuBefore = process.cpuUsage();
  const mainBefore = mainThreadUs();
  await sleep(10_000);
  const cpu = process.cpuUsage(cpuBefore);
  const main = mainBefore === undefined ? undefined : mainThreadUs() - mainBefore;
  measuring = false;
  await s.stop();
  lateness.sort((a, b) => a - b);
  const pick = (q) => lateness[Math.min(lateness.length - 1, Math.floor(q * lateness.length))];
  return {
    kind,
    executions: lateness.length,
    cpuUsPerExecution:
      (cpu.user + cpu.system - 10 * idleUsPerSecond) / Math.max(1, lateness.length),
    idleUsPerSecond,
    mainCpuUsPerExecution:
      main === undefined
        ? undefined
        : (main - 10 * idleMainUsPerSecond) / Math.max(1, lateness.length),
    latenessP50Ms: pick(0.5),
    latenessP99Ms: pick(0.99),
  };
}

const scenarios = {
  "add-interval": () => perJob("interval"),
  "add-cron": () => perJob("cron"),
  bulk,
  fire: () => fire(0),
  "fire-warm": () => fire(20),
};
try {
  const result = await scenarios[scenario]();
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
} catch (error) {
  process.stdout.write(`${JSON.stringify({ error: String(error.message ?? error) })}\n`);
  process.exit(0);
}
