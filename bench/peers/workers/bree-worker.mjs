// bench/peers worker: bree, no coordination — every worker runs every job, each run in a new
// worker thread (bree's model). Each job is `* * * * * *` (hasSeconds). The slot is the second
// nearest to the moment bree creates the thread: bree's timers (@breejs/later) fire up to tens
// of milliseconds before the second (bree-in-process.mjs measures it), so rounding down would
// file an early run under the previous second. The start time is when the thread's code runs
// (it posts a message, recorded by the parent).
// Usage: node bree-worker.mjs <outDir> <tasks> <intervalS> <startAtMs> <mode>
import { fileURLToPath } from "node:url";
import Bree from "bree";
import { onTerm, ready, recorder } from "./record.mjs";

const [outDir, tasksArg] = process.argv.slice(2);
const record = recorder(outDir);
const jobPath = fileURLToPath(new URL("./bree-job.mjs", import.meta.url));
const slot = new Map();
const quiet = { info() {}, warn() {}, error: (...args) => console.error(...args) };
const bree = new Bree({
  root: false,
  logger: quiet,
  hasSeconds: true,
  jobs: Array.from({ length: Number(tasksArg) }, (_, i) => ({
    name: `t-${i}`,
    path: jobPath,
    cron: "* * * * * *",
  })),
  workerMessageHandler: ({ name, message }) => {
    if (message?.started !== undefined) record(name, slot.get(name), message.started);
  },
});
bree.on("worker created", (name) => {
  slot.set(name, Math.round(Date.now() / 1000) * 1000);
});
await bree.start();
onTerm(() => bree.stop());
ready(outDir);
