// bench/peers worker: node-schedule — no coordination, every worker runs every job. Each job is
// `* * * * * *`; node-schedule passes the scheduled fire date to the job function.
// Usage: node node-schedule-worker.mjs <outDir> <tasks> <intervalS> <startAtMs> <mode>
import schedule from "node-schedule";
import { onTerm, ready, recorder } from "./record.mjs";

const [outDir, tasksArg] = process.argv.slice(2);
const record = recorder(outDir);
for (let i = 0; i < Number(tasksArg); i++) {
  const id = `t-${i}`;
  schedule.scheduleJob("* * * * * *", (fireDate) => record(id, fireDate.getTime()));
}
onTerm(() => schedule.gracefulShutdown());
ready(outDir);
