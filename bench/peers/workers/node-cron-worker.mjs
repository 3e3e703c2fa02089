// bench/peers worker: node-cron 4 with its defaults — no coordination, every worker runs every
// job (its opt-in `distributed` mode needs a coordinator we do not configure). Each job is
// `* * * * * *`; the scheduled time is the context's `date` (the slot it fired for).
// Usage: node node-cron-worker.mjs <outDir> <tasks> <intervalS> <startAtMs> <mode>
import cron from "node-cron";
import { onTerm, ready, recorder } from "./record.mjs";

const [outDir, tasksArg] = process.argv.slice(2);
const record = recorder(outDir);
const tasks = [];
for (let i = 0; i < Number(tasksArg); i++) {
  const id = `t-${i}`;
  tasks.push(cron.schedule("* * * * * *", (context) => record(id, context.date.getTime())));
}
onTerm(() => Promise.all(tasks.map((task) => task.destroy())));
ready(outDir);
