// bench/peers worker: croner, no coordination — every worker runs every job (the baseline of a
// cron library under `pm2 -i N`). Each job is `* * * * * *` (every second, whole seconds); croner
// does not expose the slot it fired for, so the scheduled time is the start time rounded down to
// the second (exact while a run starts less than 1 s late).
// Usage: node croner-worker.mjs <outDir> <tasks> <intervalS> <startAtMs> <mode>
import { Cron } from "croner";
import { onTerm, ready, recorder } from "./record.mjs";

const [outDir, tasksArg] = process.argv.slice(2);
const record = recorder(outDir);
const jobs = [];
for (let i = 0; i < Number(tasksArg); i++) {
  const id = `t-${i}`;
  jobs.push(
    new Cron("* * * * * *", () => {
      const now = Date.now();
      record(id, Math.floor(now / 1000) * 1000, now);
    }),
  );
}
onTerm(() => {
  for (const job of jobs) job.stop();
});
ready(outDir);
