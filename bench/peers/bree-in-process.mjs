// bree in one process, in the shape of bench/core (whose measure.mjs and adapters cover the
// in-process libraries): µs and retained heap bytes per added cron job (5,000 warm-up adds,
// then 10 batches of 500, median batch), then CPU per run and lateness of jobs due every second.
// bree runs every run in a new worker thread, so the run scenario has 10 jobs, not bench/core's
// 200: in the cluster scenario 10 jobs a second already cost each process about 30 % of a core.
//   node --expose-gc bench/peers/bree-in-process.mjs   prints one JSON line
import { fileURLToPath } from "node:url";
import Bree from "bree";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const gc = () => {
  globalThis.gc?.();
  globalThis.gc?.();
};
const jobPath = fileURLToPath(new URL("./workers/bree-job.mjs", import.meta.url));
const quiet = { info() {}, warn() {}, error: (...args) => console.error(...args) };
const RUN_JOBS = 10;

async function perJob() {
  const bree = new Bree({ root: false, logger: quiet, hasSeconds: true, jobs: [] });
  let n = 0;
  // bree.add validates the job (its file, its cron expression) and stores it; not started.
  const addMany = async (count) => {
    for (let i = 0; i < count; i++) {
      n += 1;
      await bree.add({ name: `j${n}`, path: jobPath, cron: "0 */5 * * * *" });
    }
  };
  await addMany(5000);
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const batches = [];
  for (let b = 0; b < 10; b++) {
    const started = process.hrtime.bigint();
    await addMany(500);
    batches.push(Number(process.hrtime.bigint() - started) / 1000 / 500);
  }
  gc();
  const heapAfter = process.memoryUsage().heapUsed;
  batches.sort((a, b) => a - b);
  return {
    usPerAdd: (batches[4] + batches[5]) / 2,
    usPerAddBatches: batches,
    bytesPerJob: (heapAfter - heapBefore) / 5000,
  };
}

async function fire() {
  await sleep(200);
  const idleBefore = process.cpuUsage();
  await sleep(2000);
  const idle = process.cpuUsage(idleBefore);
  const idleUsPerSecond = (idle.user + idle.system) / 2;
  const lateness = [];
  let measuring = false;
  const bree = new Bree({
    root: false,
    logger: quiet,
    hasSeconds: true,
    jobs: Array.from({ length: RUN_JOBS }, (_, i) => ({
      name: `r${i}`,
      path: jobPath,
      cron: "* * * * * *",
    })),
    // The thread posts its start time; lateness = how far past its second the job's code ran.
    workerMessageHandler: ({ message }) => {
      if (!measuring || message?.started === undefined) return;
      const ms = message.started % 1000;
      lateness.push(ms >= 500 ? ms - 1000 : ms);
    },
  });
  await bree.start();
  // Skip the first second, then ten firing seconds, mid-second to mid-second (as bench/core).
  await sleep(1500 - (Date.now() % 1000));
  measuring = true;
  const cpuBefore = process.cpuUsage();
  await sleep(10_000);
  const cpu = process.cpuUsage(cpuBefore);
  measuring = false;
  await bree.stop();
  lateness.sort((a, b) => a - b);
  const pick = (q) => lateness[Math.min(lateness.length - 1, Math.floor(q * lateness.length))];
  return {
    jobs: RUN_JOBS,
    executions: lateness.length,
    cpuUsPerExecution:
      (cpu.user + cpu.system - 10 * idleUsPerSecond) / Math.max(1, lateness.length),
    idleUsPerSecond,
    latenessP50Ms: pick(0.5),
    latenessP99Ms: pick(0.99),
  };
}

const add = await perJob();
gc();
const run = await fire();
process.stdout.write(`${JSON.stringify({ add, run })}\n`);
process.exit(0);
